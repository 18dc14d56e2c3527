//! Pull jobs into layout stores against the real registry: what Berth writes is what skopeo
//! reads (same digests) and can copy back to a registry; concurrent pulls share blobs; a
//! cancel leaves nothing half-written; damaged bytes are fetched again; platforms.

use crate::jobs_support::{
    Jobs, assert_fsck_clean, digest_of, oci_ref, reg, registry_with_random_image,
};
use crate::support::{
    self, Auth, Fault, FaultProxy, FreshOptions, Gate, Rule, TestEnv, fixtures, wait,
};
use berth::jobs::{ItemState, JobEventKind, JobMessage, JobOutput, JobSpec, Platforms};
use berth::oci::{ImageRef, LocalName, Platform};
use serde_json::Value;
use std::time::Duration;

fn copy(source: ImageRef, dest: ImageRef, platforms: Platforms) -> JobSpec {
    JobSpec::Copy {
        source,
        dest,
        platforms,
    }
}

fn skopeo_json(env: &TestEnv, args: &[&str]) -> Value {
    serde_json::from_str(&env.skopeo(args)).expect("skopeo JSON")
}

/// The layer digests of a seeded single-image layout tag.
fn layers_of(layout_tag: &str) -> Vec<String> {
    let m = fixtures::layout_manifest(layout_tag);
    let mut out = vec![m["config"]["digest"].as_str().expect("config").to_owned()];
    out.extend(
        m["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .map(|l| l["digest"].as_str().expect("digest").to_owned()),
    );
    out
}

#[tokio::test]
async fn pulled_image_is_what_skopeo_sees_and_copies_back() {
    let reg_ = support::registry(Auth::Anonymous);
    let mut jobs = Jobs::new();
    let env = TestEnv::new();
    let dir = jobs.dir("lay");
    let out = jobs
        .ok(copy(
            reg(&reg_.host(), "team/app/api:v1"),
            oci_ref(&dir, "v1"),
            Platforms::Host,
        ))
        .await;
    let seeded = fixtures::seeded_digest("team/app/api:v1");
    assert_eq!(digest_of(&out), seeded);
    let JobOutput::Copied { blobs, .. } = &out else {
        panic!("{out:?}")
    };
    assert_eq!(blobs.present, 0);
    assert!(blobs.fetched >= 2 && blobs.bytes > 0, "{blobs:?}");
    let target = format!("oci:{}:v1", dir.display());
    let seen = skopeo_json(&env, &["inspect", &target]);
    assert_eq!(seen["Digest"], seeded.as_str());
    assert_fsck_clean(&dir);

    // skopeo copies what Berth wrote back to a registry, unchanged.
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let back = fresh.docker_ref("back/api:v1");
    env.skopeo(&["copy", "--quiet", "--preserve-digests", &target, &back]);
    let pushed = skopeo_json(&env, &["inspect", &back]);
    assert_eq!(pushed["Digest"], seeded.as_str());

    // Pulled again: every blob is present already.
    let again = jobs
        .ok(copy(
            reg(&reg_.host(), "team/app/api:v1"),
            oci_ref(&dir, "again"),
            Platforms::Host,
        ))
        .await;
    let JobOutput::Copied { blobs, .. } = &again else {
        panic!("{again:?}")
    };
    assert_eq!(blobs.fetched, 0, "{blobs:?}");
}

#[tokio::test]
async fn index_pulls_host_platform_or_all_of_them() {
    let reg_ = support::registry(Auth::Anonymous);
    let mut jobs = Jobs::new();
    let env = TestEnv::new();
    let nginx = reg(&reg_.host(), "library/nginx:latest");
    // Into Berth's store: the host platform's image, named HOST/REPO:TAG.
    let one = jobs
        .ok(copy(
            nginx.clone(),
            ImageRef::Berth {
                name: LocalName::Default,
            },
            Platforms::Host,
        ))
        .await;
    let JobOutput::Copied {
        dest, media_type, ..
    } = &one
    else {
        panic!("{one:?}")
    };
    assert_eq!(dest, &format!("berth:{}/library/nginx:latest", reg_.host()));
    assert!(media_type.contains("manifest"), "{media_type}");
    let store = jobs.store();
    let images = store.images().expect("images");
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].platforms, [Platform::host()]);
    assert!(images[0].complete);

    // Every platform: the index itself, with the registry's digest.
    let all_dir = jobs.dir("all");
    let all = jobs
        .ok(copy(
            nginx.clone(),
            oci_ref(&all_dir, "all"),
            Platforms::All,
        ))
        .await;
    assert_eq!(
        digest_of(&all),
        fixtures::seeded_digest("library/nginx:latest")
    );
    let raw = env.skopeo(&[
        "inspect",
        "--raw",
        &format!("oci:{}:all", all_dir.display()),
    ]);
    assert!(
        raw.contains("linux/arm/v7") || raw.contains("\"v7\""),
        "{raw}"
    );
    assert_fsck_clean(&all_dir);

    // A platform the index does not have.
    let err = jobs
        .run(copy(
            nginx,
            oci_ref(&all_dir, "s390x"),
            Platforms::One(Platform::parse("linux/s390x").expect("platform")),
        ))
        .await
        .expect_err("no such platform");
    assert_eq!(err.kind(), "platform_not_found");
    assert!(err.to_string().contains("linux/arm64"), "{err}");
}

