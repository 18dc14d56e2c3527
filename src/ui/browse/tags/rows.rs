//! What the tags table knows about each tag's manifest, and the background work that finds
//! it out. Digests live in the repository's one tag lookup (`registry::TagLookup`, shared
//! with the delete dialogs, so a plan made after the table knew every digest only rechecks
//! the tags it takes): a HEAD per tag on screen; then each digest's kind, size and date from
//! the repository's one tag facts store (`registry::tag_facts`, shared with the sort and
//! `retain`, kept on disk), which reads a digest it does not know yet (except on Docker Hub)
//! with a GET of the manifest and config, about eight at a time, so a repository seen before
//! shows its cells after the HEADs alone; which tags share a digest; and, on demand, a fill
//! of every tag not yet known ("Find every tag with this digest"). Every task runs under a
//! drop guard held here, so leaving the repository drops this value and stops them
//! (ARCHITECTURE.md, "Cancelling"); what the rows learnt is saved to the disk cache once
//! their reads end, and when the table closes.

use super::summary::{Summary, summarize};
use crate::oci::{Digest, Repository};
use crate::registry::tag_facts::{Learnt, TagFactsStore};
use crate::registry::tag_lookup::FILL_CONCURRENCY;
use crate::registry::{Answer, Error, ManifestHead, Progress, RegistryClient, TagLookup};
use crate::ui::Bg;
use crate::ui::kit::requested::spawn_cancellable;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::mpsc;
use tokio_util::sync::{CancellationToken, DropGuard};

/// How many manifest requests run at once for the visible rows.
pub const ROW_CONCURRENCY: usize = 8;

pub enum Cell<T> {
    Pending,
    Known(T),
    Failed(String),
}

enum RowEvent {
    /// A row's HEAD ended; the reason when it failed.
    Head(String, Option<String>),
    /// A digest's read into the facts store ended (an error that may pass: not stored).
    Detail(Digest, Result<(), Error>),
    /// The lookup of every tag ended (done, failed or cancelled).
    EveryTagDone,
}

/// The fill of every tag not yet known, started from a shared-digest mark.
struct EveryTag {
    /// Known of total, as the fill reports it.
    progress: Arc<(AtomicUsize, AtomicUsize)>,
    done: bool,
    _task: DropGuard,
}

pub struct RowLookup {
    client: Arc<RegistryClient>,
    repo: Repository,
    /// The repository's shared lookup: digests, media types and sizes by tag.
    lookup: Arc<TagLookup>,
    /// The repository's shared facts: each digest's kind, size and date.
    store: Arc<TagFactsStore>,
    /// The store learnt something from these rows that the disk cache has not yet.
    unsaved: bool,
    /// Reading the disk cache, so the cells of known digests show even where no GET may
    /// be made.
    _load: DropGuard,
    rt: tokio::runtime::Handle,
    /// False on Docker Hub: only HEAD requests, since a GET counts against the pull limit.
    allow_get: bool,
    /// Rows whose HEAD failed, with the reason.
    failed: HashMap<String, String>,
    /// Digests whose read failed for a reason that may pass (not kept by the store).
    detail_failed: HashMap<Digest, String>,
    /// The row tasks still running; dropping a guard stops its task.
    head_tasks: HashMap<String, DropGuard>,
    detail_tasks: HashMap<Digest, DropGuard>,
    every_tag: Option<EveryTag>,
    tx: mpsc::Sender<RowEvent>,
    rx: mpsc::Receiver<RowEvent>,
}

impl RowLookup {
    pub fn new(
        client: Arc<RegistryClient>,
        store: Arc<TagFactsStore>,
        allow_get: bool,
        bg: &Bg,
    ) -> Self {
        let (tx, rx) = mpsc::channel(ROW_CONCURRENCY * 2);
        let (loading, repaint) = (Arc::clone(&store), Arc::clone(&bg.repaint));
        let load = spawn_cancellable(&bg.rt, async move {
            loading.load().await;
            repaint();
        });
        Self {
            lookup: Arc::clone(store.lookup()),
            repo: store.repository().clone(),
            store,
            unsaved: false,
            _load: load,
            rt: bg.rt.clone(),
            client,
            allow_get,
            failed: HashMap::new(),
            detail_failed: HashMap::new(),
            head_tasks: HashMap::new(),
            detail_tasks: HashMap::new(),
            every_tag: None,
            tx,
            rx,
        }
    }

    /// Forgets the digests (tags move when the list is reloaded) and the reads that failed
    /// (so they are tried again); row requests in flight stay, the lookup of every tag stops.
    pub fn forget_digests(&mut self) {
        self.lookup.forget();
        self.failed.clear();
        self.detail_failed.clear();
        self.every_tag = None;
    }

