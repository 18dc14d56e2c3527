//! The tags table's row cells (kind, size, created) come from the repository's tag facts
//! store, the one the sort and `retain` use (issue 23: "no GET for a digest already known"):
//! a repository browsed in name order, left and opened again shows its cells after HEADs
//! alone, every GET held at the fault proxy; a tag moved onto a new image between the visits
//! costs exactly one manifest GET and one config GET, those of its new digest, though the
//! sort and the rows both want it. A multi-platform tag with an attestation manifest counts
//! only its real platforms, in its kind and its summed size (the cells' tooltips count the
//! same list).

use super::tag_facts::{MANIFEST, REPO, push_image, seed};
use super::ui_common::UiTest;
use super::ui_tag_sort::{TAGS, cells_filled, expect_order, hold_every_get, open_through};
use crate::support::{self, Auth, FaultProxy, FreshOptions};
use egui_kittest::kittest::Queryable as _;
use serde_json::json;
use std::path::Path;

/// Whether a file of the tag facts' disk cache in `dir` names every one of `digests`.
fn cache_holds(dir: &Path, digests: &[String]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        std::fs::read_to_string(e.path())
            .is_ok_and(|text| digests.iter().all(|d| text.contains(d.as_str())))
    })
}

/// Opens another repository in the table's place, which drops the table and its store.
fn leave(t: &mut UiTest) {
    t.type_into_hinted("Open repository…", "sorted/other");
    t.click("Open");
    t.until("the other repository to open", |h| {
        h.state().title().contains("sorted/other")
    });
}

/// The GETs of manifests and blobs the proxy saw from request `from` on.
fn gets_since(proxy: &FaultProxy, from: usize) -> Vec<String> {
    proxy.requests()[from..]
        .iter()
        .filter(|r| {
            r.method == "GET" && (r.target.contains("/manifests/") || r.target.contains("/blobs/"))
        })
        .map(|r| r.target.clone())
        .collect()
}

#[test]
fn ui_a_repository_browsed_in_name_order_shows_its_cells_again_with_heads_only() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let expected = seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    let (mut t, _) = open_through(&proxy, &reg);
    t.until("the rows' cells", |h| cells_filled(h, &expected, false));
    assert!(
        proxy.count("GET", "/blobs/") > 0,
        "the first visit read configs"
    );
    // What the rows read reaches the disk cache, though no sort ever ran.
    let digests: Vec<String> = TAGS
        .iter()
        .map(|tag| reg.pusher().head_manifest(REPO, tag).expect("digest").0)
        .collect();
    let dir = t
        .layer_cache_dir()
        .parent()
        .expect("the cache directory")
        .join("tag-facts");
    t.until("the rows' facts saved to the disk cache", |_| {
        cache_holds(&dir, &digests)
    });
    leave(&mut t);

    // Every GET of a manifest or a blob waits at the proxy from now on.
    let gate = hold_every_get(&proxy);
    let before = proxy.requests().len();
    t.click(REPO);
    t.wait_for("6 tags");
    expect_order(&mut t, "name order", TAGS);
    t.until("the cells filled from the cache after the HEADs", |h| {
        cells_filled(h, &expected, false)
    });
    let heads: Vec<String> = proxy.requests()[before..]
        .iter()
        .filter(|r| r.method == "HEAD")
        .map(|r| r.target.clone())
        .collect();
    for tag in TAGS {
        assert!(
            heads
                .iter()
                .any(|target| target.ends_with(&format!("/manifests/{tag}"))),
            "{tag} rechecked with a HEAD: {heads:?}"
        );
    }
    let gets = gets_since(&proxy, before);
    assert!(
        gets.is_empty(),
        "no GET for a digest already known: {gets:?}"
    );
    gate.open();
}

#[test]
fn ui_a_tag_moved_between_visits_costs_only_its_new_digest() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    let (mut t, _) = open_through(&proxy, &reg);
    t.click("Created");
    expect_order(
        &mut t,
        "oldest first",
        ["a1", "a1-again", "c3", "b2", "idx", "nodate"],
    );
    t.until("the dates to be learnt", |h| {
        h.query_by_label_contains("Dates and sizes for").is_none()
    });
    leave(&mut t);

    // b2 moves onto a new image, the newest of all, of a size no other tag has.
    let p = reg.pusher();
    let (_, size, bytes) = push_image(&p, "amd64", Some("2025-05-05T00:00:00Z"), 9000, 7);
    p.put_manifest(REPO, "b2", MANIFEST, &bytes);
    let moved = support::oci::sha256_digest(&bytes);
    let before = proxy.requests().len();
    t.click(REPO);
    t.wait_for("6 tags");
    expect_order(
        &mut t,
        "b2 newest now",
        ["a1", "a1-again", "c3", "idx", "b2", "nodate"],
    );
    let new_size = berth::format::size(size);
    t.until("b2's new size shown and every request ended", |h| {
        h.query_all_by_label(&new_size).next().is_some()
            && h.query_by_label_contains("Dates and sizes for").is_none()
            && proxy.requests()[before..]
                .iter()
                .all(|r| r.completed.is_some())
    });
    let gets = gets_since(&proxy, before);
    let manifests: Vec<&String> = gets.iter().filter(|g| g.contains("/manifests/")).collect();
    assert_eq!(
        manifests,
        [&format!("/v2/{REPO}/manifests/{moved}")],
        "one manifest GET, of the new digest: {gets:?}"
    );
    assert_eq!(
        gets.iter().filter(|g| g.contains("/blobs/")).count(),
        1,
        "one config GET, the new image's: {gets:?}"
    );
}

#[test]
fn ui_an_index_with_an_attestation_counts_only_its_platforms() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    seed(&reg);
    // idx2: two platforms and BuildKit's attestation manifest for one of them.
    let p = reg.pusher();
    let (amd, amd_size, _) = push_image(&p, "amd64", Some("2020-01-01T00:00:00Z"), 1600, 8);
    let (arm, arm_size, _) = push_image(&p, "arm64", Some("2024-02-02T00:00:00Z"), 1800, 9);
    let (mut attestation, _, _) = push_image(&p, "amd64", None, 4000, 10);
    attestation["platform"] = json!({"os": "unknown", "architecture": "unknown"});
    attestation["annotations"] = json!({
        "vnd.docker.reference.type": "attestation-manifest",
        "vnd.docker.reference.digest": amd["digest"],
    });
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [amd, arm, attestation],
    }))
    .expect("index");
    p.put_manifest(
        REPO,
        "idx2",
        "application/vnd.oci.image.index.v1+json",
        &index,
    );
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.click(REPO);
    t.wait_for("7 tags");
    t.click("Size");
    let summed = format!("Σ {}", berth::format::size(amd_size + arm_size));
    t.wait_for(&summed);
    // idx and idx2 both have two platforms (idx's cells may come a frame or two later).
    t.until("both indexes counted with two platforms", |h| {
        h.query_all_by_label("index, 2 platforms").count() == 2
    });
    assert_eq!(
        t.harness.query_all_by_label_contains("3 platforms").count(),
        0,
        "the attestation is no platform"
    );
}
