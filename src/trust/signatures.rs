//! Signatures of an image: what was found, of which kind, and in which state. The states are
//! the words exactly: **verified** only when one of the user's keys checks the
//! signature over the exact payload and the payload names the image's digest; **invalid**
//! when the signature or the digest is wrong (the reason says which); **unverified** for
//! everything Berth cannot check (no key, no key of its kind, keyless certificates without
//! the transparency log, notation signatures, Sigstore bundles). Nothing is trusted by default.

use super::cert::CertInfo;
use super::keys::PublicKey;
use crate::oci::Digest;
use serde::Serialize;

/// Which scheme made a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigKind {
    Cosign,
    Notation,
    SigstoreBundle,
}

/// What Berth could establish about a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigState {
    Verified,
    Invalid,
    Unverified,
}

/// Why a signature is in its state (a stable name in `--json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigReason {
    /// Verified: a key checked it and the payload names this image.
    KeyChecked,
    /// Invalid: the payload names another digest (see `claimed_digest`).
    DigestDiffers,
    /// Invalid: a key of the signature's kind was given and none checks it (the payload was
    /// changed, or another key of that kind signed it).
    SignatureFails,
    /// Invalid: the signature does not check with the key of its own certificate.
    CertificateKeyFails,
    /// Invalid: the signature annotation is not base64.
    NotBase64,
    /// Invalid: the payload is not a simple-signing JSON document.
    PayloadNotJson,
    /// Unverified: no key was given.
    NoKey,
    /// Unverified: no key given is of the signature's kind.
    NoKeyMatches,
    /// Unverified: a keyless signature; its certificate's identity is shown, the
    /// transparency log and the certificate chain are not checked.
    KeylessNotChecked,
    /// Unverified: the signature carries a certificate that does not parse.
    CertificateUnreadable,
    /// Unverified: a notation signature; Berth does not check those.
    NotationNotChecked,
    /// Unverified: a Sigstore bundle; Berth does not check those.
    BundleNotChecked,
    /// Unverified: the signature's manifest or envelope could not be read.
    Unreadable,
}

impl SigReason {
    /// The state this reason belongs to.
    #[must_use]
    pub fn state(self) -> SigState {
        match self {
            Self::KeyChecked => SigState::Verified,
            Self::DigestDiffers
            | Self::SignatureFails
            | Self::CertificateKeyFails
            | Self::NotBase64
            | Self::PayloadNotJson => SigState::Invalid,
            _ => SigState::Unverified,
        }
    }
}

/// One signature of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub state: SigState,
    pub reason: SigReason,
    /// The key that verified it (its file), only when verified.
    pub key: Option<String>,
    pub kind: SigKind,
    /// The manifest digest the signature is for (an index or one of its platforms).
    pub subject: String,
    /// Where it was found: the `.sig` tag or a referrer's digest.
    pub source: String,
    /// What the payload claims: the image digest and the reference it was signed as.
    pub claimed_digest: Option<String>,
    pub claimed_reference: Option<String>,
    /// The signer's certificate (keyless cosign, notation), read but not trusted.
    pub certificate: Option<CertInfo>,
    /// A notation signature's envelope (`jws` or `cose`).
    pub envelope: Option<String>,
}

impl Signature {
    /// A signature with nothing established yet beyond its reason.
    #[must_use]
    pub fn new(kind: SigKind, reason: SigReason, subject: &Digest, source: String) -> Self {
        Self {
            state: reason.state(),
            reason,
            key: None,
            kind,
            subject: subject.to_string(),
            source,
            claimed_digest: None,
            claimed_reference: None,
            certificate: None,
            envelope: None,
        }
    }

    /// Sets the reason and the state that goes with it.
    pub fn set_reason(&mut self, reason: SigReason) {
        self.reason = reason;
        self.state = reason.state();
    }
}

/// The one-glance answer for an image heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Badge {
    /// At least one signature verified; by this key.
    Verified {
        key: String,
    },
    /// No signature verified and at least one is invalid.
    Invalid,
    /// Signed, but nothing could be checked.
    SignedUnverified,
    Unsigned,
}

/// The badge of the signatures of one manifest.
#[must_use]
pub fn badge(signatures: &[Signature]) -> Badge {
    if let Some(key) = signatures
        .iter()
        .find(|s| s.state == SigState::Verified)
        .and_then(|s| s.key.clone())
    {
        Badge::Verified { key }
    } else if signatures.iter().any(|s| s.state == SigState::Invalid) {
        Badge::Invalid
    } else if signatures.is_empty() {
        Badge::Unsigned
    } else {
        Badge::SignedUnverified
    }
}

/// The keys a check uses: nothing is trusted unless it is here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedKeys {
    pub keys: Vec<PublicKey>,
}
