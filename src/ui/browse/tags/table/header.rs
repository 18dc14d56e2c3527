//! The tags table's header: the repository's name, Pin, Clean up… and a spinner on the
//! left, the tag count and the filter on the right. On one line while the name fits beside
//! the rest; otherwise the name takes a line of its own, whole (elided only when wider than
//! the panel, with its tooltip), and the buttons go on the line below it, so a narrow
//! window (800×600) still shows which repository this is.

use super::{TagAction, TagTable};
use crate::tr;
use crate::ui::shell::theme;
use egui::{RichText, Ui};

/// Pin, Clean up… and the spinner, at the widest words of the languages.
const TAIL: f32 = 40.0 + 84.0 + 12.0;

impl TagTable {
    pub(super) fn header(&mut self, ui: &mut Ui, total: usize, pinned: bool) -> Option<TagAction> {
        let mut action = None;
        theme::header_frame(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let name = RichText::new(self.repo.as_str()).strong().size(15.0);
            let count = if self.filter.is_empty() {
                tr!("tags-count", count = total)
            } else {
                tr!(
                    "tags-count-filtered",
                    shown = self.filtered.len(),
                    count = total
                )
            };
            let spacing = ui.spacing().item_spacing.x;
            let width = ui.available_width();
            let filter_width = (width * 0.35).clamp(90.0, 220.0);
            let beside =
                width - filter_width - text_width(ui, RichText::new(&count)) - TAIL - 6.0 * spacing;
            let own_line = text_width(ui, name.clone()) > beside;
            if own_line {
                ui.add(egui::Label::new(name.clone()).truncate());
            }
            // The filter and the count first, from the right; the name (when it shares the
            // line) and the buttons get the room left, so nothing overlaps.
            ui.horizontal(|ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    crate::ui::kit::widgets::filter_field(
                        ui,
                        &mut self.filter,
                        &tr!("tags-filter-hint"),
                        filter_width,
                        egui::Id::unique("tag-filter"),
                        &mut self.focus_filter,
                    );
                    ui.label(RichText::new(count).color(ui.visuals().weak_text_color()));
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        if !own_line {
                            let room = (ui.available_width() - TAIL - 3.0 * spacing).max(40.0);
                            ui.scope(|ui| {
                                ui.set_max_width(room);
                                ui.add(egui::Label::new(name).truncate());
                            });
                        }
                        let pin = if pinned {
                            tr!("repos-unpin")
                        } else {
                            tr!("repos-pin")
                        };
                        if ui.small_button(pin).clicked() {
                            action = Some(TagAction::TogglePin);
                        }
                        if ui.small_button(tr!("tags-cleanup")).clicked() {
                            action = Some(TagAction::CleanUp);
                        }
                        if self.tags.is_pending()
                            || self.filtering.is_running()
                            || self.sorter.is_running()
                        {
                            ui.add(egui::Spinner::new().size(12.0));
                        }
                    });
                });
            });
        });
        action
    }
}

/// How wide `text` is on one line, in `ui`'s style.
fn text_width(ui: &Ui, text: RichText) -> f32 {
    egui::WidgetText::from(text)
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}
