//! The data of chosen tar entries, streamed out of one layer blob: the blob is opened
//! (a layout's file through [`VerifyingReader`], a registry's through the client's verifying
//! stream pumped into a bounded channel), decompressed with the same memory budget and header
//! limits as the listing pass, and each entry is offered to a callback that may read its
//! data. Nothing is buffered beyond a chunk; the digest is checked at the blob's end, so a
//! caller commits what it wrote only after [`for_each_entry`] returned `Ok`.

use super::super::tar_limits::HeaderBudget;
use super::super::window;
use super::super::{BlobSource, EntryKind};
use super::Error;
use crate::oci::image::LayerInfo;
use crate::oci::media::{Compression, layer_compression};
use crate::oci::{Digest, VerifyingReader};
use bytes::Bytes;
use futures_util::StreamExt as _;
use std::io::{self, BufRead, BufReader, Read};
use tokio_util::sync::{CancellationToken, DropGuard};

const CHANNEL_CHUNKS: usize = 16;
const BUFFER: usize = 128 * 1024;

/// A layer blob as a blocking reader, and its compression. Dropping it stops a download.
pub struct BlobReader {
    reader: Box<dyn Read + Send>,
    pub compression: Compression,
    pub digest: Digest,
    _stop: Option<DropGuard>,
}

/// Opens `layer` of `source` for reading (on the runtime: a registry's download starts).
pub async fn open_blob(source: &BlobSource, layer: &LayerInfo) -> Result<BlobReader, Error> {
    let digest = layer.digest.clone();
    let Some(compression) = layer_compression(&layer.media_type) else {
        return Err(Error::Layer(super::super::Error::NotATarLayer {
            digest,
            media_type: layer.media_type.clone(),
        }));
    };
    match source {
        BlobSource::Layout { dir } => {
            let path = super::super::layout::blob_path(dir, &digest);
            let (file, stored) = crate::local_file::open_regular(&path).map_err(|e| {
                Error::Layer(match e {
                    crate::local_file::OpenError::NotAFile(file_type) => {
                        super::super::Error::NotAFile {
                            digest: digest.clone(),
                            path: path.clone(),
                            file_type,
                        }
                    }
                    crate::local_file::OpenError::Io(source) => super::super::Error::ReadBlob {
                        digest: digest.clone(),
                        path: path.clone(),
                        source,
                    },
                })
            })?;
            if stored != layer.size {
                return Err(Error::Layer(super::super::Error::Verify {
                    digest,
                    offset: 0,
                    source: crate::oci::VerifyError::SizeMismatch {
                        expected: layer.size,
                        actual: stored,
                    },
                }));
            }
            let reader = VerifyingReader::new(file, Some(digest.clone()), Some(layer.size));
            Ok(BlobReader {
                reader: Box::new(reader),
                compression,
                digest,
                _stop: None,
            })
        }
        BlobSource::Registry { client, repository } => {
            let stream = client
                .blob(repository, &digest, Some(layer.size))
                .await
                .map_err(|source| {
                    Error::Layer(super::super::Error::Registry {
                        digest: digest.clone(),
                        source,
                    })
                })?;
            let (tx, rx) = tokio::sync::mpsc::channel(CHANNEL_CHUNKS);
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
            Ok(BlobReader {
                reader: Box::new(ChannelReader {
                    rx,
                    chunk: Bytes::new(),
                }),
                compression,
                digest,
                _stop: Some(stop.drop_guard()),
            })
        }
    }
}

/// One entry as the stream offers it: its raw path, kind and link target.
pub struct StreamEntry<'a> {
    pub path: &'a [u8],
    pub kind: EntryKind,
}

