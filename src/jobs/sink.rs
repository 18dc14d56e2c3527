//! Where a copy writes to: a registry repository (blobs mounted or uploaded, then manifests,
//! children first, the name last) or a layout store (blobs through shared transfers, then
//! manifests, then the reference, committed only when everything it needs is stored).

use super::connections::Endpoint;
use super::error::{Error, Result};
use super::fetch::{BlobOrigin, Transfer};
use super::flights::{BlobFate, FlightKey};
use super::plan::{BlobRef, ImagePlan};
use super::progress::Item;
use super::runner::JobCtx;
use super::source::{Source, blocking};
use super::{ItemState, JobMessage};
use crate::oci::{Digest, Reference, Repository};
use crate::registry::upload::MountOutcome;
use crate::store::LayoutStore;
use crate::store::layout::{Descriptor, RefName};
use futures_util::StreamExt as _;
use std::collections::HashMap;
use std::path::PathBuf;

pub(crate) enum Sink {
    Registry {
        ep: Endpoint,
        repository: Repository,
        /// The tag to write; `None` pushes by digest only.
        tag: Option<String>,
    },
    Layout {
        store: LayoutStore,
        name: RefName,
    },
}

/// How one blob reached the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    Transferred,
    Present,
    Mounted,
}

impl Sink {
    /// The destination as the user would type it.
    pub(crate) fn display(&self) -> String {
        match self {
            Self::Registry {
                ep,
                repository,
                tag,
            } => match tag {
                Some(t) => format!("{}/{repository}:{t}", ep.client.host()),
                None => format!("{}/{repository}", ep.client.host()),
            },
            Self::Layout { store, name } => {
                let n = name.display().unwrap_or_default();
                if store.label() == "berth" {
                    format!("berth:{n}")
                } else {
                    format!("{}:{n}", store.label())
                }
            }
        }
    }

    /// Before any blob: a layout store drops the temporary files of killed writers, but
    /// keeps those of `resumable` blobs it lacks and returns them by digest (this job
    /// fetches those blobs and goes on where the files end).
    pub(crate) async fn prepare(
        &self,
        ctx: &JobCtx,
        resumable: Vec<BlobRef>,
    ) -> Result<HashMap<Digest, PathBuf>> {
        let Self::Layout { store, .. } = self else {
            return Ok(HashMap::new());
        };
        let store = store.clone();
        let (removed, leftovers) = blocking(move || {
            let missing: Vec<Digest> = resumable
                .into_iter()
                .filter(|b| !store.has_blob(&b.digest, b.size))
                .map(|b| b.digest)
                .collect();
            Ok(store.remove_stale_temp_files_except(&missing)?)
        })
        .await?;
        if !removed.is_empty() {
            ctx.message(JobMessage::StaleTempFilesRemoved {
                count: removed.len(),
            })
            .await;
        }
        Ok(leftovers)
    }

