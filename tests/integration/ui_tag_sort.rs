//! The tags table sorts by created date and size from its column headers (issue 23): on the
//! repository seeded by `tag_facts::seed` (known dates and sizes, an index, an image without
//! a date), clicking Created and Size orders the rows, a second click turns them around, and
//! an unknown date stays last both ways. While the dates are learnt (one manifest held at
//! the fault proxy) a progress line shows, the table stays usable (rows shown, the filter
//! narrows them, the unknown row last) and Cancel drops the held request and says the fill
//! stopped. After a finished date sort, leaving the repository and opening it again sorts at
//! once from the disk cache while every GET is held: the fill needs only HEADs, and the
//! rows' cells (kind, size) fill from the same cache with no GET either.

use super::tag_facts::{REPO, seed};
use super::ui_common::{Setup, UiTest};
use crate::support::{self, Auth, Fault, FaultProxy, FreshOptions, Gate, Rule};
use egui_kittest::kittest::{NodeT as _, Queryable as _};

pub const TAGS: [&str; 6] = ["a1", "a1-again", "b2", "c3", "idx", "nodate"];

/// The seeded tags in the order they are drawn, top to bottom.
pub fn shown(t: &UiTest) -> Vec<String> {
    drawn(&t.harness)
}

fn drawn(h: &egui_kittest::Harness<'static, berth::ui::BerthApp>) -> Vec<String> {
    let mut rows: Vec<(f32, &str)> = TAGS
        .iter()
        .filter_map(|tag| Some((h.query_by_label(tag)?.rect().center().y, *tag)))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, tag)| tag.to_owned()).collect()
}

pub fn expect_order(t: &mut UiTest, what: &str, order: [&str; 6]) {
    t.until(what, |h| drawn(h).iter().map(String::as_str).eq(order));
    assert_eq!(shown(t), order, "{what}");
}

#[test]
fn ui_the_created_and_size_headers_sort_the_tags_both_ways() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    seed(&reg);
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        ..Setup::default()
    });
    t.click(&reg.host());
    t.click(REPO);
    t.wait_for("6 tags");
    expect_order(
        &mut t,
        "natural order",
        ["a1", "a1-again", "b2", "c3", "idx", "nodate"],
    );
    t.click("Created");
    expect_order(
        &mut t,
        "oldest first, no date last",
        ["a1", "a1-again", "c3", "b2", "idx", "nodate"],
    );
    t.click("Created ⏷");
    expect_order(
        &mut t,
        "newest first, no date still last",
        ["idx", "b2", "c3", "a1", "a1-again", "nodate"],
    );
    t.click("Size");
    expect_order(
        &mut t,
        "smallest first",
        ["b2", "nodate", "idx", "a1", "a1-again", "c3"],
    );
    t.click("Size ⏷");
    expect_order(
        &mut t,
        "largest first",
        ["c3", "a1", "a1-again", "idx", "nodate", "b2"],
    );
}

/// Opens the seeded repository through a fault proxy and waits until the rows' own
/// requests (HEADs, then each digest's manifest and config for the cells) have ended, so
/// that what the proxy sees next is the sort's. Returns the window and `c3`'s digest.
/// Holds every GET of a manifest or a blob at the proxy until the returned gate opens.
pub fn hold_every_get(proxy: &FaultProxy) -> Gate {
    let gate = Gate::new();
    for path in ["/manifests/", "/blobs/"] {
        proxy.add(Rule::path(path).method("GET"), Fault::Hold(gate.clone()));
    }
    gate
}

pub fn open_through(proxy: &FaultProxy, reg: &support::TestRegistry) -> (UiTest, String) {
    let (c3, _, _) = reg.pusher().head_manifest(REPO, "c3").expect("c3's digest");
    let mut t = UiTest::with(Setup {
        registries: vec![proxy.url()],
        ..Setup::default()
    });
    t.click(&proxy.host());
    t.click(REPO);
    t.wait_for("6 tags");
    t.until("the rows' details to be read", |_| {
        let seen = proxy.requests();
        seen.iter()
            .any(|r| r.method == "GET" && r.target.contains(&c3) && r.completed == Some(true))
            && seen.iter().all(|r| r.completed.is_some())
    });
    (t, c3)
}

