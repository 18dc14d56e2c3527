//! Sorting the tags table by name, created date or size (issue 23). A sort by date or size
//! learns each tag's facts through the repository's `TagFactsStore` (a fill with progress
//! and Cancel, its disk cache read first so a repository opened again sorts at once) and
//! sorts off the UI thread on tokio's blocking pool, keeping the order on screen until the
//! new one is ready; it sorts again when more facts arrive. The table then shows its filtered
//! rows in that order: one pass over the order, never a sort in the frame.

use super::columns::Col;
use crate::registry::RegistryClient;
use crate::registry::tag_facts::{
    FactsProgress, SortKey, SortOrder, TagFacts, TagFactsStore, sort,
};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use egui::{RichText, Ui};
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// The directory of the tag facts' disk cache: beside the layer listings' cache (`None`:
/// memory only).
#[must_use]
pub fn facts_dir(bg: &Bg) -> Option<std::path::PathBuf> {
    bg.layer_cache
        .as_ref()
        .and_then(|c| c.dir().parent().map(|p| p.join("tag-facts")))
}

/// An order of every tag of one list: tag indices, for the list `generation`, knowing the
/// facts of `version`.
pub struct Sorted {
    pub order: SortOrder,
    pub generation: u64,
    pub version: u64,
    pub rows: Vec<usize>,
}

/// The table's order and the work behind it.
#[derive(Default)]
pub struct TagSorter {
    pub order: SortOrder,
    store: Option<Arc<TagFactsStore>>,
    fill: Requested<FactsProgress>,
    progress: Arc<Mutex<FactsProgress>>,
    cancel: Option<CancellationToken>,
    sorting: Requested<Sorted, String>,
}

impl TagSorter {
    /// A header click on `key`: the same key turns the order around, another starts at
    /// ascending.
    pub fn click(&mut self, key: SortKey) {
        // A fill that was stopped (or failed) goes on from what it learnt.
        if self.fill.error().is_some() {
            self.fill = Requested::Idle;
        }
        self.order = if self.order.key == key {
            SortOrder {
                key,
                reverse: !self.order.reverse,
            }
        } else {
            SortOrder {
                key,
                reverse: false,
            }
        };
    }

    /// The header text of `key`'s column: its name, with an arrow when it is the order.
    #[must_use]
    pub fn header(&self, key: SortKey, name: &str) -> String {
        if self.order.key != key {
            return name.to_owned();
        }
        let arrow = if self.order.reverse { " ⏶" } else { " ⏷" };
        format!("{name}{arrow}")
    }

    /// Moves finished work in; never blocks.
    pub fn poll(&mut self) {
        self.fill.poll();
        self.sorting.poll();
    }

