//! The image detail model: what `inspect` prints and what the image view shows, whichever
//! source the image came from. Built from a manifest plus its config blob, no I/O here.

use super::{Digest, FetchedManifest, IndexEntry, Manifest, Platform};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The runtime part of an image config. Parsed leniently: Docker writes `null` for empty
/// lists and maps, and older builders leave fields out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    #[serde(rename = "Env", default, deserialize_with = "null_default")]
    pub env: Vec<String>,
    #[serde(rename = "Cmd", default, deserialize_with = "null_default")]
    pub cmd: Vec<String>,
    #[serde(rename = "Entrypoint", default, deserialize_with = "null_default")]
    pub entrypoint: Vec<String>,
    #[serde(rename = "WorkingDir", default, deserialize_with = "null_default")]
    pub working_dir: String,
    #[serde(rename = "User", default, deserialize_with = "null_default")]
    pub user: String,
    #[serde(rename = "ExposedPorts", default, deserialize_with = "keys_of_map")]
    pub exposed_ports: Vec<String>,
    #[serde(rename = "Volumes", default, deserialize_with = "keys_of_map")]
    pub volumes: Vec<String>,
    #[serde(rename = "Labels", default, deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "StopSignal", default, deserialize_with = "null_default")]
    pub stop_signal: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    #[serde(default, deserialize_with = "null_default")]
    pub created: String,
    #[serde(default, deserialize_with = "null_default")]
    pub created_by: String,
    #[serde(default, deserialize_with = "null_default")]
    pub comment: String,
    #[serde(default, deserialize_with = "null_default")]
    pub empty_layer: bool,
}

/// An image config blob, as far as Berth reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    #[serde(default, deserialize_with = "null_default")]
    pub architecture: String,
    #[serde(default, deserialize_with = "null_default")]
    pub os: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub config: RuntimeConfig,
    #[serde(default, deserialize_with = "null_default")]
    pub history: Vec<HistoryEntry>,
}

