//! Writing images as tars: `save` to a docker-archive or oci-archive file, and the
//! docker-archive stream an engine loads. Blobs stream from their source (verified) into a
//! tar writer on a blocking thread; a file is written under a temporary name, fsynced and
//! renamed, so a cancelled save leaves nothing behind.
//!
//! The docker-archive is what Docker 25 and later write: an OCI layout (`oci-layout`,
//! `index.json`, `blobs/sha256/…`) plus `manifest.json` naming the config and layers, so
//! `docker load`, `podman load` and skopeo read it, and loading it back keeps every digest.

use super::ArchiveFormat;
use super::engine;
use super::error::{Error, Result};
use super::events::{ItemState, JobOutput};
use super::plan::{ImagePlan, plan};
use super::runner::JobCtx;
use super::source::Source;
use super::{Platforms, copy};
use crate::oci::{LocalName, Manifest, media};
use crate::store::layout::{IMAGE_NAME, REF_NAME};
use bytes::Bytes;
use futures_util::StreamExt as _;
use serde_json::json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// The names an archived image carries.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArchiveNames {
    /// `HOST/REPO:TAG`, for `RepoTags` and `io.containerd.image.name`.
    pub full: Option<String>,
    /// The tag, for `org.opencontainers.image.ref.name`.
    pub tag: Option<String>,
}

impl ArchiveNames {
    /// `full` names the image when it is a name without a digest (`latest` added).
    pub(crate) fn of(full: &LocalName, tag: Option<String>) -> Self {
        let full = full
            .name()
            .filter(|n| n.digest.is_none())
            .map(|n| n.clone().with_default_tag().to_string());
        Self { full, tag }
    }
}

pub(crate) async fn save(
    ctx: &JobCtx,
    source: crate::oci::ImageRef,
    file: PathBuf,
    format: ArchiveFormat,
    platforms: Platforms,
) -> Result<JobOutput> {
    let _exported;
    let src = if let Some(kind) = copy::engine_kind(&source) {
        let name = crate::store::StoreLocation::locate(&source)
            .map(|(_, n)| n)
            .unwrap_or_default();
        let e = engine::export_to_layout(ctx, kind, &name).await?;
        let src = Source::Layout {
            store: e.store.clone(),
            name: e.name.clone(),
        };
        _exported = e;
        src
    } else {
        copy::open_source(ctx, &source).await?
    };
    let platforms = match (format, platforms) {
        (ArchiveFormat::Docker, Platforms::All) => return Err(Error::NeedsOnePlatform),
        (_, p) => p,
    };
    let top = src.top().await?;
    let mut messages = Vec::new();
    let plan = plan(&src, top, &platforms, &mut messages).await?;
    for m in messages {
        ctx.message(m).await;
    }
    let names = ArchiveNames::of(&src.default_name(), src.tag());
    let temp = TempFile::next_to(&file)?;
    let out = std::fs::File::create(&temp.path).map_err(Error::io("create", &temp.path))?;
    let (tar, writer) = TarSender::start(std::io::BufWriter::with_capacity(1 << 20, out));
    let sent = send_image(ctx, &tar, &src, &plan, format, &names).await;
    drop(tar);
    let written = writer.await.map_err(|e| Error::join(&e))?;
    sent?;
    let out = written?;
    let file_out = out
        .into_inner()
        .map_err(|e| Error::io("write", &temp.path)(e.into_error()))?;
    file_out.sync_all().map_err(Error::io("sync", &temp.path))?;
    let bytes = file_out.metadata().map_or(0, |m| m.len());
    drop(file_out);
    temp.persist(&file)?;
    Ok(JobOutput::Saved {
        file,
        digest: plan.root.digest.clone(),
        bytes,
    })
}

/// Sends the whole image to the tar writer: every blob, then the index and (for a
/// docker-archive) `manifest.json`; then closes the tar.
pub(crate) async fn send_image(
    ctx: &JobCtx,
    tar: &TarSender,
    src: &Source,
    plan: &ImagePlan,
    format: ArchiveFormat,
    names: &ArchiveNames,
) -> Result<()> {
    if format == ArchiveFormat::Docker && !matches!(plan.root.manifest, Manifest::Image(_)) {
        return Err(Error::NeedsOnePlatform);
    }
    let items: Vec<_> = plan
        .blobs
        .iter()
        .map(|b| ctx.board.add(b.digest.to_string(), b.kind, b.size, None))
        .collect();
    tar.file(
        "oci-layout",
        Bytes::from_static(br#"{"imageLayoutVersion":"1.0.0"}"#),
    )
    .await?;
    for (b, item) in plan.blobs.iter().zip(&items) {
        item.set_state(ItemState::Active);
        tar.begin(&blob_path(&b.digest), b.size).await?;
        let mut stream = src.blob(&b.digest, b.size).await?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            item.add_done(chunk.len() as u64);
            tar.data(chunk).await?;
        }
        item.set_state(ItemState::Done);
    }
    for m in &plan.manifests {
        tar.file(&blob_path(&m.digest), Bytes::copy_from_slice(&m.bytes))
            .await?;
    }
    let mut annotations = serde_json::Map::new();
    if let Some(full) = &names.full {
        annotations.insert(IMAGE_NAME.to_owned(), json!(full));
    }
    if let Some(tag) = &names.tag {
        annotations.insert(REF_NAME.to_owned(), json!(tag));
    }
    let mut entry = json!({
        "mediaType": plan.root.media_type,
        "digest": plan.root.digest,
        "size": plan.root.bytes.len(),
        "annotations": annotations,
    });
    if let Some(p) = &plan.platform {
        entry["platform"] = json!(p);
    }
    let index = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_INDEX,
        "manifests": [entry],
    });
    tar.file("index.json", to_bytes(&index)).await?;
    if format == ArchiveFormat::Docker {
        let layers: Vec<String> = super::plan::image_blobs(&plan.root)?
            .iter()
            .skip(1)
            .map(|b| blob_path(&b.digest))
            .collect();
        let config = super::plan::image_blobs(&plan.root)?
            .first()
            .map(|c| blob_path(&c.digest))
            .unwrap_or_default();
        let manifest = json!([{
            "Config": config,
            "RepoTags": names.full.iter().collect::<Vec<_>>(),
            "Layers": layers,
        }]);
        tar.file("manifest.json", to_bytes(&manifest)).await?;
    }
    tar.finish().await
}

