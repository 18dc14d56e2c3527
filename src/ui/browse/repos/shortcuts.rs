//! Pinned and recent repositories of one registry, above the full list. Their rows are
//! named "REPO, pinned" and "REPO, recent", so that they never share an accessible name
//! with the list row of the same repository.

use crate::tr;
use crate::ui::browse::repos::list::{ROW_HEIGHT, RepoAction};
use crate::ui::kit::widgets;
use egui::{RichText, TextStyle, Ui};

/// Pinned and recent repositories of this registry, above the full list.
pub fn show(ui: &mut Ui, pinned: &[String], recent: &[String]) -> Option<RepoAction> {
    let mut action = None;
    for (title, list, key) in [
        (
            tr!("repos-pinned"),
            pinned,
            crate::msg!("repos-pinned-item"),
        ),
        (
            tr!("repos-recent"),
            recent,
            crate::msg!("repos-recent-item"),
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        ui.label(
            RichText::new(title)
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        ui.spacing_mut().item_spacing.y = 0.0;
        for repo in list.iter().take(6) {
            let label = tr!(key, repo = repo.as_str());
            // The open repository is highlighted in the list below, not twice.
            let selected = false;
            let r = widgets::list_row(ui, selected, ROW_HEIGHT, &label, |ui, rect| {
                let color = widgets::row_text_color(ui, selected);
                let inner = rect.shrink2(egui::vec2(8.0, 0.0));
                let job = widgets::line_job(ui, repo, &TextStyle::Body, color, inner.width());
                widgets::paint_line(ui, inner, job);
            });
            if r.clicked() {
                action = Some(RepoAction::Open(repo.clone()));
            }
            let pin_text = if pinned.contains(repo) {
                tr!("repos-unpin")
            } else {
                tr!("repos-pin")
            };
            r.context_menu(|ui| {
                if ui.button(pin_text).clicked() {
                    action = Some(RepoAction::TogglePin(repo.clone()));
                    ui.close();
                }
            });
        }
        ui.add_space(4.0);
    }
    ui.separator();
    action
}
