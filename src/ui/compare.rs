//! The Compare window: pick two images (a registry the app knows, and `repository:tag` or
//! `repository@digest`, with the repository's tags one click away), then read both images'
//! layers in the background and show how they differ (see `compare_view`).

use super::app::BerthApp;
use super::compare_view::DiffView;
use super::{Bg, image::layer_reads, kit::widgets, shell::theme};
use crate::layers::{self, BlobSource, ImageDiff, LayerProgress, LayerRead};
use crate::oci::image::ImageInfo;
use crate::oci::{ImageRef, Platform};
use crate::registry::RegistryClient;
use crate::settings::Settings;
use crate::store::{self, StoreLocation};
use crate::tr;
use crate::ui::kit::requested::{Requested, Vanished};
use crate::ui::shell::sidebar::Source;
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a comparison could not run.
#[derive(Debug)]
pub enum CompareError {
    /// A side names no image (`repository:tag` was expected).
    BadReference(String),
    /// The registry of a side is not connected.
    NotConnected(String),
    Registry(crate::registry::Error),
    /// A local store could not be opened or read.
    Local(crate::store::Error),
    /// An engine image (`docker:`, `podman:`): its layers cannot be read without an export.
    EngineImage(String),
    /// The reference is an index without an image for this machine's platform.
    NoImage(String),
    Stopped,
}

impl Vanished for CompareError {
    fn vanished() -> Self {
        Self::Stopped
    }
}

impl CompareError {
    fn describe(&self) -> String {
        match self {
            Self::BadReference(r) => tr!("compare-bad-reference", reference = r.as_str()),
            Self::NotConnected(r) => tr!("compare-not-connected", registry = r.as_str()),
            Self::Registry(e) => crate::i18n::describe_error(e),
            Self::Local(e) => crate::ui::kit::store_errors::describe(e),
            Self::EngineImage(r) => tr!("compare-engine-image", reference = r.as_str()),
            Self::NoImage(r) => tr!("compare-no-image", reference = r.as_str()),
            Self::Stopped => tr!("error-cancelled"),
        }
    }
}

/// Two images compared.
pub struct Compared {
    pub name_a: String,
    pub name_b: String,
    pub diff: ImageDiff,
    /// Layers that could not be read to their end: (image name, layer index, error).
    pub damaged: Vec<(String, usize, layers::Error)>,
}

/// One side of the comparison as picked.
struct Side {
    source: usize,
    reference: String,
    tags: Requested<Vec<String>>,
    tags_for: Option<(usize, String)>,
}

impl Side {
    fn repository(&self) -> &str {
        split_reference(&self.reference).0
    }
}

/// `repo:tag`, `repo@digest` or `repo` (then `latest`).
fn split_reference(reference: &str) -> (&str, &str) {
    let r = reference.trim();
    if let Some((repo, digest)) = r.split_once('@') {
        return (repo, digest);
    }
    match r.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (r, "latest"),
    }
}

pub struct CompareView {
    sides: [Side; 2],
    /// Pick B as the tag after A's once the tags are known.
    guess_b: bool,
    run: Requested<Arc<Compared>, CompareError>,
    /// Blob bytes read so far and in all, over both images.
    read: Arc<(AtomicU64, AtomicU64)>,
    /// Dropping it stops the comparison (a new one, or the window closed).
    stop: Option<layer_reads::Stop>,
    view: DiffView,
}

impl CompareView {
    pub fn poll(&mut self) {
        for side in &mut self.sides {
            side.tags.poll();
        }
        if self.run.poll() {
            self.view = DiffView::default();
        }
        if self.guess_b
            && let Some(tags) = self.sides[1].tags.value()
        {
            self.guess_b = false;
            let (repo, tag) = split_reference(&self.sides[0].reference);
            let mut sorted = tags.clone();
            crate::natural_sort::sort(&mut sorted);
            let at = sorted.iter().position(|t| t == tag);
            let next = at.and_then(|i| {
                sorted
                    .get(i + 1)
                    .or_else(|| i.checked_sub(1).and_then(|j| sorted.get(j)))
            });
            if let Some(next) = next {
                self.sides[1].reference = format!("{repo}:{next}");
            }
        }
    }

