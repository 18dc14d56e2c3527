//! The multi-item delete job: registry tags (two tags of one digest are one delete, and both
//! are reported), a missing tag that fails on its own, a local image, and a registry with
//! delete disabled, each with its own result.

use crate::jobs_support::{Jobs, reg};
use crate::support::{self, Auth, FreshOptions};
use berth::jobs::{JobEventKind, JobMessage, JobOutput, JobSpec, Platforms};
use berth::oci::ImageRef;

#[tokio::test]
async fn several_items_each_get_their_own_result() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let host = fresh.host();
    let mut jobs = Jobs::new();
    jobs.ok(JobSpec::Copy {
        source: reg(&host, "library/alpine:3.19"),
        dest: ImageRef::Berth {
            name: "local/alpine:1".to_owned(),
        },
        platforms: Platforms::Host,
    })
    .await;
    let items = vec![
        reg(&host, "scratch/delete-me:a"),
        reg(&host, "scratch/delete-me:b"),
        reg(&host, "scratch/delete-me:c"),
        reg(&host, "scratch/delete-me:missing"),
        ImageRef::Berth {
            name: "local/alpine:1".to_owned(),
        },
    ];
    let id = jobs.runner.spawn(JobSpec::Delete { items });
    let out = jobs.wait(id).await.expect("the job itself succeeds");
    let JobOutput::Deleted { items } = out else {
        panic!("{out:?}")
    };
    let result = |i: usize| items[i].result.as_ref();
    let (a, b, c) = (
        result(0).expect("a"),
        result(1).expect("b"),
        result(2).expect("c"),
    );
    assert_eq!(a.digest, b.digest, "a and b share a digest");
    assert_ne!(a.digest, c.digest);
    for d in [a, b] {
        assert!(
            d.removed.iter().any(|t| t.ends_with(":a"))
                && d.removed.iter().any(|t| t.ends_with(":b")),
            "{d:?}"
        );
        assert!(d.needs_registry_gc);
    }
    assert_eq!(result(3).expect_err("missing").kind(), "not_found");
    let local = result(4).expect("local image");
    assert_eq!(local.removed, ["local/alpine:1"]);
    // One DELETE per digest.
    let deletes = fresh
        .access_log()
        .lines()
        .filter(|l| l.contains("\"DELETE /v2/scratch/delete-me/manifests/"))
        .count();
    assert_eq!(deletes, 2);
    assert!(jobs.events[&id].iter().any(|e| matches!(
        e,
        JobEventKind::Message(JobMessage::RegistryGcNeeded { registry }) if *registry == host
    )));
    let tags = fresh.get("/v2/scratch/delete-me/tags/list", &[]);
    assert!(
        tags.status == 404 || tags.json()["tags"].as_array().is_none_or(Vec::is_empty),
        "{}",
        tags.text()
    );
    assert!(jobs.store().images().expect("images").is_empty());
}

#[tokio::test]
async fn delete_disabled_is_reported_per_item() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).delete_disabled());
    let mut jobs = Jobs::new();
    let out = jobs
        .ok(JobSpec::Delete {
            items: vec![reg(&fresh.host(), "scratch/delete-me:c")],
        })
        .await;
    let JobOutput::Deleted { items } = out else {
        panic!("{out:?}")
    };
    let err = items[0].result.as_ref().expect_err("delete disabled");
    assert_eq!(err.kind(), "delete_disabled");
    let json = serde_json::to_value(&items[0]).expect("JSON");
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"]["kind"], "delete_disabled");
}
