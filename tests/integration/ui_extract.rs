//! Save… and Save folder… in the Files tab (issue 21), against the real test registry: a
//! file of `team/app/api:v1` saved to a typed path holds the same bytes `berth extract` writes,
//! a folder saved as a tree (from its row's menu) or as a tar holds the same files, through the
//! Extract job in the jobs panel, which names what it skipped; a layer's version; an `oci:`
//! layout's image; the button fits at 800×600.

use super::extract::{Raw, push, raw_tar, snapshot};
use super::ui_common::{Setup, UiTest};
use crate::support::{self, Auth, FreshOptions, process, registry};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use std::path::Path;

const REPO_FILTER: &str = "Filter repositories (Ctrl+F)";

/// `berth extract REF PATH --to DIR` (into a fresh directory), which must succeed.
fn cli_extract(image: &str, path: &str, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    let out = support::berth_cmd()
        .args(["extract", image, path, "--to"])
        .arg(to)
        .output()
        .expect("run berth");
    assert!(
        out.status.success(),
        "berth extract: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Steps frames until `n` jobs in the panel say they are done.
fn wait_done(t: &mut UiTest, n: usize) {
    t.until(&format!("{n} finished jobs"), |h| {
        h.query_all_by_label("Done").count() >= n
    });
}

#[test]
fn ui_save_a_file_and_a_folder_gives_what_berth_extract_gives() {
    let reg = registry(Auth::Anonymous);
    let image = format!("http://{}", reg.image("team/app/api:v1"));
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.type_into_hinted(REPO_FILTER, "team/app");
    t.click("team/app/api");
    t.click("v1");
    t.click("Files");
    t.wait_for("etc");
    assert!(
        t.harness
            .get_by_label("Save…")
            .accesskit_node()
            .is_disabled(),
        "nothing is selected yet"
    );

    // A file, saved to a typed path.
    t.click("etc");
    t.click("etc/os-release");
    t.click("Save…");
    let saved = t.dir.path().join("saved-os-release");
    t.replace_in("Save to", saved.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 1);
    let scratch = process::scratch_dir("ui-extract-");
    cli_extract(&image, "etc/os-release", &scratch.join("file"));
    let expected = std::fs::read(scratch.join("file/os-release")).expect("cli file");
    assert_eq!(expected.len(), 96, "the fixture's os-release");
    assert_eq!(std::fs::read(&saved).expect("saved file"), expected);

    // A folder, from its row's context menu, saved as a tree into an existing folder. (At
    // this width the selected file's viewer stands in the tree's place: back to the tree.)
    t.click("← Back to the tree");
    t.wait_for("app");
    t.harness.get_by_label("app").click_secondary();
    t.harness.run_steps(2);
    t.click("Save folder…");
    t.wait_for("As a folder tree");
    let into = t.dir.path().join("into");
    std::fs::create_dir_all(&into).expect("into");
    t.replace_in("Into the folder", into.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 2);
    cli_extract(&image, "app", &scratch.join("folder"));
    let by_cli = snapshot(&scratch.join("folder/app"));
    assert!(by_cli.len() > 5, "the folder has files: {by_cli:?}");
    assert_eq!(snapshot(&into.join("app")), by_cli);

    // A folder as a tar, from the toolbar: `tar -x` of it gives what berth extract gives.
    // (The jobs panel is docked under the view, so the pointer reaches the row.)
    t.harness.get_by_label("etc").click();
    t.harness.run_steps(2);
    t.harness.get_by_label("Save folder…").click();
    t.harness.run_steps(2);
    t.click("As a tar file");
    let tar = t.dir.path().join("etc.tar");
    t.replace_in("Save to", tar.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 3);
    let untarred = scratch.join("untarred");
    std::fs::create_dir_all(&untarred).expect("untarred");
    let status = std::process::Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(&untarred)
        .status()
        .expect("tar");
    assert!(status.success());
    cli_extract(&image, "etc", &scratch.join("etc"));
    let by_cli = snapshot(&scratch.join("etc/etc"));
    assert_eq!(by_cli.len(), 2, "config.toml and os-release: {by_cli:?}");
    assert_eq!(snapshot(&untarred.join("etc")), by_cli);

    // One layer's version, in the per-layer view: what `berth extract --layer 4` gives.
    t.click("Layer 4 only");
    t.wait_for("var/lib/data/new.txt");
    t.harness
        .get_by_label("var/lib/data/new.txt")
        .click_accesskit();
    t.harness.run_steps(2);
    t.click("Save…");
    t.wait_for("From layer 4 only");
    let layer_file = t.dir.path().join("new-from-layer-4.txt");
    t.replace_in("Save to", layer_file.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 4);
    let by_layer = scratch.join("layer");
    std::fs::create_dir_all(&by_layer).expect("mkdir");
    let out = support::berth_cmd()
        .args([
            "extract",
            &image,
            "var/lib/data/new.txt",
            "--layer",
            "4",
            "--to",
        ])
        .arg(&by_layer)
        .output()
        .expect("run berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = std::fs::read(by_layer.join("new.txt")).expect("cli file");
    assert_eq!(expected.len(), 50, "the fixture's new.txt");
    assert_eq!(std::fs::read(&layer_file).expect("saved"), expected);
}

#[test]
fn ui_save_button_stays_in_the_window_at_800x600() {
    let reg = registry(Auth::Anonymous);
    let size = egui::vec2(800.0, 600.0);
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        size,
        ..Setup::default()
    });
    t.click(&reg.host());
    t.type_into_hinted(REPO_FILTER, "team/app");
    t.click("team/app/api");
    t.click("v1");
    t.click("Files");
    t.click("etc");
    // At this width Save… waits in the tree's menu, with the sort and Expand/Collapse all.
    t.click("Tree options");
    t.wait_for("Save folder…");
    t.harness.run_steps(2);
    for label in ["Save folder…", "Expand all", "Collapse all", "Filter paths"] {
        let r = t.harness.get_by_label(label).rect();
        assert!(
            r.max.x <= size.x + 0.5 && r.max.y <= size.y + 0.5,
            "{label} at {r:?} is past the {size:?} window"
        );
    }
}

#[test]
fn ui_save_a_file_of_an_image_in_a_local_layout() {
    let reg = registry(Auth::Anonymous);
    let layout = process::scratch_dir("ui-extract-layout-").join("lay");
    let dst = format!("oci:{}:api", layout.display());
    support::skopeo(&["copy", "--quiet", &reg.docker_ref("team/app/api:v1"), &dst]);
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "store_dir = {:?}\nlayout_stores = [{:?}]\n",
            layout.with_file_name("berth-store").display().to_string(),
            layout.display().to_string()
        )),
        ..Setup::default()
    });
    t.click("lay");
    t.click("api");
    t.click("Files");
    t.click("etc");
    t.click("etc/os-release");
    t.click("Save…");
    let saved = t.dir.path().join("os-release");
    t.replace_in("Save to", saved.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 1);
    let scratch = process::scratch_dir("ui-extract-layout-cli-");
    cli_extract(&dst, "etc/os-release", &scratch);
    let expected = std::fs::read(scratch.join("os-release")).expect("cli file");
    assert_eq!(expected.len(), 96, "the fixture's os-release");
    assert_eq!(std::fs::read(&saved).expect("saved file"), expected);
}