    /// Asks for a side's tags when its repository changed (not while it is being typed).
    fn want_tags(&mut self, bg: &Bg, sources: &[Source], i: usize, typing: bool) {
        let side = &mut self.sides[i];
        let key = (side.source, side.repository().to_owned());
        if typing || key.1.is_empty() || side.tags_for.as_ref() == Some(&key) {
            return;
        }
        let Some(client) = sources.get(side.source).and_then(Source::client) else {
            return;
        };
        let repo = key.1.clone();
        side.tags_for = Some(key);
        side.tags = Requested::Idle;
        side.tags.request(&bg.rt, &bg.repaint, async move {
            client.tags(&repo.parse()?).await
        });
    }

    fn start(&mut self, bg: &Bg, sources: &[Source], settings: &Settings) {
        let mut targets = Vec::new();
        for side in &self.sides {
            // `berth:NAME` or `oci:DIR:TAG` names a local image, whatever registry is picked.
            match local_target(side.reference.trim(), settings) {
                Some(Ok(target)) => {
                    targets.push(target);
                    continue;
                }
                Some(Err(error)) => {
                    self.run = Requested::Failed {
                        error,
                        previous: None,
                    };
                    return;
                }
                None => {}
            }
            let source = sources.get(side.source);
            let (repo, reference) = split_reference(&side.reference);
            let (Ok(repo), Ok(reference)) = (repo.parse(), reference.parse()) else {
                self.run = Requested::Failed {
                    error: CompareError::BadReference(side.reference.clone()),
                    previous: None,
                };
                return;
            };
            let Some(client) = source.and_then(Source::client) else {
                let name = source.map(|s| s.name.clone()).unwrap_or_default();
                self.run = Requested::Failed {
                    error: CompareError::NotConnected(name),
                    previous: None,
                };
                return;
            };
            let host = source.map(|s| s.registry.host.clone()).unwrap_or_default();
            targets.push(Target {
                name: format!("{host}/{}", side.reference.trim()),
                place: Place::Registry {
                    client,
                    repo,
                    reference,
                },
            });
        }
        let (Some(b), Some(a)) = (targets.pop(), targets.pop()) else {
            return;
        };
        self.read = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let (read, cache, repaint) = (
            Arc::clone(&self.read),
            bg.layer_cache.clone(),
            Arc::clone(&bg.repaint),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel();
        self.stop = Some(stop);
        let task = layer_reads::run_stoppable(&bg.rt, stopped, move || {
            compare(a, b, cache, read, repaint)
        });
        self.run.request(&bg.rt, &bg.repaint, async move {
            match task.await {
                Ok(Some(result)) => result,
                _ => Err(CompareError::Stopped),
            }
        });
    }

    /// The pickers, the Compare button, progress, and the result. Returns false once closed.
    fn show(&mut self, ui: &mut Ui, bg: &Bg, sources: &[Source], settings: &Settings) {
        // Fill the window, so the file list below can take the height left.
        ui.set_min_size(ui.available_size());
        for i in 0..2 {
            let typing = ui.horizontal(|ui| self.side_row(ui, sources, i)).inner;
            self.want_tags(bg, sources, i, typing);
        }
        ui.horizontal(|ui| {
            let running = self.run.is_pending();
            if ui
                .add_enabled(!running, egui::Button::new(tr!("compare-run")))
                .clicked()
            {
                self.start(bg, sources, settings);
            }
            if ui
                .button(tr!("compare-swap"))
                .on_hover_text(tr!("compare-swap-tooltip"))
                .clicked()
            {
                self.sides.swap(0, 1);
            }
            if running {
                let (read, total) = (
                    self.read.0.load(Ordering::Relaxed),
                    self.read.1.load(Ordering::Relaxed),
                );
                ui.add(egui::Spinner::new().size(13.0));
                ui.label(
                    RichText::new(tr!(
                        "compare-reading",
                        read = crate::format::size(read.min(total)),
                        total = crate::format::size(total)
                    ))
                    .color(ui.visuals().weak_text_color()),
                );
            }
        });
        if let Some(e) = self.run.error() {
            ui.label(RichText::new(e.describe()).color(theme::tone(ui, theme::Tone::Error)));
        }
        ui.separator();
        match self.run.value().cloned() {
            Some(done) => {
                if self.run.is_pending() {
                    ui.multiply_opacity(0.6);
                }
                self.view.show(ui, &done);
            }
            None if !self.run.is_pending() => {
                widgets::empty_state(ui, &tr!("compare-empty-title"), &tr!("compare-empty-body"));
            }
            None => {}
        }
    }

    /// One side: registry, reference, and a menu of the repository's tags. Returns whether
    /// the reference is being typed.
    fn side_row(&mut self, ui: &mut Ui, sources: &[Source], i: usize) -> bool {
        let side = &mut self.sides[i];
        let title = tr!(if i == 0 {
            "compare-image-a"
        } else {
            "compare-image-b"
        });
        let (rect, _) = ui.allocate_exact_size(egui::vec2(64.0, 20.0), egui::Sense::hover());
        let label = ui.put(rect, egui::Label::new(RichText::new(title).strong()));
        let current = sources.get(side.source).map_or("", |s| s.name.as_str());
        egui::ComboBox::from_id_salt(("compare-source", i))
            .selected_text(current)
            .width(180.0)
            .show_ui(ui, |ui| {
                for (j, s) in sources.iter().enumerate() {
                    ui.selectable_value(&mut side.source, j, s.name.as_str());
                }
            });
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut side.reference)
                    .hint_text(tr!("compare-reference-hint"))
                    .desired_width((ui.available_width() - 110.0).clamp(200.0, 460.0)),
            )
            .labelled_by(label.id);
        if field.changed() && i == 1 {
            self.guess_b = false;
        }
        let side = &mut self.sides[i];
        let repo = side.repository().to_owned();
        let mut picked = None;
        ui.add_enabled_ui(side.tags.value().is_some(), |ui| {
            ui.menu_button(
                tr!(if i == 0 {
                    "compare-tags-a"
                } else {
                    "compare-tags-b"
                }),
                |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for tag in side.tags.value().map(Vec::as_slice).unwrap_or_default() {
                                if ui.button(tag).clicked() {
                                    picked = Some(tag.clone());
                                    ui.close();
                                }
                            }
                        });
                },
            );
        });
        if let Some(tag) = picked {
            side.reference = format!("{repo}:{tag}");
            if i == 1 {
                self.guess_b = false;
            }
        }
        field.has_focus()
    }
}

