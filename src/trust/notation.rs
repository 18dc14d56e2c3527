//! Notation signatures (artifact type `application/vnd.cncf.notary.signature`): never
//! verified here. A JWS envelope's signer certificate chain (`header.x5c`) is read for the
//! signer's subject, issuer and validity; a COSE envelope is only named.

use super::cert;
use super::signatures::{SigKind, SigReason, Signature};
use crate::oci::Digest;

/// Notation's artifact type.
pub const ARTIFACT_TYPE: &str = "application/vnd.cncf.notary.signature";
/// The layer media type of a JWS envelope.
pub const JWS: &str = "application/jose+json";
/// The layer media type of a COSE envelope.
pub const COSE: &str = "application/cose";

/// A notation signature from its envelope layer's media type and, for JWS, its bytes.
#[must_use]
pub fn judge(
    media_type: &str,
    envelope: Option<&[u8]>,
    image: &Digest,
    source: String,
) -> Signature {
    use base64::Engine as _;
    let mut sig = Signature::new(
        SigKind::Notation,
        SigReason::NotationNotChecked,
        image,
        source,
    );
    if media_type == COSE {
        sig.envelope = Some("cose".into());
        return sig;
    }
    if media_type != JWS {
        sig.set_reason(SigReason::Unreadable);
        return sig;
    }
    sig.envelope = Some("jws".into());
    let first_cert = envelope
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| {
            v.pointer("/header/x5c/0")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .and_then(|c| base64::engine::general_purpose::STANDARD.decode(c).ok());
    match first_cert.as_deref().map(cert::parse) {
        Some(Some(c)) => sig.certificate = Some(c),
        Some(None) => sig.set_reason(SigReason::CertificateUnreadable),
        None => sig.set_reason(SigReason::Unreadable),
    }
    sig
}
