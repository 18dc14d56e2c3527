//! The input of a retention plan, read from a registry: every tag's digest through the
//! repository's shared tag lookup (bounded concurrency, answers reused), then each distinct
//! digest's manifest and config once (an index: its platforms', the newest created date, the
//! blobs of all), [`FACT_CONCURRENCY`] at a time. A manifest or config that cannot be read
//! (gone, not an image) leaves the date unknown: the planner keeps such a tag.

use super::{Blob, Facts, TagFact, Untagged};
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository};
use crate::registry::tag_lookup::{FILL_CONCURRENCY, Progress, TagLookup};
use crate::registry::{Error, RegistryClient};
use futures_util::StreamExt as _;
use std::collections::HashMap;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How many manifests (with their configs) are read at once.
pub const FACT_CONCURRENCY: usize = 8;

/// Which part of the gathering a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Tags whose digest is known, of all listed.
    Digests,
    /// Manifests read, of all distinct digests.
    Dates,
}

/// Facts and the listing they were read from (the delete plans' `listed`).
#[derive(Debug, Clone)]
pub struct Gathered {
    pub facts: Facts,
    pub listed: Arc<Vec<String>>,
}

/// What one manifest tells.
#[derive(Debug, Clone, Default)]
struct ManifestFacts {
    created: Option<i64>,
    blobs: Vec<Blob>,
}

/// Reads the facts of `lookup`'s repository. `untagged`: the rules ask for untagged
/// manifests, which the distribution API cannot list (said in `facts.untagged`).
pub async fn gather(
    client: &RegistryClient,
    lookup: &TagLookup,
    untagged: bool,
    cancel: &CancellationToken,
    progress: impl Fn(Stage, Progress),
) -> Result<Gathered, Error> {
    let repository = lookup.repository();
    let listed = Arc::new(client.tags(repository).await?);
    lookup
        .fill(client, &listed, FILL_CONCURRENCY, cancel, |p| {
            progress(Stage::Digests, p);
        })
        .await?;
    let mut tags = Vec::with_capacity(listed.len());
    for tag in listed.iter() {
        // A tag deleted while we asked points nowhere and is left out.
        if let Some(digest) = lookup.digest_of(tag) {
            tags.push((tag.clone(), digest));
        }
    }
    let mut digests: Vec<Digest> = tags.iter().map(|(_, d)| d.clone()).collect();
    digests.sort();
    digests.dedup();
    let total = digests.len();
    progress(Stage::Dates, Progress { known: 0, total });
    let mut reads = futures_util::stream::iter(digests.into_iter().map(|digest| async move {
        let read = manifest_facts(client, repository, &digest).await;
        (digest, read)
    }))
    .buffer_unordered(FACT_CONCURRENCY);
    let mut known: HashMap<Digest, ManifestFacts> = HashMap::new();
    while let Some((digest, read)) = reads.next().await {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        known.insert(digest, read?);
        progress(
            Stage::Dates,
            Progress {
                known: known.len(),
                total,
            },
        );
    }
    let facts = Facts {
        tags: tags
            .into_iter()
            .map(|(tag, digest)| TagFact {
                created: known.get(&digest).and_then(|m| m.created),
                tag,
                digest,
            })
            .collect(),
        blobs: known.into_iter().map(|(d, m)| (d, m.blobs)).collect(),
        untagged: if untagged {
            Untagged::NotListable {
                registry: client.host().to_owned(),
            }
        } else {
            Untagged::NotAsked
        },
    };
    Ok(Gathered { facts, listed })
}

/// The created date and blobs of one manifest; an index's are its platforms'.
async fn manifest_facts(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
) -> Result<ManifestFacts, Error> {
    let top = match client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await
    {
        Ok(m) => m,
        Err(e) if unreadable(&e) => return Ok(ManifestFacts::default()),
        Err(e) => return Err(e),
    };
    if !matches!(top.manifest, Manifest::Index(_)) {
        return image_facts(client, repository, &top).await;
    }
    let mut out = ManifestFacts::default();
    for entry in top.index_entries() {
        let child = match client
            .manifest(repository, &Reference::Digest(entry.digest.clone()))
            .await
        {
            Ok(m) => m,
            Err(e) if unreadable(&e) => continue,
            Err(e) => return Err(e),
        };
        let one = image_facts(client, repository, &child).await?;
        if !entry.is_attestation() {
            out.created = out.created.max(one.created);
        }
        out.blobs.extend(one.blobs);
    }
    Ok(out)
}

async fn image_facts(
    client: &RegistryClient,
    repository: &Repository,
    manifest: &FetchedManifest,
) -> Result<ManifestFacts, Error> {
    match client.image_info(repository, manifest).await {
        Ok(info) => Ok(ManifestFacts {
            created: info
                .config
                .as_ref()
                .and_then(|c| c.created.as_deref())
                .and_then(crate::format::parse_rfc3339),
            blobs: std::iter::once(Blob {
                digest: info.config_digest.clone(),
                size: info.config_size,
            })
            .chain(info.layers.iter().map(|l| Blob {
                digest: l.digest.clone(),
                size: l.size,
            }))
            .collect(),
        }),
        Err(e) if unreadable(&e) => Ok(ManifestFacts::default()),
        Err(e) => Err(e),
    }
}

/// A manifest gone meanwhile, or one that is not an image: its date is unknown.
fn unreadable(e: &Error) -> bool {
    matches!(
        e,
        Error::NotFound { .. } | Error::InvalidContent { .. } | Error::TooLarge { .. }
    )
}
