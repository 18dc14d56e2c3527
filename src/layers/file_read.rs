//! One file of an image, found and read: where a path is in the merged filesystem (the
//! top-most layer that has it, with whiteouts, opaque directories and non-directories above
//! respected) or in one layer, which layers hold versions of it, symlinks resolved inside the
//! image (bounded hops, loops refused), hard links to their target, and its bytes streamed
//! from the layer blob ([`super::read_entries`]), checked against the per-file SHA-256 the
//! listing recorded whenever the read reaches the end of the file.

use super::content::{Visit, read_entries};
use super::entry::{EntryKind, LayerListing};
pub use super::file_error::FileError;
use super::tree::{Whiteout, components, whiteout_of};
use super::{BlobSource, Error, blob::open_blob};
use crate::oci::image::LayerInfo;
use sha2::{Digest as _, Sha256};
use std::io::{self, Write};

/// What the viewer reads at once (and each "load more").
pub const FIRST_PART: u64 = 1024 * 1024;
/// Symlinks followed while resolving one path, as Linux's `MAXSYMLINKS`.
pub const MAX_HOPS: usize = 40;

/// A path's entry in one layer's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Normalised path (no leading `/`, no `.` or empty parts).
    pub path: Vec<u8>,
    /// Index of the layer in the image (0 is the base).
    pub layer: usize,
    pub kind: EntryKind,
    pub size: u64,
    pub sha256: Option<[u8; 32]>,
    pub link: Option<Vec<u8>>,
    pub header_offset: u64,
    /// The listing's [`super::Entry::span_end`] (0 when unknown).
    pub span_end: u64,
}

/// What one layer does to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionKind {
    /// The layer has an entry at the path.
    Entry(EntryKind, u64),
    /// The layer removes the path (a whiteout of it or of a directory above, an opaque
    /// directory above, or a non-directory where a directory above was).
    Removed,
}

/// One layer's version of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    /// Index of the layer (0 is the base).
    pub layer: usize,
    pub kind: VersionKind,
}

fn text(path: &[u8]) -> String {
    format!("/{}", super::display_path(path))
}

/// `./usr//bin/` → `usr/bin`.
#[must_use]
pub fn normalize(path: &[u8]) -> Vec<u8> {
    components(path).collect::<Vec<_>>().join(&b'/')
}

/// What `listing` says about `path` (normalised): its last entry there, whether it removes
/// the path.
fn in_layer(listing: &LayerListing, layer: usize, path: &[u8]) -> Option<Result<Located, ()>> {
    let target: Vec<&[u8]> = components(path).collect();
    let mut found = None;
    let mut removed = false;
    for e in listing.iter() {
        let parts: Vec<&[u8]> = components(e.path()).collect();
        let Some((name, parent)) = parts.split_last() else {
            continue;
        };
        let prefix_of_target = |p: &[&[u8]]| p.len() <= target.len() && p[..] == target[..p.len()];
        match whiteout_of(name) {
            Some(Whiteout::Name(hidden)) => {
                let mut whole = parent.to_vec();
                whole.push(hidden);
                if prefix_of_target(&whole) {
                    removed = true;
                }
            }
            Some(Whiteout::Opaque) if parent.len() < target.len() && prefix_of_target(parent) => {
                removed = true;
            }
            None if parts == target => {
                found = Some(Located {
                    path: path.to_vec(),
                    layer,
                    kind: e.kind,
                    size: e.size,
                    sha256: e.sha256,
                    link: e.link_target().map(<[u8]>::to_vec),
                    header_offset: e.header_offset,
                    span_end: e.span_end,
                });
            }
            None if parts.len() < target.len()
                && parts[..] == target[..parts.len()]
                && e.kind != EntryKind::Dir =>
            {
                removed = true;
            }
            _ => {}
        }
    }
    match (found, removed) {
        (Some(l), _) => Some(Ok(l)),
        (None, true) => Some(Err(())),
        (None, false) => None,
    }
}

