//! Untag: removing one tag while the other tags on the same digest stay (issue 23). A plan
//! names the tag, its digest and its siblings (every other tag on that digest, through the
//! repository's tag lookup, [`RegistryClient::plan_delete_with`]) and the method, found
//! before anything is confirmed by a probe that changes nothing: a `DELETE` of a tag that
//! cannot exist. A registry that answers 202 or 404 deletes tags (OCI distribution 1.1) and
//! gets [`UntagMethod::TagDelete`]; one that answers 400, 405 or `UNSUPPORTED` (distribution
//! 2.x) gets regctl's [`UntagMethod::Placeholder`]: the empty config `{}` and a small manifest
//! unique to this untag are pushed to the tag, then that manifest is deleted by its digest,
//! which takes only this tag. Such a registry must still delete by digest; a second probe (a
//! digest that cannot exist) checks that, so a registry with deleting off is refused before
//! the tag is overwritten. Just before acting the tag must still point at the planned digest;
//! afterwards the tag must be gone and every sibling on its digest, or the result says loudly
//! what the registry did instead.

use super::client::RegistryClient;
use super::error::{Error, PlanChange, Result};
use super::tag_lookup::TagLookup;
use crate::oci::{Digest, Reference, Repository};
use bytes::Bytes;
use tokio_util::sync::CancellationToken;

/// The empty JSON object, OCI 1.1's empty descriptor: the placeholder's config.
const EMPTY_CONFIG: &[u8] = b"{}";
const EMPTY_CONFIG_TYPE: &str = "application/vnd.oci.empty.v1+json";
const PLACEHOLDER_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// The annotation that names the tag a placeholder removes.
const PLACEHOLDER_ANNOTATION: &str = "dev.berth.untag";

/// How the registry is asked to remove a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UntagMethod {
    /// `DELETE /v2/NAME/manifests/TAG`, which OCI distribution 1.1 allows.
    TagDelete,
    /// regctl's way for registries that delete only by digest: a unique placeholder manifest
    /// is pushed to the tag, then deleted by its digest. Writes to the registry briefly.
    Placeholder,
}

impl UntagMethod {
    /// The stable name (`--json`, message selectors).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TagDelete => "tag_delete",
            Self::Placeholder => "placeholder",
        }
    }
}

/// One tag to remove, as the confirmation shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UntagPlan {
    pub repository: Repository,
    pub tag: String,
    /// Where the tag pointed when planned; the untag refuses if it points elsewhere.
    pub digest: Digest,
    /// Every other tag on `digest`, naturally sorted: they must stay.
    pub siblings: Vec<String>,
    pub method: UntagMethod,
}

impl UntagPlan {
    /// The plan for removing `tag` alone, from the delete plan of its digest: every other
    /// tag on that digest must stay. The one way the window and the CLI make an untag plan.
    #[must_use]
    pub fn of_tag(plan: &super::DeletePlan, tag: &str, method: UntagMethod) -> Self {
        Self {
            repository: plan.repository.clone(),
            tag: tag.to_owned(),
            digest: plan.digest.clone(),
            siblings: plan
                .tag_names()
                .filter(|t| *t != tag)
                .map(str::to_owned)
                .collect(),
            method,
        }
    }
}

/// A sibling that did not stay where it was.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiblingChange {
    pub tag: String,
    pub before: Digest,
    /// Where it points now; `None` when it is gone.
    pub after: Option<Digest>,
}

/// What an untag did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Untagged {
    pub tag: String,
    pub digest: Digest,
    pub method: UntagMethod,
    /// The placeholder pushed and deleted again (the placeholder method only).
    pub placeholder: Option<Digest>,
}

impl RegistryClient {
    /// Finds how this registry removes a tag, without changing anything: a `DELETE` of a tag
    /// no one uses (202 or 404: tag deletes work), and if that is refused, of a digest no
    /// manifest has (404: deleting by digest works, so the placeholder method can).
    pub async fn probe_untag_method(&self, repository: &Repository) -> Result<UntagMethod> {
        let nonce = nonce();
        let tag = Reference::Tag(format!("berth-untag-probe-{}", &nonce.hex()[..24]));
        match self.delete_manifest(repository, &tag).await {
            Ok(()) | Err(Error::NotFound { .. }) => return Ok(UntagMethod::TagDelete),
            Err(e) if tag_delete_refused(&e) => {}
            Err(e) => return Err(e),
        }
        match self.delete_manifest(repository, &nonce.into()).await {
            Ok(()) | Err(Error::NotFound { .. }) => Ok(UntagMethod::Placeholder),
            Err(e) => Err(e),
        }
    }

