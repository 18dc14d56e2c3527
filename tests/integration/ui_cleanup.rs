//! Clean up… in the window (issue 23), against the repository of `retain`'s tests (30 semver
//! tags, `sha-*` tags, digests shared across the kept/deleted boundary): the preview lists
//! exactly the tags that go, the one going along, the protected one with its protector, the
//! estimate and the registry's untagged limit, and Delete removes exactly those; an invalid
//! glob is named under its field; keep 0 asks for its own confirmation; Stop while the facts
//! are read drops the request and says so.

use super::retain::{REPO, seeded};
use super::ui_common::{Setup, UiTest};
use crate::support::{self, Fault, FaultProxy, Gate, Rule};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use std::collections::BTreeSet;

/// Tall enough that the whole preview (about 40 lines) is on screen, so every line is in the
/// accessibility tree.
fn tall(registry: String) -> UiTest {
    UiTest::with(Setup {
        registries: vec![registry],
        size: egui::vec2(1280.0, 2200.0),
        ..Setup::default()
    })
}

fn open_cleanup(t: &mut UiTest, host: &str) {
    t.click(host);
    t.type_into_hinted("Filter repositories (Ctrl+F)", REPO);
    t.click(REPO);
    t.wait_for("35 tags");
    t.click("Clean up…");
    t.wait_for("Preview");
}

fn labels(t: &UiTest) -> Vec<String> {
    t.harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value())
        })
        .collect()
}

fn short(digest: &str) -> &str {
    &digest["sha256:".len().."sha256:".len() + 12]
}

fn enabled(t: &UiTest, label: &str) -> bool {
    !t.harness.get_by_label(label).accesskit_node().is_disabled()
}

#[test]
fn ui_cleanup_previews_then_deletes_exactly_the_plan() {
    let (reg, pushed) = seeded();
    let mut t = tall(reg.url());
    open_cleanup(&mut t, &reg.host());
    t.replace_in("Keep the newest", "5");
    t.click("semantic version");
    t.type_into("Only tags matching", "*.*.*");
    t.click("Also untagged manifests, where the registry can list them");
    t.click("Preview");
    t.wait_for("To delete: 24 tags (23 images)");

    let gone: Vec<usize> = (0..25).filter(|i| *i != 3).collect();
    let want_delete: BTreeSet<String> = gone
        .iter()
        .filter(|i| **i != 2)
        .map(|i| {
            let tag = format!("1.0.{i}");
            format!(
                "{tag}  sha256:{}  2024-01-{:02}T00:00:00Z",
                short(&pushed[&tag].digest),
                i + 1
            )
        })
        .collect();
    let shown = labels(&t);
    let rows = |f: &dyn Fn(&String) -> bool| -> BTreeSet<String> {
        shown.iter().filter(|l| f(l)).cloned().collect()
    };
    let delete = rows(&|l| {
        l.contains("  sha256:") && !l.contains("protected by") && !l.contains("goes along")
    });
    assert_eq!(delete, want_delete);
    assert_eq!(
        rows(&|l| l.contains("goes along")),
        BTreeSet::from([format!(
            "↳ 1.0.2 goes along: it shares sha256:{}",
            short(&pushed["1.0.1"].digest)
        )])
    );
    assert_eq!(
        rows(&|l| l.contains("protected by")),
        BTreeSet::from([format!(
            "1.0.3  sha256:{}  protected by sha-b",
            short(&pushed["1.0.3"].digest)
        )])
    );
    assert!(t.has("Stays (10)"));
    assert!(t.has("1.0.25  2024-01-26T00:00:00Z  one of the newest"));
    assert!(t.has("sha-c  2023-06-01T00:00:00Z  does not match the pattern"));
    let bytes: u64 = gone
        .iter()
        .filter(|i| **i != 2)
        .map(|i| pushed[&format!("1.0.{i}")].own_bytes)
        .sum();
    assert!(t.has(&format!(
        "Up to {} freed in this repository (blobs may be shared with other repositories); the registry frees them only when its garbage collection runs.",
        berth::format::size(bytes)
    )));
    assert!(t.has(&format!(
        "{} cannot list untagged manifests: the registry API lists tags only, so untagged manifests were left alone.",
        reg.host()
    )));

    t.click("Delete 24 tags");
    t.until("the delete job to finish", |h| {
        h.query_by(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with("Finished: Delete "))
        })
        .is_some()
    });
    let left: BTreeSet<String> =
        support::skopeo(&["list-tags", &format!("docker://{}", reg.image(REPO))])
            .parse::<serde_json::Value>()
            .expect("skopeo json")["Tags"]
            .as_array()
            .expect("Tags")
            .iter()
            .map(|t| t.as_str().expect("tag").to_owned())
            .collect();
    let mut kept: BTreeSet<String> = (25..30).map(|i| format!("1.0.{i}")).collect();
    kept.extend(["1.0.3", "sha-a", "sha-b", "sha-c", "sha-d", "sha-e"].map(str::to_owned));
    assert_eq!(left, kept);
    for tag in &kept {
        let head = reg.pusher().head_manifest(REPO, tag);
        assert!(head.is_some(), "{tag} still resolves");
    }
}

