//! The jobs module's one error type: what failed, as a kind with its arguments. Errors of the
//! registry client and the stores are kept whole (their own kinds), so the UI can offer the
//! same next steps (log in, enable delete) as it does for a direct read.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Registry(#[from] crate::registry::Error),
    /// An error another task hit first (a shared download): the same error, shared.
    #[error(transparent)]
    Shared(std::sync::Arc<Error>),
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error("invalid reference: {0}")]
    Reference(#[from] crate::oci::reference::ReferenceError),
    #[error("cannot read credentials for {registry}: {reason}")]
    Credentials { registry: String, reason: String },
    /// The engine refused or failed, possibly inside an HTTP 200 stream (Podman does that).
    #[error("{engine}: {reason}")]
    Engine { engine: String, reason: String },
    /// The engine's pull ended without error, yet the image is not there.
    #[error("{engine} reported success, but {reference} is not in it")]
    EngineMissingImage { engine: String, reference: String },
    #[error("cannot {action} {}: {reason}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        reason: String,
    },
    /// A tar that is neither an OCI layout (`oci-layout`, `index.json`) nor a docker-archive
    /// (`manifest.json`), or one that is damaged.
    #[error("{} is not a docker-archive or oci-archive: {reason}", path.display())]
    Archive { path: PathBuf, reason: String },
    /// The archive holds several images and the destination names none of them.
    #[error("{} holds {count} images; name the one to load with --to STORE:NAME", path.display())]
    ArchiveAmbiguous { path: PathBuf, count: usize },
    /// A source/destination pair Berth cannot move an image between.
    #[error("cannot copy from {source_kind} to {target_kind}")]
    Unsupported {
        source_kind: &'static str,
        target_kind: &'static str,
    },
    /// A docker-archive holds one platform; an index must be narrowed to one first.
    #[error("a docker-archive holds one platform; choose one with --platform")]
    NeedsOnePlatform,
    /// Resolving the image to extract from failed.
    #[error(transparent)]
    Inspect(#[from] crate::inspect::Error),
    #[error(transparent)]
    Extract(#[from] crate::layers::extract::Error),
    #[error("cancelled")]
    Cancelled,
    /// The job's task panicked; `reason` is the panic message when there was one.
    #[error("the job failed unexpectedly: {reason}")]
    Panicked { reason: String },
}

impl Error {
    /// The stable, never-localised name of this kind of error (the inner module's kind for
    /// registry and store errors).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Registry(e) => e.kind(),
            Self::Shared(e) => e.kind(),
            Self::Store(e) => e.kind(),
            Self::Reference(_) => "invalid_reference",
            Self::Inspect(e) => e.kind(),
            Self::Extract(e) => e.kind(),
            Self::Credentials { .. } => "credentials",
            Self::Engine { .. } => "engine",
            Self::EngineMissingImage { .. } => "engine_missing_image",
            Self::Io { .. } => "io",
            Self::Archive { .. } => "invalid_archive",
            Self::ArchiveAmbiguous { .. } => "ambiguous_archive",
            Self::Unsupported { .. } => "unsupported",
            Self::NeedsOnePlatform => "needs_one_platform",
            Self::Cancelled => "cancelled",
            Self::Panicked { .. } => "panicked",
        }
    }

    /// The registry error underneath, if that is what failed (for localized messages).
    #[must_use]
    pub fn registry_error(&self) -> Option<&crate::registry::Error> {
        match self {
            Self::Registry(e) => Some(e),
            Self::Shared(e) => e.registry_error(),
            _ => None,
        }
    }

    /// Worth fetching a blob again: the network had a moment or the bytes were damaged.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Registry(e) => e.is_retryable(),
            Self::Shared(e) => e.is_retryable(),
            Self::Store(crate::store::Error::Verify { .. }) => true,
            _ => false,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |e| Self::Io {
            action,
            path,
            reason: e.to_string(),
        }
    }

    pub(crate) fn archive(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self::Archive {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// A blocking task that did not come back (it panicked, or the runtime shut down).
    pub(crate) fn join(e: &tokio::task::JoinError) -> Self {
        if e.is_cancelled() {
            Self::Cancelled
        } else {
            Self::Panicked {
                reason: e.to_string(),
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
