//! Berth's own store, and any other OCI image layout directory (the image-layout spec:
//! `oci-layout`, `index.json`, `blobs/sha256/`). No daemon: the GUI and the CLI share one
//! directory, coordinated by a lock file.
//!
//! Writing an image (what a pull does): write each blob with [`LayoutStore::write_blob`] or
//! [`LayoutStore::blob_writer`] (present blobs are skipped; every byte is verified against
//! the descriptor while it streams), then [`LayoutStore::commit_ref`], which adds the
//! reference to `index.json` only after checking that every blob the manifest needs is there.
//! A pull that fails or is cancelled leaves only whole, verified blobs, which a later pull
//! reuses and GC removes.
//!
//! Blob writes and `commit_ref`/tag hold the store's lock shared (commits also take the
//! short index lock), so one pull's commit never waits for another pull's blobs; delete and
//! GC hold it exclusively. If a GC ran between a pull's blob writes and its commit,
//! `commit_ref` fails with `MissingBlob` naming what to fetch again.

mod blobs;
mod check;
mod direct;
mod index;
mod lock;
mod prune;
mod read;
mod refs;
mod stale;

pub use blobs::{BlobStatus, BlobWriter, blob_path};
pub use check::{BrokenRef, CorruptBlob, FsckReport, GcReport};
pub use index::{Descriptor, IMAGE_NAME, LayoutIndex, REF_NAME, RefName};
pub use prune::{PrunePlan, PrunedBlob, PrunedFile};

use crate::oci::Digest;
use crate::store::{Error, Result};
use blobs::{BlobWriter as Writer, blobs_dir};
use lock::StoreLock;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const OCI_LAYOUT: &str = "oci-layout";
const OCI_LAYOUT_CONTENT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;
const INDEX: &str = "index.json";
/// Manifests and indexes larger than this are refused (real ones are a few kB).
pub(crate) const MAX_MANIFEST_BYTES: u64 = crate::oci::manifest::MAX_MANIFEST_BYTES as u64;
/// `index.json` larger than this is refused (a million tags take about 300 MB).
pub(crate) const MAX_INDEX_BYTES: u64 = 1024 * 1024 * 1024;
/// Image configs larger than this are refused.
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// An OCI image layout directory.
#[derive(Debug, Clone)]
pub struct LayoutStore {
    dir: PathBuf,
    label: String,
}

impl LayoutStore {
    /// Opens an existing layout (it must have `oci-layout`). Labelled `oci:DIR`.
    pub fn open(dir: &Path) -> Result<Self> {
        let marker = dir.join(OCI_LAYOUT);
        if !marker.is_file() {
            return Err(Error::NotALayout {
                dir: dir.to_owned(),
                reason: format!("{OCI_LAYOUT} is missing"),
            });
        }
        Ok(Self {
            dir: dir.to_owned(),
            label: format!("oci:{}", dir.display()),
        })
    }

