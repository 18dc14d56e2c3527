//! The listing pass over one layer blob: every entry's metadata kept, and each file's data
//! hashed with SHA-256 on its way past (the bytes must be decompressed to reach the next
//! header anyway, so the hash is the only extra cost), through the one tar walker
//! ([`super::content::walk`]). Nothing is written anywhere. A damaged blob stops the read
//! with an error naming the layer and the offset, and the entries parsed before it are kept.

use super::content::{EntryHead, Visit, walk};
use super::entry::{Entry, EntryKind, LayerListing};
use super::seek_index::SeekIndex;
use super::{Error, LayerRead};
use crate::oci::Digest;
use crate::oci::media::Compression;
use sha2::{Digest as _, Sha256};
use std::io::{self, Read};

pub use super::decode::PROGRESS_STEP;

const DATA_BUFFER: usize = 64 * 1024;

/// Reads the layer in `blob` (compressed as `compression`) and lists its entries.
///
/// `progress` gets the number of blob bytes read so far. Errors from `blob` itself are
/// expected to carry a [`Error`] (as [`std::io::Error::other`]) when the source knows
/// better than "read failed"; a [`crate::oci::VerifyError`] inside an `io::Error` (what
/// [`crate::oci::VerifyingReader`] produces) becomes [`Error::Verify`].
pub fn read_layer<R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    progress: &mut dyn FnMut(u64),
) -> LayerRead {
    read_layer_indexed(blob, compression, digest, progress, 0)
}

/// [`read_layer`], recording a gzip layer's seek index (a checkpoint every
/// `index_interval` compressed bytes; 0 for none) when the read completes, or with
/// `index_interval` > 0 a zstd layer's frame starts when it has more than one data frame
/// (a single-frame layer's index has none: it streams).
pub fn read_layer_indexed<R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    progress: &mut dyn FnMut(u64),
    index_interval: u64,
) -> LayerRead {
    let mut listing = LayerListing::with_capacity(256, 16 * 1024);
    let mut data = vec![0u8; DATA_BUFFER];
    let mut names_error = None;
    let walked = walk(
        blob,
        compression,
        digest,
        progress,
        index_interval,
        |_| true,
        |head, reader| {
            let hashed = matches!(head.kind, EntryKind::File | EntryKind::Other);
            // A read error inside the data still lists the entry (its header was whole),
            // without a hash.
            let (sha256, data_error) = if hashed {
                match hash_data(reader, &mut data) {
                    Ok(hash) => (Some(hash), None),
                    Err(e) => (None, Some(e)),
                }
            } else {
                (None, None)
            };
            if let Err(e) = push(&mut listing, head, sha256) {
                names_error = Some(e);
                return Err(io::Error::other("the listing is full"));
            }
            match data_error {
                Some(e) => Err(e),
                None => Ok(Visit::Next),
            }
        },
    );
    listing.blob_bytes = walked.blob_bytes;
    listing.tar_bytes = walked.tar_bytes;
    let error = match (names_error, walked.result) {
        (Some(e), _) => Some(e),
        (None, result) => result.err(),
    };
    // Only a read that reached the blob's end (so its digest was checked) gives an index.
    let index = match compression {
        _ if error.is_some() || index_interval == 0 => None,
        Compression::Gzip => Some(SeekIndex::new(walked.blob_bytes, walked.checkpoints)),
        // A single frame has nowhere to start but the beginning: an index without points
        // (the layer streams), kept so the cached listing is known to have been looked at.
        Compression::Zstd => {
            let starts = if walked.data_frames > 1 {
                walked.frames
            } else {
                Vec::new()
            };
            Some(SeekIndex::zstd(walked.blob_bytes, starts))
        }
        Compression::None => None,
    };
    if compression == Compression::Gzip && index.is_some() {
        // One span per visited entry, in order: every visited entry was pushed.
        for (entry, span_end) in listing.entries.iter_mut().zip(walked.spans) {
            entry.span_end = span_end;
        }
    }
    LayerRead {
        listing,
        error,
        cached: false,
        index,
    }
}

/// One entry into the listing, its names into the listing's arena.
fn push(
    listing: &mut LayerListing,
    head: &EntryHead<'_>,
    sha256: Option<[u8; 32]>,
) -> Result<(), Error> {
    let path = listing.push_bytes(head.path)?;
    let link = match head.link {
        Some(target) => Some(listing.push_bytes(target)?),
        None => None,
    };
    listing.entries.push(Entry {
        kind: head.kind,
        size: head.size,
        mode: head.mode,
        uid: head.uid,
        gid: head.gid,
        mtime: head.mtime,
        dev_major: head.dev_major,
        dev_minor: head.dev_minor,
        header_offset: head.header_offset,
        sha256,
        span_end: 0,
        path,
        link,
    });
    Ok(())
}

/// SHA-256 of the rest of `data` (one tar entry's bytes), read through `buffer`.
fn hash_data(data: &mut dyn Read, buffer: &mut [u8]) -> io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    loop {
        match data.read(buffer) {
            Ok(0) => return Ok(hasher.finalize().into()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
