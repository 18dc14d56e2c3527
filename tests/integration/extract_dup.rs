//! `berth extract` of a layer that holds one path twice (the later entry replaces the
//! earlier, as `tar -x` and the merged tree take it): the bytes written are the last entry's,
//! from the registry and from an `oci:` layout, into a folder and into a tar. And extracted
//! folders end with their listed modes (`0755`, `0700`, a read-only `0555` that still got
//! its file), in a folder and in a tar's headers.

use crate::extract::{Raw, berth_json, layout_gzipped, push_gzipped, raw_tar};
use crate::support::oci::{Compression, compress, sha256_digest};
use crate::support::{self, Auth, FreshOptions, process};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

/// The files of the tar at `path`: name to (mode, bytes).
fn tar_contents(path: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut archive = tar::Archive::new(std::fs::File::open(path).expect("open tar"));
    let mut out = BTreeMap::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        let mode = entry.header().mode().expect("mode");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        out.insert(name, (mode, bytes));
    }
    out
}

fn gzipped(tars: &[Vec<u8>]) -> Vec<(Vec<u8>, String)> {
    tars.iter()
        .map(|t| (compress(t, Compression::Gzip), sha256_digest(t)))
        .collect()
}

/// `berth --json extract IMAGE PATH <to> DEST` succeeds.
fn extract(image: &str, path: &str, to: &str, dest: &Path) {
    let (ok, last) = berth_json(&["extract", image, path, to, dest.to_str().expect("utf-8")]);
    assert!(ok, "{image} {path} {to}: {last}");
}

#[test]
fn a_path_held_twice_in_a_layer_extracts_as_its_last_entry() {
    // Different sizes too: the first `etc/a` is neither the listed hash nor the listed size.
    let layer = raw_tar(&[
        Raw::Dir("etc/"),
        Raw::File("etc/a", b"first\n"),
        Raw::File("etc/b", b"between\n"),
        Raw::File("etc/a", b"second, the one that stays\n"),
    ]);
    let layers = gzipped(&[layer]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let from_registry = push_gzipped(&reg, "extract/dup:t", &layers);
    let from_layout = format!("oci:{}:t", layout_gzipped(&layers).display());
    let second: &[u8] = b"second, the one that stays\n";
    for image in [&from_registry, &from_layout] {
        let scratch = process::scratch_dir("extract-dup-");
        // The whole image, the folder, and the file alone.
        for (path, dest, file) in [
            ("/", scratch.join("all"), "etc/a"),
            ("etc", scratch.join("folder"), "etc/a"),
            ("etc/a", scratch.join("file"), "a"),
        ] {
            std::fs::create_dir_all(&dest).expect("dest");
            extract(image, path, "--to", &dest);
            assert_eq!(
                std::fs::read(dest.join(file)).expect("a"),
                second,
                "{image} {path}"
            );
        }
        assert_eq!(
            std::fs::read(scratch.join("all/etc/b")).expect("b"),
            b"between\n"
        );
        let tar_file = scratch.join("etc.tar");
        extract(image, "etc", "--tar", &tar_file);
        let files = tar_contents(&tar_file);
        assert_eq!(files.get("etc/a").map(|(_, b)| b.as_slice()), Some(second));
        assert_eq!(
            files.keys().filter(|k| k.as_str() == "etc/a").count(),
            1,
            "{files:?}"
        );
    }
}

#[test]
fn extracted_folders_end_with_their_listed_modes() {
    let layer = raw_tar(&[
        Raw::DirMode("etc/", 0o755),
        Raw::File("etc/x", b"x\n"),
        Raw::DirMode("secret/", 0o700),
        Raw::DirMode("secret/inner/", 0o750),
        Raw::File("secret/inner/k", b"key\n"),
        Raw::DirMode("ro/", 0o555),
        Raw::File("ro/f", b"written before the folder became read-only\n"),
    ]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let image = push_gzipped(&reg, "extract/modes:t", &gzipped(&[layer]));
    let scratch = process::scratch_dir("extract-modes-");
    let dest = scratch.join("dest");
    std::fs::create_dir_all(&dest).expect("dest");
    extract(&image, "/", "--to", &dest);
    let mode = |p: &str| {
        std::fs::symlink_metadata(dest.join(p))
            .expect(p)
            .permissions()
            .mode()
            & 0o7777
    };
    let modes: Vec<(&str, u32)> = ["etc", "secret", "secret/inner", "ro"]
        .into_iter()
        .map(|p| (p, mode(p)))
        .collect();
    // Readable before asserting, so a failure leaves a scratch dir that can be removed.
    std::fs::set_permissions(dest.join("ro"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
    assert_eq!(
        modes,
        [
            ("etc", 0o755),
            ("secret", 0o700),
            ("secret/inner", 0o750),
            ("ro", 0o555)
        ]
    );
    assert_eq!(
        std::fs::read(dest.join("ro/f")).expect("f"),
        b"written before the folder became read-only\n"
    );
    assert_eq!(
        std::fs::read(dest.join("secret/inner/k")).expect("k"),
        b"key\n"
    );

    // A tar keeps the listed modes in its headers.
    let tar_file = scratch.join("all.tar");
    extract(&image, "/", "--tar", &tar_file);
    let files = tar_contents(&tar_file);
    let dir_modes: Vec<(&str, u32)> = ["etc/", "secret/", "secret/inner/", "ro/"]
        .into_iter()
        .map(|d| {
            (
                d,
                files
                    .get(d.trim_end_matches('/'))
                    .or_else(|| files.get(d))
                    .map_or(0, |(m, _)| *m & 0o7777),
            )
        })
        .collect();
    assert_eq!(
        dir_modes,
        [
            ("etc/", 0o755),
            ("secret/", 0o700),
            ("secret/inner/", 0o750),
            ("ro/", 0o555)
        ],
        "{files:?}"
    );
}
