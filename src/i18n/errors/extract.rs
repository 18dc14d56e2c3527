//! Sentences for extraction: its errors and the reasons an entry was skipped.

use crate::layers::extract::{Error, SkipReason};
use crate::tr;

pub fn describe(error: &Error) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match error {
        Error::Layer(e) => super::layers::describe(e),
        Error::NotFound { path } => tr!("extract-error-not-found", path = path.as_str()),
        Error::Removed { path, layer } => tr!(
            "extract-error-removed",
            path = path.as_str(),
            layer = *layer
        ),
        Error::NoLayer { n, count } => tr!("extract-error-no-layer", n = *n, count = *count),
        Error::NotADirectory { path: p } => {
            tr!("extract-error-not-a-directory", path = path(p))
        }
        Error::Write { path: p, source } => tr!(
            "extract-error-write",
            path = path(p),
            reason = source.to_string()
        ),
        Error::HashMismatch { path } => tr!("extract-error-hash", path = path.as_str()),
        Error::Missing { path, layer } => tr!(
            "extract-error-missing",
            path = path.as_str(),
            layer = *layer
        ),
        Error::Cancelled => tr!("error-cancelled"),
        Error::Worker(reason) => tr!("extract-error-worker", reason = reason.as_str()),
    }
}

/// Why an entry was skipped, in a few words.
#[must_use]
pub fn skip_reason(reason: SkipReason) -> String {
    match reason {
        SkipReason::AbsolutePath => tr!("extract-skip-absolute_path"),
        SkipReason::ParentComponent => tr!("extract-skip-parent_component"),
        SkipReason::ParentIsSymlink => tr!("extract-skip-parent_is_symlink"),
        SkipReason::ParentMissing => tr!("extract-skip-parent_missing"),
        SkipReason::Occupied => tr!("extract-skip-occupied"),
        SkipReason::LinkTargetMissing => tr!("extract-skip-link_target_missing"),
        SkipReason::Special => tr!("extract-skip-special"),
    }
}