#[tokio::test]
async fn concurrent_pulls_of_images_sharing_layers_fetch_each_blob_once() {
    let reg_ = support::registry(Auth::Anonymous);
    let proxy = FaultProxy::start(&reg_.host());
    // Slow blobs keep both jobs in flight at once.
    proxy.add(
        Rule::path("/blobs/").method("GET"),
        Fault::Delay(Duration::from_millis(300)),
    );
    let mut jobs = Jobs::new();
    let a = jobs.runner.spawn(copy(
        reg(&proxy.host(), "library/alpine:3.19"),
        ImageRef::Berth {
            name: LocalName::Default,
        },
        Platforms::Host,
    ));
    let b = jobs.runner.spawn(copy(
        reg(&proxy.host(), "library/alpine:latest"),
        ImageRef::Berth {
            name: LocalName::Default,
        },
        Platforms::Host,
    ));
    let (ra, rb) = (jobs.wait(a).await, jobs.wait(b).await);
    let (ra, rb) = (ra.expect("pull a"), rb.expect("pull b"));
    assert_eq!(
        digest_of(&ra),
        digest_of(&rb),
        "3.19 and latest share a digest"
    );
    for digest in layers_of("alpine-3.19") {
        assert_eq!(
            proxy.count("GET", &digest),
            1,
            "{digest} fetched once for both jobs"
        );
    }
    // Both jobs ended with every blob accounted for: fetched (or shared in flight), or
    // already in the store when the later job got to it (the other job had finished it).
    for id in [a, b] {
        let last = jobs.events[&id]
            .iter()
            .rev()
            .find_map(|e| match e {
                JobEventKind::Progress(p) => Some(p.clone()),
                _ => None,
            })
            .expect("progress");
        assert_eq!(last.done, last.total);
        assert!(
            last.items
                .iter()
                .all(|i| matches!(i.state, ItemState::Done | ItemState::Present)),
            "{:?}",
            last.items
        );
    }
    let store = jobs.store();
    assert_eq!(store.images().expect("images").len(), 2);
    assert_fsck_clean(store.dir());
}

#[tokio::test]
async fn cancel_part_way_leaves_no_temp_file_and_no_reference() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let src = support::process::scratch_dir("cancel-src-");
    let (_, layers) = crate::jobs_support::random_image(&src, "big", &[3 << 20, 2 << 20]);
    let env = TestEnv::new();
    env.skopeo(&[
        "copy",
        "--quiet",
        "--preserve-digests",
        &format!("oci:{}:big", src.display()),
        &format!("docker://{}/big/image:v1", fresh.host()),
    ]);
    let proxy = FaultProxy::start(&fresh.host());
    // The second layer's answer is held until the test is done: the job can only end by
    // being cancelled, not by the transfer finishing.
    let held = Gate::new();
    proxy.add(
        Rule::path(&layers[1]).method("GET"),
        Fault::Hold(held.clone()),
    );
    let mut jobs = Jobs::new();
    let dir = jobs.dir("lay");
    let id = jobs.runner.spawn(copy(
        reg(&proxy.host(), "big/image:v1"),
        oci_ref(&dir, "v1"),
        Platforms::Host,
    ));
    // The first layer is stored, the second one's transfer waits at the proxy.
    jobs.until(id, |e| match e {
        JobEventKind::Progress(p) => p
            .items
            .iter()
            .any(|i| i.id == layers[0] && i.state == ItemState::Done),
        _ => false,
    })
    .await;
    assert!(jobs.runner.cancel(id));
    // The held answer is never released before this: the job ends while its transfer hangs.
    let err = jobs.wait(id).await.expect_err("cancelled");
    assert_eq!(err.kind(), "cancelled");
    held.open();
    assert_fsck_clean(&dir);
    let store = berth::store::LayoutStore::open(&dir).expect("layout");
    assert!(store.images().expect("images").is_empty(), "no reference");
    assert!(store.has_blob(&layers[0].parse().expect("digest"), 3 << 20));
}

