//! Deleting several images as one job, each with its own result. Registry items are
//! resolved to digests first and each digest is deleted once (a registry deletes by digest,
//! taking every tag that points at it, so two selected tags of one image are one delete);
//! local items go through their store's planned delete.

use super::error::{Error, Result};
use super::events::{DeleteItem, DeletedImage, ItemKind, ItemState, JobMessage, JobOutput};
use super::progress::Item;
use super::runner::JobCtx;
use crate::oci::{Digest, ImageRef, RegistryRef};
use crate::store::{self, StoreLocation};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

type ItemResult = std::result::Result<DeletedImage, Arc<Error>>;

pub(crate) async fn run(ctx: &JobCtx, items: Vec<ImageRef>) -> Result<JobOutput> {
    let board: Vec<Item> = items
        .iter()
        .map(|r| ctx.board.add(r.to_string(), ItemKind::Image, 1, None))
        .collect();
    let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
    let mut by_digest: BTreeMap<(String, String, Digest), (RegistryRef, Vec<usize>)> =
        BTreeMap::new();
    for (i, r) in items.iter().enumerate() {
        let ImageRef::Registry(rr) = r else { continue };
        board[i].set_state(ItemState::Active);
        match resolve(ctx, rr).await {
            Ok(digest) => {
                by_digest
                    .entry((rr.registry.host.clone(), rr.repository.to_string(), digest))
                    .or_insert_with(|| (rr.clone(), Vec::new()))
                    .1
                    .push(i);
            }
            Err(e) => results[i] = Some(Err(Arc::new(e))),
        }
    }
    let mut collected = BTreeSet::new();
    for ((host, repository, digest), (rr, indexes)) in by_digest {
        let result = delete_digest(ctx, &rr, &digest).await.map_err(Arc::new);
        if result.is_ok() {
            collected.insert(host);
        }
        for i in indexes {
            results[i] = Some(result.clone());
        }
        tracing::debug!(%repository, %digest, "registry delete done");
    }
    for registry in collected {
        ctx.message(JobMessage::RegistryGcNeeded { registry }).await;
    }
    for (i, r) in items.iter().enumerate() {
        if matches!(r, ImageRef::Registry(_)) {
            continue;
        }
        board[i].set_state(ItemState::Active);
        results[i] = Some(delete_local(ctx, r).await.map_err(Arc::new));
    }
    let out = items
        .iter()
        .zip(results)
        .zip(&board)
        .map(|((r, result), item)| {
            let result = result.unwrap_or_else(|| Err(Arc::new(Error::Cancelled)));
            item.set_done(1);
            item.set_state(if result.is_ok() {
                ItemState::Done
            } else {
                ItemState::Failed
            });
            DeleteItem {
                reference: r.to_string(),
                result,
            }
        })
        .collect();
    Ok(JobOutput::Deleted { items: out })
}

async fn resolve(ctx: &JobCtx, r: &RegistryRef) -> Result<Digest> {
    if let Some(d) = &r.digest {
        return Ok(d.clone());
    }
    if r.tag.is_none() {
        return Err(Error::Registry(crate::registry::Error::InvalidReference(
            format!("{r}: a delete needs a tag or digest"),
        )));
    }
    let ep = ctx.connections().registry(&r.registry).await?;
    let head = ep
        .client
        .head_manifest(&r.repository, &r.reference())
        .await?;
    Ok(head.digest)
}

/// Deletes a manifest by digest; the result lists every tag that pointed at it.
async fn delete_digest(ctx: &JobCtx, r: &RegistryRef, digest: &Digest) -> Result<DeletedImage> {
    let ep = ctx.connections().registry(&r.registry).await?;
    let client = &ep.client;
    // Listing is best effort: the delete does not depend on it.
    let tags = client
        .tags_sharing(&r.repository, digest, |_, _| {})
        .await
        .unwrap_or_else(|_| r.tag.iter().cloned().collect());
    client
        .delete_manifest(&r.repository, &digest.clone().into())
        .await?;
    Ok(DeletedImage {
        digest: digest.clone(),
        removed: tags
            .iter()
            .map(|t| format!("{}/{}:{t}", r.registry.host, r.repository))
            .collect(),
        needs_registry_gc: true,
    })
}

async fn delete_local(ctx: &JobCtx, r: &ImageRef) -> Result<DeletedImage> {
    let Some((location, name)) = StoreLocation::of_ref(r) else {
        return Err(Error::Cancelled);
    };
    let store = store::open(&location, ctx.connections().settings()).await?;
    let plan = store.plan_delete(&name).await?;
    let outcome = store.delete(&plan).await?;
    Ok(DeletedImage {
        digest: plan.digest,
        removed: if outcome.removed_refs.is_empty() {
            plan.removed_refs
        } else {
            outcome.removed_refs
        },
        needs_registry_gc: false,
    })
}