    /// Gets one blob to the destination, unless it is there.
    /// `leftover`: a killed writer's file of this blob, to go on from (see `prepare`).
    pub(crate) async fn put_blob(
        &self,
        ctx: &JobCtx,
        source: &Source,
        blob: &BlobRef,
        mut item: Item,
        leftover: Option<PathBuf>,
    ) -> Result<Fate> {
        let fate = match self {
            Self::Layout { store, .. } => {
                if store.has_blob(&blob.digest, blob.size) {
                    Fate::Present
                } else {
                    let flight = ctx.shared.flights.join(
                        FlightKey {
                            dir: store.dir().to_owned(),
                            digest: blob.digest.clone(),
                        },
                        |bytes, cancel| {
                            let retry_ctx = ctx.clone();
                            let digest = blob.digest.clone();
                            Transfer {
                                origin: BlobOrigin::of(source),
                                blob: blob.clone(),
                                store: store.clone(),
                                leftover,
                                bytes,
                                cancel,
                                permits: ctx.shared.permits.clone(),
                                on_retry: Box::new(move |attempt, e| {
                                    retry_ctx.message_now(JobMessage::Retrying {
                                        digest: digest.clone(),
                                        attempt,
                                        reason: e.to_string(),
                                    });
                                }),
                                on_resume: {
                                    let (ctx, digest) = (ctx.clone(), blob.digest.clone());
                                    Box::new(move |bytes| {
                                        ctx.message_now(JobMessage::Resumed {
                                            digest: digest.clone(),
                                            bytes,
                                        });
                                    })
                                },
                            }
                            .run()
                        },
                    );
                    ctx.joined(flight.flight.clone());
                    item.use_counter(flight.flight.bytes.clone());
                    item.set_state(ItemState::Active);
                    match flight.flight.wait().await {
                        Ok(BlobFate::Fetched) => Fate::Transferred,
                        Ok(BlobFate::Present) => Fate::Present,
                        Err(e) => {
                            item.set_state(ItemState::Failed);
                            return Err(Error::Shared(e));
                        }
                    }
                }
            }
            Self::Registry { ep, repository, .. } => {
                let _permit = tokio::select! {
                    biased;
                    () = ctx.cancel.cancelled() => return Err(Error::Cancelled),
                    p = ctx.shared.permits.clone().acquire_owned() => p.map_err(|_| Error::Cancelled)?,
                };
                item.set_state(ItemState::Active);
                match push_blob(ep, repository, source, blob, &item).await {
                    Ok(f) => f,
                    Err(e) => {
                        item.set_state(ItemState::Failed);
                        return Err(e);
                    }
                }
            }
        };
        item.set_state(match fate {
            Fate::Transferred => ItemState::Done,
            Fate::Present => ItemState::Present,
            Fate::Mounted => ItemState::Mounted,
        });
        Ok(fate)
    }

    /// Writes the plan's manifests and then the name.
    pub(crate) async fn finish(&self, plan: &ImagePlan) -> Result<()> {
        match self {
            Self::Registry {
                ep,
                repository,
                tag,
            } => {
                for m in &plan.manifests {
                    let reference = match tag {
                        Some(t) if m.digest == plan.root.digest => Reference::Tag(t.clone()),
                        _ => Reference::Digest(m.digest.clone()),
                    };
                    ep.client
                        .put_manifest(
                            repository,
                            &reference,
                            &m.media_type,
                            bytes::Bytes::copy_from_slice(&m.bytes),
                        )
                        .await?;
                }
                Ok(())
            }
            Self::Layout { store, name } => {
                let manifests: Vec<(std::sync::Arc<[u8]>, crate::oci::Digest)> = plan
                    .manifests
                    .iter()
                    .map(|m| (m.bytes.clone(), m.digest.clone()))
                    .collect();
                let mut descriptor = Descriptor::new(
                    &plan.root.media_type,
                    plan.root.digest.clone(),
                    plan.root.bytes.len() as u64,
                );
                if let Some(p) = &plan.platform {
                    descriptor = descriptor.with_platform(p);
                }
                let (store, name) = (store.clone(), name.clone());
                blocking(move || {
                    for (bytes, digest) in manifests {
                        store.write_blob(&bytes[..], &digest, bytes.len() as u64, &mut |_| {})?;
                    }
                    Ok(store.commit_ref(&name, descriptor)?)
                })
                .await
            }
        }
    }
}

/// One blob into a registry: already there, mounted from the source repository when both
/// are on this registry, or uploaded from the source's verified stream.
async fn push_blob(
    ep: &Endpoint,
    repository: &Repository,
    source: &Source,
    blob: &BlobRef,
    item: &Item,
) -> Result<Fate> {
    let client = &ep.client;
    if client.blob_exists(repository, &blob.digest).await? {
        return Ok(Fate::Present);
    }
    let mut upload = match source {
        Source::Registry {
            ep: from,
            repository: from_repo,
            ..
        } if from.client.host() == client.host() && from_repo != repository => {
            match client
                .mount_blob(repository, &blob.digest, from_repo)
                .await?
            {
                MountOutcome::Mounted => return Ok(Fate::Mounted),
                MountOutcome::Upload(u) => u,
            }
        }
        _ => client.start_upload(repository).await?,
    };
    let mut stream = source.blob(&blob.digest, blob.size).await?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        client.upload_chunk(&mut upload, &chunk).await?;
        item.add_done(chunk.len() as u64);
    }
    client.finish_upload(upload, &blob.digest).await?;
    Ok(Fate::Transferred)
}
