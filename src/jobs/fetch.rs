//! Blobs into a layout store, fast and safe: the async side reads the network and checks
//! each chunk against the expected size and digest (one pass over the bytes, while they are
//! still in the CPU's cache) before a blocking thread writes it. The writer commits only with
//! the verifier that saw every written byte; the file is fsynced before it is renamed into
//! place, and a transfer that is cancelled or fails removes its temporary file before it
//! reports. A transfer from a registry goes on where an earlier one stopped: a killed
//! process's file, or its own after a broken connection (whole blocks kept, hashed again, the
//! rest asked for with `Range`).

use super::error::{Error, Result};
use super::flights::BlobFate;
use super::plan::BlobRef;
use super::source::{Source, blocking};
use crate::oci::{Digest, Verifier};
use crate::registry::{Attempts, Error as RegistryError, RegistryClient, RetryPolicy};
use crate::store::LayoutStore;
use crate::store::layout::BlobWriter;
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

/// Chunks in flight between the network and the writing thread, per blob.
const IN_FLIGHT: usize = 64;

/// Where a blob comes from when it is written into a layout store.
pub(crate) enum BlobOrigin {
    Registry {
        client: Arc<RegistryClient>,
        repository: crate::oci::Repository,
    },
    Layout(LayoutStore),
}

impl BlobOrigin {
    /// The blob's one retry budget: the registry's, so that the transfer's retries and
    /// resumes are all the attempts there are (the raw GET underneath is sent once).
    fn attempts(&self) -> Attempts {
        match self {
            Self::Registry { client, .. } => client.attempts(),
            Self::Layout(_) => Attempts::new(RetryPolicy::default()),
        }
    }

    pub(crate) fn of(source: &Source) -> Self {
        match source {
            Source::Registry { ep, repository, .. } => Self::Registry {
                client: ep.client.clone(),
                repository: repository.clone(),
            },
            Source::Layout { store, .. } => Self::Layout(store.clone()),
        }
    }
}

/// Everything a transfer needs, owned, so it can run as its own task.
pub(crate) struct Transfer {
    pub origin: BlobOrigin,
    pub blob: BlobRef,
    pub store: LayoutStore,
    /// A killed writer's file of this blob, to go on from.
    pub leftover: Option<PathBuf>,
    pub bytes: Arc<AtomicU64>,
    pub cancel: CancellationToken,
    pub permits: Arc<Semaphore>,
    /// Told about each retry (attempt number, why).
    pub on_retry: RetryHook,
    /// Told when the blob goes on from bytes an earlier writer left (how many).
    pub on_resume: ResumeHook,
}

/// Told how many bytes of an earlier writer's file a transfer goes on from.
pub(crate) type ResumeHook = Box<dyn Fn(u64) + Send + Sync>;

/// Told about each retry: the attempt about to start, and why the last one failed.
pub(crate) type RetryHook = Box<dyn Fn(u32, &Error) + Send + Sync>;

enum Piece {
    Data(Bytes),
    /// The stream ended; its verifier has seen every piece.
    End(Verifier),
    /// The connection broke: keep what is on disk for the next attempt to go on from.
    Keep,
}

