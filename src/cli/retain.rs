//! `retain REPO`: retention rules over a repository's tags (keep the newest N by date or
//! semantic version, only tags matching a glob, never those matching another, only tags older
//! than D days). The plan is always printed or shown first; then the existing delete job
//! carries out exactly that plan, checked against the registry before anything goes
//! (ARCHITECTURE.md, "deleting").

use super::Context;
use super::rm::{ShownProgress, ask};
use crate::jobs::{DeleteTarget, JobOutput, JobSpec};
use crate::oci::RegistryRef;
use crate::registry::retain::{self, GlobField, Order, Pattern, RetainPlan, Rules, facts};
use crate::tr;
use anyhow::{Result, bail};
use tokio_util::sync::CancellationToken;

#[derive(Debug, clap::Args)]
pub struct RetainArgs {
    /// HOST[:PORT]/REPO
    pub repository: String,
    /// Keep this many of the considered tags, newest first (0: every considered tag goes,
    /// which asks for its own confirmation).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub keep: usize,
    /// What "newest" means: the image's created date, or the tag read as a semantic version.
    #[arg(long, value_enum, default_value_t = By::Date)]
    pub by: By,
    /// Only consider tags matching this glob (`sha-*`); the others are kept.
    #[arg(long = "match", value_name = "GLOB")]
    pub matching: Option<String>,
    /// Never touch tags matching this glob.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Option<String>,
    /// Only delete tags created more than DAYS days ago.
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u64>,
    /// Also delete untagged manifests, where the registry can list them.
    #[arg(long)]
    pub untagged: bool,
    /// Only print the plan.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Date,
    Semver,
}

/// The rules of `args`, with `now` in Unix seconds; an invalid glob names its option.
pub fn rules(args: &RetainArgs, now: i64) -> std::result::Result<Rules, retain::Error> {
    let glob =
        |field, text: &Option<String>| text.as_deref().map(|t| Pattern::new(field, t)).transpose();
    Ok(Rules {
        keep: args.keep,
        by: match args.by {
            By::Date => Order::Date,
            By::Semver => Order::Semver,
        },
        matching: glob(GlobField::Match, &args.matching)?,
        exclude: glob(GlobField::Exclude, &args.exclude)?,
        older_than_days: args.older_than,
        untagged: args.untagged,
        now,
    })
}

pub async fn retain(ctx: &Context, args: RetainArgs) -> Result<()> {
    let r = RegistryRef::parse(&args.repository)?;
    if r.tag.is_some() || r.digest.is_some() {
        bail!(
            "`retain` takes a repository without a tag or digest: {}",
            args.repository
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let rules = rules(&args, now)?;
    let client = ctx.client(&r.registry).await?;
    // The facts the window's sort and Clean up… share, cached on disk by digest.
    let store = client.tag_facts(
        &r.repository,
        crate::registry::tag_facts::disk::default_dir(),
    );
    let shown = ShownProgress::new(ctx.global.json);
    let gathered = facts::gather(
        &client,
        &store,
        args.untagged,
        &CancellationToken::new(),
        |_, p| shown.show(p),
    )
    .await?;
    shown.finish();
    let plan = retain::plan(&rules, &gathered.facts);
    if let Some(notice) = &plan.notice {
        eprintln!("berth: {}", crate::i18n::describe(notice));
    }
    if !ctx.global.json {
        print_plan(&plan)?;
    }
    if args.dry_run || plan.is_empty() {
        if ctx.global.json {
            ctx.print_json(&plan)?;
        } else if plan.is_empty() {
            outln!("{}", tr!("cli-retain-nothing"))?;
        }
        return Ok(());
    }
    if !args.yes {
        if args.keep == 0 {
            ask(&tr!("cli-retain-confirm-all", count = plan.delete.len()))?;
        } else {
            ask(&tr!("cli-rm-confirm"))?;
        }
    }
    let targets = plan
        .delete_plans(&r.repository, &gathered.listed)
        .into_iter()
        .map(|plan| DeleteTarget::Registry {
            registry: r.registry.clone(),
            plan,
        })
        .collect();
    let output = super::job_view::run_job_with(ctx, JobSpec::Delete { targets }, false).await?;
    let JobOutput::Deleted { items } = output else {
        bail!("the delete job gave no delete results");
    };
    let mut failed = 0usize;
    for item in &items {
        let reference = crate::format::escape(&item.reference);
        if let Err(e) = &item.result {
            failed += 1;
            let reason = crate::i18n::describe(e);
            eprintln!(
                "{}",
                tr!(
                    "jobs-delete-item-failed",
                    reference = reference.as_ref(),
                    reason = reason
                )
            );
        } else if !ctx.global.json {
            outln!(
                "{}",
                tr!("jobs-delete-item-ok", reference = reference.as_ref())
            )?;
        }
    }
    if ctx.global.json {
        ctx.print_json(&plan)?;
    }
    if failed > 0 {
        bail!(
            "{}",
            tr!("cli-retain-failed", failed = failed, count = items.len())
        );
    }
    if !ctx.global.json {
        outln!("{}", tr!("cli-rm-deleted"))?;
    }
    Ok(())
}

/// The plan in words: each tag that goes (digest, date), the tags going along, the
/// protected ones with the kept tag protecting each, the kept ones with their reason, and the
/// estimate.
fn print_plan(plan: &RetainPlan) -> std::io::Result<()> {
    let date = |c: Option<i64>| c.map_or_else(|| tr!("cli-retain-no-date"), crate::format::rfc3339);
    let esc = |s: &str| crate::format::escape(s).into_owned();
    outln!("{}", tr!("cli-retain-delete", count = plan.delete.len()))?;
    for d in &plan.delete {
        let tag = d
            .tag
            .as_deref()
            .map_or_else(|| tr!("cli-retain-untagged"), esc);
        outln!("  {tag}  {}  {}", d.digest, date(d.created))?;
    }
    for (tag, digest) in plan.going_along() {
        outln!(
            "  {}",
            tr!(
                "cli-retain-going-along",
                tag = esc(tag),
                digest = digest.as_str()
            )
        )?;
    }
    if !plan.protected.is_empty() {
        outln!(
            "{}",
            tr!("cli-retain-protected", count = plan.protected.len())
        )?;
        for p in &plan.protected {
            outln!(
                "  {}",
                tr!(
                    "cli-retain-protected-by",
                    tag = esc(&p.tag),
                    digest = p.digest.as_str(),
                    because = esc(&p.because)
                )
            )?;
        }
    }
    outln!("{}", tr!("cli-retain-keep", count = plan.keep.len()))?;
    for k in &plan.keep {
        let reason = crate::i18n::describe_keep_reason(k.reason);
        outln!("  {}  {}  {reason}", esc(&k.tag), date(k.created))?;
    }
    outln!(
        "{}",
        tr!(
            "retain-estimate",
            size = crate::format::size(plan.bytes_freed_estimate)
        )
    )
}
