//! The one place a layer blob is opened for reading on a blocking thread, from any
//! [`BlobSource`]: a layout directory's file (size checked first, digest checked as it is
//! read to its end), or a registry download (hashed by the client's verifying stream) pumped
//! by a tokio task into a bounded channel, so a slow reader holds back the download instead
//! of buffering it and hashing and decompression run on different threads. Dropping the
//! [`OpenBlob`] stops the download. A reader that stops early (a viewer that wanted one
//! file) never reaches the digest check; what it read is checked against the listing's
//! per-file hash instead (`file_read`, extraction).

use super::{BlobSource, Error};
use crate::oci::image::LayerInfo;
use crate::oci::media::{Compression, layer_compression};
use crate::oci::{Digest, VerifyingReader};
use bytes::Bytes;
use futures_util::StreamExt as _;
use std::io::{self, Read};
use tokio_util::sync::{CancellationToken, DropGuard};

/// Chunks in flight between the download and the reader (each is what one network read
/// gave, typically 8–64 KiB).
const CHANNEL_CHUNKS: usize = 16;

/// A blob ready to be read (blocking), with how it is compressed.
pub struct OpenBlob {
    pub reader: Box<dyn Read + Send>,
    pub compression: Compression,
    pub digest: Digest,
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
            let (dir, d, size) = (dir.clone(), digest.clone(), layer.size);
            let opened = tokio::task::spawn_blocking(move || {
                let file = open_layout_file(&dir, &d, size)?;
                Ok::<_, Error>(VerifyingReader::new(file, Some(d), Some(size)))
            })
            .await
            .map_err(|e| Error::Worker(e.to_string()))??;
            Ok(OpenBlob {
                reader: Box::new(opened),
                compression,
                digest: layer.digest.clone(),
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
            let (reader, stop) = pump(stream, digest.clone());
            Ok(OpenBlob {
                reader: Box::new(reader),
                compression,
                digest,
                _stop: Some(stop),
            })
        }
    }
}

/// A layout directory's blob file, checked to be a regular file of `size` bytes before a
/// byte is read (blocking).
///
/// # Errors
/// The file is missing, not a regular file, or of another size.
pub(super) fn open_layout_file(
    dir: &std::path::Path,
    digest: &Digest,
    size: u64,
) -> Result<std::fs::File, Error> {
    let path = super::layout::blob_path(dir, digest);
    let (file, stored) = crate::local_file::open_regular(&path).map_err(|e| match e {
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
    Ok(file)
}

/// A download as a blocking reader: a tokio task pumps `stream` into a bounded channel.
/// Dropping the guard stops the download (a view that no longer wants it; ARCHITECTURE.md,
/// "Cancelling").
pub(super) fn pump(
    stream: impl futures_util::Stream<Item = Result<Bytes, crate::registry::Error>> + Send + 'static,
    digest: Digest,
) -> (impl Read + Send + 'static, DropGuard) {
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
    let reader = ChannelReader {
        rx,
        chunk: Bytes::new(),
        digest,
    };
    (reader, stop.drop_guard())
}

/// The blocking end of the download channel.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, crate::registry::Error>>,
    chunk: Bytes,
    digest: Digest,
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
