//! The layout store against skopeo, both ways: layouts skopeo writes are listed and inspected
//! with the digests skopeo reports; images Berth writes, tags and deletes are read back by
//! `skopeo inspect oci:DIR:TAG` and copied back into a registry. Plus fsck after deletes and
//! on a hand-corrupted blob, and concurrent writers on one store.

use crate::support::{self, Auth, FreshOptions, TestEnv, fixtures, process};
use berth::oci::{Digest, ImageName, LocalName, Platform};
use berth::store::layout::{BlobStatus, Descriptor, LayoutStore, RefName};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn skopeo_inspect(env: &TestEnv, target: &str) -> Value {
    serde_json::from_str(&env.skopeo(&["inspect", target])).expect("skopeo JSON")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "berth failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("berth JSON")
}

/// `berth --json fsck STORE`, as JSON.
fn fsck_json(env: &TestEnv, store: &str) -> Value {
    json(
        &env.berth()
            .args(["--json", "fsck", store])
            .output()
            .expect("fsck"),
    )
}

fn oci(dir: &Path, tag: &str) -> String {
    format!("oci:{}:{tag}", dir.display())
}

/// A layout with alpine:3.19 (`alpine`), alpine:3.18 (`old`) and nginx's whole index (`nginx`).
fn skopeo_layout(env: &TestEnv) -> PathBuf {
    let reg = support::registry(Auth::Anonymous);
    let dir = process::scratch_dir("layout-").join("lay");
    for (name, tag, all) in [
        ("library/alpine:3.19", "alpine", false),
        ("library/alpine:3.18", "old", false),
        ("library/nginx:latest", "nginx", true),
    ] {
        let mut args = vec!["copy", "--quiet"];
        if all {
            args.push("--all");
        }
        let (src, dst) = (reg.docker_ref(name), oci(&dir, tag));
        args.extend([src.as_str(), dst.as_str()]);
        env.skopeo(&args);
    }
    dir
}

#[tokio::test]
async fn skopeo_layouts_list_and_inspect_with_skopeos_digests() {
    let env = TestEnv::new();
    let dir = skopeo_layout(&env);
    let store = LayoutStore::open(&dir).expect("open");
    let images = store.images().expect("images");
    let names: Vec<_> = images.iter().filter_map(|i| i.reference.clone()).collect();
    assert_eq!(names, ["alpine", "old", "nginx"]);

    let alpine = skopeo_inspect(&env, &oci(&dir, "alpine"));
    assert_eq!(images[0].digest.as_str(), alpine["Digest"]);
    assert_eq!(
        alpine["Digest"],
        fixtures::seeded_digest("library/alpine:3.19")
    );
    let detail = store
        .inspect_image(&LocalName::parse("alpine"), &Platform::host())
        .expect("inspect");
    assert_eq!(detail.digest.as_str(), alpine["Digest"]);
    let image = detail.image.expect("image");
    let layers: Vec<&str> = image.layers.iter().map(|l| l.digest.as_str()).collect();
    assert_eq!(Value::from(layers), alpine["Layers"]);
    let labels = &image.config.expect("config").config.labels;
    assert_eq!(labels["org.opencontainers.image.version"], "3.19");

    // The index: the entry itself and the chosen platform's manifest match skopeo's.
    let nginx_raw: Value =
        serde_json::from_str(&env.skopeo(&["inspect", "--raw", &oci(&dir, "nginx")])).expect("raw");
    assert_eq!(images[2].platforms.len(), 3);
    let arm = Platform::parse("linux/arm64").expect("platform");
    let d = store
        .inspect_image(&LocalName::parse("nginx"), &arm)
        .expect("inspect nginx");
    assert_eq!(
        d.platforms.len(),
        nginx_raw["manifests"].as_array().expect("manifests").len()
    );
    assert_eq!(
        d.digest.as_str(),
        fixtures::seeded_digest("library/nginx:latest")
    );
    let arm_entry = &nginx_raw["manifests"][1];
    assert_eq!(
        d.image.expect("arm image").digest.as_str(),
        arm_entry["digest"]
    );

    // The CLI lists the same, as JSON.
    let v = json(
        &env.berth()
            .args(["--json", "images", &format!("oci:{}", dir.display())])
            .output()
            .expect("berth"),
    );
    assert_eq!(v["images"][0]["digest"], alpine["Digest"]);
    assert_eq!(v["usage"]["images"], 3);
    assert_eq!(v["usage"]["reclaimable_bytes"], 0);
}

