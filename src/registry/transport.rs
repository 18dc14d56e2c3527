//! Sends requests to one registry: answers auth challenges (Basic, or Bearer tokens for the
//! scopes the request needs), retries idempotent requests with backoff and `Retry-After`,
//! and turns failures into `Error` kinds.

use super::auth::{Challenge, Credentials, Secret, TokenCache, fetch_token, merge_scopes};
use super::body::{MAX_ERROR_BODY, read_capped};
use super::error::{Error, Result, parse_error_codes};
use super::limits::{TransportLimits, transfer_error};
use super::link::same_origin;
use super::retry::{Attempts, RetryPolicy};
use crate::oci::Scheme;
use reqwest::{Method, StatusCode, header};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub const USER_AGENT: &str = concat!("berth/", env!("CARGO_PKG_VERSION"));

/// How to reach one registry.
#[derive(Clone, Debug, Default)]
pub struct ClientConfig {
    /// `None` means HTTPS. Plain HTTP is always an explicit choice.
    pub scheme: Option<Scheme>,
    /// Skip TLS verification.
    pub insecure: bool,
    /// Extra CA certificate (PEM) to trust for this registry.
    pub ca_file: Option<PathBuf>,
    pub credentials: Credentials,
    /// The low-speed limit and the deadline of small documents (`registry::limits`).
    pub limits: TransportLimits,
}

/// The auth scheme the registry asked for, learned from its first 401.
#[derive(Clone, Debug, Default)]
enum AuthScheme {
    #[default]
    Unknown,
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

pub struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) host: String,
    credentials: Credentials,
    scheme: Mutex<AuthScheme>,
    tokens: Mutex<TokenCache>,
    pub(crate) retry: RetryPolicy,
    pub(crate) limits: TransportLimits,
    notices: Mutex<Notices>,
}

/// What the registry told us besides answers: `Warning` headers (deprecations, policy) and
/// Docker Hub's rate-limit headers. Shown to the user, never acted upon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    pub warnings: Vec<String>,
    /// `ratelimit-limit` and `ratelimit-remaining`, as sent (e.g. `100;w=21600`).
    pub rate_limit: Option<(String, String)>,
}

/// A request to send. The body is bytes so a retry can resend it; only idempotent methods
/// are ever retried.
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(header::HeaderName, String)>,
    pub scopes: Vec<String>,
    pub body: Option<bytes::Bytes>,
    /// What is being fetched, for error messages (`library/alpine:3.19`).
    pub what: String,
    /// A body of any size (a blob, an upload): only the low-speed limit applies to it, not
    /// the deadline of small documents.
    pub streaming: bool,
}

