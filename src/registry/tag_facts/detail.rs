//! What the tags table's row cells show of a manifest besides its [`super::TagFacts`]: its
//! kind (image, index of N platforms, artifact) and, for an index, each platform image with
//! its size and created date (attestations left out, as the sort leaves them out). Learnt
//! by the same reads as the facts (`fetch.rs`) and kept with them, in memory and on disk, so
//! a row of a digest already known needs no `GET` (issue 23).

use crate::oci::{Digest, ManifestKind, Platform};

/// The kind of a manifest and, for an index, its platform images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub kind: ManifestKind,
    /// An index's platform images in the index's order (none for anything else).
    pub platforms: Vec<PlatformFacts>,
}

/// One platform image of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformFacts {
    pub platform: Platform,
    pub digest: Digest,
    /// What a pull of this platform moves; `None` when its manifest could not be read.
    pub size: Option<u64>,
    /// Seconds since the Unix epoch (UTC), from its config.
    pub created: Option<i64>,
}
