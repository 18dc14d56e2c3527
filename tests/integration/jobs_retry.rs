//! One retry budget per blob, through the fault proxy: a pull asks for a blob at most four
//! times in all, whatever fails (503s, broken connections and the resumes after them), ends
//! with an error that names the failure, and waits as long as `Retry-After` says.

use crate::jobs_support::{Jobs, assert_fsck_clean, oci_ref, reg};
use crate::support::{self, Auth, Fault, FaultProxy, Rule, fixtures};
use berth::jobs::{JobEventKind, JobMessage, JobSpec, Platforms};
use std::time::Duration;

fn pull(proxy: &FaultProxy, jobs: &Jobs, dir: &str) -> JobSpec {
    JobSpec::Copy {
        source: reg(&proxy.host(), "library/alpine:3.19"),
        dest: oci_ref(&jobs.dir(dir), "a"),
        platforms: Platforms::Host,
    }
}

/// The layer of the seeded alpine 3.19 image (fetched by the transfer, never by the plan).
fn alpine_layer() -> String {
    let m = fixtures::layout_manifest("alpine-3.19");
    m["layers"][0]["digest"]
        .as_str()
        .expect("layer digest")
        .to_owned()
}

/// The retry messages the job sent for `digest`, by attempt number.
fn retries(jobs: &Jobs, id: berth::jobs::JobId, digest: &str) -> Vec<u32> {
    jobs.events[&id]
        .iter()
        .filter_map(|e| match e {
            JobEventKind::Message(JobMessage::Retrying {
                digest: d, attempt, ..
            }) if d.as_str() == digest => Some(*attempt),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_blob_that_always_answers_503_is_asked_for_four_times_in_all() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let layer = alpine_layer();
    proxy.add(Rule::path(&layer).method("GET"), Fault::Status(503));
    let mut jobs = Jobs::new();
    let id = jobs.runner.spawn(pull(&proxy, &jobs, "lay"));
    let err = jobs.wait(id).await.expect_err("the blob never comes");
    assert_eq!(proxy.count("GET", &layer), 4, "{:#?}", proxy.requests());
    assert_eq!(retries(&jobs, id, &layer), [2, 3, 4]);
    assert_eq!(
        err.registry_error()
            .and_then(berth::registry::Error::status),
        Some(503),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("HTTP 503") && text.contains(&layer),
        "names the status and the blob: {text}"
    );
    assert_fsck_clean(&jobs.dir("lay"));
}

#[tokio::test]
async fn resumes_after_broken_connections_spend_from_the_same_four() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let layer = alpine_layer();
    // Every answer breaks before its end, the ranged ones too (cut before their last byte).
    proxy.add(
        Rule::path(&layer).method("GET"),
        Fault::ResetMidBody { after: 1 << 20 },
    );
    let mut jobs = Jobs::new();
    let id = jobs.runner.spawn(pull(&proxy, &jobs, "lay"));
    let err = jobs
        .wait(id)
        .await
        .expect_err("the blob never arrives whole");
    assert_eq!(proxy.count("GET", &layer), 4, "{:#?}", proxy.requests());
    assert_eq!(err.kind(), "unreachable", "{err:?}");
    assert_fsck_clean(&jobs.dir("lay"));
}

#[tokio::test]
async fn a_transfer_waits_as_long_as_retry_after_says() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let layer = alpine_layer();
    proxy.add(
        Rule::path(&layer).method("GET").times(1),
        Fault::Unavailable {
            retry_after: "1".into(),
        },
    );
    let mut jobs = Jobs::new();
    let id = jobs.runner.spawn(pull(&proxy, &jobs, "lay"));
    jobs.wait(id).await.expect("the pull ends well");
    let asked: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.target.contains(&layer))
        .collect();
    assert_eq!(
        asked.iter().map(|r| r.status).collect::<Vec<_>>(),
        [503, 200]
    );
    // The backoff alone would have waited at most 200 ms.
    let gap = asked[1].at.duration_since(asked[0].at);
    assert!(gap >= Duration::from_secs(1), "waited only {gap:?}");
    assert_eq!(retries(&jobs, id, &layer), [2]);
    assert_fsck_clean(&jobs.dir("lay"));
}
