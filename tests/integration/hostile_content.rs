//! Hostile content (issue 18, items 7, 9, 10, 12 and the fsck part of 13): a layout whose
//! blob is a pipe or a link to `/dev/zero`, a layer whose file name is a gigabyte long, a
//! zstd layer made with a 2 GiB window, and a registry whose tags, labels, history and errors
//! carry terminal escapes. Every command ends with a clear error within a safety limit (not a
//! timing target), in bounded memory (`/usr/bin/time -f %M`, Debian's `time`), and prints
//! no escape byte; `--json` keeps the exact text. A killed pull's leftover is reclaimable.

mod run;
mod text;

use crate::support::TestEnv;
use crate::support::oci::{
    Descriptor, Entry, Kind, Layout, MT_LAYER_ZSTD, MT_OCI_CONFIG, MT_OCI_MANIFEST, build_tar,
    sha256_digest,
};
use run::{assert_bounded, assert_clear_failure, berth};
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const GIB: u64 = 1024 * 1024 * 1024;

/// An OCI layout at `dir` with one image per `(tag, media type, layer blobs)`.
fn layout_with(dir: &Path, images: &[(&str, &str, Vec<Vec<u8>>)]) -> Vec<Vec<Descriptor>> {
    let mut layout = Layout::create(dir);
    let mut all = Vec::new();
    for (tag, media_type, blobs) in images {
        let layers: Vec<Descriptor> = blobs
            .iter()
            .map(|b| layout.put_blob(media_type, b))
            .collect();
        let config = json!({
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {
                "type": "layers",
                "diff_ids": layers.iter().map(|_| sha256_digest(b"")).collect::<Vec<_>>(),
            },
            "history": layers.iter().map(|_| json!({ "created_by": "hostile" })).collect::<Vec<_>>(),
        });
        let config = layout.put_json(MT_OCI_CONFIG, &config);
        let manifest = layout.put_json(
            MT_OCI_MANIFEST,
            &json!({
                "schemaVersion": 2,
                "mediaType": MT_OCI_MANIFEST,
                "config": config.to_json(),
                "layers": layers.iter().map(Descriptor::to_json).collect::<Vec<_>>(),
            }),
        );
        layout.tag(tag, &manifest);
        all.push(layers);
    }
    layout.finish();
    all
}

/// The first JSON value of `--json` output (a failure adds an error object after it).
fn first_json(out: &[u8]) -> Value {
    serde_json::Deserializer::from_slice(out)
        .into_iter::<Value>()
        .next()
        .expect("a JSON value")
        .expect("valid JSON")
}

