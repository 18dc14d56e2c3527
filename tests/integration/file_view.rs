//! One file of an image (issue 21): `berth cat` against the real registry gives exactly the
//! bytes `tar` extracts from the layer skopeo copied; the merged view follows symlinks and
//! hard links; versions of a file modified or removed by later layers; a whited-out path and
//! a directory fail clearly; a listing whose per-file hash does not match the bytes is caught.

use crate::support::fixtures::{self, api};
use crate::support::{self, Auth};
use berth::layers::{self, BlobSource, EntryKind, VersionKind, file_read};
use berth::oci::Platform;
use std::path::Path;
use std::process::Output;

fn cat(env: &support::TestEnv, args: &[&str]) -> Output {
    env.berth()
        .arg("cat")
        .args(args)
        .output()
        .expect("run berth")
}

/// `path` as GNU tar extracts it from `blob` (a layer file skopeo wrote).
fn tar_extract(blob: &Path, media_type: &str, path: &str) -> Vec<u8> {
    let mut cmd = std::process::Command::new("tar");
    cmd.arg("-xO");
    if media_type.ends_with("+gzip") {
        cmd.arg("-z");
    } else if media_type.ends_with("+zstd") {
        cmd.arg("--zstd");
    }
    let out = cmd.arg("-f").arg(blob).arg(path).output().expect("tar");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn cat_gives_the_bytes_tar_extracts_from_the_layer_skopeo_copied() {
    let reg = support::registry(Auth::Anonymous);
    let env = support::TestEnv::new();
    let image = format!("http://{}", reg.image("team/app/api:v1"));
    let copied = tempfile::tempdir().expect("tempdir");
    let dest = format!("dir:{}", copied.path().display());
    env.skopeo(&["copy", &reg.docker_ref("team/app/api:v1"), &dest]);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(copied.path().join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let layer = |n: usize| {
        let l = &manifest["layers"][n - 1];
        let digest = l["digest"].as_str().expect("digest");
        let hex = digest.trim_start_matches("sha256:");
        (
            copied.path().join(hex),
            l["mediaType"].as_str().expect("type").to_owned(),
        )
    };
    // (path in the merged view, layer that holds it, path in that layer's tar)
    let cases = [
        (api::VERSION_FILE, 4, api::VERSION_FILE),
        ("bin/busybox", 1, "bin/busybox"),
        ("etc/config.toml", 3, "etc/config.toml"),
        (api::KOREAN_FILE, 2, api::KOREAN_FILE),
        // A hard link reads its target; a symlink is followed inside the image.
        ("bin/sh", 1, "bin/busybox"),
        ("/usr/bin/env", 1, "bin/busybox"),
    ];
    for (path, n, in_tar) in cases {
        let (blob, media_type) = layer(n);
        let expected = tar_extract(&blob, &media_type, in_tar);
        let out = cat(&env, &[&image, path]);
        assert!(
            out.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!expected.is_empty());
        assert_eq!(out.stdout, expected, "{path}");
    }
    // Layer 1's own version of a file a later layer replaced.
    let (blob, media_type) = layer(1);
    let out = cat(&env, &["--layer", "1", &image, "etc/config.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.stdout,
        tar_extract(&blob, &media_type, "etc/config.toml")
    );
    assert_eq!(out.stdout.len(), 1000);
}

#[test]
fn cat_of_a_removed_path_or_a_directory_fails_clearly() {
    let reg = support::registry(Auth::Anonymous);
    let env = support::TestEnv::new();
    let image = format!("http://{}", reg.image("team/app/api:v1"));
    let removed = cat(&env, &[&image, "/var/cache/apt/pkgcache.bin"]);
    assert!(!removed.status.success());
    assert!(removed.stdout.is_empty());
    let text = String::from_utf8_lossy(&removed.stderr);
    assert!(
        text.contains("var/cache/apt/pkgcache.bin") && text.contains("removed by layer 4"),
        "{text}"
    );
    let opaque = cat(&env, &[&image, "var/lib/data/old1.txt"]);
    assert!(String::from_utf8_lossy(&opaque.stderr).contains("removed by layer 4"));
    let dir = cat(&env, &[&image, "etc"]);
    assert!(!dir.status.success());
    assert!(
        String::from_utf8_lossy(&dir.stderr).contains("is a directory"),
        "{}",
        String::from_utf8_lossy(&dir.stderr)
    );
    let missing = cat(&env, &[&image, "no/such/file"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file"));
    let json = env
        .berth()
        .args(["--json", "cat", &image, "etc"])
        .output()
        .expect("berth");
    let said = [json.stdout, json.stderr].concat();
    assert!(
        String::from_utf8_lossy(&said).contains("file_is_directory"),
        "{}",
        String::from_utf8_lossy(&said)
    );
}

#[tokio::test]
async fn versions_of_a_modified_and_of_a_removed_file() {
    let dir = fixtures::fixture_layout();
    let info = layers::layout::read_image(&dir, Some("api-v1"), &Platform::host()).expect("layout");
    let source = BlobSource::Layout { dir };
    let reads = layers::load_layers(&source, &info.layers, None, std::sync::Arc::new(|_| {})).await;
    let listings: Vec<_> = reads
        .into_iter()
        .map(|r| r.into_result().expect("layer"))
        .collect();
    let kinds = |path: &[u8]| {
        file_read::versions(&listings, path)
            .into_iter()
            .map(|v| (v.layer + 1, v.kind))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(b"etc/config.toml"),
        [
            (1, VersionKind::Entry(EntryKind::File, 1000)),
            (3, VersionKind::Entry(EntryKind::File, 1200)),
        ]
    );
    assert_eq!(
        kinds(b"var/cache/apt/pkgcache.bin"),
        [
            (1, VersionKind::Entry(EntryKind::File, 3000)),
            (4, VersionKind::Removed)
        ]
    );
    // Each version opens: layer 1's copy of the removed file is still there to read.
    let at =
        file_read::locate_in_layer(&listings, 0, b"var/cache/apt/pkgcache.bin").expect("layer 1");
    let part = file_read::read_part(
        &source,
        &info.layers[0],
        &at,
        0,
        file_read::FIRST_PART,
        None,
    )
    .await
    .expect("read");
    assert_eq!((part.bytes.len(), part.verified), (3000, true));
}

/// Berth's store, with the cached listing of one layer changed to record another SHA-256
/// for a file: the bytes do not match, and `cat` says so after the stream.
#[test]
fn a_listing_hash_that_does_not_match_the_bytes_is_caught() {
    let env = support::TestEnv::new();
    let store = env.data_home().join("berth").join("store");
    support::process::copy_tree(&fixtures::fixture_layout(), &store);
    let first = cat(&env, &["berth:api-v1", "etc/os-release"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let hash: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&first.stdout).into();
    let cache = env.cache_home().join("berth").join("layers");
    let mut changed = 0;
    for file in std::fs::read_dir(&cache).expect("cache") {
        let path = file.expect("entry").path();
        let mut bytes = std::fs::read(&path).expect("read");
        if let Some(i) = bytes.windows(32).position(|w| w == hash) {
            bytes[i] ^= 0xff;
            std::fs::write(&path, bytes).expect("write");
            changed += 1;
        }
    }
    assert_eq!(
        changed, 1,
        "the file's hash is in exactly one cached listing"
    );
    let second = cat(&env, &["berth:api-v1", "etc/os-release"]);
    assert!(!second.status.success());
    assert_eq!(
        second.stdout, first.stdout,
        "the bytes were streamed before the check"
    );
    let text = String::from_utf8_lossy(&second.stderr);
    assert!(text.contains("does not match its listing"), "{text}");
}
