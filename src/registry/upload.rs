//! Writing to a registry: blob existence checks, cross-repository mounts, blob uploads
//! (monolithic when the blob fits in one chunk, chunked `PATCH`es otherwise) and manifest
//! `PUT`s; plus the raw blob stream that a caller who verifies on its own reads.
//!
//! Uploads are never retried: a replayed `PATCH` or `PUT` could append to or finish a
//! session in a state we no longer know. HEAD goes through [`Transport::retrying`]; the raw
//! blob GET is retried by its caller, around the whole transfer.
//!
//! [`Transport::retrying`]: super::transport::Transport::retrying

use super::auth::repository_scope;
use super::client::RegistryClient;
use super::error::{Error, Result};
use super::transport::Request;
use crate::oci::{Digest, Reference, Repository};
use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use reqwest::{Method, StatusCode, header};

/// Chunks of a chunked upload are this large unless the registry asks for more.
pub const DEFAULT_CHUNK_SIZE: usize = 16 * 1024 * 1024;

/// An upload session (`/v2/NAME/blobs/uploads/UUID`): bytes are buffered up to one chunk and
/// sent as `PATCH`es; [`RegistryClient::finish_upload`] sends the rest with the closing `PUT`.
/// A blob that fits in one chunk goes up as a single monolithic `PUT`.
#[derive(Debug)]
pub struct BlobUpload {
    repository: Repository,
    location: String,
    buffer: BytesMut,
    offset: u64,
    chunk_size: usize,
    chunks: usize,
}

impl BlobUpload {
    /// `PATCH`es sent so far (0 for a monolithic upload).
    #[must_use]
    pub fn chunks_sent(&self) -> usize {
        self.chunks
    }
}

/// What a mount request did.
#[derive(Debug)]
pub enum MountOutcome {
    /// The registry linked the blob into the repository: nothing to upload.
    Mounted,
    /// The registry could not mount and opened an upload session instead.
    Upload(BlobUpload),
}

impl RegistryClient {
    fn push_request(method: Method, url: String, repository: &Repository, what: String) -> Request {
        Request::new(method, url, what).scope(repository_scope(repository.as_str(), "pull,push"))
    }

