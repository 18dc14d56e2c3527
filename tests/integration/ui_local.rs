//! Local stores in the app: a layout directory that skopeo wrote from the test registry,
//! configured through the settings file, appears in the sidebar; its images open in the same
//! image view as a registry image (the config tab shows the fixture's Hangul label); and a
//! delete asks first, names what goes, removes it, and leaves a store that fsck passes.
//! Engines: one that is not there is a greyed-out row that says so; a real Podman service
//! shows its API version, and a delete that a container blocks asks before forcing.

use super::ui_common::{Setup, UiTest};
use crate::support::fixtures::api;
use crate::support::podman::Podman;
use crate::support::{self, Auth, TestEnv, process};
use berth::store::LayoutStore;
use egui_kittest::kittest::Queryable as _;
use std::path::{Path, PathBuf};

/// A layout holding `team/app/api:v1` as `api` and alpine 3.18 as `old`, named `lay`.
fn seeded_layout() -> PathBuf {
    let reg = support::registry(Auth::Anonymous);
    let dir = process::scratch_dir("ui-local-").join("lay");
    for (name, tag) in [("team/app/api:v1", "api"), ("library/alpine:3.18", "old")] {
        let (src, dst) = (reg.docker_ref(name), format!("oci:{}:{tag}", dir.display()));
        support::skopeo(&["copy", "--quiet", &src, &dst]);
    }
    dir
}

fn start(layout: &Path) -> UiTest {
    let berth_store = layout.with_file_name("berth-store");
    UiTest::with(Setup {
        settings_toml: Some(format!(
            "store_dir = {:?}\nlayout_stores = [{:?}]\n",
            berth_store.display().to_string(),
            layout.display().to_string()
        )),
        ..Setup::default()
    })
}

/// The app with Berth's store at `berth_store` and `podman` as its engine, once Podman has
/// answered.
fn start_with_podman(berth_store: &Path, podman: &Podman) -> UiTest {
    let mut t = UiTest::with(Setup {
        settings_toml: Some(format!(
            "store_dir = {:?}\nengine_socket = {:?}\n",
            berth_store.display().to_string(),
            podman.address()
        )),
        ..Setup::default()
    });
    t.until("Podman to answer", |h| {
        h.state()
            .local_rows()
            .iter()
            .any(|r| r.name == "Podman" && r.second.starts_with("API 1.41"))
    });
    t
}

#[test]
fn ui_local_layout_image_opens_in_the_image_view() {
    let layout = seeded_layout();
    let mut t = start(&layout);
    t.wait_for("Local (Berth)");
    t.until("the stores to answer", |h| {
        h.state().local_rows().iter().all(|r| r.answered)
    });
    let rows = t.harness.state().local_rows();
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Local (Berth)", "lay", "Docker", "Podman"]);
    let usage = LayoutStore::open(&layout)
        .expect("open")
        .usage()
        .expect("usage");
    assert_eq!(
        rows[1].state,
        format!("2 images, {}", berth::format::size(usage.total_bytes)),
        "disk usage per store"
    );
    // No engine runs for this test (no socket in settings, none at the default places).
    if !std::path::Path::new("/var/run/docker.sock").exists() {
        assert!(
            rows[2].unavailable && rows[2].state == "not found",
            "{:?}",
            rows[2]
        );
        let reason = rows[2].reason.as_deref().unwrap_or_default();
        assert!(
            reason.starts_with("No docker engine found. Looked at: ")
                && reason.contains("/var/run/docker.sock"),
            "the reason on hover: {reason}"
        );
    }
    t.click("lay");
    t.wait_for("2 images");
    t.click("api");
    t.wait_for(&format!("oci:{}:api", layout.display()));
    t.click("Config");
    t.wait_for(api::KOREAN_LABEL_VALUE);
    // Down opens the next image in the list.
    t.key(egui::Key::ArrowDown);
    t.wait_for(&format!("oci:{}:old", layout.display()));
    // Delete asks about the open image; Cancel leaves it.
    t.key(egui::Key::Delete);
    t.wait_for("Delete old?");
    t.wait_for("Removes the name old");
    t.click("Cancel");
    t.wait_gone("Delete old?");
    assert!(t.has("old"));
}

#[test]
fn ui_local_delete_asks_names_what_goes_and_removes_it() {
    let layout = seeded_layout();
    let mut t = start(&layout);
    t.click("lay");
    t.click("old");
    t.click("Delete…");
    t.wait_for("Delete old?");
    t.wait_for("Removes the name old");
    assert!(t.has("api"), "nothing goes before the confirmation");
    t.click("Delete");
    t.wait_gone("old");
    t.wait_for("1 image");
    assert!(t.has("api"), "the other image stays");

    let store = LayoutStore::open(&layout).expect("open");
    let names: Vec<_> = store
        .images()
        .expect("images")
        .into_iter()
        .filter_map(|i| i.reference)
        .collect();
    assert_eq!(names, ["api"]);
    let report = store.fsck().expect("fsck");
    assert!(report.is_clean(), "fsck after the delete: {report:?}");
}

