//! `berth tags REPO --sort date|size [--reverse]` (issue 23): the tags sorted by their
//! manifests' created dates or sizes, learnt through the repository's tag facts
//! (`registry::tag_facts`, cached on disk), unknown values last. Sorted by name it is the
//! plain listing, turned around with `--reverse`. `--json` keeps `registry`, `repository` and
//! `tags` (now in this order) and adds `facts`, each tag's `created` (RFC 3339) and `size`.

use super::Context;
use crate::oci::RegistryRef;
use crate::registry::tag_facts::{SortKey, SortOrder, TagFacts, disk, sort};
use anyhow::Result;
use std::io::Write as _;
use tokio_util::sync::CancellationToken;

/// What `--sort` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TagSort {
    #[default]
    Name,
    Date,
    Size,
}

/// The sorted listing of `r`'s tags (a repository without tag or digest).
pub async fn tags(ctx: &Context, r: &RegistryRef, by: TagSort, reverse: bool) -> Result<()> {
    let client = ctx.client(&r.registry).await?;
    let tags = client.tags(&r.repository).await?;
    let key = match by {
        TagSort::Name => SortKey::Name,
        TagSort::Date => SortKey::Created,
        TagSort::Size => SortKey::Size,
    };
    let facts = if key == SortKey::Name {
        vec![None; tags.len()]
    } else {
        let store = client.tag_facts(&r.repository, disk::default_dir());
        store
            .facts_for(&client, &tags, &CancellationToken::new())
            .await?
    };
    let order = sort::order(&tags, &facts, SortOrder { key, reverse });
    if ctx.global.json {
        let sorted: Vec<&String> = order.iter().map(|&i| &tags[i]).collect();
        let mut doc = serde_json::json!({
            "registry": r.registry.host,
            "repository": r.repository,
            "tags": sorted,
        });
        if key != SortKey::Name {
            doc["facts"] = order
                .iter()
                .map(|&i| fact_json(&tags[i], facts[i]))
                .collect();
        }
        return ctx.print_json(&doc);
    }
    let mut out = super::buffered_stdout();
    for &i in &order {
        let tag = crate::format::escape(&tags[i]);
        if key == SortKey::Name {
            writeln!(out, "{tag}")?;
        } else {
            let f = facts[i].unwrap_or_default();
            let created = f
                .created
                .map_or_else(|| "-".to_owned(), crate::format::rfc3339);
            let size = f.size.map_or_else(|| "-".to_owned(), crate::format::size);
            writeln!(out, "{tag}\t{created}\t{size}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn fact_json(tag: &str, facts: Option<TagFacts>) -> serde_json::Value {
    let f = facts.unwrap_or_default();
    serde_json::json!({
        "tag": tag,
        "created": f.created.map(crate::format::rfc3339),
        "size": f.size,
    })
}
