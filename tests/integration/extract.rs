//! `berth extract` against the real registry (issue 21): a layer with `../escape`, `/abs`,
//! `sub/../../up`, a symlink to `/etc`, a symlink loop and a file under a symlink to a
//! directory outside (`link/x`, link -> the scratch "outside" dir) writes nothing outside the
//! destination and names each skipped entry; a normal folder extracts byte-identical to
//! `tar -x` of the layers skopeo copied; a tar output holds the same files.

use crate::support::oci::{
    Compression, Layout, MT_OCI_CONFIG, MT_OCI_MANIFEST, compress, sha256_digest,
};
use crate::support::{self, Auth, FreshOptions, TestRegistry, process};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One raw tar entry: the name bytes exactly as given (no normalising, `..` kept).
pub(crate) enum Raw<'a> {
    Dir(&'a str),
    /// A directory with this mode (`Dir` is 0755).
    DirMode(&'a str, u32),
    File(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
}

pub(crate) fn raw_tar(entries: &[Raw<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_old();
        h.set_mtime(1_700_000_000);
        h.set_uid(0);
        h.set_gid(0);
        let (name, data): (&str, &[u8]) = match e {
            Raw::Dir(n) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                (n, &[])
            }
            Raw::DirMode(n, mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(*mode);
                (n, &[])
            }
            Raw::File(n, data) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                (n, data)
            }
            Raw::Symlink(n, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                let t = target.as_bytes();
                h.as_old_mut().linkname[..t.len()].copy_from_slice(t);
                (n, &[])
            }
        };
        h.set_size(data.len() as u64);
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        b.append(&h, data).expect("append");
    }
    b.into_inner().expect("tar")
}

/// Pushes an image of `layers` (uncompressed tars, gzipped here) to the shared registry as
/// `name` through an OCI layout and skopeo; returns the berth reference.
pub(crate) fn push(reg: &TestRegistry, name: &str, layers: &[Vec<u8>]) -> String {
    let gzipped: Vec<_> = layers
        .iter()
        .map(|t| (compress(t, Compression::Gzip), sha256_digest(t)))
        .collect();
    push_gzipped(reg, name, &gzipped)
}

/// Like [`push`], for layers already gzipped, each with its diff ID (the digest of the tar).
pub(crate) fn push_gzipped(reg: &TestRegistry, name: &str, layers: &[(Vec<u8>, String)]) -> String {
    let dir = layout_gzipped(layers);
    support::skopeo(&[
        "copy",
        "--quiet",
        &format!("oci:{}:t", dir.display()),
        &reg.docker_ref(name),
    ]);
    format!("http://{}", reg.image(name))
}

/// An OCI layout (tagged `t`) of an image of `layers` as [`push_gzipped`] takes them.
pub(crate) fn layout_gzipped(layers: &[(Vec<u8>, String)]) -> PathBuf {
    let dir = process::scratch_dir("extract-layout-").join("lay");
    let mut layout = Layout::create(&dir);
    let descs: Vec<_> = layers
        .iter()
        .map(|(gz, _)| layout.put_blob(Compression::Gzip.media_type(), gz))
        .collect();
    let config = layout.put_json(
        MT_OCI_CONFIG,
        &json!({
            "architecture": std::env::consts::ARCH.replace("x86_64", "amd64").replace("aarch64", "arm64"),
            "os": "linux",
            "rootfs": { "type": "layers", "diff_ids": layers.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>() },
            "history": layers.iter().map(|_| json!({ "created_by": "extract test" })).collect::<Vec<_>>(),
        }),
    );
    let manifest = layout.put_json(
        MT_OCI_MANIFEST,
        &json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": config.to_json(),
            "layers": descs.iter().map(crate::support::oci::Descriptor::to_json).collect::<Vec<_>>(),
        }),
    );
    layout.tag("t", &manifest);
    layout.finish();
    dir
}

/// Every path under `dir` with its kind and bytes (links as their target).
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let m = std::fs::symlink_metadata(&p).expect("lstat");
            let what = if m.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(&p).expect("link").display())
            } else if m.is_dir() {
                stack.push(p.clone());
                "dir".to_owned()
            } else {
                format!("{:?}", std::fs::read(&p).expect("read"))
            };
            out.insert(p.strip_prefix(dir).expect("under").to_path_buf(), what);
        }
    }
    out
}

