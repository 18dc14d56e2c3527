//! The desktop app against the real test registry: click a registry, a repository and a tag;
//! switch the platform of an index; filter the repositories; move with the keyboard.

use super::ui_common::UiTest;
use crate::support::fixtures::api;
use crate::support::{Auth, registry};

const FILTER: &str = "Filter repositories (Ctrl+F)";

#[test]
fn ui_click_registry_repository_tag_shows_config_label() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    // The catalog streams in two pages; the list is virtualised, so filter to reach the repo.
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "team/app");
    t.click("team/app/api");
    t.click("v1");
    t.click("Config");
    t.wait_for(api::KOREAN_LABEL_VALUE);
    assert!(t.has(api::KOREAN_LABEL_KEY), "the label key is shown too");
    let title = t.harness.state().title().to_owned();
    assert!(title.contains("team/app/api › v1"), "window title: {title}");
}

#[test]
fn ui_switching_the_platform_of_an_index_shows_the_other_digest() {
    let reg = registry(Auth::Anonymous);
    let index = reg
        .get(
            "/v2/library/nginx/manifests/latest",
            &[("Accept", "application/vnd.oci.image.index.v1+json")],
        )
        .json();
    let digest_of = |arch: &str| {
        index["manifests"]
            .as_array()
            .expect("manifests")
            .iter()
            .find(|m| m["platform"]["architecture"] == arch)
            .and_then(|m| m["digest"].as_str())
            .expect("platform entry")
            .to_owned()
    };
    let (amd64, arm64) = (digest_of("amd64"), digest_of("arm64"));

    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "library/nginx");
    t.click("library/nginx");
    t.click("latest");
    t.wait_for("linux/arm/v7");
    if std::env::consts::ARCH == "x86_64" {
        // The host's platform is shown first.
        t.wait_for(&amd64);
    }
    t.click("linux/arm64");
    t.wait_for(&arm64);
    t.wait_gone(&amd64);
}

#[test]
fn ui_filter_repositories_and_group_them_as_a_tree() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    assert!(
        !t.has("library/nginx"),
        "bulk repositories come first in the catalog"
    );
    t.type_into_hinted(FILTER, "nginx");
    t.wait_for("1 of 1,257 repositories");
    assert!(t.has("library/nginx"));
    assert!(!t.has("library/alpine"));

    // Tree mode groups by path; while filtering every group is open.
    t.type_into_hinted(FILTER, "/app/");
    t.wait_for("0 of 1,257 repositories");
    // Escape in the filter clears it.
    t.focus_hinted(FILTER);
    t.key(egui::Key::Escape);
    t.wait_for("1,257 repositories");
    t.click("Tree");
    t.wait_for("team");
    assert!(!t.has("team/app/api"), "groups start closed");
    t.click("team");
    t.click("team/app");
    t.wait_for("team/app/api");
}

#[test]
fn ui_keyboard_moves_opens_and_goes_back() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "library/");
    t.wait_for("2 of 1,257 repositories");
    // Down selects the first row, again the second; Enter opens it.
    t.key(egui::Key::ArrowDown);
    t.key(egui::Key::ArrowDown);
    t.key(egui::Key::Enter);
    t.wait_for_hint("Filter tags (Ctrl+F)");
    let title = t.harness.state().title().to_owned();
    assert!(title.contains("library/nginx"), "title: {title}");
    // The tags are in natural order: 1.25, latest. Down + Enter opens the first.
    t.wait_for("1.25");
    t.key(egui::Key::ArrowDown);
    t.key(egui::Key::Enter);
    t.wait_for("Overview");
    let title = t.harness.state().title().to_owned();
    assert!(title.contains("library/nginx › 1.25"), "title: {title}");
    t.harness
        .key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    t.until("back to the tags", |h| {
        h.state().title().ends_with("library/nginx — Berth")
    });
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::R);
    t.wait_for("latest");
    let title = t.harness.state().title().to_owned();
    assert!(title.ends_with("library/nginx — Berth"), "title: {title}");
}

#[test]
fn ui_korean_main_flow_by_korean_labels() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(super::ui_common::Setup {
        registries: vec![reg.url()],
        lang: berth::i18n::Lang::Ko,
        ..super::ui_common::Setup::default()
    });
    t.wait_for("소스");
    t.click(&reg.host());
    t.wait_for("저장소 1,257개");
    t.type_into_hinted("저장소 필터 (Ctrl+F)", "team/app");
    t.click("team/app/api");
    t.wait_for("태그 3개");
    t.click("v1");
    t.click("구성");
    t.wait_for("환경 변수 (3)");
    t.wait_for(api::KOREAN_LABEL_VALUE);
}

