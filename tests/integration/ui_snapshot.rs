//! A few deliberate snapshots (wgpu on llvmpipe): the config view with Hangul rendered from
//! a fixed font file, and the add-registry dialog. The sidebar row that shows the random
//! port is masked.

use super::ui_common::{NANUM_CODING_FILE, NANUM_FILE, Setup, UiTest, require_font};
use crate::support::fixtures::api;
use crate::support::{Auth, registry};
use berth::ui::FontSource;
use egui_kittest::kittest::Queryable as _;

#[test]
fn ui_snapshot_config_view_with_hangul() {
    require_font(NANUM_FILE);
    require_font(NANUM_CODING_FILE);
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "theme = \"dark\"\nstore_dir = \"/nonexistent/berth-store\"\n[[registries]]\nname = \"Fixtures\"\nurl = \"{}\"\n",
            reg.url()
        )),
        size: egui::vec2(1100.0, 620.0),
        theme: egui::Theme::Dark,
        // Two fixed files, not a directory: the picture does not depend on what else is
        // installed there.
        fonts: Some(FontSource::Dirs(vec![
            NANUM_FILE.into(),
            NANUM_CODING_FILE.into(),
        ])),
        ..Setup::default()
    });
    t.click("Fixtures");
    t.wait_for("1,257 repositories");
    t.type_into_hinted("Filter repositories (Ctrl+F)", "team/app/api");
    t.click("team/app/api");
    t.click("v1");
    t.click("Config");
    t.wait_for(api::KOREAN_LABEL_VALUE);
    // The trust badge is read in the background: wait for its answer.
    t.wait_for("Unsigned");
    // Let hover effects and the text cursor settle, then hide what varies between runs.
    t.harness.remove_cursor();
    t.harness.run_steps(4);
    let row = t.harness.get_by_label("Fixtures").rect();
    t.harness.mask(row);
    t.harness.snapshot("ui_config_hangul");
}

#[test]
fn ui_snapshot_add_registry_dialog() {
    let mut t = UiTest::with(Setup {
        settings_toml: Some(
            "theme = \"light\"\nstore_dir = \"/nonexistent/berth-store\"\n".to_owned(),
        ),
        size: egui::vec2(900.0, 600.0),
        theme: egui::Theme::Light,
        ..Setup::default()
    });
    t.click("+ Add");
    t.wait_for("Add a registry");
    t.type_into("URL", "http://registry.example:5000");
    t.harness.remove_cursor();
    t.harness.run_steps(4);
    t.harness.snapshot("ui_add_registry_dialog");
}
