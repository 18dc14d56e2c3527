//! How a tag lookup stores its answers: every tag name and every digest once, indexed by
//! `u32` through hash tables that hold only the indices, so millions of tags cost tens of
//! bytes each.

use super::Answer;
use super::ManifestHead;
use crate::oci::Digest;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher as _;

pub(super) const GONE: u32 = u32::MAX;
pub(super) const NO_SIZE: u64 = u64::MAX;

#[derive(Clone, Copy)]
pub(super) struct Slot {
    /// Index into `Table::digests`, or [`GONE`].
    pub(super) digest: u32,
    pub(super) media: u32,
    pub(super) size: u64,
    /// The mark current when the answer was recorded.
    pub(super) epoch: u32,
}

#[derive(Default)]
pub(super) struct Table {
    pub(super) hasher: DefaultHashBuilder,
    pub(super) names: Vec<Box<str>>,
    pub(super) slots: Vec<Slot>,
    pub(super) by_name: HashTable<u32>,
    pub(super) digests: Vec<Digest>,
    pub(super) by_digest: HashTable<u32>,
    /// How many tags are known to point at each digest.
    pub(super) on_digest: Vec<u32>,
    pub(super) media: Vec<String>,
    pub(super) epoch: u32,
    pub(super) version: u64,
    pub(super) generation: u64,
}

pub(super) fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX - 1)
}

impl Table {
    pub(super) fn find(&self, tag: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(tag);
        self.by_name
            .find(hash, |&i| &*self.names[i as usize] == tag)
            .map(|&i| i as usize)
    }

    pub(super) fn slot(&self, tag: &str) -> Option<Slot> {
        self.find(tag).map(|i| self.slots[i])
    }

    pub(super) fn digest_id(&mut self, digest: &Digest) -> u32 {
        let hash = self.hasher.hash_one(digest.as_str());
        let digests = &self.digests;
        if let Some(&i) = self
            .by_digest
            .find(hash, |&i| digests[i as usize] == *digest)
        {
            return i;
        }
        let id = index(self.digests.len());
        self.digests.push(digest.clone());
        self.on_digest.push(0);
        let (hasher, digests) = (&self.hasher, &self.digests);
        self.by_digest
            .insert_unique(hash, id, |&i| hasher.hash_one(digests[i as usize].as_str()));
        id
    }

    pub(super) fn find_digest(&self, digest: &Digest) -> Option<u32> {
        let hash = self.hasher.hash_one(digest.as_str());
        self.by_digest
            .find(hash, |&i| self.digests[i as usize] == *digest)
            .copied()
    }

    pub(super) fn media_id(&mut self, media: &str) -> u32 {
        if let Some(i) = self.media.iter().position(|m| m == media) {
            return index(i);
        }
        self.media.push(media.to_owned());
        index(self.media.len() - 1)
    }

    pub(super) fn record(&mut self, tag: &str, head: Option<&ManifestHead>) {
        let slot = match head {
            Some(h) => Slot {
                digest: self.digest_id(&h.digest),
                media: self.media_id(&h.media_type),
                size: h.size.unwrap_or(NO_SIZE),
                epoch: self.epoch,
            },
            None => Slot {
                digest: GONE,
                media: 0,
                size: NO_SIZE,
                epoch: self.epoch,
            },
        };
        if slot.digest != GONE {
            self.on_digest[slot.digest as usize] += 1;
        }
        self.version += 1;
        if let Some(i) = self.find(tag) {
            let before = std::mem::replace(&mut self.slots[i], slot);
            if before.digest != GONE {
                self.on_digest[before.digest as usize] -= 1;
            }
            return;
        }
        let id = index(self.names.len());
        let hash = self.hasher.hash_one(tag);
        self.names.push(tag.into());
        self.slots.push(slot);
        let (hasher, names) = (&self.hasher, &self.names);
        self.by_name
            .insert_unique(hash, id, |&i| hasher.hash_one(&*names[i as usize]));
    }

    pub(super) fn answer(&self, slot: Slot) -> Answer {
        if slot.digest == GONE {
            return Answer::Gone;
        }
        Answer::Known(ManifestHead {
            digest: self.digests[slot.digest as usize].clone(),
            media_type: self
                .media
                .get(slot.media as usize)
                .cloned()
                .unwrap_or_default(),
            size: (slot.size != NO_SIZE).then_some(slot.size),
        })
    }
}
