//! The repositories of one registry: a virtualised list that fills page by page while the
//! catalog streams in, filtered as you type with the matches highlighted, optionally grouped
//! as a tree by path segment, with pinned and recent repositories on top and an "Open
//! repository…" field for registries that do not list their catalog. A new filter text over
//! a long catalog is applied off the UI thread, the rows on screen staying until then
//! (`kit::row_filter`); pages that arrive are filtered as they come.

use crate::registry::{Error, RegistryClient};
use crate::tr;
use crate::ui::browse::repos::tree::{self, TreeRow};
use crate::ui::kit::row_filter::{self, FilterJob};
use crate::ui::kit::{requested::spawn_cancellable, widgets};
use crate::ui::{Bg, shell::theme};
use egui::{RichText, TextStyle, Ui};
use futures_util::StreamExt as _;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::DropGuard;

pub(in crate::ui) const ROW_HEIGHT: f32 = 24.0;

enum CatalogEvent {
    Page(Vec<String>),
    Done,
    Failed(Error),
}

/// What the list asks the app to do.
pub enum RepoAction {
    Open(String),
    TogglePin(String),
    Reload,
}

// Plain view flags (loading, unsupported, tree mode, pending scroll and focus requests).
#[allow(clippy::struct_excessive_bools)]
#[derive(Default)]
pub struct RepoList {
    /// Shared with a filter running off the UI thread; a page appends in place unless that
    /// filter still holds the list.
    pub repos: Arc<Vec<String>>,
    /// Counts fresh loads, so a filter knows which list it indexes.
    generation: u64,
    /// For the filter off the UI thread; set by `load`.
    bg: Option<Bg>,
    pub loading: bool,
    pub error: Option<Error>,
    /// The registry has no `_catalog`: only "Open repository…" works.
    pub unsupported: bool,
    rx: Option<mpsc::Receiver<CatalogEvent>>,
    /// Stops the catalog task when dropped: a reload, or the list closing with its registry
    /// (ARCHITECTURE.md, "Cancelling").
    task: Option<DropGuard>,
    pub filter: String,
    /// Indices into `repos` that pass the filter, kept up to date incrementally.
    filtered: Vec<usize>,
    filtered_upto: usize,
    filtered_for: String,
    /// The filter of a long catalog, running off the UI thread.
    filtering: FilterJob,
    pub tree: bool,
    expanded: HashSet<String>,
    tree_rows: Option<Vec<TreeRow>>,
    /// The repository whose tags are open.
    pub selected: Option<String>,
    /// The keyboard cursor: a row index in the list as shown.
    cursor: Option<usize>,
    scroll_to_cursor: bool,
    /// Rows on screen at the last frame (Page Down moves by one less).
    shown_rows: usize,
    pub focus_filter: bool,
    open_field: String,
    /// The recent repositories as drawn. Opening a repository makes it the most recent, which
    /// would add or move a row above the list under the pointer that just clicked; so the
    /// drawn list catches up only while the pointer is away from this panel.
    recent_shown: Option<Vec<String>>,
}

impl RepoList {
    /// (Re)loads the catalog; what is listed stays until the first new page arrives.
    pub fn load(&mut self, bg: &Bg, client: Arc<RegistryClient>) {
        // Dropping the previous guard stops the previous load.
        self.task = None;
        let (tx, rx) = mpsc::channel(4);
        let repaint = Arc::clone(&bg.repaint);
        let pages = async move {
            let mut pages = std::pin::pin!(client.catalog());
            let mut first = true;
            loop {
                let event = match pages.next().await {
                    Some(Ok(page)) => CatalogEvent::Page(page),
                    Some(Err(e)) => CatalogEvent::Failed(e),
                    None => CatalogEvent::Done,
                };
                let last = !matches!(event, CatalogEvent::Page(_));
                // The first page replaces what was shown; later ones append.
                let event = match (first, event) {
                    (true, CatalogEvent::Page(p)) => {
                        first = false;
                        CatalogEvent::Page(std::iter::once(String::new()).chain(p).collect())
                    }
                    (_, e) => e,
                };
                if tx.send(event).await.is_err() {
                    return;
                }
                repaint();
                if last {
                    return;
                }
            }
        };
        self.task = Some(spawn_cancellable(&bg.rt, pages));
        self.bg = Some(bg.clone());
        self.rx = Some(rx);
        self.loading = true;
        self.error = None;
    }

