//! One tag lookup per repository: what is known of each tag's manifest (digest, media type,
//! size), shared by everything that needs a tag's digest (the tags table's rows, its
//! shared-digest marks and "Find every tag", delete plans, the CLI's `rm`). It remembers every
//! answer, fills in the tags it does not know with `HEAD` requests at a bounded concurrency,
//! reports progress as known of total, stops when its `CancellationToken` is cancelled (or its
//! future dropped), and rechecks known digests before anything destructive: only the tags a
//! delete plans to take, never all of them (ARCHITECTURE.md, "deleting").
//!
//! The registry client hands out one `Arc<TagLookup>` per repository
//! ([`RegistryClient::tag_lookup`]) for as long as anyone holds it, so the window's views and
//! a command's steps share what each learnt. Memory stays proportional to the tags: names and
//! digests are stored once and indexed by `u32`, so two million tags cost about 100 MB.

mod table;

use super::client::{ManifestHead, RegistryClient};
use super::error::{Error, Result};
use crate::oci::{Digest, Reference, Repository};
use futures_util::StreamExt as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use table::{GONE, NO_SIZE, Table};
use tokio_util::sync::CancellationToken;

/// How many `HEAD`s a fill keeps in flight: enough to approach a parallel curl on a
/// registry with many tags, few enough not to look like an attack.
pub const FILL_CONCURRENCY: usize = 24;
/// How many `HEAD`s a recheck of planned tags keeps in flight.
pub const RECHECK_CONCURRENCY: usize = 8;

/// How far a fill is: `known` of `total` tags have an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub known: usize,
    pub total: usize,
}

/// What the lookup knows about one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Known(ManifestHead),
    /// The registry said the tag does not exist (deleted since it was listed).
    Gone,
}

/// A point in the lookup's history: answers recorded after it are fresh for a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark(u32);

/// One tag of a list that points at one digest of a set ([`TagLookup::pointing_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pointing {
    /// Its index in the list of tags.
    pub tag: usize,
    /// The index of its digest in the set.
    pub digest: usize,
    /// Answered after the mark.
    pub fresh: bool,
}

/// What the lookup of one repository knows; see the module documentation.
pub struct TagLookup {
    repository: Repository,
    table: Mutex<Table>,
}

impl TagLookup {
    #[must_use]
    pub fn new(repository: Repository) -> Self {
        Self {
            repository,
            table: Mutex::new(Table::default()),
        }
    }

