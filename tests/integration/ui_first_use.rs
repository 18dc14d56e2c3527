//! What a new user trips over (issue 17's small items), each in the real window against a
//! real registry: sizes that agree between views and say what they count, a layer that only
//! removes files, the Export dialog's prefilled path and a Browse… without a chooser, and
//! moving around (the repository list after a copy, each registry remembering where it was,
//! Escape, the Jobs window's place, the delete dialog, the status line in Korean).

use super::referrers_search::{ARTIFACT_TAG, REPO, registry_with_artifact};
use super::registry_read::{at, client, repo_name};
use super::ui_common::{Setup, UiTest, open_repo};
use crate::support::oci::{
    Compression, ImageSpec, LayerSpec, Layout, Platform, dir, file, whiteout,
};
use crate::support::{self, Auth, FreshOptions};
use berth::format::size;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use serde_json::{Value, json};

const REPO_FILTER: &str = "Filter repositories (Ctrl+F)";

/// The first on-screen text (a label or a value) that `matches`.
fn text_where(
    h: &egui_kittest::Harness<'static, berth::ui::BerthApp>,
    matches: impl Fn(&str) -> bool,
) -> Option<String> {
    h.root().children_recursive().find_map(|n| {
        let n = n.accesskit_node();
        n.label().or_else(|| n.value()).filter(|l| matches(l))
    })
}

/// Hovers the node labelled `label` and waits for the tooltip `tip`.
fn hover_for_tooltip(t: &mut UiTest, label: &str, tip: &str) {
    t.wait_for(label);
    t.harness.get_by_label(label).hover();
    t.until(tip, |h| text_where(h, |l| l == tip).is_some());
}

#[test]
fn ui_sizes_agree_between_layers_and_files_and_say_what_they_count() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    hover_for_tooltip(
        &mut t,
        "Total size",
        "Compressed size on the registry: the manifest, the config and every layer, which is \
         what a pull downloads (for one platform).",
    );
    // The tab (Overview has a "Layers" row too, after the tabs).
    t.harness
        .query_all_by_label("Layers")
        .next()
        .expect("the Layers tab")
        .click();
    t.harness.step();
    let summary_of = |h: &egui_kittest::Harness<'static, berth::ui::BerthApp>| {
        text_where(h, |l| {
            l.starts_with("4 layers, ") && l.ends_with(" compressed")
        })
    };
    let mut summary = None;
    t.until("the layers summary", |h| {
        summary = summary_of(h);
        summary.is_some()
    });
    let summary = summary.expect("summary");
    hover_for_tooltip(
        &mut t,
        &summary,
        "Compressed size of the layer blobs on the registry (without the manifest and the \
         config).",
    );
    // The Files tab counts the same layers the same way.
    t.click("Files");
    t.wait_for("Layer 4");
    let files = summary_of(&t.harness);
    assert_eq!(
        files.as_ref(),
        Some(&summary),
        "the Files tab and the Layers tab"
    );
}

#[test]
fn ui_an_artifacts_size_is_the_same_in_the_tags_table_and_overview() {
    let (reg, _pushed) = registry_with_artifact();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let m = rt
        .block_on(client(&reg).manifest(&repo_name(REPO), &at(ARTIFACT_TAG)))
        .expect("manifest");
    let doc: Value = serde_json::from_slice(&m.bytes).expect("JSON");
    let blobs: u64 = doc["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .chain(std::iter::once(&doc["config"]))
        .map(|d| d["size"].as_u64().expect("size"))
        .sum();
    let pull = size(m.bytes.len() as u64 + blobs);
    assert_ne!(
        pull,
        size(blobs),
        "the manifest's own bytes make a difference"
    );

    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), REPO);
    t.wait_for(ARTIFACT_TAG);
    t.wait_for(&pull);
    t.click(ARTIFACT_TAG);
    t.wait_for("Artifact type");
    t.wait_for(&pull);
}

static BASE: [crate::support::oci::Entry; 4] = [
    dir("etc"),
    file("etc/keep.conf", 100),
    file("etc/gone.conf", 200),
    file("etc/also-gone.conf", 300),
];
static REMOVALS: [crate::support::oci::Entry; 3] = [
    dir("etc"),
    whiteout("etc/.wh.gone.conf"),
    whiteout("etc/.wh.also-gone.conf"),
];
/// Some tools write a whiteout again for a path a lower layer already removed.
static REMOVED_AGAIN: [crate::support::oci::Entry; 2] = [dir("etc"), whiteout("etc/.wh.gone.conf")];

