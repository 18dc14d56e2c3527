//! A Files tab save (see `save`) becomes an Extract job: the image view adds what the tab
//! does not know (the image's digest, the platform, where it lives), and the app names the
//! image as the job reads it (the registry manifest by digest, a local store's image by its
//! name and platform), lends the registry's client to the jobs' connections, and spawns it.

use super::save::SaveRequest;
use crate::jobs::{ExtractSpec, JobSpec};
use crate::oci::{Digest, ImageRef, Platform, RegistryRef};
use crate::ui::app::BerthApp;
use crate::ui::image::{ImageOrigin, ImageView};
use std::sync::Arc;

/// A save the Files tab asked for, with the image it reads.
pub struct SaveAsk {
    request: SaveRequest,
    /// The platform's image manifest the tab shows.
    image: Digest,
    platform: Platform,
    origin: ImageOrigin,
}

impl ImageView {
    /// The save the Files tab asked for, once.
    pub fn take_save(&mut self) -> Option<SaveAsk> {
        let request = self.files.take_save()?;
        let image = self.detail.value()?.image.as_ref()?.digest.clone();
        Some(SaveAsk {
            request,
            image,
            platform: self.platform.clone(),
            origin: self.origin.clone(),
        })
    }
}

impl BerthApp {
    /// Spawns the Extract job for `ask` (the jobs panel opens on it).
    pub(in crate::ui) fn start_save(&mut self, ask: SaveAsk) {
        let source = match ask.origin {
            ImageOrigin::Registry(client, repository) => {
                let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id))
                else {
                    return;
                };
                self.jobs.conns.insert(
                    &source.registry,
                    Arc::clone(&client),
                    source.credentials.clone(),
                );
                ImageRef::Registry(RegistryRef {
                    registry: source.registry.clone(),
                    repository,
                    tag: None,
                    digest: Some(ask.image),
                })
            }
            ImageOrigin::Local(_, name) => {
                let Some(source) = self
                    .nav
                    .at()
                    .local_store()
                    .and_then(|i| self.local.sources.get(i))
                else {
                    return;
                };
                source.location.image_ref(name)
            }
        };
        let SaveRequest { path, layer, dest } = ask.request;
        self.jobs.spawn(JobSpec::Extract(ExtractSpec {
            source,
            platform: ask.platform,
            path,
            layer,
            dest,
            layer_cache: self.bg.layer_cache.as_ref().map(|c| c.dir().to_path_buf()),
        }));
    }
}
