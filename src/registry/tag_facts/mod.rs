//! Tag facts: each manifest's created date and size, for sorting the tags table and for
//! retention rules (issue 23), and its kind and platforms for the table's cells
//! ([`Detail`]): the one place that knows them, so neither the sort, the rows nor `retain`
//! reads a digest another already read. Work per manifest, not per tag: the tag lookup
//! ([`super::TagLookup`]) says which digest each tag points at, and the facts are fetched
//! once per digest (a manifest GET, then its config; an index through its platforms, see
//! [`fetch`]) at a bounded concurrency, kept in memory by digest and on disk per repository
//! ([`disk`]). A repository opened again sorts at once from the disk (the tags' digests as
//! last seen), then its tags are asked again with `HEAD` through the lookup; only a digest
//! not known yet costs a `GET`. One store per repository, shared through
//! [`RegistryClient::tag_facts`] like the lookup; a fill reports progress (facts known of
//! total tags) and stops on its `CancellationToken` or when its future is dropped. One
//! digest is read once even when a fill and the table's rows ask for it together
//! ([`TagFactsStore::learn`]).

mod detail;
pub mod disk;
pub mod fetch;
pub mod sort;

use super::error::{Error, Result};
use super::tag_lookup::{FILL_CONCURRENCY, TagLookup};
use super::{Answer, RegistryClient};
use crate::oci::{Digest, Repository};
use futures_util::StreamExt as _;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use tokio_util::sync::CancellationToken;

pub use detail::{Detail, PlatformFacts};
pub use sort::{SortKey, SortOrder};

/// How many manifests (with their configs) a fill reads at once.
pub const FACTS_CONCURRENCY: usize = 8;

/// What is known of one manifest. `created` is seconds since the Unix epoch (UTC), from
/// the config's `created` (for an index, the newest of its platforms'); `size` is what a
/// pull moves (manifest, config and layers; for an index, the sum of its platforms').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagFacts {
    pub created: Option<i64>,
    pub size: Option<u64>,
}

/// One blob a manifest refers to (config or layer; an index's: its platforms'), for the
/// retention estimate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Blob {
    pub digest: Digest,
    pub size: u64,
}

/// How far a fill is: the facts of `known` of `total` tags are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactsProgress {
    pub known: usize,
    pub total: usize,
}

#[derive(Default)]
struct Inner {
    loaded: bool,
    /// Each tag's digest as the disk cache last saw it: a first guess until the lookup asks.
    remembered: HashMap<String, Digest>,
    facts: HashMap<Digest, TagFacts>,
    /// The blobs of each manifest whose facts are known.
    blobs: HashMap<Digest, Arc<[Blob]>>,
    /// The kind and platforms of each manifest whose facts are known.
    details: HashMap<Digest, Arc<Detail>>,
    /// Manifests that could not be read this session, and why (never written to disk).
    failed: HashMap<Digest, Arc<Error>>,
    /// The digests being read, each with its turn: a second caller waits for the first.
    reading: HashMap<Digest, Arc<tokio::sync::Mutex<()>>>,
    version: u64,
}

/// The facts of one repository; see the module documentation.
pub struct TagFactsStore {
    registry: String,
    lookup: Arc<TagLookup>,
    dir: Option<PathBuf>,
    inner: Mutex<Inner>,
    /// One save at a time, each writing what is known when its turn comes: a slower save
    /// of older facts never lands last.
    saving: tokio::sync::Mutex<()>,
}

