//! A Docker or Podman engine through its API socket (bollard): list, inspect, history,
//! delete and tag. Deletes are planned first: the plan names the tags that go, the tags that
//! stay, and the containers that block it, and says whether the engine will want force
//! (a delete by ID of an image with several tags, or an image that containers use), so the
//! caller can ask before forcing. Podman answers 500 instead of 409 for the first case;
//! both count as a conflict here.

mod discover;
mod map;

pub use discover::{Candidate, candidates};
pub use map::{EngineHistoryEntry, image_id, real_tags, rfc3339};

use crate::oci::Platform;
use crate::oci::image::ImageDetail;
use crate::oci::{ImageName, LocalName, with_default_tag};
use crate::settings::Settings;
use crate::store::{
    DeleteOutcome, DeletePlan, DiskUsage, Error, LocalImage, LocalStore, PruneReport, Result,
    StoreKind,
};
use bollard::Docker;
use bollard::query_parameters::{
    ListContainersOptions, ListImagesOptions, PruneImagesOptions, RemoveImageOptions,
    TagImageOptions,
};
use futures_util::future::BoxFuture;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Which engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    Docker,
    Podman,
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Docker => "docker",
            Self::Podman => "podman",
        })
    }
}

/// What answered: the engine that really runs there, where, and the negotiated API version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    /// What the user asked for (`docker:` or `podman:`).
    pub kind: EngineKind,
    /// What answered (Podman also serves `docker:` through its Docker-compatible API).
    pub flavor: EngineKind,
    pub address: String,
    pub api_version: String,
    pub version: String,
}

/// A connected engine.
#[derive(Debug, Clone)]
pub struct EngineStore {
    docker: Docker,
    info: EngineInfo,
}

impl EngineStore {
    /// Finds the engine (see [`candidates`]) and negotiates the API version.
    pub async fn connect(kind: EngineKind, settings: &Settings) -> Result<Self> {
        let c = discover::connect(kind, settings).await?;
        Ok(Self::from_connected(kind, c))
    }

    /// Connects to one address (`unix:///path` or `tcp://host:port`).
    pub async fn connect_to(kind: EngineKind, address: &str) -> Result<Self> {
        let c = discover::connect_one(address)
            .await
            .map_err(|reason| Error::EngineNotFound {
                engine: kind.to_string(),
                tried: vec![format!("{address} ({reason})")],
            })?;
        Ok(Self::from_connected(kind, c))
    }

    fn from_connected(kind: EngineKind, c: discover::Connected) -> Self {
        Self {
            docker: c.docker,
            info: EngineInfo {
                kind,
                flavor: c.flavor,
                address: c.address,
                api_version: c.api_version,
                version: c.version,
            },
        }
    }

    #[must_use]
    pub fn info(&self) -> &EngineInfo {
        &self.info
    }

    /// The bollard client, for jobs that pull into or load into the engine.
    #[must_use]
    pub fn client(&self) -> &Docker {
        &self.docker
    }

    fn error(&self, reference: &str, e: bollard::errors::Error) -> Error {
        use bollard::errors::Error as B;
        let engine = self.info.kind.to_string();
        match e {
            B::DockerResponseServerError {
                status_code: 404, ..
            } => Error::NotFound {
                store: engine,
                reference: reference.to_owned(),
            },
            // Podman: 500 "…by ID with more than one tag…: please force removal".
            B::DockerResponseServerError {
                status_code,
                message,
            } if status_code == 409
                || (status_code == 500
                    && (message.contains("please force") || message.contains("in use"))) =>
            {
                Error::EngineConflict {
                    engine,
                    reference: reference.to_owned(),
                    reason: message,
                }
            }
            other => Error::Engine {
                engine,
                socket: self.info.address.clone(),
                reason: other.to_string(),
            },
        }
    }

    /// One row per tag, as `docker images` shows them.
    pub async fn images(&self) -> Result<Vec<LocalImage>> {
        let list = self
            .docker
            .list_images(Some(ListImagesOptions::default()))
            .await
            .map_err(|e| self.error("images", e))?;
        Ok(list.iter().flat_map(map::list_rows).collect())
    }

