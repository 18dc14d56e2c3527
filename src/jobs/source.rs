//! Where a copy reads from: a registry repository or a layout store. Both give the top
//! manifest, child manifests by digest, and blobs as streams that are verified as they pass
//! (a stream that does not match its descriptor ends with an error, never with `None`).

use super::connections::Endpoint;
use super::error::{Error, Result};
use crate::oci::{Digest, FetchedManifest, ImageName, LocalName, Reference, Repository, Verifier};
use crate::store::LayoutStore;
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;
use std::io::Read as _;
use tokio::sync::mpsc;

/// Blobs are read from files in pieces this large.
pub(crate) const READ_CHUNK: usize = 1024 * 1024;

pub(crate) enum Source {
    Registry {
        ep: Endpoint,
        repository: Repository,
        /// The tag or digest asked for.
        reference: Reference,
        /// `HOST/REPO:TAG` (or `@DIGEST`), the name a destination takes by default.
        name: ImageName,
        tag: Option<String>,
    },
    Layout {
        store: LayoutStore,
        /// The entry's own name once resolved, else what the user named (a tag, a full
        /// name, a digest, or nothing for the only image).
        name: LocalName,
    },
}

impl Source {
    /// The tag the source was named by, if any (a destination without one takes it).
    pub(crate) fn tag(&self) -> Option<String> {
        match self {
            Self::Registry { tag, .. } => tag.clone(),
            Self::Layout { name, .. } => name.tag_for_copy(),
        }
    }

    /// The full name for a destination that was given none.
    pub(crate) fn default_name(&self) -> LocalName {
        match self {
            Self::Registry { name, .. } => LocalName::Name(name.clone()),
            Self::Layout { name, .. } => name.clone(),
        }
    }

    /// The manifest or index the source names.
    pub(crate) async fn top(&self) -> Result<FetchedManifest> {
        match self {
            Self::Registry {
                ep,
                repository,
                reference,
                ..
            } => Ok(ep.client.manifest(repository, reference).await?),
            Self::Layout { store, name } => {
                let (store, name) = (store.clone(), name.clone());
                blocking(move || {
                    let index = store.read_index()?;
                    let entry = &index.manifests[store.resolve_one(&index, &name)?];
                    Ok(store.read_manifest(&entry.digest, &entry.media_type)?)
                })
                .await
            }
        }
    }

    /// A child manifest of an index.
    pub(crate) async fn manifest(
        &self,
        digest: &Digest,
        media_type: &str,
    ) -> Result<FetchedManifest> {
        match self {
            Self::Registry { ep, repository, .. } => {
                let reference = Reference::Digest(digest.clone());
                Ok(ep.client.manifest(repository, &reference).await?)
            }
            Self::Layout { store, .. } => {
                let (store, digest, media_type) =
                    (store.clone(), digest.clone(), media_type.to_owned());
                blocking(move || Ok(store.read_manifest(&digest, &media_type)?)).await
            }
        }
    }

    /// A blob, verified while it streams.
    pub(crate) async fn blob(
        &self,
        digest: &Digest,
        size: u64,
    ) -> Result<BoxStream<'static, Result<Bytes>>> {
        match self {
            Self::Registry { ep, repository, .. } => {
                let stream = ep.client.blob(repository, digest, Some(size)).await?;
                Ok(stream.map(|r| r.map_err(Error::from)).boxed())
            }
            Self::Layout { store, .. } => {
                let file = store.open_blob_sized(digest, size)?;
                Ok(file_stream(file, digest.clone(), size))
            }
        }
    }
}

/// Reads `file` on a blocking thread in large pieces, verifying size and digest; the last
/// item is an error when they do not match.
pub(crate) fn file_stream(
    file: std::fs::File,
    digest: Digest,
    size: u64,
) -> BoxStream<'static, Result<Bytes>> {
    let (tx, rx) = mpsc::channel::<Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        let mut verifier = Verifier::new(Some(digest.clone()), Some(size));
        loop {
            let mut buf = vec![0u8; READ_CHUNK];
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = tx.blocking_send(Err(Error::Io {
                        action: "read",
                        path: format!("blob {digest}").into(),
                        reason: e.to_string(),
                    }));
                    return;
                }
            };
            buf.truncate(n);
            if let Err(e) = verifier.update(&buf) {
                let _ = tx.blocking_send(Err(verify_error(&digest, e)));
                return;
            }
            if tx.blocking_send(Ok(buf.into())).is_err() {
                return;
            }
        }
        if let Err(e) = verifier.finish() {
            let _ = tx.blocking_send(Err(verify_error(&digest, e)));
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) })
        .boxed()
}

fn verify_error(digest: &Digest, source: crate::oci::VerifyError) -> Error {
    Error::Store(crate::store::Error::Verify {
        digest: digest.clone(),
        source,
    })
}

/// Runs blocking work (file and store operations) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::join(&e))?
}
