//! Errors reading attestations, SBOMs and provenance (`trust::ReadError`) into sentences.

use crate::tr;

/// A sentence for an error reading what refers to an image.
#[must_use]
pub fn describe(error: &crate::trust::ReadError) -> String {
    use crate::trust::ReadError;
    match error {
        ReadError::TooLarge { what, limit } => tr!(
            "trust-error-too-large",
            what = what.as_str(),
            limit = crate::format::size_binary(*limit)
        ),
        ReadError::NotJson { what, reason } => tr!(
            "trust-error-not-json",
            what = what.as_str(),
            reason = reason.as_str()
        ),
        ReadError::NotSbom { what, found } if found.is_empty() => {
            tr!("trust-error-not-sbom", what = what.as_str())
        }
        ReadError::NotSbom { what, found } => tr!(
            "trust-error-not-sbom-predicate",
            what = what.as_str(),
            found = found.as_str()
        ),
        ReadError::BadEnvelope { what, reason } => tr!(
            "trust-error-bad-envelope",
            what = what.as_str(),
            reason = reason.as_str()
        ),
        ReadError::NoSbom { looked } => tr!("trust-error-no-sbom", looked = looked.join("; ")),
        ReadError::Registry(e) => super::registry::describe(e),
    }
}