/// Writes the fixture layout's `api-v1` into `store` through the blob-write API, as a pull
/// does: every blob streamed and verified, then the reference committed.
fn write_api_v1(store: &LayoutStore, name: &str, alone: bool) -> Descriptor {
    let fixture = LayoutStore::open(&fixtures::fixture_layout()).expect("fixture layout");
    let index = fixture.read_index().expect("fixture index");
    let entry = index
        .manifests
        .iter()
        .find(|d| d.ref_name().tag.as_deref() == Some("api-v1"))
        .expect("api-v1")
        .clone();
    let manifest: Value =
        serde_json::from_slice(&fixture.read_blob(&entry.digest, 1 << 20).expect("manifest"))
            .expect("json");
    let mut blobs = vec![(entry.digest.clone(), entry.size)];
    for d in
        std::iter::once(&manifest["config"]).chain(manifest["layers"].as_array().expect("layers"))
    {
        blobs.push((
            Digest::parse(d["digest"].as_str().expect("digest")).expect("digest"),
            d["size"].as_u64().expect("size"),
        ));
    }
    if alone {
        // A reference may not be committed before every blob it needs is there.
        let err = store
            .commit_ref(
                &RefName::image(&ImageName::parse(name)),
                Descriptor::new(&entry.media_type, entry.digest.clone(), entry.size),
            )
            .expect_err("nothing written yet");
        assert_eq!(err.kind(), "missing_blob");
    }
    for (digest, size) in &blobs {
        let file = fixture.open_blob(digest).expect("fixture blob");
        let mut last = 0;
        let status = store
            .write_blob(file, digest, *size, &mut |done| last = done)
            .expect("write blob");
        if status == BlobStatus::Written {
            assert_eq!(last, *size);
        }
    }
    let descriptor = Descriptor::new(&entry.media_type, entry.digest.clone(), entry.size);
    store
        .commit_ref(&RefName::image(&ImageName::parse(name)), descriptor.clone())
        .expect("commit");
    descriptor
}

#[tokio::test]
async fn images_berth_writes_tags_and_deletes_are_read_back_by_skopeo() {
    let env = TestEnv::new();
    // Berth's own store, in the environment's data dir (no settings).
    let store_dir = env.data_home().join("berth/store");
    ok(&env.berth().args(["images"]).output().expect("berth images"));
    assert!(
        store_dir.join("oci-layout").is_file(),
        "berth: is created in the data dir"
    );
    let store = LayoutStore::open(&store_dir).expect("open");
    let desc = write_api_v1(&store, "127.0.0.1:5000/team/app/api:v1", true);

    let listed = json(
        &env.berth()
            .args(["--json", "images", "berth:"])
            .output()
            .expect("berth"),
    );
    assert_eq!(
        listed["images"][0]["reference"],
        "127.0.0.1:5000/team/app/api:v1"
    );
    assert_eq!(listed["images"][0]["digest"], desc.digest.as_str());

    // skopeo reads what Berth wrote, by the tag annotation.
    let v = skopeo_inspect(&env, &oci(&store_dir, "v1"));
    assert_eq!(v["Digest"], desc.digest.as_str());

    // A tag Berth adds, read back by skopeo and copied back into a registry.
    ok(&env
        .berth()
        .args(["tag", "berth:team/app/api:v1", "berth:local/api:copy"])
        .output()
        .expect("tag"));
    let v = skopeo_inspect(&env, &oci(&store_dir, "copy"));
    assert_eq!(v["Digest"], desc.digest.as_str());
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    env.skopeo(&[
        "copy",
        "--quiet",
        "--preserve-digests",
        &oci(&store_dir, "copy"),
        &fresh.docker_ref("back/api:copy"),
    ]);
    let back = skopeo_inspect(&env, &fresh.docker_ref("back/api:copy"));
    assert_eq!(back["Digest"], desc.digest.as_str());

    // Deleting one name keeps the other (and every blob); skopeo sees exactly that.
    let out = json(
        &env.berth()
            .args(["--json", "rm", "--yes", "berth:api:v1"])
            .output()
            .expect("rm"),
    );
    assert_eq!(
        out["plans"][0]["removed_refs"],
        serde_json::json!(["127.0.0.1:5000/team/app/api:v1"])
    );
    assert_eq!(
        out["plans"][0]["kept_refs"],
        serde_json::json!(["local/api:copy"])
    );
    assert!(
        !env.skopeo_output(&["inspect", &oci(&store_dir, "v1")])
            .status
            .success()
    );
    assert_eq!(
        skopeo_inspect(&env, &oci(&store_dir, "copy"))["Digest"],
        desc.digest.as_str()
    );
    let fsck = json(&env.berth().args(["--json", "fsck"]).output().expect("fsck"));
    assert_eq!(fsck["clean"], true, "{fsck}");
}

