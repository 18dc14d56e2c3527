//! Issue 22: `extract` of a late folder through the layer's seek index, against the real
//! registry behind the fault proxy (the fixture and helpers of [`crate::seek`]): with the
//! index, one `Range` request fetches under a tenth of the blob and the files come out
//! byte-identical; a byte changed inside the fetched range fails on the file's hash (or the
//! broken deflate stream) and leaves no file of it nor a temporary; a registry that answers
//! 200 to `Range` still extracts right, by streaming; `berth extract` itself (the job, the
//! default cache) goes through the index the second time.

use crate::extract::snapshot;
use crate::seek::{LAST, Setup, blob_gets, late_files, load, push_image_with, setup};
use crate::support::fault_proxy::{Fault, FaultProxy, Rule};
use crate::support::{self, Auth, FreshOptions, TestEnv};
use berth::layers::extract::{self, Destination, Report, Request};
use berth::layers::{self, LayerRead, file_read};
use berth::oci::image::ImageInfo;
use std::path::Path;
use tokio_util::sync::CancellationToken;

/// Extracts the image's `etc` folder into `dest` with the listings and indexes of `reads`.
async fn extract_etc(
    info: &ImageInfo,
    source: &layers::BlobSource,
    reads: &[LayerRead],
    dest: &Path,
) -> Result<Report, extract::Error> {
    let listings: Vec<_> = reads.iter().map(|r| r.listing.clone()).collect();
    let indexes: Vec<_> = reads.iter().map(|r| r.index.clone()).collect();
    extract::extract(
        source,
        &info.layers,
        &listings,
        &indexes,
        &Request {
            path: b"etc".to_vec(),
            layer: None,
        },
        &Destination::Dir(dest.to_path_buf()),
        &CancellationToken::new(),
        std::sync::Arc::new(|_, _| {}),
    )
    .await
}

/// Every file the `etc` folder holds, with its bytes.
fn expected(s: &Setup) -> Vec<(String, Vec<u8>)> {
    let mut files = late_files();
    files.push((LAST.to_owned(), s.text.clone()));
    files
}

fn assert_extracted(s: &Setup, dest: &Path) {
    for (path, data) in expected(s) {
        let got = std::fs::read(dest.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(got == data, "{path} differs");
    }
}

/// The blob byte where the range for the `etc` folder starts.
fn range_start(reads: &[LayerRead]) -> usize {
    let listings: Vec<_> = reads.iter().map(|r| &r.listing).collect();
    let (name, _) = &late_files()[0];
    let first = file_read::locate_in_layer(&listings, 0, name.as_bytes()).expect("located");
    let index = reads[0].index.as_ref().expect("index");
    let at = index.before(first.header_offset).expect("a checkpoint");
    usize::try_from(at.in_bits / 8).expect("offset")
}

#[tokio::test]
async fn a_late_folder_is_extracted_from_one_range_under_a_tenth_of_the_blob() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    load(&info, &source, &cache).await;
    let reads = load(&info, &source, &cache).await;
    assert!(reads[0].cached && reads[0].index.is_some());

    let dest = tempfile::tempdir().expect("dest");
    let before = blob_gets(&s.proxy).len();
    let report = extract_etc(&info, &source, &reads, dest.path())
        .await
        .expect("extracted");
    assert_eq!(report.files, 5, "{report:?}");
    assert_extracted(&s, dest.path());
    let gets = blob_gets(&s.proxy);
    let ranged = &gets[before..];
    assert_eq!(ranged.len(), 1, "{gets:?}");
    let (range, status, body) = &ranged[0];
    assert!(
        range.as_deref().is_some_and(|r| r.starts_with("bytes=")) && *status == 206,
        "{range:?} {status}"
    );
    assert!(*body < s.blob_size / 10, "{body} of {}", s.blob_size);
}

