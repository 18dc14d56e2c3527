//! The facts of one manifest: its size from the manifest (what a pull moves: manifest,
//! config and layers), its created date from the config, and its blobs (config and layers)
//! for retention estimates. An index takes the newest date
//! among its platforms and the sum of their sizes (attestations left out), read through
//! `registry/platforms.rs`.

use super::{Blob, TagFacts};
use crate::oci::image::{ImageConfig, PlatformSize};
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository};
use crate::registry::client::MAX_CONFIG_BYTES;
use crate::registry::{Error, RegistryClient};

/// The facts and blobs of the manifest `digest`; an error only when the manifest itself
/// cannot be read.
pub async fn facts_of(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
) -> Result<(TagFacts, Vec<Blob>), Error> {
    let top = client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await?;
    match &top.manifest {
        Manifest::Image(_) => Ok(image_facts(client, repository, &top).await),
        Manifest::Index(_) => {
            let platforms = client
                .platform_manifests(repository, &top.index_entries())
                .await;
            let mut created: Option<i64> = None;
            let mut size: Option<u64> = Some(0);
            let mut blobs = Vec::new();
            for (entry, manifest) in &platforms {
                let platform_size = PlatformSize::of(entry, manifest.as_ref()).and_then(|p| p.size);
                size = size.zip(platform_size).map(|(a, b)| a + b);
                if let Some(m) = manifest {
                    let (facts, own) = image_facts(client, repository, m).await;
                    created = created.max(facts.created);
                    blobs.extend(own);
                }
            }
            if platforms.is_empty() {
                size = None;
            }
            Ok((TagFacts { created, size }, blobs))
        }
    }
}

/// Size and date of an image manifest; the date is `None` when the config cannot be read
/// or says none (an artifact's config, an image built without one).
async fn image_facts(
    client: &RegistryClient,
    repository: &Repository,
    manifest: &FetchedManifest,
) -> (TagFacts, Vec<Blob>) {
    let Manifest::Image(m) = &manifest.manifest else {
        return (TagFacts::default(), Vec::new());
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
        && let Ok(bytes) = client
            .blob_bytes(repository, &digest, Some(config.size()), MAX_CONFIG_BYTES)
            .await
    {
        created = ImageConfig::parse(&bytes)
            .ok()
            .and_then(|c| c.created)
            .and_then(|c| crate::format::parse_rfc3339(&c));
    }
    (
        TagFacts {
            created,
            size: Some(size),
        },
        blobs,
    )
}
