//! The Files tab's toolbar: merged or one layer only, the path filter, the sort and
//! expand/collapse. Its rows wrap on a narrow tab, keeping a label with its field and a
//! pair of buttons together, so nothing grows past the window.

use super::{FilesView, Mode};
use crate::tr;
use crate::ui::image::files_tree::Sort;
use egui::{RichText, Ui};

impl FilesView {
    pub(super) fn toolbar(&mut self, ui: &mut Ui, bg: &crate::ui::Bg) {
        let n = self.layer + 1;
        // Wraps rather than grow past the tab: on a narrow tab the filter gets a line of its
        // own, and Expand all / Collapse all theirs. Decided from the tab's width (a wrapping
        // row does not tell how much of its current line is left).
        let tab = ui.available_width();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let text_width = |ui: &Ui, text: String| {
            ui.painter()
                .layout_no_wrap(text, font.clone(), egui::Color32::WHITE)
                .size()
                .x
        };
        let pad = 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x;
        let modes = text_width(ui, tr!("files-mode-merged", n = n))
            + text_width(ui, tr!("files-mode-layer", n = n))
            + 2.0 * pad;
        let label_width = text_width(ui, tr!("files-filter")) + ui.spacing().item_spacing.x;
        let one_line = tab >= modes + 20.0 + label_width + 34.0 + 140.0;
        ui.horizontal_wrapped(|ui| {
            let merged = ui
                .selectable_label(self.mode == Mode::Merged, tr!("files-mode-merged", n = n))
                .on_hover_text(tr!("files-mode-merged-tooltip", n = n));
            if merged.clicked() {
                self.mode = Mode::Merged;
            }
            let only = ui
                .selectable_label(self.mode == Mode::LayerOnly, tr!("files-mode-layer", n = n))
                .on_hover_text(tr!("files-mode-layer-tooltip", n = n));
            if only.clicked() {
                self.mode = Mode::LayerOnly;
            }
            // The label and its field stay together: a new line (instead of a separator)
            // when both do not fit beside the modes.
            let room = if one_line {
                ui.separator();
                tab - modes - 20.0 - label_width
            } else {
                ui.end_row();
                tab - label_width
            };
            let label = ui.label(tr!("files-filter"));
            // Room for the clear button is kept even when it is hidden, so that the row
            // never grows past the panel.
            let width = (room - 34.0).clamp(80.0, 300.0);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text(tr!("files-filter-hint"))
                        .desired_width(width),
                )
                .labelled_by(label.id);
            // Escape also takes the focus away, so the field may have just lost it.
            if (field.has_focus() || field.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Escape))
            {
                self.filter.clear();
            }
            if !self.filter.is_empty()
                && ui
                    .small_button("×")
                    .on_hover_text(tr!("files-filter-clear"))
                    .clicked()
            {
                self.filter.clear();
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(tr!("files-sort")).color(ui.visuals().weak_text_color()));
            let mut sort = self.rows.sort;
            ui.selectable_value(&mut sort, Sort::Name, tr!("files-sort-name"));
            ui.selectable_value(&mut sort, Sort::Size, tr!("files-sort-size"));
            self.rows.set_sort(sort);
            // Expand all and Collapse all wrap together, without a separator before them.
            let sort = text_width(ui, tr!("files-sort"))
                + text_width(ui, tr!("files-sort-name"))
                + text_width(ui, tr!("files-sort-size"))
                + 3.0 * pad;
            let buttons = text_width(ui, tr!("files-expand-all"))
                + text_width(ui, tr!("files-collapse-all"))
                + 2.0 * pad;
            if tab < sort + 20.0 + buttons {
                ui.end_row();
            } else {
                ui.separator();
            }
            if ui.button(tr!("files-expand-all")).clicked() {
                self.rows.set_all_open(true);
            }
            if ui.button(tr!("files-collapse-all")).clicked() {
                self.rows.set_all_open(false);
            }
            self.save_button(ui, bg);
            if self.view.is_pending() {
                ui.add(egui::Spinner::new().size(13.0));
            }
        });
        ui.add_space(2.0);
    }
}