impl Transfer {
    /// Stores the blob unless it is there; retries damaged or interrupted transfers, and
    /// goes on after a broken connection, all within the origin's one retry budget and
    /// waiting as long as the registry's `Retry-After` asks.
    pub(crate) async fn run(mut self) -> Result<BlobFate> {
        let _permit = tokio::select! {
            biased;
            () = self.cancel.cancelled() => return Err(Error::Cancelled),
            p = self.permits.clone().acquire_owned() => p.map_err(|_| Error::Cancelled)?,
        };
        let mut attempts = self.origin.attempts();
        // What an earlier writer left on disk (a killed process, or the last attempt after a
        // broken connection), for the next attempt to go on from.
        let mut kept = self.leftover.take();
        let result = loop {
            attempts.begin();
            self.bytes.store(0, Ordering::Relaxed);
            let e = match self.once(&mut kept).await {
                Err(e) if !self.cancel.is_cancelled() => e,
                other => break other,
            };
            let retry_after = e.registry_error().and_then(RegistryError::retry_after);
            let Some(delay) = attempts.after_failure(e.is_retryable(), retry_after) else {
                break Err(e);
            };
            (self.on_retry)(attempts.made() + 1, &e);
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => break Err(Error::Cancelled),
                () = tokio::time::sleep(delay) => {}
            }
        };
        // A failure leaves no partial file.
        if let Some(path) = kept.take() {
            let _ = std::fs::remove_file(path);
        }
        result
    }

    async fn once(&self, kept: &mut Option<PathBuf>) -> Result<BlobFate> {
        // From a registry, a blob a killed pull or a broken connection began goes on where
        // it stopped.
        let resumable = matches!(self.origin, BlobOrigin::Registry { .. });
        let Some((mut writer, offset)) = self.writer(resumable, kept.take()).await? else {
            return Ok(BlobFate::Present);
        };
        let opened = tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(Error::Cancelled),
            r = self.open(offset) => r,
        };
        let (stream, from) = opened?;
        if from != offset {
            // The registry sent the whole blob: start the file over.
            drop(writer);
            let Some((fresh, _)) = self.writer(false, None).await? else {
                return Ok(BlobFate::Present);
            };
            writer = fresh;
        }
        if from > 0 {
            (self.on_resume)(from);
        }
        self.bytes.store(from, Ordering::Relaxed);
        let verifier = writer.detach_verifier()?;
        let (tx, rx) = mpsc::channel::<Piece>(IN_FLIGHT);
        let writing = tokio::task::spawn_blocking(move || write_pieces(writer, rx));
        let keep = resumable.then_some(&tx);
        let sending = send_pieces(stream, &tx, &self.bytes, verifier, &self.blob.digest, keep);
        let sent = tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(Error::Cancelled),
            r = sending => r,
        };
        drop(tx);
        // The sender is gone now: the writer commits after `End`, keeps its file after
        // `Keep`, else drops it.
        let written = writing.await.map_err(|e| Error::join(&e))?;
        match (sent, written) {
            (Ok(()), Ok(None)) => Ok(BlobFate::Fetched),
            (Err(e), Ok(Some(path))) => {
                *kept = Some(path);
                Err(e)
            }
            (Err(e), _) | (Ok(()), Err(e)) => Err(e),
            (Ok(()), Ok(Some(path))) => {
                let _ = std::fs::remove_file(path);
                Err(Error::Cancelled)
            }
        }
    }

    /// A writer for the blob and the bytes it holds already (`None`: the blob is stored):
    /// it goes on from `kept` (an earlier writer's file) when there is one.
    async fn writer(
        &self,
        resume: bool,
        kept: Option<PathBuf>,
    ) -> Result<Option<(BlobWriter, u64)>> {
        let (store, digest, size) = (self.store.clone(), self.blob.digest.clone(), self.blob.size);
        blocking(move || {
            Ok(if resume {
                store.resume_writer(&digest, size, kept.as_deref())?
            } else {
                store.blob_writer(&digest, size)?.map(|w| (w, 0))
            })
        })
        .await
    }

    /// The blob's bytes from `offset` on (a registry may send them all instead: the second
    /// value says where the stream starts).
    async fn open(
        &self,
        offset: u64,
    ) -> Result<(futures_util::stream::BoxStream<'static, Result<Bytes>>, u64)> {
        let digest = self.blob.digest.clone();
        match &self.origin {
            BlobOrigin::Registry { client, repository } => {
                let (s, from) = client.blob_unverified(repository, &digest, offset).await?;
                Ok((s.map(|r| r.map_err(Error::from)).boxed(), from))
            }
            // The writer verifies again; reading unverified here would do as well, but a
            // damaged source is then named as the source.
            BlobOrigin::Layout(store) => {
                let file = store.open_blob_sized(&digest, self.blob.size)?;
                Ok((super::source::file_stream(file, digest, self.blob.size), 0))
            }
        }
    }
}

/// Checks each chunk as it arrives and hands it to the writer (copying them into larger
/// pieces measured no faster: the writer's buffer batches the writes). A size overrun stops
/// here, before the chunk is written. Returns when the stream ends (after sending `End`) or
/// the writer stopped taking pieces (it failed; its error wins).
async fn send_pieces(
    stream: impl Stream<Item = Result<Bytes>>,
    tx: &mpsc::Sender<Piece>,
    bytes: &AtomicU64,
    mut verifier: Verifier,
    digest: &Digest,
    keep: Option<&mpsc::Sender<Piece>>,
) -> Result<()> {
    let mut stream = std::pin::pin!(stream);
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                // A broken connection: what is on disk is good so far (the next attempt
                // hashes it again). Damaged bytes (below) are never kept.
                if let Some(keep) = keep {
                    let _ = keep.send(Piece::Keep).await;
                }
                return Err(e);
            }
        };
        verifier
            .update(&chunk)
            .map_err(|source| crate::store::Error::Verify {
                digest: digest.clone(),
                source,
            })?;
        bytes.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        if tx.send(Piece::Data(chunk)).await.is_err() {
            return Ok(());
        }
    }
    let _ = tx.send(Piece::End(verifier)).await;
    Ok(())
}

/// The blocking side: writes pieces (each checked by the writer before it is written) and
/// commits after `End`; after `Keep` it closes the file and hands back its path. A closed
/// channel without either drops the writer, which removes the temporary file.
fn write_pieces(mut writer: BlobWriter, mut rx: mpsc::Receiver<Piece>) -> Result<Option<PathBuf>> {
    while let Some(piece) = rx.blocking_recv() {
        match piece {
            Piece::Data(b) => writer.write_chunk(&b)?,
            Piece::End(verifier) => {
                writer.commit_checked(verifier)?;
                return Ok(None);
            }
            Piece::Keep => return Ok(Some(writer.keep_for_resume())),
        }
    }
    drop(writer);
    Err(Error::Cancelled)
}
