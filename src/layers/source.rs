//! Where layer blobs come from, and loading all layers of an image: from the cache when it
//! has them, otherwise opened ([`super::open_blob`]: streamed and verified from a registry,
//! or a layout directory's blob file) and parsed on a blocking thread while the bytes arrive.

use super::blob::open_blob;
use super::cache::LayerCache;
use super::read::read_layer_indexed;
use super::seek_index::Kind;
use super::{Error, LayerListing, LayerRead};
use crate::oci::Digest;
use crate::oci::image::LayerInfo;
use crate::oci::media::{Compression, layer_compression};
use crate::registry::RegistryClient;
use futures_util::StreamExt as _;
use std::path::PathBuf;
use std::sync::Arc;
/// Layers read at the same time.
const PARALLEL_LAYERS: usize = 3;

/// Where an image's blobs are.
#[derive(Clone)]
pub enum BlobSource {
    Registry {
        client: Arc<RegistryClient>,
        repository: crate::oci::Repository,
    },
    /// An OCI image-layout directory (`DIR/blobs/sha256/HEX`).
    Layout { dir: PathBuf },
}

impl std::fmt::Debug for BlobSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Registry { repository, .. } => write!(f, "Registry({repository})"),
            Self::Layout { dir } => write!(f, "Layout({})", dir.display()),
        }
    }
}

/// How far one layer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProgress {
    /// Index of the layer in the image.
    pub layer: usize,
    /// Blob bytes read so far.
    pub bytes_read: u64,
    /// The blob's size from its descriptor.
    pub total: u64,
    pub state: LayerState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerState {
    Reading,
    /// Taken from the cache; nothing was read.
    Cached,
    Done,
    Failed,
}

/// Called from worker threads; keep it cheap (send an event, request a repaint).
pub type ProgressFn = Arc<dyn Fn(LayerProgress) + Send + Sync>;

/// Lists every layer of an image, in order. A layer that fails keeps what was parsed
/// before the failure, with the error beside it; the others are unaffected. Complete reads
/// are written to `cache`; a cache write failure is logged, not returned.
pub async fn load_layers(
    source: &BlobSource,
    layers: &[LayerInfo],
    cache: Option<&LayerCache>,
    progress: ProgressFn,
) -> Vec<LayerRead> {
    // The futures are built before they are streamed: a `map` closure inside the stream
    // makes the whole future impossible to prove `Send` (rust-lang/rust#102211), and then
    // it could not be given to `tokio::spawn`.
    let reads: Vec<_> = layers
        .iter()
        .enumerate()
        .map(|(i, layer)| load_one(source, i, layer, cache, progress.clone()))
        .collect();
    futures_util::stream::iter(reads)
        .buffered(PARALLEL_LAYERS)
        .collect()
        .await
}

async fn load_one(
    source: &BlobSource,
    index: usize,
    layer: &LayerInfo,
    cache: Option<&LayerCache>,
    progress: ProgressFn,
) -> LayerRead {
    let report = |bytes_read, state| {
        progress(LayerProgress {
            layer: index,
            bytes_read,
            total: layer.size,
            state,
        });
    };
    let indexed = match layer_compression(&layer.media_type) {
        Some(Compression::Gzip) => Some(Kind::Gzip),
        Some(Compression::Zstd) => Some(Kind::Zstd),
        Some(Compression::None) | None => None,
    };
    if let Some(cache) = cache {
        let c = cache.clone();
        let digest = layer.digest.clone();
        // A gzip or zstd layer's listing counts only with its seek index beside it (for a
        // single-frame zstd layer, one without points): one missing or of an older format
        // is rebuilt by reading the layer again, once; so is one of the other kind.
        let cached = tokio::task::spawn_blocking(move || {
            let listing = c.get(&digest)?;
            let index = match indexed {
                Some(kind) => Some(c.get_index(&digest).filter(|i| i.kind == kind)?),
                None => None,
            };
            Some((listing, index))
        })
        .await;
        if let Ok(Some((listing, index))) = cached {
            report(listing.blob_bytes, LayerState::Cached);
            return LayerRead {
                listing,
                error: None,
                cached: true,
                index,
            };
        }
    }
    let per_bytes = {
        let progress = progress.clone();
        let total = layer.size;
        move |bytes_read| {
            progress(LayerProgress {
                layer: index,
                bytes_read,
                total,
                state: LayerState::Reading,
            });
        }
    };
    let interval = cache.map_or(0, |c| c.index_interval(layer.size));
    let read = read_indexed(source, layer, per_bytes, interval).await;
    match &read.error {
        None => {
            report(read.listing.blob_bytes, LayerState::Done);
            if let Some(cache) = cache {
                store(cache, &layer.digest, &read.listing).await;
                if let Some(index) = &read.index {
                    let (c, d, i) = (cache.clone(), layer.digest.clone(), index.clone());
                    if let Ok(Err(e)) =
                        tokio::task::spawn_blocking(move || c.put_index(&d, &i)).await
                    {
                        tracing::warn!(error = %e, "cannot cache the layer's seek index");
                    }
                }
            }
        }
        Some(_) => report(read.listing.blob_bytes, LayerState::Failed),
    }
    read
}

async fn store(cache: &LayerCache, digest: &Digest, listing: &LayerListing) {
    let (c, d, l) = (cache.clone(), digest.clone(), listing.clone());
    match tokio::task::spawn_blocking(move || c.put(&d, &l)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot cache the layer listing"),
        Err(e) => tracing::warn!(error = %e, "layer cache writer stopped"),
    }
}

/// Reads one layer from `source`, without the cache. `on_bytes` gets blob bytes read so far.
pub async fn read_from(
    source: &BlobSource,
    layer: &LayerInfo,
    on_bytes: impl FnMut(u64) + Send + 'static,
) -> LayerRead {
    read_indexed(source, layer, on_bytes, 0).await
}

/// [`read_from`], recording a gzip layer's seek index every `interval` compressed bytes
/// (a zstd layer's frame starts when `interval` > 0).
async fn read_indexed(
    source: &BlobSource,
    layer: &LayerInfo,
    on_bytes: impl FnMut(u64) + Send + 'static,
    interval: u64,
) -> LayerRead {
    let blob = match open_blob(source, layer).await {
        Ok(blob) => blob,
        Err(e) => return LayerRead::failed(e),
    };
    let mut on_bytes = on_bytes;
    match tokio::task::spawn_blocking(move || {
        read_layer_indexed(
            blob.reader,
            blob.compression,
            &blob.digest,
            &mut on_bytes,
            interval,
        )
    })
    .await
    {
        Ok(read) => read,
        Err(e) => LayerRead::failed(Error::Worker(e.to_string())),
    }
}

#[cfg(test)]
mod send_check {
    /// The GUI spawns layer loading on the runtime, so its future must be `Send`.
    #[allow(dead_code)]
    fn load_layers_is_send(
        source: super::BlobSource,
        layers: Vec<crate::oci::image::LayerInfo>,
        progress: super::ProgressFn,
    ) {
        fn is_send<T: Send>(_: T) {}
        is_send(async move { super::load_layers(&source, &layers, None, progress).await });
    }
}
