//! The Distribution API client: one method per endpoint family. Everything that comes back
//! is verified before it is returned: manifests against their digests, blobs as they stream.

use super::auth::{CATALOG_SCOPE, repository_scope};
use super::error::{Error, Result};
use super::limits::{guarded_body, transfer_error};
use super::link::{Pager, checked_next, next_link};
use super::transport::{ClientConfig, Request, Transport};
use crate::oci::image::{Chosen, ImageDetail, ImageInfo};
use crate::oci::manifest::MAX_MANIFEST_BYTES;
use crate::oci::{
    Digest, FetchedManifest, Manifest, Platform, Reference, Repository, Verifier, media,
};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use reqwest::{Method, header};

/// `_catalog` pages are capped at 1,000 entries by distribution.
pub const CATALOG_PAGE: usize = 1000;
/// Config blobs are small JSON; anything bigger is refused rather than buffered.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// One page of the catalog, and where the next one is.
#[derive(Debug, Clone)]
pub struct CatalogPage {
    pub repositories: Vec<String>,
    pub next: Option<String>,
}

/// What a HEAD tells about a manifest: enough to compare tags without downloading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestHead {
    pub digest: Digest,
    pub media_type: String,
    pub size: Option<u64>,
}

pub struct RegistryClient {
    pub(crate) t: Transport,
    /// One tag lookup per repository, shared by whoever holds this client.
    pub(crate) lookups: super::tag_lookup::TagLookups,
    /// One tag facts store per repository (issue 23).
    pub(crate) facts: super::tag_facts::TagFactsStores,
}

impl RegistryClient {
    pub fn new(host: &str, config: ClientConfig) -> Result<Self> {
        Ok(Self {
            t: Transport::new(host, config)?,
            lookups: super::tag_lookup::TagLookups::default(),
            facts: super::tag_facts::TagFactsStores::default(),
        })
    }

    #[must_use]
    pub fn host(&self) -> &str {
        &self.t.host
    }

    /// The registry this client talks to; its scheme is named only when it is plain HTTP
    /// (what a command for another tool must say).
    #[must_use]
    pub fn registry(&self) -> crate::oci::RegistryName {
        let http = self.t.base.starts_with("http://");
        crate::oci::RegistryName {
            host: self.t.host.clone(),
            scheme: http.then_some(crate::oci::Scheme::Http),
        }
    }

    /// A fresh retry budget for one idempotent operation that the caller retries itself
    /// (a blob transfer that resumes): every attempt of it, resumes included, spends from it.
    #[must_use]
    pub fn attempts(&self) -> super::Attempts {
        self.t.attempts()
    }

    /// Warnings and rate-limit headers the registry sent so far.
    #[must_use]
    pub fn notices(&self) -> super::transport::Notices {
        self.t.notices()
    }

    /// `GET /v2/`: reachable, speaks the API, and accepts our credentials.
    pub async fn ping(&self) -> Result<()> {
        let req = Request::new(Method::GET, self.t.url("/v2/"), "/v2/");
        self.t
            .retrying("/v2/", || async { self.t.send(&req).await.map(drop) })
            .await
    }

    /// One catalog page; `next` is the URL from the previous page's `Link` header.
    pub async fn catalog_page(&self, next: Option<&str>) -> Result<CatalogPage> {
        #[derive(serde::Deserialize)]
        struct Body {
            #[serde(default)]
            repositories: Option<Vec<String>>,
        }
        let url = next.map_or_else(
            || self.t.url(&format!("/v2/_catalog?n={CATALOG_PAGE}")),
            str::to_owned,
        );
        let req = Request::new(Method::GET, url, "_catalog").scope(CATALOG_SCOPE);
        self.t
            .retrying("_catalog", || async {
                let resp = self.t.send(&req).await?;
                let next = link_of(&resp, &self.t)?;
                let body: Body = self.json(resp, "_catalog").await?;
                Ok(CatalogPage {
                    repositories: body.repositories.unwrap_or_default(),
                    next,
                })
            })
            .await
            .map_err(|e| self.catalog_error(e))
    }

