//! Navigation keeps one location: removing another registry through its dialog leaves the
//! open registry, its repository and its tags on screen.

use super::ui_common::{Setup, UiTest};
use crate::support::{Auth, registry};
use egui_kittest::kittest::Queryable as _;

const FILTER: &str = "Filter repositories (Ctrl+F)";

#[test]
fn ui_removing_another_registry_keeps_the_open_one() {
    let reg = registry(Auth::Anonymous);
    // Two saved registries; the first reaches the same registry under another host name.
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "[[registries]]\nname = \"First\"\nurl = \"http://localhost:{}\"\n\
             [[registries]]\nname = \"Second\"\nurl = \"{}\"\n",
            reg.port(),
            reg.url()
        )),
        ..Setup::default()
    });
    t.click("Second");
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "team/app");
    t.click("team/app/api");
    t.wait_for("v1");
    assert_eq!(t.harness.state().title(), "Second › team/app/api — Berth");

    t.harness.get_by_label("First").click_secondary();
    t.harness.step();
    t.click("Edit…");
    t.click("Remove");
    t.wait_gone("First");

    // Still on the second registry's repository: its tags, title and saved settings.
    t.wait_for("v1");
    assert_eq!(t.harness.state().title(), "Second › team/app/api — Berth");
    assert!(t.has("team/app/api"), "the repository list stays");
    let names: Vec<&str> = t
        .harness
        .state()
        .settings()
        .registries
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["Second"]);
    // The location is still live: opening a tag works in the registry that stayed.
    t.click("v1");
    t.wait_for("Config");
    assert_eq!(
        t.harness.state().title(),
        "Second › team/app/api › v1 — Berth"
    );
}