fn small_tar() -> Vec<u8> {
    const ENTRIES: &[Entry] = &[Entry {
        path: "etc/hello",
        kind: Kind::File(100 * 1024),
        mode: 0o644,
        uid: 0,
        gid: 0,
    }];
    build_tar(ENTRIES, "hostile")
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

fn oci(dir: &Path, tag: &str) -> String {
    format!("oci:{}:{tag}", dir.display())
}

// ------------------------------------------------------------------------- 18.7: not a file

#[test]
fn fsck_files_and_cp_refuse_a_blob_that_is_a_pipe_or_a_device() {
    for (case, expect) in [("dev-zero", "character device"), ("fifo", "named pipe")] {
        let env = TestEnv::new();
        let dir = env.root().join("lay");
        let layers = layout_with(&dir, &[("t", MT_LAYER_ZSTD, vec![zstd(&small_tar())])]);
        let blob = Layout::blob_path(&dir, &layers[0][0].digest);
        std::fs::remove_file(&blob).expect("remove the layer");
        if case == "fifo" {
            let made = Command::new("mkfifo").arg(&blob).status().expect("mkfifo");
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink("/dev/zero", &blob).expect("symlink");
        }
        let store = format!("oci:{}", dir.display());

        let fsck = berth(&env, &["fsck", &store]);
        assert!(
            !fsck.status.success(),
            "{case}: fsck passed: {}",
            fsck.out()
        );
        assert!(
            fsck.out().contains("is not a regular file"),
            "{case}: {}",
            fsck.out()
        );
        assert_bounded("fsck", &fsck);
        let json = berth(&env, &["--json", "fsck", &store]);
        let report = first_json(&json.stdout);
        assert_eq!(report["clean"], false);
        assert_eq!(
            report["report"]["not_files"][0]["digest"],
            layers[0][0].digest.as_str()
        );

        let files = berth(&env, &["files", "--no-cache", &oci(&dir, "t")]);
        assert_clear_failure(&format!("{case}: files"), &files, expect);

        let out = env.root().join("out");
        let cp = berth(&env, &["cp", &oci(&dir, "t"), &oci(&out, "t")]);
        assert_clear_failure(&format!("{case}: cp"), &cp, expect);
    }
}

/// A pipe named like a killed writer's temporary file is not taken over (opening it would
/// block): the pull from a registry (the only source whose leftovers are resumed) writes the
/// blob afresh.
#[test]
fn a_pipe_under_a_temporary_name_does_not_hang_a_pull() {
    let (registry, manifest, layers) =
        crate::jobs_support::registry_with_random_image("fifo/image:v1", &[256 * 1024]);
    let env = TestEnv::new();
    let out = env.root().join("out");
    std::fs::create_dir_all(out.join("blobs/sha256")).expect("out");
    let hex = layers[0].trim_start_matches("sha256:");
    let fifo = out.join("blobs/sha256").join(format!(".tmp-{hex}-0-1"));
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let source = format!("http://{}/fifo/image:v1", registry.host());
    let to = format!("oci:{}", out.display());
    let pull = berth(&env, &["--json", "pull", &source, "--to", &to]);
    assert!(pull.status.success(), "{}{}", pull.out(), pull.stderr);
    assert!(pull.out().contains(&manifest), "{}", pull.out());
    assert_bounded("pull", &pull);
    let fsck = berth(&env, &["--json", "fsck", &to]);
    let report = first_json(&fsck.stdout);
    assert_eq!(report["clean"], true, "{report}");
    assert_eq!(report["report"]["temp_files"], json!([]), "{report}");
}

// ------------------------------------------------------------------ 18.13: a killed pull

#[test]
fn a_killed_pulls_leftover_is_reclaimable_and_prune_removes_it() {
    let env = TestEnv::new();
    let dir = env.root().join("lay");
    let layers = layout_with(&dir, &[("t", MT_LAYER_ZSTD, vec![zstd(&small_tar())])]);
    // What a pull killed mid-layer leaves: `.tmp-HEX-PID-N` of a process that is gone
    // (PID 0 never is one), holding the first bytes of the blob.
    let leftover = format!(".tmp-{}-0-1", layers[0][0].hex());
    std::fs::write(dir.join("blobs/sha256").join(&leftover), b"partial").expect("leftover");
    let store = format!("oci:{}", dir.display());

    let fsck = berth(&env, &["fsck", &store]);
    assert!(fsck.status.success(), "{}{}", fsck.out(), fsck.stderr);
    assert!(fsck.out().contains("reclaimable"), "{}", fsck.out());
    assert!(fsck.out().contains(&leftover), "{}", fsck.out());
    let json = berth(&env, &["--json", "fsck", &store]);
    let report: Value = serde_json::from_slice(&json.stdout).expect("fsck JSON");
    assert_eq!(report["clean"], true, "{report}");
    assert_eq!(report["report"]["temp_files"][0], leftover.as_str());
    assert_eq!(report["report"]["reclaimable_bytes"], 7);

    let prune = berth(&env, &["prune", &store, "--yes"]);
    assert!(prune.status.success(), "{}{}", prune.out(), prune.stderr);
    assert!(!dir.join("blobs/sha256").join(&leftover).exists());
    let json = berth(&env, &["--json", "fsck", &store]);
    let report: Value = serde_json::from_slice(&json.stdout).expect("fsck JSON");
    assert_eq!(report["report"]["temp_files"], json!([]), "{report}");
    assert_eq!(report["report"]["reclaimable_bytes"], 0);
}

// -------------------------------------------------------------- 18.9: a gigabyte of name

/// A zstd tar whose first entry carries a name of `len` bytes, as a GNU long name (`L`) or a
/// PAX `path` record, streamed so the test never holds it.
fn long_name_layer(len: u64, pax: bool) -> Vec<u8> {
    let mut z = zstd::Encoder::new(Vec::new(), 1).expect("zstd");
    let record = if pax {
        // "LEN path=NAME\n", where LEN counts itself.
        let body = len + " path=\n".len() as u64;
        let mut total = body + 1;
        while total != body + total.to_string().len() as u64 {
            total = body + total.to_string().len() as u64;
        }
        Some(total)
    } else {
        None
    };
    let mut h = tar::Header::new_ustar();
    if pax {
        h.set_entry_type(tar::EntryType::XHeader);
        h.set_path("PaxHeaders/x").expect("path");
        h.set_size(record.expect("pax"));
    } else {
        h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::GNULongName);
        h.as_gnu_mut().expect("gnu").name[..13].copy_from_slice(b"././@LongLink");
        h.set_size(len);
    }
    h.set_mode(0o644);
    h.set_cksum();
    z.write_all(h.as_bytes()).expect("header");
    if let Some(total) = record {
        write!(z, "{total} path=").expect("pax");
    }
    let chunk = vec![b'a'; 1024 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64);
        z.write_all(&chunk[..usize::try_from(n).expect("chunk")])
            .expect("name");
        left -= n;
    }
    let written = if let Some(total) = record {
        z.write_all(b"\n").expect("pax end");
        total
    } else {
        len
    };
    let pad = (512 - written % 512) % 512;
    z.write_all(&vec![0; usize::try_from(pad).expect("pad")])
        .expect("pad");
    let mut file = tar::Header::new_ustar();
    file.set_entry_type(tar::EntryType::Regular);
    file.set_path("short").expect("path");
    file.set_size(0);
    file.set_mode(0o644);
    file.set_uid(0);
    file.set_gid(0);
    file.set_mtime(0);
    file.set_cksum();
    z.write_all(file.as_bytes()).expect("entry");
    z.write_all(&[0; 1024]).expect("end");
    z.finish().expect("zstd finish")
}