#[tokio::test]
async fn damaged_bytes_are_fetched_again() {
    let reg_ = support::registry(Auth::Anonymous);
    let proxy = FaultProxy::start(&reg_.host());
    let layer = layers_of("alpine-3.19")[1].clone();
    proxy.add(
        Rule::path(&layer).method("GET").times(1),
        Fault::FlipByte { offset: 10 },
    );
    let mut jobs = Jobs::new();
    let dir = jobs.dir("lay");
    let id = jobs.runner.spawn(copy(
        reg(&proxy.host(), "library/alpine:3.19"),
        oci_ref(&dir, "a"),
        Platforms::Host,
    ));
    jobs.wait(id).await.expect("pull after a retry");
    assert_eq!(proxy.count("GET", &layer), 2);
    let retried = jobs.events[&id].iter().any(|e| {
        matches!(e, JobEventKind::Message(JobMessage::Retrying { digest, attempt: 2, .. }) if digest.as_str() == layer)
    });
    assert!(retried, "{:?}", jobs.events[&id]);
    assert_fsck_clean(&dir);
}

/// A dead writer's leftover with wrong bytes in it is taken over, fails the digest check at
/// the end, and the retry fetches the layer whole: a damaged prefix never becomes a blob.
#[tokio::test]
async fn a_damaged_leftover_is_caught_and_the_layer_fetched_whole() {
    let (fresh, _, layers) = registry_with_random_image("left/over:v1", &[3 << 20]);
    let layer = layers[0].clone();
    let mut jobs = Jobs::new();
    let dir = jobs.dir("lay");
    berth::store::LayoutStore::open_or_create(&dir).expect("store");
    let mut gone = std::process::Command::new("true").spawn().expect("spawn");
    let pid = gone.id();
    gone.wait().expect("reap");
    let leftover = dir.join("blobs/sha256").join(format!(
        ".tmp-{}-{pid}-0",
        layer.trim_start_matches("sha256:")
    ));
    std::fs::write(&leftover, vec![0xAB; 2 << 20]).expect("leftover");

    let id = jobs.runner.spawn(copy(
        reg(&fresh.host(), "left/over:v1"),
        oci_ref(&dir, "a"),
        Platforms::Host,
    ));
    jobs.wait(id).await.expect("the pull ends well");
    let retried = jobs.events[&id].iter().any(|e| {
        matches!(e, JobEventKind::Message(JobMessage::Retrying { digest, .. }) if digest.as_str() == layer)
    });
    assert!(
        retried,
        "the damaged prefix was caught: {:?}",
        jobs.events[&id]
    );
    assert!(!leftover.exists());
    assert_fsck_clean(&dir);
}

/// A connection that breaks in the middle of a layer costs only the rest of it: the retry
/// keeps the whole megabytes already on disk (hashed again) and asks for the rest with
/// `Range`, and says so.
#[tokio::test]
async fn a_broken_connection_costs_only_the_rest_of_the_layer() {
    const MIB: usize = 1 << 20;
    let (fresh, manifest, layers) = registry_with_random_image("broken/conn:v1", &[12 * MIB]);
    let proxy = FaultProxy::start(&fresh.host());
    let layer = layers[0].clone();
    // The connection breaks only once Berth has written 7 whole MiB of the layer: a bare reset
    // may discard bytes the kernel received but Berth had not read yet, and a timed pause
    // would make the test depend on how fast it reads.
    let gate = Gate::new();
    proxy.add(
        Rule::path(&layer).method("GET").times(1),
        Fault::CutMidBody {
            after: 7 * MIB + 123,
            gate: gate.clone(),
        },
    );
    let mut jobs = Jobs::new();
    let dir = jobs.dir("lay");
    let id = jobs.runner.spawn(copy(
        reg(&proxy.host(), "broken/conn:v1"),
        oci_ref(&dir, "a"),
        Platforms::Host,
    ));
    let hex = layer.trim_start_matches("sha256:").to_owned();
    let blobs = dir.join("blobs/sha256");
    let written = move || {
        std::fs::read_dir(&blobs)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                e.file_name().to_string_lossy().contains(&hex)
                    && e.metadata().is_ok_and(|m| m.len() >= 7 * MIB as u64)
            })
    };
    tokio::task::spawn_blocking(move || wait::until("7 MiB of the layer on disk", written))
        .await
        .expect("waited");
    gate.open();
    let out = jobs.wait(id).await.expect("the pull ends well");
    assert!(matches!(out, JobOutput::Copied { digest, .. } if digest.as_str() == manifest));
    let statuses: Vec<u16> = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.target.contains(&layer))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [200, 206], "the retry asked for the rest only");
    // Whole megabytes of what arrived before the reset.
    let resumed = jobs.events[&id].iter().any(|e| {
        matches!(e, JobEventKind::Message(JobMessage::Resumed { digest, bytes })
            if digest.as_str() == layer && *bytes == 7 * MIB as u64)
    });
    assert!(resumed, "{:?}", jobs.events[&id]);
    assert_fsck_clean(&dir);
}