#[test]
fn delete_leaves_fsck_clean_with_no_unreferenced_blob() {
    let env = TestEnv::new();
    let dir = skopeo_layout(&env);
    let lay = format!("oci:{}", dir.display());
    let dry = ok(&env
        .berth()
        .args(["rm", "--dry-run", &oci(&dir, "old")])
        .output()
        .expect("dry run"));
    assert!(dry.contains("  old\n") && dry.contains("Frees"), "{dry}");
    let refused = env
        .berth()
        .args(["rm", &oci(&dir, "old")])
        .output()
        .expect("rm");
    assert!(
        !refused.status.success(),
        "no TTY and no --yes must not delete"
    );

    for tag in ["old", "nginx"] {
        let out = json(
            &env.berth()
                .args(["--json", "rm", "--yes", &oci(&dir, tag)])
                .output()
                .expect("rm"),
        );
        assert_eq!(out["dry_run"], false);
        assert!(out["deleted"][0]["freed_bytes"].as_u64().expect("freed") > 0);
        let fsck = fsck_json(&env, &lay);
        assert_eq!(fsck["clean"], true, "{fsck}");
        assert_eq!(
            fsck["report"]["unreferenced"],
            serde_json::json!([]),
            "{fsck}"
        );
    }
    let v = skopeo_inspect(&env, &oci(&dir, "alpine"));
    assert_eq!(v["Digest"], fixtures::seeded_digest("library/alpine:3.19"));

    // A blob a cancelled pull left is reclaimable, not damage; prune removes it.
    let leftover = LayoutStore::open(&dir)
        .expect("open")
        .put_bytes(b"left by a cancelled pull")
        .expect("put");
    let fsck = fsck_json(&env, &lay);
    assert_eq!(fsck["clean"], true, "{fsck}");
    assert_eq!(
        fsck["report"]["unreferenced"],
        serde_json::json!([leftover.as_str()])
    );
    assert_eq!(fsck["report"]["reclaimable_bytes"], 24);
    // prune says what it frees first: a dry run removes nothing, and without a terminal it
    // asks for --yes.
    let dry = json(
        &env.berth()
            .args(["--json", "prune", "--dry-run", &lay])
            .output()
            .expect("prune"),
    );
    assert_eq!(dry["reclaimable_bytes"], 24, "{dry}");
    assert_eq!(dry["dry_run"], true);
    // The plan names the blob that goes, with its size, in JSON and in words.
    assert_eq!(
        dry["plan"]["blobs"],
        serde_json::json!([{"digest": leftover.as_str(), "size": 24}]),
        "{dry}"
    );
    let said = env
        .berth()
        .args(["prune", "--dry-run", &lay])
        .output()
        .expect("prune");
    let said = String::from_utf8_lossy(&said.stdout);
    assert!(said.contains(leftover.as_str()), "{said}");
    let refused = env.berth().args(["prune", &lay]).output().expect("prune");
    assert!(
        !refused.status.success(),
        "no TTY and no --yes must not prune"
    );
    assert!(dir.join("blobs/sha256").join(leftover.hex()).exists());
    let pruned = json(
        &env.berth()
            .args(["--json", "prune", "--yes", &lay])
            .output()
            .expect("prune"),
    );
    assert_eq!(
        pruned["report"]["removed"],
        serde_json::json!([leftover.as_str()])
    );
    // What is left is exactly alpine's closure: manifest, config, 2 layers.
    let blobs = std::fs::read_dir(dir.join("blobs/sha256"))
        .expect("blobs")
        .count();
    assert_eq!(blobs, 4);
}

