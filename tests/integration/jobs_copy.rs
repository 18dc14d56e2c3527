//! Copy jobs: between two repositories of one registry by cross-repository mounts (seen in
//! the registry's access log), across registries by streaming verified blobs, and from a
//! layout store to a registry with chunked uploads for large blobs. Digests stay the same.

use crate::jobs_support::{Jobs, digest_of, oci_ref, random_image, reg};
use crate::support::{self, Auth, FreshOptions, TestEnv, fixtures, process};
use berth::jobs::{JobOutput, JobSpec, Platforms};
use berth::oci::{ImageRef, LocalName};
use serde_json::Value;

fn copy(source: ImageRef, dest: ImageRef) -> JobSpec {
    JobSpec::Copy {
        source,
        dest,
        platforms: Platforms::All,
    }
}

fn skopeo_digest(env: &TestEnv, target: &str) -> String {
    let v: Value = serde_json::from_str(&env.skopeo(&["inspect", target])).expect("skopeo JSON");
    v["Digest"].as_str().expect("Digest").to_owned()
}

fn counts(out: &JobOutput) -> berth::jobs::BlobCounts {
    match out {
        JobOutput::Copied { blobs, .. } => *blobs,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn copy_within_a_registry_mounts_blobs_and_keeps_the_digest() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let env = TestEnv::new();
    let mut jobs = Jobs::new();
    let out = jobs
        .ok(copy(
            reg(&fresh.host(), "team/app/api:v1"),
            reg(&fresh.host(), "copies/api:one"),
        ))
        .await;
    let seeded = fixtures::seeded_digest("team/app/api:v1");
    assert_eq!(digest_of(&out), seeded);
    let blobs = counts(&out);
    assert_eq!(blobs.fetched, 0, "{blobs:?}");
    assert!(blobs.mounted >= 2, "{blobs:?}");
    let log = fresh.access_log();
    let mounts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("POST /v2/copies/api/blobs/uploads/?mount="))
        .collect();
    assert_eq!(mounts.len(), blobs.mounted, "{log}");
    assert!(mounts.iter().all(|l| l.contains("\" 201 ")), "{mounts:?}");
    assert!(!log.contains("PATCH /v2/copies/api/"), "nothing uploaded");
    assert_eq!(
        skopeo_digest(&env, &fresh.docker_ref("copies/api:one")),
        seeded
    );

    // A whole index, and a retag within one repository (every blob already there).
    let nginx = jobs
        .ok(copy(
            reg(&fresh.host(), "library/nginx:latest"),
            reg(&fresh.host(), "copies/nginx"),
        ))
        .await;
    assert_eq!(
        digest_of(&nginx),
        fixtures::seeded_digest("library/nginx:latest")
    );
    assert_eq!(
        skopeo_digest(&env, &fresh.docker_ref("copies/nginx:latest")),
        digest_of(&nginx)
    );
    let retag = jobs
        .ok(copy(
            reg(&fresh.host(), "copies/api:one"),
            reg(&fresh.host(), "copies/api:two"),
        ))
        .await;
    let blobs = counts(&retag);
    assert_eq!((blobs.fetched, blobs.mounted), (0, 0), "{blobs:?}");
    assert_eq!(
        skopeo_digest(&env, &fresh.docker_ref("copies/api:two")),
        seeded
    );
}

#[tokio::test]
async fn copy_across_registries_streams_blobs() {
    let shared = support::registry(Auth::Anonymous);
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let env = TestEnv::new();
    let mut jobs = Jobs::new();
    for name in [
        "team/app/api:v2",
        "library/alpine:3.18",
        "team/tools/zstd:latest",
    ] {
        let out = jobs
            .ok(copy(reg(&shared.host(), name), reg(&fresh.host(), name)))
            .await;
        assert_eq!(digest_of(&out), fixtures::seeded_digest(name), "{name}");
        assert!(counts(&out).fetched >= 2, "{name}: {out:?}");
        assert_eq!(
            skopeo_digest(&env, &fresh.docker_ref(name)),
            fixtures::seeded_digest(name)
        );
    }
}

