//! What a tags-table row says about its manifest: the kind (image, index with N platforms,
//! artifact), the size and the creation time, worded from the repository's tag facts store
//! (one read per digest, in memory and on disk, shared with the sort and `retain`).

use crate::oci::Platform;
use crate::oci::image::PlatformSize;
use crate::registry::tag_facts::{Detail, TagFacts};
use crate::tr;

/// The kind is decided in the core (`crate::oci::ManifestKind`); this view only words it.
pub use crate::oci::ManifestKind as Kind;

#[derive(Clone, Debug)]
pub struct Summary {
    pub kind: Kind,
    /// For an index: the host platform's size when it has one, else the total of its
    /// platforms (`platforms` says which).
    pub size: Option<u64>,
    /// For an index: the host platform's (else the first platform's) creation time.
    pub created: Option<String>,
    /// For an index: its platforms with their sizes, for the tooltip.
    pub platforms: Vec<PlatformSize>,
    /// For an index: the platform whose values `size` and `created` are.
    pub shown: Option<Platform>,
}

impl Summary {
    fn single(kind: Kind, size: Option<u64>, created: Option<String>) -> Self {
        Self {
            kind,
            size,
            created,
            platforms: Vec::new(),
            shown: None,
        }
    }
}

#[must_use]
pub fn kind_text(kind: &Kind) -> String {
    match kind {
        Kind::Image => tr!("kind-image"),
        Kind::Index { platforms: Some(n) } => tr!("kind-index-platforms", count = *n),
        Kind::Index { platforms: None } => tr!("kind-index"),
        Kind::Artifacts { count } => tr!("kind-index-artifacts", count = *count),
        Kind::Artifact {
            artifact_type: Some(t),
        } => tr!("kind-artifact-type", artifact_type = t.as_str()),
        Kind::Artifact {
            artifact_type: None,
        } => tr!("kind-artifact"),
    }
}

/// Kind, size and creation time of one manifest, from what the repository's tag facts
/// store learnt of it (`registry::tag_facts`, which reads the manifest and its configs once
/// per digest and keeps them on disk). A multi-platform tag describes the host platform when
/// it has one (its size and time), else the total of its platforms and the first readable
/// platform's time.
#[must_use]
pub fn summarize(facts: TagFacts, detail: &Detail) -> Summary {
    let kind = detail.kind.clone();
    match &kind {
        Kind::Image => Summary::single(kind, facts.size, facts.created.map(crate::format::rfc3339)),
        // An artifact's size is what a pull moves, as for an image (and as Overview says);
        // its config is no image config, so no date.
        Kind::Artifact { .. } => Summary::single(kind, facts.size, None),
        Kind::Index { .. } => index_summary(detail, kind),
        Kind::Artifacts { .. } => Summary::single(kind, None, None),
    }
}

fn index_summary(detail: &Detail, kind: Kind) -> Summary {
    let platforms: Vec<PlatformSize> = detail
        .platforms
        .iter()
        .map(|p| PlatformSize {
            platform: p.platform.clone(),
            digest: p.digest.clone(),
            size: p.size,
        })
        .collect();
    let host = Platform::host();
    let host_child = detail
        .platforms
        .iter()
        .find(|p| p.size.is_some() && host.matches(&p.platform));
    let (size, described) = match host_child {
        Some(p) => (p.size, Some(p)),
        None => (
            platforms.iter().map(|p| p.size).sum::<Option<u64>>(),
            detail.platforms.iter().find(|p| p.size.is_some()),
        ),
    };
    Summary {
        kind,
        size,
        created: described
            .and_then(|p| p.created)
            .map(crate::format::rfc3339),
        shown: host_child.map(|p| p.platform.clone()),
        platforms,
    }
}
