//! The engine store against a real `podman system service` (tests/support/podman.rs):
//! fixtures pulled through its API, then list, inspect, history, tag and delete, with the
//! refused and the forced cases (several tags on a delete by ID, where Podman answers 500;
//! a created, never started container, where it answers 409), and a confirmed delete refused
//! when a container appeared after its plan.

use crate::support::podman::Podman;
use crate::support::{self, Auth, TestEnv, fixtures};
use berth::oci::{ImageName, LocalName, Platform};
use berth::store::engine::{EngineKind, EngineStore};
use berth::store::{Error, LocalStore as _};
use serde_json::Value;
use std::process::Output;

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "berth failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("berth JSON")
}

/// A private podman with alpine:3.19 pulled from the shared test registry.
fn podman_with_alpine() -> (TestEnv, Podman, String) {
    let reg = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let podman = Podman::start(&env, &[reg.host()]);
    let alpine = reg.image("library/alpine:3.19");
    podman.pull(&alpine);
    (env, podman, alpine)
}

#[tokio::test]
async fn podman_images_list_inspect_history_and_tag() {
    let (env, podman, alpine) = podman_with_alpine();
    let store = EngineStore::connect_to(EngineKind::Podman, &podman.address())
        .await
        .expect("connect");
    assert_eq!(store.info().flavor, EngineKind::Podman);
    assert_eq!(store.info().api_version, "1.41");

    let images = store.list().await.expect("list");
    let row = images
        .iter()
        .find(|i| i.reference.as_deref() == Some(alpine.as_str()))
        .unwrap_or_else(|| panic!("{alpine} in {images:?}"));
    assert!(row.size > 0 && row.created.is_some());

    let alpine_name = LocalName::parse(&alpine);
    let detail = store
        .inspect(&alpine_name, &Platform::host())
        .await
        .expect("inspect");
    assert_eq!(
        detail.digest.as_str(),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    let image = detail.image.expect("image");
    assert_eq!(image.config_digest, row.digest);
    assert_eq!(
        image.platform.as_ref().map(ToString::to_string).as_deref(),
        Some("linux/amd64")
    );
    assert_eq!(image.layers.len(), 2);
    let config = image.config.expect("config");
    assert_eq!(
        config.config.labels["org.opencontainers.image.version"],
        "3.19"
    );
    assert!(!config.history.is_empty());

    // History IDs come back as digests (Podman leaves `sha256:` off).
    let history = store.history(&alpine_name).await.expect("history");
    assert_eq!(history[0].id.as_ref(), Some(&row.digest));

    store
        .tag(&alpine_name, &ImageName::parse("localhost/berth/tagged:v1"))
        .await
        .expect("tag");
    assert!(
        podman
            .repo_tags()
            .contains(&"localhost/berth/tagged:v1".to_owned())
    );

    // The CLI finds the service by itself: rootless Podman's socket under XDG_RUNTIME_DIR.
    let v = json(
        &env.berth()
            .args(["--json", "images", "podman:"])
            .output()
            .expect("berth"),
    );
    assert_eq!(v["kind"], "podman");
    let refs: Vec<&str> = v["images"]
        .as_array()
        .expect("images")
        .iter()
        .filter_map(|i| i["reference"].as_str())
        .collect();
    assert!(
        refs.contains(&alpine.as_str()) && refs.contains(&"localhost/berth/tagged:v1"),
        "{refs:?}"
    );
    // And `docker:` through DOCKER_HOST (Podman speaks the Docker API).
    let out = env
        .berth()
        .env("DOCKER_HOST", podman.address())
        .args(["--json", "images", "docker:"])
        .output()
        .expect("berth");
    assert_eq!(
        json(&out)["images"].as_array().map(Vec::len),
        Some(refs.len())
    );
    // No engine at all is a clear error naming where Berth looked.
    let none = TestEnv::new()
        .berth()
        .args(["images", "docker:"])
        .output()
        .expect("berth");
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("/var/run/docker.sock"));
    // tag via the CLI, within the engine.
    json(
        &env.berth()
            .args([
                "--json",
                "tag",
                &format!("podman:{alpine}"),
                "localhost/berth/cli:v2",
            ])
            .output()
            .expect("tag"),
    );
    assert!(
        podman
            .repo_tags()
            .contains(&"localhost/berth/cli:v2".to_owned())
    );
}