#[tokio::test]
async fn layout_to_registry_uploads_large_blobs_in_chunks() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let env = TestEnv::new();
    let src = process::scratch_dir("push-src-");
    // One layer larger than a chunk (16 MiB), one that goes up in a single PUT.
    let (manifest, layers) = random_image(&src, "v1", &[20 << 20, 1 << 20]);
    let mut jobs = Jobs::new();
    let out = jobs
        .ok(copy(oci_ref(&src, "v1"), reg(&fresh.host(), "pushed/big")))
        .await;
    assert_eq!(digest_of(&out), manifest);
    assert_eq!(counts(&out).fetched, 3);
    let log = fresh.access_log();
    let patches = log
        .lines()
        .filter(|l| l.contains("\"PATCH /v2/pushed/big/blobs/uploads/"))
        .count();
    assert_eq!(
        patches, 1,
        "one full 16 MiB chunk, the rest with the PUT: {log}"
    );
    assert_eq!(
        skopeo_digest(&env, &fresh.docker_ref("pushed/big:v1")),
        manifest
    );
    // The blobs are byte for byte what the layout holds: a pull gives them back.
    let back = jobs.dir("back");
    let pulled = jobs
        .ok(copy(
            reg(&fresh.host(), "pushed/big:v1"),
            oci_ref(&back, "v1"),
        ))
        .await;
    assert_eq!(digest_of(&pulled), manifest);
    for l in &layers {
        let a = std::fs::read(berth::store::layout::blob_path(
            &src,
            &l.parse().expect("d"),
        ));
        let b = std::fs::read(berth::store::layout::blob_path(
            &back,
            &l.parse().expect("d"),
        ));
        assert!(a.expect("src") == b.expect("back"), "{l}");
    }

    // Berth's store to a registry: pulled, then pushed under another name.
    let reg_ = support::registry(Auth::Anonymous);
    jobs.ok(JobSpec::pull(
        berth::oci::RegistryRef::parse(&format!("{}/library/alpine:3.19", reg_.host()))
            .map(|mut r| {
                r.registry.scheme = Some(berth::oci::Scheme::Http);
                r
            })
            .expect("ref"),
        None,
        Platforms::Host,
    ))
    .await;
    let pushed = jobs
        .ok(copy(
            ImageRef::Berth {
                name: LocalName::parse("alpine:3.19"),
            },
            reg(&fresh.host(), "from/berth"),
        ))
        .await;
    assert_eq!(
        digest_of(&pushed),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    assert_eq!(
        skopeo_digest(&env, &fresh.docker_ref("from/berth:3.19")),
        digest_of(&pushed)
    );
}

#[tokio::test]
async fn token_registry_grants_push_and_mount_scopes() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Token));
    let env = TestEnv::new();
    let mut jobs = Jobs::with_credentials(None);
    let out = jobs
        .ok(copy(
            reg(&fresh.host(), "library/alpine:3.19"),
            reg(&fresh.host(), "copies/alpine"),
        ))
        .await;
    assert!(counts(&out).mounted >= 2, "{out:?}");
    let src = process::scratch_dir("token-push-");
    let (manifest, _) = random_image(&src, "v1", &[1 << 20]);
    let pushed = jobs
        .ok(copy(
            oci_ref(&src, "v1"),
            reg(&fresh.host(), "pushed/small"),
        ))
        .await;
    assert_eq!(digest_of(&pushed), manifest);
    let scopes = fresh.token_server().expect("token server").granted_scopes();
    for wanted in [
        "repository:copies/alpine:pull,push",
        "repository:library/alpine:pull",
        "repository:pushed/small:pull,push",
    ] {
        assert!(
            scopes.iter().any(|s| s.contains(wanted)),
            "{wanted} in {scopes:?}"
        );
    }
    let creds = fresh.skopeo_creds();
    let mut args = vec!["inspect"];
    args.extend(creds.iter().map(String::as_str));
    let target = fresh.docker_ref("pushed/small:v1");
    args.push(&target);
    let seen: Value = serde_json::from_str(&env.skopeo(&args)).expect("skopeo JSON");
    assert_eq!(seen["Digest"], manifest.as_str());
}