    /// Opens the layout at `dir`, creating it (and the directory) if it does not exist.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        let blobs = blobs_dir(dir);
        std::fs::create_dir_all(&blobs).map_err(Error::io("create", &blobs))?;
        if !dir.join(OCI_LAYOUT).is_file() || !dir.join(INDEX).is_file() {
            let _lock = StoreLock::exclusive(dir)?;
            if !dir.join(OCI_LAYOUT).is_file() {
                write_atomically(dir, OCI_LAYOUT, OCI_LAYOUT_CONTENT)?;
            }
            if !dir.join(INDEX).is_file() {
                let empty = serde_json::to_vec(&LayoutIndex::default())
                    .map_err(|e| Error::io("write", dir.join(INDEX))(std::io::Error::other(e)))?;
                write_atomically(dir, INDEX, &empty)?;
            }
        }
        Self::open(dir)
    }

    /// Sets the name the store goes by in lists and errors (`berth`, `oci:DIR`).
    #[must_use]
    pub fn with_label(mut self, label: &str) -> Self {
        label.clone_into(&mut self.label);
        self
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Reads `index.json` (a regular file, up to [`MAX_INDEX_BYTES`]). Callers that need it
    /// to stay put hold the lock.
    pub fn read_index(&self) -> Result<LayoutIndex> {
        let path = self.dir.join(INDEX);
        let (file, len) =
            crate::local_file::open_regular(&path).map_err(|e| Error::open(&path, e))?;
        if len > MAX_INDEX_BYTES {
            return Err(Error::Invalid {
                dir: self.dir.clone(),
                what: INDEX.to_owned(),
                reason: format!("{len} bytes, more than the {MAX_INDEX_BYTES}-byte limit"),
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(MAX_INDEX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(Error::io("read", &path))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
            dir: self.dir.clone(),
            what: INDEX.to_owned(),
            reason: e.to_string(),
        })
    }

    /// Replaces `index.json` atomically. The caller holds the exclusive lock.
    fn write_index(&self, index: &LayoutIndex) -> Result<()> {
        let bytes = serde_json::to_vec(index)
            .map_err(|e| Error::io("write", self.dir.join(INDEX))(std::io::Error::other(e)))?;
        write_atomically(&self.dir, INDEX, &bytes)
    }

    /// Is the blob stored, with this size?
    #[must_use]
    pub fn has_blob(&self, digest: &Digest, size: u64) -> bool {
        blobs::stored_size(&self.dir, digest) == Some(size)
    }

    /// A writer for a blob that is not stored yet; `None` when it already is. The writer
    /// holds the store's lock shared until it is committed or dropped.
    pub fn blob_writer(&self, digest: &Digest, size: u64) -> Result<Option<BlobWriter>> {
        if self.has_blob(digest, size) {
            return Ok(None);
        }
        let lock = Arc::new(StoreLock::shared(&self.dir)?);
        Writer::create(&self.dir, lock, digest, size).map(Some)
    }

    /// Like `blob_writer`, but takes over `earlier`, the file an earlier writer of this blob
    /// left: a dead process's (see [`Self::remove_stale_temp_files_except`]) or this
    /// process's after a broken connection (see [`BlobWriter::keep_for_resume`]). Returns
    /// the writer and how many bytes it already holds (hashed again, so the digest check at
    /// commit still covers every byte); the caller fetches the rest.
    pub fn resume_writer(
        &self,
        digest: &Digest,
        size: u64,
        earlier: Option<&std::path::Path>,
    ) -> Result<Option<(BlobWriter, u64)>> {
        if self.has_blob(digest, size) {
            if let Some(e) = earlier {
                let _ = std::fs::remove_file(e);
            }
            return Ok(None);
        }
        let lock = Arc::new(StoreLock::shared(&self.dir)?);
        if let Some(earlier) = earlier
            && let Some(adopted) = Writer::adopt(&self.dir, lock.clone(), digest, size, earlier)?
        {
            return Ok(Some(adopted));
        }
        Writer::create(&self.dir, lock, digest, size).map(|w| Some((w, 0)))
    }

    /// Streams `reader` into the blob `digest` of `size` bytes, verified; skips the read
    /// when the blob is already stored. `progress` gets the bytes written so far.
    pub fn write_blob(
        &self,
        reader: impl Read,
        digest: &Digest,
        size: u64,
        progress: &mut dyn FnMut(u64),
    ) -> Result<BlobStatus> {
        match self.blob_writer(digest, size)? {
            None => Ok(BlobStatus::AlreadyPresent),
            Some(w) => blobs::copy_into(w, reader, progress).map(|()| BlobStatus::Written),
        }
    }

    /// Stores a small blob (a manifest or config) held in memory; returns its digest.
    pub fn put_bytes(&self, bytes: &[u8]) -> Result<Digest> {
        let digest = Digest::of(bytes);
        self.write_blob(bytes, &digest, bytes.len() as u64, &mut |_| {})?;
        Ok(digest)
    }

    /// Opens a stored blob for reading (layers are streamed; verify while reading). Only a
    /// regular file opens: a pipe or a device under a blob's name is an error, not a wait.
    pub fn open_blob(&self, digest: &Digest) -> Result<std::fs::File> {
        Ok(self.open_blob_with_size(digest)?.0)
    }

    /// Like [`Self::open_blob`], and checks the size on disk against `size` (the
    /// descriptor's) before a byte is read.
    pub fn open_blob_sized(&self, digest: &Digest, size: u64) -> Result<std::fs::File> {
        let (file, stored) = self.open_blob_with_size(digest)?;
        if stored != size {
            return Err(Error::Verify {
                digest: digest.clone(),
                source: crate::oci::VerifyError::SizeMismatch {
                    expected: size,
                    actual: stored,
                },
            });
        }
        Ok(file)
    }

    fn open_blob_with_size(&self, digest: &Digest) -> Result<(std::fs::File, u64)> {
        let path = blob_path(&self.dir, digest);
        crate::local_file::open_regular(&path).map_err(|e| match e {
            crate::local_file::OpenError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Error::MissingBlob {
                    dir: self.dir.clone(),
                    digest: digest.clone(),
                }
            }
            e => Error::open(&path, e),
        })
    }

    /// Reads a small stored blob whole, verified against its digest.
    pub fn read_blob(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>> {
        blobs::read_verified(&self.dir, digest, limit)
    }

    /// Points `name` at `descriptor` (a manifest or index) in `index.json`, replacing what
    /// the name pointed at before. Fails with `MissingBlob` (or `Invalid`) unless every blob
    /// the manifest needs is stored and matches its descriptor's size.
    pub fn commit_ref(&self, name: &RefName, descriptor: Descriptor) -> Result<()> {
        // Shared: other pulls go on writing meanwhile; GC and deletes wait.
        let _lock = StoreLock::shared(&self.dir)?;
        let _index = StoreLock::index(&self.dir)?;
        let mut c = check::Closure::default();
        check::walk(
            &self.dir,
            &descriptor.digest,
            &descriptor.media_type,
            descriptor.size,
            &mut c,
        );
        if let Some(digest) = c.missing.into_iter().next() {
            return Err(Error::MissingBlob {
                dir: self.dir.clone(),
                digest,
            });
        }
        if let Some((digest, reason)) = c.invalid.into_iter().next() {
            return Err(Error::Invalid {
                dir: self.dir.clone(),
                what: format!("blob {digest}"),
                reason,
            });
        }
        let mut index = self.read_index()?;
        index.set(name, descriptor);
        self.write_index(&index)
    }
}

/// A descriptor for a manifest stored from `bytes` with `media_type` (helper for commits).
#[must_use]
pub fn manifest_descriptor(media_type: &str, bytes: &[u8]) -> Descriptor {
    Descriptor::new(media_type, Digest::of(bytes), bytes.len() as u64)
}

/// Replaces `DIR/name` whole (see `crate::atomic_file`): readers see the old file or the new.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let target = dir.join(name);
    crate::atomic_file::write_atomic(&target, bytes, None).map_err(Error::io("write", &target))
}

#[cfg(test)]
mod tests;
