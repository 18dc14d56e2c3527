//! The window holds at 800×600: the tags table keeps its most needed columns, the repository
//! name gives way to Pin and the tag count, the breadcrumb stays clear of Back, the image
//! heading's buttons wrap instead of being cut, the image tabs stay on one line in English and
//! Korean, the Files tab's toolbar takes at most two lines in both, and the Files tab's Size and
//! Layer columns and its filter stay inside the window. Multi-platform tags show the host
//! platform's size with every platform's in a tooltip, and the Overview lists them.

use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::{Auth, registry};
use egui::Rect;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

const SMALL: egui::Vec2 = egui::vec2(800.0, 600.0);

fn rect_of(t: &UiTest, label: &str) -> Rect {
    t.harness.get_by_label(label).rect()
}

/// Fails unless the widget labelled `label` lies inside the window (a little slack for the
/// rounding of frames).
fn assert_inside(t: &UiTest, label: &str, window: egui::Vec2) {
    let r = rect_of(t, label);
    assert!(
        r.min.x >= -0.5 && r.max.x <= window.x + 0.5 && r.max.y <= window.y + 0.5,
        "{label} lies outside the {window:?} window at {r:?}"
    );
}

/// Steps until every row on screen has its details (no "…" left).
fn settle_rows(t: &mut UiTest) {
    t.until("every visible row's details", |h| {
        h.query_all_by_label("…").next().is_none()
    });
    t.harness.run_steps(3);
}

#[test]
fn ui_layout_tags_view_and_heading_hold_at_800x600() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        size: SMALL,
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "library/nginx");
    t.wait_for("latest");
    settle_rows(&mut t);
    // The table keeps Tag, Kind and Size (the least needed columns give way), all on screen.
    for header in ["Kind", "Size"] {
        t.wait_for(header);
        assert_inside(&t, header, SMALL);
    }
    assert!(!t.has("Created"), "Created is dropped first at 800×600");
    // Pin sits left of the tag count, clear of it.
    let pin = rect_of(&t, "Pin");
    let count = rect_of(&t, "2 tags");
    assert!(
        pin.max.x <= count.min.x,
        "Pin {pin:?} overlaps the tag count {count:?}"
    );
    let filter = t
        .harness
        .get_by(|n| {
            n.role() == egui::accesskit::Role::TextInput
                && n.data().placeholder() == Some("Filter tags (Ctrl+F)")
        })
        .rect();
    assert!(
        filter.max.x <= SMALL.x && count.max.x <= filter.min.x,
        "the tag filter {filter:?} is cut off or overlaps the count {count:?}"
    );

    t.click("latest");
    t.wait_for("Overview");
    // The breadcrumb stays left of Back (the "More" menu holds what no longer fits).
    let back = rect_of(&t, "← Back");
    for node in t.harness.query_all(
        egui_kittest::kittest::by()
            .predicate(|n| n.label().is_some_and(|l| l.starts_with("Go to "))),
    ) {
        let r = node.rect();
        assert!(
            r.max.x <= back.min.x,
            "a breadcrumb part {r:?} slides under Back {back:?}"
        );
    }
    assert_inside(&t, "More", SMALL);
    for label in [
        "Pull to Berth store",
        "Copy to…",
        "Export…",
        "Delete tag…",
        "Copy pull command",
        "Overview",
        "Config",
        "History",
        "Layers",
        "Files",
        "Trust",
        "Raw",
    ] {
        assert_inside(&t, label, SMALL);
    }
}

/// The repository filter's hint and the image view's tabs, in English and in Korean.
const TABS: [(berth::i18n::Lang, &str, [&str; 7]); 2] = [
    (
        berth::i18n::Lang::En,
        "Filter repositories (Ctrl+F)",
        [
            "Overview", "Config", "History", "Layers", "Files", "Trust", "Raw",
        ],
    ),
    (
        berth::i18n::Lang::Ko,
        "저장소 필터 (Ctrl+F)",
        ["개요", "구성", "기록", "레이어", "파일", "신뢰", "원본"],
    ),
];