    /// Drains catalog pages that arrived; never blocks.
    pub fn poll(&mut self) {
        let Some(mut rx) = self.rx.take() else { return };
        while let Ok(event) = rx.try_recv() {
            match event {
                CatalogEvent::Page(mut page) => {
                    // A leading empty marker means "first page of a fresh load".
                    if page.first().is_some_and(String::is_empty) {
                        page.remove(0);
                        self.repos = Arc::default();
                        self.generation += 1;
                        self.filtering.stop();
                        self.reset_filter_cache();
                    }
                    Arc::make_mut(&mut self.repos).extend(page);
                    self.tree_rows = None;
                }
                CatalogEvent::Done => {
                    self.loading = false;
                    self.unsupported = false;
                }
                CatalogEvent::Failed(e) => {
                    self.loading = false;
                    self.unsupported = matches!(e, Error::CatalogUnsupported { .. });
                    self.error = (!self.unsupported).then_some(e);
                }
            }
        }
        if self.loading {
            self.rx = Some(rx);
        } else {
            self.task = None;
        }
    }

    fn reset_filter_cache(&mut self) {
        self.filtered.clear();
        self.filtered_upto = 0;
        self.tree_rows = None;
        self.cursor = None;
    }

    /// Brings the filtered index list up to date with the filter text and new pages. A new
    /// text over a long catalog is filtered off the UI thread; until it is done the rows
    /// shown stay, and pages keep being filtered by the text they are for.
    fn refresh_filter(&mut self) {
        if self.filtered_for != self.filter {
            if let Some(done) = self.filtering.take_done(&self.filter, self.generation) {
                self.filtered_for.clone_from(&self.filter);
                self.reset_filter_cache();
                self.filtered = done.rows;
                self.filtered_upto = done.upto;
            } else if self.filter.is_empty() || self.repos.len() < row_filter::OFF_THREAD_FROM {
                self.filtering.stop();
                self.filtered_for.clone_from(&self.filter);
                self.reset_filter_cache();
            } else if let Some(bg) = &self.bg {
                self.filtering
                    .want(bg, &self.repos, &self.filter, self.generation);
            } else {
                self.filtered_for.clone_from(&self.filter);
                self.reset_filter_cache();
            }
        }
        if self.filtered_upto < self.repos.len() {
            let needle = self.filtered_for.to_lowercase();
            for (i, repo) in self.repos.iter().enumerate().skip(self.filtered_upto) {
                if row_filter::matches(repo, &needle) {
                    self.filtered.push(i);
                }
            }
            self.filtered_upto = self.repos.len();
            self.tree_rows = None;
        }
    }

    /// The number of rows as shown (flat or tree).
    fn row_count(&mut self) -> usize {
        self.refresh_filter();
        if self.tree {
            self.tree_rows().len()
        } else {
            self.filtered.len()
        }
    }

    fn tree_rows(&mut self) -> &[TreeRow] {
        if self.tree_rows.is_none() {
            let names = self.filtered.iter().map(|&i| self.repos[i].as_str());
            let expand_all = !self.filtered_for.is_empty();
            self.tree_rows = Some(tree::rows(names, &self.expanded, expand_all));
        }
        self.tree_rows.as_deref().unwrap_or_default()
    }

    /// Moves the keyboard cursor by `delta` rows.
    pub fn move_cursor(&mut self, delta: isize) {
        let n = self.row_count();
        if n == 0 {
            return;
        }
        let at = match self.cursor {
            Some(c) => c.saturating_add_signed(delta),
            None if delta.abs() > 1 => 0usize.saturating_add_signed(delta),
            None => 0,
        }
        .min(n - 1);
        self.cursor = Some(at);
        self.scroll_to_cursor = true;
    }

    /// How many rows Page Down moves: a screenful less one, so one row stays in view.
    #[must_use]
    pub fn page_rows(&self) -> isize {
        isize::try_from(self.shown_rows.saturating_sub(1).max(1)).unwrap_or(1)
    }

