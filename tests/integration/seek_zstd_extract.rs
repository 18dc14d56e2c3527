//! `berth extract` of the late folder of [`crate::seek_zstd`]'s multi-frame zstd layer reads
//! by frame as well: the second run sends one `Range` for the frames of the late file only
//! (under 256 KiB), a changed byte in it fails on the hash and leaves no file, and a
//! registry that answers 200 still extracts right.

use crate::seek_zstd::{LATE, Setup, blob_gets, flip_a_byte_of_the_late_file, setup, stored_index};
use crate::support::fault_proxy::{Fault, Rule};
use berth::layers::seek_index::Kind;
use std::process::Output;

/// `berth extract` of the late file's folder (`/etc`) into `dest`.
fn extract(s: &Setup, dest: &std::path::Path) -> Output {
    let image = format!("http://{}/seekz/image:v1", s.proxy.host());
    let args = ["extract", &image, "/etc", "--to"];
    s.env.berth().args(args).arg(dest).output().expect("run")
}

/// Extracts `/etc` into a new directory and checks the late file came out right.
fn extract_ok(s: &Setup) {
    let dest = tempfile::tempdir().expect("dest");
    let out = extract(s, dest.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = std::fs::read(dest.path().join(LATE)).expect("extracted");
    assert!(got == s.pushed.late, "the bytes differ");
}

#[test]
fn the_second_extract_of_a_late_folder_of_a_zstd_layer_fetches_one_range() {
    let s = setup(true);
    extract_ok(&s);
    let index = stored_index(&s.env, &s.pushed.digest).expect("the first extract built one");
    assert!(index.kind == Kind::Zstd && index.frames.len() > 1);

    let before = blob_gets(&s).len();
    extract_ok(&s);
    let gets = blob_gets(&s);
    let second = &gets[before..];
    assert_eq!(second.len(), 1, "{gets:?}");
    let (range, status, body) = &second[0];
    assert!(
        range.as_deref().is_some_and(|r| r.starts_with("bytes=")) && *status == 206,
        "{range:?} {status}"
    );
    // The frames of the late file, not the 1 MiB tail after it.
    assert!(*body < 256 * 1024, "{body} of {}", s.pushed.blob.len());
}

#[test]
fn a_byte_changed_in_the_frames_fails_the_extract_and_leaves_no_file() {
    let s = setup(true);
    extract_ok(&s);
    flip_a_byte_of_the_late_file(&s);
    let before = blob_gets(&s).len();
    let dest = tempfile::tempdir().expect("dest");
    let out = extract(&s, dest.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a changed byte went through");
    assert!(
        stderr.contains(LATE) && stderr.contains("does not match the SHA-256"),
        "{stderr}"
    );
    let gets = blob_gets(&s);
    assert!(
        gets[before..]
            .iter()
            .all(|(range, status, _)| range.is_some() && *status == 206),
        "through the index: {gets:?}"
    );
    let left = crate::extract::snapshot(dest.path());
    assert!(
        left.keys().all(|p| {
            let p = p.display().to_string();
            !p.ends_with("late.bin") && !p.contains(berth::layers::extract::TEMP_PREFIX)
        }),
        "{left:?}"
    );
}

#[test]
fn a_registry_that_answers_200_still_extracts_the_zstd_folder() {
    let s = setup(true);
    extract_ok(&s);
    s.proxy.add(
        Rule::path(&s.pushed.digest).method("GET"),
        Fault::IgnoreRange,
    );
    let before = blob_gets(&s).len();
    extract_ok(&s);
    let gets = blob_gets(&s);
    assert!(
        gets[before..]
            .iter()
            .any(|(range, status, _)| range.is_some() && *status == 200),
        "{gets:?}"
    );
}