    /// The image's history, newest first, with IDs normalized to `sha256:…`.
    pub async fn history(&self, name: &LocalName) -> Result<Vec<EngineHistoryEntry>> {
        let name = name.to_string();
        let items = self
            .docker
            .image_history(&name)
            .await
            .map_err(|e| self.error(&name, e))?;
        Ok(map::history_entries(&items))
    }

    /// The image in Berth's detail model (config, history, layers by diff ID).
    pub async fn inspect_image(&self, image: &LocalName) -> Result<ImageDetail> {
        let name = image.to_string();
        let inspect = self
            .docker
            .inspect_image(&name)
            .await
            .map_err(|e| self.error(&name, e))?;
        let history = self.history(image).await?;
        map::detail(&self.info.kind.to_string(), &name, &inspect, &history).ok_or_else(|| {
            Error::Engine {
                engine: self.info.kind.to_string(),
                socket: self.info.address.clone(),
                reason: format!("{name}: the engine's answer has no image ID"),
            }
        })
    }

    /// What deleting `name` does. By tag, with other tags on the image: only that tag goes.
    /// By ID (or the last tag): the image goes, which needs force when containers use it
    /// or, by ID, when it has several tags.
    pub async fn plan_removal(&self, name: &str) -> Result<DeletePlan> {
        let inspect = self
            .docker
            .inspect_image(name)
            .await
            .map_err(|e| self.error(name, e))?;
        let Some(id) = inspect.id.as_deref().and_then(image_id) else {
            return Err(self.error(
                name,
                bollard::errors::Error::DockerResponseServerError {
                    status_code: 404,
                    message: String::new(),
                },
            ));
        };
        let tags = real_tags(inspect.repo_tags.as_deref().unwrap_or_default());
        let containers = self.containers_of(&id).await?;
        let by_id = name.starts_with("sha256:")
            || (name.len() >= 12
                && name.bytes().all(|b| b.is_ascii_hexdigit())
                && id.hex().starts_with(name));
        let named = with_default_tag(name);
        let this_tag = tags
            .iter()
            .find(|t| **t == named || t.ends_with(&format!("/{named}")))
            .cloned();
        let (removed, kept) = match (&this_tag, by_id || tags.len() <= 1) {
            (Some(t), false) => (
                vec![t.clone()],
                tags.iter().filter(|x| *x != t).cloned().collect(),
            ),
            _ => (tags.clone(), Vec::new()),
        };
        let removes_image = kept.is_empty();
        let needs_force = removes_image && (!containers.is_empty() || (by_id && tags.len() > 1));
        Ok(DeletePlan {
            store: self.info.kind.to_string(),
            reference: name.to_owned(),
            digest: id,
            removed_refs: removed,
            kept_refs: kept,
            containers: if removes_image {
                containers.clone()
            } else {
                Vec::new()
            },
            image_containers: containers,
            needs_force,
            removes_image,
            freed_bytes: None,
        })
    }

