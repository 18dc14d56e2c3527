//! Finding an image by reference: its manifest and config (for a platform, when the
//! reference is an index), and where its layer blobs are read from.

use super::Error;
use crate::layers::{self, BlobSource, LayerCache, LayerRead, ProgressFn};
use crate::oci::image::{ImageDetail, ImageInfo};
use crate::oci::{ImageRef, Platform, RegistryRef};
use crate::registry::RegistryClient;
use crate::settings::Settings;
use crate::store::{self, StoreLocation};
use std::sync::Arc;

/// Where an image lives, its name already parsed (ARCHITECTURE.md: names are types).
#[derive(Clone)]
pub enum Place {
    /// An image in a registry, with the client that reads it.
    Registry {
        client: Arc<RegistryClient>,
        reference: RegistryRef,
    },
    /// An image in a local store: `berth:NAME`, `oci:DIR[:TAG]`, `docker:`, `podman:`.
    Local(ImageRef),
}

impl Place {
    /// The place of a local reference; `None` for a registry reference.
    #[must_use]
    pub fn local(reference: &ImageRef) -> Option<Self> {
        StoreLocation::locate(reference).map(|_| Self::Local(reference.clone()))
    }

    /// The reference as the user reads it back (`host/repo:tag`, `oci:DIR:TAG`).
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Registry { reference, .. } => reference.to_string(),
            Self::Local(reference) => reference.to_string(),
        }
    }
}

/// An image found by reference: its manifest and config, and where its blobs are.
pub struct ResolvedImage {
    pub name: String,
    pub info: ImageInfo,
    pub source: BlobSource,
}

impl ResolvedImage {
    /// Reads every layer (see [`layers::load_layers`]); a damaged layer keeps what parsed.
    pub async fn load(&self, cache: Option<&LayerCache>, progress: ProgressFn) -> Vec<LayerRead> {
        layers::load_layers(&self.source, &self.info.layers, cache, progress).await
    }
}

/// Resolves `place` to the image for `platform`. `settings` locate Berth's own store.
pub async fn resolve(
    place: Place,
    platform: &Platform,
    settings: &Settings,
) -> Result<ResolvedImage, Error> {
    let name = place.name();
    match place {
        Place::Registry { client, reference } => {
            let detail = client
                .inspect(&reference.repository, &reference.reference(), platform)
                .await?;
            let info = image_of(detail, &name, platform)?;
            Ok(ResolvedImage {
                name,
                info,
                source: BlobSource::Registry {
                    client,
                    repository: reference.repository,
                },
            })
        }
        Place::Local(reference) => {
            let Some((location, image)) = StoreLocation::locate(&reference) else {
                return Err(Error::BadReference { reference: name });
            };
            // Berth's store and any OCI layout: blobs are files in the layout directory.
            let dir = match &location {
                StoreLocation::Berth => store::berth_store_dir(settings)?,
                StoreLocation::Layout(dir) => dir.clone(),
                StoreLocation::Docker | StoreLocation::Podman => {
                    return Err(Error::EngineImage { reference: name });
                }
            };
            let local = store::open(&location, settings).await?;
            let detail = local.inspect(&image, platform).await?;
            let info = image_of(detail, &name, platform)?;
            Ok(ResolvedImage {
                name,
                info,
                source: BlobSource::Layout { dir },
            })
        }
    }
}

/// The image of `detail`, or which platforms it offers instead.
fn image_of(detail: ImageDetail, name: &str, platform: &Platform) -> Result<ImageInfo, Error> {
    let (available, nested) = crate::oci::image::offered_platforms(&detail.platforms);
    detail.image.ok_or_else(|| Error::NoImage {
        reference: name.to_owned(),
        wanted: Box::new(platform.clone()),
        available,
        nested,
    })
}
