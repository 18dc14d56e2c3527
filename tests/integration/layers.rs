//! The layer explorer and the image diff against the real registry and the fixture layout
//! (`team/app/api:v1`/`:v2`): per-layer listings against `tar -t`, the merged tree, wasted
//! bytes, registry and layout giving the same answers, the v1→v2 diff, the CLI, and a
//! corrupted blob in the registry.

use crate::registry_read::{at, client, repo_name};
use crate::support::fixtures::{self, api};
use crate::support::{self, Auth, FreshOptions, TestRegistry};
use berth::layers::diff::{Difference, FileChangeKind};
use berth::layers::{self, BlobSource, FileTree, LayerCache, LayerRead, MergedImage};
use berth::oci::Platform;
use berth::oci::image::ImageInfo;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

/// (field, key, value in A, value in B)
type ConfigRow<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

async fn from_registry(reg: &TestRegistry, name: &str) -> (ImageInfo, BlobSource) {
    let c = Arc::new(client(reg));
    let (repo, tag) = name.split_once(':').expect("repo:tag");
    let detail = c
        .inspect(&repo_name(repo), &at(tag), &Platform::host())
        .await
        .expect("inspect");
    let info = detail.image.expect("an image");
    (
        info,
        BlobSource::Registry {
            client: c,
            repository: repo_name(repo),
        },
    )
}

fn from_layout(tag: &str) -> (ImageInfo, BlobSource) {
    let dir = fixtures::fixture_layout();
    let info = layers::layout::read_image(&dir, Some(tag), &Platform::host()).expect("layout");
    (info, BlobSource::Layout { dir })
}

async fn load(info: &ImageInfo, source: &BlobSource, cache: Option<&LayerCache>) -> Vec<LayerRead> {
    let reads = layers::load_layers(source, &info.layers, cache, Arc::new(|_| {})).await;
    for r in &reads {
        assert!(r.error.is_none(), "{:?}", r.error);
    }
    reads
}

fn merged(reads: &[LayerRead]) -> MergedImage {
    layers::merge(&reads.iter().map(|r| &r.listing).collect::<Vec<_>>())
}

fn present_paths(tree: &FileTree) -> Vec<String> {
    let mut paths: Vec<String> = tree
        .walk()
        .filter(|(id, _)| !tree.node(*id).is_removed())
        .map(|(id, _)| tree.path_display(id))
        .collect();
    paths.sort();
    paths
}

fn tar_names(blob: &std::path::Path, media_type: &str) -> Vec<String> {
    let mut cmd = std::process::Command::new("tar");
    cmd.env("LC_ALL", "C.UTF-8").arg("-t");
    if media_type.ends_with("+gzip") {
        cmd.arg("-z");
    } else if media_type.ends_with("+zstd") {
        cmd.arg("--zstd");
    }
    let out = cmd.arg("-f").arg(blob).output().expect("tar");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8 names")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn v1_from_the_registry_is_exactly_the_fixture() {
    let reg = support::registry(Auth::Anonymous);
    let (info, source) = from_registry(reg, "team/app/api:v1").await;
    let media: Vec<&str> = info.layers.iter().map(|l| l.media_type.as_str()).collect();
    assert_eq!(media, api::LAYER_MEDIA_TYPES);
    let reads = load(&info, &source, None).await;
    // Every layer's list is what tar lists for the same blob.
    for (layer, read) in info.layers.iter().zip(&reads) {
        let blob = fixtures::layout_blob_path(layer.digest.as_str());
        let ours: Vec<String> = read
            .listing
            .iter()
            .map(|e| e.path_display().into_owned())
            .collect();
        assert_eq!(
            ours,
            tar_names(&blob, &layer.media_type),
            "{}",
            layer.digest
        );
    }
    let m = merged(&reads);
    assert_eq!(present_paths(&m.tree), api::V1_MERGED);
    let files: Vec<(String, u64)> = m
        .tree
        .walk()
        .filter(|(id, _)| {
            let n = m.tree.node(*id);
            !n.is_removed() && n.kind == layers::EntryKind::File
        })
        .map(|(id, _)| (m.tree.path_display(id), m.tree.node(id).size))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let expected: Vec<(String, u64)> = api::V1_MERGED_FILE_SIZES
        .iter()
        .map(|(p, s)| ((*p).to_owned(), *s))
        .collect();
    assert_eq!(files, expected);
    assert_eq!(m.efficiency.wasted_bytes, api::V1_WASTED_BYTES);
    let wasted: Vec<(&str, u64)> = m
        .efficiency
        .wasted
        .iter()
        .map(|w| (w.path.as_str(), w.bytes))
        .collect();
    assert_eq!(wasted, api::V1_WASTED_FILES);
    assert_eq!(
        m.efficiency.total_bytes - m.efficiency.wasted_bytes,
        m.tree.node(FileTree::ROOT).total_size
    );
}

