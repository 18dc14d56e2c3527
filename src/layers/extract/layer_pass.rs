//! One layer's pass of an extraction: the layer's blob walked in tar order, each planned
//! file of that layer written into the [`Sink`] (checked against its listed SHA-256) as it
//! passes, and the walk stopped once the last one is written.

use super::sink::Sink;
use super::{Error, PlannedFile, SkipReason, key_of};
use crate::layers::EntryKind;
use crate::layers::content::{Visit, read_entries};
use std::collections::HashMap;
use tokio_util::sync::CancellationToken;

/// Writes the files of `wanted` (keyed as [`key_of`] keys them) from one layer's blob into
/// `sink`, on a blocking thread. The sink is aborted on a failure.
pub(super) fn write_layer(
    blob: crate::layers::OpenBlob,
    mut wanted: HashMap<Vec<u8>, PlannedFile>,
    mut sink: Sink,
    cancel: &CancellationToken,
    progress: &dyn Fn(u64),
    layer_number: u32,
) -> Result<Sink, Error> {
    // What stopped the walk on our side (a cancel, a write, a hash); the walker
    // sees it as an I/O error and its own classification is dropped.
    let mut failure = None;
    let walked = read_entries(
        blob.reader,
        blob.compression,
        &blob.digest,
        |h| matches!(h.kind, EntryKind::File | EntryKind::Other),
        |head, data| {
            let stop = |e: Error, failure: &mut Option<Error>| {
                *failure = Some(e);
                std::io::Error::other("extraction stopped")
            };
            if cancel.is_cancelled() {
                return Err(stop(Error::Cancelled, &mut failure));
            }
            let Some(file) = wanted.remove(&key_of(head.path)) else {
                return Ok(Visit::Next);
            };
            if head.path.first() == Some(&b'/') {
                sink.skip(&file.display, SkipReason::AbsolutePath);
            } else if let Err(e) = sink.file(&file, data, cancel, progress) {
                return Err(stop(e, &mut failure));
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
                layer: layer_number,
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
