//! What a copy moves: from the top manifest and the wanted platforms, the manifests to
//! write (children before the index that lists them) and every blob they need, each once.

use super::error::{Error, Result};
use super::events::ItemKind;
use super::source::Source;
use super::{JobMessage, Platforms};
use crate::oci::image::choose_platform;
use crate::oci::{Digest, FetchedManifest, Manifest, Platform, media};
use std::collections::HashSet;

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
                return Err(crate::registry::Error::PlatformNotFound {
                    wanted,
                    available: entries
                        .iter()
                        .filter(|e| e.is_platform_image())
                        .filter_map(|e| e.platform.as_ref())
                        .map(ToString::to_string)
                        .collect(),
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

/// `m` and, for an index, every manifest below it; children first.
async fn collect(
    source: &Source,
    m: &FetchedManifest,
    out: &mut Vec<FetchedManifest>,
) -> Result<()> {
    // Indexes nest rarely and shallowly; a work list keeps this iterative.
    let mut stack = vec![(m.clone(), false)];
    while let Some((current, expanded)) = stack.pop() {
        if expanded || matches!(current.manifest, Manifest::Image(_)) {
            if !out.iter().any(|o| o.digest == current.digest) {
                out.push(current);
            }
            continue;
        }
        let entries = current.index_entries();
        stack.push((current, true));
        for e in entries {
            if media::is_index(&e.media_type) || media::is_image_manifest(&e.media_type) {
                let child = source.manifest(&e.digest, &e.media_type).await?;
                stack.push((child, false));
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
