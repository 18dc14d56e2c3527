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
        ReadError::NoSbom { looked } => {
            let places: Vec<String> = looked.iter().map(place).collect();
            tr!("trust-error-no-sbom", looked = places.join("; "))
        }
        ReadError::Registry(e) => super::registry::describe(e),
    }
}

/// One place Berth looked for an SBOM, in the reader's language.
fn place(looked: &crate::trust::Looked) -> String {
    use crate::registry::LookedBy;
    use crate::trust::Looked;
    match looked {
        Looked::IndexAttestations { index } => {
            tr!("trust-looked-index", index = index.to_string())
        }
        Looked::Referrers { subject, by } => tr!(
            "trust-looked-referrers",
            subject = subject.to_string(),
            by = match by {
                LookedBy::Api => "api",
                LookedBy::FallbackTag => "fallback",
                LookedBy::NoApiNoFallbackTag => "none",
            }
        ),
        Looked::Tag { tag, present } => tr!(
            "trust-looked-tag",
            tag = tag.as_str(),
            present = if *present { "yes" } else { "no" }
        ),
    }
}
