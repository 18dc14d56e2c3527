//! What a tags-table row says about its manifest: the kind (image, index with N platforms,
//! artifact), the size and the creation time, from one manifest GET (and the config for
//! images). Cached by digest in the table.

use crate::oci::image::PlatformSize;
use crate::oci::{Digest, FetchedManifest, Manifest, Platform};
use crate::registry::{Error, RegistryClient};
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

/// Kind, size and creation time of one manifest: the manifest, plus the config for images.
pub async fn summarize(
    client: &RegistryClient,
    repo: &crate::oci::Repository,
    digest: &Digest,
) -> Result<Summary, Error> {
    let m = client.manifest(repo, &digest.clone().into()).await?;
    let kind = Kind::of(&m);
    match (&kind, &m.manifest) {
        (Kind::Image, _) => {
            let info = client.image_info(repo, &m).await?;
            Ok(Summary::single(
                kind,
                Some(info.total_size),
                info.config.and_then(|c| c.created),
            ))
        }
        (Kind::Artifact { .. }, Manifest::Image(im)) => {
            // An artifact's size is what a pull moves, as for an image (and as Overview
            // says): the manifest, its config and its blobs, read from the manifest (its
            // config is no image config to fetch).
            let layers: u64 = im
                .layers()
                .iter()
                .map(oci_spec::image::Descriptor::size)
                .sum();
            Ok(Summary::single(
                kind,
                Some(m.bytes.len() as u64 + layers + im.config().size()),
                None,
            ))
        }
        (Kind::Index { .. }, Manifest::Index(_)) => index_summary(client, repo, &m, kind).await,
        _ => Ok(Summary::single(kind, None, None)),
    }
}

/// A multi-platform tag: every platform's size (one manifest GET each), and the host
/// platform's size and creation time (its config too); without a host platform, the total
/// and the first platform's time.
async fn index_summary(
    client: &RegistryClient,
    repo: &crate::oci::Repository,
    index: &FetchedManifest,
    kind: Kind,
) -> Result<Summary, Error> {
    let entries = index.index_entries();
    let children = client.platform_manifests(repo, &entries).await;
    let platforms: Vec<PlatformSize> = children
        .iter()
        .filter_map(|(entry, manifest)| PlatformSize::of(entry, manifest.as_ref()))
        .collect();
    let host = Platform::host();
    let host_child = children
        .iter()
        .find(|(e, m)| m.is_some() && e.platform.as_ref().is_some_and(|p| host.matches(p)));
    let (size, described) = match host_child {
        Some((entry, _)) => (
            platforms
                .iter()
                .find(|p| p.digest == entry.digest)
                .and_then(|p| p.size),
            host_child,
        ),
        None => (
            platforms.iter().map(|p| p.size).sum::<Option<u64>>(),
            children.iter().find(|(_, m)| m.is_some()),
        ),
    };
    let mut created = None;
    if let Some((_, Some(manifest))) = described {
        created = client
            .image_info(repo, manifest)
            .await?
            .config
            .and_then(|c| c.created);
    }
    Ok(Summary {
        kind,
        size,
        created,
        shown: host_child.and_then(|(e, _)| e.platform.clone()),
        platforms,
    })
}
