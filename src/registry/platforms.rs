//! The platforms of an index with their sizes: one manifest GET per platform image (never a
//! config or a layer), a few at a time. Used by the tags table (a multi-platform tag's size)
//! and the Overview's platforms table.

use super::client::RegistryClient;
use crate::oci::image::PlatformSize;
use crate::oci::{FetchedManifest, IndexEntry, Reference, Repository};
use futures_util::StreamExt as _;

/// How many platform manifests are asked for at once.
const CONCURRENCY: usize = 4;

impl RegistryClient {
    /// The manifest of every platform image among `entries` (attestations left out), in
    /// their order; `None` for one that could not be read, so one missing child does not
    /// hide the others.
    pub async fn platform_manifests(
        &self,
        repository: &Repository,
        entries: &[IndexEntry],
    ) -> Vec<(IndexEntry, Option<FetchedManifest>)> {
        // Built in a loop, not in a `map` closure: a closure's future would be generic over
        // its argument's lifetime and no longer provably `Send`.
        let mut reads = Vec::new();
        for entry in entries.iter().filter(|e| e.is_platform_image()) {
            let reference = Reference::Digest(entry.digest.clone());
            let entry = entry.clone();
            reads.push(async move {
                let manifest = self.manifest(repository, &reference).await.ok();
                (entry, manifest)
            });
        }
        futures_util::stream::iter(reads)
            .buffered(CONCURRENCY)
            .collect()
            .await
    }

    /// Every platform image of `entries` with what a pull of it moves.
    pub async fn platform_sizes(
        &self,
        repository: &Repository,
        entries: &[IndexEntry],
    ) -> Vec<PlatformSize> {
        self.platform_manifests(repository, entries)
            .await
            .iter()
            .filter_map(|(entry, manifest)| PlatformSize::of(entry, manifest.as_ref()))
            .collect()
    }
}
