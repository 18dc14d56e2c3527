//! One layer's files extracted through its seek index (issue 22): when the wanted files lie
//! after a seek point, only the compressed ranges that hold them are fetched. Of a gzip
//! layer, one range from the checkpoint before the first file of a group to the span end of
//! its last ([`crate::layers::Entry::span_end`]); of a zstd layer written as several frames,
//! from the frame before the first file's header to the first frame past the last file's
//! data (as [`seek_read::open_at`] reads one entry). One grouping for both ([`group_by`]):
//! a new group where the next file's start is more than [`GAP`] past the group's end. Each
//! file is found at the header offset its listing recorded (with the size it recorded),
//! written under a temporary name and checked against its listed SHA-256 before it is
//! renamed into place (the [`Sink`] does both), so a changed byte in a range leaves no file
//! of it. Files this cannot serve (no seek point before them, no recorded span or hash, a
//! registry that answers a `Range` request with the whole blob) are handed back for the
//! streaming pass ([`super::layer_pass`]).

use super::layer_pass::{Walk, write_entries};
use super::sink::Sink;
use super::{Error, ExtractProgress, PlannedFile, blocking, key_of};
use crate::layers::seek_index::{Kind, SeekIndex};
use crate::layers::{BlobSource, EntryKind, LayerListing, seek_read};
use crate::oci::image::LayerInfo;
use crate::oci::media::Compression;
use std::collections::HashMap;
use tokio_util::sync::CancellationToken;

/// Compressed bytes between two wanted files that are decoded through rather than fetched
/// by a second request.
const GAP: u64 = 4 * 1024 * 1024;

/// One range to fetch: the files in it, by header offset, in tar order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    /// The blob byte of the checkpoint before the first file.
    start: u64,
    /// The end of the last file's span.
    end: u64,
    /// (header offset, key, data size), in tar order.
    files: Vec<(u64, Vec<u8>, u64)>,
}

/// The ranges that hold the files of `wanted` the index can serve, or none when fetching
/// them would not cost clearly less than streaming the blob up to the last of them. Of a
/// gzip index: from the checkpoint before a file to its recorded span end; of a zstd one:
/// from the frame before its header to the first frame at or past its data's end (the bounds
/// [`seek_read::open_at`] reads between).
fn groups(
    listing: &LayerListing,
    index: &SeekIndex,
    wanted: &HashMap<Vec<u8>, PlannedFile>,
) -> Vec<Group> {
    match index.kind {
        Kind::Gzip => group_by(
            listing,
            wanted,
            |header| index.before(header).map(|c| c.in_bits / 8),
            |_, span_end, _| span_end,
        ),
        Kind::Zstd => group_by(
            listing,
            wanted,
            |header| index.frame_before(header).map(|f| f.input),
            |header, _, size| index.entry_frames_end(header, size).min(index.blob_size),
        ),
    }
}

/// [`groups`] with the seek points given: `start_before(header offset)` is the blob byte of
/// the point to decode from for a file, `end_after(header offset, span end, size)` the blob
/// byte past which none is needed for it. A file whose start is unknown or not before its
/// end is left out.
fn group_by(
    listing: &LayerListing,
    wanted: &HashMap<Vec<u8>, PlannedFile>,
    start_before: impl Fn(u64) -> Option<u64>,
    end_after: impl Fn(u64, u64, u64) -> u64,
) -> Vec<Group> {
    // The last entry of a path is the one the plan's tree shows.
    let mut found: HashMap<Vec<u8>, (u64, u64, u64)> = HashMap::new();
    for e in listing.iter() {
        if !matches!(e.kind, EntryKind::File | EntryKind::Other) {
            continue;
        }
        let key = key_of(e.path());
        if wanted.contains_key(&key) {
            found.insert(key, (e.header_offset, e.span_end, e.size));
        }
    }
    let mut targets: Vec<(u64, u64, u64, u64, Vec<u8>)> = found
        .into_iter()
        .filter(|(key, (_, _, size))| {
            wanted
                .get(key)
                .is_some_and(|f| f.sha256.is_some() && f.size == *size)
        })
        .filter_map(|(key, (header, span_end, size))| {
            let start = start_before(header)?;
            let end = end_after(header, span_end, size);
            (start < end).then_some((header, start, end, size, key))
        })
        .collect();
    targets.sort_unstable();
    let mut out: Vec<Group> = Vec::new();
    let mut stream_cost = 0;
    for (header, start, end, size, key) in targets {
        stream_cost = stream_cost.max(end);
        match out.last_mut() {
            Some(g) if start <= g.end.saturating_add(GAP) => {
                g.end = g.end.max(end);
                g.files.push((header, key, size));
            }
            _ => out.push(Group {
                start,
                end,
                files: vec![(header, key, size)],
            }),
        }
    }
    let fetched: u64 = out.iter().map(|g| g.end - g.start).sum();
    if fetched >= stream_cost / 4 * 3 {
        return Vec::new();
    }
    out
}