#[tokio::test]
async fn registry_in_every_auth_mode_and_layout_give_the_same_listings() {
    let (info, source) = from_layout("api-v2");
    let from_disk = load(&info, &source, None).await;
    assert_eq!(
        merged(&from_disk).efficiency.wasted_bytes,
        api::V2_WASTED_BYTES
    );
    for auth in [Auth::Anonymous, Auth::Basic, Auth::Token] {
        let reg = support::registry(auth);
        let (info_r, source_r) = from_registry(reg, "team/app/api:v2").await;
        assert_eq!(info_r.digest, info.digest, "{auth:?}");
        let from_net = load(&info_r, &source_r, None).await;
        for (a, b) in from_disk.iter().zip(&from_net) {
            assert_eq!(a.listing, b.listing, "{auth:?}");
        }
    }
}

#[tokio::test]
async fn the_cache_answers_the_second_time() {
    let reg = support::registry(Auth::Anonymous);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::new(dir.path());
    let (info, source) = from_registry(reg, "team/app/api:v1").await;
    let first = load(&info, &source, Some(&cache)).await;
    let second = load(&info, &source, Some(&cache)).await;
    assert!(first.iter().all(|r| !r.cached) && second.iter().all(|r| r.cached));
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.listing, b.listing);
    }
    // A listing per layer, and a seek index per gzip or zstd layer (issue 22; a
    // single-frame zstd layer's has no frames).
    let indexed = info
        .layers
        .iter()
        .filter(|l| l.media_type.ends_with("+gzip") || l.media_type.ends_with("+zstd"))
        .count();
    assert!(info.layers.iter().any(|l| l.media_type.ends_with("+zstd")));
    assert_eq!(
        layers::clear_cache(dir.path()).expect("clear"),
        info.layers.len() + indexed
    );
}

