//! Docker and Podman as a destination or a source. A registry image is pulled by the engine
//! itself (create-image, with `X-Registry-Auth` built from the job's credentials); an image
//! from a layout store is streamed to the engine as a docker-archive; an engine image is
//! exported (`docker save`) and read into a temporary layout store.
//!
//! Podman answers a failed pull with HTTP 200 and the error inside the stream, so an error
//! anywhere in the stream fails the job, and the image must be there when the stream ends.

use super::archive_read::{self, NameStyle};
use super::archive_write::{ArchiveNames, TarSender, send_image};
use super::error::{Error, Result};
use super::events::{BlobCounts, ItemKind, ItemState, JobMessage, JobOutput};
use super::plan::plan;
use super::runner::JobCtx;
use super::source::Source;
use super::{ArchiveFormat, Platforms};
use crate::oci::LocalName;
use crate::registry::Credentials;
use crate::store::LayoutStore;
use crate::store::engine::{EngineKind, EngineStore};
use bollard::auth::DockerCredentials;
use bollard::query_parameters::{CreateImageOptions, ImportImageOptions};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use std::io::Write;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::mpsc;

/// `X-Registry-Auth` from the credentials Berth uses for the same registry.
fn docker_credentials(credentials: &Credentials, host: &str) -> Option<DockerCredentials> {
    match credentials {
        Credentials::Anonymous => None,
        Credentials::Basic { username, password } => Some(DockerCredentials {
            username: Some(username.clone()),
            password: Some(password.expose().to_owned()),
            serveraddress: Some(host.to_owned()),
            ..DockerCredentials::default()
        }),
        Credentials::IdentityToken(token) => Some(DockerCredentials {
            identitytoken: Some(token.expose().to_owned()),
            serveraddress: Some(host.to_owned()),
            ..DockerCredentials::default()
        }),
    }
}

fn engine_error(kind: EngineKind, e: &bollard::errors::Error) -> Error {
    let reason = match e {
        bollard::errors::Error::DockerStreamError { error } => error.clone(),
        bollard::errors::Error::DockerResponseServerError { message, .. } => message.clone(),
        other => other.to_string(),
    };
    Error::Engine {
        engine: kind.to_string(),
        reason,
    }
}

/// The registry image `src` names, pulled by the engine, then named `name`.
pub(crate) async fn pull(
    ctx: &JobCtx,
    kind: EngineKind,
    src: &Source,
    name: &LocalName,
    platforms: &Platforms,
) -> Result<JobOutput> {
    let Source::Registry { ep, name: from, .. } = src else {
        return Err(Error::Unsupported {
            source_kind: "oci",
            target_kind: "engine",
        });
    };
    let engine = ctx.connections().engine(kind).await?;
    let options = CreateImageOptions {
        from_image: Some(from.to_string()),
        platform: platforms
            .single()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        ..CreateImageOptions::default()
    };
    let stream = engine.client().create_image(
        Some(options),
        None,
        docker_credentials(&ep.credentials, ep.client.host()),
    );
    follow(
        ctx,
        kind,
        stream.map(|r| {
            r.map(|i| {
                let (current, total) = i
                    .progress_detail
                    .map_or((None, None), |p| (p.current, p.total));
                (i.id, i.status, current, total)
            })
        }),
    )
    .await?;
    finish_in_engine(ctx, &engine, kind, &LocalName::Name(from.clone()), name)
        .await
        .map(copied)
}

/// Reads an engine's progress stream into the board and the job's messages; the first
/// error in it fails the job.
pub(crate) async fn follow(
    ctx: &JobCtx,
    kind: EngineKind,
    stream: impl Stream<
        Item = std::result::Result<
            (Option<String>, Option<String>, Option<i64>, Option<i64>),
            bollard::errors::Error,
        >,
    >,
) -> Result<()> {
    let mut stream = std::pin::pin!(stream);
    let mut last_status = String::new();
    loop {
        let next = tokio::select! {
            biased;
            () = ctx.cancel.cancelled() => return Err(Error::Cancelled),
            n = stream.next() => n,
        };
        let Some(item) = next else { return Ok(()) };
        let (id, status, current, total) = item.map_err(|e| engine_error(kind, &e))?;
        let as_u64 = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        match id.filter(|i| !i.is_empty() && (current.is_some() || total.is_some())) {
            Some(id) => {
                let item = ctx
                    .board
                    .find(&id)
                    .unwrap_or_else(|| ctx.board.add(id, ItemKind::EngineLayer, 0, None));
                if let Some(t) = as_u64(total) {
                    item.set_total(t);
                }
                if let Some(c) = as_u64(current) {
                    item.set_done(c);
                }
                item.set_state(ItemState::Active);
            }
            None => {
                if let Some(s) = status.filter(|s| !s.trim().is_empty() && *s != last_status) {
                    last_status.clone_from(&s);
                    ctx.message(JobMessage::Engine {
                        status: s.trim().to_owned(),
                    })
                    .await;
                }
            }
        }
    }
}

