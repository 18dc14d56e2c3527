//! What a layout's references need (their closure), and the operations built on it:
//! disk usage, garbage collection and fsck. A blob nothing references (say, one left by a
//! cancelled pull) is not damage, nor is the temporary file of a killed pull (the next pull
//! resumes it): fsck counts both as reclaimable and GC and prune remove them. A blob that is
//! not a regular file (a link to `/dev/zero`, a named pipe) is damage, found without
//! reading it.

use super::blobs::{TEMP_PREFIX, blobs_dir, hash_file, read_verified, stored_size};
use super::index::LayoutIndex;
use super::lock::StoreLock;
use super::{LayoutStore, MAX_MANIFEST_BYTES};
use crate::oci::{Digest, FetchedManifest, Manifest, media};
use crate::store::{DiskUsage, Error, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The blobs some references need, and what is wrong with them.
#[derive(Debug, Default)]
pub(crate) struct Closure {
    /// Present blobs, with their size on disk.
    pub blobs: BTreeMap<Digest, u64>,
    pub missing: BTreeSet<Digest>,
    /// Manifests that cannot be read or parsed, and blobs whose size is off.
    pub invalid: BTreeMap<Digest, String>,
}

impl Closure {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.invalid.is_empty()
    }
}

/// Adds everything `digest` (a manifest or index of `media_type`) needs to `closure`.
pub(crate) fn walk(dir: &Path, digest: &Digest, media_type: &str, size: u64, c: &mut Closure) {
    if c.blobs.contains_key(digest) || c.invalid.contains_key(digest) {
        return;
    }
    let Some(stored) = stored_size(dir, digest) else {
        c.missing.insert(digest.clone());
        return;
    };
    if stored != size {
        c.invalid.insert(
            digest.clone(),
            format!("stored size {stored}, descriptor says {size}"),
        );
        return;
    }
    let parsed = read_verified(dir, digest, MAX_MANIFEST_BYTES).and_then(|bytes| {
        FetchedManifest::parse(bytes, Some(media_type), digest.clone()).map_err(|e| {
            Error::Invalid {
                dir: dir.to_owned(),
                what: format!("manifest {digest}"),
                reason: e.0,
            }
        })
    });
    let manifest = match parsed {
        Ok(m) => m,
        Err(e) => {
            c.invalid.insert(digest.clone(), e.to_string());
            return;
        }
    };
    c.blobs.insert(digest.clone(), stored);
    match &manifest.manifest {
        Manifest::Index(_) => {
            for child in manifest.index_entries() {
                walk(dir, &child.digest, &child.media_type, child.size, c);
            }
        }
        Manifest::Image(m) => {
            let config = std::iter::once((m.config().digest(), m.config().size(), ""));
            let layers = m
                .layers()
                .iter()
                .map(|l| (l.digest(), l.size(), l.media_type().as_ref()));
            for (d, size, media_type) in config.chain(layers) {
                let Ok(d) = Digest::parse(d.as_ref()) else {
                    c.invalid
                        .insert(digest.clone(), format!("unsupported digest {d}"));
                    continue;
                };
                match stored_size(dir, &d) {
                    Some(s) if s == size => {
                        c.blobs.insert(d, s);
                    }
                    Some(s) => {
                        c.invalid
                            .insert(d, format!("stored size {s}, descriptor says {size}"));
                    }
                    // Foreign layers live elsewhere by design.
                    None if media_type == media::DOCKER_LAYER_FOREIGN
                        || media_type.contains("nondistributable") => {}
                    None => {
                        c.missing.insert(d);
                    }
                }
            }
        }
    }
}

/// The closure of every entry of `index`.
pub(crate) fn closure_of(dir: &Path, index: &LayoutIndex) -> Closure {
    let mut c = Closure::default();
    for d in &index.manifests {
        walk(dir, &d.digest, &d.media_type, d.size, &mut c);
    }
    c
}

/// What is in `blobs/sha256`: blobs by digest (with size), temporary files, other files.
#[derive(Debug, Default)]
pub(crate) struct BlobScan {
    pub blobs: BTreeMap<Digest, u64>,
    pub temp_files: Vec<(String, u64)>,
    pub stray_files: Vec<String>,
}

pub(crate) fn scan(dir: &Path) -> Result<BlobScan> {
    let blobs = blobs_dir(dir);
    let mut out = BlobScan::default();
    let entries = match std::fs::read_dir(&blobs) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io("list", &blobs)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(Error::io("list", &blobs))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let len = entry.metadata().map_or(0, |m| m.len());
        if name.starts_with(TEMP_PREFIX) {
            out.temp_files.push((name, len));
        } else if let Ok(d) = Digest::parse(&format!("sha256:{name}")) {
            out.blobs.insert(d, len);
        } else {
            out.stray_files.push(name);
        }
    }
    Ok(out)
}

/// What GC removed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcReport {
    pub removed_blobs: Vec<Digest>,
    pub removed_temp_files: Vec<String>,
    pub freed_bytes: u64,
}

/// A blob whose bytes no longer match its name.
#[derive(Debug, Clone, Serialize)]
pub struct CorruptBlob {
    pub digest: Digest,
    pub actual: Digest,
    pub size: u64,
}

/// A reference whose closure is not whole.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenRef {
    pub reference: String,
    pub digest: Digest,
    pub missing: Vec<Digest>,
    pub invalid: BTreeMap<Digest, String>,
}

/// A blob name in `blobs/sha256` that is not a regular file (nothing was read from it).
#[derive(Debug, Clone, Serialize)]
pub struct NotAFile {
    pub digest: Digest,
    /// What it is instead: `fifo`, `char_device`, `block_device`, `socket`, `directory`,
    /// `symlink` (to nothing) or `other` (see [`crate::local_file::FileType`]).
    pub file_type: &'static str,
}