impl ImageConfig {
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn keys_of_map<'de, D>(d: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let map: Option<BTreeMap<String, serde_json::Value>> = Option::deserialize(d)?;
    Ok(map.map(|m| m.into_keys().collect()).unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerInfo {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// One single-platform image (or artifact) manifest with its config.
#[derive(Debug, Clone, Serialize)]
pub struct ImageInfo {
    pub digest: Digest,
    pub media_type: String,
    pub manifest_size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    pub config_digest: Digest,
    pub config_media_type: String,
    pub config_size: u64,
    /// `None` for artifacts whose config is not an image config.
    pub config: Option<ImageConfig>,
    pub layers: Vec<LayerInfo>,
    /// Manifest size + config size + every layer: what a pull of this platform moves.
    pub total_size: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Digest>,
    #[serde(skip)]
    pub raw_manifest: std::sync::Arc<[u8]>,
    #[serde(skip)]
    pub raw_config: std::sync::Arc<[u8]>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ImageModelError(pub String);

impl ImageInfo {
    /// Combines an image manifest and its (already verified) config blob.
    pub fn from_parts(
        manifest: &FetchedManifest,
        config_bytes: std::sync::Arc<[u8]>,
    ) -> Result<Self, ImageModelError> {
        let Manifest::Image(m) = &manifest.manifest else {
            return Err(ImageModelError(
                "expected an image manifest, got an index".to_owned(),
            ));
        };
        let cfg = m.config();
        let config_media_type = cfg.media_type().to_string();
        let config_digest =
            Digest::parse(cfg.digest().as_ref()).map_err(|e| ImageModelError(e.to_string()))?;
        let is_image_config = super::media::is_image_config(&config_media_type);
        let config = if is_image_config {
            Some(
                ImageConfig::parse(&config_bytes)
                    .map_err(|e| ImageModelError(format!("invalid image config: {e}")))?,
            )
        } else {
            None
        };
        let layers = m
            .layers()
            .iter()
            .map(|l| {
                Ok(LayerInfo {
                    digest: Digest::parse(l.digest().as_ref())
                        .map_err(|e| ImageModelError(e.to_string()))?,
                    media_type: l.media_type().to_string(),
                    size: l.size(),
                    annotations: l
                        .annotations()
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                })
            })
            .collect::<Result<Vec<_>, ImageModelError>>()?;
        let total_size =
            manifest.bytes.len() as u64 + cfg.size() + layers.iter().map(|l| l.size).sum::<u64>();
        let platform = config.as_ref().and_then(|c| {
            (!c.os.is_empty()).then(|| Platform {
                os: c.os.clone(),
                architecture: c.architecture.clone(),
                variant: c.variant.clone(),
            })
        });
        Ok(Self {
            digest: manifest.digest.clone(),
            media_type: manifest.media_type.clone(),
            manifest_size: manifest.bytes.len() as u64,
            artifact_type: m.artifact_type().as_ref().map(ToString::to_string),
            platform,
            config_digest,
            config_media_type,
            config_size: cfg.size(),
            config,
            layers,
            total_size,
            annotations: m
                .annotations()
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect(),
            subject: m
                .subject()
                .as_ref()
                .and_then(|s| Digest::parse(s.digest().as_ref()).ok()),
            raw_manifest: manifest.bytes.clone(),
            raw_config: config_bytes,
        })
    }

    /// Artifacts (signatures, SBOMs) carry an artifactType or a non-image config.
    #[must_use]
    pub fn is_artifact(&self) -> bool {
        self.artifact_type.is_some() || self.config.is_none()
    }
}

/// One platform of an index and what a pull of it moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformSize {
    pub platform: Platform,
    pub digest: Digest,
    /// Manifest + config + every layer, as [`ImageInfo::total_size`]; `None` when its
    /// manifest could not be read.
    pub size: Option<u64>,
}

impl PlatformSize {
    /// The size of `entry`'s image from its manifest (no config needed).
    #[must_use]
    pub fn of(entry: &IndexEntry, manifest: Option<&FetchedManifest>) -> Option<Self> {
        let platform = entry.platform.clone()?;
        let size = manifest.and_then(|m| match &m.manifest {
            Manifest::Image(im) => Some(
                m.bytes.len() as u64
                    + im.config().size()
                    + im.layers()
                        .iter()
                        .map(oci_spec::image::Descriptor::size)
                        .sum::<u64>(),
            ),
            Manifest::Index(_) => None,
        });
        Some(Self {
            platform,
            digest: entry.digest.clone(),
            size,
        })
    }
}

/// A referrer of an image: a signature, SBOM or attestation whose `subject` is that image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referrer {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Everything `inspect` knows about one reference.
#[derive(Debug, Clone, Serialize)]
pub struct ImageDetail {
    pub reference: String,
    /// Digest of what the reference points at (the index, for a multi-platform image).
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
    /// For an index or list: its entries. Empty for a single image. `--json` lists only the
    /// real platforms (and nested indexes) here; attestation manifests go to `attestations`.
    #[serde(serialize_with = "real_platforms")]
    pub platforms: Vec<IndexEntry>,
    /// For an index: its `BuildKit` attestation manifests, each with the platform it is about.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<AttestationEntry>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The image shown in detail: the single image, or the chosen platform of an index.
    /// `None` when the index has no entry for the wanted platform.
    pub image: Option<ImageInfo>,
    /// When `image` is `None`: the platform that was wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_platform: Option<Platform>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrers: Vec<Referrer>,
    /// Why the referrers could not be listed, if they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrers_error: Option<String>,
    #[serde(skip)]
    pub raw_manifest: std::sync::Arc<[u8]>,
}

/// What to show in detail for a top-level manifest and a wanted platform.
pub enum Chosen<'a> {
    /// The manifest is a single image: show it.
    Itself,
    /// An index: show this entry.
    Entry(&'a IndexEntry),
    /// An index with no entry for the platform.
    Missing,
}

impl Chosen<'_> {
    /// Chooses for `top`, whose entries are `entries` (empty for a single image).
    #[must_use]
    pub fn of<'e>(
        top: &FetchedManifest,
        entries: &'e [IndexEntry],
        wanted: &Platform,
    ) -> Chosen<'e> {
        match &top.manifest {
            Manifest::Image(_) => Chosen::Itself,
            Manifest::Index(_) => {
                choose_platform(entries, wanted).map_or(Chosen::Missing, Chosen::Entry)
            }
        }
    }
}

impl ImageDetail {
    /// Puts the detail together, whichever source the manifests came from. `image` is the
    /// chosen image (see [`Chosen`]); an index entry's platform fills in a config without one.
    #[must_use]
    pub fn assemble(
        reference: String,
        top: &FetchedManifest,
        entries: Vec<IndexEntry>,
        image: Option<(ImageInfo, Option<&IndexEntry>)>,
        wanted: &Platform,
    ) -> Self {
        let missing_platform = image.is_none().then(|| wanted.clone());
        let image = image.map(|(mut info, entry)| {
            if info.platform.is_none() {
                info.platform = entry.and_then(|e| e.platform.clone());
            }
            info
        });
        let annotations = match &top.manifest {
            Manifest::Index(i) => i.annotations().clone().unwrap_or_default(),
            Manifest::Image(m) => m.annotations().clone().unwrap_or_default(),
        };
        let attestations = attestation_entries(&entries);
        Self {
            reference,
            digest: top.digest.clone(),
            media_type: top.media_type.clone(),
            size: top.bytes.len() as u64,
            platforms: entries,
            attestations,
            annotations: annotations.into_iter().collect(),
            image,
            missing_platform,
            referrers: Vec::new(),
            referrers_error: None,
            raw_manifest: top.bytes.clone(),
        }
    }
}

