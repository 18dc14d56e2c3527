//! One entry of a gzip layer read through its seek index: only the compressed range between
//! the checkpoint before the entry and the end of its compressed span (the listing's
//! [`super::Entry::span_end`]; without one, the first checkpoint after it) is fetched (a `Range`
//! request to the registry, or a seek in a layout's blob file), inflated from the
//! checkpoint's window and bit offset ([`super::inflate::Inflater::resume`]), and walked as
//! a tar from the entry's header.
//!
//! Nothing here checks the layer digest (the range is a part of the blob): the caller
//! checks the entry's bytes against the SHA-256 its listing recorded (the listing and the
//! index come from a read whose digest was checked) before it shows or writes any of them.
//! A registry that answers a `Range` request with the whole blob (200) gets `None`: the
//! caller streams the blob as before. A zstd index is read by [`super::seek_zstd`].

use super::blob::{open_layout_file, pump};
use super::content::{Visit, read_entries};
use super::file_read::{FileError, Located};
use super::inflate::Inflater;
use super::seek_index::SeekIndex;
use super::tar_limits::HEADER_BUDGET;
use super::{BlobSource, Error};
use crate::oci::image::LayerInfo;
use crate::oci::media::Compression;
use sha2::{Digest as _, Sha256};
use std::io::{self, BufReader, Read, Seek as _, SeekFrom, Write};
use tokio_util::sync::DropGuard;

/// The uncompressed tar from one entry's header on, over a range of the blob.
pub struct Ranged {
    pub reader: Box<dyn Read + Send>,
    /// Compressed bytes the range holds.
    pub range: (u64, u64),
    _stop: Option<DropGuard>,
}

impl Ranged {
    pub(super) fn new(
        reader: Box<dyn Read + Send>,
        range: (u64, u64),
        stop: Option<DropGuard>,
    ) -> Self {
        Self {
            reader,
            range,
            _stop: stop,
        }
    }
}

/// Bytes fetched past a span's end: the bit reader may look a few bytes ahead.
const SPAN_SLACK: u64 = 64;

/// Opens the tar of `layer` at uncompressed offset `header_offset`, for an entry of `size`
/// data bytes whose compressed span ends at `span_end` (0: unknown), through `index`.
/// `None` when the index has no checkpoint before the entry (it is near the blob's start:
/// stream it) or the registry sent the whole blob.
///
/// # Errors
/// The blob cannot be opened or read.
pub async fn open_at(
    source: &BlobSource,
    layer: &LayerInfo,
    index: &SeekIndex,
    header_offset: u64,
    size: u64,
    span_end: u64,
) -> Result<Option<Ranged>, Error> {
    if index.kind == super::seek_index::Kind::Zstd {
        return super::seek_zstd::open_at(source, layer, index, header_offset, size).await;
    }
    let Some(at) = index.before(header_offset).cloned() else {
        return Ok(None);
    };
    // Headers (long names, PAX) come before the data: the budget bounds them.
    let last = header_offset
        .saturating_add(HEADER_BUDGET)
        .saturating_add(size);
    let start = at.in_bits / 8;
    let mut end = index.end_after(last).min(layer.size);
    if span_end > start {
        end = end.min(span_end.saturating_add(SPAN_SLACK));
    }
    let Some((compressed, stop)) = fetch_range(source, layer, start, end).await? else {
        return Ok(None);
    };
    let digest = layer.digest.clone();
    let skip = header_offset - at.out;
    let reader = tokio::task::spawn_blocking(move || {
        let mut inflater = Inflater::resume(BufReader::with_capacity(64 * 1024, compressed), &at)
            .map_err(|source| Error::Read {
            digest: digest.clone(),
            offset: start,
            source,
        })?;
        let skipped =
            io::copy(&mut (&mut inflater).take(skip), &mut io::sink()).map_err(|source| {
                Error::Read {
                    digest: digest.clone(),
                    offset: start,
                    source,
                }
            })?;
        if skipped != skip {
            return Err(Error::Truncated {
                digest,
                offset: end,
                tar_offset: at.out + skipped,
            });
        }
        Ok(inflater)
    })
    .await
    .map_err(|e| Error::Worker(e.to_string()))??;
    Ok(Some(Ranged {
        reader: Box::new(reader),
        range: (start, end),
        _stop: stop,
    }))
}

