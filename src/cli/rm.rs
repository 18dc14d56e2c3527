//! `rm`: say exactly what goes (the digest and every tag that shares it), ask on a terminal,
//! then delete by digest.

use super::Context;
use crate::oci::RegistryRef;
use crate::tr;
use anyhow::{Result, bail};
use std::io::{IsTerminal as _, Write as _};

pub async fn rm(ctx: &Context, reference: &str, yes: bool, dry_run: bool) -> Result<()> {
    // berth:, oci:, docker: and podman: references are local images.
    if super::store_cmds::rm_local(ctx, reference, yes, dry_run).await? {
        return Ok(());
    }
    let r = RegistryRef::parse(reference)?;
    if r.tag.is_none() && r.digest.is_none() {
        bail!("rm needs a tag or digest: {reference}:TAG");
    }
    let client = ctx.client(&r.registry).await?;
    let bar = progress_bar(ctx.global.json);
    let plan = client
        .plan_delete(&r.repository, &r.reference(), |done, total| {
            if let Some(b) = &bar {
                b.set_length(total as u64);
                b.set_position(done as u64);
            }
        })
        .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !ctx.global.json {
        outln!("{}/{}@{}", r.registry.host, plan.repository, plan.digest)?;
        if plan.tags.is_empty() {
            outln!("  {}", tr!("cli-rm-no-tags"))?;
        } else {
            outln!("{}", tr!("cli-rm-tags-going", count = plan.tags.len()))?;
            for t in &plan.tags {
                outln!("  {t}")?;
            }
        }
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(
                &serde_json::json!({ "plan": plan, "deleted": false, "dry_run": true }),
            )?;
        }
        return Ok(());
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("{}", tr!("cli-rm-needs-yes"));
        }
        print!("{} ", tr!("cli-rm-confirm"));
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            bail!("{}", tr!("cli-rm-not-deleted"));
        }
    }
    client
        .delete_manifest(&plan.repository, &plan.digest.clone().into())
        .await?;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({ "plan": plan, "deleted": true, "dry_run": false }))
    } else {
        outln!("{}", tr!("cli-rm-deleted"))?;
        Ok(())
    }
}

fn progress_bar(json: bool) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_message(tr!("cli-rm-sweeping"));
    Some(bar)
}
