//! Retention rules ("keep the newest 10, never touch `release-*`, only tags older than 30
//! days"), planned without the network: [`plan`] reads what is known of each tag (digest,
//! created date) and of each manifest (its blobs) and says what would be deleted, what is
//! kept and why, and which digests are protected because a kept tag points at them too.
//! [`facts`] gathers that input from a registry; [`RetainPlan::delete_plans`] turns the
//! result into the delete plans the delete job carries out (ARCHITECTURE.md, "deleting").

pub mod facts;
mod semver;
#[cfg(test)]
mod tests;

pub use semver::Version;

use crate::oci::{Digest, Repository};
use crate::registry::{DeletePlan, PlannedTag};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// What goes wrong before a retention plan exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A glob that does not parse; `field` is the option or dialog field it was given in.
    #[error("invalid {field:?} pattern {pattern:?}: {reason}")]
    InvalidGlob {
        field: GlobField,
        pattern: String,
        reason: String,
    },
    /// Untagged manifests were asked for, but the registry's API cannot list them (the
    /// distribution API lists tags only).
    #[error("{registry} cannot list untagged manifests")]
    UntaggedNotListable { registry: String },
}

impl Error {
    /// The stable kind (`--json`, `cli-hint-*`).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidGlob { .. } => "invalid_glob",
            Self::UntaggedNotListable { .. } => "untagged_not_listable",
        }
    }
}

/// Which rule a glob was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobField {
    /// `--match`: only tags matching it are considered.
    Match,
    /// `--exclude`: tags matching it are never touched.
    Exclude,
}

impl GlobField {
    /// The CLI option's name.
    #[must_use]
    pub fn option(self) -> &'static str {
        match self {
            Self::Match => "--match",
            Self::Exclude => "--exclude",
        }
    }
}

/// A compiled tag glob (`sha-*`, `v1.*`, `release-[0-9]*`).
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    matcher: globset::GlobMatcher,
}

impl Pattern {
    /// Compiles `text`; an error names `field`.
    pub fn new(field: GlobField, text: &str) -> Result<Self, Error> {
        globset::Glob::new(text)
            .map(|g| Self {
                text: text.to_owned(),
                matcher: g.compile_matcher(),
            })
            .map_err(|e| Error::InvalidGlob {
                field,
                pattern: text.to_owned(),
                reason: e.kind().to_string(),
            })
    }

    #[must_use]
    pub fn matches(&self, tag: &str) -> bool {
        self.matcher.is_match(tag)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// How "newest" is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// The image config's created date (an index: its newest platform's).
    #[default]
    Date,
    /// The tag read as a semantic version.
    Semver,
}

/// The rules, as Harbor's retention rules read.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Keep this many of the considered tags, newest first.
    pub keep: usize,
    pub by: Order,
    /// Only tags matching this are considered; the rest are kept.
    pub matching: Option<Pattern>,
    /// Tags matching this are never touched.
    pub exclude: Option<Pattern>,
    /// Only tags created more than this many days before `now` may go.
    pub older_than_days: Option<u64>,
    /// Also delete manifests no tag points at, where the registry can list them.
    pub untagged: bool,
    /// Unix seconds: "now" for `older_than_days`, injected.
    pub now: i64,
}

/// What is known of one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFact {
    pub tag: String,
    pub digest: Digest,
    /// Unix seconds; `None` when the config has no date (or it could not be read).
    pub created: Option<i64>,
}

/// One blob a manifest refers to (the tag facts' own, which remember them per digest).
pub use crate::registry::tag_facts::Blob;

/// Manifests no tag points at, as far as the registry can tell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Untagged {
    /// Not asked for.
    #[default]
    NotAsked,
    /// Asked for, but this registry's API cannot list them.
    NotListable { registry: String },
    /// The registry listed these (digest, created).
    Listed(Vec<(Digest, Option<i64>)>),
}

/// Everything the planner reads.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub tags: Vec<TagFact>,
    /// The blobs (config and layers, of every platform) of each manifest, where known.
    pub blobs: HashMap<Digest, Vec<Blob>>,
    pub untagged: Untagged,
}

/// Why a tag stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeepReason {
    /// One of the newest N.
    Newest,
    /// It does not match `--match`.
    NotMatched,
    /// It matches `--exclude`.
    Excluded,
    /// Not older than `--older-than` days.
    TooRecent,
    /// Its created date is unknown.
    NoDate,
    /// With `--by semver`: its name is not a semantic version.
    NoSemver,
}

