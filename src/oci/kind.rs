//! What a manifest is, as a person browsing tags wants to know it: an image, an index of
//! platform images, an index that only lists attached artifacts, or an artifact (a manifest
//! whose config is not an image config). Decided from the manifest alone, without its blobs.

use super::{FetchedManifest, Manifest, media};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestKind {
    Image,
    /// An index (OCI index or Docker manifest list). `platforms` counts its platform images,
    /// attestations left out; `None` when only the media type is known (a HEAD, no body yet).
    Index {
        platforms: Option<usize>,
    },
    /// An index that lists only artifacts (signatures, SBOMs, attestations), not platforms:
    /// the referrers tag schema.
    Artifacts {
        count: usize,
    },
    /// A manifest whose config is not an image config, or that declares an artifact type;
    /// the artifact type, or else the config's media type.
    Artifact {
        artifact_type: Option<String>,
    },
}

impl ManifestKind {
    /// The kind of a fetched manifest.
    #[must_use]
    pub fn of(m: &FetchedManifest) -> Self {
        match &m.manifest {
            Manifest::Index(_) => {
                let entries = m.index_entries();
                let platforms = entries.iter().filter(|e| e.is_platform_image()).count();
                if platforms == 0 && !entries.is_empty() {
                    Self::Artifacts {
                        count: entries.len(),
                    }
                } else {
                    Self::Index {
                        platforms: Some(platforms),
                    }
                }
            }
            Manifest::Image(im) => {
                let config_type = im.config().media_type().to_string();
                if media::is_image_config(&config_type) && im.artifact_type().is_none() {
                    Self::Image
                } else {
                    Self::Artifact {
                        artifact_type: im
                            .artifact_type()
                            .as_ref()
                            .map(ToString::to_string)
                            .or(Some(config_type)),
                    }
                }
            }
        }
    }

    /// What the media type alone says, before the body is read: an index (platforms not yet
    /// counted) or an image. `None` for a media type that is neither.
    #[must_use]
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        if media::is_index(media_type) {
            Some(Self::Index { platforms: None })
        } else if media::is_image_manifest(media_type) {
            Some(Self::Image)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::Digest;

    fn parse(body: &str) -> FetchedManifest {
        let bytes = body.as_bytes().to_vec();
        let digest = Digest::of(&bytes);
        FetchedManifest::parse(bytes, None, digest).unwrap()
    }

    const D: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn manifest(config_type: &str, artifact_type: Option<&str>) -> FetchedManifest {
        let artifact = artifact_type
            .map(|t| format!(r#","artifactType":"{t}""#))
            .unwrap_or_default();
        parse(&format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","config":{{"mediaType":"{config_type}","digest":"{D}","size":2}},"layers":[]{artifact}}}"#,
            media::OCI_MANIFEST
        ))
    }

    fn index(entries: &[&str]) -> FetchedManifest {
        let manifests: Vec<String> = entries
            .iter()
            .map(|platform| {
                format!(
                    r#"{{"mediaType":"{}","size":1,"digest":"{D}"{platform}}}"#,
                    media::OCI_MANIFEST
                )
            })
            .collect();
        parse(&format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{}]}}"#,
            media::OCI_INDEX,
            manifests.join(",")
        ))
    }

    #[test]
    fn images_and_artifacts() {
        assert_eq!(
            ManifestKind::of(&manifest(media::OCI_CONFIG, None)),
            ManifestKind::Image
        );
        assert_eq!(
            ManifestKind::of(&manifest(media::DOCKER_CONFIG, None)),
            ManifestKind::Image
        );
        assert_eq!(
            ManifestKind::of(&manifest(media::OCI_EMPTY, Some("application/spdx+json"))),
            ManifestKind::Artifact {
                artifact_type: Some("application/spdx+json".to_owned())
            }
        );
        assert_eq!(
            ManifestKind::of(&manifest("application/vnd.cncf.helm.config.v1+json", None)),
            ManifestKind::Artifact {
                artifact_type: Some("application/vnd.cncf.helm.config.v1+json".to_owned())
            }
        );
    }

    #[test]
    fn indexes_count_platforms_without_attestations() {
        let linux = r#","platform":{"os":"linux","architecture":"amd64"}"#;
        let arm = r#","platform":{"os":"linux","architecture":"arm64"}"#;
        let attestation = r#","platform":{"os":"unknown","architecture":"unknown"}"#;
        assert_eq!(
            ManifestKind::of(&index(&[linux, arm, attestation, attestation])),
            ManifestKind::Index { platforms: Some(2) }
        );
        // Only artifacts without a platform: the referrers tag schema.
        assert_eq!(
            ManifestKind::of(&index(&["", ""])),
            ManifestKind::Artifacts { count: 2 }
        );
        assert_eq!(
            ManifestKind::of(&index(&[])),
            ManifestKind::Index { platforms: Some(0) }
        );
    }

    #[test]
    fn media_type_alone() {
        assert_eq!(
            ManifestKind::from_media_type(media::DOCKER_LIST),
            Some(ManifestKind::Index { platforms: None })
        );
        assert_eq!(
            ManifestKind::from_media_type(media::DOCKER_MANIFEST),
            Some(ManifestKind::Image)
        );
        assert_eq!(ManifestKind::from_media_type(media::OCI_CONFIG), None);
    }
}
