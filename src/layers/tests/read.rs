//! Reading layers: every compression, long names, odd names; the listing against what GNU
//! `tar -tv` reports for the same blob; damaged blobs.

use super::fixtures::{self, Item, blob, read};
use crate::layers::{EntryKind, Error, LayerListing, mode_string, mtime_text};
use crate::oci::media::Compression;

/// One `tar -tv` line in the parts we compare.
#[derive(Debug, PartialEq, Eq)]
struct Line {
    mode: String,
    owner: String,
    size: String,
    date: String,
    name: String,
}

fn tar_tv(bytes: &[u8], c: Compression) -> Vec<Line> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("layer.blob");
    std::fs::write(&file, bytes).unwrap();
    let mut cmd = std::process::Command::new("tar");
    cmd.env("TZ", "UTC").env("LC_ALL", "C.UTF-8");
    cmd.arg("-tv").arg("--numeric-owner");
    match c {
        Compression::Gzip => {
            cmd.arg("-z");
        }
        Compression::Zstd => {
            cmd.arg("--zstd");
        }
        Compression::None => {}
    }
    let out = cmd.arg("-f").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "tar -tv failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut rest = l;
            let mut field = || {
                let t = rest.trim_start();
                let end = t.find(' ').unwrap();
                rest = &t[end + 1..];
                t[..end].to_owned()
            };
            let (mode, owner, size, day, time) = (field(), field(), field(), field(), field());
            Line {
                mode,
                owner,
                size,
                date: format!("{day} {time}"),
                name: rest.to_owned(),
            }
        })
        .collect()
}

fn ours(listing: &LayerListing) -> Vec<Line> {
    listing
        .iter()
        .map(|e| {
            let mut name = e.path_display().into_owned();
            match (e.kind, e.link_target()) {
                (EntryKind::Symlink, Some(t)) => {
                    name.push_str(" -> ");
                    name.push_str(&String::from_utf8_lossy(t));
                }
                (EntryKind::Hardlink, Some(t)) => {
                    name.push_str(" link to ");
                    name.push_str(&String::from_utf8_lossy(t));
                }
                _ => {}
            }
            Line {
                mode: mode_string(e.kind, e.mode),
                owner: format!("{}/{}", e.uid, e.gid),
                size: match e.kind {
                    EntryKind::CharDevice | EntryKind::BlockDevice => {
                        format!("{},{}", e.dev_major, e.dev_minor)
                    }
                    _ => e.size.to_string(),
                },
                date: mtime_text(e.mtime),
                name,
            }
        })
        .collect()
}

fn long_name(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("directory-number-{i:02}"))
        .collect::<Vec<_>>()
        .join("/")
}

fn rich_items() -> Vec<Item> {
    let gnu_long: &'static str =
        Box::leak(format!("{}/gnu-long-file", long_name(8)).into_boxed_str());
    vec![
        Item::Dir("./"),
        Item::Dir("./etc/"),
        Item::File("./etc/hosts", 12),
        Item::FileMode("./etc/shadow", 7, 0o640, 42),
        Item::FileMode("./usr/bin/su", 9, 0o4755, 0),
        Item::Dir("./tmp/"),
        Item::Symlink("./usr/bin/link", "../lib/target"),
        Item::Hardlink("./usr/bin/hard", "./usr/bin/su"),
        Item::Fifo("./run/pipe"),
        Item::CharDev("./dev/tty0", 4, 0),
        Item::File("./with space.txt", 3),
        Item::File("./caf\u{e9}.txt", 4),
        Item::File(gnu_long, 5),
        Item::PaxFile(format!("{}/pax-long-file", long_name(9)), 6),
        Item::Whiteout("./etc/gone"),
        Item::Opaque("./tmp"),
    ]
}

#[test]
fn listing_equals_tar_tv_for_every_compression() {
    for c in [Compression::Gzip, Compression::Zstd, Compression::None] {
        let b = blob(&rich_items(), c);
        let r = read(&b);
        assert!(r.error.is_none(), "{c:?}: {:?}", r.error);
        let expected = tar_tv(&b.bytes, c);
        assert_eq!(expected.len(), 16, "{c:?}: {expected:#?}");
        assert_eq!(ours(&r.listing), expected, "{c:?}");
        assert_eq!(r.listing.blob_bytes, b.bytes.len() as u64);
    }
}

#[test]
fn every_fixture_layer_equals_tar_tv() {
    for b in fixtures::image_layers() {
        let r = read(&b);
        assert!(r.error.is_none());
        assert_eq!(ours(&r.listing), tar_tv(&b.bytes, b.compression));
    }
}

