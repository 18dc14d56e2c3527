//! Looking through a repository for artifacts whose `subject` names an image: what the window
//! offers where the registry has no referrers API and no fallback tag lists them
//! (ARCHITECTURE.md: a read is a future the view owns, so dropping it stops the search).
//!
//! The search lists the repository's tags, asks each for its digest (HEAD: free on Docker
//! Hub) and reads only manifests it has not read before: what a manifest says about its
//! subject is fixed by its digest, so the answer is cached by digest for as long as the cache
//! lives. At most [`MAX_SEARCHED_MANIFESTS`] tags are looked at, a few at a time.

use super::client::RegistryClient;
use super::error::{Error, Result};
use crate::oci::image::Referrer;
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository};
use futures_util::StreamExt as _;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

/// How many tags one search looks at, at most.
pub const MAX_SEARCHED_MANIFESTS: usize = 1000;
/// Requests in flight at once: enough to hide latency, few enough to be a polite client.
const CONCURRENCY: usize = 4;
/// Beyond this many digests the cache starts over rather than grow without end.
const CACHE_LIMIT: usize = 20_000;

/// What a manifest says about being a referrer: its subject and how it lists, or `None` for
/// a manifest without a subject.
type Known = Option<(Digest, Referrer)>;

/// Manifest digest → what it refers to. Shared between searches (clone the `Arc`).
#[derive(Default)]
pub struct SubjectCache {
    map: Mutex<HashMap<Digest, Known>>,
}

impl SubjectCache {
    fn get(&self, digest: &Digest) -> Option<Known> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(digest).cloned()
    }

    fn put(&self, digest: Digest, known: Known) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(digest, known);
    }

    /// How many manifests are known (for tests and diagnostics).
    #[must_use]
    pub fn len(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A referrer found by looking through the tags, with the tags that name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundReferrer {
    pub referrer: Referrer,
    pub tags: Vec<String>,
}

/// What a search found, and how far it looked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectSearch {
    pub found: Vec<FoundReferrer>,
    /// Tags whose manifest was looked at.
    pub looked_at: usize,
    /// Tags in the repository (fallback `sha256-HEX` tags not counted).
    pub tags_total: usize,
    /// Manifests that were read over the network (the rest came from the cache).
    pub fetched: usize,
}

impl SubjectSearch {
    /// True when the repository has more tags than one search looks at.
    #[must_use]
    pub fn truncated(&self) -> bool {
        self.looked_at < self.tags_total
    }
}

impl RegistryClient {
    /// Looks through `repository`'s tags for manifests whose `subject` is `subject`.
    /// Dropping the future stops the search: it spawns nothing.
    pub async fn find_referrers_by_subject(
        &self,
        repository: &Repository,
        subject: &Digest,
        cache: &SubjectCache,
    ) -> Result<SubjectSearch> {
        let mut tags = self.tags(repository).await?;
        // Fallback-schema tags hold indexes of referrers, never a subject of their own.
        tags.retain(|t| !is_fallback_tag(t));
        let tags_total = tags.len();
        tags.truncate(MAX_SEARCHED_MANIFESTS);
        let looked_at = tags.len();
        let mut by_digest: BTreeMap<Digest, FoundReferrer> = BTreeMap::new();
        let mut fetched = 0;
        let mut results = futures_util::stream::iter(tags)
            .map(|tag| async move {
                let known = self.subject_of(repository, &tag, cache).await;
                (tag, known)
            })
            .buffer_unordered(CONCURRENCY);
        while let Some((tag, known)) = results.next().await {
            let (known, was_fetched) = match known {
                Ok(k) => k,
                // Deleted or unreadable since the list: it names nothing we can show.
                Err(
                    Error::NotFound { .. } | Error::TooLarge { .. } | Error::InvalidContent { .. },
                ) => continue,
                Err(e) => return Err(e),
            };
            fetched += usize::from(was_fetched);
            if let Some((of, referrer)) = known
                && &of == subject
            {
                by_digest
                    .entry(referrer.digest.clone())
                    .or_insert_with(|| FoundReferrer {
                        referrer,
                        tags: Vec::new(),
                    })
                    .tags
                    .push(tag);
            }
        }
        let mut found: Vec<FoundReferrer> = by_digest.into_values().collect();
        for f in &mut found {
            crate::natural_sort::sort(&mut f.tags);
        }
        Ok(SubjectSearch {
            found,
            looked_at,
            tags_total,
            fetched,
        })
    }

    /// The subject of the manifest `tag` names, and whether it had to be read.
    async fn subject_of(
        &self,
        repository: &Repository,
        tag: &str,
        cache: &SubjectCache,
    ) -> Result<(Known, bool)> {
        let head = self
            .head_manifest(repository, &Reference::Tag(tag.to_owned()))
            .await?;
        if let Some(known) = cache.get(&head.digest) {
            return Ok((known, false));
        }
        let fetched = self
            .manifest(repository, &Reference::Digest(head.digest.clone()))
            .await?;
        let known = known_of(&fetched);
        cache.put(head.digest, known.clone());
        Ok((known, true))
    }
}

/// A `sha256-<64 hex>` tag: the referrers fallback schema's.
fn is_fallback_tag(tag: &str) -> bool {
    tag.strip_prefix("sha256-")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Reads the subject and, as the referrers API would list it, the artifact type: the
/// manifest's `artifactType`, else its config's media type.
fn known_of(m: &FetchedManifest) -> Known {
    let (subject, artifact_type, annotations) = match &m.manifest {
        Manifest::Image(i) => (
            i.subject().as_ref()?,
            Some(
                i.artifact_type()
                    .as_ref()
                    .map_or_else(|| i.config().media_type().to_string(), ToString::to_string),
            ),
            i.annotations().clone(),
        ),
        Manifest::Index(i) => (
            i.subject().as_ref()?,
            i.artifact_type().as_ref().map(ToString::to_string),
            i.annotations().clone(),
        ),
    };
    let subject = Digest::parse(subject.digest().as_ref()).ok()?;
    Some((
        subject,
        Referrer {
            digest: m.digest.clone(),
            media_type: m.media_type.clone(),
            size: m.bytes.len() as u64,
            artifact_type,
            annotations: annotations.unwrap_or_default().into_iter().collect(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_tags_are_recognised_by_shape() {
        assert!(is_fallback_tag(&format!("sha256-{}", "a".repeat(64))));
        assert!(!is_fallback_tag("sha256-abc"));
        assert!(!is_fallback_tag("v1"));
        assert!(!is_fallback_tag(&format!("sha256-{}", "g".repeat(64))));
    }
}