pub(crate) fn berth_json(args: &[&str]) -> (bool, Value) {
    let out = support::berth_cmd()
        .arg("--json")
        .args(args)
        .output()
        .expect("run berth");
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .map_or(Value::Null, |l| serde_json::from_str(l).expect("JSON line"));
    (out.status.success(), last)
}

#[test]
fn hostile_names_and_links_stay_inside_the_destination() {
    let scratch = process::scratch_dir("extract-hostile-");
    let outside = scratch.join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    let outside_text = outside.display().to_string();
    let layer = raw_tar(&[
        Raw::Dir("sub/"),
        Raw::File("ok.txt", b"fine\n"),
        Raw::File("../escape", b"escaped\n"),
        Raw::File("/abs", b"absolute\n"),
        Raw::File("sub/../../up", b"up\n"),
        Raw::Symlink("etc-link", "/etc"),
        Raw::Symlink("loop1", "loop2"),
        Raw::Symlink("loop2", "loop1"),
        Raw::Symlink("link", &outside_text),
        Raw::File("link/x", b"through the link\n"),
    ]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let image = push(&reg, "extract/hostile:t", &[layer]);
    let dest = scratch.join("dest");
    std::fs::create_dir_all(&dest).expect("dest");
    let before_scratch = snapshot(&scratch);
    let (ok, last) = berth_json(&[
        "extract",
        &image,
        "/",
        "--to",
        dest.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{last}");
    let report = &last["result"]["report"];
    let skipped: BTreeMap<String, String> = report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("path").to_owned(),
                s["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        skipped.get("..").map(String::as_str),
        Some("parent_component"),
        "{skipped:?}"
    );
    assert_eq!(
        skipped.get("sub/..").map(String::as_str),
        Some("parent_component"),
        "{skipped:?}"
    );
    assert_eq!(
        skipped.get("abs").map(String::as_str),
        Some("absolute_path"),
        "{skipped:?}"
    );
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    // Nothing appeared outside the destination: the scratch dir changed only below dest.
    let after: BTreeMap<_, _> = snapshot(&scratch)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("dest"))
        .collect();
    let before: BTreeMap<_, _> = before_scratch
        .into_iter()
        .filter(|(p, _)| !p.starts_with("dest"))
        .collect();
    assert_eq!(after, before);
    assert_eq!(std::fs::read_dir(&outside).expect("outside").count(), 0);
    // What could be written was, links as links, never followed.
    assert_eq!(
        std::fs::read(dest.join("ok.txt")).expect("ok.txt"),
        b"fine\n"
    );
    assert_eq!(
        std::fs::read_link(dest.join("etc-link")).expect("link"),
        Path::new("/etc")
    );
    assert_eq!(
        std::fs::read_link(dest.join("loop1")).expect("loop"),
        Path::new("loop2")
    );
    // `link/x` after `link -> outside`: the listing's tree (what the Files tab shows) makes
    // `link` a directory holding `x`, so `x` lands inside the destination, never outside.
    assert!(
        std::fs::symlink_metadata(dest.join("link"))
            .expect("link")
            .is_dir()
    );
    assert_eq!(
        std::fs::read(dest.join("link/x")).expect("x"),
        b"through the link\n"
    );
    let names: Vec<String> = std::fs::read_dir(&dest)
        .expect("dest")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".berth-extract-")),
        "{names:?}"
    );

    human_output_names_the_skipped(&image, &scratch);
}

fn human_output_names_the_skipped(image: &str, scratch: &Path) {
    // The human output names each skipped entry too.
    let dest2 = scratch.join("dest2");
    std::fs::create_dir_all(&dest2).expect("dest2");
    let out = support::berth_cmd()
        .args([
            "extract",
            image,
            "/",
            "--to",
            dest2.to_str().expect("utf-8"),
        ])
        .output()
        .expect("berth");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for name in ["skipped ..:", "skipped abs:", "skipped sub/..:"] {
        assert!(text.contains(name), "{name} in {text}");
    }
}