/// What the ranged pass needs besides the files.
pub(super) struct Pass<'a> {
    pub source: &'a BlobSource,
    pub layer: &'a LayerInfo,
    pub index: &'a SeekIndex,
    pub listing: &'a LayerListing,
    pub cancel: &'a CancellationToken,
    pub progress: ExtractProgress,
    pub total: u64,
    pub layer_number: u32,
}

/// Writes the files of `wanted` that the index can serve into `sink`, range by range.
/// Returns the sink and the files left for streaming. The sink is aborted on a failure.
pub(super) async fn write_ranges(
    pass: Pass<'_>,
    mut wanted: HashMap<Vec<u8>, PlannedFile>,
    mut sink: Sink,
) -> Result<(Sink, HashMap<Vec<u8>, PlannedFile>), Error> {
    for group in groups(pass.listing, pass.index, &wanted) {
        if pass.cancel.is_cancelled() {
            sink.abort();
            return Err(Error::Cancelled);
        }
        let Some(&(first, _, _)) = group.files.first() else {
            continue;
        };
        let Some(&(last, _, last_size)) = group.files.last() else {
            continue;
        };
        let opened = seek_read::open_at(
            pass.source,
            pass.layer,
            pass.index,
            first,
            (last - first).saturating_add(last_size),
            group.end,
        )
        .await;
        let ranged = match opened {
            Ok(Some(ranged)) => ranged,
            // The registry sent the whole blob: stream what is left.
            Ok(None) => break,
            Err(e) => {
                sink.abort();
                return Err(Error::Layer(e));
            }
        };
        tracing::debug!(range = ?ranged.range, files = group.files.len(), "extracting through the seek index");
        // By header offset in the range: the size each must have, and its plan. (The
        // offset is that of an entry's own header, after any long-name or PAX headers: the
        // first entry of a range is read without them, so its name is not compared.)
        let mut sizes = HashMap::new();
        let mut files = HashMap::new();
        for (header, key, size) in group.files {
            if let Some(file) = wanted.remove(&key) {
                files.insert(header - first, file);
                sizes.insert(header - first, size);
            }
        }
        let (cancel, progress, total) = (pass.cancel.clone(), pass.progress.clone(), pass.total);
        let (digest, layer_number) = (pass.layer.digest.clone(), pass.layer_number);
        sink = blocking(move || {
            let walk = Walk {
                compression: Compression::None,
                digest: &digest,
                cancel: &cancel,
                progress: &|n| progress(n, total),
                layer_number,
            };
            write_entries(
                ranged.reader,
                &walk,
                |h| sizes.get(&h.header_offset) == Some(&h.size),
                |h| h.header_offset,
                files,
                sink,
            )
        })
        .await?;
    }
    Ok((sink, wanted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::tests::fixtures::{Item, blob};

    /// `items` as a gzip layer, listed with a checkpoint every 256 KiB.
    fn gzip_layer(items: &[Item]) -> (LayerListing, SeekIndex) {
        let b = blob(items, Compression::Gzip);
        let r = crate::layers::read_layer_indexed(
            &b.bytes[..],
            b.compression,
            &b.digest,
            &mut |_| {},
            256 * 1024,
        );
        assert!(r.error.is_none());
        (r.listing, r.index.expect("an index"))
    }

    /// 512 KiB, a small file, 6 MiB, a small file, 1 MiB (the large ones incompressible),
    /// listed with a checkpoint every 256 KiB.
    fn layer() -> (LayerListing, SeekIndex) {
        gzip_layer(&[
            Item::File("pad.bin", 512 * 1024),
            Item::Text("a.txt", b"first small file\n"),
            Item::File("mid.bin", 6 * 1024 * 1024),
            Item::Text("b.txt", b"second small file\n"),
            Item::File("tail.bin", 1024 * 1024),
        ])
    }

    /// The same files as [`layer`] as a zstd layer of one frame per 256 KiB of tar.
    fn zstd_layer() -> (LayerListing, SeekIndex) {
        use crate::layers::tests::fixtures::tar;
        let tar = tar(&[
            Item::File("pad.bin", 512 * 1024),
            Item::Text("a.txt", b"first small file\n"),
            Item::File("mid.bin", 6 * 1024 * 1024),
            Item::Text("b.txt", b"second small file\n"),
            Item::File("tail.bin", 1024 * 1024),
        ]);
        let bytes: Vec<u8> = tar
            .chunks(256 * 1024)
            .flat_map(|c| zstd::encode_all(c, 3).expect("zstd"))
            .collect();
        let digest = crate::oci::Digest::of(&bytes);
        let r = crate::layers::read_layer_indexed(
            &bytes[..],
            Compression::Zstd,
            &digest,
            &mut |_| {},
            256 * 1024,
        );
        assert!(r.error.is_none());
        let index = r.index.expect("an index");
        assert!(
            index.kind == Kind::Zstd && index.frames.len() > 10,
            "{index:?}"
        );
        (r.listing, index)
    }

    fn wanted(listing: &LayerListing, names: &[&str]) -> HashMap<Vec<u8>, PlannedFile> {
        listing
            .iter()
            .filter(|e| names.iter().any(|n| n.as_bytes() == e.path()))
            .map(|e| {
                let file = PlannedFile {
                    parts: vec![e.path().to_vec()],
                    display: e.path_display().into_owned(),
                    mode: e.mode,
                    mtime: e.mtime,
                    size: e.size,
                    sha256: e.sha256,
                };
                (key_of(e.path()), file)
            })
            .collect()
    }

    #[test]
    fn files_far_apart_are_fetched_as_two_small_ranges() {
        let (listing, index) = layer();
        let groups = groups(&listing, &index, &wanted(&listing, &["a.txt", "b.txt"]));
        assert_eq!(groups.len(), 2, "{groups:?}");
        for g in &groups {
            assert_eq!(g.files.len(), 1);
            assert!(g.end - g.start < 512 * 1024, "{g:?}");
        }
        assert!(groups[0].end < groups[1].start);
    }

    #[test]
    fn a_path_held_twice_is_fetched_at_its_last_entry() {
        let (listing, index) = gzip_layer(&[
            Item::File("pad.bin", 512 * 1024),
            Item::Text("a.txt", b"first\n"),
            Item::File("mid.bin", 6 * 1024 * 1024),
            Item::Text("a.txt", b"later\n"),
            Item::File("tail.bin", 1024 * 1024),
        ]);
        let offsets: Vec<u64> = listing
            .iter()
            .filter(|e| e.path() == b"a.txt")
            .map(|e| e.header_offset)
            .collect();
        assert_eq!(offsets.len(), 2);
        // The plan holds the later entry (its hash), as `wanted` keeps the last of a key.
        let files = wanted(&listing, &["a.txt"]);
        let groups = groups(&listing, &index, &files);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].files, [(offsets[1], b"a.txt".to_vec(), 6)]);
        // The streaming pass keys it by the same offset.
        let (by_offset, unlisted) = super::super::layer_pass::by_last_offset(&listing, files);
        assert!(unlisted.is_none());
        assert_eq!(by_offset.keys().copied().collect::<Vec<_>>(), [offsets[1]]);
    }

    #[test]
    fn a_range_that_costs_most_of_the_stream_is_not_used() {
        let (listing, index) = layer();
        let groups = groups(&listing, &index, &wanted(&listing, &["mid.bin"]));
        assert!(groups.is_empty(), "{groups:?}");
    }

    #[test]
    fn a_file_without_a_recorded_hash_or_checkpoint_is_left_for_streaming() {
        let (listing, index) = layer();
        let mut files = wanted(&listing, &["pad.bin", "a.txt"]);
        for file in files.values_mut() {
            file.sha256 = None;
        }
        assert!(groups(&listing, &index, &files).is_empty());
        // pad.bin starts the blob: no checkpoint before it.
        let files = wanted(&listing, &["pad.bin"]);
        assert!(groups(&listing, &index, &files).is_empty());
    }

    #[test]
    fn zstd_files_far_apart_are_fetched_as_two_ranges_from_frame_starts() {
        let (listing, index) = zstd_layer();
        let two = groups(&listing, &index, &wanted(&listing, &["a.txt", "b.txt"]));
        assert_eq!(two.len(), 2, "{two:?}");
        for g in &two {
            assert_eq!(g.files.len(), 1);
            assert!(index.frames.iter().any(|f| f.input == g.start), "{g:?}");
            // The frame before the header to the frame that holds the end of its data:
            // one frame of 256 KiB here (a small file), stored about as it is.
            assert!(g.end - g.start < 300 * 1024, "{g:?}");
        }
        assert!(two[0].end < two[1].start);
        // The whole of mid.bin costs about as much as streaming: not through the index.
        assert!(groups(&listing, &index, &wanted(&listing, &["mid.bin"])).is_empty());
    }
}
