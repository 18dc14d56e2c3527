//! Things that must not move under the pointer, and shared-digest marks that say what they
//! know: the first Ctrl+click in the tags table and opening a repository leave the rows where
//! they were (node bounds before and after); a shared-digest mark is a lower bound ("⇄N+")
//! until every tag is looked up, and "Find every tag with this digest" makes it exact.

use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::{self, Auth, FreshOptions, registry};
use egui_kittest::kittest::Queryable as _;

fn rect_of(t: &UiTest, label: &str) -> egui::Rect {
    t.harness.get_by_label(label).rect()
}

#[test]
fn ui_the_first_ctrl_click_does_not_push_the_table_down() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", "library/alpine");
    t.click("library/alpine");
    t.wait_for("latest");
    t.wait_for("3.18");
    let before = rect_of(&t, "latest");
    t.harness
        .get_by_label("3.18")
        .click_modifiers(egui::Modifiers::COMMAND);
    t.harness.step();
    t.wait_for("1 tag selected");
    assert_eq!(
        rect_of(&t, "latest"),
        before,
        "the marks bar pushed the rows"
    );
}

#[test]
fn ui_opening_a_repository_does_not_push_the_list_down() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.wait_for("bulk/repo-0003");
    let before = rect_of(&t, "bulk/repo-0003");
    // The first repository opened in this registry: Recent gets its first row.
    t.click("bulk/repo-0002");
    t.wait_for("latest");
    for _ in 0..5 {
        t.harness.step();
    }
    assert_eq!(
        rect_of(&t, "bulk/repo-0003"),
        before,
        "the Recent row pushed the list under the pointer"
    );
}

/// Puts `library/alpine:latest`'s manifest under `count` more tags `s-00`, `s-01`, ….
fn tag_alpine_many_times(reg: &support::TestRegistry, count: usize) {
    let accept = "application/vnd.oci.image.manifest.v1+json";
    let latest = reg.get("/v2/library/alpine/manifests/latest", &[("Accept", accept)]);
    assert_eq!(latest.status, 200, "GET alpine:latest");
    let pusher = reg.pusher();
    for i in 0..count {
        pusher.put_manifest("library/alpine", &format!("s-{i:02}"), accept, &latest.body);
    }
}

#[test]
fn ui_a_shared_digest_mark_is_a_lower_bound_until_every_tag_is_found() {
    const EXTRA: usize = 60;
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    tag_alpine_many_times(&reg, EXTRA);
    // A short window: only the first rows are on screen, so only they are looked up.
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        size: egui::vec2(1100.0, 600.0),
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "library/alpine");
    t.wait_for(&format!("{} tags", EXTRA + 3));
    // Natural order: 3.18, 3.19, latest, s-00, …; the rows on screen share latest's digest
    // with tags further down that nobody looked up yet.
    t.until("a mark that says it is a lower bound", |h| {
        lower_bounds(h) > 0
    });
    let exact = format!("⇄{}", EXTRA + 2);
    assert!(!t.has(&exact), "every tag is known before anyone asked");

    t.harness.get_by_label("latest").click_secondary();
    t.harness.step();
    t.click("Find every tag with this digest");
    t.until("the exact count on the marks", |h| {
        h.query_all_by_label(&exact).next().is_some()
    });
    assert_eq!(
        lower_bounds(&t.harness),
        0,
        "a mark still says it is a lower bound after every tag was found"
    );
}

/// How many shared-digest marks on screen say they are a lower bound ("⇄N+").
fn lower_bounds(h: &egui_kittest::Harness<'static, berth::ui::BerthApp>) -> usize {
    h.query_all(egui_kittest::kittest::by().predicate(|n| {
        // A label's text is its accesskit value.
        n.label()
            .or_else(|| n.value())
            .is_some_and(|l| l.starts_with('⇄') && l.ends_with('+'))
    }))
    .count()
}

/// Choosing a platform turns the Reference row into a long reference by digest: it is elided,
/// and every Copy button of the Overview stays inside the window.
#[test]
fn ui_a_long_reference_keeps_its_copy_button_on_screen() {
    const WIDTH: f32 = 1100.0;
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        // Wide enough for the tab row; a reference by digest (about 100 characters) is not.
        size: egui::vec2(WIDTH, 700.0),
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "library/nginx");
    t.click("latest");
    t.click("linux/arm64");
    t.until("the reference by digest", |h| {
        h.query_all(egui_kittest::kittest::by().predicate(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.contains("library/nginx@sha256:"))
        }))
        .next()
        .is_some()
    });
    for _ in 0..3 {
        t.harness.step();
    }
    let copies: Vec<egui::Rect> = t
        .harness
        .query_all_by_label("Copy")
        .map(|n| n.rect())
        .collect();
    assert!(copies.len() >= 2, "the Overview's Copy buttons: {copies:?}");

    for rect in copies {
        assert!(
            rect.max.x <= WIDTH,
            "a Copy button is off screen at {rect:?}"
        );
    }
}

/// A tag's context menu offers its pull command for each tool, by tag and by digest, and
/// copies the one chosen.
#[test]
fn ui_copy_pull_command_from_a_tag() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "library/alpine");
    t.wait_for("3.18");
    // The digest is known once the row's HEAD came back.
    t.until("the digest of 3.18", |h| {
        h.query_all_by_label("…").next().is_none()
    });
    t.harness.get_by_label("3.18").click_secondary();
    t.harness.step();
    t.click("Copy pull command");
    let by_tag = format!(
        "podman pull --tls-verify=false {}/library/alpine:3.18",
        reg.host()
    );
    t.wait_for(&by_tag);
    let by_digest = format!("docker pull {}/library/alpine@sha256:", reg.host());
    assert!(
        t.harness
            .query_all(egui_kittest::kittest::by().predicate(|n| {
                n.label()
                    .or_else(|| n.value())
                    .is_some_and(|l| l.starts_with(&by_digest))
            }))
            .next()
            .is_some(),
        "no {by_digest}… item"
    );
    t.harness.get_by_label(&by_tag).click();
    t.harness.step();
    let copied: Vec<String> = t
        .harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, vec![by_tag]);
}