#[test]
fn fsck_finds_a_blob_corrupted_by_hand() {
    let env = TestEnv::new();
    let dir = skopeo_layout(&env);
    let lay = format!("oci:{}", dir.display());
    ok(&env.berth().args(["fsck", &lay]).output().expect("fsck"));
    let layer = skopeo_inspect(&env, &oci(&dir, "alpine"))["Layers"][1]
        .as_str()
        .expect("layer")
        .to_owned();
    let path = dir
        .join("blobs/sha256")
        .join(layer.trim_start_matches("sha256:"));
    let mut bytes = std::fs::read(&path).expect("layer");
    bytes[10] ^= 0xff;
    std::fs::write(&path, bytes).expect("corrupt");

    let out = env.berth().args(["fsck", &lay]).output().expect("fsck");
    assert!(!out.status.success(), "fsck must fail on a corrupt blob");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("corrupt blob {layer}")));
    let out = env
        .berth()
        .args(["--json", "fsck", &lay])
        .output()
        .expect("fsck");
    // One JSON document: the report, with the failure inside it.
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON value");
    assert_eq!(v["clean"], false);
    assert!(
        v["error"]["message"]
            .as_str()
            .expect("error")
            .contains("fsck found problems")
    );
    assert_eq!(v["report"]["corrupt"][0]["digest"], layer.as_str());
}

#[test]
fn concurrent_writers_keep_the_index_whole() {
    let env = TestEnv::new();
    let dir = skopeo_layout(&env);
    // Processes tag at once (the lock spans processes) while threads here write and commit.
    let children: Vec<_> = (0..8)
        .map(|i| {
            env.berth()
                .args(["tag", &oci(&dir, "alpine"), &format!("t{i}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn berth")
        })
        .collect();
    let store = LayoutStore::open(&dir).expect("open");
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || write_api_v1(&store, &format!("h/api:w{i}"), false))
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    for c in children {
        ok(&c.wait_with_output().expect("berth tag"));
    }
    let index = store.read_index().expect("index");
    assert_eq!(index.manifests.len(), 3 + 8 + 4);
    for i in 0..8 {
        let v = skopeo_inspect(&env, &oci(&dir, &format!("t{i}")));
        assert_eq!(v["Digest"], fixtures::seeded_digest("library/alpine:3.19"));
    }
    let report = store.fsck().expect("fsck");
    assert!(
        report.is_clean() && report.unreferenced.is_empty(),
        "{report:?}"
    );
}

#[test]
fn store_dir_setting_moves_berths_store() {
    let env = TestEnv::new();
    let settings = env.root().join("settings.toml");
    let elsewhere = env.root().join("elsewhere");
    std::fs::write(
        &settings,
        format!("store_dir = {:?}\n", elsewhere.display().to_string()),
    )
    .expect("settings");
    let out = env
        .berth()
        .args([
            "--settings",
            &settings.display().to_string(),
            "--json",
            "images",
        ])
        .output()
        .expect("berth");
    assert_eq!(json(&out)["store"], "berth");
    assert!(elsewhere.join("index.json").is_file());
    assert!(!env.data_home().join("berth/store").exists());
}

/// `berth … | head` closes the pipe before Berth is done writing: the command ends quietly,
/// with success and no panic, whether its output is JSON or lines of text.
#[test]
fn a_closed_stdout_ends_a_command_quietly() {
    let env = TestEnv::new();
    let dir = skopeo_layout(&env);
    let store = format!("oci:{}", dir.display());
    let old = oci(&dir, "old");
    for args in [
        vec!["images", store.as_str(), "--json"],
        vec!["images", store.as_str()],
        vec!["rm", old.as_str(), "--dry-run"],
    ] {
        let mut cmd = env.berth();
        cmd.args(&args);
        crate::support::assert_quiet_into_closed_pipe(cmd, &format!("{args:?}"));
    }
    assert!(
        LayoutStore::open(&dir)
            .expect("open")
            .images()
            .expect("images")
            .len()
            == 3,
        "a dry run deletes nothing"
    );
}
