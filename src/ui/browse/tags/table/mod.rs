//! The tags of one repository as a table: tag, short digest, kind, size and age. Tags come
//! naturally sorted from the client; per-row details are fetched only for the rows on screen
//! once the view rests (`rows.rs` owns those requests and stops them when the table closes).
//! Tags that share a digest are marked, as a lower bound while some tags are not looked up.
//! A long list is filtered off the UI thread, the rows on screen staying until the new ones
//! are ready (`kit::row_filter`).

mod header;

use super::columns::{self, Col};
use super::rows::{Cell, RowLookup};
use super::sort::TagSorter;
use super::summary::{Kind, kind_text};
use crate::oci::{Digest, Repository, media};
use crate::registry::tag_facts::{SortKey, SortOrder};
use crate::registry::{ManifestHead, RegistryClient};
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::row_filter::{self, FilterJob};
use crate::ui::kit::widgets;
use crate::ui::{Bg, shell::theme};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::sync::Arc;

/// Rows are asked for once the view has rested this long, so scrolling fast through
/// thousands of tags asks only for where it stops.
/// By egui's clock (real time in the window, the harness's steps in tests), so how much is
/// asked for never depends on how fast a frame draws.
const SETTLE: f64 = 0.12;
const ROW_HEIGHT: f32 = 24.0;

/// Makes a [`TagAction`] for a tag (a menu item's or a button's).
pub type MakeAction = fn(String) -> TagAction;

pub enum TagAction {
    Open(String),
    TogglePin,
    /// Pull into Berth's store.
    Pull(String),
    /// Ask to delete (the confirmation plans first).
    Delete(String),
    /// Ask once, then delete every marked tag in one job.
    DeleteMany(Vec<String>),
    /// Ask where to copy it.
    Copy(String),
    /// Ask which file to export it to.
    Export(String),
    /// Look up every tag's digest, so the shared-digest marks are exact.
    FindEveryTag,
    /// Open Clean up… (retention rules) on the repository.
    CleanUp,
}

// Plain view flags (sort order, pending scroll and focus requests, GET allowed).
#[allow(clippy::struct_excessive_bools)]
pub struct TagTable {
    pub repo: Repository,
    client: Arc<RegistryClient>,
    pub tags: Requested<Arc<Vec<String>>>,
    /// Counts the tag lists that arrived, so a filter knows which list it indexes.
    tags_generation: u64,
    pub filter: String,
    /// The rows as shown (indices into the tags, in the order shown).
    filtered: Vec<usize>,
    /// What `filtered` is for: the filter text, the tag list and the order (with the facts
    /// it knew).
    filtered_for: Option<(String, u64, (SortOrder, u64))>,
    /// The filter of a long list, running off the UI thread.
    filtering: FilterJob,
    bg: Bg,
    /// The order (name, created date or size) and the work behind it (issue 23).
    pub sorter: TagSorter,
    /// Dropped with the table, which stops its requests.
    rows: RowLookup,
    pub selected: Option<String>,
    cursor: Option<usize>,
    scroll_to_cursor: bool,
    visible: std::ops::Range<usize>,
    /// egui's time when `visible` last changed.
    visible_since: f64,
    pub focus_filter: bool,
    pub marks: crate::ui::browse::tags::marks::TagMarks,
}

impl TagTable {
    pub fn new(bg: &Bg, client: Arc<RegistryClient>, repo: Repository, allow_get: bool) -> Self {
        let store = client.tag_facts(&repo, super::sort::facts_dir(bg));
        let mut table = Self {
            rows: RowLookup::new(Arc::clone(&client), store, allow_get, bg),
            repo,
            client,
            tags: Requested::Idle,
            tags_generation: 0,
            filter: String::new(),
            filtered: Vec::new(),
            filtered_for: None,
            filtering: FilterJob::default(),
            bg: bg.clone(),
            sorter: TagSorter::default(),
            selected: None,
            cursor: None,
            scroll_to_cursor: false,
            visible: 0..0,
            visible_since: 0.0,
            focus_filter: false,
            marks: crate::ui::browse::tags::marks::TagMarks::default(),
        };
        table.reload(bg);
        table
    }