#[test]
fn a_folder_is_byte_identical_to_tar_x_of_the_layers() {
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let one = raw_tar(&[
        Raw::Dir("app/"),
        Raw::File("app/a.txt", b"version one\n"),
        Raw::Dir("app/deep/"),
        Raw::File("app/deep/big.bin", &big),
        Raw::Symlink("app/current", "a.txt"),
        Raw::File("other.txt", b"not asked for\n"),
    ]);
    let two = raw_tar(&[
        Raw::Dir("app/"),
        Raw::File("app/a.txt", b"version two, longer\n"),
        Raw::File("app/b.txt", b"new in two\n"),
    ]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let image = push(&reg, "extract/normal:t", &[one, two]);
    let scratch = process::scratch_dir("extract-normal-");

    // skopeo copies the layers; GNU tar extracts them in order.
    let copied = scratch.join("copied");
    support::skopeo(&[
        "copy",
        "--quiet",
        &format!("docker://{}", image.trim_start_matches("http://")),
        &format!("dir:{}", copied.display()),
    ]);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(copied.join("manifest.json")).expect("manifest"))
            .expect("json");
    let by_tar = scratch.join("by-tar");
    std::fs::create_dir_all(&by_tar).expect("by-tar");
    for layer in manifest["layers"].as_array().expect("layers") {
        let hex = layer["digest"]
            .as_str()
            .expect("digest")
            .trim_start_matches("sha256:");
        let status = std::process::Command::new("tar")
            .arg("-xzf")
            .arg(copied.join(hex))
            .arg("-C")
            .arg(&by_tar)
            .status()
            .expect("tar");
        assert!(status.success());
    }

    let dest = scratch.join("dest");
    std::fs::create_dir_all(&dest).expect("dest");
    let (ok, last) = berth_json(&[
        "extract",
        &image,
        "app",
        "--to",
        dest.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{last}");
    assert_eq!(last["result"]["report"]["skipped"], json!([]));
    assert_eq!(snapshot(&dest.join("app")), snapshot(&by_tar.join("app")));
    assert!(!dest.join("other.txt").exists());

    // Layer 1's version, numbered from 1.
    let first = scratch.join("first");
    std::fs::create_dir_all(&first).expect("first");
    let (ok, last) = berth_json(&[
        "extract",
        &image,
        "app/a.txt",
        "--layer",
        "1",
        "--to",
        first.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{last}");
    assert_eq!(
        std::fs::read(first.join("a.txt")).expect("a"),
        b"version one\n"
    );

    as_tar_and_missing(&image, &scratch, &by_tar);
}

fn as_tar_and_missing(image: &str, scratch: &Path, by_tar: &Path) {
    // As a tar: the same files.
    let tar_file = scratch.join("app.tar");
    let (ok, last) = berth_json(&[
        "extract",
        image,
        "app",
        "--tar",
        tar_file.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{last}");
    let from_tar = scratch.join("from-tar");
    std::fs::create_dir_all(&from_tar).expect("from-tar");
    let status = std::process::Command::new("tar")
        .arg("-xf")
        .arg(&tar_file)
        .arg("-C")
        .arg(&from_tar)
        .status()
        .expect("tar");
    assert!(status.success());
    assert_eq!(
        snapshot(&from_tar.join("app")),
        snapshot(&by_tar.join("app"))
    );

    // A missing path is a clear failure and writes nothing.
    let none = scratch.join("none");
    std::fs::create_dir_all(&none).expect("none");
    let out = support::berth_cmd()
        .args([
            "--json",
            "extract",
            image,
            "nope",
            "--to",
            none.to_str().expect("utf-8"),
        ])
        .output()
        .expect("berth");
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"extract_not_found\""), "{text}");
    assert_eq!(std::fs::read_dir(&none).expect("none").count(), 0);
}

/// Cancelled in the middle of a file's bytes (from the progress callback, so exactly then):
/// the extraction ends `Cancelled` and leaves no temporary file, in a tree or as a tar.
#[tokio::test]
async fn cancel_mid_file_leaves_no_temporary_file() {
    use berth::layers::extract::{self, Destination, Request};
    use berth::layers::{self, BlobSource};
    use tokio_util::sync::CancellationToken;

    let big: Vec<u8> = (0..2_000_000u32).map(|i| (i * 13 % 251) as u8).collect();
    let scratch = process::scratch_dir("extract-cancel-");
    let dir = scratch.join("lay");
    let mut layout = Layout::create(&dir);
    let tar = raw_tar(&[Raw::Dir("data/"), Raw::File("data/big.bin", &big)]);
    let blob = layout.put_blob(
        Compression::Gzip.media_type(),
        &compress(&tar, Compression::Gzip),
    );
    let config = layout.put_json(
        MT_OCI_CONFIG,
        &json!({ "architecture": "amd64", "os": "linux",
                 "rootfs": { "type": "layers", "diff_ids": [sha256_digest(&tar)] } }),
    );
    let manifest = layout.put_json(
        MT_OCI_MANIFEST,
        &json!({ "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
                 "config": config.to_json(), "layers": [blob.to_json()] }),
    );
    layout.tag("t", &manifest);
    layout.finish();
    let info = layers::layout::read_image(
        &dir,
        Some("t"),
        &berth::oci::Platform::parse("linux/amd64").expect("platform"),
    )
    .expect("image");
    let source = BlobSource::Layout { dir: dir.clone() };
    let reads = layers::load_layers(&source, &info.layers, None, std::sync::Arc::new(|_| {})).await;
    let listings: Vec<_> = reads
        .into_iter()
        .map(|r| r.into_result().expect("listing"))
        .collect();
    let request = Request {
        path: b"data".to_vec(),
        layer: None,
    };
    let out = scratch.join("out");
    std::fs::create_dir_all(&out).expect("out");
    for dest in [
        Destination::Dir(out.clone()),
        Destination::Tar(out.join("data.tar")),
    ] {
        let cancel = CancellationToken::new();
        let progress = {
            let cancel = cancel.clone();
            std::sync::Arc::new(move |done: u64, _total: u64| {
                if done > 0 {
                    cancel.cancel();
                }
            })
        };
        let result = extract::extract(
            &source,
            &info.layers,
            &listings,
            &[],
            &request,
            &dest,
            &cancel,
            progress,
        )
        .await;
        assert!(
            matches!(result, Err(extract::Error::Cancelled)),
            "{dest:?}: {result:?}"
        );
        let left: Vec<String> = snapshot(&out)
            .keys()
            .map(|p| p.display().to_string())
            .collect();
        assert!(
            left.iter().all(|p| !p.contains(".berth-extract-")
                && !p.ends_with("big.bin")
                && !p.ends_with(".tar")),
            "{dest:?}: {left:?}"
        );
    }
}

#[test]
fn a_file_under_a_symlinked_folder_is_named_when_skipped() {
    // `link/x`, then `link -> real` in the same layer: the link takes the folder's name, so
    // `x` is not extracted, and the report says so. A later layer that replaces a folder by a
    // link (`old/` by `old -> real`) removes what the folder held: that is not a skip.
    let base = raw_tar(&[
        Raw::Dir("real/"),
        Raw::File("link/x", b"under the link\n"),
        Raw::Symlink("link", "real"),
        Raw::File("old/y", b"replaced later\n"),
    ]);
    let top = raw_tar(&[Raw::Symlink("old", "real")]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let image = push(&reg, "extract/under-link:t", &[base, top]);
    let dest = process::scratch_dir("extract-under-link-").join("dest");
    std::fs::create_dir_all(&dest).expect("dest");
    let (ok, last) = berth_json(&[
        "extract",
        &image,
        "/",
        "--to",
        dest.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{last}");
    let skipped = &last["result"]["report"]["skipped"];
    assert_eq!(
        skipped,
        &json!([{ "path": "link/x", "reason": "parent_is_symlink" }]),
        "{last}"
    );
    assert_eq!(
        std::fs::read_link(dest.join("link")).expect("link"),
        Path::new("real")
    );
    assert!(
        !dest.join("real/x").exists(),
        "nothing written through the link"
    );
}
