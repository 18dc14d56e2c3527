//! Layer reads for the Files tab and the Compare window: loading an image's layers off the
//! UI thread (stopped like any request, by replacing or dropping the `Requested` cell that
//! waits for it; ARCHITECTURE.md). Their errors are worded by
//! `crate::i18n::describe_layer_in_row`.

use crate::layers::{self, BlobSource, LayerCache, LayerRead, ProgressFn};
use crate::oci::image::LayerInfo;

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