#[test]
fn ui_a_save_that_skips_an_entry_names_it_in_the_jobs_panel() {
    let layer = raw_tar(&[
        Raw::Dir("sub/"),
        Raw::File("sub/ok.txt", b"fine\n"),
        Raw::File("sub/../../up", b"up\n"),
    ]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push(&reg, "extract/skips:t", &[layer]);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.click("extract/skips");
    t.click("t");
    t.click("Files");
    t.click("sub");
    t.click("Save folder…");
    // The folder starts as the user's download directory itself.
    let downloads = t.dir.path().join("Downloads").display().to_string();
    t.wait_for("Into the folder");
    assert_eq!(t.field_value("Into the folder"), Some(downloads));
    let into = t.dir.path().join("into");
    std::fs::create_dir_all(&into).expect("into");
    t.replace_in("Into the folder", into.to_str().expect("utf-8"));
    t.click("Save");
    wait_done(&mut t, 1);
    t.wait_for("1 entry skipped");
    t.wait_for("skipped sub/..: the name contains \"..\"");
    assert_eq!(
        std::fs::read(into.join("sub/ok.txt")).expect("ok"),
        b"fine\n"
    );
    let written: Vec<_> = std::fs::read_dir(&into)
        .expect("into")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(written, ["sub"], "nothing but the folder");
    assert!(
        !t.dir.path().join("up").exists() && !into.join("up").exists(),
        "nothing above the destination"
    );
}
