//! A focused text field in an idle window (issue 19, item 7): the cursor blinks at first, each
//! turn asking for a frame, and a few seconds after the last input it stays on and the window
//! asks for no more frames; the next key starts the blink again.

use super::ui_common::UiTest;
use crate::support::{Auth, registry};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use std::time::Duration;

const FILTER_HINT: &str = "Filter repositories (Ctrl+F)";

/// How long until the window wants its next frame (`Duration::MAX`: never).
fn next_frame_in(h: &Harness<'static, berth::ui::BerthApp>) -> Duration {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map_or(Duration::MAX, |v| v.repaint_delay)
}

fn idle(h: &Harness<'static, berth::ui::BerthApp>) -> bool {
    next_frame_in(h) > Duration::from_hours(1)
}

#[test]
fn ui_a_focused_field_blinks_then_stops_asking_for_frames() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.until("the window to go idle before the field is focused", idle);

    t.focus_hinted(FILTER_HINT);
    // Each step moves egui's clock a quarter second: a second of blinking, a frame asked for
    // within each half-second turn.
    for step in 0..4 {
        assert!(
            next_frame_in(&t.harness) <= Duration::from_millis(500),
            "step {step}: the cursor of a freshly focused field blinks"
        );
        t.harness.step();
    }
    // With no input, the blink ends after BLINK_FOR seconds of egui's clock (steps, not time).
    let blink_steps = (1..1000)
        .find(|&n: &usize| n as f64 * 0.25 >= berth::ui::CURSOR_BLINK_FOR)
        .unwrap_or(0);
    let mut steps = 0;
    while !idle(&t.harness) {
        assert!(
            steps <= blink_steps + 4,
            "after {steps} idle steps the focused field still asks for a frame in {:?}",
            next_frame_in(&t.harness)
        );
        t.harness.step();
        steps += 1;
    }
    // Still idle a while later: nothing else wakes it.
    t.harness.run_steps(8);
    assert!(idle(&t.harness), "the window woke up again without input");

    // Typing brings the blink back.
    t.harness
        .get_by(|n| {
            n.role() == egui::accesskit::Role::TextInput
                && n.data().placeholder() == Some(FILTER_HINT)
        })
        .type_text("team");
    t.harness.step();
    assert!(
        next_frame_in(&t.harness) <= Duration::from_millis(500),
        "a key starts the blink again"
    );
}
