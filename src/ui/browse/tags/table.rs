//! The tags of one repository as a table: tag, short digest, kind, size and age. Tags come
//! naturally sorted from the client; per-row details are fetched only for the rows on screen,
//! about eight requests at a time, HEAD for the digest and then (except on Docker Hub, where a
//! GET counts as a pull) the manifest and config, cached by digest. Tags that share a digest
//! are marked.

use super::summary::{Summary, kind_cell, summarize};
use crate::oci::{Digest, Reference, Repository};
use crate::registry::{Error, ManifestHead, RegistryClient};
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use crate::ui::{Bg, kit::dates, shell::theme};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;

/// How many manifest requests run at once for the visible rows.
pub const ROW_CONCURRENCY: usize = 8;
/// Rows are asked for once the view has rested this long, so scrolling fast through
/// thousands of tags asks only for where it stops.
/// By egui's clock (real time in the window, the harness's steps in tests), so how much is
/// asked for never depends on how fast a frame draws.
const SETTLE: f64 = 0.12;
const ROW_HEIGHT: f32 = 24.0;

pub(super) enum Cell<T> {
    Pending,
    Known(T),
    Failed(String),
}

enum RowEvent {
    Head(String, Result<ManifestHead, Error>),
    Detail(Digest, Result<Summary, Error>),
}

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
}

// Plain view flags (sort order, pending scroll and focus requests, GET allowed).
#[allow(clippy::struct_excessive_bools)]
pub struct TagTable {
    pub repo: Repository,
    client: Arc<RegistryClient>,
    /// False on Docker Hub: only HEAD requests, since a GET counts against the pull limit.
    allow_get: bool,
    pub tags: Requested<Vec<String>>,
    pub filter: String,
    filtered: Vec<usize>,
    filtered_for: Option<(String, usize)>,
    descending: bool,
    heads: HashMap<String, Cell<ManifestHead>>,
    details: HashMap<Digest, Cell<Summary>>,
    sharing: HashMap<Digest, Vec<String>>,
    in_flight: usize,
    tx: mpsc::Sender<RowEvent>,
    rx: mpsc::Receiver<RowEvent>,
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
        let (tx, rx) = mpsc::channel(ROW_CONCURRENCY * 2);
        let mut table = Self {
            repo,
            client,
            allow_get,
            tags: Requested::Idle,
            filter: String::new(),
            filtered: Vec::new(),
            filtered_for: None,
            descending: false,
            heads: HashMap::new(),
            details: HashMap::new(),
            sharing: HashMap::new(),
            in_flight: 0,
            tx,
            rx,
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
        self.tags
            .request(&bg.rt, &bg.repaint, async move { client.tags(&repo).await });
        self.heads.retain(|_, c| matches!(c, Cell::Pending));
        self.sharing.clear();
        self.filtered_for = None;
    }

    /// Moves finished results in and schedules nothing; never blocks.
    pub fn poll(&mut self) {
        if self.tags.poll() {
            self.filtered_for = None;
        }
        while let Ok(event) = self.rx.try_recv() {
            self.in_flight = self.in_flight.saturating_sub(1);
            match event {
                RowEvent::Head(tag, Ok(head)) => {
                    let shared = self.sharing.entry(head.digest.clone()).or_default();
                    if !shared.contains(&tag) {
                        shared.push(tag.clone());
                        crate::natural_sort::sort(shared);
                    }
                    self.heads.insert(tag, Cell::Known(head));
                }
                RowEvent::Head(tag, Err(e)) => {
                    self.heads
                        .insert(tag, Cell::Failed(crate::i18n::describe_error(&e)));
                }
                RowEvent::Detail(digest, result) => {
                    let cell = match result {
                        Ok(s) => Cell::Known(s),
                        Err(e) => Cell::Failed(crate::i18n::describe_error(&e)),
                    };
                    self.details.insert(digest, cell);
                }
            }
        }
    }

    fn refresh_filter(&mut self) {
        let Some(tags) = self.tags.value() else {
            self.filtered.clear();
            return;
        };
        let key = (self.filter.clone(), tags.len());
        if self.filtered_for.as_ref() == Some(&key) {
            return;
        }
        let needle = self.filter.to_lowercase();
        self.filtered = (0..tags.len())
            .filter(|&i| needle.is_empty() || tags[i].to_lowercase().contains(&needle))
            .collect();
        if self.descending {
            self.filtered.reverse();
        }
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
        for tag in visible {
            if self.in_flight >= ROW_CONCURRENCY {
                return;
            }
            match self.heads.get(&tag) {
                None => {
                    self.heads.insert(tag.clone(), Cell::Pending);
                    self.in_flight += 1;
                    let (client, repo, tx) =
                        (Arc::clone(&self.client), self.repo.clone(), self.tx.clone());
                    let repaint = Arc::clone(&bg.repaint);
                    bg.rt.spawn(async move {
                        let head = client
                            .head_manifest(&repo, &Reference::Tag(tag.clone()))
                            .await;
                        let _ = tx.send(RowEvent::Head(tag, head)).await;
                        repaint();
                    });
                }
                Some(Cell::Known(head)) if self.allow_get => {
                    let digest = head.digest.clone();
                    if self.details.contains_key(&digest) {
                        continue;
                    }
                    self.details.insert(digest.clone(), Cell::Pending);
                    self.in_flight += 1;
                    let (client, repo, tx) =
                        (Arc::clone(&self.client), self.repo.clone(), self.tx.clone());
                    let repaint = Arc::clone(&bg.repaint);
                    bg.rt.spawn(async move {
                        let summary = summarize(&client, &repo, &digest).await;
                        let _ = tx.send(RowEvent::Detail(digest, summary)).await;
                        repaint();
                    });
                }
                _ => {}
            }
        }
    }