#[test]
fn ui_a_date_sort_shows_its_progress_keeps_the_table_usable_and_cancels() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    // The rows' read of c3 is refused (a reason that may pass, so nothing is remembered of
    // c3): the sort has one digest left to read itself.
    let held = format!(
        "/manifests/{}",
        reg.pusher().head_manifest(REPO, "c3").expect("c3").0
    );
    proxy.add(Rule::path(&held).method("GET"), Fault::Status(403));
    let (mut t, c3) = open_through(&proxy, &reg);
    assert!(held.ends_with(&c3));
    proxy.clear_rules();
    // The sort's read of c3's manifest waits at the proxy; the others go through.
    let gate = Gate::new();
    proxy.add(Rule::path(&held).method("GET"), Fault::Hold(gate.clone()));
    let waiting = |proxy: &FaultProxy| {
        proxy
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.target.contains(&held) && r.completed.is_none())
            .count()
    };

    t.click("Created");
    t.wait_for("Dates and sizes for 5 of 6 tags");
    // The count shows once five are known; the sixth GET may still be on its way.
    t.until("c3's manifest to be held at the proxy", |_| {
        waiting(&proxy) == 1
    });
    expect_order(
        &mut t,
        "known dates first, c3 (not known yet) and nodate (no date) last",
        ["a1", "a1-again", "b2", "idx", "c3", "nodate"],
    );
    // The table stays usable: the filter narrows the rows, still in that order.
    t.type_into_hinted("Filter tags (Ctrl+F)", "a");
    t.until("the filter to narrow the rows", |h| {
        ["b2", "c3", "idx"]
            .iter()
            .all(|tag| h.query_by_label(tag).is_none())
    });
    let narrowed: Vec<String> = shown(&t)
        .into_iter()
        .filter(|tag| tag.contains('a'))
        .collect();
    assert_eq!(narrowed, ["a1", "a1-again", "nodate"]);
    assert!(
        t.has("Dates and sizes for 5 of 6 tags"),
        "the fill still runs while the filter is used"
    );

    t.click("Cancel");
    // Without cancelling, the held GET stays connected and this never holds.
    t.until("the held manifest GET to lose its client", |_| {
        waiting(&proxy) == 0
    });
    t.wait_for("Stopped: dates and sizes for 5 of 6 tags (click the column again to go on)");
    assert!(!t.has("Cancel"), "nothing left to cancel");
    gate.open();
}

#[test]
fn ui_a_repository_opened_again_sorts_from_the_cache_with_heads_only() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let expected = seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    let (mut t, _) = open_through(&proxy, &reg);
    let by_date = ["a1", "a1-again", "c3", "b2", "idx", "nodate"];
    t.click("Created");
    expect_order(&mut t, "oldest first", by_date);
    t.until("the dates to be learnt (and saved)", |h| {
        h.query_by_label_contains("Dates and sizes for").is_none()
    });
    assert!(
        proxy.count("GET", "/blobs/") > 0,
        "the first sort read configs"
    );

    // Leave: another repository takes the table's place (and drops its facts store).
    t.type_into_hinted("Open repository…", "sorted/other");
    t.click("Open");
    t.until("the other repository to open", |h| {
        h.state().title().contains("sorted/other")
    });

    // Every GET waits at the proxy from now on: whatever the sort needs must be a HEAD.
    let gate = hold_every_get(&proxy);
    let before = proxy.requests().len();
    t.click(REPO);
    t.wait_for("6 tags");
    // The order stays with the window: the repository opens sorted by date, from the cache.
    expect_order(&mut t, "sorted from the cache, before any GET", by_date);
    let headed = |proxy: &FaultProxy| -> Vec<String> {
        proxy.requests()[before..]
            .iter()
            .filter(|r| r.method == "HEAD" && r.completed.is_some())
            .map(|r| r.target.clone())
            .collect()
    };
    // The fill rechecks each tag's digest with a HEAD, then ends with nothing to read: a
    // GET would wait at the closed gate, keeping the progress line (and this never holds).
    t.until("every tag rechecked and the fill done", |h| {
        let heads = headed(&proxy);
        TAGS.iter().all(|tag| {
            heads
                .iter()
                .any(|target| target.ends_with(&format!("/manifests/{tag}")))
        }) && h.query_by_label_contains("Dates and sizes for").is_none()
            && h.query_by_label_contains("Stopped:").is_none()
    });
    expect_order(&mut t, "still sorted after the recheck", by_date);
    // The rows' cells show real values while every GET is held: they come from the cache.
    t.until("the rows' cells filled from the cache", |h| {
        cells_filled(h, &expected, true)
    });
    let gets: Vec<String> = proxy.requests()[before..]
        .iter()
        .filter(|r| {
            r.method == "GET" && (r.target.contains("/manifests/") || r.target.contains("/blobs/"))
        })
        .map(|r| r.target.clone())
        .collect();
    assert!(
        gets.is_empty(),
        "no manifest or config GET for known digests, by the sort or the rows: {gets:?}"
    );
    gate.open();
}