struct Target {
    name: String,
    place: Place,
}

/// Where a side's image lives.
enum Place {
    Registry {
        client: Arc<RegistryClient>,
        repo: crate::oci::Repository,
        reference: crate::oci::Reference,
    },
    /// An image in Berth's store or another OCI layout directory.
    Layout {
        location: StoreLocation,
        dir: PathBuf,
        name: String,
        settings: Box<Settings>,
    },
}

/// A side written in the local grammar (`berth:NAME`, `oci:DIR[:TAG]`); `None` for a
/// registry reference.
fn local_target(reference: &str, settings: &Settings) -> Option<Result<Target, CompareError>> {
    let parsed = ImageRef::parse(reference).ok()?;
    let (location, name) = StoreLocation::of_ref(&parsed)?;
    let dir = match &location {
        StoreLocation::Berth => match store::berth_store_dir(settings) {
            Ok(dir) => dir,
            Err(e) => return Some(Err(CompareError::Local(e))),
        },
        StoreLocation::Layout(dir) => dir.clone(),
        StoreLocation::Docker | StoreLocation::Podman => {
            return Some(Err(CompareError::EngineImage(reference.to_owned())));
        }
    };
    Some(Ok(Target {
        name: reference.to_owned(),
        place: Place::Layout {
            location,
            dir,
            name,
            settings: Box::new(settings.clone()),
        },
    }))
}

async fn inspect(t: &Target) -> Result<ImageInfo, CompareError> {
    let detail = match &t.place {
        Place::Registry {
            client,
            repo,
            reference,
        } => client
            .inspect(repo, reference, &Platform::host())
            .await
            .map_err(CompareError::Registry)?,
        Place::Layout {
            location,
            name,
            settings,
            ..
        } => {
            let local = store::open(location, settings)
                .await
                .map_err(CompareError::Local)?;
            local
                .inspect(name, &Platform::host())
                .await
                .map_err(CompareError::Local)?
        }
    };
    detail
        .image
        .ok_or_else(|| CompareError::NoImage(t.name.clone()))
}

