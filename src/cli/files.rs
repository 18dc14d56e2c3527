//! `berth files REF [--layer N | --merged]`: the files in an image's layers, straight from
//! the registry or a layout directory. Without a flag: one line per layer and the image's
//! efficiency. Also the image resolution and layer loading that `diff` shares.

use super::Context;
use crate::format;
use crate::layers::{
    self, BlobSource, Change, EntryKind, FileTree, LayerCache, LayerProgress, LayerRead,
    LayerState, mode_string, mtime_text,
};
use crate::oci::image::{ImageInfo, LayerInfo};
use crate::oci::{ImageRef, Platform};
use crate::store::StoreLocation;
use anyhow::{Context as _, Result, anyhow, bail};
use clap::Args;
use serde::Serialize;
use std::io::{BufWriter, IsTerminal as _, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct FilesArgs {
    /// REF: a registry image (HOST/REPO:TAG) or an OCI layout (oci:DIR:TAG).
    pub reference: String,
    /// List the entries of this layer (0 is the base layer).
    #[arg(long, value_name = "N", conflicts_with = "merged")]
    pub layer: Option<usize>,
    /// List the merged filesystem, each path marked with the layer that added, modified or
    /// removed it.
    #[arg(long)]
    pub merged: bool,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// How images are found and layers read; shared with `diff`.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// For a multi-platform image: the platform (os/arch[/variant]); the host's by default.
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// Read every layer again instead of using the layer cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// An image found by reference: its manifest and config, and where its blobs are.
pub struct ResolvedImage {
    pub name: String,
    pub info: ImageInfo,
    pub source: BlobSource,
}

pub async fn resolve(ctx: &Context, reference: &str, args: &LoadArgs) -> Result<ResolvedImage> {
    let platform = match &args.platform {
        Some(p) => Platform::parse(p)
            .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]"))?,
        None => Platform::host(),
    };
    match ImageRef::parse(reference)? {
        ImageRef::Registry(r) => {
            let client = ctx.client(&r.registry).await?;
            let detail = client
                .inspect(&r.repository, &r.reference(), &platform)
                .await?;
            let Some(info) = detail.image else {
                let available: Vec<String> = detail
                    .platforms
                    .iter()
                    .filter_map(|e| e.platform.as_ref().map(ToString::to_string))
                    .collect();
                return Err(crate::registry::Error::PlatformNotFound {
                    wanted: platform,
                    available,
                }
                .into());
            };
            Ok(ResolvedImage {
                name: r.to_string(),
                info,
                source: BlobSource::Registry {
                    client,
                    repository: r.repository.clone(),
                },
            })
        }
        local => {
            // Berth's store and any OCI layout: blobs are files in the layout directory.
            let Some((location, name)) = StoreLocation::of_ref(&local) else {
                bail!("{reference}: not a local store reference");
            };
            let dir = match &location {
                StoreLocation::Berth => crate::store::berth_store_dir(&ctx.settings)?,
                StoreLocation::Layout(dir) => dir.clone(),
                StoreLocation::Docker | StoreLocation::Podman => bail!(
                    "{reference}: `files` and `diff` read registries, Berth's store (berth:) \
                     and OCI layouts (oci:DIR:TAG), not engine images yet"
                ),
            };
            let store = crate::store::open(&location, &ctx.settings).await?;
            let detail = store.inspect(&name, &platform).await?;
            let Some(info) = detail.image else {
                bail!("{reference}: no image for platform {platform}; pick one with --platform");
            };
            Ok(ResolvedImage {
                name: reference.to_owned(),
                info,
                source: BlobSource::Layout { dir },
            })
        }
    }
}

/// Loads `which` layers of `image` (all when `None`), with a progress bar on a terminal.
pub async fn load(
    ctx: &Context,
    image: &ResolvedImage,
    which: Option<usize>,
    args: &LoadArgs,
) -> Result<Vec<LayerRead>> {
    let layers: Vec<LayerInfo> = match which {
        Some(n) => vec![image.info.layers.get(n).cloned().ok_or_else(|| {
            anyhow!(
                "{} has {} layers; --layer counts from 0",
                image.name,
                image.info.layers.len()
            )
        })?],
        None => image.info.layers.clone(),
    };
    let cache = if args.no_cache {
        None
    } else {
        LayerCache::open_default().ok()
    };
    let total: u64 = layers.iter().map(|l| l.size).sum();
    let bar = if std::io::stderr().is_terminal() && !ctx.global.json {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let seen = Arc::new(std::sync::Mutex::new(vec![0u64; layers.len()]));
    let progress = {
        let bar = bar.clone();
        Arc::new(move |p: LayerProgress| {
            let mut seen = seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let bytes = if p.state == LayerState::Cached {
                p.total
            } else {
                p.bytes_read
            };
            if let Some(s) = seen.get_mut(p.layer) {
                *s = bytes;
            }
            bar.set_position(seen.iter().sum());
        })
    };
    let reads = layers::load_layers(&image.source, &layers, cache.as_ref(), progress).await;
    bar.finish_and_clear();
    Ok(reads)
}

/// The first layer error, after the output that could still be made was printed.
pub fn first_error(reads: Vec<LayerRead>) -> Result<()> {
    match reads.into_iter().find_map(|r| r.error) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

pub async fn run(ctx: &Context, args: FilesArgs) -> Result<()> {
    let image = resolve(ctx, &args.reference, &args.load).await?;
    let reads = load(ctx, &image, args.layer, &args.load).await?;
    let mut out = BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
    if let Some(n) = args.layer {
        let layer = &image.info.layers[n];
        let read = &reads[0];
        if ctx.global.json {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({
                    "reference": image.name,
                    "layer": { "index": n, "digest": layer.digest, "media_type": layer.media_type, "size": layer.size },
                    "entries": EntriesJson(&read.listing),
                }),
            )
            .map_err(std::io::Error::from)?;
            writeln!(out)?;
        } else {
            write_entries(&mut out, &read.listing)?;
        }
    } else if args.merged {
        let merged = layers::merge(&reads.iter().map(|r| &r.listing).collect::<Vec<_>>());
        if ctx.global.json {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({
                    "reference": image.name,
                    "files": TreeJson(&merged.tree),
                    "efficiency": merged.efficiency,
                }),
            )
            .map_err(std::io::Error::from)?;
            writeln!(out)?;
        } else {
            write_tree(&mut out, &merged.tree)?;
        }
    } else {
        overview(ctx, &mut out, &image, &reads)?;
    }
    out.flush()?;
    drop(out);
    first_error(reads)
}

#[derive(Serialize)]
struct LayerJson<'a> {
    index: usize,
    digest: &'a crate::oci::Digest,
    media_type: &'a str,
    size: u64,
    entries: usize,
    file_bytes: u64,
    cached: bool,
    created_by: Option<&'a str>,
    error: Option<String>,
}

