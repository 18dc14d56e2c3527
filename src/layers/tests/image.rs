//! Whole images from an OCI layout directory: resolution, loading with progress, the cache,
//! verification of local blobs, and the diff of two images.

use super::fixtures::{Blob, Item, blob, image_layers, media_type};
use crate::layers::diff::{Difference, FileChangeKind};
use crate::layers::{
    BlobSource, Error, LayerCache, LayerProgress, LayerState, clear_cache, diff_images,
    load_layers, merge,
};
use crate::oci::media::Compression;
use crate::oci::{Digest, Platform};
use serde_json::json;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// (field, key, value in A, value in B)
type ConfigRow<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

fn put_blob(dir: &Path, bytes: &[u8]) -> Digest {
    let d = Digest::of(bytes);
    let path = dir.join("blobs/sha256").join(d.hex());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    d
}

/// Writes an image with `layers` and `config` into the layout at `dir`, tagged `tag`.
fn put_image(dir: &Path, tag: &str, layers: &[Blob], config: &serde_json::Value) {
    let config = serde_json::to_vec(config).unwrap();
    let config_digest = put_blob(dir, &config);
    let layer_json: Vec<_> = layers
        .iter()
        .map(|l| {
            put_blob(dir, &l.bytes);
            json!({"mediaType": media_type(l.compression), "digest": l.digest, "size": l.bytes.len()})
        })
        .collect();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": crate::oci::media::OCI_MANIFEST,
        "config": {"mediaType": crate::oci::media::OCI_CONFIG, "digest": config_digest, "size": config.len()},
        "layers": layer_json,
    }))
    .unwrap();
    let manifest_digest = put_blob(dir, &manifest);
    let index_path = dir.join("index.json");
    let mut index: serde_json::Value = std::fs::read(&index_path).map_or_else(
        |_| json!({"schemaVersion": 2, "manifests": []}),
        |b| serde_json::from_slice(&b).unwrap(),
    );
    index["manifests"].as_array_mut().unwrap().push(json!({
        "mediaType": crate::oci::media::OCI_MANIFEST,
        "digest": manifest_digest,
        "size": manifest.len(),
        "annotations": {"org.opencontainers.image.ref.name": tag},
    }));
    std::fs::write(index_path, serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
}

fn config(env: &[&str], cmd: &[&str], labels: &serde_json::Value) -> serde_json::Value {
    json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": env, "Cmd": cmd, "Labels": labels, "ExposedPorts": {"80/tcp": {}}},
        "rootfs": {"type": "layers", "diff_ids": []},
        "history": [],
    })
}

fn host() -> Platform {
    Platform::host()
}

#[tokio::test]
async fn layout_images_load_with_progress_and_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let layers = image_layers();
    put_image(dir.path(), "v1", &layers, &config(&[], &["sh"], &json!({})));
    let info = crate::layers::layout::read_image(dir.path(), Some("v1"), &host()).unwrap();
    assert_eq!(info.layers.len(), 3);
    let source = BlobSource::Layout {
        dir: dir.path().to_owned(),
    };
    let cache = LayerCache::new(cache_dir.path().join("layers"));
    let events: Arc<Mutex<Vec<LayerProgress>>> = Arc::default();
    let sink = events.clone();
    let progress = Arc::new(move |p: LayerProgress| sink.lock().unwrap().push(p));
    let reads = load_layers(&source, &info.layers, Some(&cache), progress.clone()).await;
    assert!(reads.iter().all(|r| r.error.is_none() && !r.cached));
    let done: Vec<usize> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.state == LayerState::Done)
        .map(|p| p.layer)
        .collect();
    assert_eq!(done.len(), 3);
    let merged = merge(&reads.iter().map(|r| &r.listing).collect::<Vec<_>>());
    assert_eq!(merged.efficiency.wasted_bytes, 6480);

    // Again: every layer from the cache, equal to what was read.
    events.lock().unwrap().clear();
    let again = load_layers(&source, &info.layers, Some(&cache), progress.clone()).await;
    for (a, b) in reads.iter().zip(&again) {
        assert!(b.cached);
        assert_eq!(a.listing, b.listing);
    }
    assert!(
        events
            .lock()
            .unwrap()
            .iter()
            .all(|p| p.state == LayerState::Cached)
    );
    assert!(cache.size() > 0);
    // A listing per layer, and a seek index per gzip or zstd layer.
    let indexed = info
        .layers
        .iter()
        .filter(|l| l.media_type.ends_with("gzip") || l.media_type.ends_with("zstd"))
        .count();
    assert!(indexed > 0);
    assert_eq!(clear_cache(cache.dir()).unwrap(), 3 + indexed);
    assert_eq!(cache.size(), 0);

    // A damaged cache file is a miss, not an error.
    let d = &info.layers[0].digest;
    cache.put(d, &reads[0].listing).unwrap();
    let file = cache.dir().join(format!("{}.lyr", d.hex()));
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&file, bytes).unwrap();
    assert!(cache.get(d).is_none());
}

