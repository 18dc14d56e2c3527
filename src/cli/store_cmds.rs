//! `fsck [STORE]`, `prune [STORE]` and `rm` of local images: say exactly what goes (the
//! names that go, the names of the same image that stay, the containers in the way, whether
//! the engine must be forced; for prune, every blob and leftover file that goes), ask on a
//! terminal, then delete.

use super::Context;
use super::images::location;
use crate::format;
use crate::oci::ImageRef;
use crate::store::layout::PrunePlan;
use crate::store::{self, DeletePlan, LayoutStore, StoreLocation};
use crate::tr;
use anyhow::{Result, bail};
use std::io::Write as _;

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
    let failure = format!("fsck found problems in {label}");
    if ctx.global.json {
        // One JSON value: on failure the error is inside it, as `main` words one.
        let mut value = serde_json::json!({
            "store": label,
            "clean": report.is_clean(),
            "report": report,
        });
        if !report.is_clean() {
            value["error"] = serde_json::json!({ "kind": "fsck_problems", "message": failure });
        }
        ctx.print_json(&value)?;
        if !report.is_clean() {
            return Err(super::ReportedInJson(failure).into());
        }
    } else {
        let mut out = super::buffered_stdout();
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
                let name = format::escape(&b.reference);
                writeln!(out, "{name} ({}): blob {d} is missing", b.digest)?;
            }
            for (d, why) in &b.invalid {
                let (name, why) = (format::escape(&b.reference), format::one_line(why, 500));
                writeln!(out, "{name} ({}): blob {d}: {why}", b.digest)?;
            }
        }
        for n in &report.not_files {
            writeln!(
                out,
                "blob {} is not a regular file ({}); nothing was read from it",
                n.digest, n.file_type
            )?;
        }
        for t in &report.stray_files {
            writeln!(out, "stray file blobs/sha256/{}", format::escape(t))?;
        }
        for t in &report.temp_files {
            writeln!(
                out,
                "leftover of an interrupted pull: blobs/sha256/{}",
                format::escape(t)
            )?;
        }
        if !report.unreferenced.is_empty() || !report.temp_files.is_empty() {
            writeln!(
                out,
                "{} unreferenced blobs and {} leftover files, {} reclaimable (not an error; a pull resumes the leftovers, berth prune {location} frees them)",
                report.unreferenced.len(),
                report.temp_files.len(),
                format::size(report.reclaimable_bytes)
            )?;
        }
        if report.is_clean() {
            writeln!(out, "ok")?;
        }
        out.flush()?;
    }
    if !report.is_clean() {
        bail!(failure);
    }
    Ok(())
}

pub async fn prune(ctx: &Context, store: Option<&str>, yes: bool, dry_run: bool) -> Result<()> {
    let location = location(store)?;
    if matches!(location, StoreLocation::Docker | StoreLocation::Podman) {
        return prune_engine(ctx, &location, yes, dry_run).await;
    }
    // A layout's prune is planned: every blob and file that goes, listed, is what the run
    // removes (ARCHITECTURE.md, "A confirmation is a contract").
    let store = layout(ctx, &location).await?;
    let plan = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || store.plan_prune()).await??
    };
    if !ctx.global.json {
        print_prune_plan(&plan)?;
    }
    if dry_run || plan.is_empty() {
        if ctx.global.json {
            ctx.print_json(&serde_json::json!({
                "store": plan.store,
                "plan": plan,
                "reclaimable_bytes": plan.freed_bytes,
                "dry_run": dry_run,
            }))?;
        }
        return Ok(());
    }
    if !yes {
        super::rm::ask(&tr!("cli-prune-confirm"))?;
    }
    let report = {
        let plan = plan.clone();
        tokio::task::spawn_blocking(move || store.prune_planned(&plan)).await??
    };
    let removed: Vec<String> = report
        .removed_blobs
        .iter()
        .map(ToString::to_string)
        .chain(report.removed_temp_files.iter().cloned())
        .collect();
    if ctx.global.json {
        return ctx.print_json(&serde_json::json!({
            "store": plan.store,
            "plan": plan,
            "report": store::PruneReport { removed, freed_bytes: report.freed_bytes },
            "dry_run": false,
        }));
    }
    outln!(
        "Removed {} items from {}, freed {}",
        removed.len(),
        plan.store,
        format::size(report.freed_bytes)
    )?;
    Ok(())
}