    pub fn show(&mut self, ui: &mut Ui, bg: &Bg, pinned: bool) -> Option<TagAction> {
        let mut action = None;
        self.refresh_filter();
        let total = self.tags.value().map_or(0, Vec::len);
        theme::header_frame(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(self.repo.as_str()).strong().size(15.0));
                let pin = if pinned {
                    tr!("repos-unpin")
                } else {
                    tr!("repos-pin")
                };
                if ui.small_button(pin).clicked() {
                    action = Some(TagAction::TogglePin);
                }
                if self.tags.is_pending() {
                    ui.add(egui::Spinner::new().size(12.0));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let filter = ui.add(
                        egui::TextEdit::singleline(&mut self.filter)
                            .hint_text(tr!("tags-filter-hint"))
                            .desired_width(220.0)
                            .id(egui::Id::unique("tag-filter")),
                    );
                    if self.focus_filter {
                        filter.request_focus();
                        self.focus_filter = false;
                    }
                    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
                    if (filter.has_focus() || filter.lost_focus()) && escape {
                        self.filter.clear();
                    }
                    let count = if self.filter.is_empty() {
                        tr!("tags-count", count = total)
                    } else {
                        tr!(
                            "tags-count-filtered",
                            shown = self.filtered.len(),
                            count = total
                        )
                    };
                    ui.label(RichText::new(count).color(ui.visuals().weak_text_color()));
                });
            });
        });
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
        let mut builder = TableBuilder::new(ui)
            .id_salt(("tags", &self.repo))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(
                Column::initial(220.0)
                    .at_least(120.0)
                    .clip(true)
                    .resizable(true),
            )
            .column(Column::initial(150.0).at_least(110.0).clip(true))
            .column(Column::initial(170.0).at_least(90.0).clip(true))
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::remainder().at_least(80.0).clip(true))
            .auto_shrink([false, false]);
        if self.scroll_to_cursor {
            self.scroll_to_cursor = false;
            if let Some(c) = self.cursor {
                builder = builder.scroll_to_row(c, None);
            }
        }
        let mut visible_min = usize::MAX;
        let mut visible_max = 0;
        builder
            .header(22.0, |header| self.header(header))
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
                    let head = self.heads.get(&tag);
                    let digest = match head {
                        Some(Cell::Known(h)) => Some(h.digest.clone()),
                        _ => None,
                    };
                    row.col(|ui| {
                        ui.add(egui::Label::new(tag.as_str()).truncate());
                    });
                    row.col(|ui| self.digest_cell(ui, head, weak));
                    row.col(|ui| {
                        let detail = digest.as_ref().and_then(|d| self.details.get(d));
                        kind_cell(ui, detail, head, weak);
                    });
                    row.col(
                        |ui| match digest.as_ref().and_then(|d| self.details.get(d)) {
                            Some(Cell::Known(Summary { size: Some(s), .. })) => {
                                widgets::size_label(ui, *s);
                            }
                            _ => {
                                ui.label(RichText::new("—").color(weak));
                            }
                        },
                    );
                    row.col(
                        |ui| match digest.as_ref().and_then(|d| self.details.get(d)) {
                            Some(Cell::Known(Summary {
                                created: Some(c), ..
                            })) => {
                                let (age, exact) = dates::describe(c);
                                ui.label(age).on_hover_text(exact);
                            }
                            _ => {
                                ui.label(RichText::new("—").color(weak));
                            }
                        },
                    );
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
                    response.context_menu(|ui| super::marks::row_menu(ui, &tag, &mut action));
                });
            });
        if visible_min <= visible_max && self.visible != (visible_min..visible_max) {
            self.visible = visible_min..visible_max;
            self.visible_since = ui.input(|i| i.time);
        }
        action
    }

    fn header(&mut self, mut header: egui_extras::TableRow<'_, '_>) {
        header.col(|ui| {
            let arrow = if self.descending { " ⏶" } else { " ⏷" };
            let text = format!("{}{arrow}", tr!("tags-col-tag"));
            if ui
                .add(egui::Button::new(RichText::new(text).strong()).frame(false))
                .on_hover_text(tr!("tags-sort-tooltip"))
                .clicked()
            {
                self.descending = !self.descending;
                self.filtered_for = None;
            }
        });
        for key in [
            crate::msg!("tags-col-digest"),
            crate::msg!("tags-col-kind"),
            crate::msg!("tags-col-size"),
            crate::msg!("tags-col-created"),
        ] {
            header.col(|ui| {
                ui.label(RichText::new(tr!(key)).strong());
            });
        }
    }

    fn digest_cell(&self, ui: &mut Ui, head: Option<&Cell<ManifestHead>>, weak: egui::Color32) {
        match head {
            Some(Cell::Known(h)) => {
                ui.label(RichText::new(h.digest.short()).monospace())
                    .on_hover_text(h.digest.as_str());
                let shared = self.sharing.get(&h.digest).map_or(0, Vec::len);
                if shared > 1 {
                    let others = self.sharing[&h.digest].join(", ");
                    ui.label(
                        RichText::new(format!("⇄{shared}"))
                            .small()
                            .color(theme::tone(ui, theme::Tone::Accent)),
                    )
                    .on_hover_text(tr!("tags-shared-tooltip", tags = others));
                }
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