/// A listing as the cache wrote it before files carried a SHA-256 (format 1: 72-byte
/// records, no hash) or before entries carried their compressed span (format 2: 104-byte
/// records). Kept here, not in the cache, because only this test needs to write it.
fn old_format(l: &crate::layers::LayerListing, version: u32) -> Vec<u8> {
    let hashed = version >= 2;
    let mut out = b"BERTHLYR".to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    for v in [
        l.entries.len() as u64,
        l.arena.len() as u64,
        l.blob_bytes,
        l.tar_bytes,
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for e in &l.entries {
        let link = e.link.unwrap_or_default();
        out.extend_from_slice(&[
            e.kind.to_byte(),
            u8::from(e.link.is_some()),
            u8::from(hashed && e.sha256.is_some()),
            0,
        ]);
        out.extend_from_slice(&e.mode.to_le_bytes());
        for v in [e.size, e.uid, e.gid, e.mtime, e.header_offset] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [
            e.dev_major,
            e.dev_minor,
            e.path.start,
            e.path.len,
            link.start,
            link.len,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        if hashed {
            out.extend_from_slice(&e.sha256.unwrap_or_default());
        }
    }
    out.extend_from_slice(&l.arena);
    out
}

/// A listing an older Berth cached has no file hashes (format 1), so Compare could not see
/// content, or no compressed spans (format 2), so a ranged read would fetch too much: it is
/// a miss, the layer is read again, and the new listing replaces it.
#[tokio::test]
async fn a_cached_listing_of_the_old_format_is_read_again() {
    for version in [1, 2] {
        listing_of_format_is_read_again(version).await;
    }
}

async fn listing_of_format_is_read_again(version: u32) {
    let dir = tempfile::tempdir().unwrap();
    let layers = image_layers();
    put_image(dir.path(), "v1", &layers, &config(&[], &["sh"], &json!({})));
    let info = crate::layers::layout::read_image(dir.path(), Some("v1"), &host()).unwrap();
    let source = BlobSource::Layout {
        dir: dir.path().to_owned(),
    };
    // Read through a cache of its own, so its gzip listings carry their spans too.
    let fresh_cache = LayerCache::new(dir.path().join("fresh"));
    let fresh = load_layers(&source, &info.layers, Some(&fresh_cache), Arc::new(|_| {})).await;
    let cache = LayerCache::new(dir.path().join("cache"));
    std::fs::create_dir_all(cache.dir()).unwrap();
    for (layer, read) in info.layers.iter().zip(&fresh) {
        let file = cache.dir().join(format!("{}.lyr", layer.digest.hex()));
        std::fs::write(&file, old_format(&read.listing, version)).unwrap();
        assert!(
            cache.get(&layer.digest).is_none(),
            "format {version} is a miss"
        );
        if layer.media_type.ends_with("gzip") {
            let index = fresh_cache.get_index(&layer.digest).unwrap();
            cache.put_index(&layer.digest, &index).unwrap();
            let spans = read.listing.iter().filter(|e| e.span_end > 0).count();
            assert_eq!(spans, read.listing.len(), "every entry has its span");
        }
    }

    let reads = load_layers(&source, &info.layers, Some(&cache), Arc::new(|_| {})).await;
    for (layer, (read, want)) in info.layers.iter().zip(reads.iter().zip(&fresh)) {
        assert!(
            read.error.is_none() && !read.cached,
            "read from the blob again"
        );
        assert_eq!(read.listing, want.listing);
        let hashed = read.listing.iter().filter(|e| e.sha256.is_some()).count();
        let files = read
            .listing
            .iter()
            .filter(|e| e.kind == crate::layers::EntryKind::File)
            .count();
        assert!(files > 0);
        assert_eq!(hashed, files);
        // The old file was replaced by one in today's format, hashes included.
        assert_eq!(cache.get(&layer.digest).as_ref(), Some(&want.listing));
    }
}

#[tokio::test]
async fn a_local_blob_that_does_not_match_its_digest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let layer = blob(&[Item::File("a", 10)], Compression::Gzip);
    put_image(
        dir.path(),
        "v1",
        std::slice::from_ref(&layer),
        &config(&[], &[], &json!({})),
    );
    // Swap the blob's bytes for another valid layer of the same size.
    let other = blob(&[Item::File("b", 10)], Compression::Gzip);
    assert_eq!(other.bytes.len(), layer.bytes.len());
    std::fs::write(
        dir.path().join("blobs/sha256").join(layer.digest.hex()),
        &other.bytes,
    )
    .unwrap();
    let info = crate::layers::layout::read_image(dir.path(), None, &host()).unwrap();
    let source = BlobSource::Layout {
        dir: dir.path().to_owned(),
    };
    let cache = LayerCache::new(dir.path().join("cache"));
    let reads = load_layers(&source, &info.layers, Some(&cache), Arc::new(|_| {})).await;
    let Some(Error::Verify { digest, .. }) = &reads[0].error else {
        panic!("expected a verification error, got {:?}", reads[0].error);
    };
    assert_eq!(digest, &layer.digest);
    // Nothing unverified is cached.
    assert!(cache.get(&layer.digest).is_none());
}

#[test]
fn layout_tags_are_found_or_listed() {
    let dir = tempfile::tempdir().unwrap();
    let layer = blob(&[Item::File("a", 1)], Compression::None);
    put_image(
        dir.path(),
        "one",
        std::slice::from_ref(&layer),
        &config(&[], &[], &json!({})),
    );
    put_image(
        dir.path(),
        "two",
        std::slice::from_ref(&layer),
        &config(&[], &[], &json!({})),
    );
    let err = crate::layers::layout::read_image(dir.path(), Some("three"), &host()).unwrap_err();
    let Error::LayoutTagNotFound { available, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(available, &["one", "two"]);
    assert!(crate::layers::layout::read_image(dir.path(), Some("two"), &host()).is_ok());
}

/// Writes images `a` and `b` into the layout at `dir`; returns the digest of their shared
/// base layer.
fn write_diff_images(dir: &Path) -> Digest {
    let base = image_layers().remove(0);
    let a_top = blob(
        &[
            Item::File("app/main", 100),
            Item::File("app/conf", 10),
            Item::Text("app/VERSION", b"v1\n"),
            Item::Symlink("app/current", "v1"),
        ],
        Compression::Gzip,
    );
    let b_top = blob(
        &[
            Item::File("app/main", 150),
            Item::FileMode("app/conf", 10, 0o600, 0),
            Item::Text("app/VERSION", b"v2\n"),
            Item::Symlink("app/current", "v2"),
            Item::File("app/extra", 33),
            Item::Whiteout("etc/passwd"),
        ],
        Compression::Zstd,
    );
    let base_digest = base.digest.clone();
    put_image(
        dir,
        "a",
        &[base, a_top],
        &config(
            &["PATH=/bin", "MODE=a"],
            &["run"],
            &json!({"v": "1", "gone": "x"}),
        ),
    );
    put_image(
        dir,
        "b",
        &[image_layers().remove(0), b_top],
        &config(
            &["PATH=/bin", "MODE=b", "NEW=1"],
            &["run", "--fast"],
            &json!({"v": "2"}),
        ),
    );
    base_digest
}

#[tokio::test]
async fn two_images_differ_in_exactly_the_known_ways() {
    let dir = tempfile::tempdir().unwrap();
    let base_digest = write_diff_images(dir.path());
    let source = BlobSource::Layout {
        dir: dir.path().to_owned(),
    };
    let mut trees = Vec::new();
    let mut infos = Vec::new();
    for tag in ["a", "b"] {
        let info = crate::layers::layout::read_image(dir.path(), Some(tag), &host()).unwrap();
        let reads = load_layers(&source, &info.layers, None, Arc::new(|_| {})).await;
        trees.push(merge(&reads.iter().map(|r| &r.listing).collect::<Vec<_>>()).tree);
        infos.push(info);
    }
    let d = diff_images(
        infos[0].config.as_ref(),
        &infos[0].layers,
        &trees[0],
        infos[1].config.as_ref(),
        &infos[1].layers,
        &trees[1],
    );
    let config: Vec<ConfigRow<'_>> = d
        .config
        .iter()
        .map(|c| (c.field, c.key.as_deref(), c.a.as_deref(), c.b.as_deref()))
        .collect();
    assert_eq!(
        config,
        [
            ("cmd", None, Some(r#"["run"]"#), Some(r#"["run","--fast"]"#)),
            ("env", Some("MODE"), Some("a"), Some("b")),
            ("env", Some("NEW"), None, Some("1")),
            ("labels", Some("gone"), Some("x"), None),
            ("labels", Some("v"), Some("1"), Some("2")),
        ]
    );
    assert_eq!(d.layers.shared.len(), 1);
    assert_eq!(d.layers.shared[0].0.digest, base_digest);
    assert_eq!((d.layers.only_a.len(), d.layers.only_b.len()), (1, 1));
    let files: Vec<(&str, FileChangeKind, Vec<Difference>)> = d
        .files
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.change, c.differences.clone()))
        .collect();
    assert_eq!(
        files,
        [
            // Same size, other bytes: changed by content alone.
            (
                "app/VERSION",
                FileChangeKind::Changed,
                vec![Difference::Content]
            ),
            ("app/conf", FileChangeKind::Changed, vec![Difference::Mode]),
            (
                "app/current",
                FileChangeKind::Changed,
                vec![Difference::Link]
            ),
            ("app/extra", FileChangeKind::Added, vec![]),
            (
                "app/main",
                FileChangeKind::Changed,
                vec![Difference::Size, Difference::Content]
            ),
            ("etc/passwd", FileChangeKind::Removed, vec![]),
        ]
    );
    assert_eq!((d.files.added_bytes, d.files.removed_bytes), (33, 100));
    assert_eq!(
        (d.files.changed_bytes_a, d.files.changed_bytes_b),
        (113, 163)
    );
}
