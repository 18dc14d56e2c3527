//! What a tags-table row says about its manifest: the kind (image, index with N platforms,
//! artifact), the size and the creation time, from one manifest GET (and the config for
//! images). Cached by digest in the table.

use crate::oci::{Digest, Manifest};
use crate::registry::{Error, RegistryClient};
use crate::tr;

/// The kind is decided in the core (`crate::oci::ManifestKind`); this view only words it.
pub use crate::oci::ManifestKind as Kind;

#[derive(Clone, Debug)]
pub struct Summary {
    pub kind: Kind,
    pub size: Option<u64>,
    pub created: Option<String>,
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
            Ok(Summary {
                kind,
                size: Some(info.total_size),
                created: info.config.and_then(|c| c.created),
            })
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
            Ok(Summary {
                kind,
                size: Some(m.bytes.len() as u64 + layers + im.config().size()),
                created: None,
            })
        }
        _ => Ok(Summary {
            kind,
            size: None,
            created: None,
        }),
    }
}
