//! A job's progress board: one slot per item (blob, manifest, image), each with a byte
//! counter that transfers bump without locking. The runner samples the board on a timer
//! and sends a `Progress` event only when something changed, which throttles events to the
//! timer's rate however fast the bytes flow.

use super::events::{ItemKind, ItemProgress, ItemState, Progress};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

#[derive(Default)]
pub(crate) struct Board {
    slots: Mutex<Vec<Slot>>,
}

struct Slot {
    id: String,
    kind: ItemKind,
    total: u64,
    done: Arc<AtomicU64>,
    state: ItemState,
}

/// A handle on one slot.
#[derive(Clone)]
pub(crate) struct Item {
    board: Arc<Board>,
    index: usize,
    done: Arc<AtomicU64>,
}

impl Board {
    fn slots(&self) -> MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an item; `done` may be a counter shared with another job's item (a shared
    /// download), so both show the same bytes.
    pub(crate) fn add(
        self: &Arc<Self>,
        id: impl Into<String>,
        kind: ItemKind,
        total: u64,
        done: Option<Arc<AtomicU64>>,
    ) -> Item {
        let done = done.unwrap_or_default();
        let mut slots = self.slots();
        slots.push(Slot {
            id: id.into(),
            kind,
            total,
            done: done.clone(),
            state: ItemState::Waiting,
        });
        Item {
            board: self.clone(),
            index: slots.len() - 1,
            done,
        }
    }

    /// The item with this id, if there is one.
    pub(crate) fn find(self: &Arc<Self>, id: &str) -> Option<Item> {
        let slots = self.slots();
        let index = slots.iter().position(|s| s.id == id)?;
        Some(Item {
            board: self.clone(),
            index,
            done: slots[index].done.clone(),
        })
    }

    pub(crate) fn snapshot(&self) -> Progress {
        let slots = self.slots();
        let items: Vec<ItemProgress> = slots
            .iter()
            .map(|s| {
                let done = match s.state {
                    ItemState::Present | ItemState::Mounted | ItemState::Done => s.total,
                    _ => s.done.load(Ordering::Relaxed).min(s.total.max(1)),
                };
                ItemProgress {
                    id: s.id.clone(),
                    kind: s.kind,
                    done,
                    total: s.total,
                    state: s.state,
                }
            })
            .collect();
        Progress {
            done: items.iter().map(|i| i.done).sum(),
            total: items.iter().map(|i| i.total).sum(),
            items,
        }
    }
}

impl Item {
    pub(crate) fn set_state(&self, state: ItemState) {
        if let Some(slot) = self.board.slots().get_mut(self.index) {
            slot.state = state;
        }
    }

    pub(crate) fn set_total(&self, total: u64) {
        if let Some(slot) = self.board.slots().get_mut(self.index) {
            slot.total = total;
        }
    }

    pub(crate) fn set_done(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    pub(crate) fn add_done(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Shows `counter` (a shared transfer's) as this item's bytes from now on.
    pub(crate) fn use_counter(&mut self, counter: Arc<AtomicU64>) {
        if let Some(slot) = self.board.slots().get_mut(self.index) {
            slot.done = counter.clone();
        }
        self.done = counter;
    }

    /// The byte counter, for a transfer that counts on its own.
    pub(crate) fn counter(&self) -> Arc<AtomicU64> {
        self.done.clone()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_states() {
        let board = Arc::new(Board::default());
        let a = board.add("a", ItemKind::Layer, 100, None);
        let shared = Arc::new(AtomicU64::new(0));
        let b = board.add("b", ItemKind::Layer, 50, Some(shared.clone()));
        a.set_state(ItemState::Active);
        a.add_done(40);
        shared.store(10, Ordering::Relaxed);
        let p = board.snapshot();
        assert_eq!((p.done, p.total), (50, 150));
        b.set_state(ItemState::Present);
        assert_eq!(board.snapshot().done, 90);
        assert_eq!(board.find("b").unwrap().index, 1);
    }
}
