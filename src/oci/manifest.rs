//! A manifest as fetched: the raw bytes (which the digest covers), its media type, and the
//! parsed oci-spec form. Docker schema2 manifests and lists parse into the same types.

use super::{Digest, Platform, media};
use oci_spec::image::{ImageIndex, ImageManifest};

/// Manifests larger than this are refused: real ones are a few kB, and a registry (or a proxy)
/// that sends more is either broken or hostile.
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // an index is as big as a manifest in practice
pub enum Manifest {
    Image(Box<ImageManifest>),
    Index(ImageIndex),
}

/// One entry of an index: a platform-specific manifest (or an attached artifact).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndexEntry {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
    pub platform: Option<Platform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FetchedManifest {
    pub media_type: String,
    pub digest: Digest,
    pub bytes: std::sync::Arc<[u8]>,
    pub manifest: Manifest,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ManifestParseError(pub String);

impl FetchedManifest {
    /// Parses `bytes`. The media type comes from the body's `mediaType` when it has one
    /// (it is authoritative for OCI), then from the Content-Type header, then from its shape.
    pub fn parse(
        bytes: Vec<u8>,
        content_type: Option<&str>,
        digest: Digest,
    ) -> Result<Self, ManifestParseError> {
        #[derive(serde::Deserialize)]
        struct Probe {
            #[serde(rename = "mediaType")]
            media_type: Option<String>,
            #[serde(rename = "schemaVersion")]
            schema_version: Option<u32>,
            manifests: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_slice(&bytes)
            .map_err(|e| ManifestParseError(format!("not a JSON manifest: {e}")))?;
        if probe.schema_version == Some(1) {
            return Err(ManifestParseError(
                "Docker schema1 manifests are not supported".to_owned(),
            ));
        }
        let header = content_type
            .map(|c| c.split(';').next().unwrap_or(c).trim().to_owned())
            .filter(|c| media::is_index(c) || media::is_image_manifest(c));
        let media_type = probe.media_type.or(header).unwrap_or_else(|| {
            if probe.manifests.is_some() {
                media::OCI_INDEX.to_owned()
            } else {
                media::OCI_MANIFEST.to_owned()
            }
        });
        let manifest = if media::is_index(&media_type) {
            Manifest::Index(
                serde_json::from_slice(&bytes)
                    .map_err(|e| ManifestParseError(format!("invalid index: {e}")))?,
            )
        } else if media::is_image_manifest(&media_type) {
            Manifest::Image(Box::new(
                serde_json::from_slice(&bytes)
                    .map_err(|e| ManifestParseError(format!("invalid manifest: {e}")))?,
            ))
        } else {
            return Err(ManifestParseError(format!(
                "unsupported manifest media type {media_type}"
            )));
        };
        Ok(Self {
            media_type,
            digest,
            bytes: bytes.into(),
            manifest,
        })
    }

    /// The entries of an index, with their platforms; empty for a single image.
    #[must_use]
    pub fn index_entries(&self) -> Vec<IndexEntry> {
        let Manifest::Index(index) = &self.manifest else {
            return Vec::new();
        };
        index
            .manifests()
            .iter()
            .filter_map(|d| {
                Some(IndexEntry {
                    digest: Digest::parse(d.digest().as_ref()).ok()?,
                    media_type: d.media_type().to_string(),
                    size: d.size(),
                    platform: d.platform().as_ref().map(|p| Platform {
                        os: p.os().to_string(),
                        architecture: p.architecture().to_string(),
                        variant: p.variant().clone(),
                    }),
                    artifact_type: d.artifact_type().as_ref().map(ToString::to_string),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_list_and_schema1_is_refused() {
        let list = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":7,"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","platform":{"architecture":"arm","os":"linux","variant":"v7"}}]}"#;
        let m = FetchedManifest::parse(list.to_vec(), None, Digest::of(list)).unwrap();
        assert_eq!(m.media_type, media::DOCKER_LIST);
        let e = m.index_entries();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].platform.as_ref().unwrap().to_string(), "linux/arm/v7");

        let s1 = br#"{"schemaVersion":1,"name":"x"}"#;
        assert!(FetchedManifest::parse(s1.to_vec(), None, Digest::of(s1)).is_err());
    }
}