fn to_bytes(v: &serde_json::Value) -> Bytes {
    serde_json::to_vec(v).unwrap_or_default().into()
}

fn blob_path(digest: &crate::oci::Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}

enum TarMsg {
    Begin { path: String, size: u64 },
    Data(Bytes),
    Finish,
}

/// The async side of a tar writer running on a blocking thread.
pub(crate) struct TarSender {
    tx: mpsc::Sender<TarMsg>,
}

impl TarSender {
    /// Starts the writer on `out`; the handle gives `out` back after `finish`.
    pub(crate) fn start<W: Write + Send + 'static>(
        out: W,
    ) -> (Self, tokio::task::JoinHandle<Result<W>>) {
        let (tx, rx) = mpsc::channel(16);
        let handle = tokio::task::spawn_blocking(move || write_tar(out, rx));
        (Self { tx }, handle)
    }

    async fn send(&self, msg: TarMsg) -> Result<()> {
        // The writer stopped: its own error is what the caller reports.
        self.tx.send(msg).await.map_err(|_| Error::Cancelled)
    }

    pub(crate) async fn begin(&self, path: &str, size: u64) -> Result<()> {
        self.send(TarMsg::Begin {
            path: path.to_owned(),
            size,
        })
        .await
    }

    pub(crate) async fn data(&self, bytes: Bytes) -> Result<()> {
        self.send(TarMsg::Data(bytes)).await
    }

    pub(crate) async fn file(&self, path: &str, bytes: Bytes) -> Result<()> {
        self.begin(path, bytes.len() as u64).await?;
        if bytes.is_empty() {
            return Ok(());
        }
        self.data(bytes).await
    }

    pub(crate) async fn finish(&self) -> Result<()> {
        self.send(TarMsg::Finish).await
    }
}

fn write_tar<W: Write>(out: W, mut rx: mpsc::Receiver<TarMsg>) -> Result<W> {
    let mut builder = tar::Builder::new(out);
    let tar_err = |e: std::io::Error| Error::Io {
        action: "write",
        path: PathBuf::from("tar"),
        reason: e.to_string(),
    };
    while let Some(msg) = rx.blocking_recv() {
        match msg {
            TarMsg::Begin { path, size } => {
                let mut header = tar::Header::new_ustar();
                header.set_size(size);
                header.set_mode(0o644);
                header.set_mtime(0);
                header.set_entry_type(tar::EntryType::Regular);
                let reader = Pieces {
                    rx: &mut rx,
                    current: Bytes::new(),
                    remaining: size,
                };
                builder
                    .append_data(&mut header, &path, reader)
                    .map_err(tar_err)?;
            }
            TarMsg::Data(_) => {
                return Err(Error::Io {
                    action: "write",
                    path: PathBuf::from("tar"),
                    reason: "data outside an entry".to_owned(),
                });
            }
            TarMsg::Finish => {
                let mut out = builder.into_inner().map_err(tar_err)?;
                out.flush().map_err(tar_err)?;
                return Ok(out);
            }
        }
    }
    Err(Error::Cancelled)
}

/// Reads one entry's bytes from the channel.
struct Pieces<'a> {
    rx: &'a mut mpsc::Receiver<TarMsg>,
    current: Bytes,
    remaining: u64,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.remaining == 0 {
            return Ok(0);
        }
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(TarMsg::Data(b)) => self.current = b,
                _ => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the image stream stopped",
                    ));
                }
            }
        }
        let n = buf
            .len()
            .min(self.current.len())
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&self.current.split_to(n));
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// A file written under a temporary name next to its destination; removed on drop unless
/// persisted.
pub(crate) struct TempFile {
    pub path: PathBuf,
    done: bool,
}

impl TempFile {
    pub(crate) fn next_to(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::Io {
                action: "write",
                path: target.to_owned(),
                reason: "not a file name".to_owned(),
            })?;
        let path = target.with_file_name(format!(".{name}.berth-{}", std::process::id()));
        Ok(Self { path, done: false })
    }

    pub(crate) fn persist(mut self, target: &Path) -> Result<()> {
        std::fs::rename(&self.path, target).map_err(Error::io("rename", target))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
