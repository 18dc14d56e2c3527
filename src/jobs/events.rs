//! What a job tells the world: [`JobEvent`]s on the runner's channel. Everything here is
//! data with stable field names (`--json` prints it as is); messages carry kinds and
//! arguments, and the UI and the CLI turn them into words.

use super::{Error, JobId, JobSpec};
use crate::oci::{Digest, Platform};
use serde::{Serialize, Serializer};
use std::path::PathBuf;
use std::sync::Arc;

/// One event of one job.
#[derive(Debug, Clone)]
pub struct JobEvent {
    pub id: JobId,
    pub kind: JobEventKind,
}

#[derive(Debug, Clone)]
pub enum JobEventKind {
    /// The job has begun; the spec says what it does.
    Started(JobSpec),
    /// Bytes (or, for a delete, items) done of the total so far, with a line per item.
    /// Sent at most about ten times a second, and once more, final, before `Finished`.
    Progress(Progress),
    Message(JobMessage),
    /// Always the last event of a job: its output, or why it failed (`Cancelled` when it
    /// was cancelled, `Panicked` when its task panicked).
    Finished(Result<JobOutput, Arc<Error>>),
}

/// Progress of a whole job: the sums over its items, and the items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub items: Vec<ItemProgress>,
}

/// One blob, manifest or image of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemProgress {
    /// A digest for blobs, a reference for images.
    pub id: String,
    pub kind: ItemKind,
    pub done: u64,
    pub total: u64,
    pub state: ItemState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Layer,
    Config,
    Manifest,
    /// A layer as an engine reports it while it pulls or loads.
    EngineLayer,
    /// One image of a multi-item delete.
    Image,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Waiting,
    Active,
    Done,
    /// Already at the destination: nothing was transferred.
    Present,
    /// Linked from another repository of the same registry.
    Mounted,
    Failed,
}

/// Things worth telling while a job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum JobMessage {
    /// The source reference resolved to this manifest or index.
    Resolved {
        reference: String,
        digest: Digest,
        media_type: String,
    },
    /// An index was narrowed to this platform's image.
    PlatformChosen { platform: Platform, digest: Digest },
    /// A blob failed (network, damaged bytes) and is fetched again.
    Retrying {
        digest: Digest,
        attempt: u32,
        reason: String,
    },
    /// A blob goes on from `bytes`, which an earlier writer (killed, or cut off by a broken
    /// connection) left on disk; they were hashed again.
    Resumed { digest: Digest, bytes: u64 },
    /// Temporary files of an earlier, killed writer were removed.
    StaleTempFilesRemoved { count: usize },
    /// A status line from the engine's pull or load stream.
    Engine { status: String },
    /// A registry deleted manifests: their space comes back only after its garbage
    /// collection runs.
    RegistryGcNeeded { registry: String },
}

/// How the blobs of a copy got to their destination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BlobCounts {
    /// Transferred.
    pub fetched: usize,
    /// Already there.
    pub present: usize,
    /// Mounted from another repository.
    pub mounted: usize,
    /// Bytes transferred.
    pub bytes: u64,
}

/// What a job produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "output", rename_all = "snake_case")]
pub enum JobOutput {
    Copied {
        /// The destination, as the user would type it.
        dest: String,
        /// The manifest or index the destination name now points at (for an engine: the
        /// image ID).
        digest: Digest,
        media_type: String,
        blobs: BlobCounts,
    },
    Saved {
        file: PathBuf,
        digest: Digest,
        bytes: u64,
    },
    Loaded {
        dest: String,
        digest: Digest,
        blobs: BlobCounts,
    },
    Deleted {
        items: Vec<DeleteItem>,
    },
    /// What an extraction made, and what it skipped.
    Extracted {
        dest: PathBuf,
        report: crate::layers::extract::Report,
    },
}

/// One item of a multi-item delete, with its own result.
#[derive(Debug, Clone)]
pub struct DeleteItem {
    pub reference: String,
    pub result: Result<DeletedImage, Arc<Error>>,
}

impl PartialEq for DeleteItem {
    fn eq(&self, other: &Self) -> bool {
        self.reference == other.reference
            && match (&self.result, &other.result) {
                (Ok(a), Ok(b)) => a == b,
                (Err(a), Err(b)) => a.to_string() == b.to_string(),
                _ => false,
            }
    }
}

impl Eq for DeleteItem {}

/// What one delete removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedImage {
    /// The manifest digest (registries, layouts) or image ID (engines).
    pub digest: Digest,
    /// Every name that went (for a registry: each tag that pointed at the digest).
    pub removed: Vec<String>,
    /// Registries: the space comes back only after the registry's garbage collection.
    pub needs_registry_gc: bool,
}

impl Serialize for DeleteItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("DeleteItem", 3)?;
        st.serialize_field("reference", &self.reference)?;
        match &self.result {
            Ok(done) => {
                st.serialize_field("ok", &true)?;
                st.serialize_field("deleted", done)?;
            }
            Err(e) => {
                st.serialize_field("ok", &false)?;
                st.serialize_field("error", &ErrorJson::from(e.as_ref()))?;
            }
        }
        st.end()
    }
}

/// An error as `--json` shows it: the stable kind and the English text.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorJson {
    pub kind: &'static str,
    pub message: String,
}

impl From<&Error> for ErrorJson {
    fn from(e: &Error) -> Self {
        Self {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}
