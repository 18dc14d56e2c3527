//! Layers: what files an image holds, straight from its layer blobs, with nothing written
//! out. Owns opening blobs ([`open_blob`]), the one decoder and tar walker over
//! gzip/zstd/none ([`read_entries`], [`walk`]), the listing pass ([`read_layer`]), the
//! per-layer entry lists ([`LayerListing`]), file trees ([`FileTree`]: one layer, or the merged filesystem with
//! whiteouts, see [`merge`]), efficiency (wasted bytes), the on-disk listing cache
//! ([`LayerCache`]), loading an image's layers from a registry or a layout directory
//! ([`load_layers`]), and comparing two images ([`diff`]).
//!
//! Typical use (the GUI's Files tab):
//! 1. [`load_layers`] with a [`ProgressFn`] that sends events; each [`LayerRead`] holds the
//!    listing, and an error when the layer was damaged (what parsed before stays).
//! 2. [`FileTree::from_listing`] for "this layer only" without context, or
//!    [`layer_changes`] for it coloured against the layers below; [`merge`] over
//!    `listings[..=n]` for "merged up to layer n", with its [`Efficiency`].
//! 3. [`FileTree::filter_paths`] with a [`PathFilter`] for the filter box.

mod blob;
mod builder;
mod cache;
pub mod content;
mod decode;
pub mod diff;
mod entry;
mod error;
pub mod extract;
mod file_error;
pub mod file_read;
mod filter;
mod inflate;
pub mod layout;
mod merge;
mod read;
pub mod seek_index;
pub mod seek_read;
mod seek_zstd;
mod source;
mod tar_limits;
mod tree;
mod window;
mod zstd_frames;

#[cfg(test)]
mod tests;

pub use blob::{OpenBlob, open_blob};
pub use cache::{LayerCache, clear_cache};
pub use content::{EntryHead, Visit, Walked, read_entries, walk};
pub use diff::{ImageDiff, diff_images};
pub use entry::{
    Entry, EntryKind, EntryRef, LayerListing, display_path, mode_string, mtime_text, sha256_hex,
};
pub use error::Error;
pub use file_read::{FileError, Located, Part, Version, VersionKind};
pub use filter::{FilterError, PathFilter};
pub use merge::{Efficiency, MergedImage, WastedFile, layer_changes, merge};
pub use read::{PROGRESS_STEP, read_layer, read_layer_indexed};
pub use source::{BlobSource, LayerProgress, LayerState, ProgressFn, load_layers, read_from};
pub use tree::{Change, FileTree, Node, NodeId, Replaced, flags};

/// One layer read: the entries parsed, and what stopped the read early, if anything.
#[derive(Debug)]
pub struct LayerRead {
    pub listing: LayerListing,
    /// `Some` when the layer could not be read to its end; `listing` then holds the entries
    /// before the damage.
    pub error: Option<Error>,
    /// The listing came from the cache.
    pub cached: bool,
    /// A gzip layer's seek index, or a multi-frame zstd layer's, recorded by a complete
    /// (verified) read.
    pub index: Option<seek_index::SeekIndex>,
}

impl LayerRead {
    pub(crate) fn failed(error: Error) -> Self {
        Self {
            listing: LayerListing::default(),
            error: Some(error),
            cached: false,
            index: None,
        }
    }

    /// The listing, or the error when the read did not complete.
    pub fn into_result(self) -> Result<LayerListing, Error> {
        match self.error {
            None => Ok(self.listing),
            Some(e) => Err(e),
        }
    }
}
