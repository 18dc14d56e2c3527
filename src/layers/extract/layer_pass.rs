//! One layer's pass of an extraction: the layer's blob walked in tar order, each planned
//! file of that layer written into the [`Sink`] (checked against its listed SHA-256) as it
//! passes, and the walk stopped once the last one is written. [`write_entries`] is that
//! walk, shared with the ranged pass ([`super::ranged`]). Both key the files by the header
//! offset the listing recorded for the entry the plan chose: a layer may hold one path
//! twice, and the later entry is the one the listing, the plan and `tar -x` keep, so the
//! earlier one is passed over (its bytes would not match the listed SHA-256).

use super::sink::Sink;
use super::{Error, PlannedFile, SkipReason, key_of};
use crate::layers::content::{EntryHead, Visit, read_entries};
use crate::layers::{EntryKind, LayerListing};
use crate::oci::Digest;
use crate::oci::media::Compression;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::io::Read;
use tokio_util::sync::CancellationToken;

/// Writes the files of `wanted` (keyed by header offset, as [`by_last_offset`] keys them)
/// from one layer's blob into `sink`, on a blocking thread. The sink is aborted on a
/// failure.
pub(super) fn write_layer(
    blob: crate::layers::OpenBlob,
    wanted: HashMap<u64, PlannedFile>,
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
    let offsets: HashSet<u64> = wanted.keys().copied().collect();
    write_entries(
        blob.reader,
        &walk,
        |h| {
            matches!(h.kind, EntryKind::File | EntryKind::Other)
                && offsets.contains(&h.header_offset)
        },
        |h| h.header_offset,
        wanted,
        sink,
    )
}

/// The files of `wanted` keyed by the header offset of the last file entry of their path in
/// `listing` (the one the plan's tree shows), and one file the listing does not hold, if any.
pub(super) fn by_last_offset(
    listing: &LayerListing,
    mut wanted: HashMap<Vec<u8>, PlannedFile>,
) -> (HashMap<u64, PlannedFile>, Option<PlannedFile>) {
    let mut last: HashMap<Vec<u8>, u64> = HashMap::new();
    for e in listing.iter() {
        if !matches!(e.kind, EntryKind::File | EntryKind::Other) {
            continue;
        }
        let key = key_of(e.path());
        if wanted.contains_key(&key) {
            last.insert(key, e.header_offset);
        }
    }
    let by_offset = last
        .into_iter()
        .filter_map(|(key, offset)| wanted.remove(&key).map(|file| (offset, file)))
        .collect();
    (by_offset, wanted.into_values().next())
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
