//! Transport behaviour through the fault proxy in front of the real registry: retries with
//! backoff and `Retry-After`, damaged bytes refetched, redirects followed without leaking
//! `Authorization`, DELETE never replayed, and `Warning`/rate-limit headers surfaced.

use crate::registry_read::{at, repo_name};
use crate::support::{self, Auth, Fault, FaultProxy, FreshOptions, Rule, fixtures};
use berth::oci::{Digest, Platform, Scheme};
use berth::registry::{ClientConfig, Credentials, Error, RegistryClient, Secret};

fn via(proxy: &FaultProxy, credentials: Credentials) -> RegistryClient {
    RegistryClient::new(
        &proxy.host(),
        ClientConfig {
            scheme: Some(Scheme::Http),
            credentials,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

fn alpine_config() -> (Digest, u64) {
    let m = fixtures::layout_manifest("alpine-3.19");
    (
        Digest::parse(m["config"]["digest"].as_str().expect("digest")).expect("digest"),
        m["config"]["size"].as_u64().expect("size"),
    )
}

#[tokio::test]
async fn a_reset_in_the_middle_of_a_body_is_retried() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/manifests/3.19").method("GET").times(1),
        Fault::ResetMidBody { after: 40 },
    );
    proxy.add(
        Rule::path("/blobs/").method("GET").times(1),
        Fault::ResetMidBody { after: 10 },
    );
    let c = via(&proxy, Credentials::Anonymous);
    let d = c
        .inspect(&repo_name("library/alpine"), &at("3.19"), &Platform::host())
        .await
        .expect("inspect after retries");
    assert_eq!(
        d.digest.as_str(),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    assert_eq!(proxy.count("GET", "/manifests/3.19"), 2);
    assert_eq!(proxy.faults_injected(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_then_given_up() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let c = via(&proxy, Credentials::Anonymous);
    for status in [500, 502, 503, 504] {
        proxy.clear_rules();
        proxy.add(Rule::path("/tags/list").times(2), Fault::Status(status));
        let tags = c
            .tags(&repo_name("library/alpine"))
            .await
            .expect("third try succeeds");
        assert_eq!(tags, ["3.18", "3.19", "latest"]);
    }
    assert_eq!(proxy.count("GET", "/tags/list"), 12);
    // Always failing: bounded tries, then the error.
    proxy.clear_rules();
    proxy.add(Rule::path("/tags/list"), Fault::Status(503));
    let before = proxy.count("GET", "/tags/list");
    let err = c
        .tags(&repo_name("library/alpine"))
        .await
        .expect_err("gives up");
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(
        proxy.count("GET", "/tags/list") - before,
        4,
        "bounded number of tries"
    );
    // Not retried: a 404 is an answer, not a hiccup.
    proxy.clear_rules();
    let before = proxy.count("GET", "/manifests/");
    assert!(matches!(
        c.manifest(&repo_name("library/alpine"), &at("nope")).await,
        Err(Error::NotFound { .. })
    ));
    // Retries happen inside the call, and the proxy logs a request before answering it, so
    // every request the call made is already counted once it returned.
    assert_eq!(proxy.count("GET", "/manifests/") - before, 1);
}

/// `Retry-After` is the wait before the next try, checked without a clock: a short one is
/// waited out and the retry succeeds; one longer than the whole retry budget is not waited
/// for at all (so the wait must be the header's, not the backoff's), and the error says when
/// to come back.
#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/tags/list").times(1),
        Fault::TooManyRequests {
            retry_after: "1".into(),
        },
    );
    let c = via(&proxy, Credentials::Anonymous);
    c.tags(&repo_name("library/alpine"))
        .await
        .expect("tags after waiting");
    assert_eq!(proxy.count("GET", "/tags/list"), 2);

    proxy.clear_rules();
    proxy.add(
        Rule::path("/tags/list").times(1),
        Fault::TooManyRequests {
            retry_after: "3600".into(),
        },
    );
    let err = c
        .tags(&repo_name("library/alpine"))
        .await
        .expect_err("an hour is beyond the budget");
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after_secs: Some(3600),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        proxy.count("GET", "/tags/list"),
        3,
        "no retry before the hour"
    );
}

#[tokio::test]
async fn a_blob_whose_digest_fails_is_fetched_again() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let (digest, size) = alpine_config();
    let c = via(&proxy, Credentials::Anonymous);
    proxy.add(
        Rule::path(digest.as_str()).method("GET").times(1),
        Fault::FlipByte { offset: 5 },
    );
    let bytes = c
        .blob_bytes(&repo_name("library/alpine"), &digest, Some(size), 1 << 20)
        .await
        .expect("refetched");
    assert_eq!(Digest::of(&bytes), digest);
    assert_eq!(proxy.count("GET", digest.as_str()), 2);
    // Damaged every time: the digest error, never the damaged bytes.
    proxy.clear_rules();
    proxy.add(
        Rule::path(digest.as_str()).method("GET"),
        Fault::FlipByte { offset: 5 },
    );
    let err = c
        .blob_bytes(&repo_name("library/alpine"), &digest, Some(size), 1 << 20)
        .await
        .expect_err("damaged");
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err:?}");
}

