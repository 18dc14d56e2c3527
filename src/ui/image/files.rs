//! The Files tab: every file in every layer, read straight from the blobs (registry or
//! layout), never extracted. Layers load in the background with per-layer progress; the tree
//! for "merged up to layer N" or "layer N only", narrowed by the path filter, is built on a
//! blocking thread, and the UI thread only flattens the open rows when something changes.

pub(super) mod save;
pub(super) mod save_job;
mod toolbar;
mod viewer;
mod viewer_hex;
mod viewer_image;
mod viewer_panel;
mod viewer_text;

use super::files_layers::{self, LayerRow, SideAction};
use super::files_tree::{Highlight, TreeRows};
use super::layer_reads;
use crate::layers::{
    self, BlobSource, Efficiency, FileTree, LayerListing, LayerProgress, LayerState, PathFilter,
};
use crate::oci::Digest;
use crate::oci::image::{ImageDetail, ImageInfo};
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::{Bg, kit::widgets, shell::theme};
use egui::{RichText, Ui};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// How far one layer is, written by the loader's threads and read each frame.
#[derive(Default)]
pub struct Meter {
    bytes: AtomicU64,
    state: AtomicU8,
}

/// A layer's progress as the UI sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    Waiting,
    Reading(u64),
    Cached,
    Done,
    Failed,
}

impl Meter {
    fn set(&self, p: &LayerProgress) {
        self.bytes.store(p.bytes_read, Ordering::Relaxed);
        let code = match p.state {
            LayerState::Reading => 1,
            LayerState::Cached => 2,
            LayerState::Done => 3,
            LayerState::Failed => 4,
        };
        self.state.store(code, Ordering::Relaxed);
    }

    pub fn get(&self) -> Progress {
        match self.state.load(Ordering::Relaxed) {
            1 => Progress::Reading(self.bytes.load(Ordering::Relaxed)),
            2 => Progress::Cached,
            3 => Progress::Done,
            4 => Progress::Failed,
            _ => Progress::Waiting,
        }
    }
}

/// Every layer read, and what the whole image's merge found.
pub struct Loaded {
    pub listings: Vec<LayerListing>,
    /// Per layer: why its read stopped early (its listing holds what came before).
    pub errors: Vec<Option<layers::Error>>,
    /// Per layer: its seek index (a gzip layer read with the cache), for the viewer's reads.
    pub indexes: Vec<Option<layers::seek_index::SeekIndex>>,
    pub efficiency: Efficiency,
    /// Merged over every layer: the first view, so it is not built twice.
    merged: Arc<FileTree>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Merged,
    LayerOnly,
}

/// What a built tree shows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ViewKey {
    layer: usize,
    mode: Mode,
    filter: String,
}

/// A built tree: the layer/mode tree, and its filtered copy when a filter is set.
struct Shown {
    key: ViewKey,
    base: Arc<FileTree>,
    filtered: Option<FileTree>,
    /// The filter is a substring (marked in names), not a glob.
    substring: bool,
}

impl Shown {
    fn tree(&self) -> &FileTree {
        self.filtered.as_ref().unwrap_or(&self.base)
    }
}

pub struct FilesView {
    source: BlobSource,
    image: Option<Digest>,
    layer_rows: Vec<LayerRow>,
    meters: Arc<Vec<Meter>>,
    /// Replacing or dropping it stops the read (a new image, or the view closed).
    load: Requested<Arc<Loaded>, String>,
    layer: usize,
    mode: Mode,
    filter: String,
    filter_error: Option<String>,
    view: Requested<Arc<Shown>, String>,
    wanted: Option<ViewKey>,
    rows: TreeRows,
    /// The Save… dialog, and what it asked for until the app takes it (`save`).
    save: Option<save::SaveDialog>,
    save_request: Option<save::SaveRequest>,
    /// The selected file's contents, and the selection it was opened for.
    viewer: viewer::FileViewer,
    viewing: Option<(Vec<u8>, usize, Mode)>,
}

impl FilesView {
    /// Nothing is read until the tab is first shown.
    pub fn new(source: BlobSource) -> Self {
        Self {
            source,
            image: None,
            layer_rows: Vec::new(),
            meters: Arc::new(Vec::new()),
            load: Requested::Idle,
            layer: 0,
            mode: Mode::Merged,
            filter: String::new(),
            filter_error: None,
            view: Requested::Idle,
            wanted: None,
            rows: TreeRows::default(),
            save: None,
            save_request: None,
            viewer: viewer::FileViewer::default(),
            viewing: None,
        }
    }

    pub fn poll(&mut self) {
        self.load.poll();
        self.viewer.poll();
        if self.view.poll()
            && let Some(shown) = self.view.value()
        {
            let open_all = shown.filtered.is_some() || shown.key.mode == Mode::LayerOnly;
            self.rows.set_tree(open_all);
        }
    }

