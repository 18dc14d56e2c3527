//! One entry of a zstd layer written as several frames, read through its seek index
//! ([`super::seek_index::FrameStart`]s): only the frames that hold the entry are fetched,
//! from the start of the frame before its header to the start of the first frame at or
//! past the end of its data and padding ([`super::seek_index::entry_end`]; or the blob's
//! end), by a `Range` request to the registry or a seek in a layout's blob file, and
//! decoded as a fresh zstd stream (a frame carries no window from the one before it), then
//! walked as a tar from the entry's header. [`super::seek_read::open_at`] dispatches here
//! for a zstd index; a single-frame zstd layer has no index and streams.
//!
//! The same checking as gzip's path: nothing here checks the layer digest, the caller checks
//! the entry's bytes against the SHA-256 of its listing before it shows or writes any, and a
//! registry that answers 200 with the whole blob gets `None` (the caller streams). The zstd
//! window is read from the first fetched frame's header and refused above what Berth
//! decodes, and the decoder holds its share of the memory budget while it lives, as the
//! full read does ([`super::decode`]).

use super::seek_index::SeekIndex;
use super::seek_read::{Ranged, fetch_range};
use super::{BlobSource, Error, window};
use crate::oci::image::LayerInfo;
use std::io::{self, BufRead as _, BufReader, Read};

/// A decoder with its share of the memory budget.
struct Budgeted<R> {
    inner: R,
    _memory: window::Reserved,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

/// [`super::seek_read::open_at`] for a zstd index: the tar of `layer` from uncompressed
/// offset `header_offset`, for an entry of `size` data bytes. `None` when no frame starts
/// at or before the entry or the registry sent the whole blob.
///
/// # Errors
/// The blob cannot be opened or read, its window is too large, or the frames before the
/// entry end early.
pub(super) async fn open_at(
    source: &BlobSource,
    layer: &LayerInfo,
    index: &SeekIndex,
    header_offset: u64,
    size: u64,
) -> Result<Option<Ranged>, Error> {
    let Some(at) = index.frame_before(header_offset) else {
        return Ok(None);
    };
    // `header_offset` is the entry's own header (any long-name or PAX headers come before
    // it and are not read): the range ends with the frame that holds the data's end.
    let start = at.input;
    let end = index.entry_frames_end(header_offset, size).min(layer.size);
    let Some((compressed, stop)) = fetch_range(source, layer, start, end).await? else {
        return Ok(None);
    };
    let skip = header_offset - at.out;
    let digest = layer.digest.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let read_error = |source| Error::Read {
            digest: digest.clone(),
            offset: start,
            source,
        };
        let mut compressed = BufReader::with_capacity(128 * 1024, compressed);
        let window = match compressed.fill_buf().map(window::zstd_window) {
            Ok(window::ZstdWindow::Known(w)) => w,
            Ok(window::ZstdWindow::Unknown) | Err(_) => window::MAX_WINDOW,
        };
        if window > window::MAX_WINDOW {
            return Err(Error::WindowTooLarge {
                digest: digest.clone(),
                limit: window::MAX_WINDOW,
            });
        }
        let memory = window::reserve(window::reservation(window));
        let mut decoder = zstd::stream::read::Decoder::with_buffer(compressed)
            .and_then(|mut d| {
                d.window_log_max(window::MAX_WINDOW_LOG)?;
                Ok(d)
            })
            .map_err(read_error)?;
        let skipped =
            io::copy(&mut (&mut decoder).take(skip), &mut io::sink()).map_err(read_error)?;
        if skipped != skip {
            return Err(Error::Truncated {
                digest,
                offset: end,
                tar_offset: at.out + skipped,
            });
        }
        Ok(Budgeted {
            inner: decoder,
            _memory: memory,
        })
    })
    .await
    .map_err(|e| Error::Worker(e.to_string()))??;
    Ok(Some(Ranged::new(Box::new(reader), (start, end), stop)))
}
