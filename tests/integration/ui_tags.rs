//! The tags table: per-row details are fetched only for the rows on screen once the view
//! rests (counted in the registry's access log), tags sharing a digest are marked, and
//! scrolling a long list asks only for rows it showed. (How fast a frame of that list draws
//! is measured by `benches/ui_frames.rs`, not asserted here: tests never read the clock.)

use super::ui_common::{Setup, UiTest};
use crate::support::fixtures::{MANY_TAGS_COUNT, MANY_TAGS_REPO};
use crate::support::{Auth, registry};

fn manifest_requests(log: &str, method: &str) -> usize {
    let needle = format!("\"{method} /v2/{MANY_TAGS_REPO}/manifests/");
    log.lines()
        .filter(|l| l.contains(&needle) && !l.contains("\" 401 "))
        .count()
}

#[test]
fn ui_tag_details_are_fetched_only_for_visible_rows() {
    // Only this test opens many/tags, so its lines in the shared registry's log are ours.
    let reg = registry(Auth::Anonymous);
    let before_heads = manifest_requests(&reg.access_log(), "HEAD");
    let before_gets = manifest_requests(&reg.access_log(), "GET");
    // Sixty frames a second of egui's clock: two frames per row stay well inside the rest
    // the view waits for before it asks, whatever the machine's speed.
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        step_dt: 1.0 / 60.0,
        ..Setup::default()
    });
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", MANY_TAGS_REPO);
    t.click(MANY_TAGS_REPO);
    t.wait_for(&format!(
        "{} tags",
        berth::i18n::group_thousands(i64::try_from(MANY_TAGS_COUNT).expect("count"))
    ));
    // Natural order: 1.0.0, 1.0.1, … The first screenful gets its kind and size.
    t.wait_for("1.0.0");
    t.until("details of the visible rows", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label("image").count() >= 10
    });
    settle(&mut t);
    let heads = manifest_requests(&reg.access_log(), "HEAD") - before_heads;
    assert!(
        (10..=80).contains(&heads),
        "one HEAD per visible row, not per tag: {heads}"
    );

    // Move 300 rows down with the keyboard.
    for _ in 0..300 {
        t.harness.key_press(egui::Key::ArrowDown);
        t.harness.step();
        t.harness.step();
    }
    t.wait_for("1.14.19");
    settle(&mut t);
    let heads = manifest_requests(&reg.access_log(), "HEAD") - before_heads;
    // The view asks once it has rested (by egui's clock, which the harness moves 1/60 s a
    // frame), so the rows passed over are never asked for: only the first and the last screen.
    assert!(
        heads <= 120,
        "scrolling through 300 rows asks only for where it stops: {heads}"
    );
    let gets = manifest_requests(&reg.access_log(), "GET") - before_gets;
    assert!(
        gets <= heads,
        "GETs are cached by digest: {gets} GETs for {heads} HEADs"
    );
    eprintln!("many/tags: {heads} HEADs, {gets} GETs");
}

/// Waits until every row on screen shows its digest and kind: the view has rested, and the
/// requests for its rows came back (a row still waiting shows "…").
fn settle(t: &mut UiTest) {
    t.until("every visible row's details (no \"…\" left)", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label("…").next().is_none()
    });
}

#[test]
fn ui_tags_sharing_a_digest_are_marked() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", "library/alpine");
    t.click("library/alpine");
    // 3.19 and latest are one manifest; 3.18 is another.
    t.until("the shared-digest marks", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label("⇄2").count() == 2
    });
}
