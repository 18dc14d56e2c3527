//! `images [STORE]`, `tag SRC DST` and local `inspect`: the local stores (Berth's layout
//! store by default, `oci:DIR`, `docker:`, `podman:`) through the `LocalStore` trait.

use super::Context;
use super::inspect_text;
use crate::format;
use crate::oci::{ImageRef, LocalName, Platform};
use crate::store::{self, LocalStore, StoreLocation};
use anyhow::{Context as _, Result, bail};
use std::io::Write as _;

/// Parses a STORE argument; none means Berth's own store.
pub(super) fn location(store: Option<&str>) -> Result<StoreLocation> {
    match store {
        None => Ok(StoreLocation::Berth),
        Some(s) => StoreLocation::parse(s).with_context(|| {
            format!("{s:?} is not a local store: expected berth:, oci:DIR, docker: or podman:")
        }),
    }
}

/// Opens the store a local reference points into; `None` for registry references.
pub(super) async fn open_ref(
    ctx: &Context,
    reference: &str,
) -> Result<Option<(Box<dyn LocalStore>, StoreLocation, LocalName)>> {
    let parsed = ImageRef::parse(reference)?;
    let Some((location, name)) = StoreLocation::locate(&parsed) else {
        return Ok(None);
    };
    let store = store::open(&location, &ctx.settings).await?;
    Ok(Some((store, location, name)))
}

pub async fn images(ctx: &Context, store: Option<&str>) -> Result<()> {
    let location = location(store)?;
    let store = store::open(&location, &ctx.settings).await?;
    let images = store.list().await?;
    let usage = store.disk_usage().await?;
    if ctx.global.json {
        return ctx.print_json(&serde_json::json!({
            "store": store.label(),
            "kind": store.kind(),
            "images": images,
            "usage": usage,
        }));
    }
    let rows: Vec<[String; 5]> = images
        .iter()
        .map(|i| {
            [
                // Names and dates come from the store's files: shown escaped.
                i.reference
                    .as_deref()
                    .map_or_else(|| "<none>".to_owned(), |r| format::escape(r).into_owned()),
                i.digest.short().to_owned(),
                format::size(i.size),
                format::escape(i.created.as_deref().unwrap_or_default()).into_owned(),
                i.platforms
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
                    + if i.complete { "" } else { " (incomplete)" },
            ]
        })
        .collect();
    let header = ["REFERENCE", "DIGEST", "SIZE", "CREATED", "PLATFORM"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.len());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = super::buffered_stdout();
    for r in std::iter::once(&header).chain(&rows) {
        let line = r
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(
        out,
        "\n{}: {}, {} on disk, {} reclaimable (berth prune {location})",
        store.label(),
        count(usage.images, "image"),
        format::size(usage.total_bytes),
        format::size(usage.reclaimable_bytes),
    )?;
    out.flush()?;
    Ok(())
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `tag SRC DST`: a new name in the same store. DST may leave out the store prefix.
pub async fn tag(ctx: &Context, source: &str, target: &str) -> Result<()> {
    let Some((store, location, name)) = open_ref(ctx, source).await? else {
        bail!(
            "tag works on local stores (berth:, oci:DIR, docker:, podman:); use cp for registries"
        );
    };
    let target_name = match ImageRef::parse(target)
        .ok()
        .and_then(|r| StoreLocation::locate(&r))
    {
        Some((target_location, n)) if target_location == location => n,
        Some((target_location, _)) => {
            return Err(store::Error::CrossStore {
                source_store: location.to_string(),
                target_store: target_location.to_string(),
            }
            .into());
        }
        None => LocalName::parse(target),
    };
    let LocalName::Name(target_name) = target_name else {
        bail!("tag needs a name for the target: {location}NAME");
    };
    store.tag(&name, &target_name).await?;
    if ctx.global.json {
        ctx.print_json(&serde_json::json!({
            "store": store.label(),
            "source": name.to_string(),
            "target": target_name.to_string(),
        }))
    } else {
        outln!("Tagged {source} as {target_name} in {}", store.label())?;
        Ok(())
    }
}

/// `inspect` for a local reference; `Ok(false)` when `reference` names a registry image.
// For `read::inspect` to call first, as `rm` does with `rm_local`.
pub async fn inspect_local(
    ctx: &Context,
    reference: &str,
    platform: &Platform,
    raw: bool,
) -> Result<bool> {
    let Some((store, _, name)) = open_ref(ctx, reference).await? else {
        return Ok(false);
    };
    let detail = store.inspect(&name, platform).await?;
    if raw {
        std::io::stdout().lock().write_all(&detail.raw_manifest)?;
    } else if ctx.global.json {
        ctx.print_json(&detail)?;
    } else {
        let text = inspect_text::render(&detail);
        std::io::stdout().lock().write_all(text.as_bytes())?;
    }
    Ok(true)
}
