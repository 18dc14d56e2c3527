//! `rm REF [REF…]`: several tags or digests of repositories in one registry, or several
//! images of one local store. Say exactly what goes (each digest and every tag on it, marking
//! the tags that were not given), ask on a terminal, then carry out that plan and nothing
//! else: the registry is checked against the plan just before deleting (ARCHITECTURE.md,
//! "A confirmation is a contract").

use super::Context;
use crate::oci::{ImageRef, Reference, RegistryName, RegistryRef, Repository};
use crate::registry::{DeletePlan, Progress};
use crate::store::StoreLocation;
use crate::tr;
use anyhow::{Result, bail};
use std::io::{IsTerminal as _, Write as _};

pub async fn rm(ctx: &Context, references: &[String], yes: bool, dry_run: bool) -> Result<()> {
    let parsed = references
        .iter()
        .map(|r| ImageRef::parse(r))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let local = parsed
        .iter()
        .filter(|r| StoreLocation::locate(r).is_some())
        .count();
    if local == parsed.len() {
        return super::store_cmds::rm_local(ctx, &parsed, yes, dry_run).await;
    }
    if local > 0 {
        bail!(
            "rm takes images of one registry or of one local store, not both: {}",
            references.join(" ")
        );
    }
    let refs: Vec<RegistryRef> = parsed
        .into_iter()
        .filter_map(|r| match r {
            ImageRef::Registry(r) => Some(r),
            _ => None,
        })
        .collect();
    let (registry, repositories) = by_repository(&refs)?;
    let client = ctx.client(&registry).await?;
    let shown = ShownProgress::new(ctx.global.json);
    let mut groups: Vec<Vec<DeletePlan>> = Vec::new();
    for (repository, list) in &repositories {
        // The repository's one tag lookup: digests it knows are reused, the rest are asked
        // with bounded concurrency (ARCHITECTURE.md, "deleting").
        let plans = client
            .plan_delete_many(repository, list, |known, total| {
                shown.show(Progress { known, total });
            })
            .await?;
        groups.push(plans);
    }
    shown.finish();
    let plans: Vec<&DeletePlan> = groups.iter().flatten().collect();
    let at = |plan: &DeletePlan| RegistryRef {
        registry: registry.clone(),
        repository: plan.repository.clone(),
        tag: None,
        digest: Some(plan.digest.clone()),
    };
    if !ctx.global.json {
        for plan in &plans {
            print_plan(&at(plan), plan)?;
        }
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(&serde_json::json!({ "plans": plans, "deleted": [], "dry_run": true }))?;
        }
        return Ok(());
    }
    if !yes {
        ask(&tr!("cli-rm-confirm"))?;
    }
    let mut deleted = Vec::new();
    for group in &groups {
        if let Err(e) = client.delete_planned(group).await {
            if !ctx.global.json && !deleted.is_empty() {
                outln!("{}", tr!("cli-rm-partly", deleted = deleted.join(", ")))?;
            }
            return Err(e.into());
        }
        deleted.extend(group.iter().map(|p| at(p).to_string()));
    }
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({ "plans": plans, "deleted": deleted, "dry_run": false }))
    } else {
        outln!("{}", tr!("cli-rm-deleted"))?;
        Ok(())
    }
}

/// A repository and the references given in it.
type RepositoryRefs = (Repository, Vec<Reference>);

/// The one registry of `refs`, and its repositories in the order given, each with its
/// references. Several registries, or a reference without tag or digest, are errors.
fn by_repository(refs: &[RegistryRef]) -> Result<(RegistryName, Vec<RepositoryRefs>)> {
    let Some(first) = refs.first() else {
        bail!("rm needs a reference");
    };
    let registry = first.registry.clone();
    let mut repositories: Vec<RepositoryRefs> = Vec::new();
    for r in refs {
        if r.registry != registry {
            bail!(
                "rm deletes in one registry at a time: {} and {} differ",
                registry.host,
                r.registry.host
            );
        }
        if r.tag.is_none() && r.digest.is_none() {
            bail!("rm needs a tag or digest: {r}:TAG");
        }
        match repositories
            .iter_mut()
            .find(|(repo, _)| *repo == r.repository)
        {
            Some((_, list)) => list.push(r.reference()),
            None => repositories.push((r.repository.clone(), vec![r.reference()])),
        }
    }
    Ok((registry, repositories))
}

/// One digest and every tag that goes with it; tags that were not given say so.
fn print_plan(at: &RegistryRef, plan: &DeletePlan) -> std::io::Result<()> {
    outln!("{at}")?;
    if plan.tags.is_empty() {
        return outln!("  {}", tr!("cli-rm-no-tags"));
    }
    outln!("{}", tr!("cli-rm-tags-going", count = plan.tags.len()))?;
    for t in &plan.tags {
        if t.given {
            outln!("  {}", crate::format::escape(t.tag.as_str()))?;
        } else {
            let tag = crate::format::escape(t.tag.as_str());
            outln!("  {}", tr!("cli-rm-tag-not-given", tag = tag.as_ref()))?;
        }
    }
    Ok(())
}

/// Asks `question` on a terminal; anything but yes, or no terminal, is an error.
pub(super) fn ask(question: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!("{}", tr!("cli-rm-needs-yes"));
    }
    print!("{question} ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if !matches!(answer.trim(), "y" | "Y" | "yes") {
        bail!("{}", tr!("cli-rm-not-deleted"));
    }
    Ok(())
}

/// How a plan's tag lookup shows its progress on stderr: a bar on a terminal, otherwise a
/// line at every tenth of the way (so a log of a long plan shows it moving), nothing with
/// `--json`.
pub(super) enum ShownProgress {
    Bar(indicatif::ProgressBar),
    Lines(std::sync::atomic::AtomicUsize),
    Quiet,
}

impl ShownProgress {
    /// Steps of the line output: one line per tenth.
    const STEPS: usize = 10;

    pub(super) fn new(json: bool) -> Self {
        if json {
            return Self::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Self::Lines(std::sync::atomic::AtomicUsize::new(usize::MAX));
        }
        let bar = indicatif::ProgressBar::new(0);
        bar.set_message(tr!("cli-rm-sweeping"));
        Self::Bar(bar)
    }

    pub(super) fn show(&self, p: Progress) {
        match self {
            Self::Bar(b) => {
                b.set_length(p.total as u64);
                b.set_position(p.known as u64);
            }
            Self::Lines(last) => {
                // Only a fill that has something to ask prints.
                let step = p.known.saturating_mul(Self::STEPS) / p.total.max(1);
                let before = last.swap(step, std::sync::atomic::Ordering::Relaxed);
                if before != step && (before != usize::MAX || p.known < p.total) {
                    eprintln!(
                        "{}",
                        tr!("tag-lookup-progress", known = p.known, total = p.total)
                    );
                }
            }
            Self::Quiet => {}
        }
    }

    pub(super) fn finish(self) {
        if let Self::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}
