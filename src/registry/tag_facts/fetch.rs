//! The facts of one manifest: its size from the manifest (what a pull moves: manifest,
//! config and layers), its created date from the config, its blobs (config and layers)
//! for retention estimates, and its kind and platforms for the tags table's cells
//! ([`Detail`]). An index takes the newest date among its platforms and the sum of their
//! sizes (attestations left out), read through `registry/platforms.rs`.

use super::{Blob, Detail, PlatformFacts, TagFacts};
use crate::oci::image::{ImageConfig, PlatformSize};
use crate::oci::{Digest, FetchedManifest, Manifest, ManifestKind, Reference, Repository};
use crate::registry::client::MAX_CONFIG_BYTES;
use crate::registry::{Error, RegistryClient};

/// What one read of a manifest (and its configs) learnt.
pub struct Fetched {
    pub facts: TagFacts,
    pub blobs: Vec<Blob>,
    pub detail: Detail,
}

/// The facts, blobs and detail of the manifest `digest`. An error when the manifest itself
/// cannot be read, or when a config could not be read for a reason that may pass (the
/// network, the registry's state); a config that is missing or not one gets no date.
pub async fn facts_of(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
) -> Result<Fetched, Error> {
    let top = client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await?;
    let kind = ManifestKind::of(&top);
    match &top.manifest {
        Manifest::Image(_) => {
            let (facts, blobs) = image_facts(client, repository, &top).await?;
            Ok(Fetched {
                facts,
                blobs,
                detail: Detail {
                    kind,
                    platforms: Vec::new(),
                },
            })
        }
        Manifest::Index(_) => {
            let platforms = client
                .platform_manifests(repository, &top.index_entries())
                .await;
            let mut created: Option<i64> = None;
            let mut size: Option<u64> = Some(0);
            let mut blobs = Vec::new();
            let mut described = Vec::new();
            for (entry, manifest) in &platforms {
                let Some(platform) = PlatformSize::of(entry, manifest.as_ref()) else {
                    continue;
                };
                size = size.zip(platform.size).map(|(a, b)| a + b);
                let mut platform_created = None;
                if let Some(m) = manifest {
                    let (facts, own) = image_facts(client, repository, m).await?;
                    created = created.max(facts.created);
                    platform_created = facts.created;
                    blobs.extend(own);
                }
                described.push(PlatformFacts {
                    platform: platform.platform,
                    digest: platform.digest,
                    size: platform.size,
                    created: platform_created,
                });
            }
            if described.is_empty() {
                size = None;
            }
            Ok(Fetched {
                facts: TagFacts { created, size },
                blobs,
                detail: Detail {
                    kind,
                    platforms: described,
                },
            })
        }
    }
}

/// Size and date of an image manifest; the date is `None` when the config is missing, is
/// not an image config or says none (an artifact's config, an image built without one).
async fn image_facts(
    client: &RegistryClient,
    repository: &Repository,
    manifest: &FetchedManifest,
) -> Result<(TagFacts, Vec<Blob>), Error> {
    let Manifest::Image(m) = &manifest.manifest else {
        return Ok((TagFacts::default(), Vec::new()));
    };
    let blobs: Vec<Blob> = std::iter::once(m.config())
        .chain(m.layers().iter())
        .filter_map(|d| {
            Some(Blob {
                digest: Digest::parse(d.digest().as_ref()).ok()?,
                size: d.size(),
            })
        })
        .collect();
    let config = m.config();
    let size = manifest.bytes.len() as u64
        + config.size()
        + m.layers()
            .iter()
            .map(oci_spec::image::Descriptor::size)
            .sum::<u64>();
    let mut created = None;
    if crate::oci::media::is_image_config(config.media_type().as_ref())
        && let Ok(digest) = Digest::parse(config.digest().as_ref())
    {
        match client
            .blob_bytes(repository, &digest, Some(config.size()), MAX_CONFIG_BYTES)
            .await
        {
            Ok(bytes) => {
                created = ImageConfig::parse(&bytes)
                    .ok()
                    .and_then(|c| c.created)
                    .and_then(|c| crate::format::parse_rfc3339(&c));
            }
            // What the registry holds is wrong: no date, for good.
            Err(
                Error::NotFound { .. }
                | Error::InvalidContent { .. }
                | Error::DigestMismatch { .. }
                | Error::TooLarge { .. },
            ) => {}
            // Anything else may pass: not remembered as "no date".
            Err(e) => return Err(e),
        }
    }
    Ok((
        TagFacts {
            created,
            size: Some(size),
        },
        blobs,
    ))
}
