//! The delete job carries out confirmed plans, not a selection: registry plans (each digest
//! with every tag on it, tags not given included), a local image's plan, a registry with
//! delete disabled, and the refusal when the registry or the store changed between the plan
//! and the job.

use super::registry_read::{client, repo_name};
use crate::jobs_support::{Jobs, reg};
use crate::support::{self, Auth, FreshOptions, TestRegistry};
use berth::jobs::{DeleteTarget, JobEventKind, JobMessage, JobOutput, JobSpec, Platforms};
use berth::oci::{ImageRef, LocalName, Reference, RegistryName};
use berth::store::LocalStore as _;

/// Puts the manifest `repo:from` points at under `repo:to` as well (a push of a new tag).
pub fn retag(reg: &TestRegistry, repo: &str, from: &str, to: &str) {
    let accept = "application/vnd.oci.image.manifest.v1+json, \
        application/vnd.docker.distribution.manifest.v2+json, \
        application/vnd.oci.image.index.v1+json, \
        application/vnd.docker.distribution.manifest.list.v2+json";
    let m = reg.get(
        &format!("/v2/{repo}/manifests/{from}"),
        &[("Accept", accept)],
    );
    assert_eq!(m.status, 200, "{}", m.text());
    let media_type = m.header("content-type").expect("Content-Type").to_owned();
    reg.pusher().put_manifest(repo, to, &media_type, &m.body);
}

/// The registry plans for `tags` of `scratch/delete-me`, as a dialog would confirm them.
async fn planned(reg: &TestRegistry, tags: &[&str]) -> Vec<DeleteTarget> {
    let refs: Vec<Reference> = tags.iter().map(|t| Reference::Tag((*t).into())).collect();
    client(reg)
        .plan_delete_many(&repo_name("scratch/delete-me"), &refs, |_, _| {})
        .await
        .expect("plan")
        .into_iter()
        .map(|plan| DeleteTarget::Registry {
            registry: RegistryName::parse(&format!("http://{}", reg.host())).expect("registry"),
            plan,
        })
        .collect()
}

fn deleted(out: JobOutput) -> Vec<berth::jobs::DeleteItem> {
    let JobOutput::Deleted { items } = out else {
        panic!("{out:?}")
    };
    items
}

#[tokio::test]
async fn the_job_deletes_the_plan_every_tag_each_with_its_result() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let host = fresh.host();
    let mut jobs = Jobs::new();
    jobs.ok(JobSpec::Copy {
        source: reg(&host, "library/alpine:3.19"),
        dest: ImageRef::Berth {
            name: LocalName::parse("local/alpine:1"),
        },
        platforms: Platforms::Host,
    })
    .await;
    let mut targets = planned(&fresh, &["a", "c"]).await;
    // The plan names b, which shares a's digest, as not given.
    let DeleteTarget::Registry { plan, .. } = &targets[0] else {
        panic!("registry plan")
    };
    assert_eq!(
        plan.tags
            .iter()
            .map(|t| (t.tag.as_str(), t.given))
            .collect::<Vec<_>>(),
        [("a", true), ("b", false)]
    );
    let local = ImageRef::Berth {
        name: LocalName::parse("local/alpine:1"),
    };
    let plan = jobs
        .store()
        .plan_delete("local/alpine:1")
        .await
        .expect("local plan");
    targets.push(DeleteTarget::Local { image: local, plan });
    let id = jobs.runner.spawn(JobSpec::Delete { targets });
    let items = deleted(jobs.wait(id).await.expect("the job itself succeeds"));
    let names: Vec<&str> = items.iter().map(|i| i.reference.as_str()).collect();
    assert_eq!(
        names,
        [
            format!("{host}/scratch/delete-me:a"),
            format!("{host}/scratch/delete-me:b"),
            format!("{host}/scratch/delete-me:c"),
            "berth:local/alpine:1".to_owned(),
        ]
    );
    for item in &items {
        let done = item.result.as_ref().expect("deleted");
        assert_eq!(
            done.needs_registry_gc,
            !item.reference.starts_with("berth:")
        );
    }
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

/// A tag pushed onto a planned digest after the plan, or a planned tag moved to another
/// digest, refuses the delete of that repository: nothing is deleted.
#[tokio::test]
async fn the_job_refuses_when_the_registry_changed_since_the_plan() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let mut jobs = Jobs::new();
    let targets = planned(&fresh, &["a"]).await;
    retag(&fresh, "scratch/delete-me", "a", "new");
    let items = deleted(jobs.ok(JobSpec::Delete { targets }).await);
    assert_eq!(items.len(), 2, "a and b, as planned");
    for item in &items {
        let err = item.result.as_ref().expect_err("refused");
        assert_eq!(err.kind(), "plan_changed", "{err}");
        assert!(err.to_string().contains("scratch/delete-me:new"), "{err}");
    }
    let c = client(&fresh);
    let repo = repo_name("scratch/delete-me");
    assert_eq!(c.tags(&repo).await.expect("tags"), ["a", "b", "c", "new"]);

    let targets = planned(&fresh, &["c"]).await;
    retag(&fresh, "scratch/delete-me", "a", "c");
    let items = deleted(jobs.ok(JobSpec::Delete { targets }).await);
    let err = items[0].result.as_ref().expect_err("refused");
    assert_eq!(err.kind(), "plan_changed", "{err}");
    assert_eq!(c.tags(&repo).await.expect("tags"), ["a", "b", "c", "new"]);
    assert!(
        !fresh.access_log().contains("\"DELETE "),
        "no DELETE was sent"
    );
}

/// A local image whose name now points at another image is not deleted.
#[tokio::test]
async fn the_job_refuses_a_local_plan_the_store_no_longer_makes() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let host = fresh.host();
    let mut jobs = Jobs::new();
    let local = ImageRef::Berth {
        name: LocalName::parse("local/x:1"),
    };
    let copy = |source: &str| JobSpec::Copy {
        source: reg(&host, source),
        dest: local.clone(),
        platforms: Platforms::Host,
    };
    jobs.ok(copy("scratch/delete-me:a")).await;
    let plan = jobs
        .store()
        .plan_delete("local/x:1")
        .await
        .expect("local plan");
    jobs.ok(copy("scratch/delete-me:c")).await;
    let items = deleted(
        jobs.ok(JobSpec::Delete {
            targets: vec![DeleteTarget::Local { image: local, plan }],
        })
        .await,
    );
    let err = items[0].result.as_ref().expect_err("refused");
    assert_eq!(err.kind(), "plan_changed", "{err}");
    assert_eq!(jobs.store().images().expect("images").len(), 1);
}

#[tokio::test]
async fn delete_disabled_is_reported_per_item() {
    let fresh = support::fresh_registry(FreshOptions::new(Auth::Anonymous).delete_disabled());
    let mut jobs = Jobs::new();
    let targets = planned(&fresh, &["c"]).await;
    let items = deleted(jobs.ok(JobSpec::Delete { targets }).await);
    let err = items[0].result.as_ref().expect_err("delete disabled");
    assert_eq!(err.kind(), "delete_disabled");
    let json = serde_json::to_value(&items[0]).expect("JSON");
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"]["kind"], "delete_disabled");
}
