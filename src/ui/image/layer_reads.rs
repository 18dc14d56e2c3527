//! Layer reads for the Files tab and the Compare window: loading an image's layers off the
//! UI thread, stoppable, and layer errors as sentences (the layer row already names the
//! layer, so they say what went wrong and where, not which digest).

use crate::layers::{self, BlobSource, Error, LayerCache, LayerRead, ProgressFn};
use crate::oci::image::LayerInfo;
use crate::tr;
use std::future::Future;
use tokio::sync::oneshot;

/// Dropping it stops the work it was made for.
pub type Stop = oneshot::Sender<()>;

/// Runs `work` on the runtime to its end, unless the [`Stop`] paired with `stopped` is
/// dropped first (then `None`).
pub fn run_stoppable<T, F, W>(
    rt: &tokio::runtime::Handle,
    stopped: oneshot::Receiver<()>,
    work: W,
) -> tokio::task::JoinHandle<Option<T>>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
    W: FnOnce() -> F + Send + 'static,
{
    rt.spawn(async move {
        tokio::select! {
            out = work() => Some(out),
            _ = stopped => None,
        }
    })
}

/// Every layer of an image, as `load_layers` reads them; owned arguments for `run_stoppable`.
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
