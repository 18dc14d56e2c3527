//! Unit tests of the layout store on images built in memory.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::oci::{ImageName, LocalName, Platform, media};
use crate::store::LocalStore as _;

/// Writes a one-layer image with `seed` content and returns its manifest descriptor.
fn put_image(store: &LayoutStore, seed: &str) -> Descriptor {
    let layer = format!("layer {seed}").into_bytes();
    let layer_digest = store.put_bytes(&layer).unwrap();
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z","config":{{"Env":["SEED={seed}"]}},"rootfs":{{"type":"layers","diff_ids":[]}}}}"#
    )
    .into_bytes();
    let config_digest = store.put_bytes(&config).unwrap();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{}","config":{{"mediaType":"{}","digest":"{}","size":{}}},"layers":[{{"mediaType":"{}","digest":"{}","size":{}}}]}}"#,
        media::OCI_MANIFEST,
        media::OCI_CONFIG,
        config_digest,
        config.len(),
        media::OCI_LAYER_GZIP,
        layer_digest,
        layer.len()
    )
    .into_bytes();
    store.put_bytes(&manifest).unwrap();
    manifest_descriptor(media::OCI_MANIFEST, &manifest)
}

fn fresh() -> (tempfile::TempDir, LayoutStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = LayoutStore::open_or_create(&dir.path().join("store")).unwrap();
    (dir, store)
}

#[test]
fn write_verifies_and_leaves_nothing_on_mismatch() {
    let (_d, store) = fresh();
    let good = b"hello";
    let digest = Digest::of(good);
    assert_eq!(
        store
            .write_blob(&good[..], &digest, 5, &mut |_| {})
            .unwrap(),
        BlobStatus::Written
    );
    assert_eq!(
        store
            .write_blob(&good[..], &digest, 5, &mut |_| {})
            .unwrap(),
        BlobStatus::AlreadyPresent
    );
    let other = Digest::of(b"jello");
    let err = store
        .write_blob(&b"hellO"[..], &other, 5, &mut |_| {})
        .unwrap_err();
    assert_eq!(err.kind(), "verify_failed");
    let err = store
        .write_blob(&b"too long"[..], &other, 5, &mut |_| {})
        .unwrap_err();
    assert_eq!(err.kind(), "verify_failed");
    assert!(!store.has_blob(&other, 5));
    let report = store.fsck().unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.unreferenced, [digest]);
}

/// A detached verifier commits only when it saw this blob's bytes, as many as were written.
#[test]
fn detached_verifier_must_match_what_was_written() {
    let (_d, store) = fresh();
    let digest = Digest::of(b"abc");
    let attempt = |seen: &[u8], written: &[u8]| {
        let mut w = store.blob_writer(&digest, 3).unwrap().unwrap();
        let mut v = w.detach_verifier().unwrap();
        assert!(w.detach_verifier().is_err(), "only one verifier");
        let _ = v.update(seen);
        w.write_chunk(written).unwrap();
        w.commit_checked(v)
    };
    assert_eq!(attempt(b"abd", b"abc").unwrap_err().kind(), "verify_failed");
    assert!(
        attempt(b"abc", b"abcd").is_err(),
        "more written than checked"
    );
    assert!(!store.has_blob(&digest, 3));
    assert!(store.fsck().unwrap().temp_files.is_empty());
    attempt(b"abc", b"abc").unwrap();
    assert!(store.has_blob(&digest, 3));

    let mut w = store.blob_writer(&Digest::of(b"x"), 1).unwrap().unwrap();
    let _v = w.detach_verifier().unwrap();
    w.write_chunk(b"x").unwrap();
    assert!(
        w.commit().is_err(),
        "commit needs the detached verifier back"
    );
    assert!(store.fsck().unwrap().temp_files.is_empty());
}