    /// Starts reading `image`'s layers (the previous image's read is stopped).
    fn start(&mut self, bg: &Bg, image: &ImageInfo) {
        self.image = Some(image.digest.clone());
        self.layer_rows = files_layers::layer_rows(image);
        self.meters = Arc::new(image.layers.iter().map(|_| Meter::default()).collect());
        self.layer = image.layers.len().saturating_sub(1);
        self.mode = Mode::Merged;
        self.view = Requested::Idle;
        self.wanted = None;
        self.rows = TreeRows::default();
        // A dialog or an answer for the previous image's files goes with it.
        (self.save, self.save_request) = (None, None);
        (self.viewer, self.viewing) = (viewer::FileViewer::default(), None);
        let meters = Arc::clone(&self.meters);
        let repaint = Arc::clone(&bg.repaint);
        let progress: layers::ProgressFn = Arc::new(move |p: LayerProgress| {
            if let Some(m) = meters.get(p.layer) {
                m.set(&p);
            }
            repaint();
        });
        let (source, infos) = (self.source.clone(), image.layers.clone());
        let cache = bg.layer_cache.clone();
        self.load.request(&bg.rt, &bg.repaint, async move {
            Ok(summarize(
                layer_reads::load(source, infos, cache, progress).await,
            ))
        });
    }

    /// Asks for the tree the controls describe, unless it is the one shown or coming.
    fn ensure_view(&mut self, bg: &Bg, loaded: &Arc<Loaded>) {
        let filter = self.filter.trim().to_owned();
        let parsed = if filter.is_empty() {
            None
        } else {
            match PathFilter::parse(&filter) {
                Ok(f) => Some(f),
                Err(e) => {
                    self.filter_error = Some(tr!("files-filter-invalid", reason = e.reason));
                    return;
                }
            }
        };
        self.filter_error = None;
        let key = ViewKey {
            layer: self.layer.min(loaded.listings.len().saturating_sub(1)),
            mode: self.mode,
            filter,
        };
        if self.wanted.as_ref() == Some(&key) {
            return;
        }
        // While typing, a filter still being applied to this tree is let finish; the
        // latest text is asked for when it arrives (so keystrokes do not pile up work).
        if self.view.is_pending()
            && self
                .wanted
                .as_ref()
                .is_some_and(|w| w.layer == key.layer && w.mode == key.mode)
        {
            return;
        }
        let base = self
            .view
            .value()
            .filter(|s| s.key.layer == key.layer && s.key.mode == key.mode)
            .map(|s| Arc::clone(&s.base));
        self.wanted = Some(key.clone());
        let loaded = Arc::clone(loaded);
        let job = bg
            .rt
            .spawn_blocking(move || Arc::new(build(&loaded, key, base, parsed.as_ref())));
        self.view.request(&bg.rt, &bg.repaint, async move {
            job.await.map_err(|e| e.to_string())
        });
    }

    pub fn show(&mut self, ui: &mut Ui, bg: &Bg, detail: &ImageDetail) {
        let Some(image) = &detail.image else {
            super::no_image(ui, detail);
            return;
        };
        if image.is_artifact() {
            widgets::empty_state(
                ui,
                &tr!("files-artifact-title"),
                &tr!("files-artifact-body"),
            );
            return;
        }
        if image.layers.is_empty() {
            widgets::empty_state(ui, &tr!("layers-none-title"), &tr!("layers-none-body"));
            return;
        }
        if self.image.as_ref() != Some(&image.digest) {
            self.start(bg, image);
        }
        let loaded = self.load.value().cloned();
        if let Some(loaded) = &loaded {
            self.ensure_view(bg, loaded);
        }
        // The layers panel takes at most half of the tab, so the tree keeps room for its
        // columns.
        let width = ui.available_width();
        let side = egui::Panel::left("files-layers")
            .resizable(true)
            .default_size((width * 0.42).clamp(150.0, 330.0))
            .size_range(150.0..=(width * 0.5).clamp(150.0, 560.0))
            .frame(egui::Frame::new().inner_margin(egui::Margin {
                right: 10,
                ..Default::default()
            }))
            .show(ui, |ui| {
                files_layers::show(
                    ui,
                    image,
                    &self.layer_rows,
                    &self.meters,
                    loaded.as_deref(),
                    self.layer,
                )
            })
            .inner;
        match side {
            Some(SideAction::Layer(i)) => self.layer = i,
            Some(SideAction::Filter(path)) => {
                self.filter = path;
                self.mode = Mode::Merged;
            }
            None => {}
        }
        ui.add_space(2.0);
        self.toolbar(ui, bg);
        if let Some(e) = &self.filter_error {
            ui.label(
                RichText::new(e)
                    .small()
                    .color(theme::tone(ui, theme::Tone::Error)),
            );
        }
        self.tree_area(ui, bg, image, loaded.as_deref());
        self.save_dialog(ui.ctx(), bg);
    }

