//! Registry errors: a kind with its arguments, the HTTP status and the registry's OCI error
//! codes. The CLI and the UI turn a kind into a sentence; `kind()` is the stable name that
//! `--json` carries.

use crate::oci::{Digest, Platform, VerifyError};

/// A name that did not parse is an invalid reference, whichever edge it came in by.
impl From<crate::oci::reference::ReferenceError> for Error {
    fn from(e: crate::oci::reference::ReferenceError) -> Self {
        Self::InvalidReference(e.to_string())
    }
}

/// One entry of the `{"errors":[{"code","message"}]}` body the Distribution spec defines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct OciErrorCode {
    pub code: String,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid reference: {0}")]
    InvalidReference(String),
    #[error("cannot reach {registry}: {reason}")]
    Unreachable { registry: String, reason: String },
    #[error("TLS with {registry} failed: {reason}")]
    Tls { registry: String, reason: String },
    #[error(
        "{registry} presented a certificate that is not trusted: {reason} (trust its CA with --ca FILE or a saved CA file, or skip verification with --insecure)"
    )]
    UntrustedCertificate { registry: String, reason: String },
    /// The registry answered in plain HTTP where a TLS handshake was due: it is a plain-HTTP
    /// registry addressed as HTTPS.
    #[error("{registry} answered in plain HTTP; use http://HOST or --plain-http")]
    PlainHttpAnswer { registry: String },
    #[error("{registry} refused the credentials (HTTP 401){}", codes_suffix(.codes))]
    Unauthorized {
        registry: String,
        codes: Vec<OciErrorCode>,
    },
    #[error("{registry} denied access to {what} (HTTP 403){}", codes_suffix(.codes))]
    Denied {
        registry: String,
        what: String,
        codes: Vec<OciErrorCode>,
    },
    #[error("not found: {what}{}", codes_suffix(.codes))]
    NotFound {
        what: String,
        codes: Vec<OciErrorCode>,
    },
    #[error(
        "{registry} does not list its repositories (no _catalog API); open a repository by name"
    )]
    CatalogUnsupported { registry: String },
    #[error("{registry} has delete disabled (storage.delete.enabled in its config)")]
    DeleteDisabled { registry: String },
    #[error(
        "{registry} deletes manifests only by digest, which removes every tag that points at it"
    )]
    DeleteByDigestOnly { registry: String },
    /// The registry changed between the plan a user confirmed and the delete; nothing of
    /// that repository was deleted. `digest` is where `reference` points now.
    #[error("{reference} {} since the delete was planned; nothing was deleted, plan it again", .change.describe(.digest))]
    PlanChanged {
        reference: String,
        digest: Digest,
        change: PlanChange,
    },
    #[error("{registry} is rate limiting requests (HTTP 429){}", retry_suffix(*.retry_after_secs))]
    RateLimited {
        registry: String,
        retry_after_secs: Option<u64>,
        remaining: Option<String>,
    },
    #[error("{registry} answered HTTP {status} for {what}{}{}", codes_suffix(.codes), retry_suffix(.retry_after_secs.map(u64::from)))]
    Status {
        registry: String,
        what: String,
        status: u16,
        codes: Vec<OciErrorCode>,
        /// `Retry-After`, which a 503 may carry as well as a 429. A `u16` keeps `Error` as
        /// small as it was (it sits in the padding after `status`); waits of hours are past
        /// any retry budget anyway.
        retry_after_secs: Option<u16>,
    },
    #[error("{what}: digest mismatch, expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: Digest,
        actual: Digest,
    },
    #[error("{what}: size mismatch, expected {expected} bytes, got {actual}")]
    SizeMismatch {
        what: String,
        expected: u64,
        actual: u64,
    },
    #[error("{what} is larger than the {limit}-byte limit")]
    TooLarge { what: String, limit: u64 },
    #[error("{what}: invalid content: {reason}")]
    InvalidContent { what: String, reason: String },
    #[error("no image for platform {wanted}; available: {}{}; pick one with --platform", .available.join(", "), nested_suffix(.nested))]
    PlatformNotFound {
        /// Boxed, so that `Error` stays as small as it was before `nested`.
        wanted: Box<Platform>,
        /// The platform images the index lists (attestations left out).
        available: Vec<String>,
        /// The indexes nested in it (their platforms, or digests), which are not opened.
        nested: Vec<String>,
    },
    /// Indexes nested deeper than [`crate::oci::image::MAX_INDEX_DEPTH`] (a loop or a bomb).
    #[error("{what}: indexes nested more than {limit} deep")]
    IndexTooDeep { what: String, limit: usize },
    /// A transfer moved less than the low-speed limit over its window, or a small document
    /// missed its deadline (`registry::limits`). Never retried.
    #[error("{registry} stopped sending data ({what})")]
    Stalled { registry: String, what: String },
    /// A next-page link (or another URL the registry sent) that is not a valid URL.
    #[error("{registry} sent a link Berth cannot follow: {link}")]
    InvalidLink { registry: String, link: String },
    /// HTTPS needs trusted roots, and the machine has none (no CA bundle, or
    /// `SSL_CERT_FILE`/`SSL_CERT_DIR` naming nothing).
    #[error("no CA certificates were found on this computer to check {registry}'s certificate")]
    NoCaCertificates { registry: String },
    #[error("token service {realm} failed: {reason}")]
    TokenFailed { realm: String, reason: String },
    #[error("cannot read credentials: {0}")]
    Credentials(String),
    #[error("protocol error from {registry}: {reason}")]
    Protocol { registry: String, reason: String },
    /// A `Link` to the next page names another origin; credentials stay with their origin
    /// (ARCHITECTURE.md, "Credentials"), so the page is not fetched.
    #[error(
        "{registry} sent a next-page link to another server ({target}); Berth follows pages only on the registry itself"
    )]
    ForeignLink { registry: String, target: String },
    /// A listing's `Link` came back to a page already fetched, or ran past the page limit.
    #[error("{registry} keeps paging {what} (a page repeated or more than {pages} pages); stopped")]
    EndlessListing {
        registry: String,
        what: String,
        pages: usize,
    },
    /// The registry accepted removing a tag, yet the tag still resolves (issue 23, Untag).
    #[error("{reference} still points at {digest} after the registry accepted removing the tag")]
    TagRemained { reference: String, digest: Digest },
    /// An untag took or moved other tags on the same digest: the registry deleted the whole
    /// manifest on a tag `DELETE`, which breaks the distribution spec.
    #[error("removing {reference} also changed other tags ({}); this registry does not follow the distribution spec", .changed.iter().map(|c| c.tag.as_str()).collect::<Vec<_>>().join(", "))]
    UntagDisturbed {
        reference: String,
        changed: Vec<super::untag::SiblingChange>,
    },
    /// The placeholder an untag pushed to a tag could not be deleted: the tag now points at it.
    #[error(
        "{reference} now points at the placeholder {placeholder}, which could not be deleted: {cause}"
    )]
    PlaceholderLeft {
        reference: String,
        placeholder: Digest,
        cause: Box<Error>,
    },
    #[error("cancelled")]
    Cancelled,
}

