//! The window's tags table and its Delete… dialog share the repository's one tag lookup
//! (issue 19 item 5): once "Find every tag with this digest" has looked up every tag, the
//! delete plan of a tag sends only rechecks of the tags it takes, counted in the registry's
//! access log.

use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::{self, Auth, FreshOptions};
use egui_kittest::kittest::Queryable as _;

const EXTRA: usize = 40;

/// `HEAD`s of `library/alpine`'s manifests in the registry's access log so far.
fn heads(reg: &support::TestRegistry) -> usize {
    reg.access_log()
        .lines()
        .filter(|l| l.contains("\"HEAD /v2/library/alpine/manifests/") && !l.contains("\" 401 "))
        .count()
}

#[test]
fn ui_a_delete_plan_after_the_table_knew_every_digest_only_rechecks_its_tags() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    // latest's manifest under EXTRA more tags: EXTRA + 2 tags share it (3.19 and latest).
    let accept = "application/vnd.oci.image.manifest.v1+json";
    let latest = reg.get("/v2/library/alpine/manifests/latest", &[("Accept", accept)]);
    assert_eq!(latest.status, 200, "GET alpine:latest");
    let pusher = reg.pusher();
    for i in 0..EXTRA {
        pusher.put_manifest("library/alpine", &format!("s-{i:02}"), accept, &latest.body);
    }
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        // A short window: only the first rows are on screen, so only they are looked up
        // until "Find every tag with this digest".
        size: egui::vec2(1100.0, 600.0),
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "library/alpine");
    t.wait_for(&format!("{} tags", EXTRA + 3));
    let sharing = EXTRA + 2;
    let exact = format!("⇄{sharing}");
    t.until("a shared-digest mark", |h| {
        h.query_all(egui_kittest::kittest::by().predicate(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with('⇄'))
        }))
        .next()
        .is_some()
    });
    t.harness.get_by_label("latest").click_secondary();
    t.harness.step();
    t.click("Find every tag with this digest");
    t.until("the exact count on the marks", |h| {
        h.query_all_by_label(&exact).next().is_some()
    });
    // Every tag is known now: one HEAD each (rows and the fill never ask twice).
    let known = heads(&reg);
    assert!(
        (EXTRA + 3..=2 * (EXTRA + 3)).contains(&known),
        "the table looked each tag up about once: {known} HEADs"
    );

    t.harness.get_by_label("s-05").click_secondary();
    t.harness.step();
    t.click("Delete tag…");
    t.until("the plan", |h| {
        h.query_all_by_label(&format!(
            "A registry deletes by digest, so all {sharing} tags that point at it go:"
        ))
        .next()
        .is_some()
    });
    // The access log is written as each answer leaves; wait until the rechecks are there.
    t.until("the plan's HEADs in the access log", |_| {
        heads(&reg) >= known + sharing
    });
    assert_eq!(
        heads(&reg) - known,
        sharing,
        "a plan over a lookup that knew every digest rechecks only the {sharing} tags it takes"
    );
}
