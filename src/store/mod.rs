//! Local stores behind one trait, [`LocalStore`]: Berth's own OCI image layout (the default,
//! no daemon), any other layout directory (`oci:DIR`), and a Docker or Podman engine through
//! its API socket. Each lists images, inspects one into the same [`ImageDetail`] as a
//! registry image, deletes (planned first, so the caller can say exactly what goes) and tags.
//!
//! [`StoreLocation`] parses the store grammar (ARCHITECTURE.md) (`berth:`, `oci:DIR`, `docker:`,
//! `podman:`) and [`open`] turns one into a store.

pub mod engine;
mod error;
pub mod layout;
mod location;

pub use engine::EngineStore;
pub use error::{Error, Result};
pub use layout::LayoutStore;
pub use location::{StoreLocation, berth_store_dir, configured_locations, open};

use crate::oci::image::ImageDetail;
use crate::oci::{Digest, ImageName, LocalName, Platform};
use futures_util::future::BoxFuture;
use serde::Serialize;

/// One image as a store lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalImage {
    /// The name to use with this store: `host/repo:tag` (or a layout's tag); `None` for an
    /// untagged engine image or an unnamed layout entry.
    pub reference: Option<String>,
    /// Layouts: the manifest's (or index's) digest. Engines: the image ID.
    pub digest: Digest,
    /// The manifest's media type; empty for engine images (engines keep no manifest).
    pub media_type: String,
    /// Bytes on disk: every blob the reference needs (layouts), or the engine's image size.
    pub size: u64,
    /// RFC 3339, from the image config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// One platform for an image, several for an index.
    pub platforms: Vec<Platform>,
    /// Engines: how many containers use the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containers: Option<u64>,
    /// Layouts: false when a blob the reference needs is missing or damaged.
    pub complete: bool,
}

/// What a delete will remove, computed before anything is removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletePlan {
    pub store: String,
    /// What the user asked to delete.
    pub reference: String,
    /// The image's digest (layouts) or ID (engines).
    pub digest: Digest,
    /// References that go.
    pub removed_refs: Vec<String>,
    /// References to the same image that stay.
    pub kept_refs: Vec<String>,
    /// Engines: containers that use the image (they block the delete unless forced; Podman
    /// removes them when forced).
    pub containers: Vec<String>,
    /// Engines: every container that uses the image, whether or not the plan removes it.
    /// The run compares it as well, so a container made after the plan refuses the delete
    /// even where the plan only untags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image_containers: Vec<String>,
    /// The engine refuses without force (containers, or several tags on a delete by ID).
    pub needs_force: bool,
    /// Whether the image itself goes (not just a name).
    pub removes_image: bool,
    /// Layouts: bytes freed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freed_bytes: Option<u64>,
}

/// What a delete removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeleteOutcome {
    pub removed_refs: Vec<String>,
    /// Blobs (layouts) or image IDs (engines) deleted.
    pub deleted: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freed_bytes: Option<u64>,
}

/// A store's disk usage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiskUsage {
    pub images: usize,
    pub total_bytes: u64,
    /// What prune would free.
    pub reclaimable_bytes: u64,
}

/// What prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PruneReport {
    pub removed: Vec<String>,
    pub freed_bytes: u64,
}

/// Which kind of store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// Berth's own layout store.
    Berth,
    /// Any other OCI layout directory.
    Layout,
    Docker,
    Podman,
}

/// A local store. Every method is async and cheap to call from the UI runtime: layout
/// stores do their file work on the blocking pool.
pub trait LocalStore: Send + Sync {
    fn kind(&self) -> StoreKind;
    /// `berth`, `oci:DIR`, `docker` or `podman`.
    fn label(&self) -> String;
    fn list(&self) -> BoxFuture<'_, Result<Vec<LocalImage>>>;
    /// The image `reference` names; for an index, `platform`'s entry in detail.
    fn inspect<'a>(
        &'a self,
        reference: &'a LocalName,
        platform: &'a Platform,
    ) -> BoxFuture<'a, Result<ImageDetail>>;
    fn plan_delete<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<DeletePlan>>;
    /// Carries out a plan from [`LocalStore::plan_delete`]. Engines force the delete when
    /// the plan says it needs force: ask the user before calling this.
    fn delete<'a>(&'a self, plan: &'a DeletePlan) -> BoxFuture<'a, Result<DeleteOutcome>>;
    /// Gives the image `source` names the name `target`, in this store (a layout directory
    /// other than Berth's keeps the whole name as its tag, as skopeo's `oci:DIR:TAG` does).
    fn tag<'a>(&'a self, source: &'a LocalName, target: &'a ImageName)
    -> BoxFuture<'a, Result<()>>;
    fn disk_usage(&self) -> BoxFuture<'_, Result<DiskUsage>>;
    /// Removes what nothing needs: unreferenced blobs (layouts), dangling images (engines).
    fn prune(&self) -> BoxFuture<'_, Result<PruneReport>>;
}

