//! Prune of a layout, planned first (ARCHITECTURE.md, "A confirmation is a contract"): the
//! plan lists every blob no reference needs and every leftover temporary file, with sizes;
//! the run removes exactly that list, and refuses, removing nothing, when a planned blob has
//! become referenced since (an image pulled or tagged meanwhile).

use super::LayoutStore;
use super::blobs::blobs_dir;
use super::check::{GcReport, closure_of, scan};
use super::lock::StoreLock;
use crate::oci::Digest;
use crate::store::{Error, Result};
use serde::Serialize;

/// A blob prune removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrunedBlob {
    pub digest: Digest,
    pub size: u64,
}

/// A leftover temporary file prune removes (a killed writer's partial blob).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrunedFile {
    /// The name in `blobs/sha256`.
    pub name: String,
    pub size: u64,
}

/// What a prune removes, computed before anything is removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrunePlan {
    pub store: String,
    /// Blobs no reference needs.
    pub blobs: Vec<PrunedBlob>,
    pub temp_files: Vec<PrunedFile>,
    pub freed_bytes: u64,
}

impl PrunePlan {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.blobs.is_empty() && self.temp_files.is_empty()
    }
}

impl LayoutStore {
    /// What [`LayoutStore::prune_planned`] would remove now. Refuses when a manifest cannot
    /// be read, since what it references is then unknown.
    pub fn plan_prune(&self) -> Result<PrunePlan> {
        let _lock = StoreLock::for_read(self.dir());
        let index = self.read_index()?;
        let closure = closure_of(self.dir(), &index);
        if let Some((digest, reason)) = closure.invalid.iter().next() {
            return Err(Error::Invalid {
                dir: self.dir().to_owned(),
                what: format!("blob {digest} (prune stopped; run fsck)"),
                reason: reason.clone(),
            });
        }
        let found = scan(self.dir())?;
        let blobs: Vec<PrunedBlob> = found
            .blobs
            .into_iter()
            .filter(|(d, _)| !closure.blobs.contains_key(d))
            .map(|(digest, size)| PrunedBlob { digest, size })
            .collect();
        let temp_files: Vec<PrunedFile> = found
            .temp_files
            .into_iter()
            .map(|(name, size)| PrunedFile { name, size })
            .collect();
        let freed_bytes = blobs.iter().map(|b| b.size).sum::<u64>()
            + temp_files.iter().map(|t| t.size).sum::<u64>();
        Ok(PrunePlan {
            store: self.label().to_owned(),
            blobs,
            temp_files,
            freed_bytes,
        })
    }

    /// Removes what `plan` lists and nothing else. Under the exclusive store lock (no write
    /// in progress) it first checks that no reference needs a planned blob now; if one does,
    /// nothing is removed. A planned file that is already gone is skipped.
    pub fn prune_planned(&self, plan: &PrunePlan) -> Result<GcReport> {
        let _lock = StoreLock::exclusive(self.dir())?;
        let index = self.read_index()?;
        let closure = closure_of(self.dir(), &index);
        if let Some((digest, reason)) = closure.invalid.iter().next() {
            return Err(Error::Invalid {
                dir: self.dir().to_owned(),
                what: format!("blob {digest} (prune stopped; run fsck)"),
                reason: reason.clone(),
            });
        }
        let needed = plan
            .blobs
            .iter()
            .find(|b| closure.blobs.contains_key(&b.digest) || closure.missing.contains(&b.digest));
        if let Some(b) = needed {
            return Err(Error::PruneChanged {
                store: plan.store.clone(),
                blob: b.digest.to_string(),
            });
        }
        let dir = blobs_dir(self.dir());
        let mut report = GcReport::default();
        for b in &plan.blobs {
            if remove_if_present(&dir.join(b.digest.hex()))? {
                report.freed_bytes += b.size;
                report.removed_blobs.push(b.digest.clone());
            }
        }
        for t in &plan.temp_files {
            if remove_if_present(&dir.join(&t.name))? {
                report.freed_bytes += t.size;
                report.removed_temp_files.push(t.name.clone());
            }
        }
        Ok(report)
    }
}

/// Removes `path`; false when it was already gone (another prune got there first).
fn remove_if_present(path: &std::path::Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io("remove", path)(e)),
    }
}
