//! Filtering a long list off the UI thread (issue 19, the benchmark's row 4): typing into the
//! filter of 30,000 repositories or 30,000 tags shows the matching rows once they are ready,
//! and until then the rows that were on screen stay (never an empty or half list). The lists
//! come from the hostile server (ours), which answers them at once.

use super::ui_common::UiTest;
use crate::support::hostile::{HostileServer, Reply};
use egui_kittest::kittest::Queryable as _;

/// Above `row_filter::OFF_THREAD_FROM`, so both lists are filtered off the UI thread.
const COUNT: usize = 30_000;
const BIG_REPO: &str = "big/tags";

fn server() -> HostileServer {
    let repos: Vec<String> = std::iter::once(BIG_REPO.to_owned())
        .chain((1..COUNT).map(|i| format!("org/repo-{i:05}")))
        .collect();
    let tags: Vec<String> = (0..COUNT).map(|i| format!("t-{i:05}")).collect();
    let catalog = serde_json::json!({ "repositories": repos }).to_string();
    let list = serde_json::json!({ "name": BIG_REPO, "tags": tags }).to_string();
    HostileServer::start(move |r| {
        if r.path.starts_with("/v2/_catalog") {
            Reply::json(200, &catalog)
        } else if r.path.starts_with(&format!("/v2/{BIG_REPO}/tags/list")) {
            Reply::json(200, &list)
        } else if r.path == "/v2/" {
            Reply::json(200, "{}")
        } else {
            Reply::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#)
        }
    })
}

/// Types `text` into the field hinted `hint`, then steps until `new` is on screen; at every
/// step before that, `old` (a row of the unfiltered list) must still be there.
fn filter_keeps_old_rows(t: &mut UiTest, hint: &str, text: &str, old: &str, new: &str) {
    assert!(t.has(old), "{old} is on screen before filtering");
    t.type_into_hinted(hint, text);
    let mut steps = 0;
    t.until(&format!("{new} after filtering for {text}"), |h| {
        steps += 1;
        let new_shown = h.query_all_by_label(new).next().is_some();
        let old_shown = h.query_all_by_label(old).next().is_some();
        assert!(
            new_shown || old_shown,
            "step {steps}: neither the old rows nor the new ones are on screen"
        );
        new_shown
    });
    assert!(!t.has(old), "{old} does not match {text}");
}

#[test]
fn ui_filtering_a_long_list_keeps_the_old_rows_until_the_new_ones_are_ready() {
    let server = server();
    let mut t = UiTest::start(&[server.url()]);
    t.click(&server.host());
    t.wait_for("30,000 repositories");

    filter_keeps_old_rows(
        &mut t,
        "Filter repositories (Ctrl+F)",
        "repo-2999",
        BIG_REPO,
        "org/repo-29990",
    );
    t.wait_for("10 of 30,000 repositories");
    for i in 29_990..30_000 {
        assert!(t.has(&format!("org/repo-{i}")), "org/repo-{i} matches");
    }

    // Escape clears the filter: every repository again, the first one on top.
    t.key(egui::Key::Escape);
    t.click(BIG_REPO);
    t.wait_for("30,000 tags");
    filter_keeps_old_rows(
        &mut t,
        "Filter tags (Ctrl+F)",
        "T-2999",
        "t-00000",
        "t-29990",
    );
    t.wait_for("10 of 30,000 tags");
    assert!(t.has("t-29999"));

    // The order turns around without filtering again.
    t.click("Tag ⏷");
    t.wait_for("Tag ⏶");
    t.wait_for("t-29999");
    t.wait_for("10 of 30,000 tags");
}