    /// Whether a sort or a fill is running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.sorting.is_pending() || self.fill.is_pending()
    }

    /// Starts what the order needs for `tags` (list `generation`): the facts, then a sort
    /// whenever the facts changed and no sort is running.
    pub fn want(
        &mut self,
        bg: &Bg,
        client: &Arc<RegistryClient>,
        store: &Arc<TagFactsStore>,
        tags: &Arc<Vec<String>>,
        generation: u64,
    ) {
        if self.order.key == SortKey::Name {
            return;
        }
        let store = Arc::clone(self.store.get_or_insert_with(|| Arc::clone(store)));
        if matches!(self.fill, Requested::Idle) {
            let cancel = CancellationToken::new();
            self.cancel = Some(cancel.clone());
            let (client, tags, progress) = (
                Arc::clone(client),
                Arc::clone(tags),
                Arc::clone(&self.progress),
            );
            let (fill_store, repaint) = (Arc::clone(&store), Arc::clone(&bg.repaint));
            self.fill.request(&bg.rt, &bg.repaint, async move {
                fill_store
                    .fill(&client, &tags, &cancel, |p| {
                        *progress.lock().unwrap_or_else(PoisonError::into_inner) = p;
                        repaint();
                    })
                    .await
            });
        }
        let version = store.version();
        let current = self.sorting.value().is_some_and(|s| {
            s.order == self.order && s.generation == generation && s.version == version
        });
        if current || self.sorting.is_pending() {
            return;
        }
        let (order, tags) = (self.order, Arc::clone(tags));
        self.sorting.request(&bg.rt, &bg.repaint, async move {
            tokio::task::spawn_blocking(move || {
                let facts = store.snapshot(&tags);
                Sorted {
                    order,
                    generation,
                    version,
                    rows: sort::order(&tags, &facts, order),
                }
            })
            .await
            .map_err(|e| e.to_string())
        });
    }

    /// `rows` (matching tag indices, ascending) in the order, or `None` while the order
    /// for this list is not ready (the rows on screen stay). `len` is the list's length.
    #[must_use]
    pub fn arrange(&self, mut rows: Vec<usize>, len: usize, generation: u64) -> Option<Vec<usize>> {
        if self.order.key == SortKey::Name {
            if self.order.reverse {
                rows.reverse();
            }
            return Some(rows);
        }
        let sorted = self
            .sorting
            .value()
            .filter(|s| s.generation == generation && s.order == self.order)?;
        if rows.len() == len {
            return Some(sorted.rows.clone());
        }
        let mut keep = vec![false; len];
        for &r in &rows {
            keep[r] = true;
        }
        Some(sorted.rows.iter().copied().filter(|&r| keep[r]).collect())
    }

    /// What the sort knows of `tag` while the order is by date or size (the cells of a
    /// multi-platform tag then show the values it sorts by); `None` in name order.
    #[must_use]
    pub fn facts_of(&self, tag: &str) -> Option<TagFacts> {
        if self.order.key == SortKey::Name {
            return None;
        }
        self.store.as_ref()?.facts_of(tag)
    }

    /// What the current arrangement is for: the order and the facts it knew.
    #[must_use]
    pub fn key(&self) -> (SortOrder, u64) {
        let version = self.sorting.value().map_or(0, |s| s.version);
        (self.order, version)
    }

    /// The progress line with Cancel while facts are being learnt; after a Cancel, a line
    /// saying the fill stopped and how far it got; after an error, a line saying why.
    pub fn progress_line(&mut self, ui: &mut Ui) {
        if self.order.key == SortKey::Name {
            return;
        }
        let p = *self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        match self.fill.error() {
            Some(crate::registry::Error::Cancelled) => {
                ui.label(
                    RichText::new(tr!("tags-facts-stopped", known = p.known, total = p.total))
                        .color(ui.visuals().weak_text_color()),
                );
                return;
            }
            Some(e) => {
                // One line under the header, as "Stopped: …", with the error's sentence.
                let tone = crate::ui::shell::theme::tone(ui, crate::ui::shell::theme::Tone::Error);
                ui.add(
                    egui::Label::new(
                        RichText::new(tr!(
                            "tags-facts-failed",
                            error = crate::i18n::describe_error(e)
                        ))
                        .color(tone),
                    )
                    .truncate(),
                );
                return;
            }
            None => {}
        }
        if !self.fill.is_pending() {
            return;
        }
        ui.horizontal(|ui| {
            ui.add(egui::Spinner::new().size(12.0));
            ui.label(
                RichText::new(tr!("tags-facts-progress", known = p.known, total = p.total))
                    .color(ui.visuals().weak_text_color()),
            );
            if ui.small_button(tr!("tags-facts-cancel")).clicked()
                && let Some(c) = self.cancel.take()
            {
                c.cancel();
            }
        });
    }

    /// The table's header row: Tag, Created and Size sort when clicked.
    pub fn header_row(&mut self, mut header: egui_extras::TableRow<'_, '_>, cols: &[Col]) {
        for col in cols {
            let key = match col {
                Col::Tag | Col::Size | Col::Created => {
                    let (sort, name) = match col {
                        Col::Size => (SortKey::Size, tr!("tags-col-size")),
                        Col::Created => (SortKey::Created, tr!("tags-col-created")),
                        _ => (SortKey::Name, tr!("tags-col-tag")),
                    };
                    header.col(|ui| {
                        let text = self.header(sort, &name);
                        let hover = if sort == SortKey::Size {
                            tr!("size-def-pull")
                        } else {
                            tr!("tags-sort-tooltip")
                        };
                        if ui
                            .add(egui::Button::new(RichText::new(text).strong()).frame(false))
                            .on_hover_text(hover)
                            .clicked()
                        {
                            self.click(sort);
                        }
                    });
                    continue;
                }
                Col::Digest => crate::msg!("tags-col-digest"),
                Col::Kind => crate::msg!("tags-col-kind"),
            };
            header.col(|ui| {
                ui.label(RichText::new(tr!(key)).strong());
            });
        }
    }
}
