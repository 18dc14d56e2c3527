//! Several tags at once: Ctrl+click marks a tag, Shift+click marks a range; a bar above the
//! table offers "Delete N tags…", whose one confirmation (`delete_many`) plans the delete and
//! names every tag that goes. The bar's line is always there (a quiet hint while nothing is
//! marked), so the first Ctrl+click does not push the rows down under the pointer.

use crate::tr;
use crate::ui::browse::tags::table::TagAction;
use egui::{Modifiers, Ui};

#[derive(Default)]
pub struct TagMarks {
    pub tags: Vec<String>,
    anchor: Option<usize>,
}

impl TagMarks {
    pub fn contains(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// A click on row `i` (showing `tag`, of `rows`): `true` when it marked instead of opening.
    pub fn click(&mut self, modifiers: Modifiers, i: usize, rows: &[String]) -> bool {
        if modifiers.shift
            && let Some(anchor) = self.anchor
        {
            let (a, b) = (anchor.min(i), anchor.max(i));
            for t in rows.iter().take(b + 1).skip(a) {
                if !self.contains(t) {
                    self.tags.push(t.clone());
                }
            }
            return true;
        }
        let Some(tag) = rows.get(i) else { return false };
        if modifiers.command || modifiers.shift {
            if let Some(at) = self.tags.iter().position(|t| t == tag) {
                self.tags.remove(at);
            } else {
                self.tags.push(tag.clone());
            }
            self.anchor = Some(i);
            return true;
        }
        self.tags.clear();
        self.anchor = Some(i);
        false
    }

    /// The bar above the table: one line of fixed height whether or not tags are marked.
    pub fn bar(&mut self, ui: &mut Ui) -> Option<TagAction> {
        let mut action = None;
        let height = ui.spacing().interact_size.y + 2.0 * ui.spacing().button_padding.y;
        let (rect, _) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), height),
            egui::Sense::hover(),
        );
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        let mut bar = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(layout));
        bar.set_clip_rect(rect.intersect(ui.clip_rect()));
        let ui = &mut bar;
        if self.tags.is_empty() {
            ui.label(
                egui::RichText::new(tr!("tags-mark-hint"))
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
            return None;
        }
        ui.horizontal(|ui| {
            ui.label(tr!("tags-marked", count = self.tags.len()));
            if ui
                .button(tr!("tags-delete-marked", count = self.tags.len()))
                .clicked()
            {
                action = Some(TagAction::DeleteMany(self.tags.clone()));
            }
            if ui.button(tr!("tags-unmark")).clicked() {
                self.tags.clear();
            }
        });
        action
    }
}

/// The right-click menu of a tag row.
/// `find_every` offers the lookup of every tag's digest (while the shared-digest marks are a
/// lower bound).
pub fn row_menu(ui: &mut Ui, tag: &str, find_every: bool, action: &mut Option<TagAction>) {
    let items: [(&str, crate::ui::browse::tags::table::MakeAction); 4] = [
        ("tag-pull", TagAction::Pull),
        ("tag-copy-open", TagAction::Copy),
        ("tag-export-open", TagAction::Export),
        ("tag-delete-open", TagAction::Delete),
    ];
    for (key, make) in items {
        if ui.button(crate::i18n::t(key)).clicked() {
            *action = Some(make(tag.to_owned()));
            ui.close();
        }
    }
    if find_every {
        ui.separator();
        if ui.button(tr!("tags-find-every")).clicked() {
            *action = Some(TagAction::FindEveryTag);
            ui.close();
        }
    }
}
