//! Why an attestation, SBOM or provenance could not be read: one enum of facts that
//! `i18n/errors/trust_read.rs` words for the window and the CLI alike.

/// What went wrong reading what refers to an image.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The document is bigger than Berth reads (`limit` bytes).
    #[error("{what} is larger than {limit} bytes")]
    TooLarge { what: String, limit: u64 },
    /// The document is not JSON.
    #[error("{what} is not JSON: {reason}")]
    NotJson { what: String, reason: String },
    /// JSON, but neither SPDX nor `CycloneDX` (`found`: the predicate type, if it had one).
    #[error("{what} is not an SPDX or CycloneDX document ({found})")]
    NotSbom { what: String, found: String },
    /// A DSSE envelope whose payload is not base64.
    #[error("{what}: the envelope's payload is not base64: {reason}")]
    BadEnvelope { what: String, reason: String },
    /// No SBOM was found; `looked` lists where (referrers, tags, attestation manifests).
    #[error("no SBOM found (looked in {})", places(.looked))]
    NoSbom { looked: Vec<super::Looked> },
    #[error(transparent)]
    Registry(#[from] crate::registry::Error),
}

impl ReadError {
    /// The stable name `--json` prints and the catalog keys on.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "too_large",
            Self::NotJson { .. } => "not_json",
            Self::NotSbom { .. } => "not_sbom",
            Self::BadEnvelope { .. } => "bad_envelope",
            Self::NoSbom { .. } => "no_sbom",
            Self::Registry(e) => e.kind(),
        }
    }
}

/// The places, for the error's own (untranslated) text; sentences word each one.
fn places(looked: &[super::Looked]) -> String {
    let all: Vec<String> = looked.iter().map(ToString::to_string).collect();
    all.join(", ")
}
