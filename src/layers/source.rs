//! Where layer blobs come from, and loading all layers of an image: from the cache when it
//! has them, otherwise streamed (verified) from a registry or read from a layout
//! directory's blob file, each parsed on a blocking thread while the bytes arrive.
//!
//! A registry blob is pumped by a tokio task (which also hashes it, in the client's
//! verifying stream) into a bounded channel; the blocking parser reads from that channel.
//! So hashing and decompression run on different threads, and a slow parser holds back the
//! download instead of buffering it.

use super::cache::LayerCache;
use super::read::read_layer;
use super::{Error, LayerListing, LayerRead};
use crate::oci::image::LayerInfo;
use crate::oci::media::{Compression, layer_compression};
use crate::oci::{Digest, VerifyingReader};
use crate::registry::RegistryClient;
use bytes::Bytes;
use futures_util::StreamExt as _;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Chunks in flight between the download and the parser (each is what one network read
/// gave, typically 8–64 KiB).
pub(super) const CHANNEL_CHUNKS: usize = 16;
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
    if let Some(cache) = cache {
        let c = cache.clone();
        let digest = layer.digest.clone();
        if let Ok(Some(listing)) = tokio::task::spawn_blocking(move || c.get(&digest)).await {
            report(listing.blob_bytes, LayerState::Cached);
            return LayerRead {
                listing,
                error: None,
                cached: true,
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
    let read = read_from(source, layer, per_bytes).await;
    match &read.error {
        None => {
            report(read.listing.blob_bytes, LayerState::Done);
            if let Some(cache) = cache {
                store(cache, &layer.digest, &read.listing).await;
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
    let digest = layer.digest.clone();
    let Some(compression) = layer_compression(&layer.media_type) else {
        return LayerRead::failed(Error::NotATarLayer {
            digest,
            media_type: layer.media_type.clone(),
        });
    };
    match source {
        BlobSource::Layout { dir } => {
            let path = super::layout::blob_path(dir, &digest);
            let size = layer.size;
            blocking(move || {
                let (file, stored) =
                    crate::local_file::open_regular(&path).map_err(|e| match e {
                        crate::local_file::OpenError::NotAFile(file_type) => Error::NotAFile {
                            digest: digest.clone(),
                            path: path.clone(),
                            file_type,
                        },
                        crate::local_file::OpenError::Io(source) => Error::ReadBlob {
                            digest: digest.clone(),
                            path: path.clone(),
                            source,
                        },
                    })?;
                // The size first: a blob of the wrong size fails before a byte is read.
                if stored != size {
                    return Err(Error::Verify {
                        digest: digest.clone(),
                        offset: 0,
                        source: crate::oci::VerifyError::SizeMismatch {
                            expected: size,
                            actual: stored,
                        },
                    });
                }
                Ok(read_verified_file(
                    file,
                    compression,
                    &digest,
                    size,
                    on_bytes,
                ))
            })
            .await
        }
        BlobSource::Registry { client, repository } => {
            let stream = match client.blob(repository, &digest, Some(layer.size)).await {
                Ok(s) => s,
                Err(source) => return LayerRead::failed(Error::Registry { digest, source }),
            };
            let (tx, rx) = tokio::sync::mpsc::channel(CHANNEL_CHUNKS);
            // The pump stops with this read, also when the read itself is dropped (a view
            // that no longer wants it; ARCHITECTURE.md, "Cancelling"): the download is
            // aborted, and the parser sees the channel end and returns.
            let stop = CancellationToken::new();
            let stopped = stop.clone();
            let _stop_pump = stop.drop_guard();
            tokio::spawn(async move {
                let mut stream = std::pin::pin!(stream);
                loop {
                    let item = tokio::select! {
                        biased;
                        () = stopped.cancelled() => break,
                        item = stream.next() => item,
                    };
                    let Some(item) = item else { break };
                    let last = item.is_err();
                    if tx.send(item).await.is_err() || last {
                        break;
                    }
                }
            });
            blocking(move || {
                let reader = ChannelReader {
                    rx,
                    chunk: Bytes::new(),
                    digest: digest.clone(),
                };
                let mut on_bytes = on_bytes;
                Ok(read_layer(reader, compression, &digest, &mut on_bytes))
            })
            .await
        }
    }
}

/// A local blob file, checked against its descriptor as it is read.
fn read_verified_file(
    file: std::fs::File,
    compression: Compression,
    digest: &Digest,
    size: u64,
    mut on_bytes: impl FnMut(u64),
) -> LayerRead {
    let verifying = VerifyingReader::new(file, Some(digest.clone()), Some(size));
    read_layer(verifying, compression, digest, &mut on_bytes)
}

async fn blocking(f: impl FnOnce() -> Result<LayerRead, Error> + Send + 'static) -> LayerRead {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => LayerRead::failed(e),
        Err(e) => LayerRead::failed(Error::Worker(e.to_string())),
    }
}

/// The blocking end of the download channel.
pub(super) struct ChannelReader {
    pub(super) rx: tokio::sync::mpsc::Receiver<Result<Bytes, crate::registry::Error>>,
    pub(super) chunk: Bytes,
    pub(super) digest: Digest,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(source)) => {
                    return Err(io::Error::other(Error::Registry {
                        digest: self.digest.clone(),
                        source,
                    }));
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        let _ = self.chunk.split_to(n);
        Ok(n)
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
