//! One cosign signature judged: the layer of a `.sig` manifest (media type
//! `application/vnd.dev.cosign.simplesigning.v1+json`), whose blob is the payload that was
//! signed and whose annotations carry the base64 signature and, for keyless signing, the
//! Fulcio certificate (the signature spec in the sigstore/cosign repository). Pure: the bytes come from
//! the caller, nothing here reaches the network.

use super::cert;
use super::keys::PublicKey;
use super::signatures::{SigKind, SigReason, Signature};
use crate::oci::Digest;
use std::collections::HashMap;

/// The layer media type of a cosign simple-signing payload.
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The annotation holding the base64 signature.
pub const ANNOTATION_SIGNATURE: &str = "dev.cosignproject.cosign/signature";
/// The annotation holding a keyless signature's PEM certificate.
pub const ANNOTATION_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";

/// The most of a payload read: a simple-signing document is a few hundred bytes.
pub const MAX_PAYLOAD_BYTES: u64 = 1024 * 1024;

/// Judges one signature layer of `image` against the user's `keys`.
#[must_use]
pub fn judge<S: std::hash::BuildHasher>(
    payload: &[u8],
    annotations: &HashMap<String, String, S>,
    image: &Digest,
    keys: &[PublicKey],
    source: String,
) -> Signature {
    use base64::Engine as _;
    let mut sig = Signature::new(SigKind::Cosign, SigReason::NoKey, image, source);
    let certificate = annotations
        .get(ANNOTATION_CERTIFICATE)
        .filter(|c| !c.trim().is_empty())
        .map(|pem| cert::from_pem(pem).into_iter().next().flatten());
    if let Some(Some(c)) = &certificate {
        sig.certificate = Some(c.clone());
    }
    let claims = serde_json::from_slice::<serde_json::Value>(payload).ok();
    if let Some(critical) = claims.as_ref().and_then(|v| v.get("critical")) {
        sig.claimed_digest = critical
            .pointer("/image/docker-manifest-digest")
            .and_then(|d| d.as_str())
            .map(str::to_owned);
        sig.claimed_reference = critical
            .pointer("/identity/docker-reference")
            .and_then(|d| d.as_str())
            .map(str::to_owned);
    }
    let raw = annotations
        .get(ANNOTATION_SIGNATURE)
        .map(|s| base64::engine::general_purpose::STANDARD.decode(s.trim()));
    let Some(Ok(signature)) = raw else {
        sig.set_reason(SigReason::NotBase64);
        return sig;
    };
    if sig.claimed_digest.is_none() {
        sig.set_reason(SigReason::PayloadNotJson);
        return sig;
    }
    if sig.claimed_digest.as_deref() != Some(image.as_str()) {
        sig.set_reason(SigReason::DigestDiffers);
        return sig;
    }
    let fitting: Vec<&PublicKey> = keys.iter().filter(|k| k.fits(&signature)).collect();
    if let Some(key) = fitting.iter().find(|k| k.verifies(payload, &signature)) {
        sig.key = Some(key.name.clone());
        sig.set_reason(SigReason::KeyChecked);
        return sig;
    }
    let reason = match &certificate {
        Some(None) => SigReason::CertificateUnreadable,
        Some(Some(c)) => match PublicKey::from_spki(String::new(), c.spki.clone()) {
            Ok(own) if own.verifies(payload, &signature) => SigReason::KeylessNotChecked,
            Ok(_) => SigReason::CertificateKeyFails,
            Err(_) => SigReason::CertificateUnreadable,
        },
        None if keys.is_empty() => SigReason::NoKey,
        None if fitting.is_empty() => SigReason::NoKeyMatches,
        None => SigReason::SignatureFails,
    };
    sig.set_reason(reason);
    sig
}
