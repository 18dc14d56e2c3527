//! Referrers of a manifest (signatures, SBOMs, attestations): the OCI 1.1 referrers API,
//! and the `sha256-HEX` tag schema for registries without it (distribution 2.8). The answer
//! says how it was found, so the window never claims "none" where the registry could not tell
//! (ARCHITECTURE.md: what the window says is what happened).

use super::auth::repository_scope;
use super::client::{RegistryClient, link_of};
use super::error::{Error, Result};
use super::link::Pager;
use super::transport::Request;
use crate::oci::image::Referrer;
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository, media};
use reqwest::{Method, header};

/// How the referrers were looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookedBy {
    /// The registry answered the referrers API: the list is complete.
    Api,
    /// No referrers API; the `sha256-HEX` fallback tag exists and lists these.
    FallbackTag,
    /// No referrers API and no fallback tag: the registry cannot say. Artifacts pushed
    /// without maintaining the fallback tag are only found by looking through the repository.
    NoApiNoFallbackTag,
}

/// Referrers and how they were found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferrersLookup {
    pub referrers: Vec<Referrer>,
    pub looked_by: LookedBy,
}

impl RegistryClient {
    /// Every referrer of `digest`, optionally only those of `artifact_type`.
    pub async fn referrers(
        &self,
        repository: &Repository,
        digest: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Vec<Referrer>> {
        Ok(self
            .lookup_referrers(repository, digest, artifact_type)
            .await?
            .referrers)
    }

    /// Every referrer of `digest` (optionally only of `artifact_type`), and whether it came
    /// from the API, the fallback tag, or neither.
    pub async fn lookup_referrers(
        &self,
        repository: &Repository,
        digest: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<ReferrersLookup> {
        let mut url = self.t.url(&format!("/v2/{repository}/referrers/{digest}"));
        if let Some(t) = artifact_type {
            url.push_str("?artifactType=");
            url.push_str(&urlencode(t));
        }
        let mut all = Vec::new();
        let mut filtered_by_server = false;
        let mut pager = Pager::new(&self.t.host, &format!("the referrers of {digest}"));
        loop {
            pager.visit(&url)?;
            let req = Request::new(Method::GET, url, format!("referrers of {digest}"))
                .scope(repository_scope(repository.as_str(), "pull"))
                .header(header::ACCEPT, media::OCI_INDEX);
            let resp = match self.t.retrying(&req.what, || self.t.send(&req)).await {
                Ok(r) => r,
                // No referrers API: fall back to the tag schema.
                Err(Error::NotFound { .. }) if all.is_empty() => {
                    return self
                        .referrers_by_tag(repository, digest, artifact_type)
                        .await;
                }
                Err(e) => return Err(e),
            };
            filtered_by_server |= resp.headers().contains_key("oci-filters-applied");
            let next = link_of(&resp, &self.t)?;
            let index: oci_spec::image::ImageIndex = self.json(resp, "referrers").await?;
            all.extend(entries(&index));
            match next {
                Some(n) => url = n,
                None => break,
            }
        }
        // Registries may ignore the filter; apply it ourselves either way.
        if !filtered_by_server && let Some(t) = artifact_type {
            all.retain(|r| r.artifact_type.as_deref() == Some(t));
        }
        Ok(ReferrersLookup {
            referrers: all,
            looked_by: LookedBy::Api,
        })
    }

    async fn referrers_by_tag(
        &self,
        repository: &Repository,
        digest: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<ReferrersLookup> {
        // The fallback schema's tag is `<alg>-<hex>`.
        let tag = Reference::Tag(format!("{}-{}", digest.algorithm(), digest.hex()));
        let index = match self.manifest(repository, &tag).await {
            Ok(FetchedManifest {
                manifest: Manifest::Index(index),
                ..
            }) => index,
            // A tag of that name that is not an index is not the fallback schema's.
            Ok(_) | Err(Error::NotFound { .. }) => {
                return Ok(ReferrersLookup {
                    referrers: Vec::new(),
                    looked_by: LookedBy::NoApiNoFallbackTag,
                });
            }
            Err(e) => return Err(e),
        };
        let mut all = entries(&index);
        if let Some(t) = artifact_type {
            all.retain(|r| r.artifact_type.as_deref() == Some(t));
        }
        Ok(ReferrersLookup {
            referrers: all,
            looked_by: LookedBy::FallbackTag,
        })
    }
}

fn entries(index: &oci_spec::image::ImageIndex) -> Vec<Referrer> {
    index
        .manifests()
        .iter()
        .filter_map(|d| {
            Some(Referrer {
                digest: Digest::parse(d.digest().as_ref()).ok()?,
                media_type: d.media_type().to_string(),
                size: d.size(),
                artifact_type: d.artifact_type().as_ref().map(ToString::to_string),
                annotations: d
                    .annotations()
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
            })
        })
        .collect()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
