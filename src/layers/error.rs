//! The layer module's one error type: a kind and its arguments, each naming the layer (by
//! digest) and, for bad bytes, the offset where reading stopped.

use crate::oci::Digest;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("layer {digest} has media type {media_type}, which is not a tar layer")]
    NotATarLayer { digest: Digest, media_type: String },
    /// The compressed stream or the tar inside it is damaged. `offset` counts blob bytes
    /// (compressed) read when the damage was found; `tar_offset` is where the entry being
    /// read starts in the uncompressed tar.
    #[error(
        "layer {digest} is corrupt at byte {offset} of the blob (tar offset {tar_offset}): {reason}"
    )]
    Corrupt {
        digest: Digest,
        offset: u64,
        tar_offset: u64,
        reason: String,
    },
    /// The blob ended before its compressed stream or its tar did.
    #[error(
        "layer {digest} is truncated: it ends at byte {offset} of the blob (tar offset {tar_offset})"
    )]
    Truncated {
        digest: Digest,
        offset: u64,
        tar_offset: u64,
    },
    /// The bytes did not match the layer's descriptor (size or digest).
    #[error("layer {digest} failed verification at byte {offset}: {source}")]
    Verify {
        digest: Digest,
        offset: u64,
        #[source]
        source: crate::oci::VerifyError,
    },
    #[error("layer {digest}: {source}")]
    Registry {
        digest: Digest,
        #[source]
        source: crate::registry::Error,
    },
    #[error("layer {digest}: cannot read at byte {offset} of the blob: {source}")]
    Read {
        digest: Digest,
        offset: u64,
        #[source]
        source: std::io::Error,
    },
    #[error("layer {digest}: cannot read {}: {source}", path.display())]
    ReadBlob {
        digest: Digest,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The layer's file in a layout directory is a pipe, a device or a directory; nothing
    /// was read from it.
    #[error("layer {digest}: {} is not a regular file ({})", path.display(), file_type.name())]
    NotAFile {
        digest: Digest,
        path: PathBuf,
        file_type: crate::local_file::FileType,
    },
    /// A path or link target longer than Linux's `PATH_MAX` (a GNU long name or PAX path
    /// of any size is cut off at the cap while it is read, never buffered whole).
    #[error(
        "layer {digest}: the entry at tar offset {tar_offset} has a name longer than {limit} bytes"
    )]
    NameTooLong {
        digest: Digest,
        tar_offset: u64,
        limit: u64,
    },
    /// The extension records before one entry (GNU long name or link, PAX) take more than
    /// Berth reads for a header.
    #[error(
        "layer {digest}: the entry at tar offset {tar_offset} has extended headers larger than {limit} bytes"
    )]
    HeaderTooLarge {
        digest: Digest,
        tar_offset: u64,
        limit: u64,
    },
    /// A zstd layer made with a window larger than Berth decodes with (`zstd --long=31`).
    #[error("layer {digest} needs a zstd window larger than {limit} bytes")]
    WindowTooLarge { digest: Digest, limit: u64 },
    #[error("a layer's names take more than {limit} bytes")]
    TooManyNames { limit: u64 },
    #[error("OCI layout {}: {reason}", dir.display())]
    Layout { dir: PathBuf, reason: String },
    #[error("OCI layout {}: no image tagged {tag:?} (tags: {})", dir.display(), available.join(", "))]
    LayoutTagNotFound {
        dir: PathBuf,
        tag: String,
        available: Vec<String>,
    },
    #[error("layer cache {}: {source}", path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no cache directory: the system reports no home directory")]
    NoCacheDir,
    #[error("the layer reader stopped unexpectedly: {0}")]
    Worker(String),
}

impl Error {
    /// A stable name for `--json` and the message catalog.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotATarLayer { .. } => "layer_not_tar",
            Self::Corrupt { .. } => "layer_corrupt",
            Self::Truncated { .. } => "layer_truncated",
            Self::Verify { .. } => "layer_verify_failed",
            Self::Registry { source, .. } => source.kind(),
            Self::Read { .. } | Self::ReadBlob { .. } => "layer_read_failed",
            Self::NotAFile { .. } => "layer_not_a_file",
            Self::NameTooLong { .. } => "layer_name_too_long",
            Self::HeaderTooLarge { .. } => "layer_header_too_large",
            Self::WindowTooLarge { .. } => "layer_window_too_large",
            Self::TooManyNames { .. } => "layer_too_many_names",
            Self::Layout { .. } => "layout_invalid",
            Self::LayoutTagNotFound { .. } => "layout_tag_not_found",
            Self::Cache { .. } => "layer_cache_failed",
            Self::NoCacheDir => "no_cache_dir",
            Self::Worker(_) => "layer_worker_failed",
        }
    }

    /// The layer this error is about, when it is about one.
    #[must_use]
    pub fn digest(&self) -> Option<&Digest> {
        match self {
            Self::NotATarLayer { digest, .. }
            | Self::Corrupt { digest, .. }
            | Self::Truncated { digest, .. }
            | Self::Verify { digest, .. }
            | Self::Registry { digest, .. }
            | Self::Read { digest, .. }
            | Self::ReadBlob { digest, .. }
            | Self::NotAFile { digest, .. }
            | Self::NameTooLong { digest, .. }
            | Self::HeaderTooLarge { digest, .. }
            | Self::WindowTooLarge { digest, .. } => Some(digest),
            _ => None,
        }
    }
}