impl TagFactsStore {
    /// A store over `lookup`, caching in `dir` (none: memory only).
    #[must_use]
    pub fn new(registry: &str, lookup: Arc<TagLookup>, dir: Option<PathBuf>) -> Self {
        Self {
            registry: registry.to_owned(),
            lookup,
            dir,
            inner: Mutex::new(Inner::default()),
            saving: tokio::sync::Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[must_use]
    pub fn repository(&self) -> &Repository {
        self.lookup.repository()
    }

    #[must_use]
    pub fn lookup(&self) -> &Arc<TagLookup> {
        &self.lookup
    }

    /// Changes whenever a fact or a tag's digest is learnt: a view sorted by facts sorts
    /// again when it differs.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.lock().version.wrapping_add(self.lookup.version())
    }

    /// The digest `tag` points at: as the lookup knows it, else as last seen on disk.
    fn digest_of(&self, inner: &Inner, tag: &str) -> Option<Digest> {
        match self.lookup.get(tag) {
            Some(Answer::Known(head)) => Some(head.digest),
            Some(Answer::Gone) => None,
            None => inner.remembered.get(tag).cloned(),
        }
    }

    /// What is known of `tag` (a manifest that could not be read has no date and no size).
    #[must_use]
    pub fn facts_of(&self, tag: &str) -> Option<TagFacts> {
        let inner = self.lock();
        let digest = self.digest_of(&inner, tag)?;
        known(&inner, &digest)
    }

    /// The facts of a manifest by digest, if known.
    #[must_use]
    pub fn facts_of_digest(&self, digest: &Digest) -> Option<TagFacts> {
        known(&self.lock(), digest)
    }

    /// The blobs of a manifest by digest, if known (none for one that could not be read).
    #[must_use]
    pub fn blobs_of(&self, digest: &Digest) -> Option<Arc<[Blob]>> {
        let inner = self.lock();
        inner.blobs.get(digest).cloned().or_else(|| {
            inner
                .failed
                .contains_key(digest)
                .then(|| Arc::from(Vec::new()))
        })
    }

    /// What the tags table's cells show of a manifest by digest: its facts and detail, or
    /// why it could not be read; `None` while not known.
    #[must_use]
    pub fn detail_of(&self, digest: &Digest) -> Option<Learnt> {
        let inner = self.lock();
        if let Some(e) = inner.failed.get(digest) {
            return Some(Learnt::Unreadable(Arc::clone(e)));
        }
        let facts = inner.facts.get(digest).copied()?;
        let detail = inner.details.get(digest)?;
        Some(Learnt::Known(facts, Arc::clone(detail)))
    }

    /// What is known of each of `tags`, in their order.
    #[must_use]
    pub fn snapshot(&self, tags: &[String]) -> Vec<Option<TagFacts>> {
        let inner = self.lock();
        tags.iter()
            .map(|t| known(&inner, &self.digest_of(&inner, t)?))
            .collect()
    }

    /// How many of `tags` have known facts.
    #[must_use]
    pub fn progress(&self, tags: &[String]) -> FactsProgress {
        FactsProgress {
            known: self.snapshot(tags).iter().filter(|f| f.is_some()).count(),
            total: tags.len(),
        }
    }

    /// Reads the disk cache once (off the calling thread).
    pub async fn load(&self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        if self.lock().loaded {
            return;
        }
        let (registry, repository) = (self.registry.clone(), self.repository().clone());
        let loaded = tokio::task::spawn_blocking(move || disk::load(&dir, &registry, &repository))
            .await
            .unwrap_or_default();
        let mut inner = self.lock();
        if inner.loaded {
            return;
        }
        inner.loaded = true;
        inner.remembered = loaded.tags;
        for (digest, (facts, blobs, detail)) in loaded.facts {
            inner.blobs.entry(digest.clone()).or_insert(blobs.into());
            inner
                .details
                .entry(digest.clone())
                .or_insert_with(|| Arc::new(detail));
            inner.facts.entry(digest).or_insert(facts);
        }
        inner.version += 1;
    }

    /// Learns the facts of every tag of `tags`: reads the disk cache, asks the lookup for
    /// every tag's digest (`HEAD`s of the tags it does not know), then reads each digest
    /// whose facts are unknown, [`FACTS_CONCURRENCY`] at a time, calling `progress` as they
    /// come. Saves what it learnt to the disk cache at the end, cancelled or not. Ends at the
    /// first error other than a manifest that cannot be read (which gets no facts), or with
    /// [`Error::Cancelled`].
    pub async fn fill(
        &self,
        client: &RegistryClient,
        tags: &[String],
        cancel: &CancellationToken,
        progress: impl Fn(FactsProgress),
    ) -> Result<FactsProgress> {
        self.load().await;
        progress(self.progress(tags));
        let result = self.fill_loaded(client, tags, cancel, &progress).await;
        self.save().await;
        result
    }

    async fn fill_loaded(
        &self,
        client: &RegistryClient,
        tags: &[String],
        cancel: &CancellationToken,
        progress: &impl Fn(FactsProgress),
    ) -> Result<FactsProgress> {
        let total = tags.len();
        self.lookup
            .fill(client, tags, FILL_CONCURRENCY, cancel, |p| {
                // Counting facts is a pass over the tags: not after every answer.
                if p.known % 1024 == 0 || p.known == p.total {
                    progress(self.progress(tags));
                }
            })
            .await?;
        let mut now = self.progress(tags);
        progress(now);
        let missing: Vec<Digest> = {
            let inner = self.lock();
            self.lookup
                .digests()
                .into_iter()
                .map(|(d, _)| d)
                .filter(|d| known(&inner, d).is_none())
                .collect()
        };
        let mut reads = futures_util::stream::iter(missing)
            .map(|digest| async move {
                let learnt = self.learn(client, &digest).await;
                (digest, learnt)
            })
            .buffer_unordered(FACTS_CONCURRENCY);
        loop {
            let Some(next) = cancel.run_until_cancelled(reads.next()).await else {
                return Err(Error::Cancelled);
            };
            let Some((digest, learnt)) = next else {
                return Ok(self.progress(tags));
            };
            learnt?;
            now.known = (now.known + self.lookup.count_on(&digest)).min(total);
            progress(now);
        }
    }

    /// Learns the facts and detail of `digest` unless they are known (the disk cache read
    /// first): one manifest read (with its configs) even when several callers ask at once,
    /// the later ones waiting for the first. A manifest that cannot be read is remembered as
    /// such for this session and is no error here; an error is what may pass (the network,
    /// the registry's state), and nothing is remembered then.
    pub async fn learn(&self, client: &RegistryClient, digest: &Digest) -> Result<()> {
        self.load().await;
        let turn = {
            let mut inner = self.lock();
            if is_known(&inner, digest) {
                return Ok(());
            }
            Arc::clone(inner.reading.entry(digest.clone()).or_default())
        };
        let _turn = turn.lock().await;
        if is_known(&self.lock(), digest) {
            return Ok(());
        }
        let fetched = fetch::facts_of(client, self.repository(), digest).await;
        let mut inner = self.lock();
        inner.reading.remove(digest);
        match fetched {
            Ok(fetched) => {
                inner.facts.insert(digest.clone(), fetched.facts);
                inner.blobs.insert(digest.clone(), fetched.blobs.into());
                inner
                    .details
                    .insert(digest.clone(), Arc::new(fetched.detail));
            }
            Err(
                e @ (Error::NotFound { .. }
                | Error::InvalidContent { .. }
                | Error::DigestMismatch { .. }
                | Error::TooLarge { .. }),
            ) => {
                inner.failed.insert(digest.clone(), Arc::new(e));
            }
            Err(e) => return Err(e),
        }
        inner.version += 1;
        Ok(())
    }

    /// Writes what is known to the disk cache (off the calling thread); a failure is logged.
    pub async fn save(&self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        let _turn = self.saving.lock().await;
        let (tags, facts) = {
            let inner = self.lock();
            let mut tags: HashMap<String, String> = inner
                .remembered
                .iter()
                .map(|(t, d)| (t.clone(), d.to_string()))
                .collect();
            self.lookup.for_each_known(|tag, digest, _| {
                tags.insert(tag.to_owned(), digest.to_string());
            });
            let facts: Vec<_> = inner
                .facts
                .iter()
                .filter_map(|(d, f)| {
                    let detail = disk::FileDetail::from(inner.details.get(d)?.as_ref());
                    let blobs = inner.blobs.get(d).map_or_else(Vec::new, |b| {
                        b.iter().map(|b| (b.digest.to_string(), b.size)).collect()
                    });
                    Some((d.to_string(), f.created, f.size, blobs, detail))
                })
                .collect();
            (tags.into_iter().collect::<Vec<_>>(), facts)
        };
        let (registry, repository) = (self.registry.clone(), self.repository().clone());
        let saved = tokio::task::spawn_blocking(move || {
            disk::save(&dir, &registry, &repository, tags, facts)
        })
        .await;
        if let Ok(Err(e)) = saved {
            tracing::warn!(error = %e, "cannot save the tag facts cache");
        }
    }

    /// Fills, then returns the facts of each of `tags` in their order (for retention plans
    /// and the CLI).
    pub async fn facts_for(
        &self,
        client: &RegistryClient,
        tags: &[String],
        cancel: &CancellationToken,
    ) -> Result<Vec<Option<TagFacts>>> {
        self.fill(client, tags, cancel, |_| {}).await?;
        Ok(self.snapshot(tags))
    }
}

fn known(inner: &Inner, digest: &Digest) -> Option<TagFacts> {
    inner
        .facts
        .get(digest)
        .copied()
        .or_else(|| inner.failed.contains_key(digest).then(TagFacts::default))
}

fn is_known(inner: &Inner, digest: &Digest) -> bool {
    inner.facts.contains_key(digest) || inner.failed.contains_key(digest)
}

/// What a row's cells can show of a manifest.
#[derive(Debug, Clone)]
pub enum Learnt {
    Known(TagFacts, Arc<Detail>),
    /// The manifest could not be read, and why.
    Unreadable(Arc<Error>),
}

/// The registry-level map: one store per repository, alive while anyone holds it.
#[derive(Default)]
pub struct TagFactsStores {
    open: Mutex<HashMap<Repository, Weak<TagFactsStore>>>,
}

impl RegistryClient {
    /// The one facts store of `repository` on this registry, shared with every other holder;
    /// `dir` is its disk cache directory (the first holder's counts; `None`: memory only).
    #[must_use]
    pub fn tag_facts(&self, repository: &Repository, dir: Option<PathBuf>) -> Arc<TagFactsStore> {
        let mut open = self
            .facts
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(store) = open.get(repository).and_then(Weak::upgrade) {
            return store;
        }
        open.retain(|_, w| w.strong_count() > 0);
        let store = Arc::new(TagFactsStore::new(
            self.host(),
            self.tag_lookup(repository),
            dir,
        ));
        open.insert(repository.clone(), Arc::downgrade(&store));
        store
    }
}
