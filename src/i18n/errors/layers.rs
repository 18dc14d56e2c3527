//! Layer errors into sentences. A layer's row already names the layer, so
//! [`describe_in_row`] says what went wrong and where in the blob; [`describe`] is the
//! sentence that stands alone (the CLI's one line) and names the layer first.

use crate::layers::Error;
use crate::tr;

/// A sentence that names the layer it is about, for places that show no layer beside it.
#[must_use]
pub fn describe(error: &Error) -> String {
    let sentence = describe_in_row(error);
    match error.digest() {
        Some(digest) => tr!(
            "layer-error-in",
            digest = digest.as_str(),
            reason = sentence
        ),
        None => sentence,
    }
}

/// A sentence for a layer error shown on the layer's own row (the Files tab, Compare).
#[must_use]
pub fn describe_in_row(error: &Error) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match error {
        Error::Corrupt {
            offset,
            tar_offset,
            reason,
            ..
        } => tr!(
            "layer-error-corrupt",
            offset = *offset,
            tar_offset = *tar_offset,
            reason = reason.as_str()
        ),
        Error::Truncated {
            offset, tar_offset, ..
        } => tr!(
            "layer-error-truncated",
            offset = *offset,
            tar_offset = *tar_offset
        ),
        Error::Verify { offset, source, .. } => tr!(
            "layer-error-verify",
            offset = *offset,
            reason = source.to_string()
        ),
        Error::Registry { source, .. } => super::registry::describe(source),
        Error::NotATarLayer { media_type, .. } => {
            tr!("layer-error-not-tar", media_type = media_type.as_str())
        }
        Error::Read { source, .. } | Error::ReadBlob { source, .. } => {
            tr!("layer-error-read", reason = source.to_string())
        }
        Error::TooManyNames { limit } => tr!(
            "layer-error-too-many-names",
            limit = crate::format::size(*limit)
        ),
        Error::Layout { dir, reason } => tr!(
            "layer-error-layout",
            dir = path(dir),
            reason = reason.as_str()
        ),
        Error::LayoutTagNotFound {
            dir,
            tag,
            available,
        } => tr!(
            "layer-error-layout-tag-not-found",
            dir = path(dir),
            tag = tag.as_str(),
            available = available.join(", ")
        ),
        Error::Cache { path: p, source } => tr!(
            "layer-error-cache",
            path = path(p),
            reason = source.to_string()
        ),
        Error::NoCacheDir => tr!("layer-error-no-cache-dir"),
        Error::NotAFile {
            path: p, file_type, ..
        } => tr!(
            "layer-error-not-a-file",
            path = path(p),
            file_type = file_type.name()
        ),
        Error::NameTooLong {
            tar_offset, limit, ..
        } => tr!(
            "layer-error-name-too-long",
            tar_offset = *tar_offset,
            limit = *limit
        ),
        Error::HeaderTooLarge {
            tar_offset, limit, ..
        } => tr!(
            "layer-error-header-too-large",
            tar_offset = *tar_offset,
            limit = crate::format::size_binary(*limit)
        ),
        Error::WindowTooLarge { limit, .. } => tr!(
            "layer-error-window-too-large",
            limit = crate::format::size_binary(*limit)
        ),
        Error::Worker(reason) => tr!("layer-error-worker", reason = reason.as_str()),
    }
}
