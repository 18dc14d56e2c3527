//! What a copy moves: from the top manifest and the wanted platforms, the manifests to
//! write (children before the index that lists them) and every blob they need, each once.

use super::error::{Error, Result};
use super::events::ItemKind;
use super::source::Source;
use super::{JobMessage, Platforms};
use crate::oci::image::{MAX_INDEX_DEPTH, choose_platform, offered_platforms};
use crate::oci::{Digest, FetchedManifest, Manifest, Platform, media};
use std::collections::{HashMap, HashSet};

/// A blob to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlobRef {
    pub digest: Digest,
    pub size: u64,
    pub media_type: String,
    pub kind: ItemKind,
}

/// The manifests and blobs of one copy.
#[derive(Debug)]
pub(crate) struct ImagePlan {
    /// What the destination's name points at: the top manifest, or for one platform of an
    /// index, that platform's image manifest.
    pub root: FetchedManifest,
    /// The platform `root` was chosen for (one platform of an index).
    pub platform: Option<Platform>,
    /// Every manifest to write, children first, `root` last.
    pub manifests: Vec<FetchedManifest>,
    /// Every blob the image manifests need, each once, configs before layers.
    pub blobs: Vec<BlobRef>,
}

/// Plans the copy of `top` from `source`, and tells the job what was chosen.
pub(crate) async fn plan(
    source: &Source,
    top: FetchedManifest,
    platforms: &Platforms,
    messages: &mut Vec<JobMessage>,
) -> Result<ImagePlan> {
    let (root, platform) = match (&top.manifest, platforms.single()) {
        (Manifest::Index(_), Some(wanted)) => {
            let entries = top.index_entries();
            let Some(entry) = choose_platform(&entries, &wanted) else {
                let (available, nested) = offered_platforms(&entries);
                return Err(crate::registry::Error::PlatformNotFound {
                    wanted: Box::new(wanted),
                    available,
                    nested,
                }
                .into());
            };
            let child = source.manifest(&entry.digest, &entry.media_type).await?;
            let platform = entry.platform.clone().unwrap_or(wanted);
            messages.push(JobMessage::PlatformChosen {
                platform: platform.clone(),
                digest: child.digest.clone(),
            });
            (child, Some(platform))
        }
        _ => (top, None),
    };
    let mut manifests = Vec::new();
    collect(source, &root, &mut manifests).await?;
    let mut seen = HashSet::new();
    let mut blobs = Vec::new();
    let images: Vec<&FetchedManifest> = manifests
        .iter()
        .filter(|m| matches!(m.manifest, Manifest::Image(_)))
        .collect();
    for pass in [ItemKind::Config, ItemKind::Layer] {
        for m in &images {
            for b in image_blobs(m)? {
                if b.kind == pass && seen.insert(b.digest.clone()) {
                    blobs.push(b);
                }
            }
        }
    }
    Ok(ImagePlan {
        root,
        platform,
        manifests,
        blobs,
    })
}

/// `root` and, for an index, every manifest below it, children before the index that lists
/// them. Each digest is fetched once, however many entries name it (an index may list one
/// child thousands of times, at every level), and indexes nest at most
/// [`MAX_INDEX_DEPTH`] deep: a hostile index costs a request per distinct manifest.
async fn collect(
    source: &Source,
    root: &FetchedManifest,
    out: &mut Vec<FetchedManifest>,
) -> Result<()> {
    let mut fetched = HashMap::from([(root.digest.clone(), root.clone())]);
    // Level by level, so each manifest is met first at its shallowest depth.
    let mut level = vec![root.digest.clone()];
    let mut depth = 0;
    while !level.is_empty() {
        let mut next = Vec::new();
        for digest in &level {
            let entries = fetched.get(digest).map(FetchedManifest::index_entries);
            for e in entries.unwrap_or_default() {
                let wanted =
                    media::is_index(&e.media_type) || media::is_image_manifest(&e.media_type);
                if !wanted || fetched.contains_key(&e.digest) {
                    continue;
                }
                if depth >= MAX_INDEX_DEPTH {
                    return Err(crate::registry::Error::IndexTooDeep {
                        what: root.digest.to_string(),
                        limit: MAX_INDEX_DEPTH,
                    }
                    .into());
                }
                let child = source.manifest(&e.digest, &e.media_type).await?;
                next.push(e.digest.clone());
                fetched.insert(e.digest, child);
            }
        }
        level = next;
        depth += 1;
    }
    // Children first: a post-order walk over what was fetched, each manifest placed once.
    let mut placed = HashSet::new();
    let mut stack = vec![(root.digest.clone(), false)];
    while let Some((digest, expanded)) = stack.pop() {
        if placed.contains(&digest) {
            continue;
        }
        let Some(m) = fetched.get(&digest) else {
            continue;
        };
        if expanded {
            out.push(m.clone());
            placed.insert(digest);
            continue;
        }
        stack.push((digest.clone(), true));
        for e in m.index_entries() {
            if e.digest != digest && fetched.contains_key(&e.digest) && !placed.contains(&e.digest)
            {
                stack.push((e.digest, false));
            }
        }
    }
    Ok(())
}

/// The config and the distributable layers of an image manifest.
pub(crate) fn image_blobs(m: &FetchedManifest) -> Result<Vec<BlobRef>> {
    let Manifest::Image(im) = &m.manifest else {
        return Ok(Vec::new());
    };
    let parse = |d: &oci_spec::image::Digest| {
        Digest::parse(d.as_ref()).map_err(|e| {
            Error::Registry(crate::registry::Error::InvalidContent {
                what: format!("manifest {}", m.digest),
                reason: e.to_string(),
            })
        })
    };
    let mut out = vec![BlobRef {
        digest: parse(im.config().digest())?,
        size: im.config().size(),
        media_type: im.config().media_type().to_string(),
        kind: ItemKind::Config,
    }];
    for l in im.layers() {
        let media_type = l.media_type().to_string();
        if media_type == media::DOCKER_LAYER_FOREIGN || media_type.contains("nondistributable") {
            continue;
        }
        out.push(BlobRef {
            digest: parse(l.digest())?,
            size: l.size(),
            media_type,
            kind: ItemKind::Layer,
        });
    }
    Ok(out)
}
