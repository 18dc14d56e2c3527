//! Trees: one layer on its own, the merged filesystem (exact, node by node), the "this
//! layer only" view, wasted bytes (exact), and path filters.

use super::fixtures::{image_layers, read};
use crate::layers::{
    Change, EntryKind, FileTree, LayerListing, PathFilter, flags, layer_changes, merge,
};

fn listings() -> Vec<LayerListing> {
    image_layers()
        .iter()
        .map(|b| read(b).into_result().unwrap())
        .collect()
}

/// (path, type letter, change letter, layer) for every node, depth first in name order.
fn rows(tree: &FileTree) -> Vec<(String, char, char, u32)> {
    tree.walk()
        .map(|(id, _)| {
            let n = tree.node(id);
            let change = match n.change {
                Change::Added => 'A',
                Change::Modified => 'M',
                Change::Removed => 'R',
            };
            (tree.path_display(id), n.kind.letter(), change, n.layer)
        })
        .collect()
}

fn expect(rows: &[(&str, char, char, u32)]) -> Vec<(String, char, char, u32)> {
    rows.iter()
        .map(|(p, k, c, l)| ((*p).to_owned(), *k, *c, *l))
        .collect()
}

#[test]
fn merged_tree_is_exact() {
    let merged = merge(&listings());
    let t = &merged.tree;
    assert_eq!(
        rows(t),
        expect(&[
            ("dev", 'd', 'A', 1),
            ("dev/null", 'c', 'A', 1),
            ("etc", 'd', 'A', 0),
            ("etc/new", '-', 'A', 1),
            ("etc/passwd", '-', 'M', 2),
            ("opt", 'd', 'A', 0),
            ("opt/data", 'd', 'M', 1),
            ("opt/data/a", '-', 'R', 1),
            ("opt/data/b", '-', 'R', 1),
            ("opt/data/c", '-', 'A', 1),
            ("run", 'd', 'A', 1),
            ("run/fifo", 'p', 'A', 1),
            ("tmp", 'd', 'A', 0),
            ("tmp/cache", 'd', 'R', 2),
            ("tmp/cache/x", '-', 'R', 2),
            ("usr", 'd', 'A', 0),
            ("usr/bin", 'd', 'A', 0),
            ("usr/bin/app", '-', 'M', 1),
            ("usr/bin/app2", 'h', 'A', 0),
            ("usr/bin/sh", 'l', 'A', 0),
            ("usr/lib", 'd', 'A', 0),
            ("usr/lib/big", '-', 'R', 1),
            ("usr/lib/old", 'd', 'M', 2),
            ("usr/lib/old/inner", '-', 'A', 2),
        ])
    );
    let root = t.node(FileTree::ROOT);
    assert_eq!(root.total_size, 1352);
    assert_eq!(root.files, 5);
    assert_eq!(t.node(t.find(b"usr").unwrap()).total_size, 1240);
    // A removed directory still tells what it held.
    assert_eq!(t.node(t.find(b"tmp/cache").unwrap()).total_size, 50);
    assert_eq!(t.node(t.find(b"tmp").unwrap()).total_size, 0);
    assert!(t.node(t.find(b"opt/data").unwrap()).has_flag(flags::OPAQUE));
    assert!(t.node(t.find(b"dev").unwrap()).has_flag(flags::IMPLICIT));
    assert_eq!(
        t.link_target(t.find(b"usr/bin/sh").unwrap()),
        Some(&b"app"[..])
    );
    let passwd = t.node(t.find(b"/etc//passwd").unwrap());
    assert_eq!((passwd.mode, passwd.size), (0o600, 100));
}

