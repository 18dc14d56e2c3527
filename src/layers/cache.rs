//! The disk cache of layer listings, keyed by layer digest, so reopening an image is instant.
//!
//! One file per layer, `<hex>.lyr`, in `ProjectDirs::cache_dir()/layers/` by default (or any
//! directory the caller gives: tests pass a temporary one). The format is a small fixed
//! header, fixed-size little-endian entry records, then the name bytes. Files are written to
//! a temporary name and renamed into place, so a reader sees a whole file or none. A file
//! that does not parse is a miss, never an error. Only listings of verified, complete reads
//! are stored: the key is a digest, so the bytes behind it cannot change.

use super::Error;
use super::entry::{Entry, EntryKind, LayerListing, Span};
use super::seek_index::SeekIndex;
use crate::oci::Digest;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"BERTHLYR";
/// Bumped whenever the record changes, so a listing an older Berth wrote is a miss and is
/// read again from its blob. 2: records carry each file's SHA-256 (Compare by content).
/// 3: and each entry's compressed span end (ranged reads of one file).
const VERSION: u32 = 3;
const HEADER: usize = 8 + 4 + 4 + 8 * 4;
const RECORD: usize = 112;
const EXTENSION: &str = "lyr";
/// Seek indexes of gzip and zstd layers ([`super::seek_index`]), next to their listings.
const INDEX_EXTENSION: &str = "idx";

#[derive(Debug, Clone)]
pub struct LayerCache {
    dir: PathBuf,
    /// Compressed bytes between seek-index checkpoints (at least).
    index_interval: u64,
}

impl LayerCache {
    /// A cache in `dir` (created on first write).
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            index_interval: super::seek_index::INTERVAL,
        }
    }

    /// The same cache, with seek-index checkpoints every `bytes` of compressed input (tests
    /// use a small one on small layers).
    #[must_use]
    pub fn with_index_interval(mut self, bytes: u64) -> Self {
        self.index_interval = bytes.max(1);
        self
    }

    /// The checkpoint interval for a blob of `size` bytes: the cache's, or larger so the
    /// index keeps at most [`super::seek_index::MAX_CHECKPOINTS`].
    #[must_use]
    pub fn index_interval(&self, size: u64) -> u64 {
        self.index_interval
            .max(size / super::seek_index::MAX_CHECKPOINTS as u64 + 1)
    }

    /// `ProjectDirs::from("", "", "berth").cache_dir()/layers`.
    pub fn default_dir() -> Result<PathBuf, Error> {
        directories::ProjectDirs::from("", "", "berth")
            .map(|p| p.cache_dir().join("layers"))
            .ok_or(Error::NoCacheDir)
    }

    /// The cache in [`Self::default_dir`].
    pub fn open_default() -> Result<Self, Error> {
        Self::default_dir().map(Self::new)
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, digest: &Digest) -> PathBuf {
        self.dir.join(format!("{}.{EXTENSION}", digest.hex()))
    }

    /// The cached listing of `digest`, if there is a valid one.
    #[must_use]
    pub fn get(&self, digest: &Digest) -> Option<LayerListing> {
        let path = self.file(digest);
        let bytes = std::fs::read(&path).ok()?;
        let listing = decode(&bytes);
        if listing.is_none() {
            tracing::debug!(path = %path.display(), "ignoring an unreadable layer cache file");
        }
        listing
    }

    /// The seek index of `digest`, if there is one of this Berth's format.
    #[must_use]
    pub fn get_index(&self, digest: &Digest) -> Option<SeekIndex> {
        let bytes = std::fs::read(self.index_file(digest)).ok()?;
        SeekIndex::decode(&bytes)
    }

    /// Stores the seek index of `digest`, atomically.
    pub fn put_index(&self, digest: &Digest, index: &SeekIndex) -> Result<(), Error> {
        std::fs::create_dir_all(&self.dir).map_err(|source| Error::Cache {
            path: self.dir.clone(),
            source,
        })?;
        let target = self.index_file(digest);
        crate::atomic_file::write_atomic(&target, &index.encode(), None).map_err(|source| {
            Error::Cache {
                path: target.clone(),
                source,
            }
        })
    }

    fn index_file(&self, digest: &Digest) -> PathBuf {
        self.dir.join(format!("{}.{INDEX_EXTENSION}", digest.hex()))
    }

    /// Stores `listing` under `digest`, atomically.
    pub fn put(&self, digest: &Digest, listing: &LayerListing) -> Result<(), Error> {
        let cache_error = |path: &Path, source| Error::Cache {
            path: path.to_owned(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| cache_error(&self.dir, e))?;
        let target = self.file(digest);
        crate::atomic_file::write_atomic(&target, &encode(listing), None)
            .map_err(|e| cache_error(&target, e))
    }

    /// Bytes the cache takes on disk.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.files()
            .filter_map(|p| p.metadata().ok())
            .map(|m| m.len())
            .sum()
    }

    /// Removes every cached listing; returns how many files went.
    pub fn clear(&self) -> Result<usize, Error> {
        let mut removed = 0;
        for path in self.files() {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::Cache { path, source: e }),
            }
        }
        Ok(removed)
    }

    /// Cache files (and leftover temporaries), nothing else in the directory.
    fn files(&self) -> impl Iterator<Item = PathBuf> {
        std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == EXTENSION || x == INDEX_EXTENSION || x == "tmp")
            })
    }
}

