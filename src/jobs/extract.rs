//! The Extract job: a file or a folder of an image (the merged filesystem or one layer) into
//! a directory, one file, or a tar (`layers::extract`). It resolves the image (a registry,
//! Berth's store or an `oci:` layout; an engine's image must be copied to Berth's store
//! first), lists its layers (through the layer cache when it is given one), and extracts with
//! progress in bytes of file data and the job's cancellation token. The result lists what was
//! skipped and why.

use super::runner::JobCtx;
use super::{Error, ItemKind, ItemState, JobOutput, Result};
use crate::inspect::{self, Place};
use crate::layers::extract::{self, Destination, Request};
use crate::layers::{self, LayerCache};
use crate::oci::{ImageRef, Platform};
use std::path::PathBuf;
use std::sync::Arc;

/// What an Extract job does. Plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractSpec {
    pub source: ImageRef,
    pub platform: Platform,
    /// The path in the image (`/` for everything), as the tar spells it.
    pub path: Vec<u8>,
    /// One layer (an index from 0) instead of the merged filesystem.
    pub layer: Option<usize>,
    pub dest: Destination,
    /// The layer listing cache's directory, when listings may come from it.
    pub layer_cache: Option<PathBuf>,
}

impl ExtractSpec {
    /// Where the job writes, as the user would type it.
    #[must_use]
    pub fn dest_path(&self) -> &std::path::Path {
        match &self.dest {
            Destination::Dir(p) | Destination::File(p) | Destination::Tar(p) => p,
        }
    }
}

pub(crate) async fn run(ctx: &JobCtx, spec: ExtractSpec) -> Result<JobOutput> {
    let place = match &spec.source {
        ImageRef::Registry(r) => Place::Registry {
            client: ctx.shared.connections.registry(&r.registry).await?.client,
            reference: r.clone(),
        },
        other => Place::local(other).ok_or(Error::Unsupported {
            source_kind: "this reference",
            target_kind: "a directory",
        })?,
    };
    let settings = ctx.shared.connections.settings().clone();
    let image = tokio::select! {
        biased;
        () = ctx.cancel.cancelled() => return Err(Error::Cancelled),
        r = inspect::resolve(place, &spec.platform, &settings) => r?,
    };
    let cache = spec.layer_cache.clone().map(LayerCache::new);
    let reads = tokio::select! {
        biased;
        () = ctx.cancel.cancelled() => return Err(Error::Cancelled),
        r = image.load(cache.as_ref(), Arc::new(|_| {})) => r,
    };
    let mut listings = Vec::with_capacity(reads.len());
    let mut indexes = Vec::with_capacity(reads.len());
    for mut read in reads {
        indexes.push(read.index.take());
        listings.push(read.into_result().map_err(extract::Error::Layer)?);
    }
    let request = Request {
        path: spec.path.clone(),
        layer: spec.layer,
    };
    let total = extract::plan(&listings, &request, None)?.total_bytes;
    let item = ctx.board.add(
        layers::display_path(&spec.path).into_owned(),
        ItemKind::Layer,
        total,
        None,
    );
    item.set_state(ItemState::Active);
    let progress = {
        let item = item.clone();
        Arc::new(move |done: u64, _total: u64| item.set_done(done))
    };
    let report = extract::extract(
        &image.source,
        &image.info.layers,
        &listings,
        &indexes,
        &request,
        &spec.dest,
        &ctx.cancel,
        progress,
    )
    .await
    .map_err(|e| match e {
        extract::Error::Cancelled => Error::Cancelled,
        other => Error::Extract(other),
    })?;
    item.set_state(ItemState::Done);
    Ok(JobOutput::Extracted {
        dest: spec.dest_path().to_path_buf(),
        report,
    })
}