fn overview(
    ctx: &Context,
    out: &mut impl Write,
    image: &ResolvedImage,
    reads: &[LayerRead],
) -> Result<()> {
    let merged = layers::merge(&reads.iter().map(|r| &r.listing).collect::<Vec<_>>());
    let history: Vec<&str> = image
        .info
        .config
        .as_ref()
        .map(|c| {
            c.history
                .iter()
                .filter(|h| !h.empty_layer)
                .map(|h| h.created_by.as_str())
                .collect()
        })
        .unwrap_or_default();
    let rows: Vec<LayerJson<'_>> = image
        .info
        .layers
        .iter()
        .zip(reads)
        .enumerate()
        .map(|(i, (l, r))| LayerJson {
            index: i,
            digest: &l.digest,
            media_type: &l.media_type,
            size: l.size,
            entries: r.listing.len(),
            file_bytes: r.listing.file_bytes(),
            cached: r.cached,
            created_by: history.get(i).copied(),
            error: r.error.as_ref().map(ToString::to_string),
        })
        .collect();
    if ctx.global.json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({
                "reference": image.name,
                "digest": image.info.digest,
                "layers": rows,
                "efficiency": merged.efficiency,
            }),
        )
        .map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{} ({})", image.name, image.info.digest)?;
    for r in &rows {
        writeln!(
            out,
            "{:>3}  {}  {:>9}  {:>7} entries  {:>9} files  {}",
            r.index,
            r.digest.short(),
            format::size(r.size),
            r.entries,
            format::size(r.file_bytes),
            r.created_by.unwrap_or("").trim()
        )?;
        if let Some(e) = &r.error {
            writeln!(out, "     error: {e}")?;
        }
    }
    let e = &merged.efficiency;
    writeln!(
        out,
        "efficiency {:.1}%  ({} wasted of {} in files)",
        e.score * 100.0,
        format::size(e.wasted_bytes),
        format::size(e.total_bytes)
    )?;
    for w in e.wasted.iter().take(10) {
        let layers: Vec<String> = w.layers.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "  {:>9}  {}  (layers {})",
            format::size(w.bytes),
            w.path,
            layers.join(", ")
        )?;
    }
    Ok(())
}

