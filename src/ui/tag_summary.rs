//! What a tags-table row says about its manifest: the kind (image, index with N platforms,
//! artifact), the size and the creation time, from one manifest GET (and the config for
//! images). Cached by digest in the table.

use crate::oci::{Digest, Manifest, media};
use crate::registry::{Error, RegistryClient};
use crate::tr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Image,
    Index {
        platforms: Option<usize>,
    },
    /// An index that lists only artifacts (signatures, SBOMs), not platforms.
    Artifacts {
        count: usize,
    },
    Artifact {
        artifact_type: Option<String>,
    },
}

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
    match &m.manifest {
        Manifest::Index(_) => {
            let entries = m.index_entries();
            let platforms = entries
                .iter()
                .filter(|e| {
                    media::is_image_manifest(&e.media_type)
                        && e.platform.as_ref().is_some_and(|p| p.os != "unknown")
                })
                .count();
            // An index of attached artifacts only (the referrers tag schema) says so.
            let kind = if platforms == 0 && !entries.is_empty() {
                Kind::Artifacts {
                    count: entries.len(),
                }
            } else {
                Kind::Index {
                    platforms: Some(platforms),
                }
            };
            Ok(Summary {
                kind,
                size: None,
                created: None,
            })
        }
        Manifest::Image(im) => {
            let config_type = im.config().media_type().to_string();
            let is_image = config_type == media::OCI_CONFIG || config_type == media::DOCKER_CONFIG;
            if !is_image || im.artifact_type().is_some() {
                let layers: u64 = im
                    .layers()
                    .iter()
                    .map(oci_spec::image::Descriptor::size)
                    .sum();
                return Ok(Summary {
                    kind: Kind::Artifact {
                        artifact_type: im
                            .artifact_type()
                            .as_ref()
                            .map(ToString::to_string)
                            .or(Some(config_type)),
                    },
                    size: Some(layers + im.config().size()),
                    created: None,
                });
            }
            let info = client.image_info(repo, &m).await?;
            Ok(Summary {
                kind: Kind::Image,
                size: Some(info.total_size),
                created: info.config.and_then(|c| c.created),
            })
        }
    }
}