#[test]
fn a_gigabyte_long_name_ends_with_a_clear_error_in_bounded_memory() {
    let env = TestEnv::new();
    let dir = env.root().join("lay");
    layout_with(
        &dir,
        &[
            ("gnu", MT_LAYER_ZSTD, vec![long_name_layer(GIB, false)]),
            ("pax", MT_LAYER_ZSTD, vec![long_name_layer(GIB, true)]),
            (
                "medium",
                MT_LAYER_ZSTD,
                vec![long_name_layer(8 * 1024, true)],
            ),
        ],
    );
    for tag in ["gnu", "pax"] {
        for merged in [false, true] {
            let reference = oci(&dir, tag);
            let mut args = vec!["files", reference.as_str()];
            if merged {
                args.push("--merged");
            }
            let run = berth(&env, &args);
            assert_clear_failure(
                &format!("{tag} {args:?}"),
                &run,
                "long-name or PAX headers larger than 1.00 MiB",
            );
        }
    }
    let run = berth(&env, &["files", "--merged", &oci(&dir, "medium")]);
    assert_clear_failure("medium", &run, "has a name longer than 4,096 bytes");
    // Nothing that large was cached either.
    let cache = env.cache_home();
    let cached: u64 = walk_sizes(&cache);
    assert!(cached < 1024 * 1024, "the layer cache holds {cached} bytes");
}

fn walk_sizes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p: PathBuf = e.path();
            if p.is_dir() {
                walk_sizes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

// ------------------------------------------------------------------ 18.10: a 2 GiB window

/// `zstd --long=LOG` of `bytes`, through a pipe, so zstd cannot shrink the window to the
/// input's size.
fn zstd_long(bytes: &[u8], log: u32) -> Vec<u8> {
    let mut child = Command::new("zstd")
        .args([&format!("--long={log}"), "-q", "-c", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("zstd (Debian package zstd)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("zstd");
    writer.join().expect("writer").expect("write to zstd");
    assert!(out.status.success());
    out.stdout
}

/// Does `zstd -d` with its default limit (2^27) refuse `blob`, and does `--long=31` take it?
fn needs_a_2gib_window(blob: &[u8]) -> bool {
    let decode = |long: bool| {
        let mut cmd = Command::new("zstd");
        cmd.args(["-d", "-q", "-c", "-"]);
        if long {
            cmd.arg("--long=31");
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("zstd");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(blob)
            .expect("write");
        child.wait().expect("zstd").success()
    };
    !decode(false) && decode(true)
}

#[test]
fn a_zstd_layer_with_a_2_gib_window_is_refused_in_bounded_memory() {
    let env = TestEnv::new();
    let dir = env.root().join("lay");
    let tar = small_tar();
    let blobs: Vec<Vec<u8>> = (0..3u8)
        .map(|i| {
            let mut t = tar.clone();
            t.push(i); // three different layers, read at once
            zstd_long(&t, 31)
        })
        .collect();
    assert!(
        needs_a_2gib_window(&blobs[0]),
        "the fixture does not need a 2 GiB window"
    );
    // What `--long` images use, 2^27, is read.
    let fine = zstd_long(&tar, 27);
    layout_with(
        &dir,
        &[
            ("t", MT_LAYER_ZSTD, blobs),
            ("fine", MT_LAYER_ZSTD, vec![fine]),
        ],
    );
    let run = berth(&env, &["files", "--no-cache", &oci(&dir, "fine")]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.out().contains("1 entries"), "{}", run.out());
    assert_bounded("files of a --long=27 layer", &run);
    for merged in [false, true] {
        let reference = oci(&dir, "t");
        let mut args = vec!["files", "--no-cache", reference.as_str()];
        if merged {
            args.push("--merged");
        }
        let run = berth(&env, &args);
        assert_clear_failure(
            "files of --long=31 layers",
            &run,
            "needs a decoding window larger than 128 MiB",
        );
    }
}
