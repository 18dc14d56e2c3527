//! Fonts and the Settings window: pointed at an empty font directory the app shows the
//! one-time hint naming the package, and its dismissal is remembered; a fixed font file
//! renders Hangul; the Settings window clears the layer cache and says how much went.

use super::ui_common::{NANUM_FILE, Setup, UiTest, require_font};
use berth::ui::FontSource;
use egui_kittest::kittest::Queryable as _;

const HINT: &str = "No font for Korean, Chinese or Japanese text is installed; such text shows as boxes. Install fonts-noto-cjk or fonts-nanum.";

fn with_empty_font_dir() -> (UiTest, tempfile::TempDir) {
    let empty = tempfile::tempdir().expect("empty font dir");
    let t = UiTest::with(Setup {
        fonts: Some(FontSource::Dirs(vec![empty.path().to_owned()])),
        missing_glyphs: true,
        ..Setup::default()
    });
    (t, empty)
}

#[test]
fn ui_fonts_empty_dir_shows_the_hint_once() {
    let (mut t, _empty) = with_empty_font_dir();
    t.wait_for(HINT);
    // The window still works around it: the settings open and say no font was found.
    t.click("Settings");
    t.wait_for("Font for Korean, Chinese and Japanese text");
    assert!(t.has(
        "No font with Hangul, Han or Kana was found. Install fonts-noto-cjk or fonts-nanum, or choose a font file."
    ));
    t.click("Close");
    t.wait_gone("Font for Korean, Chinese and Japanese text");
    // Dismissed once, gone, and remembered in the ui-state file beside the settings.
    let dismiss = t.harness.query_all_by_label("Dismiss").count();
    assert_eq!(dismiss, 1, "one Dismiss button, the hint's");
    t.click("Dismiss");
    t.wait_gone(HINT);
    let state = t.settings_path().with_file_name("ui-state.toml");
    t.until("the dismissal to be saved", |_| {
        std::fs::read_to_string(&state).is_ok_and(|s| s.contains("font_hint_dismissed = true"))
    });
    t.harness.run_steps(3);
    assert!(!t.has(HINT));
}

#[test]
fn ui_fonts_dismissed_hint_stays_hidden() {
    let empty = tempfile::tempdir().expect("empty font dir");
    let mut t = UiTest::with(Setup {
        fonts: Some(FontSource::Dirs(vec![empty.path().to_owned()])),
        missing_glyphs: true,
        ui_state_toml: Some("font_hint_dismissed = true\n".to_owned()),
        ..Setup::default()
    });
    t.harness.run_steps(5);
    assert!(!t.has(HINT));
}

#[test]
fn ui_fonts_fixed_file_renders_hangul_without_the_hint() {
    require_font(NANUM_FILE);
    let mut t = UiTest::with(Setup {
        fonts: Some(FontSource::Dirs(vec![NANUM_FILE.into()])),
        ..Setup::default()
    });
    t.click("Settings");
    t.wait_for("In use: NanumGothic");
    // The language choice shows 한국어 with real glyphs (the harness fails on missing ones).
    t.click("한국어");
    t.wait_for("설정");
    t.harness.run_steps(3);
    assert!(!t.has(HINT));
}

#[test]
fn ui_settings_clear_layer_cache_reports_what_was_freed() {
    let mut t = UiTest::start(&[]);
    let cache = t.layer_cache_dir();
    std::fs::create_dir_all(&cache).expect("cache dir");
    for (i, len) in [1000usize, 2000, 500].into_iter().enumerate() {
        std::fs::write(cache.join(format!("{i:064x}.lyr")), vec![0u8; len]).expect("cache file");
    }
    std::fs::write(cache.join("keep.txt"), "not a cache file").expect("other file");
    t.click("Settings");
    t.wait_for("3.50 kB on disk");
    t.click("Clear layer cache");
    t.wait_for("Freed 3.50 kB (3 files)");
    let left: Vec<_> = std::fs::read_dir(&cache)
        .expect("read cache")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["keep.txt"]);
    t.click("Close");
    t.wait_gone("Clear layer cache");
}

#[test]
fn ui_settings_font_file_applies_when_no_font_was_found() {
    require_font(NANUM_FILE);
    let (mut t, _empty) = with_empty_font_dir();
    t.wait_for(HINT);
    t.click("Settings");
    t.type_into("Font file", NANUM_FILE);
    t.click("Use these fonts");
    t.wait_for("In use: NanumGothic");
    t.wait_gone(HINT);
    let path = t.settings_path();
    t.until("the font file to be saved", |_| {
        berth::settings::Settings::load(&path)
            .is_ok_and(|s| s.font_file.as_deref() == Some(std::path::Path::new(NANUM_FILE)))
    });
}
