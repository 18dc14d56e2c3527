//! Referrers in the window on distribution 2.8 (no referrers API): the Trust tab's "All
//! referrers" section says what was checked instead of "no referrers", the look through the repository finds an artifact that
//! no fallback tag lists, and an artifact's Overview shows its subject and opens it.

use super::referrers_search::{
    ARTIFACT_TAG, ARTIFACT_TYPE, IMAGE_TAG, REPO, registry_with_artifact,
};
use super::ui_common::{UiTest, open_tag};
use egui_kittest::kittest::Queryable as _;

const NO_API: &str = "This registry has no referrers API, and no fallback tag lists referrers \
                      of this image. Artifacts that refer to it may still be in the repository.";

#[test]
fn ui_referrers_without_api_say_so_and_the_search_finds_the_artifact() {
    let (reg, pushed) = registry_with_artifact();
    let mut t = UiTest::start(&[reg.url()]);
    open_tag(&mut t, &reg.host(), REPO, IMAGE_TAG);
    t.click("Trust");
    t.wait_for("All referrers");
    t.wait_for(NO_API);
    assert!(
        !t.has("No signatures, SBOMs or attestations refer to this image.")
            && !t.has("All referrers (0)"),
        "the registry could not tell, so the section must not say there are none"
    );
    // Every section of the tab has answered, so nothing moves the button between the frame
    // the click is aimed at and the frame that takes it.
    for settled in [
        "No signatures found (looked at the .sig tag and the referrers).",
        "No attestations found.",
        "No SBOM found for this image.",
    ] {
        t.wait_for(settled);
    }
    t.click("Look through this repository's artifacts");
    t.wait_for("Looked through 3 tags: 1 refer to this image.");
    t.wait_for(&format!("{ARTIFACT_TYPE} (1)"));
    // The found artifact opens in the same repository, by its digest.
    t.click("Open artifact");
    t.wait_for(&format!("{REPO}@{}", pushed.artifact));
}

#[test]
fn ui_overview_of_an_artifact_shows_its_subject_and_opens_it() {
    let (reg, pushed) = registry_with_artifact();
    let mut t = UiTest::start(&[reg.url()]);
    open_tag(&mut t, &reg.host(), REPO, ARTIFACT_TAG);
    t.wait_for("Subject");
    t.wait_for(&pushed.image);
    t.click("Open subject");
    t.wait_for(&format!("{REPO}@{}", pushed.image));
    // The subject's own overview: its digest, and no subject of its own.
    t.until("the subject's overview", |h| {
        h.query_all_by_label(&pushed.image).next().is_some()
            && h.query_all_by_label("Subject").next().is_none()
    });
}