#[tokio::test]
async fn redirects_are_followed_without_sending_authorization_elsewhere() {
    // Anonymous: the redirected blob arrives and verifies.
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    let (digest, size) = alpine_config();
    proxy.add(
        Rule::path(digest.as_str()).method("GET").times(1),
        Fault::Redirect,
    );
    let c = via(&proxy, Credentials::Anonymous);
    let bytes = c
        .blob_bytes(&repo_name("library/alpine"), &digest, Some(size), 1 << 20)
        .await
        .expect("redirected");
    assert_eq!(Digest::of(&bytes), digest);
    let seen = proxy.recorder().requests();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("berth/"))
    );

    // With credentials: the proxy host gets them, the other listener never does.
    let reg = support::registry(Auth::Basic);
    let proxy = FaultProxy::start(&reg.host());
    proxy.add(Rule::path(digest.as_str()).method("GET"), Fault::Redirect);
    let c = via(
        &proxy,
        Credentials::Basic {
            username: support::USER.into(),
            password: Secret::new(support::PASS),
        },
    );
    c.tags(&repo_name("library/alpine"))
        .await
        .expect("credentials work on the registry host");
    let _ = c
        .blob_bytes(&repo_name("library/alpine"), &digest, Some(size), 1 << 20)
        .await;
    let seen = proxy.recorder().requests();
    assert!(!seen.is_empty(), "the redirect was followed");
    assert!(
        seen.iter().all(|r| r.header("authorization").is_none()),
        "{seen:?}"
    );
}

#[tokio::test]
async fn delete_is_never_replayed() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let proxy = FaultProxy::start(&reg.host());
    proxy.add(
        Rule::path("/manifests/").method("DELETE"),
        Fault::Status(503),
    );
    let c = via(&proxy, Credentials::Anonymous);
    let plan = c
        .plan_delete(&repo_name("scratch/delete-me"), &at("c"), |_, _| {})
        .await
        .expect("plan");
    let err = c
        .delete_manifest(&repo_name("scratch/delete-me"), &at(plan.digest.as_str()))
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Status { status: 503, .. }));
    assert_eq!(
        proxy.count("DELETE", "/manifests/"),
        1,
        "a DELETE is sent once"
    );
}

#[tokio::test]
async fn warnings_and_rate_limits_are_surfaced() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/manifests/"),
        Fault::AddHeaders(vec![
            (
                "Warning".into(),
                r#"299 - "this repository is deprecated""#.into(),
            ),
            ("ratelimit-limit".into(), "100;w=21600".into()),
            ("ratelimit-remaining".into(), "42;w=21600".into()),
        ]),
    );
    let c = via(&proxy, Credentials::Anonymous);
    c.head_manifest(&repo_name("library/alpine"), &at("3.19"))
        .await
        .expect("head");
    let n = c.notices();
    assert_eq!(n.warnings, ["this repository is deprecated"]);
    assert_eq!(
        n.rate_limit,
        Some(("100;w=21600".into(), "42;w=21600".into()))
    );

    let out = support::berth_cmd()
        .args([
            "inspect",
            &format!("http://{}/library/alpine:3.19", proxy.host()),
        ])
        .output()
        .expect("berth");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("this repository is deprecated"), "{stderr}");
    assert!(stderr.contains("42;w=21600 of 100;w=21600"), "{stderr}");
}

#[tokio::test]
async fn a_registry_without_catalog_says_to_open_a_repository_by_name() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(Rule::path("/v2/_catalog"), Fault::Status(404));
    let err = via(&proxy, Credentials::Anonymous)
        .catalog_page(None)
        .await
        .expect_err("no catalog");
    assert!(matches!(err, Error::CatalogUnsupported { .. }), "{err:?}");
    assert!(
        err.to_string().contains("open a repository by name"),
        "{err}"
    );
}

#[tokio::test]
async fn a_manifest_that_does_not_match_its_digest_is_rejected() {
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/manifests/").method("GET"),
        Fault::FlipByte { offset: 30 },
    );
    let c = via(&proxy, Credentials::Anonymous);
    let err = c
        .manifest(&repo_name("library/alpine"), &at("3.19"))
        .await
        .expect_err("header digest");
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err:?}");
    let digest = fixtures::seeded_digest("library/alpine:3.19");
    let err = c
        .manifest(&repo_name("library/alpine"), &at(digest))
        .await
        .expect_err("requested digest");
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err:?}");
}

#[tokio::test]
async fn manifests_over_4_mib_are_refused() {
    // distribution itself refuses such a PUT, so the proxy inflates a real answer.
    let proxy = FaultProxy::start(&support::registry(Auth::Anonymous).host());
    proxy.add(
        Rule::path("/manifests/3.19").method("GET"),
        Fault::PadBody(5 * 1024 * 1024),
    );
    let err = via(&proxy, Credentials::Anonymous)
        .manifest(&repo_name("library/alpine"), &at("3.19"))
        .await
        .expect_err("too large");
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: 4_194_304,
                ..
            }
        ),
        "{err:?}"
    );
}
