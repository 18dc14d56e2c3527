//! Hostile registries (issue 18): a `Link` to another host never gets our credentials, a
//! `Link` cycle ends with a clear error, `cp` keeps each registry's secret to itself, an error
//! body that claims a gigabyte is read only up to a cap, and a `sha512:` reference is verified.
//! Every server here is `support::hostile`, a tiny HTTP server that records what it receives.

use crate::support::hostile::{HostileServer, Recorded, Reply};
use crate::support::{self, Auth, TestEnv};
use berth::oci::{Algorithm, Digest, Reference, Repository, Scheme};
use berth::registry::{ClientConfig, Credentials, RegistryClient, Secret};
use futures_util::TryStreamExt as _;
use std::io::Write as _;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

/// A safety limit against hangs, not a timing target.
const SAFETY: Duration = Duration::from_mins(1);
const TOKEN: &str = "tok-3f9b-secret";

fn basic() -> Credentials {
    Credentials::Basic {
        username: "u".into(),
        password: Secret::new("p-secret"),
    }
}

fn client(server: &HostileServer, credentials: Credentials) -> RegistryClient {
    RegistryClient::new(
        &server.host(),
        ClientConfig {
            scheme: Some(Scheme::Http),
            credentials,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

fn repo() -> Repository {
    Repository::parse("x").expect("repository")
}

/// How the registry asks for credentials.
#[derive(Clone, Copy)]
enum Mode {
    Basic,
    Bearer,
}

/// A registry that demands credentials and pages `tags/list`, `_catalog` and referrers with a
/// `Link` from `next` (given the request).
fn paging_registry(
    mode: Mode,
    next: impl Fn(&Recorded) -> String + Send + Sync + 'static,
) -> HostileServer {
    let realm = Arc::new(std::sync::OnceLock::<String>::new());
    let own = realm.clone();
    let server = HostileServer::start(move |r| {
        if r.path.starts_with("/token") {
            return Reply::json(200, &format!(r#"{{"token":"{TOKEN}","expires_in":300}}"#));
        }
        let authorized = match mode {
            Mode::Basic => r
                .header("authorization")
                .is_some_and(|a| a.starts_with("Basic ")),
            Mode::Bearer => r.header("authorization") == Some(&format!("Bearer {TOKEN}")),
        };
        if !authorized {
            let challenge = match mode {
                Mode::Basic => r#"Basic realm="hostile""#.to_owned(),
                Mode::Bearer => format!(
                    r#"Bearer realm="{}/token",service="hostile",scope="repository:x:pull""#,
                    own.get().map_or("", String::as_str)
                ),
            };
            return Reply::json(401, r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#)
                .with_header("WWW-Authenticate", &challenge);
        }
        let body = if r.path.contains("/referrers/") {
            r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#
        } else if r.path.contains("_catalog") {
            r#"{"repositories":["x"]}"#
        } else {
            r#"{"name":"x","tags":["a"]}"#
        };
        Reply::json(200, body).with_header("Link", &format!("<{}>; rel=\"next\"", next(r)))
    });
    let _ = realm.set(server.url());
    server
}

/// A second listener that answers every listing kindly and records what it was sent.
fn recorder() -> HostileServer {
    HostileServer::start(|r| {
        if r.path.contains("_catalog") {
            Reply::json(200, r#"{"repositories":[]}"#)
        } else {
            Reply::json(200, r#"{"name":"x","tags":[]}"#)
        }
    })
}

async fn guarded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(SAFETY, fut)
        .await
        .unwrap_or_else(|_| panic!("{what} did not end within the safety limit"))
}

fn assert_no_credentials(recorder: &HostileServer) {
    for r in recorder.requests() {
        assert!(
            r.header("authorization").is_none(),
            "the foreign host got credentials: {r:?}"
        );
    }
}

#[tokio::test]
async fn a_link_to_another_host_never_gets_the_credentials() {
    let digest = Digest::of(b"subject");
    for (mode, credentials) in [(Mode::Basic, basic()), (Mode::Bearer, basic())] {
        let foreign = recorder();
        let url = foreign.url();
        let registry = paging_registry(mode, move |r| format!("{url}{}?last=a", r.path));
        let c = client(&registry, credentials);

        let tags = guarded("tags", c.tags(&repo())).await.unwrap_err();
        assert_eq!(tags.kind(), "foreign_link", "{tags}");
        let text = tags.to_string();
        assert!(
            text.contains(&registry.host()) && text.contains(&foreign.host()),
            "{text}"
        );
        let catalog = guarded("catalog", c.catalog().try_collect::<Vec<_>>()).await;
        assert_eq!(catalog.unwrap_err().kind(), "foreign_link");
        let referrers = guarded("referrers", c.referrers(&repo(), &digest, None)).await;
        assert_eq!(referrers.unwrap_err().kind(), "foreign_link");

        // The registry itself did get credentials: the refusal is not for want of them.
        assert!(
            registry
                .requests()
                .iter()
                .any(|r| r.header("authorization").is_some())
        );
        assert_no_credentials(&foreign);

        // Even a next-page URL handed in directly goes without credentials.
        let page = format!("{}/v2/_catalog", foreign.url());
        guarded("catalog page", c.catalog_page(Some(&page)))
            .await
            .expect("foreign page");
        assert!(!foreign.requests().is_empty());
        assert_no_credentials(&foreign);
    }
}

#[tokio::test]
async fn a_link_cycle_ends_with_a_clear_error() {
    // Back to itself (a relative link), and a two-page cycle.
    let to_self = paging_registry(Mode::Basic, |r| r.path.clone());
    let c = client(&to_self, basic());
    let e = guarded("tags", c.tags(&repo())).await.unwrap_err();
    assert_eq!(e.kind(), "endless_listing", "{e}");
    assert!(e.to_string().contains(&to_self.host()), "{e}");
    let e = guarded("catalog", c.catalog().try_collect::<Vec<_>>()).await;
    assert_eq!(e.unwrap_err().kind(), "endless_listing");

    let two = paging_registry(Mode::Basic, |r| {
        let (path, query) = r.path.split_once('?').unwrap_or((&r.path, ""));
        let last = if query.contains("last=a") { "b" } else { "a" };
        format!("{path}?last={last}")
    });
    let c = client(&two, basic());
    let digest = Digest::of(b"subject");
    let e = guarded("referrers", c.referrers(&repo(), &digest, None)).await;
    assert_eq!(e.unwrap_err().kind(), "endless_listing");
    let e = guarded("tags", c.tags(&repo())).await.unwrap_err();
    assert_eq!(e.kind(), "endless_listing");
}

#[tokio::test]
async fn a_gigabyte_error_body_is_read_only_up_to_a_cap() {
    // One announces 1 GiB; the other has no length and streams junk until it stalls. Either
    // way the answer is the status, and the body is not waited for.
    for announced in [true, false] {
        let server = HostileServer::start(move |_| {
            let mut headers = vec![("Content-Type".into(), "application/json".into())];
            if announced {
                headers.push(("Content-Length".into(), (1u64 << 30).to_string()));
            } else {
                headers.push(("Connection".into(), "close".into()));
            }
            Reply::Stall {
                status: 403,
                headers,
                junk: 4 << 20,
            }
        });
        let c = client(&server, Credentials::Anonymous);
        let e = guarded("tags", c.tags(&repo())).await.unwrap_err();
        assert_eq!(e.kind(), "denied", "{e}");
    }
}

/// A registry serving one manifest under any reference.
fn manifest_registry(manifest: &'static [u8]) -> HostileServer {
    HostileServer::start(move |r| {
        if r.path.contains("/manifests/") {
            Reply::Full {
                status: 200,
                headers: vec![(
                    "Content-Type".into(),
                    "application/vnd.oci.image.index.v1+json".into(),
                )],
                body: manifest.to_vec(),
            }
        } else {
            Reply::json(200, "{}")
        }
    })
}

const INDEX: &[u8] =
    br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;

#[tokio::test]
async fn a_sha512_reference_is_verified() {
    let server = manifest_registry(INDEX);
    let c = client(&server, Credentials::Anonymous);
    let right = Digest::of_with(Algorithm::Sha512, INDEX);
    let m = guarded("manifest", c.manifest(&repo(), &Reference::Digest(right)))
        .await
        .expect("a matching sha512 manifest");
    assert_eq!(m.bytes.as_ref(), INDEX);

    let wrong = Digest::of_with(Algorithm::Sha512, b"something else");
    let e = guarded("manifest", c.manifest(&repo(), &Reference::Digest(wrong)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "digest_mismatch", "{e}");

    // Another algorithm is refused where the reference is parsed.
    let out = TestEnv::new()
        .berth()
        .args([
            "inspect",
            &format!("{}/x@sha384:{}", server.url(), "a".repeat(96)),
        ])
        .output()
        .expect("run berth");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sha256 and sha512"), "{err}");
}

#[test]
fn cp_with_user_and_two_registries_is_refused() {
    let (a, b) = (recorder(), recorder());
    let mut child = TestEnv::new()
        .berth()
        .args([
            "--user",
            "u",
            "--password-stdin",
            "cp",
            &format!("{}/x:1", a.url()),
            &format!("{}/y:1", b.url()),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run berth");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"p-secret\n")
        .expect("password");
    let out = child.wait_with_output().expect("berth");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--src-user"), "{err}");
    assert!(a.requests().is_empty() && b.requests().is_empty());
}

#[test]
fn src_user_goes_only_to_the_source() {
    // The source is the real registry with Basic auth, the destination a recorder that asks
    // for Basic credentials; the source's password comes from standard input, and the
    // destination has none, so what reaches it must carry no credential at all.
    let src = support::registry(Auth::Basic);
    let dest = HostileServer::start(|_| {
        Reply::json(401, "{}").with_header("WWW-Authenticate", r#"Basic realm="r""#)
    });
    let mut child = TestEnv::new()
        .berth()
        .args([
            "--src-user",
            support::USER,
            "--src-password-stdin",
            "cp",
            &format!("http://{}/library/alpine:3.19", src.host()),
            &format!("{}/y:1", dest.url()),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run berth");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{}\n", support::PASS).as_bytes())
        .expect("password");
    let out = child.wait_with_output().expect("berth");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the destination refuses everyone");
    assert!(
        err.contains(&dest.host()),
        "failed at the source, not the destination: {err}"
    );
    assert!(
        !dest.requests().is_empty(),
        "the destination was never asked"
    );
    assert_no_credentials(&dest);

    // Both ends may be given their own user, but only one reads standard input.
    let out = TestEnv::new()
        .berth()
        .args([
            "--src-user",
            "u",
            "--src-password-stdin",
            "--dest-user",
            "v",
            "--dest-password-stdin",
            "cp",
            &format!("http://{}/library/alpine:3.19", src.host()),
            &format!("{}/y:1", dest.url()),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run berth");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only one of"), "{err}");
}
