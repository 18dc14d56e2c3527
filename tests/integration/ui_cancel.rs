//! One way to cancel, seen from the wire: a request the window no longer wants is stopped,
//! not just ignored. Through the fault proxy, with every manifest answer held back, clicking
//! quickly through 20 tags (each image view closed by Back before the next opens) leaves at
//! most 3 manifest GETs read to the end (on Docker Hub each one counts against the pull
//! limit); and leaving a repository closes the tags table's per-row HEADs still held.

use super::ui_common::UiTest;
use crate::support::fixtures::MANY_TAGS_REPO;
use crate::support::{Auth, Fault, FaultProxy, Gate, Rule, registry};

/// The tags clicked through: the first 20 rows of `many/tags` in natural order.
const TAGS: usize = 20;
/// A GET of one of those tags' manifests (by tag, as the image view asks; the tag table's
/// rows ask by HEAD and by digest, so they are not held or counted).
const BY_TAG: &str = "/manifests/1.0.";

#[test]
fn ui_clicking_through_tags_stops_the_manifest_gets_it_replaces() {
    let reg = registry(Auth::Anonymous);
    let proxy = FaultProxy::start(&reg.host());
    let gate = Gate::new();
    proxy.add(Rule::path(BY_TAG).method("GET"), Fault::Hold(gate.clone()));
    let mut t = UiTest::start(&[proxy.url()]);
    t.click(&proxy.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", MANY_TAGS_REPO);
    t.click(MANY_TAGS_REPO);
    t.wait_for("1.0.19");

    // Quickly: open a tag, go back to the table (the image view covers it), open the next,
    // a frame per click, while each manifest is still held at the proxy.
    for i in 0..TAGS {
        if i > 0 {
            t.click("← Back");
        }
        t.click(&format!("1.0.{i}"));
    }
    let last = format!("{BY_TAG}{}", TAGS - 1);

    // Before the answers are let through, wait until the window asked for the last tag and
    // every other GET still held has lost its client. Without cancelling, the replaced GETs
    // stay connected and this never holds (the deadline then fails the test).
    t.until(
        "the replaced manifest GETs to close their connections",
        |_| {
            let held = proxy.requests();
            let waiting = held
                .iter()
                .filter(|r| r.method == "GET" && r.target.contains(BY_TAG) && r.completed.is_none())
                .count();
            held.iter()
                .any(|r| r.method == "GET" && r.target.ends_with(&last))
                && waiting <= 1
        },
    );
    gate.open();
    t.until("every held manifest GET to be answered or dropped", |_| {
        proxy
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.target.contains(BY_TAG))
            .all(|r| r.completed.is_some())
    });
    // The last tag is the one on screen.
    t.wait_for("Config");
    assert_eq!(
        t.harness.state().title(),
        format!(
            "{} › {MANY_TAGS_REPO} › 1.0.{} — Berth",
            proxy.host(),
            TAGS - 1
        )
    );

    let asked = proxy.count("GET", BY_TAG);
    let read = proxy.count_completed("GET", BY_TAG);
    eprintln!("{TAGS} tags clicked: {asked} manifest GETs sent, {read} read to the end");
    let outcomes: Vec<(String, Option<bool>)> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains(BY_TAG))
        .map(|r| (format!("{} {}", r.method, r.target), r.completed))
        .collect();
    assert!(
        (1..=3).contains(&read),
        "at most 3 manifest GETs read to the end (the last tag's among them), not {read} of \
         {asked}: {outcomes:?}"
    );
    assert!(
        proxy
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.target.ends_with(&last) && r.completed == Some(true)),
        "the last tag's manifest is read in full"
    );
}

/// The tags table's per-row HEADs are stopped when the person leaves the repository: with
/// every row's HEAD held at the proxy, opening another repository closes their connections.
#[test]
fn ui_leaving_a_repository_stops_its_row_requests() {
    let reg = registry(Auth::Anonymous);
    let proxy = FaultProxy::start(&reg.host());
    let gate = Gate::new();
    let rows = format!("/v2/{MANY_TAGS_REPO}/manifests/");
    proxy.add(Rule::path(&rows).method("HEAD"), Fault::Hold(gate.clone()));
    let mut t = UiTest::start(&[proxy.url()]);
    t.click(&proxy.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", MANY_TAGS_REPO);
    t.click(MANY_TAGS_REPO);
    t.wait_for("1.0.19");
    let held = |proxy: &FaultProxy| {
        proxy
            .requests()
            .iter()
            .filter(|r| r.method == "HEAD" && r.target.contains(&rows) && r.completed.is_none())
            .count()
    };
    t.until("the visible rows' HEADs to be held", |_| held(&proxy) >= 4);

    t.type_into_hinted("Open repository…", "library/alpine");
    t.click("Open");
    t.wait_for("3.18");
    // Without cancelling, the held HEADs stay connected and this never holds (the deadline
    // then fails the test).
    t.until(
        "the left repository's HEADs to close their connections",
        |_| held(&proxy) == 0,
    );
    gate.open();
}
