//! Untag in the window (issue 23): "Remove only this tag" in the delete dialog and "Remove
//! only the marked tags" in the marked-tags dialog name the method (distribution 2.8 takes
//! the placeholder), run as one background job, and leave the sibling `b` on its image.

use super::registry_read::{client, repo_name};
use super::ui_common::{UiTest, mark_tags, open_repo};
use crate::support::{self, Auth, FreshOptions, TestRegistry};

const PLACEHOLDER: &str = "How: this registry deletes only by digest, so Berth points the tag at a small placeholder for a moment and deletes that placeholder. This briefly writes to the registry.";

fn resolve(reg: &TestRegistry, tag: &str) -> Option<String> {
    reg.pusher()
        .head_manifest("scratch/delete-me", tag)
        .map(|(digest, _, _)| digest)
}

fn left_tags(reg: &TestRegistry) -> Vec<String> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut tags = rt
        .block_on(client(reg).tags(&repo_name("scratch/delete-me")))
        .unwrap_or_default();
    tags.sort();
    tags
}

#[test]
fn ui_remove_only_this_tag_keeps_its_sibling() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "b").expect("b");
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.wait_for("c");
    t.click("a");
    t.click("Delete tag…");
    t.wait_for("Removes tag b");
    t.wait_for(PLACEHOLDER);
    assert!(t.has("Stays: 1 other tag on this image"));
    assert!(t.has("Delete the image (2 tags)"));
    t.click("Remove only this tag");
    t.wait_for(&format!(
        "Finished: Remove tag {}/scratch/delete-me:a",
        reg.host()
    ));
    t.wait_for(&format!(
        "Removed tag {}/scratch/delete-me:a; its image stays",
        reg.host()
    ));
    assert_eq!(left_tags(&reg), ["b", "c"]);
    assert_eq!(resolve(&reg, "b"), Some(digest), "b keeps its image");
}

#[test]
fn ui_remove_only_the_marked_tags_keeps_the_unmarked_sibling() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "b").expect("b");
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.wait_for("c");
    mark_tags(&mut t, &[("a", "1 tag selected"), ("c", "2 tags selected")]);
    t.key(egui::Key::Delete);
    t.wait_for("Delete 3 tags?");
    t.wait_for(PLACEHOLDER);
    t.click("Remove only the marked tags");
    t.wait_for(&format!(
        "Finished: Remove tags {0}/scratch/delete-me:a, {0}/scratch/delete-me:c",
        reg.host()
    ));
    for tag in ["a", "c"] {
        t.wait_for(&format!(
            "Removed tag {}/scratch/delete-me:{tag}; its image stays",
            reg.host()
        ));
    }
    assert_eq!(left_tags(&reg), ["b"]);
    assert_eq!(resolve(&reg, "b"), Some(digest), "b keeps its image");
}
