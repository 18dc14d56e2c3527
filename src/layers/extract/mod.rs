//! Extracting a file or a folder of an image (the merged filesystem, whiteouts and opaque
//! directories applied, or one layer) into a directory, to one file, or into a tar, without
//! ever writing outside the destination (ARCHITECTURE.md, "Content from outside").
//!
//! [`plan`] walks the chosen node of the [`FileTree`] and decides, before a byte is read,
//! what will be made and what is refused (`..`, names that would leave through a link, device
//! files) with a [`SkipReason`] each. [`extract`] then streams only the layers that hold the
//! chosen files' data (stopping a layer once its files are written), checks every file
//! against the SHA-256 its listing recorded, and writes each file under a temporary name that
//! is renamed when whole; a cancel or a failure removes the temporaries (see
//! [`safe_dest`]). Directories come first and links last, so nothing is ever written
//! through a link the image made.

mod layer_pass;
mod ranged;
mod safe_dest;
mod sink;

pub use safe_dest::{TEMP_PREFIX, relative};

use super::seek_index::SeekIndex;
use super::{
    BlobSource, EntryKind, FileTree, LayerListing, NodeId, display_path, merge, open_blob,
};
use crate::oci::image::LayerInfo;
use serde::Serialize;
use sink::Sink;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// What extraction failed on. Skipped entries are not errors; they are in the [`Report`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Layer(super::Error),
    #[error("{path} is not in the image")]
    NotFound { path: String },
    #[error("{path} was removed by layer {layer}")]
    Removed { path: String, layer: u32 },
    #[error("the image has {count} layers, not {n}")]
    NoLayer { n: usize, count: usize },
    #[error("{} is not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file's bytes did not match the SHA-256 its listing recorded.
    #[error("{path} does not match its recorded SHA-256")]
    HashMismatch { path: String },
    /// A file of the listing was not found in its layer's tar.
    #[error("{path} was not found in layer {layer}")]
    Missing { path: String, layer: u32 },
    #[error("cancelled")]
    Cancelled,
    #[error("worker stopped: {0}")]
    Worker(String),
}

impl Error {
    /// The stable kind for `--json`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Layer(e) => e.kind(),
            Self::NotFound { .. } => "extract_not_found",
            Self::Removed { .. } => "extract_removed",
            Self::NoLayer { .. } => "extract_no_layer",
            Self::NotADirectory { .. } => "extract_not_a_directory",
            Self::Write { .. } => "extract_write",
            Self::HashMismatch { .. } => "extract_hash_mismatch",
            Self::Missing { .. } => "extract_missing",
            Self::Cancelled => "cancelled",
            Self::Worker(_) => "worker",
        }
    }
}

/// Why an entry was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The name starts with `/`.
    AbsolutePath,
    /// The name has a `..` component (or a NUL byte).
    ParentComponent,
    /// A directory above it is a symlink (it would be written through the link).
    ParentIsSymlink,
    /// A directory above it is not there as a directory (the image made it something else).
    ParentMissing,
    /// Something that may not be replaced is already at that name (a directory).
    Occupied,
    /// A hard link whose target was not extracted.
    LinkTargetMissing,
    /// A device or a named pipe: not created.
    Special,
}

impl SkipReason {
    /// The stable name (`--json`'s `reason`, the Fluent key's suffix).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::AbsolutePath => "absolute_path",
            Self::ParentComponent => "parent_component",
            Self::ParentIsSymlink => "parent_is_symlink",
            Self::ParentMissing => "parent_missing",
            Self::Occupied => "occupied",
            Self::LinkTargetMissing => "link_target_missing",
            Self::Special => "special",
        }
    }
}

/// One entry that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The path in the image, escaped for people ([`display_path`]).
    pub path: String,
    pub reason: SkipReason,
}

/// What an extraction made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub files: u64,
    pub dirs: u64,
    pub links: u64,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
}

/// Where the extraction goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Into this directory (which must exist): a file or folder keeps its name, `/` puts the
    /// image's root here.
    Dir(PathBuf),
    /// A file saved as exactly this path (its directory must exist).
    File(PathBuf),
    /// A tar file at this path.
    Tar(PathBuf),
}

/// What to extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path in the image (`/` for everything).
    pub path: Vec<u8>,
    /// One layer (an index from 0) instead of the merged filesystem.
    pub layer: Option<usize>,
}

/// A file to write, found in `layer`'s tar under `key` (its path without `.`, `/` and empty
/// parts).
#[derive(Debug, Clone)]
struct PlannedFile {
    parts: Vec<Vec<u8>>,
    display: String,
    mode: u32,
    mtime: u64,
    size: u64,
    sha256: Option<[u8; 32]>,
}

/// What [`plan`] decided.
#[derive(Debug, Default)]
pub struct Plan {
    dirs: Vec<(Vec<Vec<u8>>, String, u32)>,
    /// By layer, then by key.
    files: Vec<HashMap<Vec<u8>, PlannedFile>>,
    symlinks: Vec<(Vec<Vec<u8>>, String, Vec<u8>)>,
    hardlinks: Vec<(Vec<Vec<u8>>, String, Vec<u8>)>,
    skipped: Vec<Skipped>,
    /// Bytes of file data to write.
    pub total_bytes: u64,
}

