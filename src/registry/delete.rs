//! Deleting a manifest, and first saying what goes with it: distribution deletes by digest,
//! and every tag that points at that digest goes too.

use super::auth::repository_scope;
use super::client::RegistryClient;
use super::error::{Error, Result};
use super::transport::Request;
use crate::oci::{Digest, Reference, Repository};
use futures_util::StreamExt as _;
use reqwest::Method;

/// How many tags are asked for (`HEAD`) at once while predicting a delete.
pub const SWEEP_CONCURRENCY: usize = 8;

/// What deleting a digest takes with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeletePlan {
    pub repository: Repository,
    pub digest: Digest,
    /// Every tag of the repository that points at `digest`, naturally sorted.
    pub tags: Vec<String>,
}

impl RegistryClient {
    /// The tags of `repository` that point at `digest`, found by a `HEAD` of each tag with bounded
    /// concurrency. `progress(done, total)` is called after each answer.
    pub async fn tags_sharing(
        &self,
        repository: &Repository,
        digest: &Digest,
        progress: impl Fn(usize, usize),
    ) -> Result<Vec<String>> {
        let tags = self.tags(repository).await?;
        let total = tags.len();
        let mut heads = futures_util::stream::iter(tags.into_iter().map(|tag| async move {
            let head = self
                .head_manifest(repository, &Reference::Tag(tag.clone()))
                .await;
            (tag, head)
        }))
        .buffer_unordered(SWEEP_CONCURRENCY);
        let mut sharing = Vec::new();
        let mut done = 0;
        while let Some((tag, head)) = heads.next().await {
            done += 1;
            progress(done, total);
            match head {
                Ok(h) if &h.digest == digest => sharing.push(tag),
                // A tag deleted while we sweep no longer points anywhere.
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        crate::natural_sort::sort(&mut sharing);
        Ok(sharing)
    }

    /// Resolves `reference` (tag or digest) and predicts what a delete takes.
    pub async fn plan_delete(
        &self,
        repository: &Repository,
        reference: &Reference,
        progress: impl Fn(usize, usize),
    ) -> Result<DeletePlan> {
        let digest = match reference {
            Reference::Digest(d) => d.clone(),
            Reference::Tag(_) => self.head_manifest(repository, reference).await?.digest,
        };
        let tags = self.tags_sharing(repository, &digest, progress).await?;
        Ok(DeletePlan {
            repository: repository.clone(),
            digest,
            tags,
        })
    }

    /// `DELETE /v2/NAME/manifests/REFERENCE`. Never retried: a replayed delete could remove
    /// something pushed in between. 202 means deleted; 405 or `UNSUPPORTED` means delete is
    /// disabled; `DIGEST_INVALID` for a tag means this registry deletes only by digest.
    pub async fn delete_manifest(
        &self,
        repository: &Repository,
        reference: &Reference,
    ) -> Result<()> {
        let req = Request::new(
            Method::DELETE,
            self.t
                .url(&format!("/v2/{repository}/manifests/{reference}")),
            format!("{repository}{}{reference}", reference.separator()),
        )
        .scope(repository_scope(repository.as_str(), "delete"))
        .scope(repository_scope(repository.as_str(), "pull"));
        match self.t.send(&req).await {
            Ok(_) => Ok(()),
            Err(Error::Status {
                status: 400, codes, ..
            }) if reference.digest().is_none()
                && codes.iter().any(|c| c.code == "DIGEST_INVALID") =>
            {
                Err(Error::DeleteByDigestOnly {
                    registry: self.t.host.clone(),
                })
            }
            Err(e) => Err(e),
        }
    }
}