    /// The whole catalog as a stream of pages, each yielded as soon as it arrives.
    /// A page URL seen before or a listing past [`super::link::MAX_PAGES`] ends the stream
    /// with an error, so a `Link` cycle cannot page forever.
    pub fn catalog(&self) -> impl Stream<Item = Result<Vec<String>>> + '_ {
        let first = self.t.url(&format!("/v2/_catalog?n={CATALOG_PAGE}"));
        let pager = Pager::new(&self.t.host, "_catalog");
        futures_util::stream::try_unfold(
            (pager, Some((first, true))),
            move |(mut pager, state)| async move {
                let Some((url, is_first)) = state else {
                    return Ok(None);
                };
                pager.visit(&url)?;
                let page = self
                    .catalog_page((!is_first).then_some(url.as_str()))
                    .await?;
                let next = page.next.map(|n| (n, false));
                Ok(Some((page.repositories, (pager, next))))
            },
        )
    }

    fn catalog_error(&self, e: Error) -> Error {
        match e {
            Error::NotFound { .. } | Error::Denied { .. } => Error::CatalogUnsupported {
                registry: self.t.host.clone(),
            },
            Error::Unauthorized { .. } if self.t.host == crate::oci::reference::DOCKER_HUB_HOST => {
                Error::CatalogUnsupported {
                    registry: self.t.host.clone(),
                }
            }
            other => other,
        }
    }

    /// Every tag of `repository`, in natural order. Follows `Link` when the registry pages;
    /// distribution 2.8 ignores `n` and sends them all at once.
    pub async fn tags(&self, repository: &Repository) -> Result<Vec<String>> {
        let what = repository.as_str();
        let mut url = self.t.url(&format!("/v2/{repository}/tags/list"));
        let mut all = Vec::new();
        let mut pager = Pager::new(&self.t.host, &format!("the tags of {what}"));
        loop {
            #[derive(serde::Deserialize)]
            struct Body {
                #[serde(default)]
                tags: Option<Vec<String>>,
            }
            pager.visit(&url)?;
            let req = Request::new(Method::GET, url, what).scope(repository_scope(what, "pull"));
            let (body, next): (Body, _) = self
                .t
                .retrying(what, || async {
                    let resp = self.t.send(&req).await?;
                    let next = link_of(&resp, &self.t)?;
                    Ok((self.json(resp, what).await?, next))
                })
                .await?;
            all.extend(body.tags.unwrap_or_default());
            match next {
                Some(n) => url = n,
                None => break,
            }
        }
        crate::natural_sort::sort(&mut all);
        all.dedup();
        Ok(all)
    }

    fn manifest_request(
        &self,
        method: Method,
        repository: &Repository,
        reference: &Reference,
    ) -> Request {
        Request::new(
            method,
            self.t
                .url(&format!("/v2/{repository}/manifests/{reference}")),
            format!("{repository}{}{reference}", reference.separator()),
        )
        .scope(repository_scope(repository.as_str(), "pull"))
        .header(header::ACCEPT, media::MANIFEST_ACCEPT)
    }

    /// `HEAD` a manifest: its digest, type and size, without counting as a pull on Docker Hub.
    pub async fn head_manifest(
        &self,
        repository: &Repository,
        reference: &Reference,
    ) -> Result<ManifestHead> {
        let req = self.manifest_request(Method::HEAD, repository, reference);
        let resp = self.t.retrying(&req.what, || self.t.send(&req)).await?;
        let digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| Digest::parse(v).ok());
        let media_type = content_type(&resp).unwrap_or_default();
        let size = resp.content_length();
        if let Some(digest) = digest {
            Ok(ManifestHead {
                digest,
                media_type,
                size,
            })
        } else {
            // Without the header a HEAD cannot tell the digest; fall back to GET.
            let m = self.manifest(repository, reference).await?;
            Ok(ManifestHead {
                digest: m.digest,
                media_type: m.media_type,
                size: Some(m.bytes.len() as u64),
            })
        }
    }

    /// `GET` a manifest, verified against `Docker-Content-Digest` and, when `reference` is a
    /// digest, against that.
    pub async fn manifest(
        &self,
        repository: &Repository,
        reference: &Reference,
    ) -> Result<FetchedManifest> {
        let req = self.manifest_request(Method::GET, repository, reference);
        self.t
            .retrying(&req.what, || self.manifest_once(&req, reference))
            .await
    }

    async fn manifest_once(&self, req: &Request, reference: &Reference) -> Result<FetchedManifest> {
        let resp = self.t.send(req).await?;
        let what = req.what.clone();
        let header_digest = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ctype = content_type(&resp);
        let bytes = self
            .read_limited(resp, MAX_MANIFEST_BYTES as u64, &what)
            .await?;
        let actual = Digest::of(&bytes);
        // The digest asked for is checked in its own algorithm (a `sha512:` reference too);
        // a `Docker-Content-Digest` in an algorithm we do not verify says nothing, and the
        // sha256 of the bytes is what the manifest is stored under.
        let header = header_digest.and_then(|d| Digest::parse(&d).ok());
        for expected in [header.as_ref(), reference.digest()].into_iter().flatten() {
            let actual = Digest::of_with(expected.algorithm(), &bytes);
            if *expected != actual {
                return Err(Error::DigestMismatch {
                    what,
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        FetchedManifest::parse(bytes, ctype.as_deref(), actual)
            .map_err(|e| Error::InvalidContent { what, reason: e.0 })
    }

    /// A whole blob in memory (configs, small artifacts), verified, retried on damage.
    pub async fn blob_bytes(
        &self,
        repository: &Repository,
        digest: &Digest,
        size: Option<u64>,
        limit: u64,
    ) -> Result<Bytes> {
        if let Some(s) = size.filter(|s| *s > limit) {
            return Err(Error::TooLarge {
                what: format!("blob {digest} ({s} bytes)"),
                limit,
            });
        }
        self.t
            .retrying(digest.as_str(), || {
                self.blob_bytes_once(repository, digest, size, limit)
            })
            .await
    }

    async fn blob_bytes_once(
        &self,
        repository: &Repository,
        digest: &Digest,
        size: Option<u64>,
        limit: u64,
    ) -> Result<Bytes> {
        let mut stream = std::pin::pin!(self.blob(repository, digest, size).await?);
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            if (out.len() + chunk.len()) as u64 > limit {
                return Err(Error::TooLarge {
                    what: format!("blob {digest}"),
                    limit,
                });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.into())
    }

    /// Streams a blob. Each chunk is hashed as it passes; the stream ends with an error
    /// instead of its last `None` if the size or digest is wrong, so a consumer that writes
    /// chunks to disk must only commit after the stream ended cleanly.
    pub async fn blob(
        &self,
        repository: &Repository,
        digest: &Digest,
        size: Option<u64>,
    ) -> Result<impl Stream<Item = Result<Bytes>> + Send + use<>> {
        let req = Request::new(
            Method::GET,
            self.t.url(&format!("/v2/{repository}/blobs/{digest}")),
            format!("blob {digest}"),
        )
        .scope(repository_scope(repository.as_str(), "pull"))
        .streaming();
        let resp = self.t.retrying(&req.what, || self.t.send(&req)).await?;
        let what = format!("blob {digest}");
        let verifier = Verifier::new(Some(digest.clone()), size);
        let body = guarded_body(resp, self.t.limits, self.t.host.clone(), what.clone());
        Ok(futures_util::stream::unfold(
            (body.boxed(), Some(verifier)),
            move |(mut body, verifier)| {
                let what = what.clone();
                async move {
                    let mut verifier = verifier?;
                    match body.next().await {
                        Some(Ok(chunk)) => match verifier.update(&chunk) {
                            Ok(()) => Some((Ok(chunk), (body, Some(verifier)))),
                            Err(e) => Some((Err(Error::from_verify(&what, e)), (body, None))),
                        },
                        Some(Err(e)) => Some((Err(e), (body, None))),
                        None => match verifier.finish() {
                            Ok(_) => None,
                            Err(e) => Some((Err(Error::from_verify(&what, e)), (body, None))),
                        },
                    }
                }
            },
        ))
    }

    /// Manifest, platforms and config of a reference. For an index, the entry for `platform`
    /// is shown in detail; if there is none, `image` is `None` and the entries tell what exists.
    pub async fn inspect(
        &self,
        repository: &Repository,
        reference: &Reference,
        platform: &Platform,
    ) -> Result<ImageDetail> {
        let top = self.manifest(repository, reference).await?;
        let entries = top.index_entries();
        let image = match Chosen::of(&top, &entries, platform) {
            Chosen::Itself => Some((self.image_info(repository, &top).await?, None)),
            Chosen::Entry(entry) => {
                let child = self
                    .manifest(repository, &Reference::Digest(entry.digest.clone()))
                    .await?;
                Some((self.image_info(repository, &child).await?, Some(entry)))
            }
            Chosen::Missing => None,
        };
        let reference = format!(
            "{}/{repository}{}{reference}",
            self.t.host,
            reference.separator()
        );
        let mut detail = ImageDetail::assemble(reference, &top, entries.clone(), image, platform);
        match self.referrers(repository, &top.digest, None).await {
            Ok(r) => detail.referrers = r,
            Err(e) => detail.referrers_error = Some(e.to_string()),
        }
        Ok(detail)
    }

    /// An image manifest plus its config blob.
    pub async fn image_info(
        &self,
        repository: &Repository,
        manifest: &FetchedManifest,
    ) -> Result<ImageInfo> {
        let Manifest::Image(m) = &manifest.manifest else {
            return Err(Error::InvalidContent {
                what: manifest.digest.to_string(),
                reason: "expected an image manifest".to_owned(),
            });
        };
        let cfg = m.config();
        let cfg_digest =
            Digest::parse(cfg.digest().as_ref()).map_err(|e| Error::InvalidContent {
                what: manifest.digest.to_string(),
                reason: e.to_string(),
            })?;
        let config = self
            .blob_bytes(repository, &cfg_digest, Some(cfg.size()), MAX_CONFIG_BYTES)
            .await?;
        ImageInfo::from_parts(manifest, config.to_vec().into()).map_err(|e| Error::InvalidContent {
            what: format!("config {cfg_digest}"),
            reason: e.0,
        })
    }

    async fn read_limited(
        &self,
        resp: reqwest::Response,
        limit: u64,
        what: &str,
    ) -> Result<Vec<u8>> {
        if resp.content_length().is_some_and(|l| l > limit) {
            return Err(Error::TooLarge {
                what: what.to_owned(),
                limit,
            });
        }
        let mut out = Vec::new();
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| transfer_error(&e, self.t.host.clone(), what.into()))?;
            if (out.len() + chunk.len()) as u64 > limit {
                return Err(Error::TooLarge {
                    what: what.to_owned(),
                    limit,
                });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    pub(crate) async fn json<T: serde::de::DeserializeOwned>(
        &self,
        resp: reqwest::Response,
        what: &str,
    ) -> Result<T> {
        let bytes = self.read_limited(resp, 64 * 1024 * 1024, what).await?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Protocol {
            registry: self.t.host.clone(),
            reason: format!("{what}: invalid JSON: {e}"),
        })
    }
}

fn content_type(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned())
}

/// The next page named by `resp`'s `Link` header, refused when it leaves the registry's
/// origin (ARCHITECTURE.md, "Credentials").
pub(crate) fn link_of(resp: &reqwest::Response, t: &Transport) -> Result<Option<String>> {
    resp.headers()
        .get(header::LINK)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| next_link(v, &t.base))
        .map(|next| checked_next(next, &t.base, &t.host))
        .transpose()
}