/// A tag (or an untagged manifest, `tag: None`) that would be deleted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deleted {
    pub tag: Option<String>,
    pub digest: Digest,
    #[serde(serialize_with = "date")]
    pub created: Option<i64>,
}

/// A tag that stays, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Kept {
    pub tag: String,
    pub digest: Digest,
    #[serde(serialize_with = "date")]
    pub created: Option<i64>,
    pub reason: KeepReason,
}

/// A tag the rules chose, whose digest stays because a kept tag points at it too.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Protected {
    pub tag: String,
    pub digest: Digest,
    /// The kept tag that protects it (the first in natural order).
    pub because: String,
}

/// One digest to delete and every tag that goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub digest: Digest,
    pub created: Option<i64>,
    /// Naturally sorted; every tag on the digest.
    pub tags: Vec<String>,
}

/// What the rules would do to one repository.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct RetainPlan {
    /// Naturally sorted by tag; untagged manifests last.
    pub delete: Vec<Deleted>,
    pub keep: Vec<Kept>,
    pub protected: Vec<Protected>,
    /// Unique blobs of the deleted manifests that no kept manifest refers to: an upper
    /// bound (other repositories may share them), freed only by the registry's garbage
    /// collection.
    pub bytes_freed_estimate: u64,
    /// The digests deleted, in the order of `delete`'s first tag on each.
    #[serde(skip)]
    pub groups: Vec<Group>,
    /// Set when untagged manifests were asked for and cannot be listed.
    #[serde(skip)]
    pub notice: Option<Error>,
}

// serde's `serialize_with` hands the field by reference.
#[allow(clippy::ref_option)]
fn date<S: serde::Serializer>(created: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match created {
        Some(secs) => s.serialize_str(&crate::format::rfc3339(*secs)),
        None => s.serialize_none(),
    }
}

const DAY: i64 = 86_400;

/// Plans `rules` over `facts`. Pure: the same input gives the same plan.
#[must_use]
pub fn plan(rules: &Rules, facts: &Facts) -> RetainPlan {
    let mut tags: Vec<&TagFact> = facts.tags.iter().collect();
    tags.sort_by(|a, b| crate::natural_sort::compare(&a.tag, &b.tag));
    let mut keep: Vec<Kept> = Vec::new();
    let kept = |t: &TagFact, reason| Kept {
        tag: t.tag.clone(),
        digest: t.digest.clone(),
        created: t.created,
        reason,
    };
    // (tag, its rank key) of the tags the rules consider and can order.
    let mut ranked: Vec<(&TagFact, Option<Version>)> = Vec::new();
    for t in tags {
        if rules.matching.as_ref().is_some_and(|p| !p.matches(&t.tag)) {
            keep.push(kept(t, KeepReason::NotMatched));
        } else if rules.exclude.as_ref().is_some_and(|p| p.matches(&t.tag)) {
            keep.push(kept(t, KeepReason::Excluded));
        } else {
            match rules.by {
                Order::Date if t.created.is_none() => keep.push(kept(t, KeepReason::NoDate)),
                Order::Date => ranked.push((t, None)),
                Order::Semver => match Version::parse(&t.tag) {
                    Some(v) => ranked.push((t, Some(v))),
                    None => keep.push(kept(t, KeepReason::NoSemver)),
                },
            }
        }
    }
    // Newest first; a tie ranks the tag later in natural order as the newer.
    ranked.sort_by(|(a, va), (b, vb)| {
        let by = match rules.by {
            Order::Date => b.created.cmp(&a.created),
            Order::Semver => vb.cmp(va),
        };
        by.then_with(|| crate::natural_sort::compare(&b.tag, &a.tag))
    });
    let cutoff = rules.older_than_days.map(|d| {
        rules.now
            - i64::try_from(d)
                .unwrap_or(i64::MAX / DAY)
                .saturating_mul(DAY)
    });
    let mut chosen: Vec<&TagFact> = Vec::new();
    for (i, (t, _)) in ranked.into_iter().enumerate() {
        if i < rules.keep {
            keep.push(kept(t, KeepReason::Newest));
            continue;
        }
        match (cutoff, t.created) {
            (Some(_), None) => keep.push(kept(t, KeepReason::NoDate)),
            (Some(c), Some(created)) if created >= c => keep.push(kept(t, KeepReason::TooRecent)),
            _ => chosen.push(t),
        }
    }
    keep.sort_by(|a, b| crate::natural_sort::compare(&a.tag, &b.tag));
    chosen.sort_by(|a, b| crate::natural_sort::compare(&a.tag, &b.tag));
    // The first kept tag (natural order) on each digest protects it.
    let mut protector: HashMap<&Digest, &str> = HashMap::new();
    for k in &keep {
        protector.entry(&k.digest).or_insert(k.tag.as_str());
    }
    let mut plan = RetainPlan::default();
    let mut groups: BTreeMap<usize, Group> = BTreeMap::new();
    let mut group_of: HashMap<&Digest, usize> = HashMap::new();
    for t in chosen {
        if let Some(because) = protector.get(&t.digest) {
            plan.protected.push(Protected {
                tag: t.tag.clone(),
                digest: t.digest.clone(),
                because: (*because).to_owned(),
            });
            continue;
        }
        plan.delete.push(Deleted {
            tag: Some(t.tag.clone()),
            digest: t.digest.clone(),
            created: t.created,
        });
        let at = *group_of.entry(&t.digest).or_insert(groups.len());
        groups
            .entry(at)
            .or_insert_with(|| Group {
                digest: t.digest.clone(),
                created: t.created,
                tags: Vec::new(),
            })
            .tags
            .push(t.tag.clone());
    }
    plan.groups = groups.into_values().collect();
    untagged(rules, facts, cutoff, &mut plan);
    plan.keep = keep;
    plan.bytes_freed_estimate = estimate(&plan, facts);
    plan
}

