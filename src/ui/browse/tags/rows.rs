//! What the tags table knows about each tag's manifest, and the background work that finds
//! it out: a HEAD per tag on screen for its digest, then (except on Docker Hub) a GET of the
//! manifest and config per digest, about eight at a time; which tags share a digest; and, on
//! demand, a lookup of every tag not yet known ("Find every tag with this digest"). Every task
//! runs under a drop guard held here, so leaving the repository drops this value and stops
//! them (ARCHITECTURE.md, "Cancelling").

use super::summary::{Summary, summarize};
use crate::oci::{Digest, Reference, Repository};
use crate::registry::{Error, ManifestHead, RegistryClient};
use crate::ui::Bg;
use crate::ui::kit::requested::spawn_cancellable;
use futures_util::StreamExt as _;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::DropGuard;

/// How many manifest requests run at once for the visible rows (and, separately, for a
/// lookup of every tag).
pub const ROW_CONCURRENCY: usize = 8;

pub enum Cell<T> {
    Pending,
    Known(T),
    Failed(String),
}

enum RowEvent {
    Head(String, Result<ManifestHead, Error>),
    Detail(Digest, Result<Summary, Error>),
    /// The lookup of every tag has asked for all of them.
    EveryTagDone,
}

/// The lookup of every tag not yet known, started from a shared-digest mark.
struct EveryTag {
    /// How many tags it asks for.
    asked: usize,
    done: bool,
    _task: DropGuard,
}

pub struct RowLookup {
    client: Arc<RegistryClient>,
    repo: Repository,
    /// False on Docker Hub: only HEAD requests, since a GET counts against the pull limit.
    allow_get: bool,
    heads: HashMap<String, Cell<ManifestHead>>,
    /// How many entries of `heads` are answered (known or failed).
    answered: usize,
    details: HashMap<Digest, Cell<Summary>>,
    /// The tags known to point at each digest, naturally sorted.
    sharing: HashMap<Digest, Vec<String>>,
    /// The row tasks still running; dropping a guard stops its task.
    head_tasks: HashMap<String, DropGuard>,
    detail_tasks: HashMap<Digest, DropGuard>,
    every_tag: Option<EveryTag>,
    tx: mpsc::Sender<RowEvent>,
    rx: mpsc::Receiver<RowEvent>,
}

impl RowLookup {
    pub fn new(client: Arc<RegistryClient>, repo: Repository, allow_get: bool) -> Self {
        let (tx, rx) = mpsc::channel(ROW_CONCURRENCY * 2);
        Self {
            client,
            repo,
            allow_get,
            heads: HashMap::new(),
            answered: 0,
            details: HashMap::new(),
            sharing: HashMap::new(),
            head_tasks: HashMap::new(),
            detail_tasks: HashMap::new(),
            every_tag: None,
            tx,
            rx,
        }
    }

    /// Forgets the digests (tags move when the list is reloaded); requests in flight stay.
    pub fn forget_digests(&mut self) {
        self.heads.retain(|_, c| matches!(c, Cell::Pending));
        self.answered = 0;
        self.sharing.clear();
        self.every_tag = None;
    }