    /// Enter on the cursor row: opens a repository, or folds a tree group.
    pub fn activate_cursor(&mut self) -> Option<RepoAction> {
        let cursor = self.cursor?;
        if self.tree {
            let row = self.tree_rows().get(cursor)?.clone();
            if let Some(repo) = row.repo {
                return Some(RepoAction::Open(repo));
            }
            self.toggle_group(&row.path);
            None
        } else {
            let i = *self.filtered.get(cursor)?;
            Some(RepoAction::Open(self.repos[i].clone()))
        }
    }

    fn toggle_group(&mut self, path: &str) {
        if !self.expanded.remove(path) {
            self.expanded.insert(path.to_owned());
        }
        self.tree_rows = None;
    }

    /// The count line: "1,234 repositories, loading…".
    fn count_text(&mut self) -> String {
        let total = self.repos.len();
        let shown = self.row_count_flat();
        let base = if self.filtered_for.is_empty() {
            tr!("repos-count", count = total)
        } else {
            tr!("repos-count-filtered", shown = shown, count = total)
        };
        if self.loading {
            tr!("repos-count-loading", counted = base)
        } else {
            base
        }
    }

    fn row_count_flat(&mut self) -> usize {
        self.refresh_filter();
        self.filtered.len()
    }

    /// Draws the panel. `pinned` and `recent` are this registry's lists.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        pinned: &[String],
        recent: &[String],
    ) -> Option<RepoAction> {
        let mut action = None;
        self.refresh_filter();
        theme::header_frame(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(tr!("repos-title")).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let label = tr!("repos-tree");
                    let toggle = egui::Button::selectable(self.tree, label)
                        .small()
                        .frame_when_inactive(true);
                    if ui
                        .add(toggle)
                        .on_hover_text(tr!("repos-tree-tooltip"))
                        .clicked()
                    {
                        self.tree = !self.tree;
                        self.tree_rows = None;
                        self.cursor = None;
                    }
                });
            });
            if !self.unsupported {
                let count = self.count_text();
                ui.label(
                    RichText::new(count)
                        .small()
                        .color(ui.visuals().weak_text_color()),
                );
            }
        });
        ui.add_space(4.0);
        if !self.unsupported {
            widgets::filter_field(
                ui,
                &mut self.filter,
                &tr!("repos-filter-hint"),
                f32::INFINITY,
                egui::Id::unique("repo-filter"),
                &mut self.focus_filter,
            );
            self.refresh_filter();
        }
        ui.add_space(4.0);
        if let Some(e) = &self.error
            && let Some(widgets::ErrorAction::Retry) = widgets::error_box(ui, e)
        {
            action = Some(RepoAction::Reload);
        }
        let pointer_here = ui
            .ctx()
            .pointer_latest_pos()
            .is_some_and(|p| ui.max_rect().contains(p));
        if !pointer_here || self.recent_shown.is_none() {
            self.recent_shown = Some(recent.to_vec());
        }
        let recent = self.recent_shown.as_deref().unwrap_or_default();
        if self.filter.is_empty() && (!pinned.is_empty() || !recent.is_empty()) {
            action = action.or(crate::ui::browse::repos::shortcuts::show(
                ui, pinned, recent,
            ));
        }
        let open_height = 64.0;
        if self.unsupported {
            ui.add_space(6.0);
            ui.label(RichText::new(tr!("repos-unsupported")).color(ui.visuals().weak_text_color()));
        } else {
            let list_height = (ui.available_height() - open_height).max(ROW_HEIGHT * 3.0);
            ui.allocate_ui(egui::vec2(ui.available_width(), list_height), |ui| {
                action = action.take().or(self.list(ui, pinned));
            });
        }
        ui.separator();
        action.or_else(|| super::open_field::show(ui, &mut self.open_field))
    }

    fn list(&mut self, ui: &mut Ui, pinned: &[String]) -> Option<RepoAction> {
        let mut action = None;
        let n = self.row_count();
        if n == 0 {
            if self.loading {
                widgets::busy(ui, &tr!("repos-loading"));
            } else if self.error.is_none() {
                let text = if self.filtered_for.is_empty() {
                    tr!("repos-none")
                } else {
                    tr!("repos-no-match")
                };
                ui.label(RichText::new(text).color(ui.visuals().weak_text_color()));
            }
            return None;
        }
        ui.spacing_mut().item_spacing.y = 0.0;
        let mut area = egui::ScrollArea::vertical()
            .id_salt("repo-list")
            .auto_shrink([false, false]);
        if self.scroll_to_cursor {
            self.scroll_to_cursor = false;
            if let Some(c) = self.cursor {
                let top = c as f32 * ROW_HEIGHT - ui.available_height() / 2.0;
                area = area.vertical_scroll_offset(top.max(0.0));
            }
        }
        area.show_rows(ui, ROW_HEIGHT, n, |ui, range| {
            self.shown_rows = range.len();
            for row in range {
                if let Some(a) = self.row(ui, row, pinned) {
                    action = Some(a);
                }
            }
        });
        action
    }

    fn row(&mut self, ui: &mut Ui, row: usize, pinned: &[String]) -> Option<RepoAction> {
        let cursor = self.cursor == Some(row);
        let (label, display, depth, group, count) = if self.tree {
            let r = self.tree_rows().get(row)?.clone();
            let display = r.segment.clone();
            if let Some(repo) = r.repo {
                (repo, display, r.depth, None, 0)
            } else {
                let open = self.expanded.contains(&r.path) || !self.filtered_for.is_empty();
                (r.path.clone(), display, r.depth, Some(open), r.count)
            }
        } else {
            let repo = self.repos[*self.filtered.get(row)?].clone();
            (repo.clone(), repo, 0, None, 0)
        };
        let selected = group.is_none() && self.selected.as_deref() == Some(label.as_str());
        // A name's control characters are shown escaped, so the row stays one line.
        let display = crate::format::escape(&display).into_owned();
        let matches = widgets::find_matches(&display, &self.filter).unwrap_or_default();
        let response = widgets::list_row(ui, selected, ROW_HEIGHT, &label, |ui, rect| {
            let color = widgets::row_text_color(ui, selected);
            let mut inner = rect.shrink2(egui::vec2(8.0, 0.0));
            inner.min.x += depth as f32 * 14.0;
            if let Some(open) = group {
                let arrow = if open { "⏷" } else { "⏵" };
                let job = widgets::line_job(ui, arrow, &TextStyle::Small, color, 14.0);
                widgets::paint_line(ui, inner, job);
                inner.min.x += 14.0;
            }
            let font = TextStyle::Body.resolve(ui.style());
            let mut job = widgets::highlighted(ui, &display, &matches, color, font);
            if group.is_some() {
                job.append(
                    "/",
                    0.0,
                    egui::TextFormat::simple(
                        TextStyle::Body.resolve(ui.style()),
                        ui.visuals().weak_text_color(),
                    ),
                );
                // The group's size, right-aligned and quiet.
                let n = crate::i18n::group_thousands(i64::try_from(count).unwrap_or(i64::MAX));
                let galley = ui.painter().layout_no_wrap(
                    n,
                    TextStyle::Small.resolve(ui.style()),
                    ui.visuals().weak_text_color(),
                );
                let pos = egui::pos2(
                    inner.right() - galley.size().x,
                    inner.center().y - galley.size().y / 2.0,
                );
                inner.max.x -= galley.size().x + 8.0;
                ui.painter()
                    .galley(pos, galley, ui.visuals().weak_text_color());
            }
            job.wrap.max_width = inner.width();
            widgets::paint_line(ui, inner, job);
            if cursor {
                let stroke = egui::Stroke::new(1.0, ui.visuals().selection.stroke.color);
                ui.painter()
                    .rect_stroke(rect.shrink(1.0), 4.0, stroke, egui::StrokeKind::Inside);
            }
        });
        if response.clicked() {
            self.cursor = Some(row);
            if group.is_some() {
                self.toggle_group(&label);
                return None;
            }
            return Some(RepoAction::Open(label));
        }
        let mut action = None;
        if group.is_none() {
            let pin_text = if pinned.contains(&label) {
                tr!("repos-unpin")
            } else {
                tr!("repos-pin")
            };
            response.context_menu(|ui| {
                if ui.button(pin_text).clicked() {
                    action = Some(RepoAction::TogglePin(label.clone()));
                    ui.close();
                }
                if ui.button(tr!("action-copy-name")).clicked() {
                    ui.ctx().copy_text(label.clone());
                    ui.close();
                }
            });
        }
        action
    }
}
