//! Smoke tests of the fault proxy, with a plain blocking client: each fault does what it says,
//! rules count down, requests are counted, and the redirect target records headers and then
//! serves the real answer.

use crate::support::fixtures;
use crate::support::http::{self, try_request};
use crate::support::{self, Auth, Fault, FaultProxy, Rule, oci, registry};

fn alpine_config_path() -> (String, String) {
    let m = fixtures::layout_manifest("alpine-3.19");
    let digest = m["config"]["digest"]
        .as_str()
        .expect("config digest")
        .to_owned();
    (format!("/v2/library/alpine/blobs/{digest}"), digest)
}

#[test]
fn passes_requests_through_and_counts_them() {
    let proxy = FaultProxy::start(&registry(Auth::Anonymous).host());
    let (path, digest) = alpine_config_path();
    for _ in 0..3 {
        let r = http::get(&format!("{}{path}", proxy.url()));
        assert_eq!(r.status, 200);
        assert_eq!(oci::sha256_digest(&r.body), digest);
    }
    let head = http::request("HEAD", &format!("{}{path}", proxy.url()), &[], None);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("docker-content-digest"), Some(digest.as_str()));
    assert_eq!(proxy.count("GET", "/blobs/"), 3);
    assert_eq!(proxy.count("HEAD", "/blobs/"), 1);
    assert_eq!(proxy.faults_injected(), 0);
}

#[test]
fn injects_statuses_and_retry_after_then_recovers() {
    let proxy = FaultProxy::start(&registry(Auth::Anonymous).host());
    let (path, _) = alpine_config_path();
    let url = format!("{}{path}", proxy.url());
    proxy.add(
        Rule::path("/blobs/").method("GET").times(2),
        Fault::Status(503),
    );
    proxy.add(
        Rule::path("/manifests/").times(1),
        Fault::TooManyRequests {
            retry_after: "2".into(),
        },
    );
    assert_eq!(http::get(&url).status, 503);
    assert_eq!(http::get(&url).status, 503);
    assert_eq!(
        http::get(&url).status,
        200,
        "the rule allowed two faults only"
    );
    let m = http::request(
        "GET",
        &format!("{}/v2/library/alpine/manifests/3.19", proxy.url()),
        &[("Accept", oci::ACCEPT_ALL)],
        None,
    );
    assert_eq!(m.status, 429);
    assert_eq!(m.header("retry-after"), Some("2"));
    let m = http::request(
        "GET",
        &format!("{}/v2/library/alpine/manifests/3.19", proxy.url()),
        &[("Accept", oci::ACCEPT_ALL)],
        None,
    );
    assert_eq!(m.status, 200);
    assert_eq!(proxy.faults_injected(), 3);
}

#[test]
fn flips_a_byte_and_resets_mid_body() {
    let proxy = FaultProxy::start(&registry(Auth::Anonymous).host());
    let (path, digest) = alpine_config_path();
    let url = format!("{}{path}", proxy.url());
    proxy.add(Rule::path(&path).times(1), Fault::FlipByte { offset: 10 });
    let flipped = http::get(&url);
    assert_eq!(flipped.status, 200);
    assert_ne!(
        oci::sha256_digest(&flipped.body),
        digest,
        "one byte differs"
    );
    assert_eq!(
        flipped.body.len() as u64,
        fixtures::layout_manifest("alpine-3.19")["config"]["size"]
            .as_u64()
            .expect("size")
    );
    // The first matching rule decides; used up, it lets the request through untouched.
    assert_eq!(oci::sha256_digest(&http::get(&url).body), digest);

    proxy.clear_rules();
    proxy.add(
        Rule::path(&path).skip(1).times(1),
        Fault::ResetMidBody { after: 20 },
    );
    assert_eq!(
        oci::sha256_digest(&http::get(&url).body),
        digest,
        "skip(1) lets one through"
    );
    let err = try_request("GET", &url, &[], None).expect_err("the body was cut off");
    assert!(!err.is_empty());
    assert_eq!(
        oci::sha256_digest(&http::get(&url).body),
        digest,
        "the next request is whole"
    );
}

#[test]
fn redirects_to_a_recorder_that_serves_the_real_answer() {
    let reg = registry(Auth::Basic);
    let proxy = FaultProxy::start(&reg.host());
    let (path, digest) = alpine_config_path();
    proxy.add(Rule::path("/blobs/"), Fault::Redirect);
    let auth = http::basic_auth(support::USER, support::PASS);
    let r = http::request(
        "GET",
        &format!("{}{path}", proxy.url()),
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(r.status, 307);
    let location = r.header("location").expect("Location").to_owned();
    assert_eq!(location, format!("{}{path}", proxy.recorder().url()));

    // A careful client drops Authorization for another host; the recorder sees what it sent.
    let bare = http::get(&location);
    assert_eq!(
        bare.status, 401,
        "the registry wants credentials the client must not forward"
    );
    let with = http::request(
        "GET",
        &location,
        &[("Authorization", &auth), ("X-Probe", "1")],
        None,
    );
    assert_eq!(with.status, 200);
    assert_eq!(oci::sha256_digest(&with.body), digest);
    let seen = proxy.recorder().requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("authorization"), None);
    assert_eq!(seen[1].header("authorization"), Some(auth.as_str()));
    assert_eq!(seen[1].header("x-probe"), Some("1"));
}

#[test]
fn uploads_pass_through_to_a_fresh_registry() {
    let reg = support::fresh_registry(support::FreshOptions::default().empty());
    let proxy = FaultProxy::start(&reg.host());
    let pusher = http::Pusher::new(&proxy.url(), None);
    let digest = pusher.put_blob("proxy/test", b"through the proxy");
    assert!(pusher.blob_exists("proxy/test", &digest));
    assert_eq!(
        proxy.count("PUT", "/blobs/uploads/"),
        1,
        "Location pointed back at the proxy"
    );
}
