//! Jobs with a real Podman engine (tests/support/podman.rs): a pull through the engine's
//! create-image API appears in `/images/json`; a failed pull (HTTP 200 with the error in the
//! stream) fails the job; images from Berth's store and from a tar are loaded as
//! docker-archives; an engine image is exported and pushed to a registry.

use crate::jobs_support::{Jobs, digest_of, reg};
use crate::support::podman::Podman;
use crate::support::{self, Auth, FreshOptions, TestEnv, fixtures};
use berth::jobs::{ArchiveFormat, JobEventKind, JobSpec, Platforms};
use berth::oci::{ImageRef, LocalName};
use serde_json::Value;

fn repo_tags(podman: &Podman) -> Vec<String> {
    podman
        .get_json("/images/json")
        .as_array()
        .expect("images")
        .iter()
        .flat_map(|i| i["RepoTags"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

/// The image ID (config digest) podman has for `name`.
fn image_id(podman: &Podman, name: &str) -> String {
    let v = podman.get_json(&format!("/images/{name}/json"));
    let id = v["Id"].as_str().expect("Id");
    if id.starts_with("sha256:") {
        id.to_owned()
    } else {
        format!("sha256:{id}")
    }
}

fn config_digest(layout_tag: &str) -> String {
    fixtures::layout_manifest(layout_tag)["config"]["digest"]
        .as_str()
        .expect("config digest")
        .to_owned()
}

fn podman(name: &str) -> ImageRef {
    ImageRef::Podman {
        name: LocalName::parse(name),
    }
}

#[tokio::test]
async fn podman_pulls_loads_and_pushes() {
    let shared = support::registry(Auth::Anonymous);
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let env = TestEnv::new();
    let engine = Podman::start(&env, &[shared.host(), fresh.host()]);
    let mut jobs = Jobs::with_engine(Some(engine.address()));

    // Registry → Podman through the engine's own pull.
    let alpine = shared.image("library/alpine:3.19");
    let id = jobs.runner.spawn(JobSpec::Copy {
        source: reg(&shared.host(), "library/alpine:3.19"),
        dest: podman(""),
        platforms: Platforms::Host,
    });
    let out = jobs.wait(id).await.expect("pull into podman");
    assert_eq!(
        digest_of(&out),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    assert!(
        repo_tags(&engine).contains(&alpine),
        "{:?}",
        repo_tags(&engine)
    );
    assert!(
        jobs.events[&id]
            .iter()
            .any(|e| matches!(e, JobEventKind::Message(_) | JobEventKind::Progress(_))),
        "the engine's stream is shown"
    );

    // Podman answers 200 and puts the error in the stream: the job fails.
    let err = jobs
        .run(JobSpec::Copy {
            source: reg(&shared.host(), "library/alpine:no-such-tag"),
            dest: podman(""),
            platforms: Platforms::Host,
        })
        .await
        .expect_err("missing tag");
    assert_eq!(err.kind(), "engine", "{err}");
    assert!(err.to_string().contains("no-such-tag"), "{err}");

    // Berth's store → Podman, streamed as a docker-archive.
    jobs.ok(JobSpec::Copy {
        source: reg(&shared.host(), "team/app/api:v1"),
        dest: ImageRef::Berth {
            name: LocalName::parse("local/api:v1"),
        },
        platforms: Platforms::Host,
    })
    .await;
    jobs.ok(JobSpec::Copy {
        source: ImageRef::Berth {
            name: LocalName::parse("local/api:v1"),
        },
        dest: podman("berth/api:v1"),
        platforms: Platforms::Host,
    })
    .await;
    let tags = repo_tags(&engine);
    assert!(tags.iter().any(|t| t.ends_with("berth/api:v1")), "{tags:?}");
    assert_eq!(image_id(&engine, "berth/api:v1"), config_digest("api-v1"));

    // A tar Berth saved → Podman.
    let tar = jobs.dir("api-v2.tar");
    jobs.ok(JobSpec::Save {
        source: reg(&shared.host(), "team/app/api:v2"),
        file: tar.clone(),
        format: ArchiveFormat::Docker,
        platforms: Platforms::Host,
    })
    .await;
    jobs.ok(JobSpec::Load {
        file: tar,
        dest: podman("loaded/api:v2"),
    })
    .await;
    assert_eq!(image_id(&engine, "loaded/api:v2"), config_digest("api-v2"));

    // Podman → registry: the engine's saved archive, pushed; the same config.
    let pushed = jobs
        .ok(JobSpec::Copy {
            source: podman(&alpine),
            dest: reg(&fresh.host(), "from/podman:v1"),
            platforms: Platforms::Host,
        })
        .await;
    let config: Value = serde_json::from_str(&env.skopeo(&[
        "inspect",
        "--config",
        &fresh.docker_ref("from/podman:v1"),
    ]))
    .expect("skopeo JSON");
    let original: Value = serde_json::from_str(&env.skopeo(&[
        "inspect",
        "--config",
        &shared.docker_ref("library/alpine:3.19"),
    ]))
    .expect("skopeo JSON");
    assert_eq!(config["rootfs"], original["rootfs"]);
    let seen: Value =
        serde_json::from_str(&env.skopeo(&["inspect", &fresh.docker_ref("from/podman:v1")]))
            .expect("skopeo JSON");
    assert_eq!(seen["Digest"], digest_of(&pushed).as_str());
}

#[tokio::test]
async fn podman_pull_sends_the_jobs_credentials() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Basic));
    let env = TestEnv::new();
    let engine = Podman::start(&env, &[fresh.host()]);
    // Podman has no credentials of its own for this registry: only X-Registry-Auth.
    let mut anonymous = Jobs::with_engine(Some(engine.address()));
    let err = anonymous
        .run(JobSpec::Copy {
            source: reg(&fresh.host(), "library/alpine:3.19"),
            dest: podman(""),
            platforms: Platforms::Host,
        })
        .await
        .expect_err("anonymous pull of a Basic-auth registry");
    assert_eq!(err.kind(), "engine", "{err}");
    let mut jobs = Jobs::with_credentials(Some(engine.address()));
    let out = jobs
        .ok(JobSpec::Copy {
            source: reg(&fresh.host(), "library/alpine:3.19"),
            dest: podman(""),
            platforms: Platforms::Host,
        })
        .await;
    assert_eq!(
        digest_of(&out),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    assert!(repo_tags(&engine).contains(&fresh.image("library/alpine:3.19")));
}
