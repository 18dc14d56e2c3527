//! Signatures and signature keys into sentences (issue 20): a key file that cannot be used,
//! and the words for a signature's state, kind and reason, shared by the window and the CLI.

use crate::tr;
use crate::trust::keys::KeyError;
use crate::trust::signatures::{Badge, SigKind, SigReason, SigState, Signature};

/// A sentence for a key file that cannot be used.
#[must_use]
pub fn describe_key_error(error: &KeyError) -> String {
    match error {
        KeyError::Read { path, reason } => tr!(
            "trust-error-key-read",
            path = path.display().to_string(),
            reason = reason.as_str()
        ),
        KeyError::NoPublicKey { path } => {
            tr!("trust-error-key-not-pem", path = path.display().to_string())
        }
        KeyError::Unsupported { path, algorithm } => tr!(
            "trust-error-key-unsupported",
            path = path.display().to_string(),
            algorithm = algorithm.as_str()
        ),
    }
}

/// A state's word.
#[must_use]
pub fn signature_state(state: SigState) -> String {
    match state {
        SigState::Verified => tr!("sig-state-verified"),
        SigState::Invalid => tr!("sig-state-invalid"),
        SigState::Unverified => tr!("sig-state-unverified"),
    }
}

/// A kind's name.
#[must_use]
pub fn signature_kind(kind: SigKind) -> String {
    match kind {
        SigKind::Cosign => tr!("sig-kind-cosign"),
        SigKind::Notation => tr!("sig-kind-notation"),
        SigKind::SigstoreBundle => tr!("sig-kind-sigstore-bundle"),
    }
}

/// Who the signature says signed it: the key that verified it, or the certificate's
/// identity (SAN, else subject); empty when nothing says.
#[must_use]
pub fn signature_who(sig: &Signature) -> String {
    if let Some(k) = &sig.key {
        return k.clone();
    }
    sig.certificate
        .as_ref()
        .map(|c| c.san.first().cloned().unwrap_or_else(|| c.subject.clone()))
        .unwrap_or_default()
}

/// The reason, as a sentence with the signature's claims.
#[must_use]
pub fn signature_reason(sig: &Signature) -> String {
    let unknown = || tr!("sig-unknown");
    let claimed = sig.claimed_digest.clone().unwrap_or_else(unknown);
    let claimed = match &sig.claimed_reference {
        Some(r) => format!("{r}@{claimed}"),
        None => claimed,
    };
    let cert = sig.certificate.as_ref();
    match sig.reason {
        SigReason::KeyChecked => tr!(
            "sig-reason-key-checked",
            key = sig.key.clone().unwrap_or_default()
        ),
        SigReason::DigestDiffers => tr!("sig-reason-digest-differs", claimed = claimed),
        SigReason::SignatureFails => tr!("sig-reason-signature-fails"),
        SigReason::CertificateKeyFails => tr!("sig-reason-certificate-key-fails"),
        SigReason::NotBase64 => tr!("sig-reason-not-base64"),
        SigReason::PayloadNotJson => tr!("sig-reason-payload-not-json"),
        SigReason::NoKey => tr!("sig-reason-no-key", claimed = claimed),
        SigReason::NoKeyMatches => tr!("sig-reason-no-key-matches", claimed = claimed),
        SigReason::KeylessNotChecked => tr!(
            "sig-reason-keyless-not-checked",
            identity = signature_who(sig),
            issuer = cert
                .and_then(|c| c.oidc_issuer.clone())
                .unwrap_or_else(unknown)
        ),
        SigReason::CertificateUnreadable => tr!("sig-reason-certificate-unreadable"),
        SigReason::NotationNotChecked => match cert {
            Some(c) => tr!(
                "sig-reason-notation-not-checked",
                subject = c.subject.as_str(),
                issuer = c.issuer.as_str(),
                from = c.not_before.as_str(),
                until = c.not_after.as_str()
            ),
            None => tr!("sig-reason-notation-cose"),
        },
        SigReason::BundleNotChecked => tr!("sig-reason-bundle-not-checked"),
        SigReason::Unreadable => tr!("sig-reason-unreadable"),
    }
}

/// The badge's words.
#[must_use]
pub fn signature_badge(badge: &Badge) -> String {
    match badge {
        Badge::Verified { key } => tr!("sig-badge-verified", key = key.as_str()),
        Badge::Invalid => tr!("sig-badge-invalid"),
        Badge::SignedUnverified => tr!("sig-badge-unverified"),
        Badge::Unsigned => tr!("sig-badge-unsigned"),
    }
}
