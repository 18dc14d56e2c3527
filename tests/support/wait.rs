//! Waiting for a condition, never for a fixed time: a test polls what it needs until it
//! holds, and only a generous deadline (far above any healthy run, so a slow machine never
//! fails a test) turns a hang into a failure that names what was awaited.

use std::time::{Duration, Instant};

/// How long [`until`] waits before it gives up: long enough for a loaded 2-core machine.
pub const DEADLINE: Duration = Duration::from_secs(90);

/// How often the condition is asked again (a poll interval, not a wait for something).
const POLL: Duration = Duration::from_millis(20);

/// Polls `done` until it returns true; panics naming `what` when [`DEADLINE`] passes.
pub fn until(what: &str, done: impl FnMut() -> bool) {
    until_within(DEADLINE, what, done);
}

/// [`until`] with its own deadline (for a test that waits for something slow by nature).
pub fn until_within(deadline: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + deadline;
    loop {
        if done() {
            return;
        }
        assert!(
            Instant::now() < end,
            "gave up after {deadline:?} waiting for {what}"
        );
        std::thread::sleep(POLL);
    }
}
