//! The copy job (pull, push, copy, retag): resolves both ends of the reference grammar
//! (ARCHITECTURE.md) and moves the image. Registries and layout stores are copied blob by
//! blob (every blob at once, bounded by the runner's permits); an engine destination pulls or
//! loads the image itself; an engine source is exported first.

use super::Platforms;
use super::engine;
use super::error::{Error, Result};
use super::events::{BlobCounts, JobMessage, JobOutput};
use super::plan::plan;
use super::runner::JobCtx;
use super::sink::{Fate, Sink};
use super::source::Source;
use crate::oci::{ImageName, ImageRef, LocalName, tag_or_default};
use crate::store::engine::EngineKind;
use crate::store::layout::RefName;
use crate::store::{LayoutStore, StoreLocation};

pub(crate) async fn run(
    ctx: &JobCtx,
    source: ImageRef,
    dest: ImageRef,
    platforms: Platforms,
) -> Result<JobOutput> {
    if let Some(kind) = engine_kind(&source) {
        let name = local_name(&source);
        let exported = engine::export_to_layout(ctx, kind, &name).await?;
        let src = Source::Layout {
            store: exported.store.clone(),
            name: exported.name.clone(),
        };
        return copy_from(ctx, src, &dest, platforms).await;
    }
    let src = open_source(ctx, &source).await?;
    copy_from(ctx, src, &dest, platforms).await
}

async fn copy_from(
    ctx: &JobCtx,
    src: Source,
    dest: &ImageRef,
    platforms: Platforms,
) -> Result<JobOutput> {
    if let Some(kind) = engine_kind(dest) {
        let name = match local_name(dest) {
            LocalName::Default => src.default_name(),
            n => n,
        };
        return match &src {
            Source::Registry { .. } => engine::pull(ctx, kind, &src, &name, &platforms).await,
            Source::Layout { .. } => {
                engine::load_from_layout(ctx, kind, &src, &name, &platforms).await
            }
        };
    }
    let sink = open_sink(ctx, dest, &src).await?;
    copy_image(ctx, &src, &sink, &platforms).await
}

/// Copies the image `src` names into `sink`.
pub(crate) async fn copy_image(
    ctx: &JobCtx,
    src: &Source,
    sink: &Sink,
    platforms: &Platforms,
) -> Result<JobOutput> {
    let top = src.top().await?;
    ctx.message(JobMessage::Resolved {
        reference: src.default_name().to_string(),
        digest: top.digest.clone(),
        media_type: top.media_type.clone(),
    })
    .await;
    let mut messages = Vec::new();
    let plan = plan(src, top, platforms, &mut messages).await?;
    for m in messages {
        ctx.message(m).await;
    }
    // Only a registry's blobs are fetched from where a killed pull stopped.
    let resumable = match src {
        Source::Registry { .. } => plan.blobs.clone(),
        Source::Layout { .. } => Vec::new(),
    };
    let mut leftovers = sink.prepare(ctx, resumable).await?;
    let transfers = plan.blobs.iter().map(|b| {
        let item = ctx.board.add(b.digest.to_string(), b.kind, b.size, None);
        sink.put_blob(ctx, src, b, item, leftovers.remove(&b.digest))
    });
    let fates = futures_util::future::try_join_all(transfers).await?;
    sink.finish(&plan).await?;
    let mut blobs = BlobCounts::default();
    for (fate, b) in fates.iter().zip(&plan.blobs) {
        match fate {
            Fate::Transferred => {
                blobs.fetched += 1;
                blobs.bytes += b.size;
            }
            Fate::Present => blobs.present += 1,
            Fate::Mounted => blobs.mounted += 1,
        }
    }
    Ok(JobOutput::Copied {
        dest: sink.display(),
        digest: plan.root.digest.clone(),
        media_type: plan.root.media_type.clone(),
        blobs,
    })
}

pub(crate) fn engine_kind(r: &ImageRef) -> Option<EngineKind> {
    match r {
        ImageRef::Docker { .. } => Some(EngineKind::Docker),
        ImageRef::Podman { .. } => Some(EngineKind::Podman),
        _ => None,
    }
}

