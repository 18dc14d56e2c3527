//! Deleting manifests, and first saying what goes with them: distribution deletes by digest,
//! and every tag that points at that digest goes too. A delete is planned (which digests,
//! every tag on each), the plan is shown, and only the plan is carried out, after checking
//! that the registry still looks as it did (ARCHITECTURE.md, "A confirmation is a contract").

use super::auth::repository_scope;
use super::client::RegistryClient;
use super::error::{Error, PlanChange, Result};
use super::tag_lookup::{FILL_CONCURRENCY, Progress, TagLookup};
use super::transport::Request;
use crate::oci::{Digest, Reference, Repository};
use futures_util::StreamExt as _;
use reqwest::Method;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How many tags are asked for (`HEAD`) at once while planning or checking a delete.
pub const SWEEP_CONCURRENCY: usize = 8;

/// A tag that a delete takes, and whether the user named it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedTag {
    pub tag: String,
    /// False for a tag that goes only because it shares the digest of one that was named.
    pub given: bool,
}

/// What deleting one digest takes with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeletePlan {
    pub repository: Repository,
    pub digest: Digest,
    /// Every tag of the repository that points at `digest`, naturally sorted.
    pub tags: Vec<PlannedTag>,
    /// Every tag the repository listed when the plan was made: the check before deleting
    /// resolves only tags that are not here.
    #[serde(skip)]
    pub listed: Arc<Vec<String>>,
}

impl DeletePlan {
    /// The names of the tags that go.
    pub fn tag_names(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.tag.as_str())
    }
}

