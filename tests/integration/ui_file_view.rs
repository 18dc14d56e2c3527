//! The file viewer in the Files tab (issue 21), against a real registry: a text file's lines
//! appear (the fixture's bytes, line by line), a binary file shows hex, a PNG shows a picture
//! and a broken one says so, a symlink's Follow opens its target, a file modified by a later
//! layer lists its earlier version and a click shows the older text; a 200 MiB file (zeros,
//! gzipped while generated) shows its first MiB while the harness keeps stepping frames, and
//! "Load more" the next; a file read through the layer's seek index is kept once checked, so
//! its Load more asks the registry nothing.

use super::extract::{Raw, push, push_gzipped, raw_tar};
use super::ui_common::{Setup, UiTest};
use crate::support::{self, Auth, FaultProxy, FreshOptions};
use egui_kittest::kittest::Queryable as _;
use sha2::{Digest as _, Sha256};
use std::io::Write as _;

const README: &[u8] = b"hello viewer\nsecond line of the readme\n\tindented third\n";
const BINARY: &[u8] = b"\x00\x01\x02ABC\xff\xfe";

/// A small picture, encoded by the `image` crate.
fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(3, 2, |x, _| image::Rgb([80 * x as u8, 0, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// Whether some node's text holds `part`.
fn shows(t: &UiTest, part: &str) -> bool {
    t.harness.query_all_by_label_contains(part).next().is_some()
}

fn open_files(t: &mut UiTest, host: &str, repo: &str) {
    t.click(host);
    t.click(repo);
    t.click("t");
    t.click("Files");
}

#[test]
fn ui_view_text_hex_a_picture_a_followed_link_and_an_earlier_version() {
    let png = png();
    let mut broken = png[..16].to_vec();
    broken.extend_from_slice(b"not the rest of a png");
    let base = raw_tar(&[
        Raw::Dir("docs/"),
        Raw::File("docs/readme.txt", README),
        Raw::File("docs/notes.txt", b"first version\n"),
        Raw::Symlink("docs/link", "readme.txt"),
        Raw::File("data.bin", BINARY),
        Raw::File("pic.png", &png),
        Raw::File("broken.png", &broken),
    ]);
    let top = raw_tar(&[
        Raw::Dir("docs/"),
        Raw::File("docs/notes.txt", b"second version\n"),
    ]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push(&reg, "viewer/files:t", &[base, top]);
    // Wide enough for the viewer beside the tree.
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        size: egui::vec2(1920.0, 1080.0),
        ..Setup::default()
    });
    open_files(&mut t, &reg.host(), "viewer/files");

    // Text: every line of the fixture, as it is.
    t.click("docs");
    t.click("docs/readme.txt");
    for line in String::from_utf8(README.to_vec()).expect("utf-8").lines() {
        t.wait_for(line);
    }
    t.wait_for("/docs/readme.txt");
    t.type_into("Find", "README");
    t.wait_for("1 of 1");

    // Binary: hex rows.
    t.click("data.bin");
    t.until("the hex row", |h| {
        h.query_all_by_label_contains("00000000  00 01 02 41 42 43 ff fe")
            .any(|n| n.value().is_some_and(|l| l.ends_with("...ABC..")))
    });

    // A picture, decoded; a broken one is a sentence, not a crash.
    t.click("pic.png");
    t.wait_for("Picture: pic.png");
    t.wait_for("3 × 2 pixels");
    t.click("broken.png");
    t.until("the broken picture's line", |h| {
        h.query_all_by_label_contains("This picture cannot be shown")
            .next()
            .is_some()
    });

    // A symlink: its target, and Follow opens it.
    t.click("docs/link");
    t.wait_for("Symbolic link to readme.txt");
    t.click("Follow");
    t.wait_for("/docs/readme.txt");
    t.wait_for("hello viewer");

    // Versions: the merged view's file comes from layer 2; layer 1's is a click away.
    // (The efficiency list on the left names the file too: the tree's row comes last.)
    t.harness
        .query_all_by_label("docs/notes.txt")
        .last()
        .expect("the tree's row")
        .click();
    t.harness.step();
    t.wait_for("second version");
    assert!(shows(&t, "From layer 2"), "where it comes from");
    t.click("Layer 1 · 14 B");
    t.wait_for("first version");
    assert!(shows(&t, "Layer 1's version"));
    assert!(
        !t.has("second version"),
        "the older text replaced the newer"
    );
}

#[test]
fn ui_a_200_mib_file_shows_its_first_mib_and_loads_more() {
    const BIG: u64 = 200 << 20;
    // Zeros, gzipped as the tar is generated: a few hundred kB to push, nothing held whole.
    let mut header = tar::Header::new_gnu();
    header.set_path("big.bin").expect("path");
    header.set_size(BIG);
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(1_700_000_000);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut diff = Sha256::new();
    let mut put = |bytes: &[u8]| {
        gz.write_all(bytes).expect("gzip");
        diff.update(bytes);
    };
    put(header.as_bytes());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..BIG >> 20 {
        put(&zeros);
    }
    put(&[0u8; 1024]);
    let gz = gz.finish().expect("gzip");
    let diff_id = format!("sha256:{}", support::oci::hex(&diff.finalize()));
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push_gzipped(&reg, "viewer/big:t", &[(gz, diff_id)]);

    // At 800×600 the viewer takes the tree's place, with a way back.
    let mut t = UiTest::with(Setup {
        registries: vec![reg.url()],
        size: egui::vec2(800.0, 600.0),
        ..Setup::default()
    });
    open_files(&mut t, &reg.host(), "viewer/big");
    t.click("big.bin");
    t.wait_for("First 1.00 MiB of 200 MiB");
    assert!(shows(&t, "00000000  00 00 00"), "the first row of zeros");
    t.click("Load more");
    t.wait_for("First 2.00 MiB of 200 MiB");
    t.click("← Back to the tree");
    t.wait_for("big.bin");
}

/// The blob GETs the proxy relayed: (its `Range`, the status).
fn blob_gets(proxy: &FaultProxy) -> Vec<(Option<String>, u16)> {
    // The proxy fills the status in after the body is written: wait for it.
    crate::support::wait::until("the blob GETs' answers on record", || {
        proxy.requests().iter().all(|r| {
            !(r.method == "GET" && r.target.contains("/blobs/sha256:")) || r.completed.is_some()
        })
    });
    proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains("/blobs/sha256:"))
        .map(|r| (r.range, r.status))
        .collect()
}

/// A 3 MiB text file written after 5 MiB of random bytes (past the first checkpoint of the
/// layer's seek index) is read once, through the index, and checked whole: its first MiB is
/// shown, and each Load more shows the next from the bytes already checked, with no request.
#[test]
fn ui_load_more_on_an_indexed_late_file_asks_the_registry_nothing() {
    use rand::RngCore as _;
    let mut noise = vec![0u8; 5 << 20];
    rand::rng().fill_bytes(&mut noise);
    let text: Vec<u8> = (0..)
        .flat_map(|i| format!("line {i:06} of the late file\n").into_bytes())
        .take(3 << 20)
        .collect();
    let layer = raw_tar(&[Raw::File("noise.bin", &noise), Raw::File("late.txt", &text)]);
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    push(&reg, "viewer/late:t", &[layer]);
    let proxy = FaultProxy::start(&reg.host());
    let mut t = UiTest::start(&[proxy.url()]);
    open_files(&mut t, &proxy.host(), "viewer/late");
    t.click("late.txt");
    t.wait_for("First 1.00 MiB of 3.00 MiB");
    t.wait_for("line 000000 of the late file");
    let opened = blob_gets(&proxy);
    // The config and the listing read their blobs whole; the file came from one range.
    let ranged: Vec<_> = opened.iter().filter(|(range, _)| range.is_some()).collect();
    assert!(
        ranged.len() == 1 && ranged[0].1 == 206 && opened.last() == Some(ranged[0]),
        "{opened:?}"
    );

    t.click("Load more");
    t.wait_for("First 2.00 MiB of 3.00 MiB");
    assert_eq!(blob_gets(&proxy), opened, "the first Load more asked again");
    t.click("Load more");
    // (The part line stays, with a spinner, until the part is in; then the whole is shown.)
    t.wait_gone("First 2.00 MiB of 3.00 MiB");
    assert!(shows(&t, "SHA-256 checked"), "the file was checked whole");
    assert_eq!(
        blob_gets(&proxy),
        opened,
        "the second Load more asked again"
    );
}
