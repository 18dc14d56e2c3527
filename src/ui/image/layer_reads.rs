//! Layer reads for the Files tab and the Compare window: loading an image's layers off the
//! UI thread (stopped like any request, by replacing or dropping the `Requested` cell that
//! waits for it; ARCHITECTURE.md, "Cancelling"), and layer errors as sentences (the layer row already names the
//! layer, so they say what went wrong and where, not which digest).

use crate::layers::{self, BlobSource, Error, LayerCache, LayerRead, ProgressFn};
use crate::oci::image::LayerInfo;
use crate::tr;

/// Every layer of an image, as `load_layers` reads them; owned arguments, so the future can
/// go to the runtime.
pub async fn load(
    source: BlobSource,
    layers: Vec<LayerInfo>,
    cache: Option<LayerCache>,
    progress: ProgressFn,
) -> Vec<LayerRead> {
    layers::load_layers(&source, &layers, cache.as_ref(), progress).await
}

/// A localized sentence for a layer error.
#[must_use]
pub fn describe(error: &Error) -> String {
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
        Error::Registry { source, .. } => crate::i18n::describe_error(source),
        Error::NotATarLayer { media_type, .. } => {
            tr!("layer-error-not-tar", media_type = media_type.as_str())
        }
        Error::Read { source, .. } | Error::ReadBlob { source, .. } => {
            tr!("layer-error-read", reason = source.to_string())
        }
        other => other.to_string(),
    }
}