#[tokio::test]
async fn a_byte_changed_in_the_range_fails_and_leaves_no_file_of_it() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    let reads = load(&info, &source, &cache).await;
    // 300 bytes before the blob's end is inside the last file's compressed bytes (the
    // end-of-archive blocks and the gzip trailer take a few dozen).
    let offset = s.blob_size - range_start(&reads) - 300;
    s.proxy.add(
        Rule::path("/blobs/").method("GET"),
        Fault::FlipByte { offset },
    );
    let dest = tempfile::tempdir().expect("dest");
    let before = blob_gets(&s.proxy).len();
    let result = extract_etc(&info, &source, &reads, dest.path()).await;
    let gets = blob_gets(&s.proxy);
    assert!(
        gets[before..]
            .iter()
            .all(|(range, status, _)| range.is_some() && *status == 206),
        "through the index: {gets:?}"
    );
    match &result {
        Err(extract::Error::HashMismatch { path }) => assert_eq!(path, LAST),
        // A flipped bit may also break the deflate stream itself: a layer error.
        Err(extract::Error::Layer(
            layers::Error::Corrupt { .. } | layers::Error::Truncated { .. },
        )) => {}
        other => panic!("a changed byte went through: {other:?}"),
    }
    assert!(!dest.path().join(LAST).exists(), "no file of it");
    let left = snapshot(dest.path());
    assert!(
        left.keys()
            .all(|p| !p.display().to_string().contains(extract::TEMP_PREFIX)),
        "{:?}",
        left.keys().collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_registry_that_answers_200_to_range_still_extracts_right() {
    let s = setup();
    let (info, source, cache) = s.opened().await;
    let reads = load(&info, &source, &cache).await;
    s.proxy
        .add(Rule::path("/blobs/").method("GET"), Fault::IgnoreRange);
    let dest = tempfile::tempdir().expect("dest");
    let before = blob_gets(&s.proxy).len();
    let report = extract_etc(&info, &source, &reads, dest.path())
        .await
        .expect("extracted");
    assert_eq!(report.files, 5, "{report:?}");
    assert_extracted(&s, dest.path());
    let gets = blob_gets(&s.proxy);
    assert!(
        gets[before..]
            .iter()
            .any(|(range, status, _)| range.is_some() && *status == 200),
        "{gets:?}"
    );
}

/// The user's path: `berth extract` (the Extract job, with the default cache and its 4 MiB
/// checkpoint interval) run twice on a folder past the first checkpoint. The first run
/// lists the layer (recording the index); the second fetches only a `Range` of the blob.
#[test]
fn berth_extract_reads_a_late_folder_through_the_index() {
    let registry = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    // 4.5 MiB of random files before `etc/`: past the first checkpoint.
    let (text, blob_size, _) = push_image_with(&registry.host(), 72, 0);
    let proxy = FaultProxy::start(&registry.host());
    let image = format!("http://{}/seek/image:v1", proxy.host());
    let env = TestEnv::new();
    let mut gets = 0;
    for round in ["first", "second"] {
        gets = blob_gets(&proxy).len();
        let dest = tempfile::tempdir().expect("dest");
        let out = env
            .berth()
            .args(["extract", &image, "/etc", "--to"])
            .arg(dest.path())
            .output()
            .expect("run berth");
        assert!(
            out.status.success(),
            "{round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut files = late_files();
        files.push((LAST.to_owned(), text.clone()));
        for (path, data) in files {
            let got = std::fs::read(dest.path().join(&path)).expect(&path);
            assert!(got == data, "{round}: {path} differs");
        }
    }
    let all = blob_gets(&proxy);
    let second = &all[gets..];
    let ranged: Vec<_> = second
        .iter()
        .filter(|(range, _, _)| range.is_some())
        .collect();
    assert_eq!(ranged.len(), 1, "{all:?}");
    let (_, status, body) = ranged[0];
    assert_eq!(*status, 206);
    assert!(
        *body < 1024 * 1024 && *body < blob_size / 4,
        "{body} of {blob_size}"
    );
    // Nothing else of the layer was fetched (the config blob is small).
    let rest: usize = second
        .iter()
        .filter(|(r, _, _)| r.is_none())
        .map(|(_, _, b)| b)
        .sum();
    assert!(rest < 64 * 1024, "{second:?}");
}
