//! `fsck [STORE]`, `prune [STORE]` and `rm` of a local image: say exactly what goes (the
//! names that go, the names of the same image that stay, the containers in the way, whether
//! the engine must be forced), ask on a terminal, then delete.

use super::Context;
use super::images::{location, open_ref};
use crate::format;
use crate::store::{self, DeletePlan, LayoutStore, StoreLocation};
use anyhow::{Result, bail};
use std::io::{IsTerminal as _, Write as _};

/// The layout store at `location` (fsck reads files, so engines are out).
async fn layout(ctx: &Context, location: &StoreLocation) -> Result<LayoutStore> {
    let store = match location {
        StoreLocation::Berth => {
            let dir = store::berth_store_dir(&ctx.settings)?;
            tokio::task::spawn_blocking(move || LayoutStore::open_or_create(&dir))
                .await??
                .with_label("berth")
        }
        StoreLocation::Layout(dir) => {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || LayoutStore::open(&dir)).await??
        }
        StoreLocation::Docker | StoreLocation::Podman => {
            bail!("fsck checks layout stores (berth:, oci:DIR); {location} keeps its own")
        }
    };
    Ok(store)
}

pub async fn fsck(ctx: &Context, store: Option<&str>) -> Result<()> {
    let location = location(store)?;
    let store = layout(ctx, &location).await?;
    let label = store.label().to_owned();
    let report = tokio::task::spawn_blocking(move || store.fsck()).await??;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "store": label,
            "clean": report.is_clean(),
            "report": report,
        }))?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{label}: {} references, {} blobs, {} checked",
            report.refs,
            report.blobs,
            format::size(report.bytes_checked)
        )?;
        for c in &report.corrupt {
            writeln!(
                out,
                "corrupt blob {}: its content hashes to {}",
                c.digest, c.actual
            )?;
        }
        for b in &report.broken_refs {
            for d in &b.missing {
                writeln!(out, "{} ({}): blob {d} is missing", b.reference, b.digest)?;
            }
            for (d, why) in &b.invalid {
                writeln!(out, "{} ({}): blob {d}: {why}", b.reference, b.digest)?;
            }
        }
        for t in &report.temp_files {
            writeln!(out, "leftover temporary file blobs/sha256/{t}")?;
        }
        for t in &report.stray_files {
            writeln!(out, "stray file blobs/sha256/{t}")?;
        }
        if !report.unreferenced.is_empty() {
            writeln!(
                out,
                "{} unreferenced blobs, {} reclaimable (not an error; berth prune {location} frees them)",
                report.unreferenced.len(),
                format::size(report.reclaimable_bytes)
            )?;
        }
        if report.is_clean() {
            writeln!(out, "ok")?;
        }
    }
    if !report.is_clean() {
        bail!("fsck found problems in {label}");
    }
    Ok(())
}

pub async fn prune(ctx: &Context, store: Option<&str>) -> Result<()> {
    let location = location(store)?;
    let store = store::open(&location, &ctx.settings).await?;
    let report = store.prune().await?;
    if ctx.global.json {
        return ctx.print_json(&serde_json::json!({
            "store": store.label(),
            "report": report,
        }));
    }
    outln!(
        "Removed {} items from {}, freed {}",
        report.removed.len(),
        store.label(),
        format::size(report.freed_bytes)
    )?;
    Ok(())
}

/// `rm` of a local image; `Ok(false)` when `reference` names a registry image.
pub async fn rm_local(ctx: &Context, reference: &str, yes: bool, dry_run: bool) -> Result<bool> {
    let Some((store, _, name)) = open_ref(ctx, reference).await? else {
        return Ok(false);
    };
    if name.is_default() {
        bail!("rm needs an image name: {reference}NAME");
    }
    let plan = store.plan_delete(&name.to_string()).await?;
    if !ctx.global.json {
        print_plan(&plan)?;
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(
                &serde_json::json!({ "plan": plan, "deleted": false, "dry_run": true }),
            )?;
        }
        return Ok(true);
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!(
                "refusing to delete without confirmation: pass --yes (or --dry-run to only list)"
            );
        }
        print!(
            "{} [y/N] ",
            if plan.needs_force {
                "Force the delete?"
            } else {
                "Delete?"
            }
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("not deleted");
        }
    }
    let outcome = store.delete(&plan).await?;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "plan": plan,
            "deleted": true,
            "dry_run": false,
            "outcome": outcome,
        }))?;
    } else {
        match outcome.freed_bytes {
            Some(b) => outln!("Deleted. Freed {}.", format::size(b))?,
            None => outln!("Deleted.")?,
        }
    }
    Ok(true)
}

fn print_plan(plan: &DeletePlan) -> std::io::Result<()> {
    outln!("{}:{} ({})", plan.store, plan.reference, plan.digest)?;
    if plan.removed_refs.is_empty() {
        outln!("  (no name points at it)")?;
    } else {
        outln!("Names that will be removed ({}):", plan.removed_refs.len())?;
        for r in &plan.removed_refs {
            outln!("  {r}")?;
        }
    }
    if !plan.kept_refs.is_empty() {
        outln!(
            "Names of the same image that stay ({}):",
            plan.kept_refs.len()
        )?;
        for r in &plan.kept_refs {
            outln!("  {r}")?;
        }
    }
    if !plan.containers.is_empty() {
        let fate = if plan.store == "podman" {
            "Podman removes them when forced"
        } else {
            "they keep the image's layers until they are removed"
        };
        outln!("Used by containers ({fate}):")?;
        for c in &plan.containers {
            outln!("  {c}")?;
        }
    }
    if plan.needs_force {
        outln!("The engine refuses this delete unless it is forced.")?;
    }
    if let Some(b) = plan.freed_bytes {
        outln!("Frees {}.", format::size(b))?;
    }
    Ok(())
}
