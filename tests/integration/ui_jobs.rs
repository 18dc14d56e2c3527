//! Tag actions in the app: Delete asks first, names exactly the tags that share the digest,
//! removes them (and only them) from the registry, and the table follows.

use super::registry_read::{client, repo_name};
use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::{self, Auth, FreshOptions};
use berth::store::LayoutStore;

#[test]
fn ui_delete_tag_names_the_tags_sharing_its_digest_and_removes_exactly_those() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.wait_for("c");
    t.click("a");
    t.click("Delete tag…");
    t.wait_for(&format!("Delete scratch/delete-me:a from {}?", reg.host()));
    t.wait_for("Removes tag a");
    assert!(t.has("Removes tag b"), "b shares a's digest");
    assert!(!t.has("Removes tag c"), "c is another image");
    t.click("Delete the image (2 tags)");
    t.wait_for("Deleted. The space comes back only after the registry's garbage collection runs.");
    t.click("Close");
    t.until("only c in the table", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label("c").next().is_some()
            && h.query_all_by_label("a").next().is_none()
            && h.query_all_by_label("b").next().is_none()
    });

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let tags = rt
        .block_on(client(&reg).tags(&repo_name("scratch/delete-me")))
        .expect("tags");
    assert_eq!(tags, ["c"]);
}

#[test]
fn ui_pull_to_berth_store_runs_as_a_job_and_lands_in_the_store() {
    let reg = support::registry(Auth::Anonymous);
    let scratch = tempfile::tempdir().expect("temp dir");
    let store_dir = scratch.path().join("berth-store");
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        settings_toml: Some(format!(
            "store_dir = {:?}\n",
            store_dir.display().to_string()
        )),
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.click("Pull to Berth store");
    // The toast names where the image landed: `berth:` has taken the source's name.
    t.wait_for(&format!(
        "Finished: Pull {0}/team/app/api:v1 → berth:{0}/team/app/api:v1",
        reg.host()
    ));
    assert!(t.has("Done"), "the jobs panel shows the finished row");
    let images = LayoutStore::open(&store_dir)
        .expect("open")
        .images()
        .expect("images");
    assert!(
        images
            .iter()
            .filter_map(|i| i.reference.as_deref())
            .any(|r| r.ends_with("team/app/api:v1")),
        "{images:?}"
    );
    t.click("Clear finished");
    t.wait_gone("Done");
    // The local store lists it.
    t.click("Local (Berth)");
    t.wait_for("1 image");
}

#[test]
fn ui_delete_on_a_registry_with_deleting_off_says_so_in_place() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).delete_disabled());
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.click("c");
    // The Delete key asks too.
    t.key(egui::Key::Delete);
    t.wait_for("Removes tag c");
    t.click("Delete the image (1 tag)");
    t.wait_for(&format!("{} has deleting turned off.", reg.host()));
    t.wait_for(
        "Enable deleting in the registry's configuration (storage.delete.enabled: true), then restart it.",
    );
    t.click("Cancel");
    t.wait_gone("Removes tag c");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let tags = rt
        .block_on(client(&reg).tags(&repo_name("scratch/delete-me")))
        .expect("tags");
    assert_eq!(tags, ["a", "b", "c"]);
}

#[test]
fn ui_tag_context_menu_offers_pull_and_delete() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.wait_for("v1");
    {
        use egui_kittest::kittest::Queryable as _;
        t.harness.get_by_label("v1").click_secondary();
    }
    t.harness.step();
    t.wait_for("Pull to Berth store");
    t.click("Delete tag…");
    t.wait_for("Removes tag v1");
    t.click("Cancel");
    t.wait_gone("Removes tag v1");
    assert!(t.has("v1"), "the table stays, nothing deleted");
}