    /// Plans removing `tags` of the lookup's repository: each tag's digest and siblings
    /// (asked again, as a delete plan does) and the registry's method.
    pub async fn plan_untag_with(
        &self,
        lookup: &TagLookup,
        tags: &[String],
        cancel: &CancellationToken,
        progress: impl Fn(super::Progress),
    ) -> Result<Vec<UntagPlan>> {
        let refs: Vec<Reference> = tags.iter().cloned().map(Reference::Tag).collect();
        let deletes = self
            .plan_delete_with(lookup, &refs, cancel, progress)
            .await?;
        let method = self.probe_untag_method(lookup.repository()).await?;
        let mut plans = Vec::new();
        for tag in tags {
            let Some(d) = deletes.iter().find(|d| d.tag_names().any(|t| t == tag)) else {
                continue;
            };
            if plans.iter().any(|p: &UntagPlan| p.tag == *tag) {
                continue;
            }
            plans.push(UntagPlan::of_tag(d, tag, method));
        }
        Ok(plans)
    }

    /// [`Self::plan_untag_with`] through the repository's shared tag lookup.
    pub async fn plan_untag(
        &self,
        repository: &Repository,
        tags: &[String],
        progress: impl Fn(super::Progress),
    ) -> Result<Vec<UntagPlan>> {
        let lookup = self.tag_lookup(repository);
        self.plan_untag_with(&lookup, tags, &CancellationToken::new(), progress)
            .await
    }

    /// Carries out one plan: checks that the tag still points at the planned digest, removes
    /// it by the planned method, then checks that it is gone and that every sibling still
    /// points at its digest. `also_going` are tags untagged in the same batch: they are not
    /// expected to stay.
    pub async fn untag_planned(&self, plan: &UntagPlan, also_going: &[String]) -> Result<Untagged> {
        let repository = &plan.repository;
        let reference = format!("{repository}:{}", plan.tag);
        let tag = Reference::Tag(plan.tag.clone());
        let now = self.head_manifest(repository, &tag).await?.digest;
        if now != plan.digest {
            return Err(Error::PlanChanged {
                reference,
                digest: now,
                change: PlanChange::Moved,
            });
        }
        let siblings: Vec<&String> = plan
            .siblings
            .iter()
            .filter(|s| !also_going.contains(s))
            .collect();
        let placeholder = match plan.method {
            UntagMethod::TagDelete => {
                self.delete_manifest(repository, &tag).await?;
                None
            }
            UntagMethod::Placeholder => Some(self.replace_and_delete(plan).await?),
        };
        match self.head_manifest(repository, &tag).await {
            Err(Error::NotFound { .. }) => {}
            Ok(head) => {
                return Err(Error::TagRemained {
                    reference,
                    digest: head.digest,
                });
            }
            Err(e) => return Err(e),
        }
        let mut changed = Vec::new();
        for sibling in siblings {
            let after = match self
                .head_manifest(repository, &Reference::Tag(sibling.clone()))
                .await
            {
                Ok(head) => Some(head.digest),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            if after.as_ref() != Some(&plan.digest) {
                changed.push(SiblingChange {
                    tag: sibling.clone(),
                    before: plan.digest.clone(),
                    after,
                });
            }
        }
        if !changed.is_empty() {
            return Err(Error::UntagDisturbed { reference, changed });
        }
        Ok(Untagged {
            tag: plan.tag.clone(),
            digest: plan.digest.clone(),
            method: plan.method,
            placeholder,
        })
    }

    /// Pushes `{}` and a placeholder unique to this untag to the tag, then deletes the
    /// placeholder by digest. Returns the placeholder's digest.
    async fn replace_and_delete(&self, plan: &UntagPlan) -> Result<Digest> {
        let repository = &plan.repository;
        let config = Digest::of(EMPTY_CONFIG);
        if !self.blob_exists(repository, &config).await? {
            let mut upload = self.start_upload(repository).await?;
            self.upload_chunk(&mut upload, EMPTY_CONFIG).await?;
            self.finish_upload(upload, &config).await?;
        }
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": PLACEHOLDER_TYPE,
            "config": {
                "mediaType": EMPTY_CONFIG_TYPE,
                "digest": config.as_str(),
                "size": EMPTY_CONFIG.len(),
            },
            "layers": [],
            "annotations": {
                PLACEHOLDER_ANNOTATION: plan.tag,
                "dev.berth.untag.nonce": nonce().hex(),
            },
        });
        let bytes = Bytes::from(manifest.to_string());
        let tag = Reference::Tag(plan.tag.clone());
        let placeholder = self
            .put_manifest(repository, &tag, PLACEHOLDER_TYPE, bytes)
            .await?;
        self.delete_manifest(repository, &placeholder.clone().into())
            .await
            .map_err(|e| Error::PlaceholderLeft {
                reference: format!("{repository}:{}", plan.tag),
                placeholder: placeholder.clone(),
                cause: Box::new(e),
            })?;
        Ok(placeholder)
    }
}

/// Whether a tag `DELETE` was refused in a way that means "delete by digest instead".
fn tag_delete_refused(e: &Error) -> bool {
    matches!(
        e,
        Error::DeleteByDigestOnly { .. } | Error::DeleteDisabled { .. }
    ) || matches!(e.status(), Some(400 | 405))
        || e.codes().iter().any(|c| c.code == "UNSUPPORTED")
}

/// A digest of random bytes: names no manifest, and makes each placeholder unique.
fn nonce() -> Digest {
    Digest::of(&rand::random::<[u8; 32]>())
}
