//! The Files tab's toolbar: merged or one layer only, the path filter, Save… and a menu (☰)
//! with the sort and expand or collapse every folder. On a wide tab it is one line; on a
//! narrow one (800×600) the two modes take the first line, with shorter names when the long
//! ones do not fit, and the filter and the menu the second (Save… moving into the menu when
//! it would squeeze the filter), so the tree keeps its room.

use super::{FilesView, Mode};
use crate::tr;
use crate::ui::image::files_tree::Sort;
use egui::{RichText, Ui};

/// The narrowest the filter field gets (and its clear button's room, kept even when hidden,
/// so the row never grows past the tab).
const FILTER_MIN: f32 = 90.0;
const CLEAR_ROOM: f32 = 34.0;
/// The menu's icon; its accessible name is `files-menu`.
const MENU: &str = "☰";

impl FilesView {
    pub(super) fn toolbar(&mut self, ui: &mut Ui, bg: &crate::ui::Bg) {
        let n = self.layer + 1;
        // Decided from the tab's width (a wrapping row does not tell how much of its current
        // line is left).
        let tab = ui.available_width();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let text_width = |ui: &Ui, text: String| {
            ui.painter()
                .layout_no_wrap(text, font.clone(), egui::Color32::WHITE)
                .size()
                .x
        };
        let pad = 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x;
        let long = text_width(ui, tr!("files-mode-merged", n = n))
            + text_width(ui, tr!("files-mode-layer", n = n))
            + 2.0 * pad;
        let menu = text_width(ui, MENU.to_owned()) + pad;
        // The widest Save label, so the line does not change as the selection does.
        let save =
            text_width(ui, tr!("files-save")).max(text_width(ui, tr!("files-save-folder"))) + pad;
        let one_line = tab >= long + 20.0 + FILTER_MIN + CLEAR_ROOM + save + menu;
        // On a narrow tab Save… goes into the menu rather than squeeze the filter.
        let save_inline = one_line || tab >= 2.0 * FILTER_MIN + CLEAR_ROOM + save + menu;
        let merged_label = if one_line || tab >= long {
            tr!("files-mode-merged", n = n)
        } else {
            tr!("files-mode-merged-short", n = n)
        };
        ui.horizontal_wrapped(|ui| {
            let merged = ui
                .selectable_label(self.mode == Mode::Merged, merged_label)
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
            let room = if one_line {
                ui.separator();
                tab - long - 20.0
            } else {
                ui.end_row();
                tab
            };
            let others = menu + if save_inline { save } else { 0.0 };
            let width = (room - others - CLEAR_ROOM).clamp(FILTER_MIN, 300.0);
            self.filter_field(ui, width);
            if save_inline {
                self.save_button(ui, bg);
            }
            self.tree_menu(ui, bg, !save_inline);
            if self.view.is_pending() {
                ui.add(egui::Spinner::new().size(13.0));
            }
        });
        ui.add_space(2.0);
    }

    /// The path filter: its name is the hint (and its accessible label), the examples its
    /// hover text; Escape or × clears it.
    fn filter_field(&mut self, ui: &mut Ui, width: f32) {
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(tr!("files-filter"))
                    .desired_width(width),
            )
            .on_hover_text(tr!("files-filter-hint"));
        ui.ctx().accesskit_node_builder(field.id, |node| {
            node.set_label(tr!("files-filter"));
        });
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
    }

    /// What is rarely needed (the sort, opening or closing every folder) and, on a narrow
    /// tab, Save….
    fn tree_menu(&mut self, ui: &mut Ui, bg: &crate::ui::Bg, with_save: bool) {
        let menu = ui.menu_button(MENU, |ui| {
            if with_save {
                self.save_button(ui, bg);
                ui.separator();
            }
            ui.label(RichText::new(tr!("files-sort")).color(ui.visuals().weak_text_color()));
            let mut sort = self.rows.sort;
            ui.radio_value(&mut sort, Sort::Name, tr!("files-sort-name"));
            ui.radio_value(&mut sort, Sort::Size, tr!("files-sort-size"));
            self.rows.set_sort(sort);
            ui.separator();
            if ui.button(tr!("files-expand-all")).clicked() {
                self.rows.set_all_open(true);
            }
            if ui.button(tr!("files-collapse-all")).clicked() {
                self.rows.set_all_open(false);
            }
        });
        let button = menu.response.on_hover_text(if with_save {
            tr!("files-menu-tooltip-save")
        } else {
            tr!("files-menu-tooltip")
        });
        ui.ctx().accesskit_node_builder(button.id, |node| {
            node.set_label(tr!("files-menu"));
        });
    }
}
