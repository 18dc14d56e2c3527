//! The store module's one error type: a kind and its arguments (the store, the reference,
//! the blob), never a finished sentence. `kind()` is the stable name `--json` prints and the
//! message catalog keys on.

use crate::oci::{Digest, VerifyError};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The reference does not name anything in this store.
    #[error("{reference} is not in {store}")]
    NotFound { store: String, reference: String },
    /// Several images match a short name; the caller should say which.
    #[error("{reference} matches several images in {store}: {}", candidates.join(", "))]
    Ambiguous {
        store: String,
        reference: String,
        candidates: Vec<String>,
    },
    #[error("invalid reference {reference:?} for {store}: {reason}")]
    InvalidReference {
        store: String,
        reference: String,
        reason: String,
    },
    /// `DIR` is not an OCI image layout (no `oci-layout` file) and may not be created here.
    #[error("{} is not an OCI image layout: {reason}", dir.display())]
    NotALayout { dir: PathBuf, reason: String },
    /// `index.json` or a manifest in the layout cannot be parsed.
    #[error("{} holds an invalid {what}: {reason}", dir.display())]
    Invalid {
        dir: PathBuf,
        what: String,
        reason: String,
    },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A path that must hold a regular file (a blob, `index.json`) holds a pipe, a device or
    /// a directory; nothing was read from it.
    #[error("{} is not a regular file ({})", path.display(), file_type.name())]
    NotAFile {
        path: PathBuf,
        file_type: crate::local_file::FileType,
    },
    /// A blob that a reference needs is not in the store.
    #[error("blob {digest} is missing from {}", dir.display())]
    MissingBlob { dir: PathBuf, digest: Digest },
    /// Bytes written or read did not match their descriptor.
    #[error("blob {digest} failed verification: {source}")]
    Verify {
        digest: Digest,
        #[source]
        source: VerifyError,
    },
    /// A blob is larger than Berth reads into memory (manifests, configs).
    #[error("blob {digest} is larger than the {limit}-byte limit")]
    TooLarge { digest: Digest, limit: u64 },
    /// `tag` or `cp` across stores: only the job runner moves images between stores.
    #[error("{source_store} and {target_store} are different stores; tag works within one store")]
    CrossStore {
        source_store: String,
        target_store: String,
    },
    /// No Docker or Podman engine answered; `tried` lists the sockets looked at.
    #[error("no {engine} engine found (tried {})", tried.join(", "))]
    EngineNotFound { engine: String, tried: Vec<String> },
    #[error("{engine} at {socket}: {reason}")]
    Engine {
        engine: String,
        socket: String,
        reason: String,
    },
    /// The engine refused a delete that needs force: the image is used by containers or
    /// carries several tags.
    #[error("{engine} refused to delete {reference}: {reason}")]
    EngineConflict {
        engine: String,
        reference: String,
        reason: String,
    },
    /// The store changed between the plan a user confirmed and the delete (another name,
    /// another image, a new container); nothing was deleted.
    #[error(
        "{reference} in {store} changed since the delete was planned; nothing was deleted, plan it again"
    )]
    PlanChanged { store: String, reference: String },
    /// A blob a confirmed prune planned to remove is needed by a reference now (an image
    /// pulled or tagged since the plan); nothing was removed.
    #[error(
        "{blob} in {store} is in use since the prune was planned; nothing was removed, plan it again"
    )]
    PruneChanged { store: String, blob: String },
    /// No data directory to hold Berth's store (HOME unset) and no `store_dir` setting.
    #[error("no data directory for Berth's store (is HOME set?)")]
    NoDataDir,
    #[error("a blocking task failed: {reason}")]
    Task { reason: String },
}

impl Error {
    /// The stable name of this error's kind, for `--json` and the message catalog.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "not_found",
            Self::Ambiguous { .. } => "ambiguous_reference",
            Self::InvalidReference { .. } => "invalid_reference",
            Self::NotALayout { .. } => "not_a_layout",
            Self::Invalid { .. } => "invalid_layout",
            Self::Io { .. } => "io",
            Self::NotAFile { .. } => "not_a_file",
            Self::MissingBlob { .. } => "missing_blob",
            Self::Verify { .. } => "verify_failed",
            Self::TooLarge { .. } => "too_large",
            Self::CrossStore { .. } => "cross_store",
            Self::EngineNotFound { .. } => "engine_not_found",
            Self::Engine { .. } => "engine",
            Self::EngineConflict { .. } => "engine_conflict",
            Self::PlanChanged { .. } => "plan_changed",
            Self::PruneChanged { .. } => "prune_changed",
            Self::NoDataDir => "no_data_dir",
            Self::Task { .. } => "task",
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    /// The error for a file that [`crate::local_file::open_regular`] would not open.
    pub(crate) fn open(path: &std::path::Path, e: crate::local_file::OpenError) -> Self {
        match e {
            crate::local_file::OpenError::NotAFile(file_type) => Self::NotAFile {
                path: path.to_owned(),
                file_type,
            },
            crate::local_file::OpenError::Io(source) => Self::Io {
                action: "open",
                path: path.to_owned(),
                source,
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