    /// Lists the tags again; rows keep their details until the new list arrives, and the
    /// digests are asked again since tags move.
    pub fn reload(&mut self, bg: &Bg) {
        let client = Arc::clone(&self.client);
        let repo = self.repo.clone();
        self.tags.request(&bg.rt, &bg.repaint, async move {
            client.tags(&repo).await.map(Arc::new)
        });
        self.rows.forget_digests();
    }

    /// Moves finished results in and schedules nothing; never blocks.
    pub fn poll(&mut self) {
        if self.tags.poll() {
            self.tags_generation += 1;
        }
        self.rows.poll();
        self.sorter.poll();
    }

    /// Brings the rows up to date with the filter, the tag list and the order. A short list
    /// is filtered here; a long one off the UI thread, keeping the rows shown until then.
    fn refresh_filter(&mut self) {
        let Some(tags) = self.tags.value() else {
            self.filtered.clear();
            self.filtering.stop();
            return;
        };
        let generation = self.tags_generation;
        let tags = Arc::clone(tags);
        self.sorter
            .want(&self.bg, &self.client, self.rows.store(), &tags, generation);
        let key = (self.filter.clone(), generation, self.sorter.key());
        if self.filtered_for.as_ref() == Some(&key) {
            return;
        }
        // Only the direction of the name order changed: the same rows, turned around.
        if let Some((text, g, (order, _))) = &self.filtered_for
            && *text == self.filter
            && *g == generation
            && order.key == SortKey::Name
            && self.sorter.order.key == SortKey::Name
        {
            self.filtered.reverse();
            self.filtered_for = Some(key);
            return;
        }
        // No filter, or a short list: done here (every row of 100,000 is a copy, not a search).
        let rows = if self.filter.is_empty() || tags.len() < row_filter::OFF_THREAD_FROM {
            self.filtering.stop();
            let needle = self.filter.to_lowercase();
            (0..tags.len())
                .filter(|&i| row_filter::matches(&tags[i], &needle))
                .collect()
        } else if let Some(done) = self.filtering.take_done(&self.filter, generation) {
            done.rows
        } else {
            self.filtering
                .want(&self.bg, &tags, &self.filter, generation);
            return;
        };
        // Sorted by date or size: until the order is ready, the rows on screen stay.
        let Some(rows) = self.sorter.arrange(rows, tags.len(), generation) else {
            return;
        };
        self.filtered = rows;
        self.filtered_for = Some(key);
        self.cursor = None;
    }

    fn tag_at(&self, row: usize) -> Option<&String> {
        self.tags.value()?.get(*self.filtered.get(row)?)
    }

    pub fn move_cursor(&mut self, delta: isize) {
        self.refresh_filter();
        let n = self.filtered.len();
        if n == 0 {
            return;
        }
        // Without a cursor an arrow lands on the first row on screen; a page or an end key
        // moves from there.
        let at = match self.cursor {
            Some(c) => c.saturating_add_signed(delta),
            None if delta.abs() > 1 => self.visible.start.saturating_add_signed(delta),
            None => self.visible.start,
        }
        .min(n - 1);
        self.cursor = Some(at);
        self.scroll_to_cursor = true;
    }

    /// How many rows Page Down moves: a screenful less one, so one row stays in view.
    #[must_use]
    pub fn page_rows(&self) -> isize {
        isize::try_from(self.visible.len().saturating_sub(1).max(1)).unwrap_or(1)
    }

    /// The tag under the keyboard cursor.
    pub fn cursor_tag(&self) -> Option<String> {
        self.tag_at(self.cursor?).cloned()
    }

    pub fn activate_cursor(&self) -> Option<TagAction> {
        self.tag_at(self.cursor?).cloned().map(TagAction::Open)
    }

