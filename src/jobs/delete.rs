//! Deleting what a confirmation showed, as one job (ARCHITECTURE.md, "A confirmation is a
//! contract"). The job takes plans, not a selection: for a registry, each digest with every
//! tag on it; for a local store, the store's own plan. Just before deleting, each repository
//! is checked against its plans (planned tags re-resolved, tags added since then resolved)
//! and each local plan is made again and compared; any difference refuses the delete with a
//! message, so nothing the user was not shown goes. Each tag (or local image) gets its own
//! result row; one failing repository does not stop the others.

use super::error::{Error, Result};
use super::events::{DeleteItem, DeletedImage, ItemKind, ItemState, JobMessage, JobOutput};
use super::runner::JobCtx;
use crate::oci::{ImageRef, RegistryName, RegistryRef};
use crate::registry;
use crate::store::{self, StoreLocation};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One confirmed part of a delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteTarget {
    /// A digest of a registry repository and every tag on it, as the confirmation listed them.
    Registry {
        registry: RegistryName,
        plan: registry::DeletePlan,
    },
    /// A local image (its store and name in `image`), as its store planned the delete.
    Local {
        image: ImageRef,
        plan: store::DeletePlan,
    },
    /// One tag removed while the other tags on its digest stay (Untag, issue 23), by the
    /// method the confirmation named.
    Untag {
        registry: RegistryName,
        plan: registry::UntagPlan,
    },
}

impl DeleteTarget {
    /// The references this target's result rows name: each tag that goes (the digest when
    /// no tag points at it), or the local image.
    #[must_use]
    pub fn references(&self) -> Vec<String> {
        match self {
            Self::Registry { registry, plan } => {
                let at = |tag: Option<String>, digest| RegistryRef {
                    registry: registry.clone(),
                    repository: plan.repository.clone(),
                    tag,
                    digest,
                };
                if plan.tags.is_empty() {
                    return vec![at(None, Some(plan.digest.clone())).to_string()];
                }
                plan.tag_names()
                    .map(|t| at(Some(t.to_owned()), None).to_string())
                    .collect()
            }
            Self::Local { image, .. } => vec![image.to_string()],
            Self::Untag { registry, plan } => vec![
                RegistryRef {
                    registry: registry.clone(),
                    repository: plan.repository.clone(),
                    tag: Some(plan.tag.clone()),
                    digest: None,
                }
                .to_string(),
            ],
        }
    }
}

type ItemResult = std::result::Result<DeletedImage, Arc<Error>>;

pub(crate) async fn run(ctx: &JobCtx, targets: Vec<DeleteTarget>) -> Result<JobOutput> {
    let mut results: Vec<Option<ItemResult>> = vec![None; targets.len()];
    // Registry plans of one repository are checked together, then deleted digest by digest.
    let mut repositories: Vec<Vec<usize>> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let DeleteTarget::Registry { registry, plan } = t else {
            continue;
        };
        let same = |j: &usize| match &targets[*j] {
            DeleteTarget::Registry {
                registry: r,
                plan: p,
            } => r == registry && p.repository == plan.repository,
            DeleteTarget::Local { .. } | DeleteTarget::Untag { .. } => false,
        };
        match repositories
            .iter_mut()
            .find(|g| g.first().is_some_and(same))
        {
            Some(group) => group.push(i),
            None => repositories.push(vec![i]),
        }
    }
    let mut collected = BTreeSet::new();
    for group in repositories {
        let plans: Vec<(RegistryName, registry::DeletePlan)> = group
            .iter()
            .filter_map(|&i| match &targets[i] {
                DeleteTarget::Registry { registry, plan } => Some((registry.clone(), plan.clone())),
                DeleteTarget::Local { .. } | DeleteTarget::Untag { .. } => None,
            })
            .collect();
        for (i, result) in group.into_iter().zip(delete_repository(ctx, &plans).await) {
            if result.is_ok()
                && let DeleteTarget::Registry { registry, .. } = &targets[i]
            {
                collected.insert(registry.host.clone());
            }
            results[i] = Some(result);
        }
    }
    for registry in collected {
        ctx.message(JobMessage::RegistryGcNeeded { registry }).await;
    }
    for (i, t) in targets.iter().enumerate() {
        match t {
            DeleteTarget::Local { image, plan } => {
                results[i] = Some(delete_local(ctx, image, plan).await.map_err(Arc::new));
            }
            DeleteTarget::Untag { registry, plan } => {
                if ctx.cancel.is_cancelled() {
                    continue;
                }
                let result = super::untag::run(ctx, registry, plan, &targets).await;
                results[i] = Some(result.map_err(Arc::new));
            }
            DeleteTarget::Registry { .. } => {}
        }
    }
    let mut out = Vec::new();
    for (target, result) in targets.iter().zip(results) {
        let result = result.unwrap_or_else(|| Err(Arc::new(Error::Cancelled)));
        for reference in target.references() {
            let item = ctx.board.add(reference.clone(), ItemKind::Image, 1, None);
            item.set_done(1);
            item.set_state(if result.is_ok() {
                ItemState::Done
            } else {
                ItemState::Failed
            });
            out.push(DeleteItem {
                reference,
                result: result.clone(),
            });
        }
    }
    Ok(JobOutput::Deleted { items: out })
}

/// Checks the plans of one repository against the registry, then deletes each digest: one
/// result per plan. A failed check fails them all, and nothing is deleted.
async fn delete_repository(
    ctx: &JobCtx,
    plans: &[(RegistryName, registry::DeletePlan)],
) -> Vec<ItemResult> {
    let Some((registry, _)) = plans.first() else {
        return Vec::new();
    };
    let only: Vec<registry::DeletePlan> = plans.iter().map(|(_, p)| p.clone()).collect();
    let checked = async {
        let ep = ctx.connections().registry(registry).await?;
        ep.client.check_plans(&only).await?;
        Ok::<_, Error>(ep)
    }
    .await;
    let ep = match checked {
        Ok(ep) => ep,
        Err(e) => {
            let e = Arc::new(e);
            return plans.iter().map(|_| Err(Arc::clone(&e))).collect();
        }
    };
    let mut out = Vec::new();
    for (registry, plan) in plans {
        let deleted = ep
            .client
            .delete_manifest(&plan.repository, &plan.digest.clone().into())
            .await
            .map_err(|e| Arc::new(Error::from(e)));
        out.push(deleted.map(|()| {
            DeletedImage {
                digest: plan.digest.clone(),
                removed: DeleteTarget::Registry {
                    registry: registry.clone(),
                    plan: plan.clone(),
                }
                .references(),
                needs_registry_gc: true,
            }
        }));
    }
    out
}

async fn delete_local(
    ctx: &JobCtx,
    image: &ImageRef,
    plan: &store::DeletePlan,
) -> Result<DeletedImage> {
    let Some((location, _)) = StoreLocation::locate(image) else {
        return Err(Error::Cancelled);
    };
    let store = store::open(&location, ctx.connections().settings()).await?;
    let outcome = store::delete_planned(store.as_ref(), plan).await?;
    Ok(DeletedImage {
        digest: plan.digest.clone(),
        removed: if outcome.removed_refs.is_empty() {
            plan.removed_refs.clone()
        } else {
            outcome.removed_refs
        },
        needs_registry_gc: false,
    })
}