/// How a registry differs from a delete plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChange {
    /// A planned tag now points at another digest.
    Moved,
    /// A tag the plan never saw now points at a digest being deleted.
    Added,
}

impl PlanChange {
    /// The stable name the message catalog selects on.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moved => "moved",
            Self::Added => "added",
        }
    }

    fn describe(self, digest: &Digest) -> String {
        match self {
            Self::Moved => format!("moved to {digest}"),
            Self::Added => format!("appeared on {digest}, which the delete removes"),
        }
    }
}

/// ` [CODE: message; …]` for a message, or nothing when the registry sent no codes. The codes
/// are protocol words, never translated.
#[must_use]
pub fn codes_suffix(codes: &[OciErrorCode]) -> String {
    if codes.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = codes
        .iter()
        .map(|c| {
            if c.message.is_empty() {
                c.code.clone()
            } else {
                format!("{}: {}", c.code, c.message)
            }
        })
        .collect();
    format!(" [{}]", parts.join("; "))
}

fn nested_suffix(nested: &[String]) -> String {
    if nested.is_empty() {
        return String::new();
    }
    format!("; nested indexes, not opened: {}", nested.join(", "))
}

fn retry_suffix(secs: Option<u64>) -> String {
    secs.map(|s| format!("; retry after {s} s"))
        .unwrap_or_default()
}