    /// Starts requests for the rows on screen, up to the concurrency bound.
    fn schedule(&mut self, bg: &Bg) {
        let visible: Vec<String> = self
            .visible
            .clone()
            .filter_map(|row| self.tag_at(row).cloned())
            .collect();
        self.rows.schedule(visible, bg);
    }

    /// Looks up the digest of every tag (bounded, stopped when the table closes).
    pub fn find_every_tag(&mut self, bg: &Bg) {
        if let Some(tags) = self.tags.value() {
            self.rows.find_every_tag(tags, bg);
        }
    }

    pub fn show(&mut self, ui: &mut Ui, bg: &Bg, pinned: bool) -> Option<TagAction> {
        let mut action = None;
        self.refresh_filter();
        let total = self.tags.value().map_or(0, |t| t.len());
        if let Some(a) = self.header(ui, total, pinned) {
            action = Some(a);
        }
        self.refresh_filter();
        if let Some(e) = self.tags.error() {
            ui.add_space(6.0);
            if widgets::error_box(ui, e).is_some() {
                self.reload(bg);
            }
        }
        if self.tags.value().is_none() {
            if self.tags.is_pending() {
                ui.add_space(8.0);
                widgets::busy(ui, &tr!("tags-loading"));
            }
            return action;
        }
        if total == 0 {
            widgets::empty_state(ui, &tr!("tags-none-title"), &tr!("tags-none-body"));
            return action;
        }
        self.sorter.progress_line(ui);
        action = action.or(self.marks.bar(ui)).or(self.table(ui));
        let rested = ui.input(|i| i.time) - self.visible_since;
        if rested < SETTLE {
            let wait = std::time::Duration::from_secs_f64(SETTLE - rested);
            ui.ctx().request_repaint_after(wait);
        } else {
            self.schedule(bg);
        }
        action
    }

    fn table(&mut self, ui: &mut Ui) -> Option<TagAction> {
        let mut action = None;
        let weak = ui.visuals().weak_text_color();
        let cols = columns::plan(ui.available_width(), ui.spacing().item_spacing.x);
        let mut builder = TableBuilder::new(ui)
            // The column set is part of the id, so widths kept for one set never apply to
            // another.
            .id_salt(("tags", &self.repo, cols.len()))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .auto_shrink([false, false]);
        for col in &cols {
            builder = builder.column(match col {
                Col::Tag => Column::remainder().at_least(columns::TAG_MIN).clip(true),
                _ => Column::exact(col.width()).clip(true),
            });
        }
        if self.scroll_to_cursor {
            self.scroll_to_cursor = false;
            if let Some(c) = self.cursor {
                builder = builder.scroll_to_row(c, None);
            }
        }
        let mut visible_min = usize::MAX;
        let mut visible_max = 0;
        builder
            .header(22.0, |header| self.sorter.header_row(header, &cols))
            .body(|body| {
                body.rows(ROW_HEIGHT, self.filtered.len(), |mut row| {
                    let i = row.index();
                    visible_min = visible_min.min(i);
                    visible_max = visible_max.max(i + 1);
                    let Some(tag) = self.tag_at(i).cloned() else {
                        return;
                    };
                    let selected = self.selected.as_deref() == Some(tag.as_str());
                    let marked = self.marks.contains(&tag);
                    row.set_selected(selected || marked || self.cursor == Some(i));
                    let head = self.rows.head(&tag);
                    let head = head.as_ref();
                    let digest = match head {
                        Some(Cell::Known(h)) => Some(h.digest.clone()),
                        _ => None,
                    };
                    let detail = digest.as_ref().and_then(|d| self.rows.detail(d));
                    let detail = detail.as_ref();
                    for col in &cols {
                        row.col(|ui| match col {
                            Col::Tag => {
                                // A tag's escapes and newlines are shown, not obeyed: the
                                // row stays one.
                                let shown = crate::format::escape(tag.as_str()).into_owned();
                                ui.add(egui::Label::new(shown).truncate());
                            }
                            Col::Digest => self.digest_cell(ui, &tag, head, weak),
                            Col::Kind => kind_cell(ui, head, detail, weak),
                            Col::Size => super::platform_cells::size(
                                ui,
                                detail,
                                self.sorter.facts_of(&tag),
                                weak,
                            ),
                            Col::Created => super::platform_cells::created(
                                ui,
                                detail,
                                self.sorter.facts_of(&tag),
                                weak,
                            ),
                        });
                    }
                    let response = row.response();
                    if response.clicked() {
                        let modifiers = response.ctx.input(|i| i.modifiers);
                        let rows: Vec<String> = (0..self.filtered.len())
                            .filter_map(|r| self.tag_at(r).cloned())
                            .collect();
                        if !self.marks.click(modifiers, i, &rows) {
                            self.cursor = Some(i);
                            action = Some(TagAction::Open(tag.clone()));
                        }
                    }
                    response.context_menu(|ui| {
                        self.row_menu(ui, &tag, digest.as_ref(), &mut action);
                    });
                });
            });
        if visible_min <= visible_max && self.visible != (visible_min..visible_max) {
            self.visible = visible_min..visible_max;
            self.visible_since = ui.input(|i| i.time);
        }
        action
    }

