//! `load FILE --to docker:|podman:`: the tar goes to the engine as it is (engines read
//! docker-archives and OCI layouts alike); Berth reads it first only to learn the image's ID,
//! so that it can check the image arrived and give it the name asked for.

use super::archive_read::TarIndex;
use super::engine::{PIECE, finish_in_engine, follow};
use super::error::{Error, Result};
use super::events::{BlobCounts, ItemKind, ItemState, JobOutput};
use super::runner::JobCtx;
use super::source::blocking;
use crate::oci::LocalName;
use crate::store::StoreLocation;
use crate::store::engine::EngineKind;
use bollard::query_parameters::ImportImageOptions;
use bytes::Bytes;
use futures_util::StreamExt as _;
use std::io::Read as _;
use std::path::Path;
use tokio::sync::mpsc;

pub(crate) async fn load_file(
    ctx: &JobCtx,
    location: &StoreLocation,
    file: &Path,
    name: &LocalName,
) -> Result<JobOutput> {
    let kind = match location {
        StoreLocation::Podman => EngineKind::Podman,
        _ => EngineKind::Docker,
    };
    let engine = ctx.connections().engine(kind).await?;
    let image = {
        let path = file.to_owned();
        blocking(move || TarIndex::scan(&path)?.image(&LocalName::Default)).await?
    };
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    let item = ctx
        .board
        .add(file.display().to_string(), ItemKind::Image, size, None);
    item.set_state(ItemState::Active);
    let reader = std::fs::File::open(file).map_err(Error::io("open", file))?;
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(8);
    let counter = item.counter();
    tokio::task::spawn_blocking(move || {
        let mut reader = reader;
        loop {
            let mut buf = vec![0u8; PIECE];
            match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    counter.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
                    if tx.blocking_send(Ok(buf.into())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            }
        }
    });
    let body =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });
    let load = engine
        .client()
        .import_image_stream(ImportImageOptions::default(), body, None)
        .map(|r| r.map(|i| (i.id, i.stream.or(i.status), None, None)));
    follow(ctx, kind, load).await?;
    item.set_state(ItemState::Done);
    let (mut dest, digest) =
        finish_in_engine(ctx, &engine, kind, &image.config.clone().into(), name).await?;
    if let (true, Some(full)) = (name.is_default(), &image.full_name) {
        dest = format!("{kind}:{full}");
    }
    Ok(JobOutput::Loaded {
        dest,
        digest,
        blobs: BlobCounts::default(),
    })
}