/// The plan, one line per blob or file that goes, after the sentence that sums it up.
fn print_prune_plan(plan: &PrunePlan) -> Result<()> {
    let label = plan.store.as_str();
    if plan.is_empty() {
        outln!("{}", tr!("cli-prune-nothing", store = label))?;
        return Ok(());
    }
    outln!(
        "{}",
        tr!(
            "cli-prune-plan",
            store = label,
            freed = format::size(plan.freed_bytes)
        )
    )?;
    for b in &plan.blobs {
        outln!("  {}  {}", b.digest, format::size(b.size))?;
    }
    for t in &plan.temp_files {
        outln!(
            "  blobs/sha256/{}  {}  ({})",
            t.name,
            format::size(t.size),
            tr!("cli-prune-temp-file")
        )?;
    }
    Ok(())
}

/// An engine prunes its dangling images itself; what it would free is all it can say first.
async fn prune_engine(
    ctx: &Context,
    location: &StoreLocation,
    yes: bool,
    dry_run: bool,
) -> Result<()> {
    let store = store::open(location, &ctx.settings).await?;
    let label = store.label();
    let usage = store.disk_usage().await?;
    if !ctx.global.json {
        if usage.reclaimable_bytes == 0 {
            outln!("{}", tr!("cli-prune-nothing", store = label.as_str()))?;
        } else {
            outln!(
                "{}",
                tr!(
                    "cli-prune-plan",
                    store = label.as_str(),
                    freed = format::size(usage.reclaimable_bytes)
                )
            )?;
        }
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(&serde_json::json!({
                "store": label,
                "reclaimable_bytes": usage.reclaimable_bytes,
                "dry_run": true,
            }))?;
        }
        return Ok(());
    }
    if !yes {
        super::rm::ask(&tr!("cli-prune-confirm"))?;
    }
    let report = store.prune().await?;
    if ctx.global.json {
        return ctx.print_json(&serde_json::json!({
            "store": label,
            "report": report,
            "dry_run": false,
        }));
    }
    outln!(
        "Removed {} items from {}, freed {}",
        report.removed.len(),
        label,
        format::size(report.freed_bytes)
    )?;
    Ok(())
}

/// `rm` of images of one local store: every plan is shown, one question is asked, then each
/// plan is carried out only if the store still plans the same.
pub async fn rm_local(ctx: &Context, images: &[ImageRef], yes: bool, dry_run: bool) -> Result<()> {
    let mut named = Vec::new();
    for image in images {
        let Some((location, name)) = StoreLocation::locate(image) else {
            bail!("{image} is not a local image");
        };
        if name.is_default() {
            bail!("rm needs an image name: {image}NAME");
        }
        if let Some((first, _)) = named.first()
            && *first != location
        {
            bail!("rm deletes in one store at a time: {first} and {location} differ");
        }
        named.push((location, name));
    }
    let Some((location, _)) = named.first() else {
        bail!("rm needs a reference");
    };
    let store = store::open(location, &ctx.settings).await?;
    let mut plans = Vec::new();
    for (_, name) in &named {
        plans.push(store.plan_delete(&name.to_string()).await?);
    }
    if !ctx.global.json {
        for plan in &plans {
            print_plan(plan)?;
        }
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(&serde_json::json!({ "plans": plans, "deleted": [], "dry_run": true }))?;
        }
        return Ok(());
    }
    if !yes {
        let force = plans.iter().any(|p| p.needs_force);
        super::rm::ask(if force {
            "Force the delete? [y/N]"
        } else {
            "Delete? [y/N]"
        })?;
    }
    let mut outcomes = Vec::new();
    for plan in &plans {
        outcomes.push(store::delete_planned(store.as_ref(), plan).await?);
    }
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "plans": plans,
            "deleted": outcomes,
            "dry_run": false,
        }))?;
    } else {
        let freed: Option<u64> = outcomes.iter().map(|o| o.freed_bytes).sum();
        match freed {
            Some(b) => outln!("Deleted. Freed {}.", format::size(b))?,
            None => outln!("Deleted.")?,
        }
    }
    Ok(())
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
