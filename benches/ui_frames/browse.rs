//! The in-process rows of `benches/browse.sh` (issue 19), on the real `App` through
//! `egui_kittest` against the registry the script seeded (`BENCH_REGISTRY`):
//! - row 3: Enter on the big repository (`BENCH_TAGS_REPO`) until its first tag
//!   (`BENCH_FIRST_TAG`) is drawn, wall time, median of `BENCH_RUNS` fresh windows;
//! - row 4: the time of `step()` (egui's `ui` pass plus kittest's AccessKit update; nothing is
//!   rasterised) with 100,000 tags on screen, a wheel step and a filter keystroke in every
//!   frame, against the empty window given the same input;
//! - row 6: how many of the steps of an idle window (a quarter second of egui's clock each)
//!   ask for another frame, with nothing focused and with the filter focused;
//! - row 7: the peak RSS of this process (the app, its runtime and the harness) with the
//!   whole catalog and the 100,000 tags loaded.

use crate::ui_common::UiTest;
use egui_kittest::kittest::Queryable as _;
use std::time::{Duration, Instant};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn group(n: usize) -> String {
    berth::i18n::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// Steps counted as asking for another frame: a repaint wanted within the hour.
fn asks_for_frame(t: &UiTest) -> bool {
    t.harness
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.repaint_delay < Duration::from_hours(1))
}

/// Of `steps` steps with no input, how many asked for another frame.
fn frames_asked(t: &mut UiTest, steps: usize) -> usize {
    (0..steps)
        .filter(|_| {
            t.harness.step();
            asks_for_frame(t)
        })
        .count()
}

/// A window with the whole catalog listed and the big repository's row alone under the
/// filter, the cursor on it.
fn window_at_the_big_repository(url: &str, repos: usize, repo: &str) -> UiTest {
    let mut t = UiTest::start(&[url.to_owned()]);
    let host = url.trim_start_matches("http://");
    t.click(host);
    t.wait_for(&format!("{} repositories", group(repos)));
    t.type_into_hinted("Filter repositories (Ctrl+F)", repo);
    t.wait_for(&format!("1 of {} repositories", group(repos)));
    t.key(egui::Key::ArrowDown);
    t
}

pub fn run(url: &str) {
    let runs = env_or("BENCH_RUNS", 5);
    let frames = env_or("BENCH_FRAMES", 600);
    let repos = env_or("BENCH_REPOS", 20_003);
    let tags = env_or("BENCH_TAGS", 100_000);
    let repo = std::env::var("BENCH_TAGS_REPO").unwrap_or_else(|_| "bench/tags100k".into());
    let first_tag = std::env::var("BENCH_FIRST_TAG").unwrap_or_else(|_| "0.0.0".into());
    let idle_steps = 40;

    // Row 6, in-process: an idle window with the catalog listed, nothing focused.
    let mut t = UiTest::start(&[url.to_owned()]);
    t.click(url.trim_start_matches("http://"));
    t.wait_for(&format!("{} repositories", group(repos)));
    t.until("the window to go idle", |h| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.repaint_delay >= Duration::from_hours(1))
    });
    let idle = frames_asked(&mut t, idle_steps);
    t.focus_hinted("Filter repositories (Ctrl+F)");
    let blink_steps = (1..1000)
        .find(|&n: &usize| n as f64 * 0.25 >= berth::ui::CURSOR_BLINK_FOR)
        .unwrap_or(0);
    let focused_first = frames_asked(&mut t, blink_steps);
    let focused_later = frames_asked(&mut t, idle_steps);
    drop(t);

    // Row 3: Enter until the first rows are drawn, in fresh windows.
    let mut enter = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let mut t = window_at_the_big_repository(url, repos, &repo);
        let started = Instant::now();
        t.harness.key_press(egui::Key::Enter);
        loop {
            t.harness.step();
            if t.harness.query_all_by_label(&first_tag).next().is_some() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_mins(2),
                "{first_tag} never showed up"
            );
        }
        enter.push(started.elapsed());
        last = Some(t);
    }
    enter.sort();
    let Some(mut t) = last else {
        return;
    };
    t.wait_for(&format!("{} tags", group(tags)));

    // Row 4: a wheel step and a filter keystroke in every frame, over the tags table.
    t.focus_hinted("Filter tags (Ctrl+F)");
    let busy = frames_with_input(&mut t, frames);
    let mut empty = UiTest::start(&[]);
    empty.harness.run_steps(5);
    let peer = frames_with_input(&mut empty, frames);
    drop(empty);

    // Row 7: the peak resident set of this process.
    let peak_kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .unwrap_or(f64::NAN);

    let row = |key: &str, value: String| println!("bench-row {key} {value}");
    row("enter_ms", ms(crate::percentile(&enter, 50)));
    row("frame_median_ms", ms(crate::percentile(&busy, 50)));
    row("frame_p95_ms", ms(crate::percentile(&busy, 95)));
    row("frame_p99_ms", ms(crate::percentile(&busy, 99)));
    row("empty_p99_ms", ms(crate::percentile(&peer, 99)));
    row("idle_frames", idle.to_string());
    row("idle_seconds", format!("{}", idle_steps / 4));
    row("blink_seconds", format!("{}", blink_steps / 4));
    row("focused_first_frames", focused_first.to_string());
    row("focused_later_frames", focused_later.to_string());
    row("peak_rss_mb", format!("{:.1}", peak_kb / 1024.0));
    row("frames", frames.to_string());
}

/// The time of each of `n` frames, each given a wheel step over the middle of the window and
/// a keystroke (a digit typed, then erased) in the focused field, sorted.
fn frames_with_input(t: &mut UiTest, n: usize) -> Vec<Duration> {
    let middle = egui::pos2(900.0, 450.0);
    t.harness.event(egui::Event::PointerMoved(middle));
    t.harness.step();
    t.harness
        .input_mut()
        .events
        .push(egui::Event::Text("1".into()));
    t.harness.step();
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let events = &mut t.harness.input_mut().events;
            events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -24.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            });
            events.push(if i % 2 == 0 {
                egui::Event::Text("2".into())
            } else {
                egui::Event::Key {
                    key: egui::Key::Backspace,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: egui::Modifiers::NONE,
                }
            });
            let started = Instant::now();
            t.harness.step();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}