#[test]
fn ui_language_and_theme_change_at_once_and_persist() {
    let mut t = UiTest::start(&[]);
    t.wait_for("Sources");
    // The menus are named by their tooltips.
    t.click("Interface language");
    t.click("한국어");
    t.wait_for("소스");
    assert!(!t.has("Sources"), "the whole window switched");
    t.click("밝은 테마, 어두운 테마, 또는 시스템 설정 따르기");
    t.click("밝게");
    let path = t.settings_path();
    t.until("the settings file", |_| {
        berth::settings::Settings::load(&path).is_ok_and(|s| {
            s.language.as_deref() == Some("ko") && s.theme == berth::settings::Theme::Light
        })
    });
}

#[test]
fn ui_image_tabs_history_layers_trust_referrers_raw() {
    use crate::support::fixtures::{SBOM_ARTIFACT_TYPE, seeded_digest};
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "team/app/api");
    t.click("team/app/api");
    t.click("v1");
    t.click("History");
    // Seven steps, three of which made no layer.
    t.until("the empty-layer marks", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_all_by_label("no layer").count() == 3
    });
    t.click("Layers");
    t.until("the layer summary", |h| {
        use egui_kittest::kittest::Queryable as _;
        h.query_by_label_contains("4 layers, ").is_some()
    });
    // The referrers are listed at the end of the Trust tab.
    t.click("Trust");
    t.wait_for("All referrers (1)");
    t.wait_for(&format!("{SBOM_ARTIFACT_TYPE} (1)"));
    assert!(t.has("Open artifact"), "a referrer opens from its row");
    t.click("Raw");
    t.wait_for(&seeded_digest("team/app/api:v1"));
    t.wait_for("Copy JSON");
}

#[test]
fn ui_open_repository_by_name_and_pin_it() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    // For registries without a catalog; a tag opens the image directly.
    t.type_into_hinted("Open repository…", "team/app/api:v2");
    t.key(egui::Key::Enter);
    t.wait_for("team/app/api:v2");
    t.wait_for("team/app/api, recent");
    // Pinning from the tags header keeps it on top of the list, per registry.
    t.click("← Back");
    t.click("Pin");
    t.wait_for("team/app/api, pinned");
    t.wait_for("Unpin");
    let marks = t.settings_path().with_file_name("ui-state.toml");
    t.until("the pin to be saved", |_| {
        std::fs::read_to_string(&marks).is_ok_and(|s| s.contains("team/app/api"))
    });
}

/// Page Down, Page Up, Home and End move the cursor in the repository list and the tags
/// table (also while the filter field has focus for the page keys), so a long list needs
/// neither the scrollbar nor the wheel.
#[test]
fn ui_page_and_end_keys_move_through_long_lists() {
    use crate::support::fixtures::MANY_TAGS_REPO;
    use crate::support::fixtures::bulk::many_tags;
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.type_into_hinted(FILTER, "library/");
    t.wait_for("2 of 1,257 repositories");
    // The filter field has the keyboard, so End goes to the field; Page Down goes to the list
    // (the first key puts the cursor on the list, as an arrow does; the second moves a page).
    t.key(egui::Key::PageDown);
    t.key(egui::Key::PageDown);
    t.key(egui::Key::Enter);
    t.wait_for_hint("Filter tags (Ctrl+F)");
    let title = t.harness.state().title().to_owned();
    assert!(
        title.contains("library/nginx"),
        "Page Down went to the last row: {title}"
    );

    t.type_into_hinted("Open repository…", MANY_TAGS_REPO);
    t.click("Open");
    t.wait_for("1,600 tags");
    let mut sorted = many_tags();
    berth::natural_sort::sort(&mut sorted);
    t.wait_for(&sorted[0]);
    let open_cursor = |t: &mut UiTest| -> String {
        t.key(egui::Key::Enter);
        t.until("the image opens", |h| {
            h.state().title().matches(" › ").count() == 2
        });
        let title = t.harness.state().title().to_owned();
        let tag = title
            .trim_end_matches(" — Berth")
            .rsplit(" › ")
            .next()
            .expect("tag in title")
            .to_owned();
        t.harness
            .key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
        t.until("back to the tags", |h| {
            h.state().title().matches(" › ").count() == 1
        });
        tag
    };
    t.key(egui::Key::End);
    assert_eq!(
        open_cursor(&mut t),
        *sorted.last().expect("tags"),
        "End: the last tag"
    );
    t.key(egui::Key::Home);
    assert_eq!(open_cursor(&mut t), sorted[0], "Home: the first tag");
    t.key(egui::Key::PageDown);
    let paged = open_cursor(&mut t);
    let at = sorted.iter().position(|s| *s == paged).expect("a tag");
    assert!(
        (5..200).contains(&at),
        "Page Down moved a screenful: row {at} ({paged})"
    );
    t.key(egui::Key::PageUp);
    assert_eq!(open_cursor(&mut t), sorted[0], "Page Up: back to the top");
}
