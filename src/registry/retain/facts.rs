//! The input of a retention plan, read from a registry through the repository's shared tag
//! facts (`registry::tag_facts`): every tag's digest through the tag lookup, then each
//! distinct digest's created date and blobs, fetched once per digest and cached in memory and
//! on disk, so the window's sort, Clean up… and `berth retain` share what any of them learnt
//! (no `GET` for a digest already known). A manifest or config that cannot be read (gone, not
//! an image) leaves the date unknown: the planner keeps such a tag.

use super::{Facts, TagFact, Untagged};
use crate::registry::tag_facts::TagFactsStore;
use crate::registry::tag_lookup::Progress;
use crate::registry::{Error, RegistryClient};
use std::collections::HashMap;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Which part of the gathering a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Tags whose digest is known, of all listed.
    Digests,
    /// Tags whose facts (date, blobs) are known, of all listed.
    Dates,
}

/// Facts and the listing they were read from (the delete plans' `listed`).
#[derive(Debug, Clone)]
pub struct Gathered {
    pub facts: Facts,
    pub listed: Arc<Vec<String>>,
}

/// Reads the facts of `store`'s repository. `untagged`: the rules ask for untagged
/// manifests, which the distribution API cannot list (said in `facts.untagged`).
pub async fn gather(
    client: &RegistryClient,
    store: &TagFactsStore,
    untagged: bool,
    cancel: &CancellationToken,
    progress: impl Fn(Stage, Progress),
) -> Result<Gathered, Error> {
    let listed = Arc::new(client.tags(store.repository()).await?);
    store
        .fill(client, &listed, cancel, |p| {
            progress(
                Stage::Dates,
                Progress {
                    known: p.known,
                    total: p.total,
                },
            );
        })
        .await?;
    let lookup = store.lookup();
    let mut tags = Vec::with_capacity(listed.len());
    let mut blobs = HashMap::new();
    for tag in listed.iter() {
        // A tag deleted while we asked points nowhere and is left out.
        let Some(digest) = lookup.digest_of(tag) else {
            continue;
        };
        if !blobs.contains_key(&digest)
            && let Some(b) = store.blobs_of(&digest)
        {
            blobs.insert(digest.clone(), b.to_vec());
        }
        tags.push(TagFact {
            created: store.facts_of_digest(&digest).and_then(|f| f.created),
            tag: tag.clone(),
            digest,
        });
    }
    let facts = Facts {
        tags,
        blobs,
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