/// Whether every row's Kind and Size cells show the seeded values: five images and one
/// index of two platforms, each image's size, and (when `summed`, in a size or date order)
/// the index's summed size.
pub fn cells_filled(
    h: &egui_kittest::Harness<'static, berth::ui::BerthApp>,
    expected: &[(&str, Option<&str>, u64)],
    summed: bool,
) -> bool {
    let kinds = h.query_all_by_label("image").count() == 5
        && h.query_all_by_label("index, 2 platforms").count() == 1;
    kinds
        && expected.iter().all(|(tag, _, size)| {
            let text = berth::format::size(*size);
            match *tag {
                "idx" if summed => h.query_all_by_label(&format!("Σ {text}")).next().is_some(),
                "idx" => true,
                _ => h.query_all_by_label(&text).next().is_some(),
            }
        })
}

/// A multi-platform tag's Size cell shows one platform's size in name order, and the sum of
/// its platforms (what the sort uses) once the table is sorted by size.
#[test]
fn ui_a_multi_platform_tag_shows_the_summed_size_it_sorts_by() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let expected = seed(&reg);
    let (_, _, sum) = expected
        .iter()
        .find(|(tag, _, _)| *tag == "idx")
        .copied()
        .expect("idx");
    let summed = format!("Σ {}", berth::format::size(sum));
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        ..Setup::default()
    });
    t.click(&reg.host());
    t.click(REPO);
    t.wait_for("6 tags");
    // In name order the index's row describes this computer's platform (2 platforms: no sum).
    t.until("the index row's size", |h| {
        h.query_by_label("index, 2 platforms").is_some()
    });
    assert!(!t.has(&summed), "one platform's size in name order");
    t.click("Size");
    expect_order(
        &mut t,
        "smallest first",
        ["b2", "nodate", "idx", "a1", "a1-again", "c3"],
    );
    t.wait_for(&summed);
}

/// A fill that ends with an error (not a Cancel) says so under the header with the error's
/// sentence; clicking the column again tries again and sorts.
#[test]
fn ui_a_date_sort_that_fails_says_why_and_tries_again() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    // Every manifest read by digest is refused (the rows' too): the fill cannot learn a date.
    proxy.add(
        Rule::path("/manifests/sha256:").method("GET"),
        Fault::Status(403),
    );
    let mut t = UiTest::with(Setup {
        registries: vec![proxy.url()],
        ..Setup::default()
    });
    t.click(&proxy.host());
    t.click(REPO);
    t.wait_for("6 tags");
    t.click("Created");
    // The line is elided to one line: its whole text is the node's value.
    let line = |h: &egui_kittest::Harness<'static, berth::ui::BerthApp>| {
        h.root().children_recursive().find_map(|n| {
            let n = n.accesskit_node();
            n.label()
                .or_else(|| n.value())
                .filter(|text| text.starts_with("Dates and sizes stopped:"))
        })
    };
    t.until("the fill's error line", |h| line(h).is_some());
    let text = line(&t.harness).expect("the line");
    assert!(
        text.contains(&format!("{} denied access to", proxy.host()))
            && text.ends_with("(click the column again to try again)"),
        "the error's sentence: {text}"
    );
    assert!(!t.has("Cancel"), "nothing left to cancel");

    proxy.clear_rules();
    t.click("Created ⏷");
    expect_order(
        &mut t,
        "newest first once the dates are read",
        ["idx", "b2", "c3", "a1", "a1-again", "nodate"],
    );
    t.until("the error line gone", |h| line(h).is_none());
}