    #[must_use]
    pub fn repository(&self) -> &Repository {
        &self.repository
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // A panic elsewhere while holding the lock leaves whole answers only.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What is known of `tag`, if anything.
    #[must_use]
    pub fn get(&self, tag: &str) -> Option<Answer> {
        let t = self.lock();
        t.slot(tag).map(|s| t.answer(s))
    }

    /// The digest `tag` is known to point at.
    #[must_use]
    pub fn digest_of(&self, tag: &str) -> Option<Digest> {
        match self.get(tag)? {
            Answer::Known(h) => Some(h.digest),
            Answer::Gone => None,
        }
    }

    /// How many tags have an answer (a digest, or gone).
    #[must_use]
    pub fn answered(&self) -> usize {
        self.lock().names.len()
    }

    /// How far `tags` are known.
    #[must_use]
    pub fn progress(&self, tags: &[String]) -> Progress {
        let t = self.lock();
        Progress {
            known: tags.iter().filter(|tag| t.find(tag).is_some()).count(),
            total: tags.len(),
        }
    }

    /// Changes whenever an answer is recorded or the lookup forgets: a view that derives
    /// something from the lookup (a sort by size or date, trust badges) recomputes when it
    /// differs.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// How many tags are known to point at `digest`.
    #[must_use]
    pub fn count_on(&self, digest: &Digest) -> usize {
        let t = self.lock();
        t.find_digest(digest)
            .map_or(0, |i| t.on_digest[i as usize] as usize)
    }

    /// Every tag known to point at `digest`, naturally sorted. Scans every answer: for a
    /// tooltip or a plan, not for every frame.
    #[must_use]
    pub fn tags_on(&self, digest: &Digest) -> Vec<String> {
        let t = self.lock();
        let Some(id) = t.find_digest(digest) else {
            return Vec::new();
        };
        let mut tags: Vec<String> = t
            .names
            .iter()
            .zip(&t.slots)
            .filter(|(_, s)| s.digest == id)
            .map(|(n, _)| n.to_string())
            .collect();
        drop(t);
        crate::natural_sort::sort(&mut tags);
        tags
    }

    /// The tags known to point at `digest` other than `except`: the first `limit` in
    /// natural order, and how many more there are. One pass, no sort of them all: for a
    /// tooltip over a digest that thousands of tags share.
    #[must_use]
    pub fn others_on(&self, digest: &Digest, except: &str, limit: usize) -> (Vec<String>, usize) {
        let t = self.lock();
        let Some(id) = t.find_digest(digest) else {
            return (Vec::new(), 0);
        };
        let mut others: Vec<&str> = t
            .names
            .iter()
            .zip(&t.slots)
            .filter(|(n, s)| s.digest == id && &***n != except)
            .map(|(n, _)| &**n)
            .collect();
        let more = others.len().saturating_sub(limit);
        if more > 0 {
            others.select_nth_unstable_by(limit, |a, b| crate::natural_sort::compare(a, b));
            others.truncate(limit);
        }
        crate::natural_sort::sort(&mut others);
        (others.into_iter().map(str::to_owned).collect(), more)
    }

    /// How many times the lookup forgot everything: a plan that spans a change of this
    /// starts again rather than trust an answer it no longer has.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Which of `tags` are known to point at one of `digests`: for each, its index in
    /// `tags`, the index of its digest in `digests`, and whether it was answered after
    /// `since`. One pass under one lock, for plans over millions of tags.
    #[must_use]
    pub fn pointing_at(&self, tags: &[String], digests: &[Digest], since: Mark) -> Vec<Pointing> {
        let t = self.lock();
        let ids: Vec<Option<u32>> = digests.iter().map(|d| t.find_digest(d)).collect();
        tags.iter()
            .enumerate()
            .filter_map(|(i, tag)| {
                let slot = t.slot(tag)?;
                let digest = ids.iter().position(|id| *id == Some(slot.digest))?;
                Some(Pointing {
                    tag: i,
                    digest,
                    fresh: slot.epoch >= since.0,
                })
            })
            .collect()
    }

    /// Every distinct digest known, with how many tags point at it (for work done once per
    /// manifest: sizes and dates from configs, signatures for trust badges).
    #[must_use]
    pub fn digests(&self) -> Vec<(Digest, usize)> {
        let t = self.lock();
        t.digests
            .iter()
            .zip(&t.on_digest)
            .filter(|(_, n)| **n > 0)
            .map(|(d, n)| (d.clone(), *n as usize))
            .collect()
    }

    /// Calls `each` with every tag known to point at a manifest, in no particular order.
    pub fn for_each_known(&self, mut each: impl FnMut(&str, &Digest, Option<u64>)) {
        let t = self.lock();
        for (name, slot) in t.names.iter().zip(&t.slots) {
            if slot.digest != GONE {
                let size = (slot.size != NO_SIZE).then_some(slot.size);
                each(name, &t.digests[slot.digest as usize], size);
            }
        }
    }

    /// Forgets every answer (after the tags were listed again: tags move). Requests in
    /// flight still record theirs, which are fresh.
    pub fn forget(&self) {
        let mut t = self.lock();
        let (epoch, version, generation) = (t.epoch, t.version + 1, t.generation + 1);
        *t = Table {
            epoch,
            version,
            generation,
            ..Table::default()
        };
    }

    /// Records what a `HEAD` of `tag` said (`None`: the tag does not exist).
    pub fn record(&self, tag: &str, head: Option<&ManifestHead>) {
        self.lock().record(tag, head);
    }

    /// Starts a new mark: answers recorded from now on are fresh for it.
    pub fn mark(&self) -> Mark {
        let mut t = self.lock();
        t.epoch += 1;
        Mark(t.epoch)
    }

    /// Whether `tag` was answered after `mark` was taken.
    #[must_use]
    pub fn fresh_since(&self, tag: &str, mark: Mark) -> bool {
        self.lock().slot(tag).is_some_and(|s| s.epoch >= mark.0)
    }

    /// One `HEAD` of `tag`, recorded (a tag that does not exist is recorded as gone and
    /// returned as the error it is).
    pub async fn head(&self, client: &RegistryClient, tag: &str) -> Result<ManifestHead> {
        let head = client
            .head_manifest(&self.repository, &Reference::Tag(tag.to_owned()))
            .await;
        match &head {
            Ok(h) => self.record(tag, Some(h)),
            Err(Error::NotFound { .. }) => self.record(tag, None),
            Err(_) => {}
        }
        head
    }

    /// Asks for every tag of `tags` not known yet, `concurrency` at a time, calling
    /// `progress` after each answer. Ends when all are known, at the first error other than
    /// a tag that is gone, or with [`Error::Cancelled`] when `cancel` is cancelled.
    pub async fn fill(
        &self,
        client: &RegistryClient,
        tags: &[String],
        concurrency: usize,
        cancel: &CancellationToken,
        progress: impl Fn(Progress),
    ) -> Result<Progress> {
        let mut now = self.progress(tags);
        progress(now);
        // Indices, not references, in the stream: closures over borrowed items trip the
        // compiler's check that the future is `Send`.
        let missing = (0..tags.len()).filter(|&i| self.lock().find(&tags[i]).is_none());
        self.ask(client, tags, missing, concurrency, cancel, || {
            now.known += 1;
            progress(now);
        })
        .await?;
        Ok(now)
    }

    /// Asks again for each of `tags`, known or not (the check of planned tags before a
    /// delete), [`RECHECK_CONCURRENCY`] at a time.
    pub async fn recheck(
        &self,
        client: &RegistryClient,
        tags: &[String],
        cancel: &CancellationToken,
    ) -> Result<()> {
        self.ask(
            client,
            tags,
            0..tags.len(),
            RECHECK_CONCURRENCY,
            cancel,
            || {},
        )
        .await
    }

    /// `HEAD`s of `tags[i]` for each `i` of `which`, `concurrency` at a time.
    async fn ask(
        &self,
        client: &RegistryClient,
        tags: &[String],
        which: impl Iterator<Item = usize>,
        concurrency: usize,
        cancel: &CancellationToken,
        mut answered: impl FnMut(),
    ) -> Result<()> {
        let mut heads = futures_util::stream::iter(which)
            .map(|i: usize| async move { self.head(client, &tags[i]).await })
            .buffer_unordered(concurrency.max(1));
        loop {
            let Some(next) = cancel.run_until_cancelled(heads.next()).await else {
                return Err(Error::Cancelled);
            };
            let Some(head) = next else {
                return Ok(());
            };
            match head {
                // A tag deleted while we ask no longer points anywhere.
                Ok(_) | Err(Error::NotFound { .. }) => answered(),
                Err(e) => return Err(e),
            }
        }
    }
}

/// The registry-level cache: one lookup per repository, alive while anyone holds it.
#[derive(Default)]
pub struct TagLookups {
    open: Mutex<HashMap<Repository, Weak<TagLookup>>>,
}

impl TagLookups {
    /// The lookup of `repository`: the one in use, or a new empty one.
    pub fn get(&self, repository: &Repository) -> Arc<TagLookup> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(lookup) = open.get(repository).and_then(Weak::upgrade) {
            return lookup;
        }
        open.retain(|_, w| w.strong_count() > 0);
        let lookup = Arc::new(TagLookup::new(repository.clone()));
        open.insert(repository.clone(), Arc::downgrade(&lookup));
        lookup
    }
}

impl RegistryClient {
    /// The one tag lookup of `repository` on this registry, shared with every other holder.
    #[must_use]
    pub fn tag_lookup(&self, repository: &Repository) -> Arc<TagLookup> {
        self.lookups.get(repository)
    }
}

#[cfg(test)]
mod tests;
