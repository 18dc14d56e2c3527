//! Writing and reading blobs. A write streams into a temporary file next to the blob's final
//! place (`blobs/sha256/.tmp-…`), checks size and digest on every chunk, then fsyncs and
//! renames: a blob under its digest's name is always whole and verified. A writer that is
//! dropped before `commit` removes its temporary file; one killed outright leaves it for the
//! next writer of the same blob to go on from (`adopt`), or for GC.

use super::direct::BlobFile;
use super::lock::StoreLock;
use crate::oci::{Digest, Verifier};
use crate::store::{Error, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files start with this; fsck reports them and GC removes them.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";
const READ_BUFFER: usize = 1024 * 1024;

/// Whether `write_blob` had to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlobStatus {
    Written,
    AlreadyPresent,
}

/// A new temporary file's path: `.tmp-HEX-PID-N`, so that the next writer of the same blob
/// can take it over once this process is gone.
fn temp_path(dir: &Path, digest: &Digest) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    blobs_dir(dir).join(format!(
        "{TEMP_PREFIX}{}-{}-{}",
        digest.hex(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// `DIR/blobs/sha256/HEX`.
#[must_use]
pub fn blob_path(dir: &Path, digest: &Digest) -> PathBuf {
    blobs_dir(dir).join(digest.hex())
}

pub(crate) fn blobs_dir(dir: &Path) -> PathBuf {
    dir.join("blobs").join("sha256")
}

/// One blob being written. Holds the store's lock shared until it is committed or dropped.
pub struct BlobWriter {
    _lock: Arc<StoreLock>,
    file: Option<BlobFile>,
    temp: PathBuf,
    dest: PathBuf,
    dir: PathBuf,
    digest: Digest,
    verifier: Option<Verifier>,
}

impl BlobWriter {
    pub(crate) fn create(
        dir: &Path,
        lock: Arc<StoreLock>,
        digest: &Digest,
        size: u64,
    ) -> Result<Self> {
        let temp = temp_path(dir, digest);
        let file = BlobFile::create(&temp).map_err(Error::io("create", &temp))?;
        Ok(Self::with_file(dir, lock, digest, size, temp, file))
    }

    fn with_file(
        dir: &Path,
        lock: Arc<StoreLock>,
        digest: &Digest,
        size: u64,
        temp: PathBuf,
        file: BlobFile,
    ) -> Self {
        let blobs = blobs_dir(dir);
        Self {
            _lock: lock,
            file: Some(file),
            dest: blobs.join(digest.hex()),
            temp,
            dir: blobs,
            digest: digest.clone(),
            verifier: Some(Verifier::new(Some(digest.clone()), Some(size))),
        }
    }

    /// Takes over `stale`, the temporary file of a writer that died, and keeps its first
    /// bytes (whole blocks, and never the whole blob): they are hashed again here, and the
    /// writer goes on after them. Returns the writer and how many bytes it kept; `None` when
    /// another writer took the file first or it cannot be read (a fresh writer is the answer
    /// then).
    pub(crate) fn adopt(
        dir: &Path,
        lock: Arc<StoreLock>,
        digest: &Digest,
        size: u64,
        stale: &Path,
    ) -> Result<Option<(Self, u64)>> {
        let temp = temp_path(dir, digest);
        // The rename is the claim: of two writers, one finds the file gone.
        match std::fs::rename(stale, &temp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("rename", stale)(e)),
        }
        let len = std::fs::metadata(&temp).map_or(0, |m| m.len());
        let keep = super::direct::aligned_down(len.min(size.saturating_sub(1)));
        let mut verifier = Verifier::new(Some(digest.clone()), Some(size));
        // Only a regular file is taken over: a pipe under a temporary name would block.
        let opened = crate::local_file::open_regular(&temp)
            .map(|(f, _)| f)
            .map_err(std::io::Error::other);
        let rehashed = opened.and_then(|f| {
            let mut reader = f.take(keep);
            let mut buf = vec![0u8; READ_BUFFER];
            loop {
                let n = reader.read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                // Never more than `size - 1` bytes: the size check cannot fail here.
                let _ = verifier.update(&buf[..n]);
            }
        });
        let Ok(file) = rehashed.and_then(|()| BlobFile::reopen(&temp, keep)) else {
            let _ = std::fs::remove_file(&temp);
            return Ok(None);
        };
        let mut writer = Self::with_file(dir, lock, digest, size, temp, file);
        writer.verifier = Some(verifier);
        Ok(Some((writer, keep)))
    }

    /// Checks `chunk` (a size overrun fails here, before it is written) and writes it. With
    /// the verifier detached, the caller has checked it already.
    pub fn write_chunk(&mut self, chunk: &[u8]) -> Result<()> {
        let Some(file) = self.file.as_mut() else {
            return Err(Error::Task {
                reason: "write after commit".to_owned(),
            });
        };
        if let Some(verifier) = self.verifier.as_mut() {
            verifier.update(chunk).map_err(|source| Error::Verify {
                digest: self.digest.clone(),
                source,
            })?;
        }
        file.write_all(chunk)
            .map_err(Error::io("write", self.temp.clone()))
    }

    /// Takes the digest check out of the writer, so that it can run on another thread (next
    /// to the network) while this one only writes. Every chunk must then pass through the
    /// verifier before `write_chunk`, and only [`Self::commit_checked`] with this verifier
    /// commits.
    pub fn detach_verifier(&mut self) -> Result<Verifier> {
        self.verifier.take().ok_or_else(|| Error::Task {
            reason: "the verifier is already detached".to_owned(),
        })
    }

    /// Stops here, keeping on disk the whole chunks written so far (bytes still in the
    /// buffer are dropped) for a next writer to take over with
    /// [`super::LayoutStore::resume_writer`]; returns the file's path.
    #[must_use]
    pub fn keep_for_resume(mut self) -> PathBuf {
        drop(self.file.take());
        self.temp.clone()
    }

    /// Bytes accepted so far.
    #[must_use]
    pub fn written(&self) -> u64 {
        self.file.as_ref().map_or(0, BlobFile::len)
    }

    #[must_use]
    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    /// Verifies size and digest, fsyncs, and moves the blob into place. On a mismatch the
    /// temporary file is removed and nothing is stored.
    pub fn commit(mut self) -> Result<()> {
        let Some(verifier) = self.verifier.take() else {
            return Err(Error::Task {
                reason: "commit without a verifier".to_owned(),
            });
        };
        self.commit_checked(verifier)
    }

    /// `commit` with a verifier that saw every written byte (see [`Self::detach_verifier`]):
    /// it must end on this blob's digest, having seen exactly as many bytes as were written.
    pub fn commit_checked(mut self, verifier: Verifier) -> Result<()> {
        let Some(file) = self.file.take() else {
            return Err(Error::Task {
                reason: "commit twice".to_owned(),
            });
        };
        let result = (|| {
            let seen = verifier.bytes_seen();
            let actual = verifier.finish().map_err(|source| Error::Verify {
                digest: self.digest.clone(),
                source,
            })?;
            if actual != self.digest || seen != file.len() {
                return Err(Error::Task {
                    reason: format!(
                        "{} was checked as {actual} ({seen} bytes) but {} bytes were written",
                        self.digest,
                        file.len()
                    ),
                });
            }
            let file = file
                .finish()
                .map_err(Error::io("write", self.temp.clone()))?;
            file.sync_all()
                .map_err(Error::io("sync", self.temp.clone()))?;
            drop(file);
            std::fs::rename(&self.temp, &self.dest).map_err(Error::io("rename", &self.dest))?;
            sync_dir(&self.dir)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        result
    }
}

impl Write for BlobWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_chunk(buf).map_err(std::io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Streams `reader` into a blob writer, calling `progress` with the bytes written so far.
pub(crate) fn copy_into(
    mut writer: BlobWriter,
    mut reader: impl Read,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let mut buf = vec![0u8; READ_BUFFER];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("read the source of", writer.temp.clone())(e)),
        };
        writer.write_chunk(&buf[..n])?;
        progress(writer.written());
    }
    writer.commit()
}

/// The size of a stored blob, if it is there.
pub(crate) fn stored_size(dir: &Path, digest: &Digest) -> Option<u64> {
    std::fs::metadata(blob_path(dir, digest))
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
}

/// A small blob (manifest, config), read whole and checked against its digest.
pub(crate) fn read_verified(dir: &Path, digest: &Digest, limit: u64) -> Result<Vec<u8>> {
    let path = blob_path(dir, digest);
    let (file, len) = match crate::local_file::open_regular(&path) {
        Ok(opened) => opened,
        Err(crate::local_file::OpenError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::MissingBlob {
                dir: dir.to_owned(),
                digest: digest.clone(),
            });
        }
        Err(e) => return Err(Error::open(&path, e)),
    };
    if len > limit {
        return Err(Error::TooLarge {
            digest: digest.clone(),
            limit,
        });
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Error::io("read", &path))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            digest: digest.clone(),
            limit,
        });
    }
    let mut v = Verifier::new(Some(digest.clone()), None);
    v.update(&bytes)
        .and_then(|()| v.finish())
        .map_err(|source| Error::Verify {
            digest: digest.clone(),
            source,
        })?;
    Ok(bytes)
}

/// Hashes a stored blob from disk: its digest and size as they are now.
pub(crate) fn hash_file(path: &Path) -> Result<(Digest, u64)> {
    let (mut file, _) = crate::local_file::open_regular(path).map_err(|e| Error::open(path, e))?;
    let mut v = Verifier::new(None, None);
    let mut buf = vec![0u8; READ_BUFFER];
    loop {
        let n = file.read(&mut buf).map_err(Error::io("read", path))?;
        if n == 0 {
            break;
        }
        // Without expectations the verifier cannot fail.
        let _ = v.update(&buf[..n]);
    }
    let size = v.bytes_seen();
    let digest = v.finish().map_err(|source| Error::Verify {
        digest: Digest::of(b""),
        source,
    })?;
    Ok((digest, size))
}

/// Makes a rename durable: fsync the directory that holds the new name.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    crate::atomic_file::sync_dir(dir).map_err(Error::io("sync", dir))
}
