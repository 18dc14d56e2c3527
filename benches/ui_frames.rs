//! Frame time of the tags view (issue 15: frame times belong in a benchmark, not a test).
//! Draws N frames of the tags table of `many/tags` (1,600+ tags), moving the cursor one row
//! per frame as a user holding `ArrowDown` does, and, in the same run as its peer, N frames of
//! the empty window doing the same; prints the medians, the 95th percentiles and the ratio.
//! The peer is what any frame costs (egui, the harness, the window chrome), so a slow table
//! can be told from a slow machine.
//!
//! Run: `cargo bench --bench ui_frames` (it starts the test registry, so it needs what
//! `tests/run.sh` installs). Knob: `BENCH_FRAMES` (300).
//!
//! With `BENCH_REGISTRY` set (by `benches/browse.sh`, issue 19), it measures instead the rows
//! of the browsing benchmark that need the app in-process, against that registry, and prints
//! them as `bench-row KEY VALUE` lines (see `browse`).

#[path = "../tests/support/mod.rs"]
mod support;

// Only the harness is used here; the UI tests use the rest.
#[allow(dead_code)]
#[path = "../tests/integration/ui_common.rs"]
mod ui_common;

use egui_kittest::kittest::Queryable as _;
use std::time::{Duration, Instant};
use support::fixtures::{MANY_TAGS_COUNT, MANY_TAGS_REPO};
use support::{Auth, registry};
use ui_common::UiTest;

#[path = "ui_frames/browse.rs"]
mod browse;

fn main() {
    if let Ok(url) = std::env::var("BENCH_REGISTRY") {
        browse::run(&url);
        return;
    }
    let frames: usize = std::env::var("BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let reg = registry(Auth::Anonymous);

    let mut empty = UiTest::start(&[]);
    empty.harness.run_steps(5);
    let peer = time_frames(&mut empty, frames);

    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", MANY_TAGS_REPO);
    t.click(MANY_TAGS_REPO);
    let count = i64::try_from(MANY_TAGS_COUNT).expect("count");
    t.wait_for(&format!("{} tags", berth::i18n::group_thousands(count)));
    t.wait_for("1.0.0");
    t.until("the first screenful's details", |h| {
        h.query_all_by_label("…").next().is_none()
    });
    let tags = time_frames(&mut t, frames);

    let (peer_median, peer_p95) = (percentile(&peer, 50), percentile(&peer, 95));
    let (tags_median, tags_p95) = (percentile(&tags, 50), percentile(&tags, 95));
    println!("ui frame time over {frames} frames, ArrowDown each frame, 1280x800");
    println!("empty window             median {peer_median:>10.3?}  p95 {peer_p95:>10.3?}");
    println!(
        "tags view ({MANY_TAGS_COUNT} tags)    median {tags_median:>10.3?}  p95 {tags_p95:>10.3?}  {:.2}x the empty window (median)",
        tags_median.as_secs_f64() / peer_median.as_secs_f64()
    );
    println!("(one frame at 60 Hz is 16.7 ms)");
}

/// The time of each of `n` frames, each after one `ArrowDown`.
pub(crate) fn time_frames(t: &mut UiTest, n: usize) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            t.harness.key_press(egui::Key::ArrowDown);
            let started = Instant::now();
            t.harness.step();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// The `p`th percentile of sorted, non-empty `times`.
pub(crate) fn percentile(times: &[Duration], p: usize) -> Duration {
    let i = (times.len() * p / 100).min(times.len().saturating_sub(1));
    times.get(i).copied().unwrap_or_default()
}