fn write_entries(out: &mut impl Write, listing: &layers::LayerListing) -> Result<()> {
    for e in listing.iter() {
        write!(
            out,
            "{} {}/{} {:>9} {} {}",
            mode_string(e.kind, e.mode),
            e.uid,
            e.gid,
            size_text(e.kind, e.size),
            mtime_text(e.mtime),
            e.path_display()
        )?;
        match (e.kind, e.link_target()) {
            (EntryKind::Symlink, Some(t)) => write!(out, " -> {}", layers::display_path(t))?,
            (EntryKind::Hardlink, Some(t)) => write!(out, " link to {}", layers::display_path(t))?,
            _ => {}
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_tree(out: &mut impl Write, tree: &FileTree) -> Result<()> {
    for (id, _) in tree.walk() {
        let n = tree.node(id);
        let mark = match n.change {
            Change::Added => 'A',
            Change::Modified => 'M',
            Change::Removed => 'D',
        };
        write!(
            out,
            "{mark} {:>3} {} {:>9} {}",
            n.layer,
            mode_string(n.kind, n.mode),
            size_text(n.kind, n.total_size),
            tree.path_display(id)
        )?;
        if let Some(t) = tree.link_target(id) {
            write!(out, " -> {}", layers::display_path(t))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn size_text(kind: EntryKind, size: u64) -> String {
    match kind {
        EntryKind::File | EntryKind::Dir | EntryKind::Other => format::size(size),
        _ => "-".to_owned(),
    }
}

/// A layer's entries as JSON, serialized straight from the listing.
struct EntriesJson<'a>(&'a layers::LayerListing);

impl Serialize for EntriesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| EntryJson {
            path: e.path_display(),
            kind: e.kind,
            size: e.size,
            mode: e.mode,
            uid: e.uid,
            gid: e.gid,
            mtime: e.mtime,
            link_target: e.link_target().map(layers::display_path),
            change: None,
            layer: None,
        }))
    }
}

/// The merged tree as JSON, depth first in name order.
struct TreeJson<'a>(&'a FileTree);

impl Serialize for TreeJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        s.collect_seq(t.walk().map(|(id, _)| {
            let n = t.node(id);
            EntryJson {
                path: t.path_display(id).into(),
                kind: n.kind,
                size: n.total_size,
                mode: n.mode,
                uid: n.uid,
                gid: n.gid,
                mtime: n.mtime,
                link_target: t.link_target(id).map(layers::display_path),
                change: Some(n.change),
                layer: Some(n.layer),
            }
        }))
    }
}

#[derive(Serialize)]
struct EntryJson<'a> {
    path: std::borrow::Cow<'a, str>,
    #[serde(rename = "type")]
    kind: EntryKind,
    size: u64,
    mode: u32,
    uid: u64,
    gid: u64,
    mtime: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_target: Option<std::borrow::Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<u32>,
}