/// What fsck found. Unreferenced blobs and the temporary files of killed pulls are
/// reclaimable, not problems.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FsckReport {
    pub refs: usize,
    pub blobs: usize,
    pub bytes_checked: u64,
    pub corrupt: Vec<CorruptBlob>,
    /// Blob names that are not regular files; their content was not read.
    pub not_files: Vec<NotAFile>,
    pub broken_refs: Vec<BrokenRef>,
    /// Leftovers of interrupted writes (a killed pull): the next pull of the same blob
    /// resumes from them, prune removes them. Counted in `reclaimable_bytes`.
    pub temp_files: Vec<String>,
    pub stray_files: Vec<String>,
    pub unreferenced: Vec<Digest>,
    pub reclaimable_bytes: u64,
}

impl FsckReport {
    /// No corrupt blob, no blob that is not a file, no broken reference, no stray file.
    /// Unreferenced blobs and leftover temporary files are reclaimable, not damage.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.corrupt.is_empty()
            && self.not_files.is_empty()
            && self.broken_refs.is_empty()
            && self.stray_files.is_empty()
    }
}

impl LayoutStore {
    /// Removes every blob no reference needs, and leftover temporary files. Refuses when a
    /// manifest cannot be read, since what it references is then unknown.
    pub fn gc(&self) -> Result<GcReport> {
        let _lock = StoreLock::exclusive(self.dir())?;
        let index = self.read_index()?;
        let closure = closure_of(self.dir(), &index);
        if let Some((digest, reason)) = closure.invalid.iter().next() {
            return Err(Error::Invalid {
                dir: self.dir().to_owned(),
                what: format!("blob {digest} (GC stopped; run fsck)"),
                reason: reason.clone(),
            });
        }
        let found = scan(self.dir())?;
        let mut report = GcReport::default();
        let blobs = blobs_dir(self.dir());
        for (digest, size) in found.blobs {
            if closure.blobs.contains_key(&digest) {
                continue;
            }
            let path = blobs.join(digest.hex());
            std::fs::remove_file(&path).map_err(Error::io("remove", &path))?;
            report.freed_bytes += size;
            report.removed_blobs.push(digest);
        }
        for (name, size) in found.temp_files {
            let path = blobs.join(&name);
            std::fs::remove_file(&path).map_err(Error::io("remove", &path))?;
            report.freed_bytes += size;
            report.removed_temp_files.push(name);
        }
        Ok(report)
    }

    /// Checks every blob's digest, every reference's closure, and that no temporary file is
    /// left. Holds the lock exclusively, so no write is in progress while it looks.
    pub fn fsck(&self) -> Result<FsckReport> {
        let _lock =
            StoreLock::exclusive(self.dir()).unwrap_or_else(|_| StoreLock::for_read(self.dir()));
        let index = self.read_index()?;
        let found = scan(self.dir())?;
        let mut report = FsckReport {
            refs: index.manifests.len(),
            blobs: found.blobs.len(),
            reclaimable_bytes: found.temp_files.iter().map(|(_, size)| size).sum(),
            temp_files: found.temp_files.into_iter().map(|(n, _)| n).collect(),
            stray_files: found.stray_files,
            ..FsckReport::default()
        };
        let blobs = blobs_dir(self.dir());
        for digest in found.blobs.keys() {
            let (actual, size) = match hash_file(&blobs.join(digest.hex())) {
                Ok(hashed) => hashed,
                Err(Error::NotAFile { file_type, .. }) => {
                    report.not_files.push(NotAFile {
                        digest: digest.clone(),
                        file_type: file_type.name(),
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            report.bytes_checked += size;
            if &actual != digest {
                report.corrupt.push(CorruptBlob {
                    digest: digest.clone(),
                    actual,
                    size,
                });
            }
        }
        let mut referenced = BTreeSet::new();
        for d in &index.manifests {
            let mut c = Closure::default();
            walk(self.dir(), &d.digest, &d.media_type, d.size, &mut c);
            // A blob that is there but not a regular file is not "missing": say what it is.
            for n in &report.not_files {
                if c.missing.remove(&n.digest) {
                    c.invalid.insert(
                        n.digest.clone(),
                        format!("not a regular file ({})", n.file_type),
                    );
                }
            }
            if !c.is_complete() {
                report.broken_refs.push(BrokenRef {
                    reference: d
                        .ref_name()
                        .display()
                        .unwrap_or(d.digest.as_str())
                        .to_owned(),
                    digest: d.digest.clone(),
                    missing: c.missing.into_iter().collect(),
                    invalid: c.invalid,
                });
            }
            referenced.extend(c.blobs.into_keys());
        }
        for (digest, size) in &found.blobs {
            if !referenced.contains(digest) && !report.not_files.iter().any(|n| &n.digest == digest)
            {
                report.unreferenced.push(digest.clone());
                report.reclaimable_bytes += size;
            }
        }
        Ok(report)
    }

    /// Bytes on disk, and how many of them GC would free.
    pub fn usage(&self) -> Result<DiskUsage> {
        let _lock = StoreLock::for_read(self.dir());
        let index = self.read_index()?;
        let found = scan(self.dir())?;
        let closure = closure_of(self.dir(), &index);
        let total: u64 = found.blobs.values().sum::<u64>()
            + found.temp_files.iter().map(|(_, s)| s).sum::<u64>();
        let referenced: u64 = closure.blobs.values().sum();
        Ok(DiskUsage {
            images: index.manifests.len(),
            total_bytes: total,
            reclaimable_bytes: total.saturating_sub(referenced),
        })
    }
}
