//! Errors of finding and reading one file of an image (`layers::FileError`) into sentences.

use crate::layers::FileError;
use crate::tr;

/// The sentence for `error`, for the Files tab's viewer and `berth cat`.
#[must_use]
pub fn describe(error: &FileError) -> String {
    match error {
        FileError::NotFound { path } => tr!("file-error-not-found", path = path.as_str()),
        FileError::IsDirectory { path } => tr!("file-error-is-directory", path = path.as_str()),
        FileError::WhitedOut { path, layer } => {
            tr!(
                "file-error-whited-out",
                path = path.as_str(),
                layer = *layer
            )
        }
        FileError::NoSuchLayer { n, count } => {
            tr!("file-error-no-such-layer", n = *n, count = *count)
        }
        FileError::LinkLoop { path, hops } => {
            tr!("file-error-link-loop", path = path.as_str(), hops = *hops)
        }
        FileError::Mismatch {
            path,
            layer,
            expected,
            actual,
        } => tr!(
            "file-error-mismatch",
            path = path.as_str(),
            layer = *layer,
            expected = expected.as_str(),
            actual = actual.as_str()
        ),
        FileError::EntryMissing { path, layer } => tr!(
            "file-error-entry-missing",
            path = path.as_str(),
            layer = *layer
        ),
        FileError::Layer(e) => super::layers::describe(e),
        FileError::Write(e) => tr!("file-error-write", reason = e.to_string()),
    }
}