impl Request {
    pub fn new(method: Method, url: String, what: impl Into<String>) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            scopes: Vec::new(),
            body: None,
            what: what.into(),
            streaming: false,
        }
    }
    /// Marks a request whose body may be big (see [`Request::streaming`](Self::streaming)).
    #[must_use]
    pub fn streaming(mut self) -> Self {
        self.streaming = true;
        self
    }
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }
    #[must_use]
    pub fn header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl Transport {
    pub fn new(host: &str, config: ClientConfig) -> Result<Self> {
        let scheme = config.scheme.unwrap_or(Scheme::Https);
        let http = super::http_client::build(host, &config, scheme)?;
        Ok(Self {
            http,
            base: format!("{}://{host}", scheme.as_str()),
            host: host.to_owned(),
            credentials: config.credentials,
            scheme: Mutex::new(AuthScheme::Unknown),
            tokens: Mutex::new(TokenCache::default()),
            retry: RetryPolicy::default(),
            limits: config.limits,
            notices: Mutex::new(Notices::default()),
        })
    }

    /// Sends `req` once, answering one auth challenge. Returns the response for any status
    /// below 400; callers read the body. Nothing here retries: retrying is done around whole
    /// idempotent operations (headers, body and verification), by [`Transport::retrying`] or
    /// by a caller that holds the operation's [`Attempts`] itself (a blob transfer).
    pub async fn send(&self, req: &Request) -> Result<reqwest::Response> {
        self.send_authenticated(req).await
    }

    /// A fresh retry budget for one idempotent operation.
    #[must_use]
    pub fn attempts(&self) -> Attempts {
        Attempts::new(self.retry)
    }

    /// Runs an idempotent operation (a GET or HEAD and the reading of its body), retrying
    /// on connection errors, 429, 5xx and damaged bytes, with jittered backoff or the
    /// server's `Retry-After`, within one [`Attempts`] budget.
    pub async fn retrying<T, F, Fut>(&self, what: &str, mut op: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut attempts = self.attempts();
        loop {
            let attempt = attempts.begin();
            let err = match op().await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let Some(delay) = attempts.after(&err) else {
                return Err(err);
            };
            tracing::debug!(what, attempt, ?delay, error = %err, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn send_authenticated(&self, req: &Request) -> Result<reqwest::Response> {
        let mut scopes = merge_scopes(req.scopes.iter().map(String::as_str));
        let mut challenged = false;
        loop {
            let auth = self.authorization(&scopes).await?;
            let resp = self.send_once(req, auth.as_deref()).await?;
            if resp.status() != StatusCode::UNAUTHORIZED {
                return self.check_status(req, resp).await;
            }
            let challenge = resp
                .headers()
                .get(header::WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(Challenge::parse);
            let body = read_capped(resp, MAX_ERROR_BODY, self.limits.deadline).await;
            let codes = parse_error_codes(&body.bytes);
            let unauthorized = || Error::Unauthorized {
                registry: self.host.clone(),
                codes: codes.clone(),
            };
            if challenged {
                return Err(unauthorized());
            }
            challenged = true;
            match challenge {
                Some(Challenge::Basic { .. }) => {
                    if self.credentials.basic_header().is_none() {
                        return Err(unauthorized());
                    }
                    *self.lock_scheme() = AuthScheme::Basic;
                }
                Some(Challenge::Bearer {
                    realm,
                    service,
                    scope,
                    ..
                }) => {
                    // The challenge names the scope this request needs (and, on
                    // insufficient_scope, what was missing); ask for both.
                    let ours = scopes.iter().map(String::as_str);
                    scopes = merge_scopes(ours.chain(scope.as_deref()));
                    *self.lock_scheme() = AuthScheme::Bearer { realm, service };
                    // A cached token evidently lacks something; fetch afresh.
                    self.lock_tokens()
                        .put(scopes.clone(), Secret::default(), Duration::ZERO);
                }
                None => return Err(unauthorized()),
            }
        }
    }

    fn lock_scheme(&self) -> std::sync::MutexGuard<'_, AuthScheme> {
        self.scheme
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_tokens(&self) -> std::sync::MutexGuard<'_, TokenCache> {
        self.tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The Authorization header for a request with these scopes, fetching a token if the
    /// registry uses bearer auth and we hold none for this scope set.
    async fn authorization(&self, scopes: &BTreeSet<String>) -> Result<Option<String>> {
        let scheme = self.lock_scheme().clone();
        match scheme {
            AuthScheme::Unknown => Ok(None),
            AuthScheme::Basic => Ok(self.credentials.basic_header()),
            AuthScheme::Bearer { realm, service } => {
                if let Some(token) = self.lock_tokens().get(scopes) {
                    return Ok(Some(format!("Bearer {}", token.expose())));
                }
                let (token, ttl) = fetch_token(
                    &self.http,
                    &realm,
                    service.as_deref(),
                    scopes,
                    &self.credentials,
                    self.limits.deadline,
                )
                .await?;
                let header = format!("Bearer {}", token.expose());
                self.lock_tokens().put(scopes.clone(), token, ttl);
                Ok(Some(header))
            }
        }
    }

    async fn send_once(&self, req: &Request, auth: Option<&str>) -> Result<reqwest::Response> {
        let mut builder = self.http.request(req.method.clone(), &req.url);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        // Credentials go only to the origin they were given for (ARCHITECTURE.md,
        // "Credentials"): whatever URL a caller builds, another scheme, host or port gets none.
        if let Some(auth) = auth.filter(|_| same_origin(&req.url, &self.base)) {
            builder = builder.header(header::AUTHORIZATION, auth);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        // Uploads carry their own body, of any size; only what we read has a deadline.
        if !req.streaming && req.body.is_none() {
            builder = builder.timeout(self.limits.deadline);
        }
        let resp = builder.send().await.map_err(|e| {
            if e.is_builder() {
                // The URL itself is unusable (a next page the registry named): no retry
                // can help, so say which URL once.
                Error::InvalidLink {
                    registry: self.host.clone(),
                    link: super::link::shortened(&req.url),
                }
            } else if e.is_timeout() && !e.is_connect() {
                // No answer within the low-speed window, or past a document's deadline.
                transfer_error(&e, self.host.clone(), req.what.clone())
            } else {
                self.connect_error(&e)
            }
        })?;
        self.record_notices(resp.headers());
        Ok(resp)
    }

    fn record_notices(&self, headers: &header::HeaderMap) {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let warnings: Vec<String> = headers
            .get_all(header::WARNING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(warning_text)
            .collect();
        let rate = text("ratelimit-limit").zip(text("ratelimit-remaining"));
        if warnings.is_empty() && rate.is_none() {
            return;
        }
        let mut n = self
            .notices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for w in warnings {
            if !n.warnings.contains(&w) {
                n.warnings.push(w);
            }
        }
        if rate.is_some() {
            n.rate_limit = rate;
        }
    }

    /// Warnings and rate-limit state seen so far.
    pub fn notices(&self) -> Notices {
        self.notices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn connect_error(&self, e: &reqwest::Error) -> Error {
        let chain = error_chain(e);
        let lower = chain.to_lowercase();
        if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
            // rustls read a plain-HTTP answer where a TLS record was due.
            Error::PlainHttpAnswer {
                registry: self.host.clone(),
            }
        } else if lower.contains("certificate") || lower.contains("unknownissuer") {
            Error::UntrustedCertificate {
                registry: self.host.clone(),
                reason: chain,
            }
        } else if lower.contains("tls") || lower.contains("handshake") {
            Error::Tls {
                registry: self.host.clone(),
                reason: chain,
            }
        } else {
            Error::Unreachable {
                registry: self.host.clone(),
                reason: chain,
            }
        }
    }

    async fn check_status(
        &self,
        req: &Request,
        resp: reqwest::Response,
    ) -> Result<reqwest::Response> {
        let status = resp.status();
        if status.as_u16() < 400 {
            return Ok(resp);
        }
        let headers = resp.headers().clone();
        let body = read_capped(resp, MAX_ERROR_BODY, self.limits.deadline).await;
        let codes = parse_error_codes(&body.bytes);
        let registry = self.host.clone();
        let what = req.what.clone();
        let retry_after_secs = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| super::retry::parse_retry_after(v, SystemTime::now()));
        Err(match status.as_u16() {
            403 => Error::Denied {
                registry,
                what,
                codes,
            },
            404 => Error::NotFound { what, codes },
            405 if req.method == Method::DELETE => Error::DeleteDisabled { registry },
            429 => Error::RateLimited {
                registry,
                retry_after_secs,
                remaining: headers
                    .get("ratelimit-remaining")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            },
            s => {
                if req.method == Method::DELETE && codes.iter().any(|c| c.code == "UNSUPPORTED") {
                    Error::DeleteDisabled { registry }
                } else {
                    Error::Status {
                        registry,
                        what,
                        status: s,
                        codes,
                        retry_after_secs: retry_after_secs
                            .map(|s| u16::try_from(s).unwrap_or(u16::MAX)),
                    }
                }
            }
        })
    }

    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// `299 - "Deprecated API"` → `Deprecated API`: the text is what a person needs.
fn warning_text(value: &str) -> String {
    match (value.find('"'), value.rfind('"')) {
        (Some(a), Some(b)) if b > a => value[a + 1..b].to_owned(),
        _ => value.to_owned(),
    }
}

/// reqwest's top-level message is vague ("error sending request"); the cause chain says why.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_header_text() {
        assert_eq!(
            warning_text(r#"299 - "this tag is deprecated""#),
            "this tag is deprecated"
        );
        assert_eq!(warning_text("plain"), "plain");
    }
}
