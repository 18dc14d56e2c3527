//! Tag actions in the app: Delete asks first, names exactly the tags that share the digest,
//! removes them (and only them) from the registry, and the table follows.

use super::registry_read::client;
use super::ui_common::UiTest;
use crate::support::{self, Auth, FreshOptions};

#[test]
fn ui_delete_tag_names_the_tags_sharing_its_digest_and_removes_exactly_those() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.type_into_hinted("Filter repositories (Ctrl+F)", "scratch/delete-me");
    t.click("scratch/delete-me");
    t.wait_for("c");
    t.click("a");
    t.click("Delete tag…");
    t.wait_for("Delete scratch/delete-me:a?");
    t.wait_for("Removes tag a");
    assert!(t.has("Removes tag b"), "b shares a's digest");
    assert!(!t.has("Removes tag c"), "c is another image");
    t.click("Delete");
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
        .block_on(client(&reg).tags("scratch/delete-me"))
        .expect("tags");
    assert_eq!(tags, ["c"]);
}