impl ImageDetail {
    /// The index's attestation manifests about the image `image` (`BuildKit` names it in
    /// `vnd.docker.reference.digest`).
    pub fn attestation_entries_for<'a>(
        &'a self,
        image: &'a Digest,
    ) -> impl Iterator<Item = &'a IndexEntry> + 'a {
        self.platforms.iter().filter(move |e| {
            e.is_attestation()
                && e.annotations
                    .get(REFERENCE_DIGEST_ANNOTATION)
                    .map(String::as_str)
                    == Some(image.as_str())
        })
    }
}

/// `BuildKit`'s annotation naming the image an attestation manifest is about.
pub const REFERENCE_DIGEST_ANNOTATION: &str = "vnd.docker.reference.digest";

/// An attestation manifest of an index, and the image (and its platform) it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttestationEntry {
    pub digest: Digest,
    pub size: u64,
    /// The image it is about; `None` when the annotation is missing or not a digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Digest>,
    /// That image's platform in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

fn attestation_entries(entries: &[IndexEntry]) -> Vec<AttestationEntry> {
    entries
        .iter()
        .filter(|e| e.is_attestation())
        .map(|e| {
            let subject = e
                .annotations
                .get(REFERENCE_DIGEST_ANNOTATION)
                .and_then(|d| Digest::parse(d).ok());
            let platform = subject.as_ref().and_then(|s| {
                entries
                    .iter()
                    .find(|p| p.is_platform_image() && p.digest == *s)
                    .and_then(|p| p.platform.clone())
            });
            AttestationEntry {
                digest: e.digest.clone(),
                size: e.size,
                subject,
                platform,
            }
        })
        .collect()
}

/// `platforms` as `--json` prints it: every entry but the attestation manifests.
fn real_platforms<S: serde::Serializer>(entries: &[IndexEntry], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(entries.iter().filter(|e| !e.is_attestation()))
}

/// How deep indexes may nest in one image (an index of indexes of images is 2). Real images
/// nest one level at most; a deeper chain is a loop or a bomb.
pub const MAX_INDEX_DEPTH: usize = 8;

/// What an index offers instead of a wanted platform: the platforms of its images
/// (attestations left out), and the indexes nested in it, by platform or digest, which
/// Berth does not open for a single platform.
#[must_use]
pub fn offered_platforms(entries: &[IndexEntry]) -> (Vec<String>, Vec<String>) {
    let available = entries
        .iter()
        .filter(|e| e.is_platform_image())
        .filter_map(|e| e.platform.as_ref().map(ToString::to_string))
        .collect();
    let nested = entries
        .iter()
        .filter(|e| super::media::is_index(&e.media_type))
        .map(|e| {
            e.platform
                .as_ref()
                .map_or_else(|| e.digest.to_string(), ToString::to_string)
        })
        .collect();
    (available, nested)
}

/// Picks the index entry for `wanted`, skipping attached artifacts (attestations are
/// listed with platform `unknown/unknown`).
#[must_use]
pub fn choose_platform<'a>(entries: &'a [IndexEntry], wanted: &Platform) -> Option<&'a IndexEntry> {
    entries
        .iter()
        .find(|e| e.is_platform_image() && e.platform.as_ref().is_some_and(|p| wanted.matches(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_tolerates_nulls_and_collects_ports() {
        let c = ImageConfig::parse(
            br#"{"architecture":"amd64","os":"linux","config":{"Env":null,"Cmd":["sh"],"ExposedPorts":{"80/tcp":{},"443/tcp":{}},"Labels":null},"history":[{"created_by":"x","empty_layer":true}]}"#,
        )
        .unwrap();
        assert!(c.config.env.is_empty());
        assert_eq!(c.config.cmd, vec!["sh"]);
        assert_eq!(c.config.exposed_ports, vec!["443/tcp", "80/tcp"]);
        assert!(c.history[0].empty_layer);
    }
}