#[tokio::test]
async fn v1_in_the_registry_against_v2_in_the_layout() {
    let reg = support::registry(Auth::Anonymous);
    let (a, source_a) = from_registry(reg, "team/app/api:v1").await;
    let (b, source_b) = from_layout("api-v2");
    let (tree_a, tree_b) = (
        merged(&load(&a, &source_a, None).await).tree,
        merged(&load(&b, &source_b, None).await).tree,
    );
    let d = layers::diff_images(
        a.config.as_ref(),
        &a.layers,
        &tree_a,
        b.config.as_ref(),
        &b.layers,
        &tree_b,
    );
    let config: Vec<ConfigRow<'_>> = d
        .config
        .iter()
        .map(|c| (c.field, c.key.as_deref(), c.a.as_deref(), c.b.as_deref()))
        .collect();
    assert_eq!(
        config,
        [
            ("env", Some("APP_ENV"), Some("production"), Some("staging")),
            (
                "labels",
                Some(api::V1_VERSION_LABEL.0),
                Some(api::V1_VERSION_LABEL.1),
                Some(api::V2_VERSION_LABEL.1)
            ),
        ]
    );
    assert_eq!(d.layers.shared.len(), 3);
    assert_eq!((d.layers.only_a.len(), d.layers.only_b.len()), (1, 1));
    assert_eq!(d.layers.only_a[0].index, 3);
    let mut expected: Vec<(String, FileChangeKind, u64, u64)> = Vec::new();
    for (p, s) in api::V1_TO_V2_ADDED {
        expected.push((p.to_owned(), FileChangeKind::Added, 0, s));
    }
    for (p, s) in api::V1_TO_V2_REMOVED {
        expected.push((p.to_owned(), FileChangeKind::Removed, s, 0));
    }
    for (p, x, y) in api::V1_TO_V2_CHANGED {
        expected.push((p.to_owned(), FileChangeKind::Changed, x, y));
    }
    for (path, text_a, text_b) in api::V1_TO_V2_CONTENT_CHANGED {
        let sizes = (text_a.len() as u64, text_b.len() as u64);
        expected.push((path.to_owned(), FileChangeKind::Changed, sizes.0, sizes.1));
    }
    expected.sort();
    let mut got: Vec<(String, FileChangeKind, u64, u64)> = d
        .files
        .changes
        .iter()
        .map(|c| {
            let size = |s: &Option<layers::diff::FileSide>| s.as_ref().map_or(0, |s| s.size);
            (c.path.clone(), c.change, size(&c.a), size(&c.b))
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    let differences = |path: &str| {
        d.files
            .changes
            .iter()
            .find(|c| c.path == path && c.change == FileChangeKind::Changed)
            .map(|c| c.differences.clone())
    };
    assert_eq!(
        differences(api::V1_TO_V2_CHANGED[0].0),
        Some(vec![Difference::Size, Difference::Content])
    );
    // Same size, other bytes: found by the files' SHA-256 alone.
    assert_eq!(
        differences(api::VERSION_FILE),
        Some(vec![Difference::Content])
    );
}

fn berth_json(args: &[&str]) -> Value {
    let out = support::berth_cmd().args(args).output().expect("run berth");
    assert!(
        out.status.success(),
        "berth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn cli_files_and_diff() {
    let reg = support::registry(Auth::Anonymous);
    let v1 = format!("http://{}", reg.image("team/app/api:v1"));
    let files = berth_json(&["files", "--json", "--merged", &v1]);
    let paths: Vec<&str> = files["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["change"] != "removed")
        .map(|f| f["path"].as_str().expect("path"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(paths, api::V1_MERGED);
    assert_eq!(files["efficiency"]["wasted_bytes"], api::V1_WASTED_BYTES);

    // Layers are numbered from 1, as in the window: the app layer is the second.
    let layer = berth_json(&[
        "files",
        "--json",
        "--layer",
        "2",
        &fixtures::layout_ref("api-v1"),
    ]);
    assert_eq!(layer["layer"]["index"], 2, "{}", layer["layer"]);
    let names: Vec<&str> = layer["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["path"].as_str().expect("path"))
        .collect();
    assert!(names.contains(&api::KOREAN_FILE), "{names:?}");

    let diff = berth_json(&["diff", "--json", &v1, &fixtures::layout_ref("api-v2")]);
    assert_eq!(diff["files"]["added"], 1);
    assert_eq!(diff["files"]["removed"], 1);
    assert_eq!(
        diff["files"]["changed"],
        api::V1_TO_V2_CHANGED.len() + api::V1_TO_V2_CONTENT_CHANGED.len()
    );
    assert_eq!(diff["layers"]["shared"].as_array().map(Vec::len), Some(3));
    // v1's own layer is its fourth, numbered from 1 as everywhere.
    assert_eq!(
        diff["layers"]["only_a"][0]["index"], 4,
        "{}",
        diff["layers"]
    );

    let human = support::berth_cmd()
        .args(["files", &v1])
        .output()
        .expect("berth");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("efficiency") && text.contains("var/cache/apt/pkgcache.bin"),
        "{text}"
    );
}

#[tokio::test]
async fn a_corrupted_layer_in_the_registry_names_the_layer_and_keeps_what_parsed() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let (info, source) = from_registry(&reg, "team/app/api:v1").await;
    let layer = &info.layers[0];
    let data = reg.blob_data_path(layer.digest.as_str());
    let mut bytes = std::fs::read(&data).expect("blob data");
    let at = bytes.len() * 3 / 4;
    for b in &mut bytes[at..at + 16] {
        *b ^= 0x55;
    }
    std::fs::write(&data, bytes).expect("corrupt the blob");
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = LayerCache::new(dir.path());
    let reads =
        layers::load_layers(&source, &info.layers[..1], Some(&cache), Arc::new(|_| {})).await;
    let error = reads[0].error.as_ref().expect("an error");
    assert_eq!(error.digest(), Some(&layer.digest), "{error}");
    assert!(error.to_string().contains(layer.digest.as_str()), "{error}");
    assert!(
        !reads[0].listing.is_empty(),
        "entries before the damage stay"
    );
    assert!(
        cache.get(&layer.digest).is_none(),
        "a damaged layer is never cached"
    );

    let (stderr, out) = support::berth_failing(&[
        "files",
        "--no-cache",
        "--layer",
        "1",
        &format!("http://{}", reg.image("team/app/api:v1")),
    ]);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(layer.digest.as_str()), "{stderr}");
    assert!(!out.stdout.is_empty(), "what parsed is still printed");
}

#[test]
fn cli_reads_berths_own_store() {
    let env = support::TestEnv::new();
    let store = env.data_home().join("berth").join("store");
    support::process::copy_tree(&fixtures::fixture_layout(), &store);
    let out = env
        .berth()
        .args(["files", "--json", "--merged", "berth:api-v1"])
        .output()
        .expect("berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["efficiency"]["wasted_bytes"], api::V1_WASTED_BYTES);
    // The listings went to this environment's cache (beside the gzip layers' seek indexes).
    let cached = std::fs::read_dir(env.cache_home().join("berth").join("layers"))
        .expect("cache dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "lyr"))
        })
        .count();
    assert_eq!(cached, 4);
}

/// `/app/VERSION` holds `v1` in one image and `v2` in the other, at one size: `berth diff`
/// says it changed, by content, in JSON (with each side's SHA-256) and in text (with what
/// "changed" means); `berth files --json` gives the file's SHA-256.
#[test]
fn cli_diff_reports_a_file_changed_by_content_alone() {
    let reg = support::registry(Auth::Anonymous);
    let v1 = format!("http://{}", reg.image("team/app/api:v1"));
    let v2 = format!("http://{}", reg.image("team/app/api:v2"));
    let (path, text_a, text_b) = api::V1_TO_V2_CONTENT_CHANGED[0];
    let sha =
        |text: &str| support::oci::sha256_digest(text.as_bytes())["sha256:".len()..].to_owned();

    let diff = berth_json(&["diff", "--json", &v1, &v2]);
    let change = diff["files"]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not among the changes: {diff}"));
    assert_eq!(change["change"], "changed", "{change}");
    assert_eq!(
        change["differences"],
        serde_json::json!(["content"]),
        "{change}"
    );
    assert_eq!(change["a"]["size"], change["b"]["size"]);
    assert_eq!(change["a"]["sha256"], sha(text_a).as_str());
    assert_eq!(change["b"]["sha256"], sha(text_b).as_str());

    let out = support::berth_cmd()
        .args(["diff", &v1, &v2])
        .output()
        .expect("berth diff");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("~ {path} (")))
        .unwrap_or_else(|| panic!("no changed line for {path}:\n{text}"));
    assert!(line.contains("content sha256:"), "{line}");
    assert!(
        text.contains("2 changed") && text.contains("SHA-256"),
        "the counts and what changed means:\n{text}"
    );

    let files = berth_json(&["files", "--json", "--merged", &v1]);
    let file = files["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not in v1's files"));
    assert_eq!(file["sha256"], sha(text_a).as_str());
}

/// `files` numbers layers from 1 everywhere (`--layer`, the overview, the merged tree and the
/// wasted list); `--layer 0` and a number past the last layer say which numbers there are.
#[test]
fn cli_files_numbers_layers_from_one() {
    let v1 = fixtures::layout_ref("api-v1");
    let count = api::V1_LAYERS.len();
    let overview = berth_json(&["files", "--json", &v1]);
    let indexes: Vec<u64> = overview["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["index"].as_u64().expect("index"))
        .collect();
    assert_eq!(indexes, (1..=count as u64).collect::<Vec<_>>());

    let merged = berth_json(&["files", "--json", "--merged", &v1]);
    let layer_of = |path: &str| {
        merged["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["path"] == path)
            .map_or_else(
                || panic!("{path} is not in the merged tree"),
                |f| f["layer"].clone(),
            )
    };
    // The base layer made /bin; the third (the config layer) rewrote etc/config.toml.
    assert_eq!(layer_of("bin"), 1);
    assert_eq!(layer_of("app/static/index.html"), 3);
    let wasted = merged["efficiency"]["wasted"].as_array().expect("wasted");
    assert!(
        wasted
            .iter()
            .flat_map(|w| w["layers"].as_array().expect("layers"))
            .all(|l| (1..=count as u64).contains(&l.as_u64().expect("layer"))),
        "{wasted:?}"
    );

    for n in ["0", &(count + 1).to_string()] {
        let (stderr, _) = support::berth_failing(&["files", "--layer", n, &v1]);
        assert!(
            stderr.contains(&format!("has no layer {n}"))
                && stderr.contains(&format!("numbered 1 to {count}")),
            "--layer {n}: {stderr}"
        );
    }
}