#[test]
fn ui_layout_image_tabs_stay_on_one_line_at_800x600() {
    let reg = registry(Auth::Anonymous);
    for (lang, filter, tabs) in TABS {
        let mut t = UiTest::with(Setup {
            registries: vec![reg.url()],
            size: SMALL,
            lang,
            ..Setup::default()
        });
        t.click(&reg.host());
        t.type_into_hinted(filter, "team/app/api");
        t.click("team/app/api");
        t.click("v1");
        t.wait_for(tabs[0]);
        t.harness.run_steps(2);
        let first = rect_of(&t, tabs[0]);
        for label in tabs {
            assert_inside(&t, label, SMALL);
            let r = rect_of(&t, label);
            assert!(
                (r.center().y - first.center().y).abs() < 1.0,
                "{lang:?}: the tab {label} ({r:?}) wrapped below {} ({first:?})",
                tabs[0]
            );
        }
    }
}

/// The Files tab's toolbar at 800×600: (language, image tab, the two modes, the filter,
/// the tree's menu, Save… and Expand all inside it, the tree's Layer header).
#[allow(clippy::type_complexity)]
const FILES_TOOLBAR: [(berth::i18n::Lang, &str, [&str; 4], [&str; 2], &str); 2] = [
    (
        berth::i18n::Lang::En,
        "Files",
        ["Layers 1–4", "Layer 4 only", "Filter paths", "Tree options"],
        ["Save…", "Expand all"],
        "Layer",
    ),
    (
        berth::i18n::Lang::Ko,
        "파일",
        ["레이어 1–4", "레이어 4만", "경로 필터", "트리 옵션"],
        ["저장…", "모두 펼치기"],
        "레이어",
    ),
];

#[test]
fn ui_layout_files_toolbar_takes_at_most_two_lines_at_800x600() {
    let reg = registry(Auth::Anonymous);
    for (lang, tab, toolbar, in_menu, layer_header) in FILES_TOOLBAR {
        let mut t = UiTest::with(Setup {
            registries: vec![reg.url()],
            size: SMALL,
            lang,
            ..Setup::default()
        });
        let repo_filter = TABS.iter().find(|(l, ..)| *l == lang).map(|(_, f, _)| *f);
        t.click(&reg.host());
        t.type_into_hinted(
            repo_filter.expect("the language's filter hint"),
            "team/app/api",
        );
        t.click("team/app/api");
        t.click("v1");
        t.click(tab);
        t.wait_for("etc");
        t.harness.run_steps(2);
        let mut rows: Vec<f32> = Vec::new();
        let mut bottom = f32::MIN;
        for label in toolbar {
            assert_inside(&t, label, SMALL);
            let r = rect_of(&t, label);
            bottom = bottom.max(r.max.y);
            if !rows.iter().any(|y| (y - r.center().y).abs() < 4.0) {
                rows.push(r.center().y);
            }
        }
        assert!(
            rows.len() <= 2,
            "{lang:?}: the Files toolbar takes {} lines at 800×600 ({rows:?})",
            rows.len()
        );
        // The tree's header comes right under it (six lines ended near y = 360).
        // (In Korean the Layers tab and panel share the word: the header is the rightmost.)
        let header = t
            .harness
            .query_all_by_label(layer_header)
            .map(|n| n.rect())
            .max_by(|a, b| a.max.x.total_cmp(&b.max.x))
            .expect("the tree's Layer header");
        assert!(
            header.min.y >= bottom && header.min.y < bottom + 20.0 && header.min.y < 270.0,
            "{lang:?}: the tree's header is at {header:?}, the toolbar ends at {bottom}"
        );
        // What left the toolbar is in its menu, inside the window.
        t.click(toolbar[3]);
        for label in in_menu {
            t.wait_for(label);
            assert_inside(&t, label, SMALL);
        }
    }
}