    /// `HEAD /v2/NAME/blobs/DIGEST`: is the blob in the repository?
    pub async fn blob_exists(&self, repository: &Repository, digest: &Digest) -> Result<bool> {
        let req = Request::new(
            Method::HEAD,
            self.t.url(&format!("/v2/{repository}/blobs/{digest}")),
            format!("blob {digest}"),
        )
        .scope(repository_scope(repository.as_str(), "pull"));
        match self.t.retrying(&req.what, || self.t.send(&req)).await {
            Ok(_) => Ok(true),
            Err(Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `GET` a blob without verifying it: for callers that hash every byte themselves as
    /// they store it (the layout store's blob writer does), so the bytes are hashed once.
    /// From `offset` on when it is not 0 (a `Range` request, to finish what a killed pull
    /// began); returns the stream and where it starts: `offset` when the registry sent that
    /// range, 0 when it sent the whole blob instead. Sent once: the caller retries the whole
    /// transfer (body and verification included) within the blob's one
    /// [`Attempts`](super::Attempts) budget, which it takes from [`RegistryClient::attempts`].
    pub async fn blob_unverified(
        &self,
        repository: &Repository,
        digest: &Digest,
        offset: u64,
    ) -> Result<(impl Stream<Item = Result<Bytes>> + Send + use<>, u64)> {
        let mut req = Request::new(
            Method::GET,
            self.t.url(&format!("/v2/{repository}/blobs/{digest}")),
            format!("blob {digest}"),
        )
        .scope(repository_scope(repository.as_str(), "pull"))
        .streaming();
        if offset > 0 {
            req = req.header(header::RANGE, format!("bytes={offset}-"));
        }
        let resp = self.t.send(&req).await?;
        let start = if resp.status() == StatusCode::PARTIAL_CONTENT {
            let range = resp
                .headers()
                .get(header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if range_start(range) != Some(offset) {
                return Err(Error::InvalidContent {
                    what: req.what.clone(),
                    reason: format!("asked for bytes from {offset}, got Content-Range {range:?}"),
                });
            }
            offset
        } else {
            0
        };
        let stream =
            super::limits::guarded_body(resp, self.t.limits, self.t.host.clone(), req.what);
        Ok((stream, start))
    }

    /// `POST /v2/NAME/blobs/uploads/`: opens an upload session.
    pub async fn start_upload(&self, repository: &Repository) -> Result<BlobUpload> {
        let req = Self::push_request(
            Method::POST,
            self.t.url(&format!("/v2/{repository}/blobs/uploads/")),
            repository,
            format!("{repository} (blob upload)"),
        );
        let resp = self.t.send(&req).await?;
        self.session(repository, &resp)
    }

    /// `POST /v2/NAME/blobs/uploads/?mount=DIGEST&from=FROM`: links a blob another repository
    /// of this registry holds, without sending it. Registries that cannot (or, for an
    /// anonymous `FROM`, will not) answer with an upload session instead.
    pub async fn mount_blob(
        &self,
        repository: &Repository,
        digest: &Digest,
        from: &Repository,
    ) -> Result<MountOutcome> {
        let req = Self::push_request(
            Method::POST,
            self.t.url(&format!(
                "/v2/{repository}/blobs/uploads/?mount={}&from={from}",
                query_digest(digest)
            )),
            repository,
            format!("blob {digest} (mount from {from})"),
        )
        .scope(repository_scope(from.as_str(), "pull"));
        let resp = self.t.send(&req).await?;
        if resp.status() == StatusCode::CREATED {
            return Ok(MountOutcome::Mounted);
        }
        self.session(repository, &resp).map(MountOutcome::Upload)
    }

    fn session(&self, repository: &Repository, resp: &reqwest::Response) -> Result<BlobUpload> {
        let location = self.location(resp, repository)?;
        let min = resp
            .headers()
            .get("oci-chunk-min-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        Ok(BlobUpload {
            repository: repository.clone(),
            location,
            buffer: BytesMut::new(),
            offset: 0,
            chunk_size: DEFAULT_CHUNK_SIZE.max(min),
            chunks: 0,
        })
    }

    /// The absolute upload URL from a `Location` header (registries send either form).
    fn location(&self, resp: &reqwest::Response, repository: &Repository) -> Result<String> {
        let Some(location) = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(Error::Protocol {
                registry: self.t.host.clone(),
                reason: format!("{repository}: upload answer without a Location"),
            });
        };
        Ok(
            if location.starts_with("http://") || location.starts_with("https://") {
                location.to_owned()
            } else {
                self.t.url(location)
            },
        )
    }

    /// Adds bytes to an upload; a full chunk goes out as a `PATCH`.
    pub async fn upload_chunk(&self, upload: &mut BlobUpload, data: &[u8]) -> Result<()> {
        upload.buffer.extend_from_slice(data);
        while upload.buffer.len() >= upload.chunk_size {
            let chunk = upload.buffer.split_to(upload.chunk_size).freeze();
            self.patch(upload, chunk).await?;
        }
        Ok(())
    }

    async fn patch(&self, upload: &mut BlobUpload, chunk: Bytes) -> Result<()> {
        let end = upload.offset + chunk.len() as u64;
        let mut req = Self::push_request(
            Method::PATCH,
            upload.location.clone(),
            &upload.repository,
            format!("{} (blob chunk)", upload.repository),
        )
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(
            header::CONTENT_RANGE,
            format!("{}-{}", upload.offset, end.saturating_sub(1)),
        );
        req.body = Some(chunk);
        let resp = self.t.send(&req).await?;
        upload.location = self.location(&resp, &upload.repository)?;
        upload.offset = end;
        upload.chunks += 1;
        Ok(())
    }

    /// Sends what is buffered with the closing `PUT …?digest=`; the registry checks the
    /// digest of everything it received.
    pub async fn finish_upload(&self, upload: BlobUpload, digest: &Digest) -> Result<()> {
        let sep = if upload.location.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!("{}{sep}digest={}", upload.location, query_digest(digest));
        let mut req = Self::push_request(
            Method::PUT,
            url,
            &upload.repository,
            format!("blob {digest}"),
        )
        .header(header::CONTENT_TYPE, "application/octet-stream");
        req.body = Some(upload.buffer.freeze());
        self.t.send(&req).await.map(drop)
    }

    /// `PUT /v2/NAME/manifests/REFERENCE`. Returns the digest the registry reports, which
    /// must be the digest of `bytes`.
    pub async fn put_manifest(
        &self,
        repository: &Repository,
        reference: &Reference,
        media_type: &str,
        bytes: Bytes,
    ) -> Result<Digest> {
        let expected = Digest::of(&bytes);
        let what = format!("{repository}{}{reference}", reference.separator());
        let mut req = Self::push_request(
            Method::PUT,
            self.t
                .url(&format!("/v2/{repository}/manifests/{reference}")),
            repository,
            what.clone(),
        )
        .header(header::CONTENT_TYPE, media_type);
        req.body = Some(bytes);
        let resp = self.t.send(&req).await?;
        let reported = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| Digest::parse(v).ok());
        match reported {
            Some(actual) if actual != expected => Err(Error::DigestMismatch {
                what,
                expected,
                actual,
            }),
            _ => Ok(expected),
        }
    }
}

/// `sha256:HEX` with the colon escaped, for a query string.
fn query_digest(digest: &Digest) -> String {
    digest.as_str().replace(':', "%3A")
}

/// The first byte of `bytes FIRST-LAST/TOTAL`.
pub(super) fn range_start(content_range: &str) -> Option<u64> {
    content_range
        .strip_prefix("bytes ")?
        .split('-')
        .next()?
        .trim()
        .parse()
        .ok()
}
