//! `berth files REF [--layer N | --merged]`: the files in an image's layers, straight from
//! the registry or a layout directory. Without a flag: one line per layer and the image's
//! efficiency. Layers are numbered from 1 (the base layer), as in the window. Resolving and reading are the core's (`crate::inspect`); this file adds the
//! command line around them (flags, the progress bar, output) that `diff` shares.

use super::Context;
use crate::format;
use crate::inspect::{self, BytesRead, Place, ResolvedImage};
use crate::layers::{
    self, Change, EntryKind, FileTree, LayerCache, LayerProgress, LayerRead, mode_string,
    mtime_text,
};
use crate::oci::image::LayerInfo;
use crate::oci::{ImageRef, Platform};
use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use serde::Serialize;
use std::io::{BufWriter, IsTerminal as _, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct FilesArgs {
    /// REF: a registry image (HOST/REPO:TAG) or an OCI layout (oci:DIR:TAG).
    pub reference: String,
    /// List the entries of layer N (1 is the base layer, as in the window).
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

/// The platform `--platform` names, or the host's.
pub fn platform(args: &LoadArgs) -> Result<Platform> {
    match &args.platform {
        Some(p) => Platform::parse(p)
            .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]")),
        None => Ok(Platform::host()),
    }
}

/// Where `reference` lives, with a client for its registry when it names one.
pub async fn place(ctx: &Context, reference: &str) -> Result<Place> {
    let parsed = ImageRef::parse(reference)?;
    if let ImageRef::Registry(r) = parsed {
        let client = ctx.client(&r.registry).await?;
        return Ok(Place::Registry {
            client,
            reference: r,
        });
    }
    Place::local(&parsed).ok_or_else(|| anyhow!("{reference}: not a local store reference"))
}

/// The core's error with its registry or store error brought back out, so the one-line
/// message and the `--json` kind are the ones every other command gives for it.
pub fn cli_error(e: inspect::Error) -> anyhow::Error {
    match e {
        inspect::Error::Registry(e) => e.into(),
        inspect::Error::Store(e) => e.into(),
        inspect::Error::NoImage {
            wanted,
            available,
            nested,
            ..
        } => crate::registry::Error::PlatformNotFound {
            wanted,
            available,
            nested,
        }
        .into(),
        other => other.into(),
    }
}

/// Resolves `reference` (see [`inspect::resolve`]).
pub async fn resolve(ctx: &Context, reference: &str, args: &LoadArgs) -> Result<ResolvedImage> {
    let platform = platform(args)?;
    let place = place(ctx, reference).await?;
    inspect::resolve(place, &platform, &ctx.settings)
        .await
        .map_err(cli_error)
}

/// The layer cache, unless `--no-cache`.
pub fn cache(args: &LoadArgs) -> Option<LayerCache> {
    if args.no_cache {
        None
    } else {
        LayerCache::open_default().ok()
    }
}

/// A progress bar over `read` on a terminal (hidden otherwise, and with `--json`), and the
/// callback that moves it.
pub fn progress_bar(
    ctx: &Context,
    read: &Arc<BytesRead>,
) -> (indicatif::ProgressBar, Arc<dyn Fn() + Send + Sync>) {
    let bar = if std::io::stderr().is_terminal() && !ctx.global.json {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let moved = {
        let (bar, read) = (bar.clone(), Arc::clone(read));
        Arc::new(move || {
            bar.set_length(read.total());
            bar.set_position(read.read());
        })
    };
    (bar, moved)
}

/// Layer `n` (numbered from 1) of `image`, or an error that gives the layers there are.
fn numbered_layer(image: &ResolvedImage, n: usize) -> Result<&LayerInfo> {
    n.checked_sub(1)
        .and_then(|i| image.info.layers.get(i))
        .ok_or_else(|| {
            anyhow!(crate::tr!(
                "cli-files-no-layer",
                reference = image.name.clone(),
                n = n,
                count = image.info.layers.len()
            ))
        })
}

/// Loads `which` layers of `image` (all when `None`; one numbered from 1 otherwise), with a
/// progress bar on a terminal.
pub async fn load(
    ctx: &Context,
    image: &ResolvedImage,
    which: Option<usize>,
    args: &LoadArgs,
) -> Result<Vec<LayerRead>> {
    let layers: Vec<LayerInfo> = match which {
        Some(n) => vec![numbered_layer(image, n)?.clone()],
        None => image.info.layers.clone(),
    };
    load_these(ctx, image, layers, args).await
}

/// Loads the layers of `image` at `indexes` (from 0, in that order), with a progress bar
/// on a terminal.
pub async fn load_indexes(
    ctx: &Context,
    image: &ResolvedImage,
    indexes: &[usize],
    args: &LoadArgs,
) -> Result<Vec<LayerRead>> {
    let layers = indexes
        .iter()
        .filter_map(|&i| image.info.layers.get(i).cloned())
        .collect();
    load_these(ctx, image, layers, args).await
}

async fn load_these(
    ctx: &Context,
    image: &ResolvedImage,
    layers: Vec<LayerInfo>,
    args: &LoadArgs,
) -> Result<Vec<LayerRead>> {
    let cache = cache(args);
    let read = Arc::new(BytesRead::default());
    read.expect(&layers);
    let (bar, moved) = progress_bar(ctx, &read);
    let progress = Arc::new(move |p: LayerProgress| {
        read.report(p.layer, &p);
        moved();
    });
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
        let layer = numbered_layer(&image, n)?;
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
                    "efficiency": numbered(&merged.efficiency),
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
            index: i + 1,
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
            crate::format::escape(r.created_by.unwrap_or("").trim())
        )?;
        if let Some(e) = &r.error {
            writeln!(out, "     error: {}", crate::format::one_line(e, 1000))?;
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
        let layers: Vec<String> = w.layers.iter().map(|l| (l + 1).to_string()).collect();
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

/// The efficiency as JSON, its wasted files' layers numbered from 1 like every other layer
/// number the CLI prints.
fn numbered(e: &layers::Efficiency) -> serde_json::Value {
    let mut e = e.clone();
    for w in &mut e.wasted {
        for l in &mut w.layers {
            *l += 1;
        }
    }
    serde_json::to_value(e).unwrap_or_default()
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
            n.layer + 1,
            mode_string(n.kind, n.mode),
            size_text(n.kind, n.total_size),
            tree.path_display(id)
        )?;
        if let Some(t) = tree.link_target(id) {
            write!(out, " -> {}", layers::display_path(t))?;
        }
        if let Some(r) = n.replaced {
            let note = crate::tr!("files-replaced-short", kind = r.kind_key(), n = r.layer + 1);
            write!(out, " ({note})")?;
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
            sha256: e.sha256.as_ref().map(layers::sha256_hex),
            change: None,
            layer: None,
            replaced: None,
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
                // A removed file keeps the hash it had: what went, not what is there.
                sha256: n.sha256.as_ref().map(layers::sha256_hex),
                change: Some(n.change),
                layer: Some(n.layer + 1),
                replaced: n.replaced.map(|r| ReplacedJson {
                    kind: r.kind,
                    layer: r.layer + 1,
                }),
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
    /// Hex SHA-256 of a file's bytes (files only), to check a file without extracting it.
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<u32>,
    /// In the merged tree: the lower layer's non-directory this directory replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced: Option<ReplacedJson>,
}

#[derive(Serialize)]
struct ReplacedJson {
    #[serde(rename = "type")]
    kind: EntryKind,
    /// Numbered from 1, as `layer`.
    layer: u32,
}
