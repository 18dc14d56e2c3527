//! The Untag part of the delete job (issue 23): each confirmed [`registry::UntagPlan`] is
//! carried out on its own (checked, removed by its method, siblings checked after), with its
//! own result row. Tags untagged together in one repository are not counted as siblings that
//! must stay.

use super::delete::DeleteTarget;
use super::error::Result;
use super::events::DeletedImage;
use super::runner::JobCtx;
use crate::oci::RegistryName;
use crate::registry;

/// Removes `plan`'s tag; `all` are the job's targets, for the other tags going with it.
pub(super) async fn run(
    ctx: &JobCtx,
    registry: &RegistryName,
    plan: &registry::UntagPlan,
    all: &[DeleteTarget],
) -> Result<DeletedImage> {
    let also_going: Vec<String> = all
        .iter()
        .filter_map(|t| match t {
            DeleteTarget::Untag {
                registry: r,
                plan: p,
            } if r == registry && p.repository == plan.repository && p.tag != plan.tag => {
                Some(p.tag.clone())
            }
            _ => None,
        })
        .collect();
    let ep = ctx.connections().registry(registry).await?;
    let done = ep.client.untag_planned(plan, &also_going).await?;
    Ok(DeletedImage {
        digest: done.digest,
        removed: DeleteTarget::Untag {
            registry: registry.clone(),
            plan: plan.clone(),
        }
        .references(),
        // Only a placeholder of a few bytes was deleted; the image stays.
        needs_registry_gc: false,
    })
}