async fn compare(
    a: Target,
    b: Target,
    cache: Option<layers::LayerCache>,
    read: Arc<(AtomicU64, AtomicU64)>,
    repaint: super::Repaint,
) -> Result<Arc<Compared>, CompareError> {
    let (info_a, info_b) = tokio::try_join!(inspect(&a), inspect(&b))?;
    let total: u64 = info_a
        .layers
        .iter()
        .chain(&info_b.layers)
        .map(|l| l.size)
        .sum();
    read.1.store(total, Ordering::Relaxed);
    // Progress reports bytes so far per layer; keep each layer's last count to sum them.
    let counts: Arc<Vec<AtomicU64>> = Arc::new(
        (0..info_a.layers.len() + info_b.layers.len())
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let progress = |offset: usize| -> layers::ProgressFn {
        let (counts, read, repaint) =
            (Arc::clone(&counts), Arc::clone(&read), Arc::clone(&repaint));
        Arc::new(move |p: LayerProgress| {
            if let Some(c) = counts.get(offset + p.layer) {
                let before = c.swap(p.bytes_read, Ordering::Relaxed);
                read.0
                    .fetch_add(p.bytes_read.saturating_sub(before), Ordering::Relaxed);
            }
            repaint();
        })
    };
    let source = |t: &Target| match &t.place {
        Place::Registry { client, repo, .. } => BlobSource::Registry {
            client: Arc::clone(client),
            repository: repo.clone(),
        },
        Place::Layout { dir, .. } => BlobSource::Layout { dir: dir.clone() },
    };
    let (reads_a, reads_b) = tokio::join!(
        layer_reads::load(
            source(&a),
            info_a.layers.clone(),
            cache.clone(),
            progress(0)
        ),
        layer_reads::load(
            source(&b),
            info_b.layers.clone(),
            cache,
            progress(info_a.layers.len())
        ),
    );
    // Already on a blocking thread: merging and diffing here keeps them off the UI.
    Ok(Arc::new(diff(
        a.name, &info_a, reads_a, b.name, &info_b, reads_b,
    )))
}

fn diff(
    name_a: String,
    info_a: &ImageInfo,
    reads_a: Vec<LayerRead>,
    name_b: String,
    info_b: &ImageInfo,
    reads_b: Vec<LayerRead>,
) -> Compared {
    let mut damaged = Vec::new();
    let mut merge = |name: &str, reads: Vec<LayerRead>| {
        let mut listings = Vec::with_capacity(reads.len());
        for (i, r) in reads.into_iter().enumerate() {
            if let Some(e) = r.error {
                damaged.push((name.to_owned(), i, e));
            }
            listings.push(r.listing);
        }
        layers::merge(&listings).tree
    };
    let tree_a = merge(&name_a, reads_a);
    let tree_b = merge(&name_b, reads_b);
    let diff = layers::diff_images(
        info_a.config.as_ref(),
        &info_a.layers,
        &tree_a,
        info_b.config.as_ref(),
        &info_b.layers,
        &tree_b,
    );
    Compared {
        name_a,
        name_b,
        diff,
        damaged,
    }
}

impl BerthApp {
    /// Opens the Compare window: A is the image on screen (or the repository), B starts as
    /// the next tag of the same repository.
    pub(super) fn open_compare(&mut self) {
        if self.compare.is_some() {
            return;
        }
        let source = self.selected.unwrap_or(0);
        let repo = self
            .tags
            .as_ref()
            .map(|t| t.repo.to_string())
            .unwrap_or_default();
        let tag = self.image.as_ref().map(|i| i.tag.clone());
        let reference_a = match &tag {
            Some(t) => format!("{repo}:{t}"),
            None => repo.clone(),
        };
        let known = self.tags.as_ref().and_then(|t| t.tags.value().cloned());
        let side = |reference: String| Side {
            source,
            tags: known.clone().map_or(Requested::Idle, Requested::Ready),
            tags_for: known.as_ref().map(|_| (source, repo.clone())),
            reference,
        };
        self.compare = Some(CompareView {
            sides: [side(reference_a.clone()), side(reference_a)],
            guess_b: tag.is_some(),
            run: Requested::Idle,
            read: Arc::new((AtomicU64::new(0), AtomicU64::new(0))),
            stop: None,
            view: DiffView::default(),
        });
    }

    /// Draws the Compare window while it is open.
    pub(super) fn compare_window(&mut self, ctx: &egui::Context) {
        let Some(compare) = &mut self.compare else {
            return;
        };
        let mut open = true;
        let area = ctx.content_rect();
        egui::Window::new(tr!("compare-title"))
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(egui::pos2(area.center().x, area.top() + 56.0))
            .id(egui::Id::unique("compare-window"))
            .open(&mut open)
            .default_size([1000.0, 680.0])
            .min_size([640.0, 360.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                compare.show(ui, &self.bg, &self.sources, &self.settings);
            });
        if !open {
            self.compare = None;
        }
    }
}
