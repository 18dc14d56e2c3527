//! Plain blocking HTTP for tests and the harness, plus a minimal Distribution-API pusher used
//! for seeding (blob upload, cross-repo mount, manifest put).
//!
//! It uses ureq, which is synchronous and owns no async runtime, so these helpers are safe to
//! call from a `#[tokio::test]` as well as from a plain `#[test]`. Statuses are returned, never
//! turned into errors, and redirects are not followed: tests look at exactly what the server
//! said.

use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use super::oci;

/// One finished exchange: status, headers (names lower-case, in order) and the whole body.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The last value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }
}

/// The shared agent: no status-as-error, no redirects, generous pool for parallel seeding.
pub fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections_per_host(32)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(Duration::from_mins(2)))
            .user_agent("berth-test-harness")
            .build()
            .new_agent()
    })
}

/// Sends one request; `Err` only when no HTTP answer came back (refused, reset, timeout).
pub fn try_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<HttpResponse, String> {
    let mut b = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let res = match body {
        Some(bytes) => agent().run(b.body(bytes.to_vec()).map_err(|e| e.to_string())?),
        None => agent().run(b.body(()).map_err(|e| e.to_string())?),
    };
    let mut res = res.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = if method == "HEAD" {
        Vec::new()
    } else {
        res.body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map_err(|e| format!("{method} {url}: reading body: {e}"))?
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Like [`try_request`], but panics when there is no HTTP answer at all.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> HttpResponse {
    try_request(method, url, headers, body).unwrap_or_else(|e| panic!("{e}"))
}

pub fn get(url: &str) -> HttpResponse {
    request("GET", url, &[], None)
}

/// `Authorization: Basic ...` for `user:pass`.
pub fn basic_auth(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// Pushes content to a registry over the Distribution API (anonymous or Basic auth only).
#[derive(Clone)]
pub struct Pusher {
    base: String,
    authorization: Option<String>,
}

impl Pusher {
    /// `base` is `http://HOST:PORT`.
    pub fn new(base: &str, basic: Option<(&str, &str)>) -> Self {
        Pusher {
            base: base.trim_end_matches('/').to_owned(),
            authorization: basic.map(|(u, p)| basic_auth(u, p)),
        }
    }

    fn call(
        &self,
        method: &str,
        path_or_url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> HttpResponse {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        };
        let mut h: Vec<(&str, &str)> = headers.to_vec();
        if let Some(a) = &self.authorization {
            h.push(("Authorization", a));
        }
        request(method, &url, &h, body)
    }

    pub fn blob_exists(&self, repo: &str, digest: &str) -> bool {
        self.call("HEAD", &format!("/v2/{repo}/blobs/{digest}"), &[], None)
            .status
            == 200
    }

    /// Monolithic upload: POST for a session, then one PUT with the bytes and the digest.
    pub fn put_blob(&self, repo: &str, bytes: &[u8]) -> String {
        let digest = oci::sha256_digest(bytes);
        let r = self.call(
            "POST",
            &format!("/v2/{repo}/blobs/uploads/"),
            &[],
            Some(&[]),
        );
        assert_eq!(r.status, 202, "POST upload for {repo}: {}", r.text());
        self.finish_upload(repo, &r, &digest, bytes);
        digest
    }

    /// Cross-repository mount (`?mount=&from=`); falls back to an upload when the registry
    /// answers 202 (it could not mount) and `bytes` are given.
    pub fn mount_blob(&self, repo: &str, digest: &str, from: &str, bytes: Option<&[u8]>) {
        let r = self.call(
            "POST",
            &format!("/v2/{repo}/blobs/uploads/?mount={digest}&from={from}"),
            &[],
            Some(&[]),
        );
        match (r.status, bytes) {
            (201, _) => {}
            (202, Some(b)) => self.finish_upload(repo, &r, digest, b),
            _ => panic!(
                "mount {digest} from {from} into {repo}: {} {}",
                r.status,
                r.text()
            ),
        }
    }

    fn finish_upload(&self, repo: &str, started: &HttpResponse, digest: &str, bytes: &[u8]) {
        let loc = started.header("location").expect("upload Location");
        let sep = if loc.contains('?') { '&' } else { '?' };
        let url = format!("{loc}{sep}digest={digest}");
        let len = bytes.len().to_string();
        let r = self.call(
            "PUT",
            &url,
            &[
                ("Content-Type", "application/octet-stream"),
                ("Content-Length", &len),
            ],
            Some(bytes),
        );
        assert_eq!(r.status, 201, "PUT blob {digest} to {repo}: {}", r.text());
    }

    /// Puts a manifest under `reference` (tag or digest); returns `Docker-Content-Digest`.
    pub fn put_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        body: &[u8],
    ) -> String {
        let r = self.call(
            "PUT",
            &format!("/v2/{repo}/manifests/{reference}"),
            &[("Content-Type", media_type)],
            Some(body),
        );
        assert_eq!(
            r.status,
            201,
            "PUT manifest {repo}:{reference}: {}",
            r.text()
        );
        r.header("docker-content-digest")
            .expect("Docker-Content-Digest")
            .to_owned()
    }

    /// HEAD a manifest with every fixture media type accepted: `(digest, media type, size)`.
    pub fn head_manifest(&self, repo: &str, reference: &str) -> Option<(String, String, u64)> {
        let r = self.call(
            "HEAD",
            &format!("/v2/{repo}/manifests/{reference}"),
            &[("Accept", oci::ACCEPT_ALL)],
            None,
        );
        if r.status != 200 {
            return None;
        }
        let size = r
            .header("content-length")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Some((
            r.header("docker-content-digest")?.to_owned(),
            r.header("content-type")?.to_owned(),
            size,
        ))
    }
}
