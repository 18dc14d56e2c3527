//! The public keys a user trusts, read from PEM `SubjectPublicKeyInfo` files: ECDSA P-256
//! and P-384, RSA and Ed25519. A key checks a signature with `aws-lc-rs` (the crypto rustls
//! already builds into the binary) over the exact payload bytes, and can say whether a
//! signature has its algorithm's shape, which is how a signature "matches" a key at all.

use super::der;
use std::path::{Path, PathBuf};

/// A key file could not be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KeyError {
    #[error("cannot read key file {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("no PEM public key in {path}")]
    NoPublicKey { path: PathBuf },
    #[error("unsupported key algorithm {algorithm} in {path}")]
    Unsupported { path: PathBuf, algorithm: String },
}

impl KeyError {
    /// The stable kind (`--json`).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Read { .. } => "key-read",
            Self::NoPublicKey { .. } => "key-not-pem",
            Self::Unsupported { .. } => "key-unsupported",
        }
    }
}

/// A key's algorithm, as its `SubjectPublicKeyInfo` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    EcdsaP256,
    EcdsaP384,
    /// RSA of this many modulus bytes.
    Rsa(usize),
    Ed25519,
}

impl KeyAlgorithm {
    /// A short stable name (`ecdsa-p256`, `rsa-2048`, `ed25519`).
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::EcdsaP256 => "ecdsa-p256".into(),
            Self::EcdsaP384 => "ecdsa-p384".into(),
            Self::Rsa(bytes) => format!("rsa-{}", bytes * 8),
            Self::Ed25519 => "ed25519".into(),
        }
    }
}

/// A public key and the name the user knows it by (its file's path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub name: String,
    pub algorithm: KeyAlgorithm,
    /// The DER `SubjectPublicKeyInfo`.
    pub spki: Vec<u8>,
}

const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

impl PublicKey {
    /// Reads a PEM file. Runs on a worker, never on the UI thread.
    ///
    /// # Errors
    /// The file cannot be read, holds no `PUBLIC KEY` block, or a key Berth cannot check.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let name = path.display().to_string();
        let Some(spki) = der::pem_blocks(&text, "PUBLIC KEY").into_iter().next() else {
            return Err(KeyError::NoPublicKey {
                path: path.to_path_buf(),
            });
        };
        Self::from_spki(name, spki).map_err(|algorithm| KeyError::Unsupported {
            path: path.to_path_buf(),
            algorithm,
        })
    }

    /// A key from its DER `SubjectPublicKeyInfo`; the algorithm's OID when unsupported.
    ///
    /// # Errors
    /// The structure does not parse (`"unreadable"`) or names another algorithm.
    pub fn from_spki(name: String, spki: Vec<u8>) -> Result<Self, String> {
        let algorithm = algorithm_of(&spki)?;
        Ok(Self {
            name,
            algorithm,
            spki,
        })
    }

    /// Whether `signature` has this key's algorithm's shape (an ECDSA DER signature of the
    /// curve's size, 64 bytes for Ed25519, the modulus' length for RSA).
    #[must_use]
    pub fn fits(&self, signature: &[u8]) -> bool {
        shape_of(signature).is_some_and(|s| s.fits(self.algorithm))
    }

    /// Whether `signature` checks over exactly `payload` with this key.
    #[must_use]
    pub fn verifies(&self, payload: &[u8], signature: &[u8]) -> bool {
        use aws_lc_rs::signature as sig;
        let alg: &dyn sig::VerificationAlgorithm = match self.algorithm {
            KeyAlgorithm::EcdsaP256 => &sig::ECDSA_P256_SHA256_ASN1,
            KeyAlgorithm::EcdsaP384 => &sig::ECDSA_P384_SHA384_ASN1,
            KeyAlgorithm::Rsa(_) => &sig::RSA_PKCS1_2048_8192_SHA256,
            KeyAlgorithm::Ed25519 => &sig::ED25519,
        };
        sig::UnparsedPublicKey::new(alg, &self.spki)
            .verify(payload, signature)
            .is_ok()
    }
}

fn algorithm_of(spki: &[u8]) -> Result<KeyAlgorithm, String> {
    let unreadable = || "unreadable".to_string();
    let outer = der::whole(spki, der::SEQUENCE).ok_or_else(unreadable)?;
    let mut parts = der::children(outer.body);
    let alg = parts.next().filter(|t| t.tag == der::SEQUENCE);
    let key = parts.next().filter(|t| t.tag == der::BIT_STRING);
    let (Some(alg), Some(key)) = (alg, key) else {
        return Err(unreadable());
    };
    let mut ids = der::children(alg.body);
    let oid = ids
        .next()
        .filter(|t| t.tag == der::OID)
        .ok_or_else(unreadable)?;
    let param = ids.next();
    match oid.body {
        OID_EC => match param.map(|p| p.body) {
            Some(OID_P256) => Ok(KeyAlgorithm::EcdsaP256),
            Some(OID_P384) => Ok(KeyAlgorithm::EcdsaP384),
            other => Err(format!(
                "ecdsa {}",
                other.map(der::oid_string).unwrap_or_default()
            )),
        },
        OID_ED25519 => Ok(KeyAlgorithm::Ed25519),
        OID_RSA => {
            let rsa = key
                .body
                .get(1..)
                .and_then(|b| der::whole(b, der::SEQUENCE))
                .ok_or_else(unreadable)?;
            let n = der::children(rsa.body)
                .next()
                .filter(|t| t.tag == der::INTEGER)
                .ok_or_else(unreadable)?;
            let len = n.body.iter().skip_while(|b| **b == 0).count();
            Ok(KeyAlgorithm::Rsa(len))
        }
        other => Err(der::oid_string(other)),
    }
}

/// What a signature's bytes look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// An ECDSA DER signature whose larger integer has this many bytes.
    Ecdsa(usize),
    Raw(usize),
}

impl Shape {
    fn fits(self, alg: KeyAlgorithm) -> bool {
        match (self, alg) {
            (Self::Ecdsa(n), KeyAlgorithm::EcdsaP256) => (1..=32).contains(&n),
            (Self::Ecdsa(n), KeyAlgorithm::EcdsaP384) => (33..=48).contains(&n),
            (Self::Raw(64), KeyAlgorithm::Ed25519) => true,
            (Self::Raw(n), KeyAlgorithm::Rsa(m)) => n == m,
            _ => false,
        }
    }
}

fn shape_of(signature: &[u8]) -> Option<Shape> {
    let ecdsa = der::whole(signature, der::SEQUENCE).and_then(|seq| {
        let ints: Vec<_> = der::children(seq.body).collect();
        match ints.as_slice() {
            [r, s] if r.tag == der::INTEGER && s.tag == der::INTEGER => {
                let len = |t: &der::Tlv<'_>| t.body.iter().skip_while(|b| **b == 0).count();
                Some(Shape::Ecdsa(len(r).max(len(s))))
            }
            _ => None,
        }
    });
    ecdsa.or_else(|| (!signature.is_empty()).then_some(Shape::Raw(signature.len())))
}

/// Reads every key file, in order; the first that cannot be used is the error.
///
/// # Errors
/// A key file that cannot be read or holds no supported public key.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<PublicKey>, KeyError> {
    paths.iter().map(|p| PublicKey::load(p)).collect()
}