#[test]
fn wasted_bytes_are_exact() {
    let all = listings();
    let merged = merge(&all);
    let e = &merged.efficiency;
    assert_eq!(e.total_bytes, 7832);
    assert_eq!(e.wasted_bytes, 5000 + 1000 + 300 + 100 + 50 + 20 + 10);
    // Every byte is either in the final filesystem or wasted.
    assert_eq!(
        e.total_bytes - e.wasted_bytes,
        merged.tree.node(FileTree::ROOT).total_size
    );
    assert!((e.score - 1352.0 / 7832.0).abs() < 1e-12);
    let wasted: Vec<(&str, u64, Vec<u32>)> = e
        .wasted
        .iter()
        .map(|w| (w.path.as_str(), w.bytes, w.layers.clone()))
        .collect();
    assert_eq!(
        wasted,
        [
            ("usr/lib/big", 5000, vec![0]),
            ("usr/bin/app", 1000, vec![0]),
            ("usr/lib/old", 300, vec![0]),
            ("etc/passwd", 100, vec![0]),
            ("tmp/cache/x", 50, vec![0]),
            ("opt/data/b", 20, vec![0]),
            ("opt/data/a", 10, vec![0]),
        ]
    );
    // The base layer alone wastes nothing.
    let base = merge(&all[..1]);
    assert_eq!(base.efficiency.wasted_bytes, 0);
    assert!((base.efficiency.score - 1.0).abs() < f64::EPSILON);
}

#[test]
fn one_layer_on_its_own() {
    let all = listings();
    let t = FileTree::from_listing(&all[1], 1);
    let big = t.node(t.find(b"usr/lib/big").unwrap());
    assert_eq!(big.change, Change::Removed);
    assert!(big.has_flag(flags::WHITEOUT));
    assert!(t.node(t.find(b"opt/data").unwrap()).has_flag(flags::OPAQUE));
    assert!(t.node(t.find(b"opt").unwrap()).has_flag(flags::IMPLICIT));
    assert!(t.find(b"opt/data/.wh..wh..opq").is_none());
    assert_eq!(t.node(FileTree::ROOT).total_size, 1200 + 7 + 5);
    assert_eq!(t.node(t.find(b"usr").unwrap()).total_size, 1200);
    assert_eq!(
        t.node(t.find(b"dev/null").unwrap()).kind,
        EntryKind::CharDevice
    );
}

#[test]
fn this_layer_only_is_coloured_against_the_layers_below() {
    let t = layer_changes(&listings(), 1);
    assert_eq!(
        rows(&t),
        expect(&[
            ("dev", 'd', 'A', 1),
            ("dev/null", 'c', 'A', 1),
            ("etc", 'd', 'A', 0),
            ("etc/new", '-', 'A', 1),
            ("opt", 'd', 'A', 0),
            ("opt/data", 'd', 'M', 1),
            ("opt/data/a", '-', 'R', 1),
            ("opt/data/b", '-', 'R', 1),
            ("opt/data/c", '-', 'A', 1),
            ("run", 'd', 'A', 1),
            ("run/fifo", 'p', 'A', 1),
            ("usr", 'd', 'A', 0),
            ("usr/bin", 'd', 'A', 0),
            ("usr/bin/app", '-', 'M', 1),
            ("usr/lib", 'd', 'A', 0),
            ("usr/lib/big", '-', 'R', 1),
        ])
    );
    assert_eq!(t.node(FileTree::ROOT).total_size, 1212);
}

#[test]
fn path_filters_keep_matches_and_their_directories() {
    let merged = merge(&listings());
    let glob = merged
        .tree
        .filter_paths(&PathFilter::parse("usr/**/a*").unwrap());
    let paths: Vec<String> = rows(&glob).into_iter().map(|r| r.0).collect();
    assert_eq!(paths, ["usr", "usr/bin", "usr/bin/app", "usr/bin/app2"]);
    let name_glob = merged
        .tree
        .filter_paths(&PathFilter::parse("*.wh*").unwrap());
    assert!(name_glob.is_empty());
    let sub = merged
        .tree
        .filter_paths(&PathFilter::parse("PASS").unwrap());
    let paths: Vec<String> = rows(&sub).into_iter().map(|r| r.0).collect();
    assert_eq!(paths, ["etc", "etc/passwd"]);
    assert_eq!(sub.node(FileTree::ROOT).total_size, 100);
    assert!(PathFilter::parse("[").is_err());
}