#[test]
fn ui_cleanup_names_a_bad_glob_at_its_field_and_keep_zero_asks_again() {
    let (reg, _) = seeded();
    let mut t = tall(reg.url());
    open_cleanup(&mut t, &reg.host());
    t.type_into("Only tags matching", "a[");
    let problem = "Only tags matching: “a[” is not a valid pattern";
    t.until("the glob's problem", |h| {
        h.query_by(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with(problem))
        })
        .is_some()
    });
    assert!(!enabled(&t, "Preview"), "Preview waits for a valid glob");
    // Under its own field, above the next one.
    let top = |t: &UiTest, f: &dyn Fn(&str) -> bool| {
        t.harness
            .get_by(|n| {
                n.role() == egui::accesskit::Role::Label
                    && n.label().or_else(|| n.value()).is_some_and(|l| f(&l))
            })
            .accesskit_node()
            .bounding_box()
            .expect("bounds")
            .y0
    };
    let error_at = top(&t, &|l| l.starts_with(problem));
    assert!(error_at > top(&t, &|l| l == "Only tags matching"));
    assert!(error_at < top(&t, &|l| l == "Never touch tags matching"));

    t.replace_in("Only tags matching", "sha-*");
    t.replace_in("Keep the newest", "0");
    t.click("Preview");
    t.wait_for("To delete: 3 tags (3 images)");
    assert!(t.has("Protected: chosen by the rules, but a kept tag points at the same image (2)"));
    assert!(!enabled(&t, "Delete 3 tags"), "keep 0 needs its own yes");
    t.click("Yes, delete every matching tag");
    assert!(enabled(&t, "Delete 3 tags"));
    // A changed field takes the preview (and the yes) away.
    t.replace_in("Keep the newest", "1");
    t.wait_gone("To delete: 3 tags (3 images)");
    assert!(!enabled(&t, "Delete 0 tags"));
}

#[test]
fn ui_cleanup_stop_while_reading_drops_the_request() {
    let (reg, _) = seeded();
    let proxy = FaultProxy::start(&reg.host());
    let mut t = tall(proxy.url());
    open_cleanup(&mut t, &proxy.host());
    // The table has listed its tags; the dialog's listing is held.
    let gate = Gate::new();
    proxy.add(Rule::path("/tags/list"), Fault::Hold(gate.clone()));
    let held = || {
        proxy
            .requests()
            .into_iter()
            .filter(|r| r.target.contains("/tags/list") && r.completed.is_none())
            .count()
    };
    t.click("Preview");
    t.wait_for("Listing the tags…");
    t.until("the dialog's listing to reach the proxy", |_| held() == 1);
    t.click("Stop reading");
    t.wait_for("Stopped reading the tags: no preview, nothing was deleted.");
    t.until("the held listing to lose its client", |_| held() == 0);
    assert!(enabled(&t, "Preview"));
    gate.open();
}