/// The name within a local store ([`LocalName::Default`] when none was given).
fn local_name(r: &ImageRef) -> LocalName {
    StoreLocation::locate(r).map(|(_, n)| n).unwrap_or_default()
}

/// Opens a registry or layout source (an existing layout: a typo does not create one).
pub(crate) async fn open_source(ctx: &JobCtx, r: &ImageRef) -> Result<Source> {
    if let ImageRef::Registry(rr) = r {
        let ep = ctx.connections().registry(&rr.registry).await?;
        return Ok(Source::Registry {
            ep,
            repository: rr.repository.clone(),
            reference: rr.reference(),
            name: rr.image_name(),
            tag: rr.tag_or_default(),
        });
    }
    let Some((location, name)) = StoreLocation::locate(r) else {
        return Err(unsupported(r, r));
    };
    let store = match &location {
        StoreLocation::Berth => ctx.connections().layout(&location).await?,
        StoreLocation::Layout(dir) => {
            let dir = dir.clone();
            Some(super::source::blocking(move || Ok(LayoutStore::open(&dir)?)).await?)
        }
        StoreLocation::Docker | StoreLocation::Podman => None,
    };
    let Some(store) = store else {
        return Err(unsupported(r, r));
    };
    // A berth: name resolves to the entry's full name, which a destination then takes.
    let full = {
        let (store, name) = (store.clone(), name.clone());
        super::source::blocking(move || {
            let index = store.read_index()?;
            let entry = &index.manifests[store.resolve_one(&index, &name)?];
            Ok(entry.ref_name().display().map(str::to_owned))
        })
        .await?
    };
    Ok(Source::Layout {
        store,
        name: full.map_or(name, |n| LocalName::parse(&n)),
    })
}

/// Opens the destination; a missing name or tag comes from the source.
async fn open_sink(ctx: &JobCtx, dest: &ImageRef, src: &Source) -> Result<Sink> {
    match dest {
        ImageRef::Registry(rr) => Ok(Sink::Registry {
            ep: ctx.connections().registry(&rr.registry).await?,
            repository: rr.repository.clone(),
            tag: rr.tag.clone().or_else(|| src.tag()),
        }),
        ImageRef::Berth { name } => {
            let store = ctx
                .connections()
                .layout(&StoreLocation::Berth)
                .await?
                .ok_or_else(|| unsupported(dest, dest))?;
            let name = if name.is_default() {
                src.default_name()
            } else {
                name.clone()
            };
            Ok(Sink::Layout {
                store,
                name: RefName::image(&berth_name(name)),
            })
        }
        ImageRef::OciDir { dir, name } => {
            let store = ctx
                .connections()
                .layout(&StoreLocation::Layout(dir.clone()))
                .await?
                .ok_or_else(|| unsupported(dest, dest))?;
            // A layout keeps the name as its tag, as skopeo's `oci:DIR:TAG` does.
            let tag = (!name.is_default())
                .then(|| name.to_string())
                .or_else(|| src.tag());
            let tag = tag_or_default(tag.as_deref());
            Ok(Sink::Layout {
                store,
                name: RefName::tag(tag),
            })
        }
        ImageRef::Docker { .. } | ImageRef::Podman { .. } => Err(unsupported(dest, dest)),
    }
}

/// The name a Berth store entry takes. Berth names every image by a full name; a source
/// without one (an unnamed layout entry, named by digest or not at all) lends its text.
fn berth_name(name: LocalName) -> ImageName {
    match name {
        LocalName::Name(n) => n,
        other => ImageName::parse(&other.to_string()),
    }
}

pub(crate) fn kind_name(r: &ImageRef) -> &'static str {
    match r {
        ImageRef::Registry(_) => "registry",
        ImageRef::Berth { .. } => "berth",
        ImageRef::OciDir { .. } => "oci",
        ImageRef::Docker { .. } => "docker",
        ImageRef::Podman { .. } => "podman",
    }
}

fn unsupported(a: &ImageRef, b: &ImageRef) -> Error {
    tracing::debug!(source = %a, dest = %b, "unsupported copy");
    Error::Unsupported {
        source_kind: kind_name(a),
        target_kind: kind_name(b),
    }
}