impl Error {
    /// The stable, never-localised name of this kind of error.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidReference(_) => "invalid_reference",
            Self::Unreachable { .. } => "unreachable",
            Self::Tls { .. } => "tls",
            Self::UntrustedCertificate { .. } => "untrusted_certificate",
            Self::PlainHttpAnswer { .. } => "plain_http_answer",
            Self::Unauthorized { .. } => "unauthorized",
            Self::Denied { .. } => "denied",
            Self::NotFound { .. } => "not_found",
            Self::CatalogUnsupported { .. } => "catalog_unsupported",
            Self::DeleteDisabled { .. } => "delete_disabled",
            Self::DeleteByDigestOnly { .. } => "delete_by_digest_only",
            Self::PlanChanged { .. } => "plan_changed",
            Self::RateLimited { .. } => "rate_limited",
            Self::Status { .. } => "http_status",
            Self::DigestMismatch { .. } => "digest_mismatch",
            Self::SizeMismatch { .. } => "size_mismatch",
            Self::TooLarge { .. } => "too_large",
            Self::InvalidContent { .. } => "invalid_content",
            Self::PlatformNotFound { .. } => "platform_not_found",
            Self::TokenFailed { .. } => "token_failed",
            Self::Credentials(_) => "credentials",
            Self::Protocol { .. } => "protocol",
            Self::ForeignLink { .. } => "foreign_link",
            Self::EndlessListing { .. } => "endless_listing",
            Self::IndexTooDeep { .. } => "index_too_deep",
            Self::Stalled { .. } => "stalled",
            Self::InvalidLink { .. } => "invalid_link",
            Self::NoCaCertificates { .. } => "no_ca_certificates",
            Self::TagRemained { .. } => "tag_remained",
            Self::UntagDisturbed { .. } => "untag_disturbed",
            Self::PlaceholderLeft { .. } => "placeholder_left",
            Self::Cancelled => "cancelled",
        }
    }

    /// HTTP status, when the registry answered with one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Denied { .. } => Some(403),
            Self::NotFound { .. } => Some(404),
            Self::RateLimited { .. } => Some(429),
            Self::DeleteDisabled { .. } => Some(405),
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// OCI error codes from the body, when there were any.
    #[must_use]
    pub fn codes(&self) -> &[OciErrorCode] {
        match self {
            Self::Unauthorized { codes, .. }
            | Self::Denied { codes, .. }
            | Self::NotFound { codes, .. }
            | Self::Status { codes, .. } => codes,
            _ => &[],
        }
    }

    /// Worth trying again for an idempotent request: the network or the server had a
    /// moment, or the bytes were damaged on the way.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unreachable { .. }
            | Self::RateLimited { .. }
            | Self::DigestMismatch { .. }
            | Self::SizeMismatch { .. } => true,
            Self::Status { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// How long the registry asked us to wait before trying again (`Retry-After`).
    #[must_use]
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::RateLimited {
                retry_after_secs, ..
            } => retry_after_secs.map(std::time::Duration::from_secs),
            Self::Status {
                retry_after_secs, ..
            } => retry_after_secs.map(|s| std::time::Duration::from_secs(s.into())),
            _ => None,
        }
    }

    pub(crate) fn from_verify(what: &str, e: VerifyError) -> Self {
        match e {
            VerifyError::TooLong { expected } => Self::SizeMismatch {
                what: what.to_owned(),
                expected,
                actual: expected + 1,
            },
            VerifyError::SizeMismatch { expected, actual } => Self::SizeMismatch {
                what: what.to_owned(),
                expected,
                actual,
            },
            VerifyError::DigestMismatch { expected, actual } => Self::DigestMismatch {
                what: what.to_owned(),
                expected,
                actual,
            },
        }
    }
}

/// Parses an error body; registries that send HTML or nothing yield no codes.
#[must_use]
pub fn parse_error_codes(body: &[u8]) -> Vec<OciErrorCode> {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<OciErrorCode>,
    }
    serde_json::from_slice::<Body>(body)
        .map(|b| b.errors)
        .unwrap_or_default()
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_codes_are_parsed_and_shown() {
        let codes = parse_error_codes(
            br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}"#,
        );
        assert_eq!(codes[0].code, "MANIFEST_UNKNOWN");
        let e = Error::NotFound {
            what: "repo:tag".into(),
            codes,
        };
        assert_eq!(
            e.to_string(),
            "not found: repo:tag [MANIFEST_UNKNOWN: manifest unknown]"
        );
        assert_eq!(e.kind(), "not_found");
        assert!(parse_error_codes(b"<html>").is_empty());
    }
}
