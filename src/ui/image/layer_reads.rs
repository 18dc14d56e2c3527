//! Layer reads for the Files tab and the Compare window: loading an image's layers off the
//! UI thread, stoppable. Their errors are worded by `crate::i18n::describe_layer_in_row`.

use crate::layers::{self, BlobSource, LayerCache, LayerRead, ProgressFn};
use crate::oci::image::LayerInfo;
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
