//! Engine answers into Berth's models, as far as they go: an engine keeps no manifest, so an
//! engine image has its ID (the config digest) where a layout has a manifest digest, its
//! layers are the uncompressed diff IDs, and the "raw" view is the engine's inspect JSON.
//!
//! Podman's quirks are smoothed here: history IDs without `sha256:`, and `repo@sha256:…`
//! entries among the `RepoTags` (they are digests, not tags).

use crate::oci::image::{
    HistoryEntry, ImageConfig, ImageDetail, ImageInfo, LayerInfo, RuntimeConfig,
};
use crate::oci::{Digest, Platform, media};
use crate::store::LocalImage;
use bollard::models::{ImageHistoryResponseItem, ImageInspect, ImageSummary};
use serde::Serialize;
use std::collections::BTreeMap;

/// One history entry as the engine reports it (newest first), with the ID normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineHistoryEntry {
    /// The layer's image ID; `None` for Docker's `<missing>` (layers pulled, not built).
    pub id: Option<Digest>,
    pub created: String,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
    pub tags: Vec<String>,
}

/// Parses an image ID with or without `sha256:` (Podman leaves it off in history).
#[must_use]
pub fn image_id(id: &str) -> Option<Digest> {
    if id.starts_with("sha256:") {
        Digest::parse(id).ok()
    } else {
        Digest::parse(&format!("sha256:{id}")).ok()
    }
}

/// `RepoTags` without Podman's `repo@sha256:…` entries and Docker's `<none>:<none>`.
#[must_use]
pub fn real_tags(repo_tags: &[String]) -> Vec<String> {
    repo_tags
        .iter()
        .filter(|t| !t.contains('@') && !t.starts_with("<none>"))
        .cloned()
        .collect()
}

/// `repo@sha256:…` references, from `RepoDigests` and (Podman) `RepoTags`.
fn digest_refs(summary: &ImageSummary) -> Vec<String> {
    let mut out: Vec<String> = summary
        .repo_digests
        .iter()
        .chain(summary.repo_tags.iter().filter(|t| t.contains('@')))
        .filter(|t| !t.starts_with("<none>"))
        .cloned()
        .collect();
    out.dedup();
    out
}

/// One row per tag (an untagged image gets one row, named by digest if it has one).
pub(crate) fn list_rows(summary: &ImageSummary) -> Vec<LocalImage> {
    let Some(id) = image_id(&summary.id) else {
        return Vec::new();
    };
    let row = |reference: Option<String>| LocalImage {
        reference,
        digest: id.clone(),
        media_type: String::new(),
        size: u64::try_from(summary.size).unwrap_or(0),
        created: Some(rfc3339(summary.created)),
        platforms: Vec::new(),
        containers: u64::try_from(summary.containers).ok(),
        complete: true,
    };
    let tags = real_tags(&summary.repo_tags);
    if tags.is_empty() {
        return vec![row(digest_refs(summary).into_iter().next())];
    }
    tags.into_iter().map(|t| row(Some(t))).collect()
}

pub(crate) fn history_entries(items: &[ImageHistoryResponseItem]) -> Vec<EngineHistoryEntry> {
    items
        .iter()
        .map(|h| EngineHistoryEntry {
            id: image_id(&h.id),
            created: rfc3339(h.created),
            created_by: h.created_by.clone(),
            size: u64::try_from(h.size).unwrap_or(0),
            comment: h.comment.clone(),
            tags: h.tags.clone(),
        })
        .collect()
}

