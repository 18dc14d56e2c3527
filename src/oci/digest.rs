//! Content digests (`sha256:<hex>`, `sha512:<hex>`) and the verifier that checks size and
//! digest while bytes stream through, so that nothing is trusted before it has been checked.
//! The OCI spec names two algorithms; both are verified, and any other is refused where it is
//! parsed, so no digest is ever accepted unchecked.

use sha2::{Digest as _, Sha256, Sha512};
use std::fmt;

/// The digest algorithms Berth verifies, as the OCI image spec registers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name before the colon (`sha256`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    /// Hex digits in an encoded digest of this algorithm.
    #[must_use]
    pub fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha512 => 128,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A running hash of one [`Algorithm`].
#[derive(Clone)]
enum Hasher {
    Sha256(Sha256),
    /// Boxed: sha512's state is twice sha256's, and every `Verifier` would pay for it.
    Sha512(Box<Sha512>),
}

impl Hasher {
    fn new(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha256 => Self::Sha256(Sha256::new()),
            Algorithm::Sha512 => Self::Sha512(Box::new(Sha512::new())),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(bytes),
            Self::Sha512(h) => h.update(bytes),
        }
    }

    fn finish(self) -> Digest {
        match self {
            Self::Sha256(h) => Digest::from_hash(Algorithm::Sha256, &h.finalize()),
            Self::Sha512(h) => Digest::from_hash(Algorithm::Sha512, &(*h).finalize()),
        }
    }
}

/// A validated `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>` digest.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Digest(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid digest {input:?}: {reason}")]
pub struct DigestParseError {
    pub input: String,
    pub reason: &'static str,
}