#[test]
fn ui_local_podman_shows_its_api_and_asks_before_forcing_a_delete() {
    let reg = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let podman = Podman::start(&env, &[reg.host()]);
    let alpine = reg.image("library/alpine:3.19");
    podman.pull(&alpine);
    podman.create_container("blocker", &alpine);
    let mut t = start_with_podman(Path::new("/nonexistent/berth-store"), &podman);
    t.click("Podman");
    t.click(&alpine);
    t.wait_for(&format!("podman:{alpine}"));
    t.click("Files");
    t.wait_for("Files are not shown for engine images");
    t.click("Delete…");
    t.wait_for("Used by container blocker");
    t.wait_for("Force delete");
    assert!(
        podman.repo_tags().contains(&alpine),
        "nothing goes before the confirmation"
    );
    t.click("Force delete");
    t.wait_gone(&alpine);
    assert!(!podman.repo_tags().contains(&alpine));
}

/// Copy to… (with the "Berth store" suggestion), Export… and Import… on local images: each
/// runs as a job, and what lands in the destination store has the source's digest.
#[test]
fn ui_local_copy_export_and_import_keep_the_digest() {
    let layout = seeded_layout();
    let berth_store = layout.with_file_name("berth-store");
    let scratch = tempfile::tempdir().expect("temp dir");
    let tar = scratch.path().join("api.tar");
    let source = LayoutStore::open(&layout).expect("open");
    let digest_of = |store: &LayoutStore, name: &str| {
        store
            .images()
            .expect("images")
            .into_iter()
            .find(|i| i.reference.as_deref() == Some(name))
            .map(|i| i.digest)
    };
    let api = digest_of(&source, "api").expect("seeded");
    let mut t = start(&layout);
    t.click("lay");
    t.wait_for("2 images");
    t.click("api");
    let source_text = format!("oci:{}:api", layout.display());

    t.click("Copy to…");
    t.wait_for(&format!("Copy {source_text}"));
    t.click("Berth store");
    t.click("Copy image");
    t.wait_for(&format!("Finished: Copy {source_text} → berth:lay:api"));
    let berth = LayoutStore::open(&berth_store).expect("Berth's store");
    assert_eq!(digest_of(&berth, "lay:api"), Some(api.clone()));
    // The jobs panel opened over the list; out of the way again.
    t.click("Hide");

    t.click("Export…");
    t.replace_in("File", &tar.display().to_string());
    t.click("OCI archive");
    t.click("Export");
    t.wait_for(&format!("Finished: Save {source_text} → {}", tar.display()));
    assert!(tar.is_file());

    t.click("Local (Berth)");
    t.wait_for("1 image");
    t.click("Import…");
    t.type_into("Archive file", &tar.display().to_string());
    t.type_into("Name", "imported/api:v1");
    t.click("Import");
    t.wait_for(&format!(
        "Finished: Load {} → berth:imported/api:v1",
        tar.display()
    ));
    t.wait_for("2 images");
    assert_eq!(digest_of(&berth, "imported/api:v1"), Some(api));
    let report = berth.fsck().expect("fsck");
    assert!(report.is_clean(), "{report:?}");
}

/// A local image whose config is gone says so in the store's words, with Retry, and Retry
/// reads it again once the blob is back (it used to be called "invalid content").
#[test]
fn ui_local_missing_blob_is_named_and_retry_reads_again() {
    let layout = seeded_layout();
    let store = LayoutStore::open(&layout).expect("open");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).expect("index"))
            .expect("JSON");
    let api = manifest["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == "api")
        .expect("api")["digest"]
        .as_str()
        .expect("digest")
        .to_owned();
    let blob = |d: &str| {
        layout
            .join("blobs/sha256")
            .join(d.trim_start_matches("sha256:"))
    };
    let image: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blob(&api)).expect("manifest")).expect("JSON");
    let config = image["config"]["digest"]
        .as_str()
        .expect("config")
        .to_owned();
    let aside = layout.with_file_name("config-aside");
    std::fs::rename(blob(&config), &aside).expect("move the config away");

    let mut t = start(&layout);
    t.click("lay");
    t.click("api");
    let sentence = format!("Blob {config} is missing from {}.", layout.display());
    // Exactly the store's sentence (it used to be "api: invalid content: …").
    t.wait_for(&sentence);
    std::fs::rename(&aside, blob(&config)).expect("put it back");
    t.click("Retry");
    t.wait_gone(&sentence);
    t.wait_for("Total size");
    assert!(store.fsck().expect("fsck").is_clean());
}

/// An engine image's Files tab offers the way to its files: one click copies the image into
/// Berth's store (a job), where the layers can be read.
#[test]
fn ui_local_engine_image_is_copied_to_berth_for_its_files() {
    let reg = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let podman = Podman::start(&env, &[reg.host()]);
    let alpine = reg.image("library/alpine:3.19");
    podman.pull(&alpine);
    let berth_store = process::scratch_dir("ui-engine-").join("berth-store");
    let mut t = start_with_podman(&berth_store, &podman);
    t.click("Podman");
    t.click(&alpine);
    t.click("Files");
    t.wait_for("Files are not shown for engine images");
    t.click("Copy to Berth's store");
    t.until("the copy to finish", |h| {
        h.query_by(|n| {
            n.label()
                .or_else(|| n.value())
                .is_some_and(|l| l.starts_with("Finished: ") && l.contains(&alpine))
        })
        .is_some()
    });
    let names: Vec<String> = LayoutStore::open(&berth_store)
        .expect("Berth's store")
        .images()
        .expect("images")
        .into_iter()
        .filter_map(|i| i.reference)
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].contains("library/alpine:3.19"), "{names:?}");
}
