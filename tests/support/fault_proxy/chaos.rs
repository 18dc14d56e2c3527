//! Faults at random, for soak tests: each request gets a fault with a given probability,
//! drawn from a list. The draw depends only on the seed, the request (method and target) and
//! how many times that request was seen before, so the same seed injects the same faults
//! whatever order concurrent requests arrive in.

use super::super::wire::Head;
use super::Fault;
use std::collections::HashMap;
use std::hash::{BuildHasher as _, BuildHasherDefault, DefaultHasher};

/// The random fault source of a proxy (see [`FaultProxy::chaos`](super::FaultProxy::chaos)).
pub(super) struct Chaos {
    seed: u64,
    /// Out of 1000.
    per_mille: u64,
    faults: Vec<Fault>,
    seen: HashMap<(String, String), u64>,
}

impl Chaos {
    pub(super) fn new(seed: u64, per_mille: u64, faults: Vec<Fault>) -> Self {
        Self {
            seed,
            per_mille,
            faults,
            seen: HashMap::new(),
        }
    }

    /// The fault for this request, if it draws one.
    pub(super) fn pick(&mut self, head: &Head) -> Option<Fault> {
        let key = (head.method.clone(), head.target.clone());
        let n = self.seen.entry(key.clone()).or_default();
        *n += 1;
        // SipHash with fixed keys: the same draw for the same seed on every run.
        let draw = BuildHasherDefault::<DefaultHasher>::default().hash_one((self.seed, key, *n));
        if draw % 1000 >= self.per_mille || self.faults.is_empty() {
            return None;
        }
        let which = (draw / 1000) as usize % self.faults.len();
        Some(self.faults[which].clone())
    }
}