    /// Moves finished answers in; never blocks. Once the rows' reads have ended, what they
    /// learnt is saved to the disk cache (off the UI thread).
    pub fn poll(&mut self) {
        while let Ok(event) = self.rx.try_recv() {
            match event {
                RowEvent::Head(tag, failed) => {
                    self.head_tasks.remove(&tag);
                    if let Some(reason) = failed {
                        self.failed.insert(tag, reason);
                    }
                }
                RowEvent::Detail(digest, result) => {
                    self.detail_tasks.remove(&digest);
                    match result {
                        Ok(()) => self.unsaved = true,
                        Err(e) => {
                            self.detail_failed
                                .insert(digest, crate::i18n::describe_error(&e));
                        }
                    }
                }
                RowEvent::EveryTagDone => {
                    if let Some(every) = &mut self.every_tag {
                        every.done = true;
                    }
                }
            }
        }
        // A row answered by the lookup of every tag needs its own request no more: dropping
        // its guard stops it.
        let lookup = &self.lookup;
        self.head_tasks.retain(|tag, _| lookup.get(tag).is_none());
        if self.unsaved && self.detail_tasks.is_empty() {
            self.save();
        }
    }

    /// Writes what the store knows to the disk cache; runs to the end even when the table
    /// closes meanwhile.
    fn save(&mut self) {
        self.unsaved = false;
        let store = Arc::clone(&self.store);
        self.rt.spawn(async move { store.save().await });
    }

    fn in_flight(&self) -> usize {
        self.head_tasks.len() + self.detail_tasks.len()
    }

    /// Starts requests for the tags on screen, up to the concurrency bound.
    pub fn schedule(&mut self, visible: Vec<String>, bg: &Bg) {
        for tag in visible {
            if self.in_flight() >= ROW_CONCURRENCY {
                return;
            }
            match self.head(&tag) {
                None => {
                    let (client, lookup, tx) = (
                        Arc::clone(&self.client),
                        Arc::clone(&self.lookup),
                        self.tx.clone(),
                    );
                    let repaint = Arc::clone(&bg.repaint);
                    let name = tag.clone();
                    let task = spawn_cancellable(&bg.rt, async move {
                        let failed = lookup
                            .head(&client, &name)
                            .await
                            .err()
                            .map(|e| crate::i18n::describe_error(&e));
                        let _ = tx.send(RowEvent::Head(name, failed)).await;
                        repaint();
                    });
                    self.head_tasks.insert(tag, task);
                }
                Some(Cell::Known(head)) if self.allow_get => {
                    let digest = head.digest;
                    if self.detail(&digest).is_some() {
                        continue;
                    }
                    let (client, store, tx) = (
                        Arc::clone(&self.client),
                        Arc::clone(&self.store),
                        self.tx.clone(),
                    );
                    let repaint = Arc::clone(&bg.repaint);
                    let key = digest.clone();
                    let task = spawn_cancellable(&bg.rt, async move {
                        let learnt = store.learn(&client, &key).await;
                        let _ = tx.send(RowEvent::Detail(key, learnt)).await;
                        repaint();
                    });
                    self.detail_tasks.insert(digest, task);
                }
                _ => {}
            }
        }
    }

    /// Fills the lookup with the digest of every tag of `tags` not answered yet,
    /// [`FILL_CONCURRENCY`] at a time, so that the shared-digest marks become exact. Runs
    /// until done, a reload, or the table closing.
    pub fn find_every_tag(&mut self, tags: &[String], bg: &Bg) {
        if self.every_tag.is_some() {
            return;
        }
        let (client, lookup, tx) = (
            Arc::clone(&self.client),
            Arc::clone(&self.lookup),
            self.tx.clone(),
        );
        let repaint = Arc::clone(&bg.repaint);
        let progress = Arc::new((AtomicUsize::new(0), AtomicUsize::new(tags.len())));
        let shown = Arc::clone(&progress);
        let tags = tags.to_vec();
        let task = spawn_cancellable(&bg.rt, async move {
            // Dropping the guard drops this future, which stops the fill; the token is the
            // lookup's own way to be told, for callers that keep the future.
            let never = CancellationToken::new();
            let fill = lookup.fill(&client, &tags, FILL_CONCURRENCY, &never, |p| {
                shown.0.store(p.known, Ordering::Relaxed);
                shown.1.store(p.total, Ordering::Relaxed);
                repaint();
            });
            if let Err(e) = fill.await {
                tracing::debug!(error = %e, "the lookup of every tag stopped");
            }
            let _ = tx.send(RowEvent::EveryTagDone).await;
        });
        self.every_tag = Some(EveryTag {
            progress,
            done: false,
            _task: task,
        });
    }

    /// What is known of `tag`'s manifest: `None` when nobody asked yet.
    pub fn head(&self, tag: &str) -> Option<Cell<ManifestHead>> {
        if let Some(reason) = self.failed.get(tag) {
            return Some(Cell::Failed(reason.clone()));
        }
        match self.lookup.get(tag) {
            Some(Answer::Known(h)) => Some(Cell::Known(h)),
            Some(Answer::Gone) => Some(Cell::Failed(crate::i18n::describe_error(
                &Error::NotFound {
                    what: format!("{}:{tag}", self.repo),
                    codes: Vec::new(),
                },
            ))),
            None if self.head_tasks.contains_key(tag) => Some(Cell::Pending),
            None => None,
        }
    }

