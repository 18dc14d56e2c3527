//! A manifest as fetched: the raw bytes (which the digest covers), its media type, and the
//! parsed oci-spec form. Docker schema2 manifests and lists parse into the same types.

use super::{Digest, Platform, media};
use oci_spec::image::{ImageIndex, ImageManifest};
use std::collections::BTreeMap;

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
    /// The descriptor's annotations; kept for [`IndexEntry::is_attestation`], left out of
    /// `--json` so its shape stays as it was.
    #[serde(skip)]
    pub annotations: BTreeMap<String, String>,
}

/// The annotation `BuildKit` puts on an attestation manifest's index entry, and its value.
pub const REFERENCE_TYPE_ANNOTATION: &str = "vnd.docker.reference.type";
pub const ATTESTATION_MANIFEST: &str = "attestation-manifest";

impl IndexEntry {
    /// Is this entry a `BuildKit` attestation (provenance, SBOM) rather than an image for a
    /// platform? `BuildKit` lists those with the platform `unknown/unknown` and the annotation
    /// `vnd.docker.reference.type: attestation-manifest`; either one is enough, since older
    /// builders set only the platform. They are image manifests by media type, so every
    /// list of platforms has to leave them out.
    #[must_use]
    pub fn is_attestation(&self) -> bool {
        self.annotations
            .get(REFERENCE_TYPE_ANNOTATION)
            .is_some_and(|v| v == ATTESTATION_MANIFEST)
            || self.platform.as_ref().is_some_and(|p| p.os == "unknown")
    }

    /// Is this entry an image for a real platform: an image manifest with a platform that is
    /// not an attestation? These are the platforms an index offers.
    #[must_use]
    pub fn is_platform_image(&self) -> bool {
        media::is_image_manifest(&self.media_type)
            && self.platform.is_some()
            && !self.is_attestation()
    }
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
                    annotations: d
                        .annotations()
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
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

    /// An index as `BuildKit` writes it: one image, its attestation (platform `unknown/unknown`
    /// and the reference-type annotation), an entry with only the annotation, one with only
    /// the platform, and an attached artifact without a platform.
    fn buildkit_index() -> Vec<IndexEntry> {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"{index}","manifests":[
            {{"mediaType":"{m}","size":1,"digest":"{d}","platform":{{"os":"linux","architecture":"amd64"}}}},
            {{"mediaType":"{m}","size":2,"digest":"{d}","platform":{{"os":"unknown","architecture":"unknown"}},
              "annotations":{{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"{d}"}}}},
            {{"mediaType":"{m}","size":3,"digest":"{d}","platform":{{"os":"linux","architecture":"arm64"}},
              "annotations":{{"vnd.docker.reference.type":"attestation-manifest"}}}},
            {{"mediaType":"{m}","size":4,"digest":"{d}","platform":{{"os":"unknown","architecture":"unknown"}}}},
            {{"mediaType":"{m}","size":5,"digest":"{d}","artifactType":"application/spdx+json"}}]}}"#,
            index = media::OCI_INDEX,
            m = media::OCI_MANIFEST,
        );
        let bytes = body.into_bytes();
        let digest = Digest::of(&bytes);
        FetchedManifest::parse(bytes, None, digest)
            .unwrap()
            .index_entries()
    }

    #[test]
    fn attestations_are_told_by_platform_or_annotation() {
        let entries = buildkit_index();
        let attestation: Vec<bool> = entries.iter().map(IndexEntry::is_attestation).collect();
        assert_eq!(attestation, [false, true, true, true, false]);
        let platforms: Vec<u64> = entries
            .iter()
            .filter(|e| e.is_platform_image())
            .map(|e| e.size)
            .collect();
        assert_eq!(platforms, [1], "only the linux/amd64 image is a platform");
    }

    #[test]
    fn annotations_stay_out_of_json() {
        let entries = buildkit_index();
        assert!(!entries[1].annotations.is_empty());
        let json = serde_json::to_value(&entries[1]).unwrap();
        assert!(json.get("annotations").is_none(), "{json}");
    }
}