/// Reads the entries of `blob`, calling `on_entry` with each one and a reader over its data
/// (which it may leave unread); `on_entry` returns `false` to stop early. Blocking: call it
/// on a blocking thread. Read to its end, the blob's digest is checked (an error here, after
/// the callbacks); the caller checks each file's own SHA-256 against its listing.
pub fn for_each_entry(
    blob: BlobReader,
    on_entry: &mut dyn FnMut(&StreamEntry<'_>, &mut dyn Read) -> Result<bool, Error>,
) -> Result<(), Error> {
    let digest = blob.digest.clone();
    let mut source = BufReader::with_capacity(BUFFER, blob.reader);
    let window = match blob.compression {
        Compression::Zstd => match source.fill_buf().map(window::zstd_window) {
            Ok(window::ZstdWindow::Known(w)) => w,
            Ok(window::ZstdWindow::Unknown) | Err(_) => window::MAX_WINDOW,
        },
        Compression::Gzip | Compression::None => 32 * 1024,
    };
    if window > window::MAX_WINDOW {
        return Err(Error::Layer(super::super::Error::WindowTooLarge {
            digest,
            limit: window::MAX_WINDOW,
        }));
    }
    let _memory = window::reserve(window::reservation(window));
    let io = |e: io::Error| read_error(e, &digest);
    let decoder: Box<dyn Read> = match blob.compression {
        Compression::None => Box::new(source),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(source)),
        Compression::Zstd => {
            let mut d = zstd::stream::read::Decoder::with_buffer(source).map_err(io)?;
            d.window_log_max(window::MAX_WINDOW_LOG).map_err(io)?;
            Box::new(d)
        }
    };
    let budget = HeaderBudget::default();
    let limited = budget.reader(BufReader::with_capacity(64 * 1024, decoder));
    let mut archive = tar::Archive::new(limited);
    let mut entries = archive.entries().map_err(io)?;
    while let Some(item) = budget.within(|| entries.next()) {
        let mut entry = item.map_err(io)?;
        let entry_type = entry.header().entry_type();
        if entry_type.is_pax_global_extensions() {
            io::copy(&mut entry, &mut io::sink()).map_err(io)?;
            continue;
        }
        let path = entry.path_bytes().into_owned();
        let kind = kind_of(entry_type);
        if !on_entry(&StreamEntry { path: &path, kind }, &mut entry)? {
            return Ok(());
        }
        io::copy(&mut entry, &mut io::sink()).map_err(io)?;
    }
    // Read to the end so the decoder checks its trailer and the source the digest.
    let mut rest = archive.into_inner().into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(io)?;
    Ok(())
}

fn read_error(e: io::Error, digest: &Digest) -> Error {
    type Inner = dyn std::error::Error + Send + Sync;
    if e.get_ref()
        .is_some_and(Inner::is::<crate::oci::VerifyError>)
        && let Some(inner) = e.get_ref()
        && let Some(v) = inner.downcast_ref::<crate::oci::VerifyError>()
    {
        return Error::Layer(super::super::Error::Corrupt {
            digest: digest.clone(),
            offset: 0,
            tar_offset: 0,
            reason: v.to_string(),
        });
    }
    if let Some(inner) = e.get_ref()
        && let Some(Error::Cancelled) = inner.downcast_ref::<Error>()
    {
        return Error::Cancelled;
    }
    Error::Layer(super::super::Error::Read {
        digest: digest.clone(),
        offset: 0,
        source: e,
    })
}

fn kind_of(t: tar::EntryType) -> EntryKind {
    use tar::EntryType as T;
    match t {
        T::Regular | T::Continuous | T::GNUSparse => EntryKind::File,
        T::Directory => EntryKind::Dir,
        T::Symlink => EntryKind::Symlink,
        T::Link => EntryKind::Hardlink,
        T::Char => EntryKind::CharDevice,
        T::Block => EntryKind::BlockDevice,
        T::Fifo => EntryKind::Fifo,
        _ => EntryKind::Other,
    }
}

/// The blocking end of the download channel.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, crate::registry::Error>>,
    chunk: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(source)) => return Err(io::Error::other(source.to_string())),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        let _ = self.chunk.split_to(n);
        Ok(n)
    }
}
