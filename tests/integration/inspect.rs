//! The core's image reading and comparison (`berth::inspect`), which `berth files`,
//! `berth diff` and the Compare window share: a registry image against one in an OCI layout,
//! progress over both, and the error kinds a front end words (no image for the platform,
//! an engine image, a missing layout).

use crate::registry_read::client;
use crate::support::fixtures::{self, api, images};
use crate::support::{self, Auth};
use berth::inspect::{self, BytesRead, Error, Place};
use berth::layers::diff::FileChangeKind;
use berth::oci::{ImageRef, Platform, RegistryName, RegistryRef, Scheme};
use berth::settings::Settings;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn registry_place(reg: &support::TestRegistry, name: &str) -> Place {
    let registry = RegistryName {
        host: reg.host(),
        scheme: Some(Scheme::Http),
    };
    Place::Registry {
        client: Arc::new(client(reg)),
        reference: RegistryRef::parse_in(&registry, name).expect("reference"),
    }
}

fn local_place(text: &str) -> Place {
    Place::local(&ImageRef::parse(text).expect("reference")).expect("a local reference")
}

#[tokio::test]
async fn compare_reads_a_registry_image_against_one_in_a_layout() {
    let reg = support::registry(Auth::Anonymous);
    let b = fixtures::layout_ref("api-v2");
    let read = Arc::new(BytesRead::default());
    let reports = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&reports);
    let compared = inspect::compare(
        registry_place(reg, "team/app/api:v1"),
        local_place(&b),
        &Platform::host(),
        &Settings::default(),
        None,
        Arc::clone(&read),
        Arc::new(move || {
            counted.fetch_add(1, Ordering::Relaxed);
        }),
    )
    .await
    .expect("compare");

    assert_eq!(compared.name_a, reg.image("team/app/api:v1"));
    assert_eq!(compared.name_b, b);
    assert_eq!(
        compared.digest_a.as_str(),
        fixtures::seeded_digest("team/app/api:v1")
    );
    assert!(compared.damaged.is_empty(), "{:?}", compared.damaged);
    let files = &compared.diff.files;
    let changed = api::V1_TO_V2_CHANGED.len() + api::V1_TO_V2_CONTENT_CHANGED.len();
    assert_eq!((files.added, files.removed, files.changed), (1, 1, changed));
    let added: Vec<&str> = files
        .changes
        .iter()
        .filter(|c| c.change == FileChangeKind::Added)
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(added, [api::V1_TO_V2_ADDED[0].0]);
    assert_eq!(compared.diff.config.len(), 2);
    assert_eq!(compared.diff.layers.shared.len(), 3);

    // Every blob byte of both images was counted, and the caller heard of it.
    assert!(read.total() > 0);
    assert_eq!(read.read(), read.total());
    assert!(reports.load(Ordering::Relaxed) > 0);
}

#[tokio::test]
async fn an_index_without_the_platform_names_the_ones_it_has() {
    let reg = support::registry(Auth::Anonymous);
    let wanted = Platform::parse("plan9/mips").expect("platform");
    let result = inspect::resolve(
        registry_place(reg, "library/nginx:latest"),
        &wanted,
        &Settings::default(),
    )
    .await;
    let Err(Error::NoImage {
        reference,
        wanted: asked,
        available,
        nested,
    }) = result
    else {
        panic!("expected NoImage");
    };
    assert_eq!(reference, reg.image("library/nginx:latest"));
    assert_eq!(*asked, wanted);
    assert!(nested.is_empty(), "{nested:?}");
    let expected: Vec<String> = images::NGINX_LATEST_PLATFORMS
        .iter()
        .map(|p| match p.variant {
            Some(v) => format!("{}/{}/{v}", p.os, p.architecture),
            None => format!("{}/{}", p.os, p.architecture),
        })
        .collect();
    assert_eq!(available, expected);
}

#[tokio::test]
async fn engine_images_and_missing_layouts_are_told_apart() {
    let settings = Settings::default();
    let engine = inspect::resolve(local_place("docker:alpine"), &Platform::host(), &settings).await;
    assert!(
        matches!(&engine, Err(Error::EngineImage { reference }) if reference == "docker:alpine"),
        "{:?}",
        engine.err()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = format!("oci:{}:v1", dir.path().join("nothing").display());
    let store = inspect::resolve(local_place(&missing), &Platform::host(), &settings).await;
    assert!(matches!(&store, Err(Error::Store(_))), "{:?}", store.err());
    assert_eq!(store.err().map(|e| e.kind()), Some("not_a_layout"));
}
