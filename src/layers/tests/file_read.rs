//! Finding and reading one file: the merged filesystem's answer against the merge fixture
//! (whiteouts, opaque directories, a file under a former file), versions, symlinks and their
//! loops, and the bytes of a layout image's file checked against the listing's hash.

use super::fixtures::{Item, blob, image_layers, media_type, read};
use crate::layers::file_read::{self, link_destination, locate_in_layer, locate_merged};
use crate::layers::{BlobSource, EntryKind, FileError, LayerListing, Version, VersionKind};
use crate::oci::image::LayerInfo;
use crate::oci::media::Compression;

fn listings() -> Vec<LayerListing> {
    image_layers().iter().map(|b| read(b).listing).collect()
}

#[test]
fn the_merged_filesystem_answers_like_the_merge() {
    let l = listings();
    let app = locate_merged(&l, b"/usr/bin/app").unwrap();
    assert_eq!((app.layer, app.size), (1, 1200));
    assert_eq!(locate_merged(&l, b"./etc/passwd").unwrap().layer, 2);
    assert!(matches!(
        locate_merged(&l, b"usr/lib/big"),
        Err(FileError::WhitedOut { layer: 2, .. })
    ));
    assert!(matches!(
        locate_merged(&l, b"tmp/cache/x"),
        Err(FileError::WhitedOut { layer: 3, .. })
    ));
    // Opaque in layer 2: layer 1's files are gone, layer 2's own file stays.
    assert!(matches!(
        locate_merged(&l, b"opt/data/a"),
        Err(FileError::WhitedOut { layer: 2, .. })
    ));
    assert_eq!(locate_merged(&l, b"opt/data/c").unwrap().layer, 1);
    assert!(matches!(
        locate_merged(&l, b"usr"),
        Err(FileError::IsDirectory { .. })
    ));
    assert!(matches!(
        locate_merged(&l, b"nothing/here"),
        Err(FileError::NotFound { .. })
    ));
    // In one layer: the file is there even though a later layer removed it.
    assert_eq!(locate_in_layer(&l, 0, b"usr/lib/big").unwrap().size, 5000);
    assert!(matches!(
        locate_in_layer(&l, 7, b"usr/lib/big"),
        Err(FileError::NoSuchLayer { n: 8, count: 3 })
    ));
}

#[test]
fn versions_name_every_layer_that_touched_a_path() {
    let l = listings();
    assert_eq!(
        file_read::versions(&l, b"usr/bin/app"),
        vec![
            Version {
                layer: 0,
                kind: VersionKind::Entry(EntryKind::File, 1000)
            },
            Version {
                layer: 1,
                kind: VersionKind::Entry(EntryKind::File, 1200)
            },
        ]
    );
    assert_eq!(
        file_read::versions(&l, b"usr/lib/big"),
        vec![
            Version {
                layer: 0,
                kind: VersionKind::Entry(EntryKind::File, 5000)
            },
            Version {
                layer: 1,
                kind: VersionKind::Removed
            },
        ]
    );
    // A directory put where a file was removes nothing below; the file's own history shows
    // the replacement.
    assert_eq!(
        file_read::versions(&l, b"usr/lib/old"),
        vec![
            Version {
                layer: 0,
                kind: VersionKind::Entry(EntryKind::File, 300)
            },
            Version {
                layer: 2,
                kind: VersionKind::Entry(EntryKind::Dir, 0)
            },
        ]
    );
}

#[test]
fn symlinks_resolve_inside_the_image_and_loops_stop() {
    assert_eq!(link_destination(b"usr/bin/sh", b"app"), b"usr/bin/app");
    assert_eq!(
        link_destination(b"usr/bin/sh", b"../../../../etc/x"),
        b"etc/x"
    );
    assert_eq!(link_destination(b"a/b", b"/etc/./y"), b"etc/y");
    let l = listings();
    let sh = file_read::resolve(&l, b"usr/bin/sh").unwrap();
    assert_eq!((sh.path.as_slice(), sh.layer), (&b"usr/bin/app"[..], 1));
    let layer = read(&blob(
        &[
            Item::Symlink("loop/a", "b"),
            Item::Symlink("loop/b", "a"),
            Item::Symlink("bin", "usr/bin"),
            Item::Text("usr/bin/tool", b"x"),
        ],
        Compression::None,
    ))
    .listing;
    let one = [layer];
    assert!(matches!(
        file_read::resolve(&one, b"loop/a"),
        Err(FileError::LinkLoop { .. })
    ));
    assert_eq!(
        file_read::resolve(&one, b"/bin/tool").unwrap().path,
        b"usr/bin/tool"
    );
}

#[tokio::test]
async fn bytes_come_from_the_layer_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let text: &[u8] = b"line one\nline two\n";
    let b = blob(
        &[
            Item::Text("etc/motd", text),
            Item::File("big", 3000),
            Item::Hardlink("etc/again", "etc/motd"),
        ],
        Compression::Gzip,
    );
    let path = dir.path().join("blobs/sha256").join(b.digest.hex());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &b.bytes).unwrap();
    let source = BlobSource::Layout {
        dir: dir.path().to_path_buf(),
    };
    let info = LayerInfo {
        digest: b.digest.clone(),
        media_type: media_type(b.compression).to_owned(),
        size: b.bytes.len() as u64,
        annotations: std::collections::BTreeMap::new(),
    };
    let l = [read(&b).listing];
    let motd = locate_merged(&l, b"etc/motd").unwrap();
    let whole = file_read::read_part(&source, &info, &motd, 0, 1 << 20, None)
        .await
        .unwrap();
    assert_eq!(
        (whole.bytes.as_slice(), whole.verified, whole.more()),
        (text, true, false)
    );
    // A small file is read whole (one buffer), so even a part of it is checked.
    let middle = file_read::read_part(&source, &info, &motd, 5, 3, None)
        .await
        .unwrap();
    assert_eq!(
        (middle.bytes.as_slice(), middle.verified, middle.more()),
        (&b"one"[..], true, true)
    );
    let again = locate_merged(&l, b"etc/again").unwrap();
    assert_eq!(again.kind, EntryKind::Hardlink);
    let target = file_read::hardlink_target(&l, &again).unwrap();
    assert_eq!(target, motd);
    let (n, out) = file_read::copy_to(&source, &info, &motd, Vec::new())
        .await
        .unwrap();
    assert_eq!((n, out.as_slice()), (text.len() as u64, text));
    // A listing that records another hash: the bytes are refused at the end.
    let mut wrong = motd.clone();
    wrong.sha256 = Some([0; 32]);
    let e = file_read::read_part(&source, &info, &wrong, 0, 1 << 20, None)
        .await
        .unwrap_err();
    assert!(matches!(e, FileError::Mismatch { layer: 1, .. }), "{e:?}");
    let e = file_read::copy_to(&source, &info, &wrong, Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(e, FileError::Mismatch { .. }), "{e:?}");
}