/// `path` in the merged filesystem of `listings`, without following symlinks.
///
/// # Errors
/// Not found, removed by a layer, or a directory.
pub fn locate_merged<L: AsRef<LayerListing>>(
    listings: &[L],
    path: &[u8],
) -> Result<Located, FileError> {
    let path = normalize(path);
    for (i, listing) in listings.iter().enumerate().rev() {
        match in_layer(listing.as_ref(), i, &path) {
            Some(Ok(found)) => return file_only(found),
            Some(Err(())) => {
                return Err(FileError::WhitedOut {
                    path: text(&path),
                    layer: i + 1,
                });
            }
            None => {}
        }
    }
    Err(FileError::NotFound { path: text(&path) })
}

/// `path` in layer `index` (0 is the base) alone.
///
/// # Errors
/// No such layer, not in that layer (or only a whiteout), or a directory.
pub fn locate_in_layer<L: AsRef<LayerListing>>(
    listings: &[L],
    index: usize,
    path: &[u8],
) -> Result<Located, FileError> {
    let path = normalize(path);
    let listing = listings.get(index).ok_or(FileError::NoSuchLayer {
        n: index + 1,
        count: listings.len(),
    })?;
    match in_layer(listing.as_ref(), index, &path) {
        Some(Ok(found)) => file_only(found),
        Some(Err(())) => Err(FileError::WhitedOut {
            path: text(&path),
            layer: index + 1,
        }),
        None => Err(FileError::NotFound { path: text(&path) }),
    }
}

fn file_only(found: Located) -> Result<Located, FileError> {
    if found.kind == EntryKind::Dir {
        Err(FileError::IsDirectory {
            path: text(&found.path),
        })
    } else {
        Ok(found)
    }
}

/// Every layer that has an entry at `path` or removes it, bottom first.
#[must_use]
pub fn versions<L: AsRef<LayerListing>>(listings: &[L], path: &[u8]) -> Vec<Version> {
    let path = normalize(path);
    let mut out = Vec::new();
    for (i, listing) in listings.iter().enumerate() {
        match in_layer(listing.as_ref(), i, &path) {
            Some(Ok(found)) => out.push(Version {
                layer: i,
                kind: VersionKind::Entry(found.kind, found.size),
            }),
            // A removal matters only when there was something to remove.
            Some(Err(())) if !out.is_empty() => out.push(Version {
                layer: i,
                kind: VersionKind::Removed,
            }),
            _ => {}
        }
    }
    out
}