/// A fresh registry holding `cleanup/only:v1`: a base layer, a layer whose only change is
/// two whiteouts, and a layer that only removes one of those again.
fn registry_with_a_removals_only_layer() -> support::TestRegistry {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let src = support::process::scratch_dir("removals-only-");
    let mut layout = Layout::create(&src);
    let layers = [
        LayerSpec {
            compression: Compression::Gzip,
            created_by: "ADD base /",
            entries: &BASE,
        },
        LayerSpec {
            compression: Compression::Gzip,
            created_by: "RUN rm /etc/gone.conf /etc/also-gone.conf",
            entries: &REMOVALS,
        },
        LayerSpec {
            compression: Compression::Gzip,
            created_by: "RUN rm -f /etc/gone.conf",
            entries: &REMOVED_AGAIN,
        },
    ];
    let d = layout.put_image(&ImageSpec {
        platform: Platform::linux("amd64"),
        layers: &layers,
        seed: "removals",
        runtime: json!({}),
        history: &[],
    });
    layout.tag("v1", &d);
    layout.finish();
    support::TestEnv::new().skopeo(&[
        "copy",
        "--quiet",
        "--preserve-digests",
        &format!("oci:{}:v1", src.display()),
        &reg.docker_ref("cleanup/only:v1"),
    ]);
    reg
}

#[test]
fn ui_a_layer_that_only_removes_files_shows_the_removals() {
    let reg = registry_with_a_removals_only_layer();
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "cleanup/only");
    t.click("v1");
    t.click("Files");
    t.click("Layer 2");
    t.click("Layer 2 only");
    t.until("the removed files", |h| {
        h.query_all_by_label("etc").next().is_some()
            || h.query_all_by_label("This layer changes no files.")
                .next()
                .is_some()
    });
    assert!(
        !t.has("This layer changes no files."),
        "the layer removes two files"
    );
    // The wasted list names both removed files once; the tree's rows are the second.
    let count = |t: &UiTest, label: &str| t.harness.query_all_by_label(label).count();
    t.click("Tree options");
    t.click("Expand all");
    t.until("both removals in the tree", |h| {
        h.query_all_by_label("etc/gone.conf").count() == 2
            && h.query_all_by_label("etc/also-gone.conf").count() == 2
    });
    assert_eq!(
        count(&t, "etc/keep.conf"),
        0,
        "the base layer's file is not this layer's"
    );

    // The third layer removes a path the second already had: it says so.
    t.click("Layer 3");
    t.click("Layer 3 only");
    t.click("Tree options");
    t.click("Expand all");
    t.until("the third layer's view", |h| {
        h.query_all_by_label("etc/also-gone.conf").count() == 1
            && (h.query_all_by_label("etc/gone.conf").count() == 2
                || h.query_all_by_label("This layer changes no files.")
                    .next()
                    .is_some())
    });
    assert!(!t.has("This layer changes no files."));
    assert_eq!(count(&t, "etc/gone.conf"), 2);
}

#[test]
fn ui_export_prefills_a_path_in_downloads_and_browse_says_there_is_no_chooser() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    let downloads = t.dir.path().join("Downloads");
    std::fs::create_dir_all(&downloads).expect("Downloads");
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    t.click("Export…");
    let file = downloads.join("api-v1.tar");
    t.until("the prefilled path", |_| true);
    assert_eq!(t.field_value("File"), Some(file.display().to_string()));
    // The tests' desktop has no file chooser: Browse… says so.
    t.click("Browse…");
    t.wait_for("No file chooser is available on this desktop: type the path instead.");
    // Export works without typing anything.
    t.click("Export");
    t.wait_for(&format!(
        "Finished: Save {}/team/app/api:v1 → {}",
        reg.host(),
        file.display()
    ));
    assert!(file.is_file(), "{} written", file.display());
}

#[test]
fn ui_export_falls_back_to_home_without_a_download_dir() {
    let reg = support::registry(Auth::Anonymous);
    let home = tempfile::tempdir().expect("home");
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        desktop: Some(berth::ui::Desktop {
            download_dir: None,
            home_dir: Some(home.path().to_owned()),
            file_chooser: false,
        }),
        ..Setup::default()
    });
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    t.click("Export…");
    t.until("the prefilled path", |_| true);
    assert_eq!(
        t.field_value("File"),
        Some(home.path().join("api-v1.tar").display().to_string())
    );
}

#[test]
fn ui_repository_list_follows_a_copy_that_creates_a_repository() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.wait_for("1 of 6 repositories");
    t.click("c");
    t.wait_for("Total size");
    t.click("Copy to…");
    t.type_into("Destination", &format!("{}/brand-new/repo:c", reg.host()));
    t.click("Copy image");
    t.wait_for(&format!(
        "Finished: Copy {0}/scratch/delete-me:c → {0}/brand-new/repo:c",
        reg.host()
    ));
    // The new repository is in the list without a Refresh: 6 became 7.
    t.wait_for("1 of 7 repositories");
}

#[test]
fn ui_each_registry_remembers_its_open_repository_and_escape_goes_back() {
    let a = support::registry(Auth::Anonymous);
    let b = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[a.url(), b.url()]);
    open_repo(&mut t, &a.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    t.click(&b.host());
    t.wait_gone("Total size");
    t.click(&a.host());
    // Back where it was: the repository and the tag.
    t.wait_for("Total size");
    assert_eq!(
        t.harness.state().window_location(),
        vec![a.host(), "team/app/api".to_owned(), "v1".to_owned()]
    );
    // Escape goes back one step at a time when no field has the keyboard.
    t.harness.remove_cursor();
    t.harness.step();
    t.key(egui::Key::Escape);
    t.until("the repository", |h| h.state().window_location().len() == 2);
    t.key(egui::Key::Escape);
    t.until("the registry", |h| h.state().window_location().len() == 1);
}