#[test]
fn a_file_under_a_former_file_and_repeated_entries() {
    use super::fixtures::{Item, blob};
    use crate::oci::media::Compression;
    let a = read(&blob(
        &[Item::File("x", 10), Item::File("x", 11)],
        Compression::None,
    ))
    .into_result()
    .unwrap();
    let b = read(&blob(&[Item::File("x/y", 5)], Compression::None))
        .into_result()
        .unwrap();
    let merged = merge(&[a, b]);
    let t = &merged.tree;
    // The duplicate in layer 0 wastes its first copy; layer 1 turns x into a directory.
    assert_eq!(rows(t), expect(&[("x", 'd', 'M', 1), ("x/y", '-', 'A', 1)]));
    assert_eq!(merged.efficiency.wasted_bytes, 21);
    assert_eq!(merged.efficiency.wasted[0].layers, [0, 0]);
    assert_eq!(merged.efficiency.total_bytes, 26);
}

/// A layer whose only entries are whiteouts of paths already gone below still shows the
/// removals it declares (the window must not say it changes no files).
#[test]
fn a_layer_of_whiteouts_that_hide_nothing_left_shows_its_removals() {
    use super::fixtures::{Item, blob};
    use crate::oci::media::Compression;
    let layers: Vec<LayerListing> = [
        blob(
            &[Item::Dir("etc/"), Item::File("etc/gone", 10)],
            Compression::None,
        ),
        blob(&[Item::Whiteout("etc/gone")], Compression::None),
        blob(
            &[Item::Dir("etc/"), Item::Whiteout("etc/gone")],
            Compression::None,
        ),
    ]
    .iter()
    .map(|b| read(b).into_result().unwrap())
    .collect();
    let removed = |t: &FileTree| {
        rows(t)
            .into_iter()
            .filter(|r| r.2 == 'R')
            .map(|r| (r.0, r.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        removed(&layer_changes(&layers, 1)),
        [("etc/gone".to_owned(), 1)]
    );
    assert_eq!(
        removed(&layer_changes(&layers, 2)),
        [("etc/gone".to_owned(), 2)]
    );
}

/// A later layer's `link/x` over an earlier symlink `link` turns `link` into a directory,
/// as a runtime does: the merged node says it replaced a symlink, and of which layer; a
/// directory entry declared over a file says so too; a later removal clears the note.
#[test]
fn a_directory_that_replaced_a_symlink_says_so() {
    use super::fixtures::{Item, blob};
    use crate::layers::Replaced;
    use crate::oci::media::Compression;
    let layer = |items: &[Item]| read(&blob(items, Compression::None)).into_result().unwrap();
    let layers = [
        layer(&[
            Item::Dir("usr/"),
            Item::Symlink("link", "usr"),
            Item::File("plain", 4),
            Item::Symlink("kept", "usr"),
        ]),
        layer(&[Item::File("link/x", 3), Item::Dir("plain/")]),
        layer(&[Item::Whiteout("plain")]),
    ];
    let replaced = |t: &FileTree, path: &str| t.node(t.find(path.as_bytes()).unwrap()).replaced;
    let two = merge(&layers[..2]).tree;
    assert_eq!(
        rows(&two),
        expect(&[
            ("kept", 'l', 'A', 0),
            ("link", 'd', 'M', 1),
            ("link/x", '-', 'A', 1),
            ("plain", 'd', 'M', 1),
            ("usr", 'd', 'A', 0),
        ])
    );
    let symlink = Some(Replaced {
        kind: EntryKind::Symlink,
        layer: 0,
    });
    assert_eq!(replaced(&two, "link"), symlink);
    let file = Some(Replaced {
        kind: EntryKind::File,
        layer: 0,
    });
    assert_eq!(replaced(&two, "plain"), file);
    assert_eq!(replaced(&two, "kept"), None);
    assert_eq!(replaced(&two, "link/x"), None);
    // The layer's own view keeps the note; a later removal takes it away.
    assert_eq!(replaced(&layer_changes(&layers, 1), "link"), symlink);
    let three = merge(&layers).tree;
    assert_eq!(replaced(&three, "link"), symlink);
    assert_eq!(replaced(&three, "plain"), None);
}
