//! The layer explorer in the app, against the real test registry: the Files tab of
//! `team/app/api:v1` (layer rows, efficiency, path filter by substring and glob, one layer's
//! changes, a directory that replaced a lower layer's symlink), and the Compare window on v1
//! and v2 with its clipboard summary. Driven by labels.

use super::ui_common::UiTest;
use crate::support::fixtures::api;
use crate::support::{self, Auth, FreshOptions, registry};
use berth::format::size;
use egui_kittest::kittest::NodeT as _;
use egui_kittest::kittest::Queryable as _;

const REPO_FILTER: &str = "Filter repositories (Ctrl+F)";

fn open_v1(t: &mut UiTest, host: &str) {
    t.click(host);
    t.type_into_hinted(REPO_FILTER, "team/app");
    t.click("team/app/api");
    t.click("v1");
}

/// Selects everything in the field labelled `label` and types `text` over it.
fn replace_text(t: &mut UiTest, label: &str, text: &str) {
    t.wait_for(label);
    t.harness.get_by_label(label).focus();
    t.harness.step();
    t.harness
        .key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    t.harness.step();
    t.harness.get_by_label(label).type_text(text);
    t.harness.step();
}

fn count(t: &UiTest, label: &str) -> usize {
    t.harness.query_all_by_label(label).count()
}

#[test]
fn ui_files_tab_lists_layers_and_filters_to_a_known_file() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_v1(&mut t, &reg.host());
    t.click("Files");

    // One row per layer, the merged tree, and the image's efficiency.
    for n in 1..=api::V1_LAYERS.len() {
        t.wait_for(&format!("Layer {n}"));
    }
    t.wait_for("etc");
    let final_bytes: u64 = api::V1_MERGED_FILE_SIZES.iter().map(|(_, s)| s).sum();
    t.wait_for(&format!(
        "{} wasted of {} in files",
        size(api::V1_WASTED_BYTES),
        size(final_bytes + api::V1_WASTED_BYTES)
    ));
    t.wait_for(api::V1_WASTED_FILES[0].0);
    assert!(
        !t.has(api::KOREAN_FILE),
        "directories start closed: the file is not on screen yet"
    );

    // A substring opens every directory on the way to the matches.
    t.type_into("Filter paths", "한글");
    t.wait_for(api::KOREAN_FILE);
    t.wait_for("app");
    assert!(!t.has("etc"), "etc holds no match");

    // A glob; the footer counts what it kept. The wasted list names etc/config.toml too,
    // so the tree's row is the second node with that name.
    replace_text(&mut t, "Filter paths", "*.toml");
    t.wait_for(&format!("1 file, {}", size(1200)));
    assert_eq!(count(&t, "etc/config.toml"), 2, "the tree shows the match");
    assert!(!t.has(api::KOREAN_FILE));

    // Escape in the field clears it: the whole image again, directories closed.
    t.harness.get_by_label("Filter paths").focus();
    t.key(egui::Key::Escape);
    t.wait_for(&format!(
        "{} files, {}",
        api::V1_MERGED_FILE_SIZES.len(),
        size(final_bytes)
    ));
    assert_eq!(
        count(&t, "etc/config.toml"),
        1,
        "only the wasted list names it"
    );

    // The last layer on its own: what the cleanup step added, opened at once.
    t.click("Layer 4 only");
    t.wait_for("var/lib/data/new.txt");
    assert!(!t.has("etc"), "the cleanup layer does not touch etc");
}

#[test]
fn ui_compare_v1_with_v2_shows_the_known_differences() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_v1(&mut t, &reg.host());
    t.click("Compare…");
    // A is the image on screen; B is typed as any reference.
    t.wait_for("Image A");
    replace_text(&mut t, "Image B", "team/app/api:v2");
    t.click("Compare");

    let (added, added_size) = api::V1_TO_V2_ADDED[0];
    let (removed, removed_size) = api::V1_TO_V2_REMOVED[0];
    let (changed, _, _) = api::V1_TO_V2_CHANGED[0];
    // app/VERSION keeps its size and changes its bytes: changed by content.
    let heading = format!(
        "Files: 1 added ({}), 1 removed ({}), 2 changed",
        size(added_size),
        size(removed_size)
    );
    t.wait_for(&heading);
    for path in [added, removed, changed, api::VERSION_FILE] {
        t.wait_for(path);
    }
    t.until("the line that says what changed means", |h| {
        h.query_by(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with("Changed: ") && l.contains("SHA-256"))
        })
        .is_some()
    });
    t.wait_for("Config: 2 differences");
    t.until("the layers heading", |h| {
        h.query_by(|n| {
            n.label().is_some_and(|l| {
                l.starts_with("Layers: 3 shared (") && l.contains(", 1 only in A (")
            })
        })
        .is_some()
    });

    t.click("Copy summary");
    let copied: Vec<&str> = t
        .harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let [summary] = copied.as_slice() else {
        panic!("one text copied, got {copied:?}");
    };
    assert!(summary.contains(&heading), "summary: {summary}");
    for line in [
        format!("+ {added} ({})", size(added_size)),
        format!("- {removed} ({})", size(removed_size)),
        format!("~ {changed} ("),
        format!("~ {} (content ", api::VERSION_FILE),
        "~ env APP_ENV: production → staging".to_owned(),
    ] {
        assert!(summary.contains(&line), "{line:?} in summary: {summary}");
    }
}