#[test]
fn dropped_writer_removes_its_temp_file() {
    let (_d, store) = fresh();
    let digest = Digest::of(b"abc");
    let mut w = store.blob_writer(&digest, 3).unwrap().unwrap();
    w.write_chunk(b"ab").unwrap();
    drop(w);
    assert!(store.fsck().unwrap().temp_files.is_empty());
}

#[test]
fn commit_needs_every_blob() {
    let (_d, store) = fresh();
    let desc = put_image(&store, "a");
    let manifest: serde_json::Value =
        serde_json::from_slice(&store.read_blob(&desc.digest, 1 << 20).unwrap()).unwrap();
    let layer = Digest::parse(manifest["layers"][0]["digest"].as_str().unwrap()).unwrap();
    std::fs::remove_file(blob_path(store.dir(), &layer)).unwrap();
    let err = store
        .commit_ref(&RefName::image(&ImageName::parse("h/a:1")), desc.clone())
        .unwrap_err();
    assert!(matches!(err, Error::MissingBlob { ref digest, .. } if *digest == layer));
    assert!(store.read_index().unwrap().manifests.is_empty());
}

#[tokio::test]
async fn list_inspect_tag_delete_round_trip() {
    let (_d, store) = fresh();
    let store = store.with_label("berth");
    let a = put_image(&store, "a");
    let b = put_image(&store, "b");
    store
        .commit_ref(
            &RefName::image(&ImageName::parse("h:5000/lib/a:1")),
            a.clone(),
        )
        .unwrap();
    store
        .commit_ref(
            &RefName::image(&ImageName::parse("h:5000/lib/b:1")),
            b.clone(),
        )
        .unwrap();
    store
        .tag(
            &LocalName::parse("a:1"),
            &ImageName::parse("h:5000/lib/a:2"),
        )
        .await
        .unwrap();

    let list = store.list().await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].created.as_deref(), Some("2024-01-02T03:04:05Z"));
    assert_eq!(list[0].platforms, [Platform::parse("linux/amd64").unwrap()]);
    assert!(list.iter().all(|i| i.complete));

    let detail = store
        .inspect(&LocalName::parse("lib/a:2"), &Platform::host())
        .await
        .unwrap();
    assert_eq!(detail.digest, a.digest);
    assert_eq!(detail.reference, "berth:h:5000/lib/a:2");
    let image = detail.image.unwrap();
    assert_eq!(image.config.unwrap().config.env, ["SEED=a"]);

    // Deleting one of two names keeps the blobs.
    let plan = store.plan_delete("a:1").await.unwrap();
    assert_eq!(plan.removed_refs, ["h:5000/lib/a:1"]);
    assert_eq!(plan.kept_refs, ["h:5000/lib/a:2"]);
    assert_eq!(plan.freed_bytes, Some(0));
    store.delete(&plan).await.unwrap();
    // By digest, every name goes, then the blobs only it needed.
    let plan = store.plan_delete(a.digest.as_str()).await.unwrap();
    assert!(plan.removes_image && plan.freed_bytes.unwrap() > 0);
    let out = store.delete(&plan).await.unwrap();
    assert_eq!(out.deleted.len(), 3);
    let report = store.fsck().unwrap();
    assert!(
        report.is_clean() && report.unreferenced.is_empty(),
        "{report:?}"
    );
    assert_eq!(store.list().await.unwrap().len(), 1);
    assert!(matches!(
        store
            .inspect(&LocalName::parse("a:1"), &Platform::host())
            .await,
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn fsck_finds_corruption_and_gc_reclaims_leftovers() {
    let (_d, store) = fresh();
    let a = put_image(&store, "a");
    store.commit_ref(&RefName::tag("a"), a.clone()).unwrap();
    let leftover = store.put_bytes(b"from a cancelled pull").unwrap();
    std::fs::write(store.dir().join("blobs/sha256/.tmp-x-1-1"), b"partial").unwrap();

    let report = store.fsck().unwrap();
    assert_eq!(report.unreferenced, std::slice::from_ref(&leftover));
    assert_eq!(report.temp_files.len(), 1);
    // A killed pull's leftovers are reclaimable, not damage.
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.reclaimable_bytes, 21 + 7);
    let usage = store.usage().unwrap();
    assert!(usage.reclaimable_bytes >= 21 + 7);

    let gc = store.gc().unwrap();
    assert_eq!(gc.removed_blobs, [leftover]);
    assert_eq!(gc.removed_temp_files.len(), 1);
    assert!(store.fsck().unwrap().is_clean());

    std::fs::write(blob_path(store.dir(), &a.digest), b"{}").unwrap();
    let report = store.fsck().unwrap();
    assert_eq!(report.corrupt.len(), 1);
    assert_eq!(report.corrupt[0].digest, a.digest);
    assert_eq!(report.broken_refs.len(), 1);
}

#[test]
fn concurrent_commits_keep_every_ref() {
    let (_d, store) = fresh();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                let d = put_image(&store, &format!("t{i}"));
                store
                    .commit_ref(
                        &RefName::image(&ImageName::parse(&format!("h/img{i}:1"))),
                        d,
                    )
                    .unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.read_index().unwrap().manifests.len(), 8);
    assert!(store.fsck().unwrap().is_clean());
}