#[test]
fn ui_escape_closes_the_settings_and_compare_windows_before_going_back() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.click("v1");
    t.wait_for("Total size");
    let here = t.harness.state().window_location();
    t.harness.remove_cursor();
    for (open, inside) in [
        ("Settings", "Font for Korean, Chinese and Japanese text"),
        ("Compare…", "Image A"),
    ] {
        t.click(open);
        t.wait_for(inside);
        t.key(egui::Key::Escape);
        t.wait_gone(inside);
        assert_eq!(
            t.harness.state().window_location(),
            here,
            "Escape closed the {open} window and stayed where it was"
        );
    }
    // With no window open, Escape goes back.
    t.key(egui::Key::Escape);
    t.until("the repository", |h| h.state().window_location().len() == 2);
}

#[test]
fn ui_escape_in_a_filter_leaves_the_field_and_stays() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "team/app/api");
    t.wait_for("v1");
    let here = vec![reg.host(), "team/app/api".to_owned()];
    // Escape in the repository filter is the field's: the window stays.
    t.focus_hinted(REPO_FILTER);
    t.key(egui::Key::Escape);
    t.harness.run_steps(2);
    assert_eq!(t.harness.state().window_location(), here);
    // With no field focused, the next one goes back.
    t.key(egui::Key::Escape);
    t.until("the registry", |h| h.state().window_location().len() == 1);
}

#[test]
fn ui_jobs_panel_opens_clear_of_the_sidebar() {
    let reg = support::registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.wait_for("1,257 repositories");
    t.click("Jobs (0)");
    let none = "No jobs yet. Pull a tag to see it here.";
    t.wait_for(none);
    let sidebar_right = t.harness.get_by_label("+ Add").rect().right();
    let jobs = t.harness.get_by_label(none).rect();
    assert!(
        jobs.left() > sidebar_right + 200.0,
        "the jobs panel ({jobs:?}) is clear of the sidebar (right edge {sidebar_right})"
    );
    assert!(jobs.center().y > 400.0, "toward the bottom: {jobs:?}");
}

#[test]
fn ui_delete_dialog_names_the_registry_and_its_delete_button_is_red() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.click("c");
    t.click("Delete tag…");
    t.wait_for(&format!("Delete scratch/delete-me:c from {}?", reg.host()));
    t.wait_for("Removes tag c");
    t.harness.remove_cursor();
    t.harness.run_steps(2);
    let delete = t.harness.get_by_label("Delete the image (1 tag)").rect();
    let cancel = t.harness.get_by_label("Cancel").rect();
    let image = t.harness.render().expect("render");
    let scale = image.width() as f32 / 1280.0;
    // Just inside the button's left edge: its fill, not its text (coordinates are positive).
    #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
    let at = |r: egui::Rect| {
        let p = image.get_pixel(
            ((r.left() + 3.0) * scale) as u32,
            (r.center().y * scale) as u32,
        );
        (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]))
    };
    let (r, g, b) = at(delete);
    assert!(
        r > g + 60 && r > b + 60,
        "Delete is drawn red: {:?}",
        (r, g, b)
    );
    let (r, g, b) = at(cancel);
    assert!(
        (r - g).abs() < 20 && (r - b).abs() < 20,
        "Cancel stays grey: {:?}",
        (r, g, b)
    );
}

#[test]
fn ui_status_line_follows_a_switch_to_korean() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut t = UiTest::start(&[reg.url()]);
    open_repo(&mut t, &reg.host(), "scratch/delete-me");
    t.click("c");
    t.wait_for("Total size");
    t.click("Copy to…");
    t.type_into("Destination", &format!("{}/copied/image:c", reg.host()));
    t.click("Copy image");
    let english = format!(
        "Finished: Copy {0}/scratch/delete-me:c → {0}/copied/image:c",
        reg.host()
    );
    t.wait_for(&english);
    t.click("Interface language");
    t.click("한국어");
    t.until("the Korean notice", |h| {
        text_where(h, |l| {
            l.contains("copied/image:c") && l.chars().any(|c| ('가'..='힣').contains(&c))
        })
        .is_some()
    });
    assert!(
        !t.has(&english),
        "no English line is left in the status bar"
    );
}

#[test]
fn ui_local_store_row_keeps_its_name_and_says_everything_on_hover() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let store = scratch
        .path()
        .join("a-rather-long-directory-name/berth-store");
    support::process::copy_tree(&crate::support::fixtures::fixture_layout(), &store);
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!("store_dir = {:?}\n", store.display().to_string())),
        ..Setup::default()
    });
    t.wait_for("Local (Berth)");
    t.harness.get_by_label("Local (Berth)").hover();
    let dir = store.display().to_string();
    t.until("the row's tooltip", |h| {
        text_where(h, |l| l == dir).is_some()
            && text_where(h, |l| l.contains(" images, ")).is_some()
            && text_where(h, |l| l.contains("bytes on disk")).is_some()
    });
}
