//! Several tags at once: Ctrl+click marks a tag, Shift+click marks a range; a bar above the
//! table offers "Delete N tags…", whose one confirmation (`delete_many`) plans the delete and
//! names every tag that goes.

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

    /// The bar above the table while tags are marked.
    pub fn bar(&mut self, ui: &mut Ui) -> Option<TagAction> {
        if self.tags.is_empty() {
            return None;
        }
        let mut action = None;
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
pub fn row_menu(ui: &mut Ui, tag: &str, action: &mut Option<TagAction>) {
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
}