#[test]
fn ui_files_tab_shows_a_damaged_layer_in_place_and_the_rest_of_the_tree() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let manifest = reg
        .get(
            "/v2/team/app/api/manifests/v1",
            &[("Accept", "application/vnd.oci.image.manifest.v1+json")],
        )
        .json();
    let digest = manifest["layers"][0]["digest"]
        .as_str()
        .expect("layer digest")
        .to_owned();
    let data = reg.blob_data_path(&digest);
    let mut bytes = std::fs::read(&data).expect("blob data");
    let at = bytes.len() * 3 / 4;
    for b in &mut bytes[at..at + 16] {
        *b ^= 0x55;
    }
    std::fs::write(&data, bytes).expect("corrupt the blob");

    let mut t = UiTest::start(&[reg.url()]);
    open_v1(&mut t, &reg.host());
    t.click("Files");
    t.wait_for("One layer is damaged: the tree shows what was read before the damage.");
    // The error sits under its layer's row, before the next layer.
    let labels: Vec<String> = t
        .harness
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            n.label().or_else(|| n.value())
        })
        .collect();
    let at = |wanted: &dyn Fn(&str) -> bool| labels.iter().position(|l| wanted(l));
    let row_1 = at(&|l| l == "Layer 1").expect("layer 1 row");
    let error = at(&|l| l.starts_with("⚠ ")).expect("the error is shown");
    let row_2 = at(&|l| l == "Layer 2").expect("layer 2 row");
    assert!(row_1 < error && error < row_2, "{labels:?}");
    assert!(
        !labels[error].contains(&digest),
        "the row names the layer already"
    );

    // The layers above the damaged one are whole: their files are there.
    t.type_into("Filter paths", "한글");
    t.wait_for(api::KOREAN_FILE);
}

/// Compare takes any source: here B is v2 in an OCI layout on disk (`oci:DIR:TAG`).
#[test]
fn ui_compare_a_registry_image_with_one_in_a_local_layout() {
    let reg = registry(Auth::Anonymous);
    let mut t = UiTest::start(&[reg.url()]);
    open_v1(&mut t, &reg.host());
    t.click("Compare…");
    t.wait_for("Image A");
    let layout = crate::support::fixtures::fixture_layout();
    replace_text(
        &mut t,
        "Image B",
        &format!("oci:{}:api-v2", layout.display()),
    );
    t.click("Compare");
    let (added, added_size) = api::V1_TO_V2_ADDED[0];
    let (removed, removed_size) = api::V1_TO_V2_REMOVED[0];
    t.wait_for(&format!(
        "Files: 1 added ({}), 1 removed ({}), 2 changed",
        size(added_size),
        size(removed_size)
    ));
    t.wait_for(added);
    t.wait_for(removed);
    t.wait_for(api::VERSION_FILE);
}

/// A later layer's `link/x` over an earlier symlink `link` makes `link` a directory: its
/// details in the merged view say it replaced a symbolic link, and of which layer.
#[test]
fn ui_a_directory_that_replaced_a_symlink_says_so() {
    use super::extract::{Raw, push, raw_tar};
    let base = raw_tar(&[Raw::Dir("usr/"), Raw::Symlink("link", "usr")]);
    let top = raw_tar(&[Raw::File("link/x", b"x\n")]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push(&reg, "merge/relink:t", &[base, top]);
    let mut t = UiTest::start(&[reg.url()]);
    t.click(&reg.host());
    t.click("merge/relink");
    t.click("t");
    t.click("Files");
    t.click("link");
    t.wait_for("Modified by layer 2: extract test");
    t.wait_for("Replaced a symbolic link from layer 1: this layer made the path a directory.");

    // `berth files --merged` says the same, in its line and in its JSON.
    let image = format!("http://{}", reg.image("merge/relink:t"));
    let run = |json: bool| {
        let mut args = vec!["files", "--merged", image.as_str()];
        if json {
            args.insert(1, "--json");
        }
        let out = support::berth_cmd().args(&args).output().expect("berth");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let human = run(false);
    assert!(
        human
            .lines()
            .any(|l| l.ends_with(" link (replaced a symlink from layer 1)")),
        "{human}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(true)).expect("JSON");
    let link = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "link")
        .expect("link");
    assert_eq!(
        link["replaced"],
        serde_json::json!({"type": "symlink", "layer": 1})
    );
    assert_eq!(link["type"], "dir");
}
