//! `untag REF [REF…]`: remove tags while the other tags on their digests stay (issue 23).
//! Plans first (each tag's digest, the tags that stay on it, and the method the registry
//! takes, found by a probe that changes nothing), prints the plan, asks on a terminal, then
//! carries out that plan: each tag is checked again just before it is removed, and its
//! siblings after (ARCHITECTURE.md, "A confirmation is a contract").

use super::Context;
use crate::oci::{ImageRef, RegistryName, RegistryRef, Repository};
use crate::registry::{UntagMethod, UntagPlan};
use crate::tr;
use anyhow::{Result, bail};

pub async fn untag(ctx: &Context, references: &[String], yes: bool, dry_run: bool) -> Result<()> {
    let (registry, repositories) = by_repository(references)?;
    let client = ctx.client(&registry).await?;
    let mut plans: Vec<UntagPlan> = Vec::new();
    for (repository, tags) in &repositories {
        let planned = client.plan_untag(repository, tags, |_| {}).await?;
        for tag in tags {
            if !planned.iter().any(|p| p.tag == *tag) {
                bail!(crate::registry::Error::NotFound {
                    what: format!("{repository}:{tag}"),
                    codes: Vec::new(),
                });
            }
        }
        plans.extend(planned);
    }
    let at = |plan: &UntagPlan| RegistryRef {
        registry: registry.clone(),
        repository: plan.repository.clone(),
        tag: Some(plan.tag.clone()),
        digest: None,
    };
    if !ctx.global.json {
        for plan in &plans {
            print_plan(&at(plan), plan)?;
        }
    }
    if dry_run {
        if ctx.global.json {
            ctx.print_json(&serde_json::json!({ "plans": plans, "results": [], "dry_run": true }))?;
        }
        return Ok(());
    }
    if !yes {
        super::rm::ask(&tr!("cli-untag-confirm"))?;
    }
    let mut results = Vec::new();
    let mut failed = 0;
    for plan in &plans {
        let also: Vec<String> = plans
            .iter()
            .filter(|p| p.repository == plan.repository && p.tag != plan.tag)
            .map(|p| p.tag.clone())
            .collect();
        let reference = at(plan).to_string();
        match client.untag_planned(plan, &also).await {
            Ok(done) => {
                if !ctx.global.json {
                    outln!("{}", tr!("cli-untag-done", reference = reference.as_str()))?;
                }
                results.push(
                    serde_json::json!({ "reference": reference, "ok": true, "untagged": done }),
                );
            }
            Err(e) => {
                failed += 1;
                if !ctx.global.json {
                    outln!(
                        "{}",
                        tr!(
                            "cli-untag-failed",
                            reference = reference.as_str(),
                            reason = crate::i18n::describe_error(&e)
                        )
                    )?;
                }
                results.push(serde_json::json!({
                    "reference": reference,
                    "ok": false,
                    "error": { "kind": e.kind(), "message": e.to_string() },
                }));
            }
        }
    }
    if ctx.global.json {
        ctx.print_json(
            &serde_json::json!({ "plans": plans, "results": results, "dry_run": false }),
        )?;
    }
    if failed > 0 {
        bail!("{}", tr!("cli-untag-some-failed", count = failed));
    }
    Ok(())
}

/// A repository and the tags given in it.
type RepositoryTags = (Repository, Vec<String>);

/// The one registry of `references`, and its repositories in the order given, each with its
/// tags. Several registries, a digest, or a reference without a tag are errors.
fn by_repository(references: &[String]) -> Result<(RegistryName, Vec<RepositoryTags>)> {
    let mut registry: Option<RegistryName> = None;
    let mut repositories: Vec<RepositoryTags> = Vec::new();
    for text in references {
        let ImageRef::Registry(r) = ImageRef::parse(text)? else {
            bail!("untag removes tags in a registry: {text}");
        };
        let (Some(tag), None) = (&r.tag, &r.digest) else {
            bail!("untag needs a tag and no digest: {text}");
        };
        match &registry {
            Some(first) if *first != r.registry => bail!(
                "untag works in one registry at a time: {} and {} differ",
                first.host,
                r.registry.host
            ),
            Some(_) => {}
            None => registry = Some(r.registry.clone()),
        }
        match repositories
            .iter_mut()
            .find(|(repo, _)| *repo == r.repository)
        {
            Some((_, tags)) if tags.contains(tag) => {}
            Some((_, tags)) => tags.push(tag.clone()),
            None => repositories.push((r.repository.clone(), vec![tag.clone()])),
        }
    }
    let Some(registry) = registry else {
        bail!("untag needs a reference");
    };
    Ok((registry, repositories))
}

/// One tag: its digest, the tags that stay on it, and how it is removed.
fn print_plan(at: &RegistryRef, plan: &UntagPlan) -> std::io::Result<()> {
    outln!("{at}")?;
    outln!(
        "  {}",
        tr!("cli-untag-digest", digest = plan.digest.as_str())
    )?;
    if plan.siblings.is_empty() {
        outln!("  {}", tr!("cli-untag-no-siblings"))?;
    } else {
        let tags: Vec<String> = plan
            .siblings
            .iter()
            .map(|t| crate::format::escape(t).into_owned())
            .collect();
        outln!(
            "  {}",
            tr!(
                "cli-untag-siblings",
                count = tags.len(),
                tags = tags.join(", ")
            )
        )?;
    }
    outln!("  {}", method_line(plan.method))
}

/// How the registry removes the tag, in words (the window says the same).
#[must_use]
pub fn method_line(method: UntagMethod) -> String {
    tr!("untag-method", method = method.as_str())
}
