//! The reading commands: `repos`, `tags` and `inspect` against a registry.

use super::Context;
use super::inspect_text;
use crate::oci::{Platform, RegistryName, RegistryRef};
use anyhow::{Context as _, Result, bail};
use futures_util::TryStreamExt as _;
use std::io::Write as _;

pub async fn repos(ctx: &Context, registry: &str) -> Result<()> {
    let name = RegistryName::parse(registry)?;
    let client = ctx.client(&name).await?;
    let mut pages = std::pin::pin!(client.catalog());
    let mut all = Vec::new();
    // Human output streams page by page (a buffer a page); JSON needs the whole list.
    while let Some(page) = pages.try_next().await? {
        if !ctx.global.json {
            let mut out = super::buffered_stdout();
            for repo in &page {
                writeln!(out, "{}", crate::format::escape(repo))?;
            }
            out.flush()?;
        }
        all.extend(page);
    }
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({ "registry": name.host, "repositories": all }))?;
    }
    Ok(())
}

pub async fn tags(
    ctx: &Context,
    repository: &str,
    sort: super::tag_sort::TagSort,
    reverse: bool,
) -> Result<()> {
    let r = RegistryRef::parse(repository)?;
    if r.tag.is_some() || r.digest.is_some() {
        bail!("`tags` takes a repository without a tag or digest: {repository}");
    }
    if sort != super::tag_sort::TagSort::Name || reverse {
        return super::tag_sort::tags(ctx, &r, sort, reverse).await;
    }
    let client = ctx.client(&r.registry).await?;
    let tags = client.tags(&r.repository).await?;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "registry": r.registry.host,
            "repository": r.repository,
            "tags": tags,
        }))
    } else {
        let mut out = super::buffered_stdout();
        for t in &tags {
            writeln!(out, "{}", crate::format::escape(t))?;
        }
        out.flush()?;
        Ok(())
    }
}

pub async fn inspect(
    ctx: &Context,
    reference: &str,
    platform: Option<&str>,
    raw: bool,
) -> Result<()> {
    let wanted = match platform {
        Some(p) => Platform::parse(p)
            .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]"))?,
        None => Platform::host(),
    };
    if super::images::inspect_local(ctx, reference, &wanted, raw).await? {
        return Ok(());
    }
    let r = RegistryRef::parse(reference)?;
    let client = ctx.client(&r.registry).await?;
    if raw {
        let m = client.manifest(&r.repository, &r.reference()).await?;
        std::io::stdout().lock().write_all(&m.bytes)?;
        return Ok(());
    }
    let detail = client
        .inspect(&r.repository, &r.reference(), &wanted)
        .await?;
    if ctx.global.json {
        ctx.print_json(&detail)?;
    } else {
        let mut text = inspect_text::render(&detail);
        if detail.image.is_some() {
            let summary = crate::trust::collect(&client, &r.repository, &detail).await;
            text.push_str(&super::sbom::render_summary(&summary));
        }
        std::io::stdout().lock().write_all(text.as_bytes())?;
        let line = super::verify::summary(ctx, &r, &detail).await;
        outln!("{}", crate::format::escape(&line))?;
    }
    // An explicitly asked-for platform that does not exist is a failure; the host's
    // platform missing is shown as a note with the platforms that do exist.
    if detail.image.is_none() && platform.is_some() {
        let (available, nested) = crate::oci::image::offered_platforms(&detail.platforms);
        return Err(crate::registry::Error::PlatformNotFound {
            wanted: Box::new(wanted),
            available,
            nested,
        }
        .into());
    }
    Ok(())
}
