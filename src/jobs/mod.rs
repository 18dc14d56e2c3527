//! Background jobs: pull, copy, save, load and delete, each a tokio task with honest
//! progress, a cancellation token, and a `Finished` event that always comes.
//!
//! [`JobRunner::spawn`] takes a [`JobSpec`] (plain data, so a failed job can be retried by
//! spawning its spec again) and returns a [`JobId`]. Every job reports on one bounded
//! channel as [`JobEvent`]s: `Started`, `Progress` (at most about ten a second),
//! `Message`, and `Finished` (also on cancel and on panic). After each send the runner calls
//! the repaint callback it was given, so a UI redraws only when something changed.
//!
//! Blob transfers are bounded across all jobs (six at once by default), and jobs that need
//! the same blob in the same store share one download. Writes into a layout store stream
//! to a temporary file while size and digest are checked, and a reference is committed only
//! after every blob it needs is stored: a cancelled or failed job leaves no temporary file
//! and no reference, and a pull killed outright leaves whole blobs that the next one reuses.

mod archive_read;
mod archive_write;
mod connections;
mod copy;
mod delete;
mod engine;
mod engine_load;
mod error;
mod events;
mod extract;
mod fetch;
mod flights;
mod list;
mod plan;
mod progress;
mod runner;
mod sink;
mod source;
mod untag;

pub use connections::{Connections, Endpoint};
pub use delete::DeleteTarget;
pub use error::{Error, Result};
pub use events::ErrorJson;
pub use events::{
    BlobCounts, DeleteItem, DeletedImage, ItemKind, ItemProgress, ItemState, JobEvent,
    JobEventKind, JobMessage, JobOutput, Progress,
};
pub use extract::ExtractSpec;
pub use list::{JobList, JobRow, RowState};
pub use runner::{JobConfig, JobRunner};

use crate::oci::{ImageRef, Platform, RegistryRef};
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// A job's number, unique within its runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct JobId(pub u64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Which platforms of an index to take.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Platforms {
    /// The host's platform (the default for pulls into a local store or an engine).
    #[default]
    Host,
    One(Platform),
    /// Every entry of the index, and the index itself.
    All,
}

impl Platforms {
    /// The platform to take when only one is wanted.
    #[must_use]
    pub fn single(&self) -> Option<Platform> {
        match self {
            Self::Host => Some(Platform::host()),
            Self::One(p) => Some(p.clone()),
            Self::All => None,
        }
    }
}

/// The two tar formats `save` writes and `load` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArchiveFormat {
    /// What `docker save` writes: `manifest.json` with config and layers (plus, as Docker
    /// 25 and later write it, the same image as an OCI layout).
    #[default]
    Docker,
    /// An OCI image layout in a tar.
    Oci,
}

/// What a job does. Plain data: spawn it again to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobSpec {
    /// Any source to any destination in the reference grammar (ARCHITECTURE.md): a pull when the source is a
    /// registry and the destination local, a push the other way round. A destination without
    /// a name takes the source's (`berth:` gets `HOST/REPO:TAG`).
    Copy {
        source: ImageRef,
        dest: ImageRef,
        platforms: Platforms,
    },
    /// Writes an image to a docker-archive or oci-archive tar.
    Save {
        source: ImageRef,
        file: PathBuf,
        format: ArchiveFormat,
        platforms: Platforms,
    },
    /// Reads a docker-archive or oci-archive tar into a local store.
    Load { file: PathBuf, dest: ImageRef },
    /// Carries out confirmed delete plans (registry digests with every tag on each, local
    /// images), each on its own: one failing does not stop the others. The plans, not a
    /// selection: ARCHITECTURE.md, "A confirmation is a contract".
    Delete { targets: Vec<DeleteTarget> },
    /// Extracts a file or a folder of an image into a directory, a file or a tar.
    Extract(ExtractSpec),
}

/// The kind of a job, for titles and icons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    Pull,
    Push,
    Copy,
    Save,
    Load,
    Delete,
    Extract,
}

impl JobSpec {
    /// A pull of `source` into `dest` (`berth:` when `None`).
    #[must_use]
    pub fn pull(source: RegistryRef, dest: Option<ImageRef>, platforms: Platforms) -> Self {
        Self::Copy {
            source: ImageRef::Registry(source),
            dest: dest.unwrap_or(ImageRef::Berth {
                name: crate::oci::LocalName::Default,
            }),
            platforms,
        }
    }

    #[must_use]
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Copy { source, dest, .. } => match (source, dest) {
                (ImageRef::Registry(_), ImageRef::Registry(_)) => JobKind::Copy,
                (ImageRef::Registry(_), _) => JobKind::Pull,
                (_, ImageRef::Registry(_)) => JobKind::Push,
                _ => JobKind::Copy,
            },
            Self::Save { .. } => JobKind::Save,
            Self::Load { .. } => JobKind::Load,
            Self::Delete { .. } => JobKind::Delete,
            Self::Extract(_) => JobKind::Extract,
        }
    }

    /// What the job reads from, as the user would type it.
    #[must_use]
    pub fn source_text(&self) -> String {
        match self {
            Self::Copy { source, .. } | Self::Save { source, .. } => source.to_string(),
            Self::Extract(e) => format!("{} {}", e.source, crate::layers::display_path(&e.path)),
            Self::Load { file, .. } => file.display().to_string(),
            Self::Delete { targets } => targets
                .iter()
                .flat_map(DeleteTarget::references)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Whether the job only removes tags (Untag), each tag's image staying.
    #[must_use]
    pub fn is_untag(&self) -> bool {
        matches!(self, Self::Delete { targets } if !targets.is_empty()
            && targets.iter().all(|t| matches!(t, DeleteTarget::Untag { .. })))
    }

    /// Where the job writes to, as the user would type it; empty for a delete.
    #[must_use]
    pub fn dest_text(&self) -> String {
        match self {
            Self::Copy { dest, .. } | Self::Load { dest, .. } => dest.to_string(),
            Self::Save { file, .. } => file.display().to_string(),
            Self::Extract(e) => e.dest_path().display().to_string(),
            Self::Delete { .. } => String::new(),
        }
    }
}