/// The tree `request` reads: the merged filesystem or one layer.
fn tree_for(listings: &[LayerListing], request: &Request) -> Result<FileTree, Error> {
    match request.layer {
        Some(n) => listings
            .get(n)
            .map(|l| FileTree::from_listing(l, n as u32))
            .ok_or(Error::NoLayer {
                n: n + 1,
                count: listings.len(),
            }),
        None => Ok(merge(listings).tree),
    }
}

/// Decides what extracting `request` makes. `rename` gives the chosen node another name at
/// the destination (Save as a file).
pub fn plan(
    listings: &[LayerListing],
    request: &Request,
    rename: Option<&[u8]>,
) -> Result<Plan, Error> {
    let tree = tree_for(listings, request)?;
    let shown = || display_path(&request.path).into_owned();
    let top = tree
        .find(&request.path)
        .ok_or_else(|| Error::NotFound { path: shown() })?;
    let node = tree.node(top);
    if node.is_removed() {
        return Err(Error::Removed {
            path: shown(),
            layer: node.layer + 1,
        });
    }
    let mut plan = Plan {
        files: vec![HashMap::new(); listings.len()],
        ..Plan::default()
    };
    // Components of the chosen node's parent are dropped from every destination path.
    let strip = if top == FileTree::ROOT {
        0
    } else {
        relative(&tree.path(top)).map_or(0, |p| p.len().saturating_sub(1))
    };
    let below: Vec<NodeId> = if top == FileTree::ROOT {
        tree.walk().map(|(id, _)| id).collect()
    } else {
        std::iter::once(top).chain(subtree(&tree, top)).collect()
    };
    let mut keys = HashMap::new();
    for id in below {
        if let Some(reason) = hidden_by_link(&tree, listings, id, &mut keys) {
            plan.skipped.push(Skipped {
                path: display_path(&tree.path(id)).into_owned(),
                reason,
            });
            continue;
        }
        plan_node(&tree, id, top, strip, rename, &mut plan);
    }
    Ok(plan)
}

/// Why an entry the tree shows as removed was in fact dropped: a link (or a file) of the same
/// layer took the name of a folder above it (`link/x`, then `link -> real`). A removal by a
/// later layer (a whiteout, `lib/` replaced by `lib -> usr/lib`) is not a skip. Only the top
/// of such a subtree is named. `keys` caches each layer's entry paths.
fn hidden_by_link(
    tree: &FileTree,
    listings: &[LayerListing],
    id: NodeId,
    keys: &mut HashMap<u32, HashSet<Vec<u8>>>,
) -> Option<SkipReason> {
    if !tree.node(id).is_removed() {
        return None;
    }
    let parent = tree.node(tree.parent(id)?);
    if parent.is_dir() || parent.is_removed() {
        return None;
    }
    let listing = listings.get(parent.layer as usize)?;
    let in_layer = keys
        .entry(parent.layer)
        .or_insert_with(|| listing.iter().map(|e| key_of(e.path())).collect());
    if !in_layer.contains(&key_of(&tree.path(id))) {
        return None;
    }
    Some(if parent.kind == EntryKind::Symlink {
        SkipReason::ParentIsSymlink
    } else {
        SkipReason::ParentMissing
    })
}

fn subtree(tree: &FileTree, top: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut stack: Vec<NodeId> = tree.children(top).iter().rev().copied().collect();
    while let Some(id) = stack.pop() {
        out.push(id);
        stack.extend(tree.children(id).iter().rev());
    }
    out
}

fn plan_node(
    tree: &FileTree,
    id: NodeId,
    top: NodeId,
    strip: usize,
    rename: Option<&[u8]>,
    plan: &mut Plan,
) {
    let node = *tree.node(id);
    if node.is_removed() {
        return;
    }
    let path = tree.path(id);
    let display = display_path(&path).into_owned();
    let mut skip = |reason| {
        plan.skipped.push(Skipped {
            path: display.clone(),
            reason,
        });
    };
    let mut parts = match relative(&path) {
        Ok(parts) => parts,
        Err(reason) => {
            // Only the first name of a refused subtree is listed; what is below it goes too.
            if tree
                .parent(id)
                .is_none_or(|p| p == FileTree::ROOT || relative(&tree.path(p)).is_ok())
            {
                skip(reason);
            }
            return;
        }
    };
    parts.drain(..strip.min(parts.len()));
    let rename = rename.filter(|_| top != FileTree::ROOT);
    if let (Some(name), true) = (rename, id == top) {
        parts = vec![name.to_vec()];
    } else if let (Some(name), Some(first)) = (rename, parts.first_mut()) {
        *first = name.to_vec();
    }
    if parts.is_empty() {
        return;
    }
    match node.kind {
        EntryKind::Dir => plan.dirs.push((parts, display, node.mode)),
        EntryKind::File | EntryKind::Other => {
            plan.total_bytes += node.size;
            let key = relative(&path).unwrap_or_default().join(&b'/');
            if let Some(layer) = plan.files.get_mut(node.layer as usize) {
                layer.insert(
                    key,
                    PlannedFile {
                        parts,
                        display,
                        mode: node.mode,
                        mtime: node.mtime,
                        size: node.size,
                        sha256: node.sha256,
                    },
                );
            }
        }
        EntryKind::Symlink => {
            let target = tree.link_target(id).unwrap_or_default().to_vec();
            plan.symlinks.push((parts, display, target));
        }
        EntryKind::Hardlink => {
            let target = tree.link_target(id).unwrap_or_default().to_vec();
            plan.hardlinks.push((parts, display, target));
        }
        EntryKind::CharDevice | EntryKind::BlockDevice | EntryKind::Fifo => {
            skip(SkipReason::Special);
        }
    }
}

