//! Retention-rule errors into sentences: an invalid glob names its field; untagged manifests
//! the registry cannot list say which registry.

use crate::registry::retain::{Error, GlobField};
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