    /// What the cells show of the manifest `digest`: from the facts store when it knows it
    /// (read by these rows, the sort or `retain`, now or on an earlier visit); `None` when
    /// nobody asked yet.
    pub fn detail(&self, digest: &Digest) -> Option<Cell<Summary>> {
        match self.store.detail_of(digest) {
            Some(Learnt::Known(facts, detail)) => {
                return Some(Cell::Known(summarize(facts, &detail)));
            }
            Some(Learnt::Unreadable(e)) => {
                return Some(Cell::Failed(crate::i18n::describe_error(&e)));
            }
            None => {}
        }
        if let Some(reason) = self.detail_failed.get(digest) {
            return Some(Cell::Failed(reason.clone()));
        }
        self.detail_tasks
            .contains_key(digest)
            .then_some(Cell::Pending)
    }

    /// The repository's facts store (the sort shares it).
    pub fn store(&self) -> &Arc<TagFactsStore> {
        &self.store
    }

    /// What is known of the tags sharing `digest`, of `total` tags listed.
    pub fn sharing<'a>(&'a self, digest: &'a Digest, total: usize) -> Sharing<'a> {
        let every = self.every_tag.as_ref();
        Sharing {
            lookup: &self.lookup,
            digest,
            count: self.lookup.count_on(digest),
            unknown: total.saturating_sub(self.lookup.answered()),
            looking: every.is_some_and(|e| !e.done),
            progress: every.map_or(Progress::default(), |e| Progress {
                known: e.progress.0.load(Ordering::Relaxed),
                total: e.progress.1.load(Ordering::Relaxed),
            }),
        }
    }
}

impl Drop for RowLookup {
    /// What the rows learnt since the last save is not lost with the table.
    fn drop(&mut self) {
        if self.unsaved {
            self.save();
        }
    }
}

/// The tags known to share one digest, and whether that is all of them.
pub struct Sharing<'a> {
    lookup: &'a TagLookup,
    digest: &'a Digest,
    /// How many tags are known to point at the digest (the row's own tag among them).
    pub count: usize,
    /// How many tags of the repository have no answer yet: while any, the count is a lower
    /// bound.
    pub unknown: usize,
    /// The lookup of every tag is running.
    pub looking: bool,
    /// How far that lookup is.
    pub progress: Progress,
}

/// How many names a shared-digest tooltip lists before it says "and N more".
const NAMED: usize = 20;

impl Sharing<'_> {
    /// Whether the row of `tag` shows a mark: another tag is known to share its digest.
    #[must_use]
    pub fn marked(&self) -> bool {
        self.count > 1
    }

    /// The mark: "⇄3" when every tag is known, "⇄3+" while the count is a lower bound.
    #[must_use]
    pub fn mark(&self) -> String {
        mark(self.count, self.unknown)
    }

    /// The other tags with this digest (never `tag` itself), at most [`NAMED`] of them in
    /// natural order, and how many more there are. Scans the lookup: only while hovered.
    #[must_use]
    pub fn others(&self, tag: &str) -> (Vec<String>, usize) {
        self.lookup.others_on(self.digest, tag, NAMED)
    }
}

/// "⇄3" for three tags on one digest, "⇄3+" while `unknown` tags may add to them.
fn mark(count: usize, unknown: usize) -> String {
    let more = if unknown > 0 { "+" } else { "" };
    format!("⇄{count}{more}")
}

/// The shared-digest mark after a row's digest, with the other tags in its tooltip.
pub fn shared_mark(ui: &mut egui::Ui, tag: &str, sharing: &Sharing<'_>) {
    if !sharing.marked() {
        return;
    }
    let text = egui::RichText::new(sharing.mark())
        .small()
        .color(crate::ui::shell::theme::tone(
            ui,
            crate::ui::shell::theme::Tone::Accent,
        ));
    // Built only while hovered: with thousands of tags on one digest, joining the names
    // every frame for every row would cost more than the table.
    ui.label(text).on_hover_ui(|ui| {
        let (named, more) = sharing.others(tag);
        let mut text = named.join(", ");
        if more > 0 {
            text.push_str(&crate::tr!("tags-shared-more", count = more));
        }
        ui.label(crate::tr!("tags-shared-tooltip", tags = text));
        if sharing.looking {
            let p = sharing.progress;
            ui.label(crate::tr!(
                "tag-lookup-progress",
                known = p.known,
                total = p.total
            ));
        } else if sharing.unknown > 0 {
            ui.label(crate::tr!("tags-shared-partial", count = sharing.unknown));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_a_lower_bound_until_every_tag_is_known() {
        assert_eq!(mark(3, 40), "⇄3+");
        assert_eq!(mark(3, 0), "⇄3");
    }
}