/// Adds the untagged manifests the registry listed (or the notice that it cannot).
fn untagged(rules: &Rules, facts: &Facts, cutoff: Option<i64>, plan: &mut RetainPlan) {
    let tagged: HashSet<&Digest> = facts.tags.iter().map(|t| &t.digest).collect();
    match &facts.untagged {
        Untagged::NotListable { registry } => {
            plan.notice = Some(Error::UntaggedNotListable {
                registry: registry.clone(),
            });
        }
        Untagged::Listed(list) if rules.untagged => {
            for (digest, created) in list {
                let old_enough = match (cutoff, created) {
                    (None, _) => true,
                    (Some(c), Some(t)) => *t < c,
                    (Some(_), None) => false,
                };
                if tagged.contains(digest) || !old_enough {
                    continue;
                }
                plan.delete.push(Deleted {
                    tag: None,
                    digest: digest.clone(),
                    created: *created,
                });
                plan.groups.push(Group {
                    digest: digest.clone(),
                    created: *created,
                    tags: Vec::new(),
                });
            }
        }
        _ => {}
    }
}

/// Unique blobs of the deleted manifests that no kept manifest refers to.
fn estimate(plan: &RetainPlan, facts: &Facts) -> u64 {
    let staying: HashSet<&Digest> = plan
        .keep
        .iter()
        .map(|k| &k.digest)
        .chain(plan.protected.iter().map(|p| &p.digest))
        .collect();
    let kept_blobs: HashSet<&Digest> = staying
        .iter()
        .filter_map(|d| facts.blobs.get(*d))
        .flatten()
        .map(|b| &b.digest)
        .collect();
    let mut counted: HashSet<&Digest> = HashSet::new();
    plan.groups
        .iter()
        .filter_map(|g| facts.blobs.get(&g.digest))
        .flatten()
        .filter(|b| !kept_blobs.contains(&b.digest) && counted.insert(&b.digest))
        .map(|b| b.size)
        .sum()
}

impl RetainPlan {
    /// Tags the plan takes only because they share a digest with another chosen tag: every
    /// tag of a group but its first.
    pub fn going_along(&self) -> impl Iterator<Item = (&str, &Digest)> {
        self.groups
            .iter()
            .flat_map(|g| g.tags.iter().skip(1).map(move |t| (t.as_str(), &g.digest)))
    }

    /// The delete plans of this plan, one per digest, for [`crate::registry::RegistryClient::check_plans`]
    /// and the delete job; `listed` is the listing the facts were gathered from.
    #[must_use]
    pub fn delete_plans(
        &self,
        repository: &Repository,
        listed: &Arc<Vec<String>>,
    ) -> Vec<DeletePlan> {
        self.groups
            .iter()
            .map(|g| DeletePlan {
                repository: repository.clone(),
                digest: g.digest.clone(),
                tags: g
                    .tags
                    .iter()
                    .enumerate()
                    .map(|(i, t)| PlannedTag {
                        tag: t.clone(),
                        // The others go along only because they share the digest.
                        given: i == 0,
                    })
                    .collect(),
                listed: Arc::clone(listed),
            })
            .collect()
    }

    /// Is there nothing to delete?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