    fn tree_area(&mut self, ui: &mut Ui, bg: &Bg, image: &ImageInfo, loaded: Option<&Loaded>) {
        if let Some(e) = self.load.error() {
            ui.label(
                RichText::new(tr!("files-failed", reason = e.as_str()))
                    .color(theme::tone(ui, theme::Tone::Error)),
            );
            return;
        }
        let Some(loaded) = loaded else {
            let total: u64 = image.layers.iter().map(|l| l.size).sum();
            let read: u64 = image
                .layers
                .iter()
                .zip(self.meters.iter())
                .map(|(l, m)| match m.get() {
                    Progress::Reading(b) => b.min(l.size),
                    Progress::Done | Progress::Cached | Progress::Failed => l.size,
                    Progress::Waiting => 0,
                })
                .sum();
            ui.add_space(12.0);
            widgets::busy(
                ui,
                &tr!(
                    "files-loading",
                    count = image.layers.len(),
                    read = crate::format::size(read),
                    total = crate::format::size(total)
                ),
            );
            return;
        };
        let damaged = loaded.errors.iter().filter(|e| e.is_some()).count();
        if damaged > 0 {
            ui.label(
                RichText::new(tr!("files-damaged", count = damaged))
                    .small()
                    .color(theme::tone(ui, theme::Tone::Warn)),
            );
        }
        let Some(shown) = self.view.value().cloned() else {
            ui.add_space(12.0);
            widgets::busy(ui, &tr!("files-building"));
            return;
        };
        let tree = shown.tree();
        if self.viewer_panel(ui, bg, image, &shown) {
            return;
        }
        let tall = ui.available_height() > 320.0; // Else details leave the tree no room.
        egui::Panel::bottom("files-footer")
            .resizable(false)
            .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(0, 4)))
            .show(ui, |ui| {
                if let Some(id) = self.rows.selected().filter(|_| tall) {
                    super::files_layers::details(ui, tree, id, &self.layer_rows);
                }
                ui.separator();
                // The count and the legend share a line when there is room for both.
                let narrow = ui.available_width() < 420.0;
                ui.horizontal(|ui| {
                    let root = tree.node(FileTree::ROOT);
                    ui.label(
                        RichText::new(tr!(
                            "files-view-count",
                            files = root.files,
                            size = crate::format::size(root.total_size)
                        ))
                        .small()
                        .color(ui.visuals().weak_text_color()),
                    )
                    .on_hover_text(tr!("size-def-files"));
                    if !narrow {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            super::files_tree::legend_rtl(ui);
                        });
                    }
                });
                if narrow {
                    ui.horizontal(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            super::files_tree::legend_rtl(ui);
                        });
                    });
                }
            });
        let needle = shown.substring.then_some(shown.key.filter.as_str());
        if self.view.is_pending() {
            ui.multiply_opacity(0.6);
        }
        if tree.is_empty() {
            ui.add_space(12.0);
            let text = if shown.key.filter.is_empty() {
                tr!("files-view-empty")
            } else {
                tr!("files-no-match", filter = shown.key.filter.as_str())
            };
            ui.label(RichText::new(text).color(ui.visuals().weak_text_color()));
            return;
        }
        let layer = u32::try_from(shown.key.layer).unwrap_or(u32::MAX);
        self.tree_rows(ui, bg, tree, Highlight { layer, needle });
    }
}

/// Lists, errors and the whole image's merge, from what the loader read.
fn summarize(reads: Vec<layers::LayerRead>) -> Arc<Loaded> {
    let mut listings = Vec::with_capacity(reads.len());
    let mut errors = Vec::with_capacity(reads.len());
    let mut indexes = Vec::with_capacity(reads.len());
    for read in reads {
        listings.push(read.listing);
        errors.push(read.error);
        indexes.push(read.index);
    }
    let merged = layers::merge(&listings);
    Arc::new(Loaded {
        listings,
        errors,
        indexes,
        efficiency: merged.efficiency,
        merged: Arc::new(merged.tree),
    })
}

/// Builds the tree for `key`, reusing `base` when only the filter changed.
fn build(
    loaded: &Loaded,
    key: ViewKey,
    base: Option<Arc<FileTree>>,
    filter: Option<&PathFilter>,
) -> Shown {
    let last = loaded.listings.len().saturating_sub(1);
    let base = base.unwrap_or_else(|| match key.mode {
        Mode::Merged if key.layer >= last => Arc::clone(&loaded.merged),
        Mode::Merged => Arc::new(layers::merge(&loaded.listings[..=key.layer]).tree),
        Mode::LayerOnly => Arc::new(layers::layer_changes(&loaded.listings, key.layer)),
    });
    let filtered = filter.map(|f| base.filter_paths(f));
    Shown {
        key,
        base,
        filtered,
        substring: matches!(filter, Some(PathFilter::Substring(_))),
    }
}
