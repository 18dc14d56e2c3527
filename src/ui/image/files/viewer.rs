//! The Files tab's file viewer (issue 21): the selected file's bytes in a side panel, as text,
//! hex or a picture. The file is found, its versions listed and its first part read
//! ([`file_read::FIRST_PART`]) by one background task through `layers::file_read` (the same
//! reader as `berth cat`), into a `Requested` cell: selecting another file replaces the
//! request, which stops the old one. "Load more" reads the next part the same way, or, when
//! the file was read whole through the layer's seek index (and so checked), cuts it from the
//! bytes kept (at most 64 MiB, one file's, dropped with the next selection). A symlink
//! shows its target and can be followed inside the image; a hard link names its target and
//! shows its bytes; in the merged view the panel says which layer the file comes from and
//! which other layers hold a version of it (or remove it), and a click opens that version.

use super::viewer_text::{TextDoc, TextState};
use super::{Loaded, viewer_hex, viewer_image};
use crate::layers::file_read::{self, FIRST_PART};
use crate::layers::{
    BlobSource, EntryKind, FileError, LayerListing, Located, Version, VersionKind,
};
use crate::oci::image::LayerInfo;
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use egui::{RichText, Ui};
use std::sync::Arc;

/// What the panel is asked to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    /// The path in the image, as the tar spells it.
    pub path: Vec<u8>,
    /// The view's layer (an index from 0): the merged filesystem up to it, or the one layer.
    pub upto: usize,
    /// One layer's version (an index from 0) instead of the merged filesystem's.
    pub layer: Option<usize>,
    /// Symlinks on the way, the last part included, are followed.
    pub follow: bool,
}