    /// Names (or short IDs) of the containers, running or not, made from image `id`.
    async fn containers_of(&self, id: &crate::oci::Digest) -> Result<Vec<String>> {
        let all = self
            .docker
            .list_containers(Some(ListContainersOptions {
                all: true,
                ..ListContainersOptions::default()
            }))
            .await
            .map_err(|e| self.error("containers", e))?;
        // Sorted, so a plan and its re-check compare as sets.
        let mut names: Vec<String> = all
            .into_iter()
            .filter(|c| c.image_id.as_deref().and_then(image_id).as_ref() == Some(id))
            .map(|c| {
                c.names
                    .and_then(|n| n.into_iter().next())
                    .map(|n| n.trim_start_matches('/').to_owned())
                    .or_else(|| c.id.map(|i| i.chars().take(12).collect()))
                    .unwrap_or_default()
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// Deletes `name`, forced or not. Unforced, a blocked delete fails with
    /// `EngineConflict` (Docker's 409, or Podman's 500).
    pub async fn remove_image(&self, name: &str, force: bool) -> Result<DeleteOutcome> {
        let items = self
            .docker
            .remove_image(
                name,
                Some(RemoveImageOptions {
                    force,
                    ..RemoveImageOptions::default()
                }),
                None,
            )
            .await
            .map_err(|e| self.error(name, e))?;
        let mut out = DeleteOutcome::default();
        for item in items {
            out.removed_refs.extend(item.untagged);
            out.deleted.extend(item.deleted);
        }
        Ok(out)
    }

    /// Gives the image `source` the name `target` (`repo[:tag]`; `latest` when no tag).
    pub async fn add_tag(&self, source: &LocalName, target: &ImageName) -> Result<()> {
        let full = target.clone().with_default_tag();
        let Some(tag) = full.tag().map(str::to_owned) else {
            return Err(Error::InvalidReference {
                store: self.info.kind.to_string(),
                reference: target.to_string(),
                reason: "expected REPO[:TAG]".to_owned(),
            });
        };
        let source = source.to_string();
        self.docker
            .tag_image(
                &source,
                Some(TagImageOptions {
                    repo: Some(full.path),
                    tag: Some(tag),
                }),
            )
            .await
            .map_err(|e| self.error(&source, e))
    }

    /// Sizes as the engine reports them; untagged images count as reclaimable.
    pub async fn usage(&self) -> Result<DiskUsage> {
        let list = self
            .docker
            .list_images(Some(ListImagesOptions::default()))
            .await
            .map_err(|e| self.error("images", e))?;
        let size = |s: i64| u64::try_from(s).unwrap_or(0);
        Ok(DiskUsage {
            images: list.len(),
            total_bytes: list.iter().map(|i| size(i.size)).sum(),
            reclaimable_bytes: list
                .iter()
                .filter(|i| real_tags(&i.repo_tags).is_empty() && i.containers <= 0)
                .map(|i| size(i.size))
                .sum(),
        })
    }

    /// Removes dangling (untagged, unused) images.
    pub async fn prune_dangling(&self) -> Result<PruneReport> {
        let filters = HashMap::from([("dangling".to_owned(), vec!["true".to_owned()])]);
        let r = self
            .docker
            .prune_images(Some(PruneImagesOptions {
                filters: Some(filters),
            }))
            .await
            .map_err(|e| self.error("prune", e))?;
        Ok(PruneReport {
            removed: r
                .images_deleted
                .into_iter()
                .flatten()
                .filter_map(|i| i.deleted.or(i.untagged))
                .collect(),
            freed_bytes: u64::try_from(r.space_reclaimed.unwrap_or(0)).unwrap_or(0),
        })
    }
}

impl LocalStore for EngineStore {
    fn kind(&self) -> StoreKind {
        match self.info.kind {
            EngineKind::Docker => StoreKind::Docker,
            EngineKind::Podman => StoreKind::Podman,
        }
    }

    fn label(&self) -> String {
        self.info.kind.to_string()
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<LocalImage>>> {
        Box::pin(self.images())
    }

    /// Engines keep one platform per image: `platform` is not consulted.
    fn inspect<'a>(
        &'a self,
        reference: &'a LocalName,
        _platform: &'a Platform,
    ) -> BoxFuture<'a, Result<ImageDetail>> {
        Box::pin(self.inspect_image(reference))
    }

    fn plan_delete<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<DeletePlan>> {
        Box::pin(self.plan_removal(reference))
    }

    fn delete<'a>(&'a self, plan: &'a DeletePlan) -> BoxFuture<'a, Result<DeleteOutcome>> {
        Box::pin(self.remove_image(&plan.reference, plan.needs_force))
    }

    fn tag<'a>(
        &'a self,
        source: &'a LocalName,
        target: &'a ImageName,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.add_tag(source, target))
    }

    fn disk_usage(&self) -> BoxFuture<'_, Result<DiskUsage>> {
        Box::pin(self.usage())
    }

    fn prune(&self) -> BoxFuture<'_, Result<PruneReport>> {
        Box::pin(self.prune_dangling())
    }
}