/// Progress: bytes of file data written, of the total.
pub type ExtractProgress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Extracts `request` from the image whose layers are `layers` (listed as `listings`, with
/// their seek `indexes` where they have one) to `dest`. Skipped entries are in the report;
/// a failure or a cancel leaves no temporary file (files already renamed into place stay).
#[allow(clippy::too_many_arguments)]
pub async fn extract(
    source: &BlobSource,
    layers: &[LayerInfo],
    listings: &[LayerListing],
    indexes: &[Option<SeekIndex>],
    request: &Request,
    dest: &Destination,
    cancel: &CancellationToken,
    progress: ExtractProgress,
) -> Result<Report, Error> {
    let rename = match dest {
        Destination::File(path) => path
            .file_name()
            .map(|n| std::os::unix::ffi::OsStrExt::as_bytes(n).to_vec()),
        Destination::Dir(_) | Destination::Tar(_) => None,
    };
    let mut plan = plan(listings, request, rename.as_deref())?;
    let total = plan.total_bytes;
    let dest = dest.clone();
    let dirs = std::mem::take(&mut plan.dirs);
    let mut sink = blocking(move || {
        let mut sink = Sink::open(&dest)?;
        for (parts, display, mode) in dirs {
            sink.dir(&parts, &display, mode)?;
        }
        Ok(sink)
    })
    .await?;
    let files = std::mem::take(&mut plan.files);
    for (index, mut wanted) in files.into_iter().enumerate() {
        if wanted.is_empty() {
            continue;
        }
        if cancel.is_cancelled() {
            sink.abort();
            return Err(Error::Cancelled);
        }
        let Some(layer) = layers.get(index) else {
            continue;
        };
        let layer_number = index as u32 + 1;
        if let (Some(Some(seek)), Some(listing)) = (indexes.get(index), listings.get(index)) {
            let pass = ranged::Pass {
                source,
                layer,
                index: seek,
                listing,
                cancel,
                progress: progress.clone(),
                total,
                layer_number,
            };
            (sink, wanted) = ranged::write_ranges(pass, wanted, sink).await?;
            if wanted.is_empty() {
                continue;
            }
        }
        // Keyed by the header offset of the entry the plan chose (the last of its path).
        let (wanted, unlisted) = match listings.get(index) {
            Some(listing) => layer_pass::by_last_offset(listing, wanted),
            None => (HashMap::new(), wanted.into_values().next()),
        };
        if let Some(file) = unlisted {
            sink.abort();
            return Err(Error::Missing {
                path: file.display,
                layer: layer_number,
            });
        }
        let blob = match open_blob(source, layer).await {
            Ok(blob) => blob,
            Err(e) => {
                sink.abort();
                return Err(Error::Layer(e));
            }
        };
        let (cancel, progress) = (cancel.clone(), progress.clone());
        sink = blocking(move || {
            layer_pass::write_layer(
                blob,
                wanted,
                sink,
                &cancel,
                &|n| progress(n, total),
                layer_number,
            )
        })
        .await?;
    }
    let (hardlinks, symlinks) = (
        std::mem::take(&mut plan.hardlinks),
        std::mem::take(&mut plan.symlinks),
    );
    let mut report = blocking(move || {
        for (parts, display, target) in hardlinks {
            sink.hard_link(&parts, &display, &target)?;
        }
        for (parts, display, target) in symlinks {
            sink.symlink(&parts, &display, &target)?;
        }
        sink.finish()
    })
    .await?;
    let mut skipped = plan.skipped;
    skipped.append(&mut report.skipped);
    report.skipped = skipped;
    Ok(report)
}

/// A tar path without `/`, `.` and empty parts, joined by `/`: how a file is matched to its
/// plan.
fn key_of(raw: &[u8]) -> Vec<u8> {
    raw.split(|b| *b == b'/')
        .filter(|p| !p.is_empty() && *p != b".")
        .collect::<Vec<_>>()
        .join(&b'/')
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) => Err(Error::Worker(e.to_string())),
    }
}