#[tokio::test]
async fn podman_deletes_are_refused_until_forced() {
    let (env, podman, alpine) = podman_with_alpine();
    let store = EngineStore::connect_to(EngineKind::Podman, &podman.address())
        .await
        .expect("connect");
    store
        .tag(
            &LocalName::parse(&alpine),
            &ImageName::parse("localhost/extra:1"),
        )
        .await
        .expect("tag");
    let id = store.list().await.expect("list")[0].digest.clone();

    // By ID with two tags: the plan says force, and unforced Podman refuses (a 500).
    let plan = store.plan_delete(id.as_str()).await.expect("plan");
    assert!(plan.needs_force && plan.removes_image, "{plan:?}");
    assert_eq!(plan.removed_refs.len(), 2);
    let err = store
        .remove_image(id.as_str(), false)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::EngineConflict { .. }), "{err:?}");
    assert_eq!(podman.repo_tags().len(), 2);

    // By one of two tags: only that tag goes, nothing to force.
    let out = json(
        &env.berth()
            .args(["--json", "rm", "--yes", "podman:localhost/extra:1"])
            .output()
            .expect("rm"),
    );
    assert_eq!(out["plans"][0]["needs_force"], false);
    assert_eq!(out["plans"][0]["kept_refs"], serde_json::json!([alpine]));
    assert_eq!(podman.repo_tags(), std::slice::from_ref(&alpine));

    // A created (never started) container blocks the last tag: listed, refused, then forced.
    podman.create_container("blocker", &alpine);
    let dry = env
        .berth()
        .args(["rm", "--dry-run", &format!("podman:{alpine}")])
        .output()
        .expect("rm");
    let listed = String::from_utf8_lossy(&dry.stdout);
    assert!(
        listed.contains("  blocker\n") && listed.contains("unless it is forced"),
        "{listed}"
    );
    let err = store
        .remove_image(&alpine, false)
        .await
        .expect_err("blocked");
    assert!(matches!(err, Error::EngineConflict { .. }), "{err:?}");
    let refused = env
        .berth()
        .args(["rm", &format!("podman:{alpine}")])
        .output()
        .expect("rm");
    assert!(
        !refused.status.success(),
        "no TTY and no --yes must not force"
    );
    assert_eq!(podman.repo_tags(), std::slice::from_ref(&alpine));

    let out = json(
        &env.berth()
            .args(["--json", "rm", "--yes", &format!("podman:{alpine}")])
            .output()
            .expect("rm"),
    );
    assert_eq!(
        out["plans"][0]["containers"],
        serde_json::json!(["blocker"])
    );
    assert_eq!(out["plans"][0]["needs_force"], true);
    assert!(podman.repo_tags().is_empty());
    assert_eq!(
        podman.get_json("/containers/json?all=true"),
        serde_json::json!([])
    );
}

/// A confirmed plan that only untags still refuses once a container uses the image: the
/// user was shown an image nothing used (ARCHITECTURE.md, "A confirmation is a contract").
#[tokio::test]
async fn podman_delete_refuses_a_container_made_after_the_plan() {
    let (_env, podman, alpine) = podman_with_alpine();
    let store = EngineStore::connect_to(EngineKind::Podman, &podman.address())
        .await
        .expect("connect");
    store
        .tag(
            &LocalName::parse(&alpine),
            &ImageName::parse("localhost/extra:1"),
        )
        .await
        .expect("tag");
    let plan = store.plan_delete("localhost/extra:1").await.expect("plan");
    assert!(
        !plan.removes_image && plan.image_containers.is_empty(),
        "{plan:?}"
    );

    podman.create_container("late", &alpine);
    let err = berth::store::delete_planned(&store, &plan)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::PlanChanged { .. }), "{err:?}");
    assert_eq!(podman.repo_tags().len(), 2, "nothing was untagged");
}