    /// The right-click menu of a row: the tag's actions, "Find every tag with this digest"
    /// while some tag's digest is unknown (the marks are then a lower bound), and its pull
    /// commands.
    fn row_menu(
        &self,
        ui: &mut Ui,
        tag: &str,
        digest: Option<&Digest>,
        action: &mut Option<TagAction>,
    ) {
        let total = self.tags.value().map_or(0, |t| t.len());
        let find_every = digest
            .map(|d| self.rows.sharing(d, total))
            .is_some_and(|s| s.unknown > 0 && !s.looking);
        super::marks::row_menu(ui, tag, find_every, action);
        ui.separator();
        super::pull_menu::show(ui, &self.client, &self.repo, Some(tag), digest);
    }

    fn digest_cell(
        &self,
        ui: &mut Ui,
        tag: &str,
        head: Option<&Cell<ManifestHead>>,
        weak: egui::Color32,
    ) {
        match head {
            Some(Cell::Known(h)) => {
                ui.label(RichText::new(h.digest.short()).monospace())
                    .on_hover_text(h.digest.as_str());
                let total = self.tags.value().map_or(0, |t| t.len());
                super::rows::shared_mark(ui, tag, &self.rows.sharing(&h.digest, total));
            }
            Some(Cell::Failed(reason)) => {
                ui.label(RichText::new("⚠").color(theme::tone(ui, theme::Tone::Error)))
                    .on_hover_text(reason.as_str());
            }
            _ => {
                ui.label(RichText::new("…").color(weak));
            }
        }
    }
}

/// The Kind cell: what the manifest is, or what its media type says before it is read.
fn kind_cell(
    ui: &mut Ui,
    head: Option<&Cell<ManifestHead>>,
    detail: Option<&Cell<super::summary::Summary>>,
    weak: egui::Color32,
) {
    let text = match (detail, head) {
        (Some(Cell::Known(s)), _) => kind_text(&s.kind),
        (Some(Cell::Failed(reason)), _) => {
            ui.label(RichText::new("⚠").color(theme::tone(ui, theme::Tone::Error)))
                .on_hover_text(reason.as_str());
            return;
        }
        (_, Some(Cell::Known(h))) if media::is_index(&h.media_type) => {
            kind_text(&Kind::Index { platforms: None })
        }
        (_, Some(Cell::Known(h))) if media::is_image_manifest(&h.media_type) => {
            kind_text(&Kind::Image)
        }
        _ => {
            ui.label(RichText::new("…").color(weak));
            return;
        }
    };
    ui.label(text);
}