    /// Moves finished answers in; never blocks.
    pub fn poll(&mut self) {
        while let Ok(event) = self.rx.try_recv() {
            match event {
                RowEvent::Head(tag, result) => {
                    // An answer for the tag (from its row or from the lookup of every tag)
                    // makes another request for it pointless: dropping its guard stops it.
                    self.head_tasks.remove(&tag);
                    let cell = match result {
                        Ok(head) => {
                            let shared = self.sharing.entry(head.digest.clone()).or_default();
                            if !shared.contains(&tag) {
                                shared.push(tag.clone());
                                crate::natural_sort::sort(shared);
                            }
                            Cell::Known(head)
                        }
                        Err(e) => Cell::Failed(crate::i18n::describe_error(&e)),
                    };
                    let before = self.heads.insert(tag, cell);
                    if !matches!(before, Some(Cell::Known(_) | Cell::Failed(_))) {
                        self.answered += 1;
                    }
                }
                RowEvent::Detail(digest, result) => {
                    self.detail_tasks.remove(&digest);
                    let cell = match result {
                        Ok(s) => Cell::Known(s),
                        Err(e) => Cell::Failed(crate::i18n::describe_error(&e)),
                    };
                    self.details.insert(digest, cell);
                }
                RowEvent::EveryTagDone => {
                    if let Some(every) = &mut self.every_tag {
                        every.done = true;
                    }
                }
            }
        }
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
            match self.heads.get(&tag) {
                None => {
                    self.heads.insert(tag.clone(), Cell::Pending);
                    let (client, repo, tx) =
                        (Arc::clone(&self.client), self.repo.clone(), self.tx.clone());
                    let repaint = Arc::clone(&bg.repaint);
                    let name = tag.clone();
                    let task = spawn_cancellable(&bg.rt, async move {
                        let head = client
                            .head_manifest(&repo, &Reference::Tag(name.clone()))
                            .await;
                        let _ = tx.send(RowEvent::Head(name, head)).await;
                        repaint();
                    });
                    self.head_tasks.insert(tag, task);
                }
                Some(Cell::Known(head)) if self.allow_get => {
                    let digest = head.digest.clone();
                    if self.details.contains_key(&digest) {
                        continue;
                    }
                    self.details.insert(digest.clone(), Cell::Pending);
                    let (client, repo, tx) =
                        (Arc::clone(&self.client), self.repo.clone(), self.tx.clone());
                    let repaint = Arc::clone(&bg.repaint);
                    let key = digest.clone();
                    let task = spawn_cancellable(&bg.rt, async move {
                        let summary = summarize(&client, &repo, &key).await;
                        let _ = tx.send(RowEvent::Detail(key, summary)).await;
                        repaint();
                    });
                    self.detail_tasks.insert(digest, task);
                }
                _ => {}
            }
        }
    }

    /// Looks up the digest of every tag of `tags` not answered yet, `ROW_CONCURRENCY` at a
    /// time, so that the shared-digest marks become exact. Runs until done, a reload, or the
    /// table closing.
    pub fn find_every_tag(&mut self, tags: &[String], bg: &Bg) {
        if self.every_tag.is_some() {
            return;
        }
        let missing: Vec<String> = tags
            .iter()
            .filter(|t| !matches!(self.heads.get(*t), Some(Cell::Known(_) | Cell::Failed(_))))
            .cloned()
            .collect();
        let (client, repo, tx) = (Arc::clone(&self.client), self.repo.clone(), self.tx.clone());
        let repaint = Arc::clone(&bg.repaint);
        let asked = missing.len();
        let task = spawn_cancellable(&bg.rt, async move {
            let mut answers = futures_util::stream::iter(missing)
                .map(|tag| {
                    let (client, repo) = (&client, &repo);
                    async move {
                        let head = client
                            .head_manifest(repo, &Reference::Tag(tag.clone()))
                            .await;
                        (tag, head)
                    }
                })
                .buffer_unordered(ROW_CONCURRENCY);
            while let Some((tag, head)) = answers.next().await {
                if tx.send(RowEvent::Head(tag, head)).await.is_err() {
                    return;
                }
                repaint();
            }
            let _ = tx.send(RowEvent::EveryTagDone).await;
            repaint();
        });
        self.every_tag = Some(EveryTag {
            asked,
            done: false,
            _task: task,
        });
    }

    pub fn head(&self, tag: &str) -> Option<&Cell<ManifestHead>> {
        self.heads.get(tag)
    }

    pub fn detail(&self, digest: &Digest) -> Option<&Cell<Summary>> {
        self.details.get(digest)
    }

    /// What is known of the tags sharing `digest`.
    pub fn sharing(&self, digest: &Digest, total: usize) -> Sharing<'_> {
        Sharing {
            tags: self.sharing.get(digest).map_or(&[], Vec::as_slice),
            unknown: total.saturating_sub(self.answered),
            looking: self.every_tag.as_ref().is_some_and(|e| !e.done),
            asked: self.every_tag.as_ref().map_or(0, |e| e.asked),
        }
    }
}

/// The tags known to share one digest, and whether that is all of them.
pub struct Sharing<'a> {
    /// Every tag known to point at the digest (the row's own tag among them).
    pub tags: &'a [String],
    /// How many tags of the repository have no answer yet: while any, the count is a lower
    /// bound.
    pub unknown: usize,
    /// The lookup of every tag is running.
    pub looking: bool,
    /// How many tags that lookup asks for.
    pub asked: usize,
}

/// How many names a shared-digest tooltip lists before it says "and N more".
const NAMED: usize = 20;

impl Sharing<'_> {
    /// Whether the row of `tag` shows a mark: another tag is known to share its digest.
    #[must_use]
    pub fn marked(&self) -> bool {
        self.tags.len() > 1
    }

    /// The mark: "⇄3" when every tag is known, "⇄3+" while the count is a lower bound.
    #[must_use]
    pub fn mark(&self) -> String {
        let more = if self.unknown > 0 { "+" } else { "" };
        format!("⇄{}{more}", self.tags.len())
    }

    /// The other tags with this digest (never `tag` itself), at most [`NAMED`] of them,
    /// and how many more there are.
    #[must_use]
    pub fn others(&self, tag: &str) -> (Vec<&str>, usize) {
        let others: Vec<&str> = self
            .tags
            .iter()
            .map(String::as_str)
            .filter(|t| *t != tag)
            .collect();
        let more = others.len().saturating_sub(NAMED);
        (others.into_iter().take(NAMED).collect(), more)
    }
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
            ui.label(crate::tr!("tags-shared-looking", count = sharing.asked));
        } else if sharing.unknown > 0 {
            ui.label(crate::tr!("tags-shared-partial", count = sharing.unknown));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_mark_is_a_lower_bound_until_every_tag_is_known() {
        let known = tags(&["a", "b", "c"]);
        let partial = Sharing {
            tags: &known,
            unknown: 40,
            looking: false,
            asked: 0,
        };
        assert_eq!(partial.mark(), "⇄3+");
        let complete = Sharing {
            unknown: 0,
            ..partial
        };
        assert_eq!(complete.mark(), "⇄3");
    }

    #[test]
    fn the_tooltip_never_names_the_hovered_tag_and_caps_the_list() {
        let known = tags(&["a", "b", "c"]);
        let sharing = Sharing {
            tags: &known,
            unknown: 0,
            looking: false,
            asked: 0,
        };
        assert_eq!(sharing.others("b"), (vec!["a", "c"], 0));

        let many: Vec<String> = (0..30).map(|i| format!("t{i}")).collect();
        let sharing = Sharing {
            tags: &many,
            unknown: 0,
            looking: false,
            asked: 0,
        };
        let (named, more) = sharing.others("t0");
        assert_eq!(named.len(), NAMED);
        assert!(!named.contains(&"t0"));
        assert_eq!(more, 29 - NAMED);
    }
}