/// Clears the cache in `dir` (the settings page's "Clear layer cache").
pub fn clear_cache(dir: &Path) -> Result<usize, Error> {
    LayerCache::new(dir).clear()
}

fn encode(l: &LayerListing) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + RECORD * l.entries.len() + l.arena.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    for v in [
        l.entries.len() as u64,
        l.arena.len() as u64,
        l.blob_bytes,
        l.tar_bytes,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for e in &l.entries {
        let link = e.link.unwrap_or_default();
        out.extend_from_slice(&[
            e.kind.to_byte(),
            u8::from(e.link.is_some()),
            u8::from(e.sha256.is_some()),
            0,
        ]);
        out.extend_from_slice(&e.mode.to_le_bytes());
        for v in [e.size, e.uid, e.gid, e.mtime, e.header_offset, e.span_end] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [
            e.dev_major,
            e.dev_minor,
            e.path.start,
            e.path.len,
            link.start,
            link.len,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&e.sha256.unwrap_or_default());
    }
    out.extend_from_slice(&l.arena);
    out
}

fn decode(bytes: &[u8]) -> Option<LayerListing> {
    let mut r = Cursor { bytes, pos: 0 };
    if r.take(8)? != MAGIC || r.u32()? != VERSION {
        return None;
    }
    r.u32()?;
    let count = usize::try_from(r.u64()?).ok()?;
    let arena_len = usize::try_from(r.u64()?).ok()?;
    let blob_bytes = r.u64()?;
    let tar_bytes = r.u64()?;
    let expected = count
        .checked_mul(RECORD)?
        .checked_add(HEADER)?
        .checked_add(arena_len)?;
    if bytes.len() != expected {
        return None;
    }
    let arena = bytes.get(expected - arena_len..)?.to_vec();
    let span_ok = |s: Span| (s.start as usize + s.len as usize) <= arena_len;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let head = r.take(4)?;
        let kind = EntryKind::from_byte(head[0])?;
        let (has_link, has_sha256) = (head[1] == 1, head[2] == 1);
        let mode = r.u32()?;
        let (size, uid, gid, mtime, header_offset, span_end) =
            (r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?);
        let (dev_major, dev_minor) = (r.u32()?, r.u32()?);
        let path = Span {
            start: r.u32()?,
            len: r.u32()?,
        };
        let link = Span {
            start: r.u32()?,
            len: r.u32()?,
        };
        let sha256: [u8; 32] = r.take(32)?.try_into().ok()?;
        if !span_ok(path) || !span_ok(link) {
            return None;
        }
        entries.push(Entry {
            kind,
            size,
            mode,
            uid,
            gid,
            mtime,
            dev_major,
            dev_minor,
            header_offset,
            sha256: has_sha256.then_some(sha256),
            span_end,
            path,
            link: has_link.then_some(link),
        });
    }
    Some(LayerListing {
        entries,
        arena,
        blob_bytes,
        tar_bytes,
    })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(out)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}