#[test]
fn ui_layout_files_columns_and_filter_stay_in_the_window() {
    let reg = registry(Auth::Anonymous);
    for size in [SMALL, egui::vec2(1320.0, 820.0)] {
        let mut t = UiTest::with(Setup {
            registries: vec![reg.url()],
            size,
            ..Setup::default()
        });
        open_repo(&mut t, &reg.host(), "team/app/api");
        t.click("v1");
        t.click("Files");
        t.wait_for("etc");
        t.harness.run_steps(2);
        assert_tree_columns_inside(&t, size);
        // A long filter stays inside the window, and so do the columns beside it.
        t.type_into(
            "Filter paths",
            "etc/some/rather/long/path/that/matches/nothing/at/all.conf",
        );
        t.wait_gone("etc");
        t.harness.run_steps(4);
        assert_inside(&t, "Filter paths", size);
        // Escape in the field clears it.
        t.key(egui::Key::Escape);
        t.wait_for("etc");
        t.harness.run_steps(2);
        assert_tree_columns_inside(&t, size);
    }
}

/// The tree's Name, Size and Layer headers (on the line of "Layer": the sort buttons are
/// also called Name and Size) lie inside the window.
fn assert_tree_columns_inside(t: &UiTest, window: egui::Vec2) {
    let layer = rect_of(t, "Layer");
    for header in ["Name", "Size"] {
        let r = t
            .harness
            .query_all_by_label(header)
            .map(|n| n.rect())
            .find(|r| (r.center().y - layer.center().y).abs() < 4.0)
            .unwrap_or_else(|| panic!("no {header} column header beside Layer at {layer:?}"));
        assert!(
            r.max.x <= window.x + 0.5 && r.max.x <= layer.min.x,
            "the {header} header {r:?} is cut off or past Layer {layer:?}"
        );
    }
    assert_inside(t, "Layer", window);
}

/// The size cell of `tag`'s row: the label on the same line whose text ends in "B".
fn size_cell(t: &UiTest, tag: &str) -> (String, Rect) {
    let row = rect_of(t, tag);
    let node = t
        .harness
        .query_all(egui_kittest::kittest::by().predicate(|n| {
            let text = n.label().or_else(|| n.value()).unwrap_or_default();
            text.ends_with(" B") || text.ends_with("kB") || text.ends_with("MB")
        }))
        .find(|n| (n.rect().center().y - row.center().y).abs() < 4.0)
        .unwrap_or_else(|| panic!("no size on the row of {tag}"));
    let a = node.accesskit_node();
    let text = a.label().or_else(|| a.value()).unwrap_or_default();
    (text, node.rect())
}

#[test]
fn ui_a_multi_platform_tag_shows_its_host_platform_size() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "library/nginx");
    t.wait_for("latest");
    settle_rows(&mut t);
    // Every row gets a size and a creation time: none stays at "—" (a row shows "—" only
    // until its details arrive).
    t.until("a size and a time on every multi-platform row", |h| {
        h.query_all_by_label("—").next().is_none()
    });
    let (size, rect) = size_cell(&t, "latest");
    // Its tooltip names the host platform and lists every platform with its size.
    t.harness.hover_at(rect.center());
    t.harness.run_steps(3);
    t.until("the size tooltip", |h| {
        h.query_by(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with("Size of linux/amd64"))
        })
        .is_some()
    });
    for platform in ["linux/amd64", "linux/arm64", "linux/arm/v7"] {
        t.wait_for(platform);
    }

    // The Overview's total for the host platform is the size the table showed, and its
    // platforms table has a size for each platform.
    t.harness.remove_cursor();
    t.harness.run_steps(2);
    t.click("latest");
    t.wait_for("Pull size");
    t.until("every platform's size", |h| {
        h.query_all_by_label("…").next().is_none()
    });
    let sizes = t.harness.query_all_by_label(&size).count();
    assert!(
        sizes >= 2,
        "the Overview shows the host platform's {size} as its total size and in its platforms table"
    );
    for platform in ["linux/amd64", "linux/arm64", "linux/arm/v7"] {
        t.wait_for(platform);
    }
    assert!(!t.has("—"), "a platform of the Overview has no size");
}
