//! Changing a layout's references: resolving what a reference means, tagging, and deleting.
//! A delete removes the references, then exactly the blobs that only they needed; blobs
//! nothing referenced before (left by a cancelled pull) stay for an explicit GC, so a delete
//! never takes the blobs a running pull has written but not committed yet.

use super::LayoutStore;
use super::blobs::blobs_dir;
use super::check::closure_of;
use super::index::{LayoutIndex, RefName};
use super::lock::StoreLock;
use crate::oci::LocalName;
use crate::store::{DeleteOutcome, DeletePlan, Error, Result};
use std::collections::BTreeSet;

impl LayoutStore {
    /// The entries `query` means; `NotFound` when none.
    pub(crate) fn resolve(&self, index: &LayoutIndex, query: &LocalName) -> Result<Vec<usize>> {
        let found = index.find(query);
        if found.is_empty() {
            return Err(Error::NotFound {
                store: self.label().to_owned(),
                reference: if query.is_default() {
                    crate::oci::DEFAULT_TAG.to_owned()
                } else {
                    query.to_string()
                },
            });
        }
        Ok(found)
    }

    /// The one entry `query` means. Several entries with one digest are the same image;
    /// several digests are `Ambiguous`.
    pub(crate) fn resolve_one(&self, index: &LayoutIndex, query: &LocalName) -> Result<usize> {
        let found = self.resolve(index, query)?;
        let first = found[0];
        if found
            .iter()
            .all(|&i| index.manifests[i].digest == index.manifests[first].digest)
        {
            return Ok(first);
        }
        Err(self.ambiguous(index, query, &found))
    }

    fn ambiguous(&self, index: &LayoutIndex, query: &LocalName, found: &[usize]) -> Error {
        Error::Ambiguous {
            store: self.label().to_owned(),
            reference: query.to_string(),
            candidates: found.iter().map(|&i| display(index, i)).collect(),
        }
    }

    /// Adds the name `target` for the image `source` names, in this store.
    pub fn add_tag(&self, source: &LocalName, target: &RefName) -> Result<()> {
        let _lock = StoreLock::shared(self.dir())?;
        let _index = StoreLock::index(self.dir())?;
        let mut index = self.read_index()?;
        let mut descriptor = index.manifests[self.resolve_one(&index, source)?].clone();
        target.apply(&mut descriptor.annotations);
        index.set(target, descriptor);
        self.write_index(&index)
    }

    /// What deleting `query` removes: the named reference (every reference with that digest
    /// when `query` is a digest), the references that share the digest and stay, and the
    /// bytes freed.
    pub fn plan_removal(&self, query: &str) -> Result<DeletePlan> {
        let _lock = StoreLock::for_read(self.dir());
        let index = self.read_index()?;
        let name = LocalName::parse(query);
        let found = self.resolve(&index, &name)?;
        let by_digest = query.starts_with("sha256:") || query.contains('@');
        let digest = index.manifests[found[0]].digest.clone();
        if !by_digest && found.len() > 1 {
            return Err(self.ambiguous(&index, &name, &found));
        }
        if found.iter().any(|&i| index.manifests[i].digest != digest) {
            return Err(self.ambiguous(&index, &name, &found));
        }
        let (gone, kept) = split(&index, &found);
        let freed = freed_blobs(self, &index, &found)
            .iter()
            .map(|(_, s)| s)
            .sum();
        Ok(DeletePlan {
            store: self.label().to_owned(),
            reference: query.to_owned(),
            digest,
            removed_refs: gone,
            removes_image: kept.is_empty(),
            kept_refs: kept,
            containers: Vec::new(),
            image_containers: Vec::new(),
            needs_force: false,
            freed_bytes: Some(freed),
        })
    }

    /// Carries out `plan`: removes its references (those still pointing at its digest),
    /// then the blobs only they needed.
    pub fn remove(&self, plan: &DeletePlan) -> Result<DeleteOutcome> {
        let _lock = StoreLock::exclusive(self.dir())?;
        let _index = StoreLock::index(self.dir())?;
        let mut index = self.read_index()?;
        let targets: Vec<usize> = (0..index.manifests.len())
            .filter(|&i| {
                index.manifests[i].digest == plan.digest
                    && plan.removed_refs.contains(&display(&index, i))
            })
            .collect();
        if targets.is_empty() {
            return Err(Error::NotFound {
                store: self.label().to_owned(),
                reference: plan.reference.clone(),
            });
        }
        let freed = freed_blobs(self, &index, &targets);
        let removed_refs = targets.iter().map(|&i| display(&index, i)).collect();
        let keep: BTreeSet<usize> = (0..index.manifests.len())
            .filter(|i| !targets.contains(i))
            .collect();
        index.manifests = std::mem::take(&mut index.manifests)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .map(|(_, d)| d)
            .collect();
        self.write_index(&index)?;
        let blobs = blobs_dir(self.dir());
        let mut outcome = DeleteOutcome {
            removed_refs,
            deleted: Vec::new(),
            freed_bytes: Some(0),
        };
        let mut bytes = 0;
        for (digest, size) in freed {
            let path = blobs.join(digest.hex());
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    bytes += size;
                    outcome.deleted.push(digest.to_string());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", &path)(e)),
            }
        }
        outcome.freed_bytes = Some(bytes);
        Ok(outcome)
    }
}

/// The name an entry goes by (its full name, tag, or `@digest`).
fn display(index: &LayoutIndex, i: usize) -> String {
    let d = &index.manifests[i];
    d.ref_name()
        .display()
        .map_or_else(|| format!("@{}", d.digest), str::to_owned)
}

/// Names of the entries in `found`, and of the other entries with the same digest.
fn split(index: &LayoutIndex, found: &[usize]) -> (Vec<String>, Vec<String>) {
    let digest = &index.manifests[found[0]].digest;
    let gone = found.iter().map(|&i| display(index, i)).collect();
    let kept = (0..index.manifests.len())
        .filter(|i| !found.contains(i) && &index.manifests[*i].digest == digest)
        .map(|i| display(index, i))
        .collect();
    (gone, kept)
}

/// The blobs that the entries in `found` need and no other entry does.
fn freed_blobs(
    store: &LayoutStore,
    index: &LayoutIndex,
    found: &[usize],
) -> Vec<(crate::oci::Digest, u64)> {
    let subset = |keep: bool| LayoutIndex {
        manifests: (0..index.manifests.len())
            .filter(|i| found.contains(i) != keep)
            .map(|i| index.manifests[i].clone())
            .collect(),
        ..LayoutIndex::default()
    };
    let gone = closure_of(store.dir(), &subset(false));
    let kept = closure_of(store.dir(), &subset(true));
    // A damaged manifest hides what it needs: then keep every blob.
    if !kept.invalid.is_empty() {
        return Vec::new();
    }
    gone.blobs
        .into_iter()
        .filter(|(d, _)| !kept.blobs.contains_key(d))
        .collect()
}
