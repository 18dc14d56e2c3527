//! Copy to… and Export… in the app: each asks where, runs as a job in the jobs panel, and
//! what it wrote matches the source.

use super::registry_read::{at, client, repo_name};
use super::ui_common::{UiTest, mark_tags, open_repo};
use crate::support::{self, Auth, FreshOptions};
use berth::oci::Digest;
use serde_json::Value;

#[test]
fn ui_copy_to_another_repository_runs_as_a_job_and_keeps_the_digest() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.click("c");
    // The heading settles once the image is in.
    t.wait_for("Total size");
    t.click("Copy to…");
    t.wait_for("Destination");
    // A bad reference says why in place, and Copy waits.
    t.type_into("Destination", "NOT A REF");
    t.wait_for("Not a reference: invalid reference format");
    t.key(egui::Key::Escape);
    t.wait_gone("Destination");

    t.click("Copy to…");
    t.type_into("Destination", &format!("{}/copied/image:c", reg.host()));
    t.click("Copy image");
    t.wait_for(&format!(
        "Finished: Copy {0}/scratch/delete-me:c → {0}/copied/image:c",
        reg.host()
    ));
    assert!(t.has("Done"), "the jobs panel shows the finished row");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let c = client(&reg);
    let tags = rt
        .block_on(c.tags(&repo_name("copied/image")))
        .expect("tags");
    assert_eq!(tags, ["c"]);
    let copied = rt
        .block_on(c.head_manifest(&repo_name("copied/image"), &at("c")))
        .expect("head");
    let source = rt
        .block_on(c.head_manifest(&repo_name("scratch/delete-me"), &at("c")))
        .expect("head");
    assert_eq!(copied.digest, source.digest);
}

#[test]
fn ui_export_writes_a_docker_archive_with_the_same_config() {
    let reg = support::registry(Auth::Anonymous);
    let scratch = tempfile::tempdir().expect("temp dir");
    let file = scratch.path().join("api-v1.tar");
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    t.click("Export…");
    t.replace_in("File", &file.display().to_string());
    assert!(t.has("Docker archive (docker load)"));
    assert!(t.has("OCI archive"));
    t.click("Export");
    t.wait_for(&format!(
        "Finished: Save {}/team/app/api:v1 → {}",
        reg.host(),
        file.display()
    ));
    assert!(file.is_file(), "{} written", file.display());

    // A docker-archive keeps the config (by its digest), not the registry's manifest.
    let archive = format!("docker-archive:{}", file.display());
    let raw: Value =
        serde_json::from_str(&support::skopeo(&["inspect", "--raw", &archive])).expect("JSON");
    let config = support::skopeo(&[
        "inspect",
        "--config",
        "--raw",
        &reg.docker_ref("team/app/api:v1"),
    ]);
    assert_eq!(
        raw["config"]["digest"].as_str(),
        Some(Digest::of(config.as_bytes()).as_str())
    );
}

/// Marking `a` and `c` and pressing Delete: the dialog plans first and names `b` (which shares
/// `a`'s digest) as not selected; the job deletes exactly what the dialog listed.
#[test]
fn ui_delete_several_marked_tags_names_every_tag_that_goes_and_runs_one_job() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.wait_for("c");
    mark_tags(&mut t, &[("a", "1 tag selected"), ("c", "2 tags selected")]);
    // The Delete key asks about the marked tags; Cancel keeps them.
    t.key(egui::Key::Delete);
    t.wait_for("Delete 3 tags?");
    t.click("Cancel");
    t.wait_gone("Delete 3 tags?");
    t.click("Delete 2 tags…");
    t.wait_for("Delete 3 tags?");
    assert!(t.has("scratch/delete-me:a"));
    assert!(t.has("scratch/delete-me:c"));
    assert!(t.has("scratch/delete-me:b (not selected; shares the image)"));
    assert!(t.has(
        "1 tag you did not select goes too, because it points at the same image as a selected tag."
    ));
    t.click("Delete 3 tags");
    t.wait_for(&format!(
        "Finished: Delete {0}/scratch/delete-me:a, {0}/scratch/delete-me:b, {0}/scratch/delete-me:c",
        reg.host()
    ));
    // The jobs panel names each tag's result, b included: it was shown.
    for tag in ["a", "b", "c"] {
        t.wait_for(&format!("Deleted {}/scratch/delete-me:{tag}", reg.host()));
    }
    t.until("the table to empty", |h| {
        use egui_kittest::kittest::Queryable as _;
        ["a", "b", "c"]
            .iter()
            .all(|l| h.query_all_by_label(l).next().is_none())
    });
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let left = rt
        .block_on(client(&reg).tags(&repo_name("scratch/delete-me")))
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