/// The blob bytes `start..end` of `layer`: a seek in a layout's file, or a `Range` request
/// (with the guard that stops its download when dropped). `None` when the registry answered
/// with the whole blob. Shared by the gzip and zstd ranged reads.
///
/// # Errors
/// The layout's file cannot be opened or sought, or the registry refuses the request.
pub(super) async fn fetch_range(
    source: &BlobSource,
    layer: &LayerInfo,
    start: u64,
    end: u64,
) -> Result<Option<(Box<dyn Read + Send>, Option<DropGuard>)>, Error> {
    let length = end.saturating_sub(start);
    let digest = layer.digest.clone();
    match source {
        BlobSource::Layout { dir } => {
            let (dir, size) = (dir.clone(), layer.size);
            let file = tokio::task::spawn_blocking(move || {
                let mut file = open_layout_file(&dir, &digest, size)?;
                file.seek(SeekFrom::Start(start))
                    .map_err(|source| Error::Read {
                        digest: digest.clone(),
                        offset: start,
                        source,
                    })?;
                Ok::<_, Error>(file)
            })
            .await
            .map_err(|e| Error::Worker(e.to_string()))??;
            Ok(Some((Box::new(file.take(length)), None)))
        }
        BlobSource::Registry { client, repository } => {
            let (stream, from) = client
                .blob_range(repository, &digest, start, end)
                .await
                .map_err(|source| Error::Registry {
                    digest: digest.clone(),
                    source,
                })?;
            if from != start {
                return Ok(None);
            }
            let (reader, stop) = pump(stream, digest);
            Ok(Some((Box::new(reader.take(length)), Some(stop))))
        }
    }
}

/// Files up to this size are read through the seek index: held in memory until their
/// SHA-256 is checked, then written. Larger ones stream from the blob's start.
pub const RANGED_MAX: u64 = 64 * 1024 * 1024;

/// Copies the file at `at` (with a recorded SHA-256, at most [`RANGED_MAX`] bytes) into
/// `out` through `index`, checking its hash before a byte is written. `None` when the index
/// cannot serve it (the caller streams instead).
///
/// # Errors
/// As [`read_checked`]; nothing is written on a mismatch.
pub async fn copy_checked<W: Write + Send + 'static>(
    source: &BlobSource,
    layer: &LayerInfo,
    index: &SeekIndex,
    at: &Located,
    mut out: W,
) -> Result<Option<(u64, W)>, FileError> {
    let Some(bytes) = read_checked(source, layer, index, at).await? else {
        return Ok(None);
    };
    tokio::task::spawn_blocking(move || {
        out.write_all(&bytes).map_err(FileError::Write)?;
        out.flush().map_err(FileError::Write)?;
        Ok(Some((bytes.len() as u64, out)))
    })
    .await
    .map_err(|e| FileError::Layer(Error::Worker(e.to_string())))?
}

/// The whole file at `at` (with a recorded SHA-256, at most [`RANGED_MAX`] bytes) through
/// `index`, its hash checked. `None` when the index cannot serve it (the caller streams
/// instead).
///
/// # Errors
/// The range cannot be read, the entry is not where the listing says, or its bytes do not
/// match the listing's SHA-256 ([`FileError::Mismatch`]).
pub async fn read_checked(
    source: &BlobSource,
    layer: &LayerInfo,
    index: &SeekIndex,
    at: &Located,
) -> Result<Option<Vec<u8>>, FileError> {
    let Some(expected) = at.sha256.filter(|_| at.size <= RANGED_MAX) else {
        return Ok(None);
    };
    let Some(ranged) =
        open_at(source, layer, index, at.header_offset, at.size, at.span_end).await?
    else {
        return Ok(None);
    };
    tracing::debug!(range = ?ranged.range, "reading one file through the seek index");
    let at = at.clone();
    let digest = layer.digest.clone();
    tokio::task::spawn_blocking(move || {
        let mut bytes = None;
        read_entries(
            ranged.reader,
            Compression::None,
            &digest,
            |h| h.header_offset == 0,
            |h, data| {
                if h.size == at.size {
                    let mut kept = Vec::with_capacity(usize::try_from(h.size).unwrap_or(0));
                    data.take(h.size).read_to_end(&mut kept)?;
                    bytes = Some(kept);
                }
                Ok(Visit::Stop)
            },
        )?;
        let missing = || FileError::EntryMissing {
            path: format!("/{}", super::display_path(&at.path)),
            layer: at.layer + 1,
        };
        let bytes = bytes.ok_or_else(missing)?;
        let actual: [u8; 32] = Sha256::digest(&bytes).into();
        if actual != expected {
            return Err(FileError::Mismatch {
                path: format!("/{}", super::display_path(&at.path)),
                layer: at.layer + 1,
                expected: super::sha256_hex(&expected),
                actual: super::sha256_hex(&actual),
            });
        }
        Ok(Some(bytes))
    })
    .await
    .map_err(|e| FileError::Layer(Error::Worker(e.to_string())))?
}
