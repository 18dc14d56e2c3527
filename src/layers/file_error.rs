//! The error of finding and reading one file of an image (`file_read`): a kind with its
//! facts; the sentences are in `i18n/errors/files.rs`.

use super::Error;
use std::io;

/// Why a file could not be found or read. Layers are numbered from 1 here, as users see them.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: no such file")]
    NotFound { path: String },
    #[error("{path}: is a directory")]
    IsDirectory { path: String },
    #[error("{path}: removed by layer {layer}")]
    WhitedOut { path: String, layer: usize },
    #[error("no layer {n}: the image has {count}")]
    NoSuchLayer { n: usize, count: usize },
    #[error("{path}: symlinks loop or go deeper than {hops}")]
    LinkLoop { path: String, hops: usize },
    #[error("{path} (layer {layer}): sha256 {actual} instead of {expected}")]
    Mismatch {
        path: String,
        layer: usize,
        expected: String,
        actual: String,
    },
    #[error("{path} (layer {layer}): the entry was not found in the blob")]
    EntryMissing { path: String, layer: usize },
    #[error(transparent)]
    Layer(#[from] Error),
    #[error("cannot write: {0}")]
    Write(#[source] io::Error),
}

impl FileError {
    /// A stable name for `--json` and the message catalog.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "file_not_found",
            Self::IsDirectory { .. } => "file_is_directory",
            Self::WhitedOut { .. } => "file_whited_out",
            Self::NoSuchLayer { .. } => "file_no_such_layer",
            Self::LinkLoop { .. } => "file_link_loop",
            Self::Mismatch { .. } => "file_hash_mismatch",
            Self::EntryMissing { .. } => "file_entry_missing",
            Self::Layer(e) => e.kind(),
            Self::Write(_) => "file_write_failed",
        }
    }
}