/// Carries out a confirmed `plan` only if the store still plans the same delete (the same
/// image, the same names going, the same containers, the same need for force): ARCHITECTURE.md,
/// "A confirmation is a contract".
pub async fn delete_planned(store: &dyn LocalStore, plan: &DeletePlan) -> Result<DeleteOutcome> {
    let now = store.plan_delete(&plan.reference).await?;
    if !plans_the_same(plan, &now) {
        return Err(Error::PlanChanged {
            store: plan.store.clone(),
            reference: plan.reference.clone(),
        });
    }
    store.delete(plan).await
}

/// Whether `now` deletes what the confirmed plan said: the same image, the same names
/// going, the same need for force, and the same containers on the image (whether or not the
/// image goes: a container made meanwhile is something the user was not shown).
fn plans_the_same(planned: &DeletePlan, now: &DeletePlan) -> bool {
    now.digest == planned.digest
        && now.removed_refs == planned.removed_refs
        && now.removes_image == planned.removes_image
        && now.containers == planned.containers
        && now.image_containers == planned.image_containers
        && now.needs_force == planned.needs_force
}

/// Runs blocking file work off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Task {
            reason: e.to_string(),
        })?
}

impl LocalStore for LayoutStore {
    fn kind(&self) -> StoreKind {
        if self.label() == "berth" {
            StoreKind::Berth
        } else {
            StoreKind::Layout
        }
    }

    fn label(&self) -> String {
        LayoutStore::label(self).to_owned()
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<LocalImage>>> {
        let store = self.clone();
        Box::pin(blocking(move || store.images()))
    }

    fn inspect<'a>(
        &'a self,
        reference: &'a LocalName,
        platform: &'a Platform,
    ) -> BoxFuture<'a, Result<ImageDetail>> {
        let (store, reference, platform) = (self.clone(), reference.clone(), platform.clone());
        Box::pin(blocking(move || store.inspect_image(&reference, &platform)))
    }

    fn plan_delete<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<DeletePlan>> {
        let (store, reference) = (self.clone(), reference.to_owned());
        Box::pin(blocking(move || store.plan_removal(&reference)))
    }

    fn delete<'a>(&'a self, plan: &'a DeletePlan) -> BoxFuture<'a, Result<DeleteOutcome>> {
        let (store, plan) = (self.clone(), plan.clone());
        Box::pin(blocking(move || store.remove(&plan)))
    }

    fn tag<'a>(
        &'a self,
        source: &'a LocalName,
        target: &'a ImageName,
    ) -> BoxFuture<'a, Result<()>> {
        let (store, source) = (self.clone(), source.clone());
        let target = match self.kind() {
            StoreKind::Berth => layout::RefName::image(target),
            _ => layout::RefName::tag(&target.to_string()),
        };
        Box::pin(blocking(move || store.add_tag(&source, &target)))
    }

    fn disk_usage(&self) -> BoxFuture<'_, Result<DiskUsage>> {
        let store = self.clone();
        Box::pin(blocking(move || store.usage()))
    }

    fn prune(&self) -> BoxFuture<'_, Result<PruneReport>> {
        let store = self.clone();
        Box::pin(blocking(move || {
            let gc = store.gc()?;
            Ok(PruneReport {
                removed: gc
                    .removed_blobs
                    .iter()
                    .map(ToString::to_string)
                    .chain(gc.removed_temp_files.iter().cloned())
                    .collect(),
                freed_bytes: gc.freed_bytes,
            })
        }))
    }
}
