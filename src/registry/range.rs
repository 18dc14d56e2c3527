//! `GET` of a part of a blob (`Range: bytes=START-END`), for reading one file of a layer
//! through its seek index. The bytes are not verified here (they are a part of the blob):
//! the caller checks what it decodes from them against a hash it trusts.

use super::auth::repository_scope;
use super::client::RegistryClient;
use super::error::{Error, Result};
use super::transport::Request;
use crate::oci::{Digest, Repository};
use bytes::Bytes;
use futures_util::Stream;
use reqwest::{Method, StatusCode, header};

impl RegistryClient {
    /// Bytes `start..end` of a blob. Returns the stream and where it starts: `start` when
    /// the registry sent that range (206), `0` when it sent the whole blob instead (200).
    ///
    /// # Errors
    /// The request fails, or a 206 names another range than asked for.
    pub async fn blob_range(
        &self,
        repository: &Repository,
        digest: &Digest,
        start: u64,
        end: u64,
    ) -> Result<(impl Stream<Item = Result<Bytes>> + Send + use<>, u64)> {
        let req = Request::new(
            Method::GET,
            self.t.url(&format!("/v2/{repository}/blobs/{digest}")),
            format!("blob {digest}"),
        )
        .scope(repository_scope(repository.as_str(), "pull"))
        .streaming()
        .header(
            header::RANGE,
            format!("bytes={start}-{}", end.saturating_sub(1)),
        );
        let resp = self.t.retrying(&req.what, || self.t.send(&req)).await?;
        let from = if resp.status() == StatusCode::PARTIAL_CONTENT {
            let range = resp
                .headers()
                .get(header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if super::upload::range_start(range) != Some(start) {
                return Err(Error::InvalidContent {
                    what: req.what.clone(),
                    reason: format!("asked for bytes from {start}, got Content-Range {range:?}"),
                });
            }
            start
        } else {
            0
        };
        let stream =
            super::limits::guarded_body(resp, self.t.limits, self.t.host.clone(), req.what);
        Ok((stream, from))
    }
}
