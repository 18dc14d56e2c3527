//! One layer's pass of an extraction: the layer's blob walked in tar order, each planned
//! file of that layer written into the [`Sink`] (checked against its listed SHA-256) as it
//! passes, and the walk stopped once the last one is written. [`write_entries`] is that
//! walk, shared with the ranged pass ([`super::ranged`]), which keys its files by header
//! offset instead of path.

use super::sink::Sink;
use super::{Error, PlannedFile, SkipReason, key_of};
use crate::layers::EntryKind;
use crate::layers::content::{EntryHead, Visit, read_entries};
use crate::oci::Digest;
use crate::oci::media::Compression;
use std::collections::HashMap;
use std::hash::Hash;
use std::io::Read;
use tokio_util::sync::CancellationToken;

/// Writes the files of `wanted` (keyed as [`key_of`] keys them) from one layer's blob into
/// `sink`, on a blocking thread. The sink is aborted on a failure.
pub(super) fn write_layer(
    blob: crate::layers::OpenBlob,
    wanted: HashMap<Vec<u8>, PlannedFile>,
    sink: Sink,
    cancel: &CancellationToken,
    progress: &dyn Fn(u64),
    layer_number: u32,
) -> Result<Sink, Error> {
    let walk = Walk {
        compression: blob.compression,
        digest: &blob.digest,
        cancel,
        progress,
        layer_number,
    };
    write_entries(
        blob.reader,
        &walk,
        |h| matches!(h.kind, EntryKind::File | EntryKind::Other),
        |h| key_of(h.path),
        wanted,
        sink,
    )
}

/// How a tar stream is walked for [`write_entries`].
pub(super) struct Walk<'a> {
    pub compression: Compression,
    pub digest: &'a Digest,
    pub cancel: &'a CancellationToken,
    pub progress: &'a dyn Fn(u64),
    /// For the error when a wanted file is not met.
    pub layer_number: u32,
}

/// Walks the tar in `reader` and writes into `sink` each entry `wants` accepts whose `key`
/// is in `wanted` (the full layer keys by path, a range by header offset), stopping once
/// every wanted file is written. A wanted file the walk never met is
/// [`Error::Missing`]. The sink is aborted on a failure.
pub(super) fn write_entries<K: Eq + Hash>(
    reader: impl Read,
    walk: &Walk<'_>,
    wants: impl FnMut(&EntryHead<'_>) -> bool,
    key: impl Fn(&EntryHead<'_>) -> K,
    mut wanted: HashMap<K, PlannedFile>,
    mut sink: Sink,
) -> Result<Sink, Error> {
    // What stopped the walk on our side (a cancel, a write, a hash); the walker
    // sees it as an I/O error and its own classification is dropped.
    let mut failure = None;
    let walked = read_entries(
        reader,
        walk.compression,
        walk.digest,
        wants,
        |head, data| {
            let mut stop = |e: Error| {
                failure = Some(e);
                std::io::Error::other("extraction stopped")
            };
            if walk.cancel.is_cancelled() {
                return Err(stop(Error::Cancelled));
            }
            let Some(file) = wanted.remove(&key(head)) else {
                return Ok(Visit::Next);
            };
            if head.path.first() == Some(&b'/') {
                sink.skip(&file.display, SkipReason::AbsolutePath);
            } else if let Err(e) = sink.file(&file, data, walk.cancel, walk.progress) {
                return Err(stop(e));
            }
            Ok(if wanted.is_empty() {
                Visit::Stop
            } else {
                Visit::Next
            })
        },
    );
    let result = match (failure, walked) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(Error::Layer(e)),
        (None, Ok(())) => match wanted.values().next() {
            Some(file) => Err(Error::Missing {
                path: file.display.clone(),
                layer: walk.layer_number,
            }),
            None => Ok(()),
        },
    };
    match result {
        Ok(()) => Ok(sink),
        Err(e) => {
            sink.abort();
            Err(e)
        }
    }
}