/// Where a symlink at `link` (normalised) pointing at `target` leads, inside the image.
#[must_use]
pub fn link_destination(link: &[u8], target: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = if target.starts_with(b"/") {
        Vec::new()
    } else {
        let mut p: Vec<&[u8]> = components(link).collect();
        p.pop();
        p
    };
    for part in components(target) {
        if part == b".." {
            // `..` at the root stays at the root, as in a chroot.
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    parts.join(&b'/')
}

/// `path` in the merged filesystem with every symlink on the way (the last part included)
/// followed inside the image; hard links are not followed here (see [`read_part`]).
///
/// # Errors
/// As [`locate_merged`], and [`FileError::LinkLoop`] past [`MAX_HOPS`] links.
pub fn resolve<L: AsRef<LayerListing>>(listings: &[L], path: &[u8]) -> Result<Located, FileError> {
    let mut pending: Vec<Vec<u8>> = components(path).map(<[u8]>::to_vec).collect();
    pending.reverse();
    let mut done: Vec<Vec<u8>> = Vec::new();
    let mut hops = 0;
    while let Some(part) = pending.pop() {
        if part == b".." {
            done.pop();
            continue;
        }
        done.push(part);
        let here = done.join(&b'/');
        let found = match locate_merged(listings, &here) {
            Ok(found) => found,
            // A directory on the way, or one no entry declares (it exists because something
            // below it does): the final part's answer says whether the path exists.
            Err(_) if !pending.is_empty() => continue,
            Err(e) => return Err(e),
        };
        if found.kind != EntryKind::Symlink {
            if pending.is_empty() {
                return Ok(found);
            }
            return Err(FileError::NotFound {
                path: text(&normalize(path)),
            });
        }
        hops += 1;
        if hops > MAX_HOPS {
            return Err(FileError::LinkLoop {
                path: text(&normalize(path)),
                hops: MAX_HOPS,
            });
        }
        let target = found.link.clone().unwrap_or_default();
        done.pop();
        if target.starts_with(b"/") {
            done.clear();
        }
        let mut next: Vec<Vec<u8>> = components(&target).map(<[u8]>::to_vec).collect();
        next.reverse();
        pending.extend(next);
    }
    // The path was the root, or ended at a directory reached through links.
    Err(FileError::IsDirectory {
        path: text(&done.join(&b'/')),
    })
}

/// Part of a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Where `bytes` start in the file.
    pub offset: u64,
    pub bytes: Vec<u8>,
    /// The file's size.
    pub size: u64,
    /// The read went to the end of the file and its SHA-256 matched the listing's.
    pub verified: bool,
    /// The whole file, when it was read whole and checked (through the seek index): a caller
    /// may keep it to cut the next parts from, without reading again.
    pub whole: Option<Vec<u8>>,
}

impl Part {
    /// Whether bytes after this part remain.
    #[must_use]
    pub fn more(&self) -> bool {
        self.offset + (self.bytes.len() as u64) < self.size
    }
}

/// What a hard link at `at` names: the target's own entry, in the same layer.
///
/// # Errors
/// The target is not in that layer.
pub fn hardlink_target<L: AsRef<LayerListing>>(
    listings: &[L],
    at: &Located,
) -> Result<Located, FileError> {
    // A tar's hard link names an entry earlier in the same archive.
    let target = at.link.as_deref().unwrap_or_default();
    locate_in_layer(listings, at.layer, target)
}

/// Reads `limit` bytes from `offset` of the file at `at` (a file, or a hard link's target
/// found with [`hardlink_target`]), in layer `layer` of the image. With the layer's seek
/// `index`, a file of up to [`super::seek_read::RANGED_MAX`] bytes is read whole from the
/// compressed range that holds it and checked against the listing's hash before any part
/// of it is returned (the whole file comes along in [`Part::whole`]). Otherwise the file is
/// hashed from the blob's start; a read that reaches its end checks the hash against the
/// listing's.
///
/// # Errors
/// The blob cannot be read, the entry is not in it, or the bytes do not match the listing.
pub async fn read_part(
    source: &BlobSource,
    layer: &LayerInfo,
    at: &Located,
    offset: u64,
    limit: u64,
    index: Option<&super::seek_index::SeekIndex>,
) -> Result<Part, FileError> {
    if let Some(index) = index
        && let Some(whole) = super::seek_read::read_checked(source, layer, index, at).await?
    {
        let size = whole.len() as u64;
        let from = usize::try_from(offset.min(size)).unwrap_or(usize::MAX);
        let to = usize::try_from(offset.saturating_add(limit).min(size)).unwrap_or(usize::MAX);
        return Ok(Part {
            offset,
            bytes: whole[from..to].to_vec(),
            size,
            verified: true,
            whole: Some(whole),
        });
    }
    let blob = open_blob(source, layer).await?;
    let at = at.clone();
    let digest = layer.digest.clone();
    tokio::task::spawn_blocking(move || {
        let mut part = None;
        let mut hash_error = None;
        read_entries(
            blob.reader,
            blob.compression,
            &digest,
            |h| h.header_offset == at.header_offset,
            |h, data| {
                let mut hasher = Sha256::new();
                let mut kept = Vec::new();
                let mut position = 0u64;
                let mut buffer = vec![0u8; 64 * 1024];
                let end = offset.saturating_add(limit);
                loop {
                    let n = data.read(&mut buffer)?;
                    if n == 0 {
                        break;
                    }
                    let chunk = &buffer[..n];
                    hasher.update(chunk);
                    let start = position;
                    position += n as u64;
                    let from = offset.max(start).min(position);
                    let to = end.max(start).min(position);
                    if from < to {
                        kept.extend_from_slice(
                            &chunk[(from - start) as usize..(to - start) as usize],
                        );
                    }
                    if position >= end && position < h.size {
                        break;
                    }
                }
                let whole = position >= h.size;
                let verified = whole
                    && at.sha256.is_some_and(|expected| {
                        let actual: [u8; 32] = hasher.clone().finalize().into();
                        if actual == expected {
                            true
                        } else {
                            hash_error = Some((expected, actual));
                            false
                        }
                    });
                part = Some(Part {
                    offset,
                    bytes: kept,
                    size: h.size,
                    verified,
                    whole: None,
                });
                Ok(Visit::Stop)
            },
        )?;
        if let Some((expected, actual)) = hash_error {
            return Err(mismatch(&at, expected, actual));
        }
        part.ok_or_else(|| FileError::EntryMissing {
            path: text(&at.path),
            layer: at.layer + 1,
        })
    })
    .await
    .map_err(|e| FileError::Layer(Error::Worker(e.to_string())))?
}

fn mismatch(at: &Located, expected: [u8; 32], actual: [u8; 32]) -> FileError {
    FileError::Mismatch {
        path: text(&at.path),
        layer: at.layer + 1,
        expected: super::sha256_hex(&expected),
        actual: super::sha256_hex(&actual),
    }
}

/// Streams the whole file at `at` into `out` (on a blocking thread), then checks its hash.
/// Returns the bytes written and `out`.
///
/// # Errors
/// As [`read_part`]; a write failure is [`FileError::Write`]. The bytes are written before a
/// mismatch is known.
pub async fn copy_to<W: Write + Send + 'static>(
    source: &BlobSource,
    layer: &LayerInfo,
    at: &Located,
    out: W,
) -> Result<(u64, W), FileError> {
    let blob = open_blob(source, layer).await?;
    let at = at.clone();
    let digest = layer.digest.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = out;
        let mut written = None;
        let mut write_error = None;
        read_entries(
            blob.reader,
            blob.compression,
            &digest,
            |h| h.header_offset == at.header_offset,
            |_, data| {
                let mut hashing = Hashing {
                    inner: &mut out,
                    hasher: Sha256::new(),
                    error: &mut write_error,
                };
                let n = io::copy(data, &mut hashing)?;
                written = Some((n, hashing.hasher.finalize()));
                Ok(Visit::Stop)
            },
        )
        .map_err(|e| match write_error.take() {
            Some(w) => FileError::Write(w),
            None => FileError::Layer(e),
        })?;
        out.flush().map_err(FileError::Write)?;
        let (n, actual) = written.ok_or_else(|| FileError::EntryMissing {
            path: text(&at.path),
            layer: at.layer + 1,
        })?;
        let actual: [u8; 32] = actual.into();
        match at.sha256 {
            Some(expected) if expected != actual => Err(mismatch(&at, expected, actual)),
            _ => Ok((n, out)),
        }
    })
    .await
    .map_err(|e| FileError::Layer(Error::Worker(e.to_string())))?
}

/// Hashes what passes to `inner`, keeping a write error apart from read errors.
struct Hashing<'a, W> {
    inner: &'a mut W,
    hasher: Sha256,
    error: &'a mut Option<io::Error>,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                Ok(n)
            }
            Err(e) => {
                let kind = e.kind();
                *self.error = Some(e);
                Err(io::Error::new(kind, "write failed"))
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
