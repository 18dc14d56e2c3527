//! The "Open repository…" field under the repository list: for registries that do not list
//! their catalog, or a repository the list has not reached yet.

use super::list::RepoAction;
use crate::tr;
use egui::Ui;

/// Draws the field and its button; Enter or the button opens what was typed.
pub fn show(ui: &mut Ui, text: &mut String) -> Option<RepoAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        let button_width = 60.0;
        let field = ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(tr!("repos-open-hint"))
                .desired_width(ui.available_width() - button_width),
        );
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(
                !text.trim().is_empty(),
                egui::Button::new(tr!("repos-open")),
            )
            .clicked();
        if (entered || clicked) && !text.trim().is_empty() {
            action = Some(RepoAction::Open(text.trim().to_owned()));
            text.clear();
        }
    });
    action
}