/// After a pull or load: the image must be there (`image` is a name or an ID); it is then
/// also named `name`, when that is a name. Returns the destination's name and the image's
/// digest.
pub(crate) async fn finish_in_engine(
    ctx: &JobCtx,
    engine: &EngineStore,
    kind: EngineKind,
    image: &LocalName,
    name: &LocalName,
) -> Result<(String, crate::oci::Digest)> {
    let detail = engine
        .inspect_image(image)
        .await
        .map_err(|_| Error::EngineMissingImage {
            engine: kind.to_string(),
            reference: image.to_string(),
        })?;
    if let Some(target) = name.name()
        && name != image
    {
        engine.add_tag(image, target).await?;
    }
    for item in ctx.board.snapshot().items {
        if let Some(i) = ctx.board.find(&item.id) {
            i.set_state(ItemState::Done);
        }
    }
    Ok((
        format!("{kind}:{}", if name.is_default() { image } else { name }),
        detail.digest,
    ))
}

fn copied((dest, digest): (String, crate::oci::Digest)) -> JobOutput {
    JobOutput::Copied {
        dest,
        digest,
        media_type: String::new(),
        blobs: BlobCounts::default(),
    }
}

/// The image in a layout store, streamed to the engine as a docker-archive.
pub(crate) async fn load_from_layout(
    ctx: &JobCtx,
    kind: EngineKind,
    src: &Source,
    name: &LocalName,
    platforms: &Platforms,
) -> Result<JobOutput> {
    let engine = ctx.connections().engine(kind).await?;
    let platforms = match platforms {
        Platforms::All => Platforms::Host,
        p => p.clone(),
    };
    let top = src.top().await?;
    let mut messages = Vec::new();
    let plan = plan(src, top, &platforms, &mut messages).await?;
    for m in messages {
        ctx.message(m).await;
    }
    let Some(config) = super::plan::image_blobs(&plan.root)?.first().cloned() else {
        return Err(Error::NeedsOnePlatform);
    };
    let names = ArchiveNames::of(name, None);
    let (chunks_tx, chunks_rx) = mpsc::channel::<std::io::Result<Bytes>>(8);
    let (tar, writer) = TarSender::start(ChannelWriter::new(chunks_tx));
    let body = futures_util::stream::unfold(chunks_rx, |mut rx| async move {
        rx.recv().await.map(|x| (x, rx))
    });
    let load = engine
        .client()
        .import_image_stream(ImportImageOptions::default(), body, None)
        .map(|r| r.map(|i| (i.id, i.stream.or(i.status), None, None)));
    let feed = async {
        let sent = send_image(ctx, &tar, src, &plan, ArchiveFormat::Docker, &names).await;
        drop(tar);
        let written = writer.await.map_err(|e| Error::join(&e))?;
        sent?;
        written.map(drop)
    };
    let (sent, loaded) = tokio::join!(feed, follow(ctx, kind, load));
    sent?;
    loaded?;
    finish_in_engine(ctx, &engine, kind, &config.digest.clone().into(), name)
        .await
        .map(copied)
}

/// A `Write` that hands large pieces to an async receiver (the body of an engine request).
/// Used from a blocking thread only.
struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

pub(crate) const PIECE: usize = 1 << 20;

impl ChannelWriter {
    fn new(tx: mpsc::Sender<std::io::Result<Bytes>>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(PIECE),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE));
        self.tx.blocking_send(Ok(piece.into())).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the engine stopped reading")
        })
    }
}

/// An engine image read into a temporary layout store, removed when this is dropped.
pub(crate) struct Exported {
    pub store: LayoutStore,
    pub name: LocalName,
    dir: PathBuf,
}

impl Drop for Exported {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `docker save NAME` into a temporary layout store.
pub(crate) async fn export_to_layout(
    ctx: &JobCtx,
    kind: EngineKind,
    name: &LocalName,
) -> Result<Exported> {
    let engine = ctx.connections().engine(kind).await?;
    // Fails with NotFound before anything is written.
    let detail = engine.inspect_image(name).await?;
    let dir =
        std::env::temp_dir().join(format!("berth-export-{}-{}", std::process::id(), ctx.id.0));
    let tar_path = dir.join("image.tar");
    let layout_dir = dir.join("layout");
    let exported_guard = Exported {
        store: LayoutStore::open_or_create(&layout_dir)?,
        name: LocalName::Default,
        dir: dir.clone(),
    };
    let item = ctx.board.add(
        format!("{kind}:{name}"),
        ItemKind::Image,
        detail.image.as_ref().map_or(0, |i| i.total_size),
        None,
    );
    item.set_state(ItemState::Active);
    let mut file = tokio::io::BufWriter::with_capacity(
        PIECE,
        tokio::fs::File::create(&tar_path)
            .await
            .map_err(Error::io("create", &tar_path))?,
    );
    let mut stream = std::pin::pin!(engine.client().export_image(&name.to_string()));
    loop {
        let next = tokio::select! {
            biased;
            () = ctx.cancel.cancelled() => return Err(Error::Cancelled),
            n = stream.next() => n,
        };
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| engine_error(kind, &e))?;
        item.add_done(chunk.len() as u64);
        file.write_all(&chunk)
            .await
            .map_err(Error::io("write", &tar_path))?;
    }
    file.flush().await.map_err(Error::io("write", &tar_path))?;
    drop(file);
    item.set_state(ItemState::Done);
    let (ref_name, _, _) = archive_read::load_into_layout(
        ctx,
        &tar_path,
        &exported_guard.store,
        NameStyle::Full,
        &LocalName::Default,
    )
    .await?;
    let _ = std::fs::remove_file(&tar_path);
    let mut exported = exported_guard;
    exported.name = LocalName::parse(ref_name.display().unwrap_or_default());
    Ok(exported)
}
