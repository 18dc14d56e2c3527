//! Attestations: in-toto statements, bare (`BuildKit`'s attestation manifests, layers of
//! `application/vnd.in-toto+json`) or in DSSE envelopes (`cosign attest`'s `.att` tag,
//! `application/vnd.dsse.envelope.v1+json`, the statement base64 in `payload`). Berth lists
//! their predicate types; the SBOM and provenance readers take their predicates.

use super::ReadError;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

pub const IN_TOTO_MEDIA_TYPE: &str = "application/vnd.in-toto+json";
pub const DSSE_MEDIA_TYPE: &str = "application/vnd.dsse.envelope.v1+json";
/// The layer annotation `BuildKit` writes with each statement's predicate type.
pub const PREDICATE_TYPE_ANNOTATION: &str = "in-toto.io/predicate-type";
/// The layer annotation cosign writes on an `.att` tag's envelopes.
pub const COSIGN_PREDICATE_ANNOTATION: &str = "predicateType";
pub use crate::oci::image::REFERENCE_DIGEST_ANNOTATION;

/// Where an attestation was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Found {
    /// An attestation manifest inside the image's index (`BuildKit`).
    BuildKit,
    /// cosign's `sha256-HEX.att` tag.
    CosignTag,
    /// A referrer (the API or the `sha256-HEX` fallback index).
    Referrer,
}

/// One attestation: its predicate type and the blob that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attestation {
    pub predicate_type: String,
    pub found: Found,
    /// The manifest the statement is a layer of.
    pub manifest: crate::oci::Digest,
    /// The statement's (or envelope's) blob.
    pub blob: crate::oci::Digest,
    pub size: u64,
    pub media_type: String,
}

impl Attestation {
    #[must_use]
    pub fn is_sbom(&self) -> bool {
        super::sbom::is_sbom_predicate(&self.predicate_type)
    }

    #[must_use]
    pub fn is_provenance(&self) -> bool {
        super::provenance::is_provenance_predicate(&self.predicate_type)
    }
}

/// The base64 payload of a DSSE envelope, decoded.
pub fn decode_payload(payload: &str, what: &str) -> Result<Vec<u8>, ReadError> {
    base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(payload.trim()))
        .map_err(|e| ReadError::BadEnvelope {
            what: what.to_owned(),
            reason: e.to_string(),
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    payload: String,
}

/// The in-toto statement in `bytes`: the bytes themselves, or a DSSE envelope's payload.
pub fn statement_bytes(bytes: &[u8], media_type: &str, what: &str) -> Result<Vec<u8>, ReadError> {
    if media_type == DSSE_MEDIA_TYPE || looks_like_envelope(bytes) {
        let envelope: Envelope = serde_json::from_slice(bytes).map_err(|e| ReadError::NotJson {
            what: what.to_owned(),
            reason: e.to_string(),
        })?;
        return decode_payload(&envelope.payload, what);
    }
    Ok(bytes.to_vec())
}

fn looks_like_envelope(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Keys {
        payload_type: Option<String>,
    }
    serde_json::from_slice::<Keys>(bytes).is_ok_and(|k| k.payload_type.is_some())
}

/// The predicate type of the statement in `bytes` (bare or enveloped).
pub fn predicate_type(bytes: &[u8], media_type: &str, what: &str) -> Result<String, ReadError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Head {
        predicate_type: Option<String>,
    }
    let statement = statement_bytes(bytes, media_type, what)?;
    let head: Head = serde_json::from_slice(&statement).map_err(|e| ReadError::NotJson {
        what: what.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(head.predicate_type.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_payload_gives_the_predicate_type() {
        let statement = br#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","predicate":{}}"#;
        let payload = base64::engine::general_purpose::STANDARD.encode(statement);
        let env = format!(
            r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{payload}","signatures":[]}}"#
        );
        assert_eq!(
            predicate_type(env.as_bytes(), DSSE_MEDIA_TYPE, "t").unwrap(),
            "https://slsa.dev/provenance/v1"
        );
        let bad = r#"{"payloadType":"x","payload":"@@@"}"#;
        assert!(matches!(
            predicate_type(bad.as_bytes(), DSSE_MEDIA_TYPE, "t"),
            Err(ReadError::BadEnvelope { .. })
        ));
    }
}
