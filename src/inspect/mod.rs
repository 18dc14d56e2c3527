//! Reading an image's files wherever it lives, and comparing two images: resolve a
//! reference (a registry image, `berth:`, or `oci:DIR[:TAG]`) to its manifest, config and
//! blob source ([`resolve`]), load its layers ([`ResolvedImage::load`]), then merge and diff
//! two of them ([`compare`]). `berth files`, `berth diff` and the Compare window call these
//! same functions; they differ only in how they show progress and results. Errors are one
//! enum of kinds ([`Error`]) that each front end words itself.

mod compare;
mod progress;
mod resolve;

pub use compare::{Compared, compare, diff};
pub use progress::BytesRead;
pub use resolve::{Place, ResolvedImage, resolve};

use crate::oci::Platform;

/// Why an image could not be resolved or compared: a kind and its arguments.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text names no image (`repository:tag`, `berth:NAME` or `oci:DIR:TAG` expected).
    #[error("{reference:?} names no image")]
    BadReference { reference: String },
    /// The registry of a side is not connected (the window has no client for it yet).
    #[error("{registry} is not connected")]
    NotConnected { registry: String },
    /// An engine image (`docker:`, `podman:`): its layers cannot be read without an export.
    #[error(
        "{reference}: files and diffs read registries, Berth's store (berth:) and OCI layouts \
         (oci:DIR:TAG), not engine images"
    )]
    EngineImage { reference: String },
    /// The reference is an index without an image for the wanted platform.
    #[error("{reference}: no image for platform {wanted}")]
    NoImage {
        reference: String,
        /// Boxed, so that `Error` stays small.
        wanted: Box<Platform>,
        /// The platforms the index offers (attestations left out).
        available: Vec<String>,
        /// Indexes nested in it, not opened (see `oci::image::offered_platforms`).
        nested: Vec<String>,
    },
    #[error(transparent)]
    Registry(#[from] crate::registry::Error),
    /// A local store could not be opened or read.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// The caller stopped the work before it finished (a new comparison, a closed window).
    #[error("stopped")]
    Stopped,
}

impl Error {
    /// The stable name `--json` prints and the message catalog keys on.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadReference { .. } => "bad_reference",
            Self::NotConnected { .. } => "not_connected",
            Self::EngineImage { .. } => "engine_image",
            Self::NoImage { .. } => "platform_not_found",
            Self::Registry(e) => e.kind(),
            Self::Store(e) => e.kind(),
            Self::Stopped => "cancelled",
        }
    }
}
