//! Opens one layer blob for reading on a blocking thread, from any [`BlobSource`]: a layout
//! directory's file (size checked first, digest checked as it is read to its end), or a
//! registry download pumped by a tokio task into a bounded channel, so a slow reader holds
//! back the download instead of buffering it. Dropping the [`OpenBlob`] stops the download.
//! A reader that stops early (a viewer that wanted one file) never reaches the digest check;
//! what it read is checked against the listing's per-file hash instead (`file_read`).

use super::source::{CHANNEL_CHUNKS, ChannelReader};
use super::{BlobSource, Error};
use crate::oci::VerifyingReader;
use crate::oci::image::LayerInfo;
use crate::oci::media::{Compression, layer_compression};
use bytes::Bytes;
use futures_util::StreamExt as _;
use std::io::Read;
use tokio_util::sync::{CancellationToken, DropGuard};

/// A blob ready to be read (blocking), with how it is compressed.
pub struct OpenBlob {
    pub reader: Box<dyn Read + Send>,
    pub compression: Compression,
    _stop: Option<DropGuard>,
}

/// Opens `layer`'s blob from `source`.
///
/// # Errors
/// A layer that is not a tar, a layout file that is missing, not a regular file or of the
/// wrong size, or a registry that refuses the blob.
pub async fn open_blob(source: &BlobSource, layer: &LayerInfo) -> Result<OpenBlob, Error> {
    let digest = layer.digest.clone();
    let Some(compression) = layer_compression(&layer.media_type) else {
        return Err(Error::NotATarLayer {
            digest,
            media_type: layer.media_type.clone(),
        });
    };
    match source {
        BlobSource::Layout { dir } => {
            let path = super::layout::blob_path(dir, &digest);
            let size = layer.size;
            let opened = tokio::task::spawn_blocking(move || {
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
                Ok(VerifyingReader::new(file, Some(digest), Some(size)))
            })
            .await
            .map_err(|e| Error::Worker(e.to_string()))??;
            Ok(OpenBlob {
                reader: Box::new(opened),
                compression,
                _stop: None,
            })
        }
        BlobSource::Registry { client, repository } => {
            let stream = client
                .blob(repository, &digest, Some(layer.size))
                .await
                .map_err(|source| Error::Registry {
                    digest: digest.clone(),
                    source,
                })?;
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, _>>(CHANNEL_CHUNKS);
            let stop = CancellationToken::new();
            let stopped = stop.clone();
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
            Ok(OpenBlob {
                reader: Box::new(ChannelReader {
                    rx,
                    chunk: Bytes::new(),
                    digest,
                }),
                compression,
                _stop: Some(stop.drop_guard()),
            })
        }
    }
}