/// How the bytes are shown.
enum Shape {
    Text(TextDoc),
    Hex,
    Picture(&'static str),
    /// Nothing to read: a symlink, a device, a pipe.
    None,
}

/// A file found and its first part read.
pub struct Opened {
    wanted: Wanted,
    /// The entry at the path (a file, a link, …).
    entry: Located,
    /// Whose bytes are shown: the entry, or a hard link's target.
    read: Option<Located>,
    versions: Vec<Version>,
    /// The bytes read: the part shown so far, or the whole file when it was read whole and
    /// checked (through the seek index, at most 64 MiB), so that Load more cuts the next
    /// part from it without a request. Dropped with the rest when another file is opened.
    data: Arc<[u8]>,
    /// How much of `data` is shown.
    shown: usize,
    size: u64,
    verified: bool,
    shape: Shape,
    /// Tells documents apart (caches, the picture's URI).
    serial: usize,
}

impl Opened {
    /// The bytes on show.
    fn bytes(&self) -> &[u8] {
        &self.data[..self.shown.min(self.data.len())]
    }
}

/// What the task needs to find and read files.
#[derive(Clone)]
struct Reader {
    source: BlobSource,
    layers: Arc<Vec<LayerInfo>>,
    loaded: Arc<Loaded>,
}

#[derive(Default)]
pub struct FileViewer {
    wanted: Option<Wanted>,
    /// Hidden by "back to the tree" on a narrow tab, until a row is clicked again.
    pub hidden: bool,
    read: Requested<Arc<Opened>, String>,
    text: TextState,
    serial: usize,
    /// The picture on screen, forgotten by egui's loaders when another file is opened.
    picture_uri: Option<String>,
}

fn describe(e: &FileError) -> String {
    crate::i18n::describe(e)
}

fn view_of(listings: &[LayerListing], upto: usize) -> &[LayerListing] {
    let end = (upto + 1).min(listings.len());
    &listings[..end]
}

/// The entry, whose bytes to read, and the versions (on a blocking thread: listings are
/// scanned).
fn locate(
    listings: &[LayerListing],
    w: &Wanted,
) -> Result<(Located, Option<Located>, Vec<Version>), FileError> {
    let view = view_of(listings, w.upto);
    let entry = match w.layer {
        Some(i) => file_read::locate_in_layer(listings, i, &w.path)?,
        None if w.follow => file_read::resolve(view, &w.path)?,
        None => file_read::locate_merged(view, &w.path)?,
    };
    let read = match entry.kind {
        EntryKind::File => Some(entry.clone()),
        EntryKind::Hardlink => Some(file_read::hardlink_target(listings, &entry)?),
        _ => None,
    };
    let versions = file_read::versions(view, &entry.path);
    Ok((entry, read, versions))
}

fn shape_of(bytes: &[u8], size: u64, text: bool) -> Shape {
    if viewer_image::format_of(bytes).is_some_and(|_| bytes.len() as u64 == size) {
        return viewer_image::format_of(bytes).map_or(Shape::Hex, Shape::Picture);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let odd = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    // A part may end inside a character: only the sequences before the last few bytes count.
    let invalid = String::from_utf8_lossy(&head[..head.len().saturating_sub(3)])
        .matches('\u{fffd}')
        .count();
    if text || (!head.contains(&0) && odd * 20 <= head.len() && invalid * 50 <= head.len()) {
        Shape::Text(TextDoc::new(bytes))
    } else {
        Shape::Hex
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| e.to_string())
}

async fn read(
    r: &Reader,
    at: &Located,
    offset: u64,
    limit: u64,
) -> Result<file_read::Part, String> {
    let layer = r.layers.get(at.layer).ok_or_else(|| {
        describe(&FileError::NoSuchLayer {
            n: at.layer + 1,
            count: r.layers.len(),
        })
    })?;
    // Through the layer's seek index when it has one: only the compressed range holding the
    // file is fetched, and the whole file is checked before any of it is shown.
    let index = r.loaded.indexes.get(at.layer).and_then(Option::as_ref);
    file_read::read_part(&r.source, layer, at, offset, limit, index)
        .await
        .map_err(|e| describe(&e))
}

async fn open(r: Reader, wanted: Wanted, serial: usize) -> Result<Arc<Opened>, String> {
    let (loaded, w) = (Arc::clone(&r.loaded), wanted.clone());
    let (entry, target, versions) = blocking(move || locate(&loaded.listings, &w))
        .await?
        .map_err(|e| describe(&e))?;
    let (data, shown, size, verified) = match &target {
        Some(at) => {
            let mut part = read(&r, at, 0, FIRST_PART).await?;
            // A picture is shown whole or not at all.
            let picture = part.size <= viewer_image::PICTURE_MAX
                && viewer_image::format_of(&part.bytes).is_some();
            if part.more() && picture && part.whole.is_none() {
                part = read(&r, at, 0, part.size).await?;
            }
            let shown = if picture {
                usize::try_from(part.size).unwrap_or(usize::MAX)
            } else {
                part.bytes.len()
            };
            (
                part.whole.unwrap_or(part.bytes),
                shown,
                part.size,
                part.verified,
            )
        }
        None => (Vec::new(), 0, entry.size, false),
    };
    let has_bytes = target.is_some();
    let (data, shown, shape) = blocking(move || {
        let shown = shown.min(data.len());
        let shape = if has_bytes {
            shape_of(&data[..shown], size, false)
        } else {
            Shape::None
        };
        (Arc::<[u8]>::from(data), shown, shape)
    })
    .await?;
    Ok(Arc::new(Opened {
        wanted,
        entry,
        read: target,
        versions,
        data,
        shown,
        size,
        verified,
        shape,
        serial,
    }))
}

/// `old` with the next part of its file.
async fn more(r: Reader, old: Arc<Opened>, serial: usize) -> Result<Arc<Opened>, String> {
    let Some(at) = old.read.clone() else {
        return Ok(old);
    };
    let text = matches!(old.shape, Shape::Text(_));
    let part = usize::try_from(FIRST_PART).unwrap_or(usize::MAX);
    let (data, shown, size, verified) = if old.shown < old.data.len() {
        // The whole file is held, checked: the next part is cut from it.
        let shown = old.shown.saturating_add(part).min(old.data.len());
        (Arc::clone(&old.data), shown, old.size, old.verified)
    } else {
        let next = read(&r, &at, old.shown as u64, FIRST_PART).await?;
        let previous = Arc::clone(&old.data);
        let all = blocking(move || {
            let mut all = Vec::with_capacity(previous.len() + next.bytes.len());
            all.extend_from_slice(&previous);
            all.extend_from_slice(&next.bytes);
            Arc::<[u8]>::from(all)
        })
        .await?;
        let shown = all.len();
        (all, shown, next.size, next.verified)
    };
    let kept = Arc::clone(&data);
    let shape = blocking(move || {
        if text {
            Shape::Text(TextDoc::new(&kept[..shown]))
        } else {
            Shape::Hex
        }
    })
    .await?;
    Ok(Arc::new(Opened {
        wanted: old.wanted.clone(),
        entry: old.entry.clone(),
        read: old.read.clone(),
        versions: old.versions.clone(),
        data,
        shown,
        size,
        verified,
        shape,
        serial,
    }))
}

impl FileViewer {
    /// Shows `wanted` (the selected row, or a version or link target it leads to); nothing
    /// is read again when it is already shown or coming.
    pub fn open(
        &mut self,
        bg: &Bg,
        source: &BlobSource,
        image: &[LayerInfo],
        loaded: &Arc<Loaded>,
        wanted: Wanted,
    ) {
        self.hidden = false;
        if self.wanted.as_ref() == Some(&wanted) {
            return;
        }
        self.wanted = Some(wanted.clone());
        self.serial += 1;
        let reader = Reader {
            source: source.clone(),
            layers: Arc::new(image.to_vec()),
            loaded: Arc::clone(loaded),
        };
        // The previous file is not kept on screen under the new one's name.
        self.read = Requested::Idle;
        self.read
            .request(&bg.rt, &bg.repaint, open(reader, wanted, self.serial));
    }

    /// Nothing selected (another image, a folder, no row).
    pub fn clear(&mut self, ctx: &egui::Context) {
        self.wanted = None;
        self.read = Requested::Idle;
        self.forget_picture(ctx);
    }

    pub fn is_open(&self) -> bool {
        self.wanted.is_some() && !self.hidden
    }

    pub fn poll(&mut self) {
        self.read.poll();
    }

    fn forget_picture(&mut self, ctx: &egui::Context) {
        if let Some(uri) = self.picture_uri.take() {
            ctx.forget_image(&uri);
        }
    }

    /// The panel; `source`, `image` and `loaded` are for what a click in it opens.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        bg: &Bg,
        source: &BlobSource,
        image: &[LayerInfo],
        loaded: &Arc<Loaded>,
    ) {
        if let Some(e) = self.read.error() {
            ui.label(RichText::new(e.as_str()).color(theme::tone(ui, Tone::Error)));
        }
        let Some(opened) = self.read.value().cloned() else {
            if self.read.is_pending() {
                widgets::busy(ui, &tr!("viewer-reading"));
            }
            return;
        };
        let mut next = None;
        Self::header(ui, &opened, &mut next);
        if opened.shown as u64 != opened.size && opened.read.is_some() {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(tr!(
                        "viewer-part",
                        shown = crate::format::size_binary(opened.shown as u64),
                        size = crate::format::size_binary(opened.size)
                    ))
                    .small(),
                );
                if self.read.is_pending() {
                    ui.add(egui::Spinner::new().size(13.0));
                } else if ui.button(tr!("viewer-load-more")).clicked() {
                    let reader = Reader {
                        source: source.clone(),
                        layers: Arc::new(image.to_vec()),
                        loaded: Arc::clone(loaded),
                    };
                    self.serial += 1;
                    let old = Arc::clone(&opened);
                    self.read
                        .request(&bg.rt, &bg.repaint, more(reader, old, self.serial));
                }
            });
        }
        ui.separator();
        match &opened.shape {
            Shape::Text(doc) => super::viewer_text::show(ui, doc, opened.serial, &mut self.text),
            Shape::Hex => viewer_hex::show(ui, opened.bytes()),
            Shape::Picture(ext) => {
                let name = crate::layers::display_path(&opened.entry.path).into_owned();
                let uri = format!("bytes://berth-file/{}/{name}.{ext}", opened.serial);
                if self.picture_uri.as_ref() != Some(&uri) {
                    self.forget_picture(ui.ctx());
                    self.picture_uri = Some(uri.clone());
                }
                // A picture is shown whole: all of `data`.
                viewer_image::show(ui, &uri, &opened.data, &name);
            }
            Shape::None => {}
        }
        if let Some(wanted) = next {
            self.open(bg, source, image, loaded, wanted);
        }
    }

    /// The path, where its bytes come from, links and versions; a click on a link or a
    /// version sets `next`.
    fn header(ui: &mut Ui, opened: &Opened, next: &mut Option<Wanted>) {
        let path = format!("/{}", crate::layers::display_path(&opened.entry.path));
        ui.horizontal(|ui| {
            ui.label(RichText::new(&path).monospace().strong());
            widgets::copy_button(ui, &path);
        });
        let weak = ui.visuals().weak_text_color();
        let from = if let Some(i) = opened.wanted.layer {
            tr!("viewer-layer-version", n = i + 1)
        } else {
            tr!("viewer-from-layer", n = opened.entry.layer + 1)
        };
        let mut facts = vec![from, crate::format::size(opened.size)];
        if opened.verified {
            facts.push(tr!("viewer-verified"));
        }
        ui.label(RichText::new(facts.join(" · ")).small().color(weak));
        match opened.entry.kind {
            EntryKind::Symlink => {
                let target =
                    crate::layers::display_path(opened.entry.link.as_deref().unwrap_or_default());
                ui.horizontal_wrapped(|ui| {
                    ui.label(tr!("viewer-symlink", target = target.as_ref()));
                    if ui.button(tr!("viewer-follow")).clicked() {
                        *next = Some(Wanted {
                            path: opened.entry.path.clone(),
                            upto: opened.wanted.upto,
                            layer: None,
                            follow: true,
                        });
                    }
                });
            }
            EntryKind::Hardlink => {
                let target = opened
                    .read
                    .as_ref()
                    .map(|t| format!("/{}", crate::layers::display_path(&t.path)));
                ui.label(tr!("viewer-hardlink", target = target.unwrap_or_default()));
            }
            EntryKind::File => {}
            _ => {
                ui.label(RichText::new(tr!("viewer-no-bytes")).color(weak));
            }
        }
        if opened.versions.len() > 1 {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tr!("viewer-versions")).small().color(weak));
                let top = opened.versions.last().map(|v| v.layer);
                for v in opened.versions.iter().rev() {
                    let shown = match opened.wanted.layer {
                        Some(i) => i == v.layer,
                        None => v.layer == opened.entry.layer,
                    };
                    let text = match v.kind {
                        VersionKind::Entry(_, size) => tr!(
                            "viewer-version",
                            n = v.layer + 1,
                            size = crate::format::size(size)
                        ),
                        VersionKind::Removed => tr!("viewer-version-removed", n = v.layer + 1),
                    };
                    let clickable = matches!(v.kind, VersionKind::Entry(..));
                    let response = ui.add_enabled(clickable, egui::Button::selectable(shown, text));
                    if response.clicked() && !shown {
                        *next = Some(Wanted {
                            path: opened.entry.path.clone(),
                            upto: opened.wanted.upto,
                            // The top version is the merged filesystem's.
                            layer: (Some(v.layer) != top || opened.wanted.follow)
                                .then_some(v.layer),
                            follow: false,
                        });
                    }
                }
            });
        }
    }
}
