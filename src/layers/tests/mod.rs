//! Unit tests of the layer module, on tar fixtures generated in the test: listings against
//! GNU `tar -tv`, damaged blobs, the merged tree and wasted bytes, the cache, layout images
//! and the diff.

mod file_read;
pub(super) mod fixtures;
mod image;
mod merge;
mod read;
