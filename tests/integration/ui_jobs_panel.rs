//! The jobs panel is docked under the view: the Files tab's toolbar, its layer rows and its
//! footer (the view's bottom row) all end above the panel's top edge, so none of them lies
//! under it (the floating Jobs window covered the tree's lower rows); Hide folds the panel
//! away and the view takes the room back.

use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::fixtures::api;
use crate::support::{Auth, registry};
use berth::format::size;
use egui_kittest::kittest::Queryable as _;

fn bottom_of(t: &UiTest, label: &str) -> f32 {
    t.harness.get_by_label(label).rect().max.y
}

#[test]
fn ui_jobs_panel_does_not_cover_the_bottom_row_of_the_files_tab() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.click("Files");
    let final_bytes: u64 = api::V1_MERGED_FILE_SIZES.iter().map(|(_, s)| s).sum();
    let footer = format!(
        "{} files, {}",
        api::V1_MERGED_FILE_SIZES.len(),
        size(final_bytes)
    );
    t.wait_for(&footer);
    let footer_alone = bottom_of(&t, &footer);

    t.click("Jobs (0)");
    t.wait_for("No jobs yet. Pull a tag to see it here.");
    t.harness.run_steps(3);
    let panel_top = t.harness.get_by_label("Jobs").rect().min.y;
    let last_layer = format!("Layer {}", api::V1_LAYERS.len());
    for label in [footer.as_str(), "Filter paths", last_layer.as_str()] {
        let bottom = bottom_of(&t, label);
        assert!(
            bottom <= panel_top,
            "{label} (bottom {bottom}) lies under the jobs panel (top {panel_top})"
        );
    }
    // The view gave way: its footer moved up above the panel rather than staying under it.
    let with_panel = bottom_of(&t, &footer);
    assert!(
        with_panel < footer_alone,
        "the footer stayed at {footer_alone} with the jobs panel open"
    );

    // Hide gives the room back.
    t.click("Hide");
    t.wait_gone("No jobs yet. Pull a tag to see it here.");
    t.harness.run_steps(3);
    let back = bottom_of(&t, &footer);
    assert!(
        back > with_panel + 40.0,
        "the footer moves down again (from {with_panel}) once the panel is hidden: {back}"
    );
}
