//! Listing a layout's images and inspecting one into the same [`ImageDetail`] a registry
//! gives, so every view and `inspect` renders a local image with the same code.

use super::check::{Closure, walk};
use super::index::Descriptor;
use super::lock::StoreLock;
use super::{LayoutStore, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES};
use crate::oci::image::{Chosen, ImageConfig, ImageDetail, ImageInfo};
use crate::oci::{Digest, FetchedManifest, IndexEntry, LocalName, Manifest, Platform};
use crate::store::{Error, LocalImage, Result};

impl LayoutStore {
    /// Every reference in `index.json`, with its size (all blobs it needs), creation time
    /// and platforms. An entry whose blobs are damaged is listed with what could be read.
    pub fn images(&self) -> Result<Vec<LocalImage>> {
        let _lock = StoreLock::for_read(self.dir());
        let index = self.read_index()?;
        Ok(index.manifests.iter().map(|d| self.summarize(d)).collect())
    }

    fn summarize(&self, d: &Descriptor) -> LocalImage {
        let mut c = Closure::default();
        walk(self.dir(), &d.digest, &d.media_type, d.size, &mut c);
        let (created, platforms) = match self.read_manifest(&d.digest, &d.media_type) {
            Ok(m) => match &m.manifest {
                Manifest::Image(_) => {
                    let config = self.config_of(&m).ok();
                    let platform = config
                        .as_ref()
                        .filter(|c| !c.os.is_empty())
                        .map(|c| Platform {
                            os: c.os.clone(),
                            architecture: c.architecture.clone(),
                            variant: c.variant.clone(),
                        })
                        .or_else(|| d.platform());
                    (
                        config.and_then(|c| c.created),
                        platform.into_iter().collect(),
                    )
                }
                Manifest::Index(_) => (
                    None,
                    m.index_entries()
                        .into_iter()
                        .filter(IndexEntry::is_platform_image)
                        .filter_map(|e| e.platform)
                        .collect(),
                ),
            },
            Err(_) => (None, Vec::new()),
        };
        LocalImage {
            reference: d.ref_name().display().map(str::to_owned),
            digest: d.digest.clone(),
            media_type: d.media_type.clone(),
            size: c.blobs.values().sum(),
            created,
            platforms,
            containers: None,
            complete: c.is_complete(),
        }
    }

    /// The image `query` names (see [`super::LayoutIndex::find`]), in detail. For an index,
    /// the entry for `platform` is shown; without one, `image` is `None`.
    pub fn inspect_image(&self, query: &LocalName, platform: &Platform) -> Result<ImageDetail> {
        let _lock = StoreLock::for_read(self.dir());
        let index = self.read_index()?;
        let entry = &index.manifests[self.resolve_one(&index, query)?];
        let top = self.read_manifest(&entry.digest, &entry.media_type)?;
        let entries = top.index_entries();
        let image = match Chosen::of(&top, &entries, platform) {
            Chosen::Itself => Some((self.image_info(&top)?, None)),
            Chosen::Entry(child) => {
                let m = self.read_manifest(&child.digest, &child.media_type)?;
                Some((self.image_info(&m)?, Some(child)))
            }
            Chosen::Missing => None,
        };
        let name = entry
            .ref_name()
            .display()
            .map_or_else(|| format!("@{}", entry.digest), str::to_owned);
        let reference = format!("{}:{name}", self.label());
        Ok(ImageDetail::assemble(
            reference,
            &top,
            entries.clone(),
            image,
            platform,
        ))
    }

    /// A stored manifest or index, verified and parsed.
    pub fn read_manifest(&self, digest: &Digest, media_type: &str) -> Result<FetchedManifest> {
        let bytes = self.read_blob(digest, MAX_MANIFEST_BYTES)?;
        FetchedManifest::parse(bytes, Some(media_type), digest.clone()).map_err(|e| {
            Error::Invalid {
                dir: self.dir().to_owned(),
                what: format!("manifest {digest}"),
                reason: e.0,
            }
        })
    }

    /// An image manifest with its config, as [`ImageInfo`].
    pub fn image_info(&self, manifest: &FetchedManifest) -> Result<ImageInfo> {
        let config = self.config_bytes(manifest)?;
        ImageInfo::from_parts(manifest, config.into()).map_err(|e| Error::Invalid {
            dir: self.dir().to_owned(),
            what: format!("image {}", manifest.digest),
            reason: e.0,
        })
    }

    fn config_bytes(&self, manifest: &FetchedManifest) -> Result<Vec<u8>> {
        let Manifest::Image(m) = &manifest.manifest else {
            return Err(Error::Invalid {
                dir: self.dir().to_owned(),
                what: format!("manifest {}", manifest.digest),
                reason: "expected an image manifest, got an index".to_owned(),
            });
        };
        let digest = Digest::parse(m.config().digest().as_ref()).map_err(|e| Error::Invalid {
            dir: self.dir().to_owned(),
            what: format!("manifest {}", manifest.digest),
            reason: e.to_string(),
        })?;
        self.read_blob(&digest, MAX_CONFIG_BYTES)
    }

    fn config_of(&self, manifest: &FetchedManifest) -> Result<ImageConfig> {
        let bytes = self.config_bytes(manifest)?;
        ImageConfig::parse(&bytes).map_err(|e| Error::Invalid {
            dir: self.dir().to_owned(),
            what: format!("config of {}", manifest.digest),
            reason: e.to_string(),
        })
    }
}