/// Builds the shared detail model from an engine's inspect and history answers.
pub(crate) fn detail(
    label: &str,
    name: &str,
    inspect: &ImageInspect,
    history: &[EngineHistoryEntry],
) -> Option<ImageDetail> {
    let id = image_id(inspect.id.as_deref()?)?;
    let raw: std::sync::Arc<[u8]> = serde_json::to_vec_pretty(inspect).ok()?.into();
    let digest = inspect
        .repo_digests
        .iter()
        .flatten()
        .find_map(|r| {
            crate::oci::ImageName::parse(r)
                .digest
                .and_then(|d| Digest::parse(&d).ok())
        })
        .unwrap_or_else(|| id.clone());
    let platform = inspect.os.as_ref().map(|os| Platform {
        os: os.clone(),
        architecture: inspect.architecture.clone().unwrap_or_default(),
        variant: inspect.variant.clone().filter(|v| !v.is_empty()),
    });
    let oldest_first: Vec<&EngineHistoryEntry> = history.iter().rev().collect();
    let config = ImageConfig {
        architecture: inspect.architecture.clone().unwrap_or_default(),
        os: inspect.os.clone().unwrap_or_default(),
        variant: inspect.variant.clone().filter(|v| !v.is_empty()),
        created: inspect.created.clone(),
        author: inspect.author.clone().filter(|a| !a.is_empty()),
        config: runtime_config(inspect),
        history: oldest_first
            .iter()
            .map(|h| HistoryEntry {
                created: h.created.clone(),
                created_by: h.created_by.clone(),
                comment: h.comment.clone(),
                empty_layer: h.size == 0,
            })
            .collect(),
    };
    let diff_ids: Vec<Digest> = inspect
        .root_fs
        .as_ref()
        .and_then(|r| r.layers.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|l| Digest::parse(l).ok())
        .collect();
    // Sizes come from history, when its non-empty entries line up with the layers.
    let sizes: Vec<u64> = oldest_first
        .iter()
        .map(|h| h.size)
        .filter(|s| *s > 0)
        .collect();
    let aligned = sizes.len() == diff_ids.len();
    let layers = diff_ids
        .into_iter()
        .enumerate()
        .map(|(i, digest)| LayerInfo {
            digest,
            media_type: media::OCI_LAYER.to_owned(),
            size: if aligned { sizes[i] } else { 0 },
            annotations: BTreeMap::new(),
        })
        .collect();
    let raw_config: std::sync::Arc<[u8]> = serde_json::to_vec_pretty(&config).ok()?.into();
    let size = u64::try_from(inspect.size.unwrap_or(0)).unwrap_or(0);
    let image = ImageInfo {
        digest: digest.clone(),
        media_type: String::new(),
        manifest_size: 0,
        artifact_type: None,
        platform,
        config_digest: id,
        config_media_type: media::DOCKER_CONFIG.to_owned(),
        config_size: raw_config.len() as u64,
        config: Some(config),
        layers,
        total_size: size,
        annotations: BTreeMap::new(),
        subject: None,
        raw_manifest: raw.clone(),
        raw_config,
    };
    Some(ImageDetail {
        reference: format!("{label}:{name}"),
        digest,
        media_type: String::new(),
        size,
        platforms: Vec::new(),
        attestations: Vec::new(),
        annotations: BTreeMap::new(),
        image: Some(image),
        missing_platform: None,
        referrers: Vec::new(),
        referrers_error: None,
        raw_manifest: raw,
    })
}

fn runtime_config(inspect: &ImageInspect) -> RuntimeConfig {
    let Some(c) = &inspect.config else {
        return RuntimeConfig::default();
    };
    RuntimeConfig {
        env: c.env.clone().unwrap_or_default(),
        cmd: c.cmd.clone().unwrap_or_default(),
        entrypoint: c.entrypoint.clone().unwrap_or_default(),
        working_dir: c.working_dir.clone().unwrap_or_default(),
        user: c.user.clone().unwrap_or_default(),
        exposed_ports: c.exposed_ports.clone().unwrap_or_default(),
        volumes: c.volumes.clone().unwrap_or_default(),
        labels: c.labels.clone().unwrap_or_default().into_iter().collect(),
        stop_signal: c.stop_signal.clone().unwrap_or_default(),
    }
}

/// Unix seconds as RFC 3339 UTC (`2024-01-02T03:04:05Z`).
#[must_use]
pub fn rfc3339(secs: i64) -> String {
    crate::format::rfc3339(secs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn podman_quirks_are_normalized() {
        let hex = "46c29a88e36e79ab7345fc533a0d35c80bf50e9238812e252f90fb9bec688847";
        assert_eq!(image_id(hex), image_id(&format!("sha256:{hex}")));
        assert_eq!(image_id("<missing>"), None);
        let tags = vec![
            "localhost/t1:a".to_owned(),
            format!("localhost/t1@sha256:{hex}"),
            "<none>:<none>".to_owned(),
        ];
        assert_eq!(real_tags(&tags), ["localhost/t1:a"]);
    }

    #[test]
    fn unix_seconds_to_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_704_164_645), "2024-01-02T03:04:05Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