/// A commit does not wait for blobs other pulls are still writing (it used to wait for every
/// writer to finish, so a small pull could not finish during a big one).
#[test]
fn commit_does_not_wait_for_other_writers() {
    let (_d, store) = fresh();
    let busy = store
        .blob_writer(&Digest::of(b"a big layer"), 11)
        .unwrap()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let other = store.clone();
    std::thread::spawn(move || {
        let descriptor = put_image(&other, "small");
        let _ = tx.send(other.commit_ref(&RefName::tag("small"), descriptor));
    });
    let committed = rx.recv_timeout(std::time::Duration::from_secs(20));
    committed
        .expect("the commit ended while the other writer was busy")
        .unwrap();
    drop(busy);
    assert_eq!(store.images().unwrap().len(), 1);
}

/// Prune removes what its plan listed and nothing else, and refuses, removing nothing, when
/// an image committed after the plan needs a planned blob.
#[test]
fn prune_runs_its_plan_and_refuses_a_blob_referenced_since() {
    let (_d, store) = fresh();
    let a = put_image(&store, "a");
    store.commit_ref(&RefName::tag("a"), a).unwrap();
    let leftover = store.put_bytes(b"from a cancelled pull").unwrap();
    std::fs::write(store.dir().join("blobs/sha256/.tmp-x-1-1"), b"partial").unwrap();

    let plan = store.plan_prune().unwrap();
    let planned: Vec<_> = plan.blobs.iter().map(|b| b.digest.clone()).collect();
    assert_eq!(planned, std::slice::from_ref(&leftover));
    assert_eq!(plan.blobs[0].size, 21);
    assert_eq!(plan.temp_files.len(), 1);
    assert_eq!(plan.freed_bytes, 21 + 7);

    // A blob written after the plan is not in it, so it stays.
    let later = store.put_bytes(b"written after the plan").unwrap();
    let report = store.prune_planned(&plan).unwrap();
    assert_eq!(report.removed_blobs, [leftover]);
    assert_eq!(report.removed_temp_files.len(), 1);
    assert_eq!(report.freed_bytes, 21 + 7);
    assert!(store.has_blob(&later, 22));

    // An image pulled between the plan and the run needs a planned blob: refused.
    let b = put_image(&store, "b");
    let plan = store.plan_prune().unwrap();
    assert!(plan.blobs.iter().any(|x| x.digest == b.digest), "{plan:?}");
    store.commit_ref(&RefName::tag("b"), b.clone()).unwrap();
    let err = store.prune_planned(&plan).unwrap_err();
    assert!(matches!(err, Error::PruneChanged { .. }), "{err:?}");
    assert!(store.has_blob(&later, 22), "nothing was removed");
    assert!(store.has_blob(&b.digest, b.size));
}