#[test]
fn odd_names_are_kept_as_they_are() {
    let b = blob(
        &[
            Item::RawName(b"../../escape".to_vec()),
            Item::RawName(b"/abs/path".to_vec()),
            Item::RawName(b"bad\xffbyte".to_vec()),
        ],
        Compression::None,
    );
    let r = read(&b);
    assert!(r.error.is_none());
    let paths: Vec<&[u8]> = r.listing.iter().map(|e| e.path()).collect();
    assert_eq!(paths, [&b"../../escape"[..], b"/abs/path", b"bad\xffbyte"]);
    assert_eq!(r.listing.get(2).unwrap().path_display(), "bad\\xffbyte");
    let tree = crate::layers::FileTree::from_listing(&r.listing, 0);
    // `..` is a node named `..`, never resolved; a leading `/` is dropped like a runtime does.
    assert!(tree.find(b"../../escape").is_some());
    assert_eq!(tree.name(tree.find(b"..").unwrap()), b"..");
    assert!(tree.find(b"abs/path").is_some());
}

/// Each file's SHA-256 is taken on the way past, the one `sha256sum` gives; other kinds
/// have none. Every compression goes through the same path.
#[test]
fn files_carry_the_sha256_of_their_bytes() {
    for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let b = blob(
            &[
                Item::Dir("app/"),
                Item::Text("app/VERSION", b"v1\n"),
                Item::Text("app/empty", b""),
                Item::File("app/big", 300_000),
                Item::Symlink("app/link", "VERSION"),
                Item::Hardlink("app/again", "app/VERSION"),
            ],
            c,
        );
        let r = read(&b);
        assert!(r.error.is_none(), "{c:?}");
        let hashes: Vec<(String, Option<String>)> = r
            .listing
            .iter()
            .map(|e| {
                let hex = e.sha256.as_ref().map(crate::layers::sha256_hex);
                (e.path_display().into_owned(), hex)
            })
            .collect();
        let of = |bytes: &[u8]| Some(crate::oci::Digest::of(bytes).hex().to_owned());
        let big = fixtures::tar(&[Item::File("app/big", 300_000)]);
        // The data of the only entry: after its 512-byte header.
        let big_data = &big[512..512 + 300_000];
        assert_eq!(
            hashes,
            [
                ("app/".to_owned(), None),
                ("app/VERSION".to_owned(), of(b"v1\n")),
                ("app/empty".to_owned(), of(b"")),
                ("app/big".to_owned(), of(big_data)),
                ("app/link".to_owned(), None),
                ("app/again".to_owned(), None),
            ],
            "{c:?}"
        );
    }
}

#[test]
fn progress_reports_bytes_as_they_stream() {
    // Incompressible, so the blob is large enough for several reports.
    let b = blob(
        &[Item::File("big", 3 * crate::layers::PROGRESS_STEP)],
        Compression::Gzip,
    );
    let mut seen = Vec::new();
    let r = crate::layers::read_layer(&b.bytes[..], b.compression, &b.digest, &mut |n| {
        seen.push(n);
    });
    assert!(r.error.is_none());
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(*seen.last().unwrap(), b.bytes.len() as u64);
}

/// A layer of many files, so a cut lands in the middle of the entries.
fn many_files(c: Compression) -> fixtures::Blob {
    let names: Vec<&'static str> = (0..400)
        .map(|i| &*Box::leak(format!("dir/file-{i:04}").into_boxed_str()))
        .collect();
    let items: Vec<Item> = names.iter().map(|n| Item::File(n, 700)).collect();
    blob(&items, c)
}

#[test]
fn truncated_layers_keep_what_parsed_and_name_the_offset() {
    for c in [Compression::Gzip, Compression::Zstd, Compression::None] {
        let full = many_files(c);
        let complete = read(&full).listing;
        let cut = full.bytes.len() / 2;
        let mut damaged = fixtures::Blob {
            bytes: full.bytes[..cut].to_vec(),
            digest: full.digest.clone(),
            compression: c,
        };
        let r = read(&damaged);
        let Some(Error::Truncated {
            digest,
            offset,
            tar_offset,
        }) = &r.error
        else {
            panic!("{c:?}: expected truncation, got {:?}", r.error);
        };
        assert_eq!(digest, &full.digest);
        assert_eq!(*offset, cut as u64, "{c:?}");
        assert!(*tar_offset > 0);
        let message = r.error.as_ref().unwrap().to_string();
        assert!(message.contains(full.digest.as_str()) && message.contains(&cut.to_string()));
        // What parsed before the cut is there, and is exactly the start of the full list.
        let n = r.listing.len();
        assert!(n > 50 && n < 400, "{c:?}: {n} entries");
        assert_eq!(ours(&r.listing)[..], ours(&complete)[..n]);
        damaged.bytes.clear();
    }
}

#[test]
fn corrupt_gzip_is_an_error_with_an_offset() {
    let full = many_files(Compression::Gzip);
    let mut bytes = full.bytes.clone();
    let at = bytes.len() / 2;
    for b in &mut bytes[at..at + 64] {
        *b ^= 0x5a;
    }
    let damaged = fixtures::Blob {
        bytes,
        digest: full.digest.clone(),
        compression: Compression::Gzip,
    };
    let r = read(&damaged);
    let Some(Error::Corrupt { digest, offset, .. }) = &r.error else {
        panic!("expected corruption, got {:?}", r.error);
    };
    assert_eq!(digest, &full.digest);
    assert!(*offset > 0 && *offset <= full.bytes.len() as u64);
    assert!(!r.listing.is_empty() && r.listing.len() < 400);
}