impl RegistryClient {
    /// `HEAD` of each of `tags`, with bounded concurrency. A tag that is gone is left out.
    /// `progress(done, total)` is called after each answer.
    async fn resolve_tags(
        &self,
        repository: &Repository,
        tags: Vec<String>,
        progress: impl Fn(usize, usize),
    ) -> Result<HashMap<String, Digest>> {
        let total = tags.len();
        let mut heads = futures_util::stream::iter(tags.into_iter().map(|tag| async move {
            let head = self
                .head_manifest(repository, &Reference::Tag(tag.clone()))
                .await;
            (tag, head)
        }))
        .buffer_unordered(SWEEP_CONCURRENCY);
        let mut found = HashMap::new();
        let mut done = 0;
        while let Some((tag, head)) = heads.next().await {
            done += 1;
            progress(done, total);
            match head {
                Ok(h) => {
                    found.insert(tag, h.digest);
                }
                // A tag deleted while we sweep no longer points anywhere.
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(found)
    }

    /// Plans deleting `references` (tags or digests) of `repository` through the
    /// repository's shared tag lookup ([`Self::plan_delete_with`]). `progress(done, total)`
    /// counts the tags the lookup did not know: `done` of the `total` it asks for, after
    /// each answer (never called when it knew them all).
    pub async fn plan_delete_many(
        &self,
        repository: &Repository,
        references: &[Reference],
        progress: impl Fn(usize, usize),
    ) -> Result<Vec<DeletePlan>> {
        let lookup = self.tag_lookup(repository);
        let base = std::sync::OnceLock::new();
        let asked = |p: Progress| {
            let base = *base.get_or_init(|| p.known);
            let (done, total) = (p.known.saturating_sub(base), p.total.saturating_sub(base));
            if done > 0 {
                progress(done, total);
            }
        };
        self.plan_delete_with(&lookup, references, &CancellationToken::new(), asked)
            .await
    }

    /// Plans deleting `references` (tags or digests) of the lookup's repository: one plan
    /// per digest, in the order the references name them, each with every tag on it and
    /// whether the caller named that tag. Digests the lookup knows are reused; the tags it
    /// does not know are asked with [`FILL_CONCURRENCY`] `HEAD`s in flight (`progress`
    /// says how far); then the tags the plan takes are asked again, unless they were answered
    /// during this plan. A lookup that already knew every digest costs one `HEAD` per planned
    /// tag and the listing.
    pub async fn plan_delete_with(
        &self,
        lookup: &TagLookup,
        references: &[Reference],
        cancel: &CancellationToken,
        progress: impl Fn(Progress),
    ) -> Result<Vec<DeletePlan>> {
        let repository = lookup.repository();
        let since = lookup.mark();
        let mut digests: Vec<Digest> = Vec::new();
        let mut given = BTreeSet::new();
        for reference in references {
            let digest = match reference {
                Reference::Digest(d) => d.clone(),
                // A named tag is always asked again: it decides what goes.
                Reference::Tag(tag) => {
                    given.insert(tag.clone());
                    lookup.head(self, tag).await?.digest
                }
            };
            if !digests.contains(&digest) {
                digests.push(digest);
            }
        }
        let listed = Arc::new(self.tags(repository).await?);
        // A table that lists its tags again makes the lookup forget; then start over rather
        // than miss a tag whose answer was dropped.
        let going = loop {
            let generation = lookup.generation();
            lookup
                .fill(self, &listed, FILL_CONCURRENCY, cancel, &progress)
                .await?;
            // Known digests may be old: the tags that go are asked again before they are
            // shown.
            let stale: Vec<String> = lookup
                .pointing_at(&listed, &digests, since)
                .into_iter()
                .filter(|p| !p.fresh)
                .map(|p| listed[p.tag].clone())
                .collect();
            lookup.recheck(self, &stale, cancel).await?;
            let mut going: Vec<Vec<String>> = vec![Vec::new(); digests.len()];
            for p in lookup.pointing_at(&listed, &digests, since) {
                going[p.digest].push(listed[p.tag].clone());
            }
            if lookup.generation() == generation {
                break going;
            }
        };
        let plans = digests
            .iter()
            .zip(going)
            .map(|(digest, mut names)| {
                crate::natural_sort::sort(&mut names);
                DeletePlan {
                    repository: repository.clone(),
                    tags: names
                        .into_iter()
                        .map(|tag| PlannedTag {
                            given: given.contains(&tag),
                            tag,
                        })
                        .collect(),
                    digest: digest.clone(),
                    listed: Arc::clone(&listed),
                }
            })
            .collect();
        Ok(plans)
    }

    /// Resolves `reference` (tag or digest) and plans its delete.
    pub async fn plan_delete(
        &self,
        repository: &Repository,
        reference: &Reference,
        progress: impl Fn(usize, usize),
    ) -> Result<DeletePlan> {
        let mut plans = self
            .plan_delete_many(repository, std::slice::from_ref(reference), progress)
            .await?;
        plans.pop().ok_or_else(|| Error::NotFound {
            what: format!("{repository}{}{reference}", reference.separator()),
            codes: Vec::new(),
        })
    }

    /// Checks, just before deleting, that the registry still looks as `plans` (of one
    /// repository) said: every planned tag still points at its planned digest (or is gone),
    /// and no tag that was not listed then now points at a digest being deleted. Only tags
    /// the plan has not seen are resolved again, besides the planned ones.
    pub async fn check_plans(&self, plans: &[DeletePlan]) -> Result<()> {
        let Some(first) = plans.first() else {
            return Ok(());
        };
        let repository = &first.repository;
        let planned: HashMap<String, Digest> = plans
            .iter()
            .flat_map(|p| p.tag_names().map(|t| (t.to_owned(), p.digest.clone())))
            .collect();
        let now = self
            .resolve_tags(repository, planned.keys().cloned().collect(), |_, _| {})
            .await?;
        for (tag, digest) in &now {
            if planned.get(tag) != Some(digest) {
                return Err(plan_changed(repository, tag, digest, PlanChange::Moved));
            }
        }
        // Plans made together share one listing; millions of names are hashed once.
        let mut seen: HashSet<&str> = HashSet::new();
        let mut listings: Vec<&Arc<Vec<String>>> = Vec::new();
        for p in plans {
            if !listings.iter().any(|l| Arc::ptr_eq(l, &p.listed)) {
                listings.push(&p.listed);
                seen.extend(p.listed.iter().map(String::as_str));
            }
        }
        let new = self
            .tags(repository)
            .await?
            .into_iter()
            .filter(|t| !seen.contains(t.as_str()))
            .collect();
        let new = self.resolve_tags(repository, new, |_, _| {}).await?;
        let mut new: Vec<_> = new.into_iter().collect();
        new.sort();
        for (tag, digest) in new {
            if plans.iter().any(|p| p.digest == digest) {
                return Err(plan_changed(repository, &tag, &digest, PlanChange::Added));
            }
        }
        Ok(())
    }

    /// Carries out `plans` (of one repository) after [`Self::check_plans`]: one `DELETE` per
    /// digest, stopping at the first failure.
    pub async fn delete_planned(&self, plans: &[DeletePlan]) -> Result<()> {
        self.check_plans(plans).await?;
        for plan in plans {
            self.delete_manifest(&plan.repository, &plan.digest.clone().into())
                .await?;
        }
        Ok(())
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

fn plan_changed(repository: &Repository, tag: &str, digest: &Digest, change: PlanChange) -> Error {
    Error::PlanChanged {
        reference: format!("{repository}:{tag}"),
        digest: digest.clone(),
        change,
    }
}
