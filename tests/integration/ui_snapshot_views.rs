//! Snapshots of the three main views at the smallest supported size (800×600) and at the
//! harness's usual 1280×800, in light and dark (12 pictures): the tags of `library/nginx`
//! (multi-platform tags with their host platform's size), the Overview of
//! `library/nginx:latest` (its platforms table) and the Files tab of `team/app/api:v1`.
//! What varies between runs is masked: the registry's row in the sidebar (its random port),
//! the Overview's reference (the same), and every creation age ("3 years ago" grows).
//! Update with `UPDATE_SNAPSHOTS=1`, and look at every changed picture.

use super::ui_common::{NANUM_CODING_FILE, NANUM_FILE, Setup, UiTest, require_font};
use crate::support::registry;
use crate::support::{Auth, TestRegistry};
use berth::ui::FontSource;
use egui_kittest::kittest::Queryable as _;

#[derive(Clone, Copy)]
enum View {
    Tags,
    Overview,
    Files,
}

fn start(reg: &TestRegistry, size: egui::Vec2, theme: egui::Theme) -> UiTest {
    require_font(NANUM_FILE);
    require_font(NANUM_CODING_FILE);
    let name = if theme == egui::Theme::Dark {
        "dark"
    } else {
        "light"
    };
    UiTest::with(Setup {
        settings_toml: Some(format!(
            "theme = \"{name}\"\nstore_dir = \"/nonexistent/berth-store\"\n[[registries]]\nname = \"Fixtures\"\nurl = \"{}\"\n",
            reg.url()
        )),
        size,
        theme,
        // Two fixed files: the picture does not depend on what else is installed.
        fonts: Some(FontSource::Dirs(vec![
            NANUM_FILE.into(),
            NANUM_CODING_FILE.into(),
        ])),
        ..Setup::default()
    })
}

/// Masks every node whose text satisfies `hide`.
fn mask_where(t: &mut UiTest, hide: impl Fn(&str) -> bool) {
    let rects: Vec<egui::Rect> = t
        .harness
        .query_all(
            egui_kittest::kittest::by()
                .predicate(|n| n.label().or_else(|| n.value()).is_some_and(|l| hide(&l))),
        )
        .map(|n| n.rect())
        .collect();
    for r in rects {
        t.harness.mask(r);
    }
}

fn snapshot(view: View, size: egui::Vec2, theme: egui::Theme, name: &str) {
    let reg = registry(Auth::Anonymous);
    let mut t = start(reg, size, theme);
    t.click("Fixtures");
    t.wait_for("1,257 repositories");
    let (repo, tag) = match view {
        View::Tags | View::Overview => ("library/nginx", "latest"),
        View::Files => ("team/app/api", "v1"),
    };
    t.type_into_hinted("Filter repositories (Ctrl+F)", repo);
    t.click(repo);
    t.wait_for(tag);
    match view {
        View::Tags => {
            t.until("every row's details", |h| {
                h.query_all_by_label("…").next().is_none()
                    && h.query_all_by_label("—").next().is_none()
            });
        }
        View::Overview => {
            t.click(tag);
            t.wait_for("Pull size");
            t.until("every platform's size", |h| {
                h.query_all_by_label("…").next().is_none()
            });
        }
        View::Files => {
            t.click(tag);
            t.click("Files");
            t.wait_for("etc");
        }
    }
    if !matches!(view, View::Tags) {
        // The trust badge is read in the background: wait for its answer.
        t.wait_for("Unsigned");
    }
    // Let hover effects and the text cursor settle, then hide what varies between runs.
    t.harness.remove_cursor();
    t.harness.run_steps(4);
    let row = t.harness.get_by_label("Fixtures").rect();
    t.harness.mask(row);
    let host = reg.host();
    mask_where(&mut t, |l| {
        l.contains(&host) || l.ends_with(" ago") || l.contains(" ago)")
    });
    t.harness.snapshot(name);
}

const SMALL: egui::Vec2 = egui::vec2(800.0, 600.0);
const LARGE: egui::Vec2 = egui::vec2(1280.0, 800.0);
use egui::Theme::{Dark, Light};

#[test]
fn ui_snapshot_tags_800_light() {
    snapshot(View::Tags, SMALL, Light, "view_tags_800x600_light");
}

#[test]
fn ui_snapshot_tags_800_dark() {
    snapshot(View::Tags, SMALL, Dark, "view_tags_800x600_dark");
}

#[test]
fn ui_snapshot_tags_1280_light() {
    snapshot(View::Tags, LARGE, Light, "view_tags_1280x800_light");
}

#[test]
fn ui_snapshot_tags_1280_dark() {
    snapshot(View::Tags, LARGE, Dark, "view_tags_1280x800_dark");
}

#[test]
fn ui_snapshot_overview_800_light() {
    snapshot(View::Overview, SMALL, Light, "view_overview_800x600_light");
}

#[test]
fn ui_snapshot_overview_800_dark() {
    snapshot(View::Overview, SMALL, Dark, "view_overview_800x600_dark");
}

#[test]
fn ui_snapshot_overview_1280_light() {
    snapshot(View::Overview, LARGE, Light, "view_overview_1280x800_light");
}

#[test]
fn ui_snapshot_overview_1280_dark() {
    snapshot(View::Overview, LARGE, Dark, "view_overview_1280x800_dark");
}

#[test]
fn ui_snapshot_files_800_light() {
    snapshot(View::Files, SMALL, Light, "view_files_800x600_light");
}

#[test]
fn ui_snapshot_files_800_dark() {
    snapshot(View::Files, SMALL, Dark, "view_files_800x600_dark");
}

#[test]
fn ui_snapshot_files_1280_light() {
    snapshot(View::Files, LARGE, Light, "view_files_1280x800_light");
}

#[test]
fn ui_snapshot_files_1280_dark() {
    snapshot(View::Files, LARGE, Dark, "view_files_1280x800_dark");
}