#[test]
fn corrupt_tar_header_names_the_header_offset() {
    let items = [
        Item::File("a", 10),
        Item::File("b", 10),
        Item::File("c", 10),
    ];
    let mut tar = fixtures::tar(&items);
    // The second header starts at 1024 (512 header + 10 bytes of data padded to 512).
    tar[1024 + 100] ^= 0xff;
    let b = fixtures::Blob {
        digest: crate::oci::Digest::of(&tar),
        bytes: tar,
        compression: Compression::None,
    };
    let r = read(&b);
    let Some(Error::Corrupt { tar_offset, .. }) = &r.error else {
        panic!("expected corruption, got {:?}", r.error);
    };
    assert_eq!(*tar_offset, 1024);
    assert_eq!(r.listing.len(), 1);
}

#[test]
fn a_bad_gzip_trailer_is_caught_after_the_tar_ends() {
    let full = many_files(Compression::Gzip);
    let mut bytes = full.bytes.clone();
    let n = bytes.len();
    bytes[n - 8] ^= 0xff; // CRC32 of the gzip trailer
    let r = read(&fixtures::Blob {
        bytes,
        digest: full.digest.clone(),
        compression: Compression::Gzip,
    });
    assert!(
        matches!(r.error, Some(Error::Corrupt { .. })),
        "{:?}",
        r.error
    );
    assert_eq!(r.listing.len(), 400);
}

/// A header whose numeric fields and name hold terminal escapes: the error says which field
/// was bad, never the bytes (issue 18, item 12).
#[test]
fn header_bytes_never_reach_an_error() {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.as_gnu_mut().unwrap().name[..12].copy_from_slice(b"\x1b[31mred\nx\x1b]");
    h.set_size(0);
    h.as_gnu_mut().unwrap().mode = *b"\x1b[2J00\0\0";
    h.as_gnu_mut().unwrap().size = *b"\x1b]0;pwned\x07\0\0";
    h.set_cksum();
    let mut tar = h.as_bytes().to_vec();
    tar.extend_from_slice(&[0; 1024]);
    let blob = fixtures::Blob {
        digest: crate::oci::Digest::of(&tar),
        bytes: tar,
        compression: Compression::None,
    };
    let error = read(&blob).error.expect("a bad header is an error");
    let text = format!("{error} / {}", crate::i18n::describe(&error));
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('\n'), "{text}");
    assert!(!text.contains('\u{7}'), "{text}");
}

/// Each entry's compressed span (issue 22): the blob up to an entry's `span_end` decodes
/// through its last data byte, and a small file between two large ones ends its span long
/// before the next large one ends.
#[test]
fn each_entry_s_span_ends_where_its_bytes_are_decoded() {
    const SMALL: &[u8] = b"a small file between two large ones\n";
    let b = blob(
        &[
            Item::File("a.bin", 1_000_000),
            Item::Text("small.txt", SMALL),
            Item::File("b.bin", 2_000_000),
        ],
        Compression::Gzip,
    );
    let r = crate::layers::read_layer_indexed(
        &b.bytes[..],
        b.compression,
        &b.digest,
        &mut |_| {},
        256 * 1024,
    );
    assert!(r.error.is_none() && r.index.is_some());
    let spans: Vec<u64> = r.listing.iter().map(|e| e.span_end).collect();
    assert_eq!(spans.len(), 3);
    assert!(spans.windows(2).all(|w| w[0] <= w[1]), "{spans:?}");
    assert!(spans.iter().all(|&s| s > 0 && s <= b.bytes.len() as u64));
    let small = r.listing.get(1).unwrap();
    assert!(spans[1] + 1_000_000 < spans[2], "{spans:?}");

    // The blob cut at the small file's span end still decodes through its data.
    let data_start = usize::try_from(small.header_offset).unwrap() + 512;
    let cut = &b.bytes[..usize::try_from(spans[1]).unwrap()];
    let mut inflater = crate::layers::inflate::Inflater::new(cut, 0);
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = std::io::Read::read(&mut inflater, &mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    assert!(out.len() >= data_start + SMALL.len(), "{}", out.len());
    assert_eq!(&out[data_start..data_start + SMALL.len()], SMALL);
}

/// Without an index (zstd, or a read not asked for one) no span is recorded.
#[test]
fn no_index_no_spans() {
    let b = blob(&[Item::Text("x", b"x")], Compression::Zstd);
    let r = crate::layers::read_layer_indexed(
        &b.bytes[..],
        b.compression,
        &b.digest,
        &mut |_| {},
        256 * 1024,
    );
    assert!(r.error.is_none());
    assert!(r.listing.iter().all(|e| e.span_end == 0));
}
