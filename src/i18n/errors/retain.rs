//! Retention-rule errors into sentences: an invalid glob names its field; untagged manifests
//! the registry cannot list say which registry; why a tag stays (the CLI's plan and the
//! window's Clean up… preview alike).

use crate::registry::retain::{Error, GlobField, KeepReason};
use crate::tr;

/// A sentence for a retention error.
#[must_use]
pub fn describe(error: &Error) -> String {
    match error {
        Error::InvalidGlob {
            field,
            pattern,
            reason,
        } => {
            let field = match field {
                GlobField::Match => tr!("retain-field-match"),
                GlobField::Exclude => tr!("retain-field-exclude"),
            };
            tr!(
                "retain-error-invalid-glob",
                field = field,
                pattern = pattern.as_str(),
                reason = reason.as_str()
            )
        }
        Error::UntaggedNotListable { registry } => {
            tr!(
                "retain-error-untagged-not-listable",
                registry = registry.as_str()
            )
        }
    }
}

/// Why a tag stays, in words.
#[must_use]
pub fn keep_reason(reason: KeepReason) -> String {
    match reason {
        KeepReason::Newest => tr!("retain-reason-newest"),
        KeepReason::NotMatched => tr!("retain-reason-not-matched"),
        KeepReason::Excluded => tr!("retain-reason-excluded"),
        KeepReason::TooRecent => tr!("retain-reason-too-recent"),
        KeepReason::NoDate => tr!("retain-reason-no-date"),
        KeepReason::NoSemver => tr!("retain-reason-no-semver"),
    }
}