impl Digest {
    pub fn parse(input: &str) -> Result<Self, DigestParseError> {
        let err = |reason| DigestParseError {
            input: input.to_owned(),
            reason,
        };
        let Some((algorithm, hex)) = input.split_once(':') else {
            return Err(err("a digest is ALGORITHM:HEX, such as sha256:…"));
        };
        let algorithm = match algorithm {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => return Err(err("only sha256 and sha512 digests are supported")),
        };
        if hex.len() != algorithm.hex_len() {
            return Err(err(match algorithm {
                Algorithm::Sha256 => "a sha256 digest has 64 hex digits",
                Algorithm::Sha512 => "a sha512 digest has 128 hex digits",
            }));
        }
        if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(err("a digest holds only lowercase hex digits"));
        }
        Ok(Self(input.to_owned()))
    }

    /// The sha256 digest of a byte slice.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        Self::of_with(Algorithm::Sha256, bytes)
    }

    /// The digest of a byte slice with `algorithm`.
    #[must_use]
    pub fn of_with(algorithm: Algorithm, bytes: &[u8]) -> Self {
        let mut h = Hasher::new(algorithm);
        h.update(bytes);
        h.finish()
    }

    fn from_hash(algorithm: Algorithm, hash: &[u8]) -> Self {
        Self(format!("{algorithm}:{}", to_hex(hash)))
    }

    /// The algorithm before the colon.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        if self.0.starts_with("sha512:") {
            Algorithm::Sha512
        } else {
            Algorithm::Sha256
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hex digits after the colon.
    #[must_use]
    pub fn hex(&self) -> &str {
        self.0.split_once(':').map_or(&*self.0, |(_, hex)| hex)
    }

    /// The first 12 hex digits, as `docker images` shows them.
    #[must_use]
    pub fn short(&self) -> &str {
        &self.hex()[..12]
    }
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Digest {
    type Error = DigestParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Digest> for String {
    fn from(d: Digest) -> Self {
        d.0
    }
}

impl std::str::FromStr for Digest {
    type Err = DigestParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// What went wrong when streamed bytes did not match their descriptor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("expected {expected} bytes, got more than that")]
    TooLong { expected: u64 },
    #[error("expected {expected} bytes, got {actual}")]
    SizeMismatch { expected: u64, actual: u64 },
    #[error("expected digest {expected}, got {actual}")]
    DigestMismatch { expected: Digest, actual: Digest },
}

/// Hashes and counts bytes as they pass. Size overruns are caught on the chunk that overruns,
/// so a hostile server cannot make us buffer or write more than the descriptor promised.
/// The hash is the expected digest's algorithm (sha256 when none is expected).
pub struct Verifier {
    hasher: Hasher,
    seen: u64,
    expected_digest: Option<Digest>,
    expected_size: Option<u64>,
}

impl Verifier {
    #[must_use]
    pub fn new(expected_digest: Option<Digest>, expected_size: Option<u64>) -> Self {
        let algorithm = expected_digest
            .as_ref()
            .map_or(Algorithm::Sha256, Digest::algorithm);
        Self {
            hasher: Hasher::new(algorithm),
            seen: 0,
            expected_digest,
            expected_size,
        }
    }

    pub fn update(&mut self, chunk: &[u8]) -> Result<(), VerifyError> {
        self.seen += chunk.len() as u64;
        if let Some(expected) = self.expected_size
            && self.seen > expected
        {
            return Err(VerifyError::TooLong { expected });
        }
        self.hasher.update(chunk);
        Ok(())
    }

    #[must_use]
    pub fn bytes_seen(&self) -> u64 {
        self.seen
    }

    /// Checks the totals and returns the digest of everything seen.
    pub fn finish(self) -> Result<Digest, VerifyError> {
        if let Some(expected) = self.expected_size
            && self.seen != expected
        {
            return Err(VerifyError::SizeMismatch {
                expected,
                actual: self.seen,
            });
        }
        let actual = self.hasher.finish();
        match self.expected_digest {
            Some(expected) if expected != actual => {
                Err(VerifyError::DigestMismatch { expected, actual })
            }
            _ => Ok(actual),
        }
    }
}

/// A `Read` adapter that verifies as it reads; the final check runs when the inner reader
/// reports end of stream, so a consumer that reads to the end cannot miss a mismatch.
pub struct VerifyingReader<R> {
    inner: R,
    verifier: Option<Verifier>,
    digest: Option<Digest>,
}

impl<R: std::io::Read> VerifyingReader<R> {
    pub fn new(inner: R, expected_digest: Option<Digest>, expected_size: Option<u64>) -> Self {
        Self {
            inner,
            verifier: Some(Verifier::new(expected_digest, expected_size)),
            digest: None,
        }
    }

    /// The verified digest, once the stream has been read to its end.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    pub fn bytes_read(&self) -> u64 {
        self.verifier.as_ref().map_or(0, Verifier::bytes_seen)
    }
}

impl<R: std::io::Read> std::io::Read for VerifyingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let invalid = |e: VerifyError| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        if n == 0 {
            if let Some(v) = self.verifier.take() {
                self.digest = Some(v.finish().map_err(invalid)?);
            }
            return Ok(0);
        }
        if let Some(v) = self.verifier.as_mut() {
            v.update(&buf[..n]).map_err(invalid)?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_empty_matches_known_value() {
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn parse_rejects_bad_digests() {
        assert!(Digest::parse("sha256:abc").is_err());
        assert!(
            Digest::parse("md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .is_err()
        );
        assert!(
            Digest::parse(
                "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
            )
            .is_err()
        );
    }

    #[test]
    fn sha512_is_parsed_and_verified_and_others_refused() {
        let d = Digest::of_with(Algorithm::Sha512, b"");
        assert_eq!(
            d.as_str(),
            "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        );
        assert_eq!(
            Digest::parse(d.as_str()).unwrap().algorithm(),
            Algorithm::Sha512
        );
        assert_eq!(d.hex().len(), 128);
        assert!(Digest::parse(&format!("sha512:{}", "a".repeat(64))).is_err());
        let e = Digest::parse(&format!("sha384:{}", "a".repeat(96))).unwrap_err();
        assert!(e.reason.contains("sha256 and sha512"), "{e}");

        let mut v = Verifier::new(Some(Digest::of_with(Algorithm::Sha512, b"hello")), None);
        v.update(b"hello").unwrap();
        assert!(v.finish().is_ok());
        let mut v = Verifier::new(Some(Digest::of_with(Algorithm::Sha512, b"hello")), None);
        v.update(b"jello").unwrap();
        assert!(matches!(
            v.finish(),
            Err(VerifyError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn verifier_catches_size_and_digest_mismatch() {
        let good = Digest::of(b"hello");
        let mut v = Verifier::new(Some(good.clone()), Some(5));
        v.update(b"hel").unwrap();
        v.update(b"lo").unwrap();
        assert_eq!(v.finish().unwrap(), good);

        let mut v = Verifier::new(Some(good.clone()), Some(5));
        assert!(matches!(
            v.update(b"hello!"),
            Err(VerifyError::TooLong { .. })
        ));

        let mut v = Verifier::new(Some(good), Some(5));
        v.update(b"jello").unwrap();
        assert!(matches!(
            v.finish(),
            Err(VerifyError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn verifying_reader_fails_at_end_of_stream() {
        use std::io::Read as _;
        let mut r = VerifyingReader::new(&b"abc"[..], Some(Digest::of(b"abd")), None);
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }
}
