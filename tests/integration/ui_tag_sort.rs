//! The tags table sorts by created date and size from its column headers (issue 23): on the
//! repository seeded by `tag_facts::seed` (known dates and sizes, an index, an image without
//! a date), clicking Created and Size orders the rows, a second click turns them around, and
//! an unknown date stays last both ways.

use super::tag_facts::{REPO, seed};
use super::ui_common::{Setup, UiTest};
use crate::support::{self, Auth, FreshOptions};
use egui_kittest::kittest::Queryable as _;

const TAGS: [&str; 6] = ["a1", "a1-again", "b2", "c3", "idx", "nodate"];

/// The seeded tags in the order they are drawn, top to bottom.
fn shown(t: &UiTest) -> Vec<String> {
    let mut rows: Vec<(f32, &str)> = TAGS
        .iter()
        .filter_map(|tag| {
            let node = t.harness.query_by_label(tag)?;
            Some((node.rect().center().y, *tag))
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, tag)| tag.to_owned()).collect()
}

fn expect_order(t: &mut UiTest, what: &str, order: [&str; 6]) {
    t.until(what, |h| {
        let mut rows: Vec<(f32, &str)> = TAGS
            .iter()
            .filter_map(|tag| Some((h.query_by_label(tag)?.rect().center().y, *tag)))
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.iter().map(|(_, tag)| *tag).eq(order)
    });
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
