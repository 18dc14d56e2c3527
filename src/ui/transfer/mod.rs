//! Copy to… and Export…, for a registry tag and a local image alike: the dialogs in `copy`
//! and `export` ask where, and the answer becomes a job in the jobs panel.

pub mod copy;
pub mod export;

use crate::jobs::{JobSpec, Platforms};
use crate::oci::{ImageRef, RegistryRef};
use crate::ui::app::{BerthApp, Dialog};
use crate::ui::transfer::copy::{CopyDialog, CopyResult};
use crate::ui::transfer::export::{ExportDialog, ExportResult};

impl BerthApp {
    /// `tag` of the open repository as a reference, its registry's client handed to the jobs.
    fn open_tag_ref(&self, tag: &str) -> Option<RegistryRef> {
        let source = self.sources.get(self.nav.at().source()?)?;
        let client = source.client()?;
        let tags = self.nav.tags()?;
        self.jobs
            .conns
            .insert(&source.registry, client, source.credentials.clone());
        Some(RegistryRef {
            registry: source.registry.clone(),
            repository: tags.repo.clone(),
            tag: Some(tag.to_owned()),
            digest: None,
        })
    }

    pub(in crate::ui) fn ask_copy_tag(&mut self, tag: &str) {
        if let Some(source) = self.open_tag_ref(tag) {
            self.ask_copy(ImageRef::Registry(source));
        }
    }

    pub(in crate::ui) fn ask_export_tag(&mut self, tag: &str) {
        if let Some(source) = self.open_tag_ref(tag) {
            self.ask_export(ImageRef::Registry(source));
        }
    }

    /// Copy to… for any image; the sidebar's registries are offered as destinations.
    pub(in crate::ui) fn ask_copy(&mut self, source: ImageRef) {
        let registries: Vec<String> = self
            .sources
            .iter()
            .map(|s| match (&s.registry.scheme, s.registry.host.as_str()) {
                (_, crate::oci::reference::DOCKER_HUB_HOST) => "docker.io".to_owned(),
                (Some(crate::oci::Scheme::Http), host) => format!("http://{host}"),
                (_, host) => host.to_owned(),
            })
            .collect();
        self.dialog = Some(Dialog::Copy(CopyDialog::new(source, &registries)));
    }

    pub(in crate::ui) fn ask_export(&mut self, source: ImageRef) {
        let dir = self.bg.desktop.save_dir();
        self.dialog = Some(Dialog::Export(ExportDialog::new(source, dir)));
    }

    /// A destination on a registry the app already knows uses that connection (its scheme,
    /// its login), whether or not the reference spelled out `http://`.
    fn share_connection(&self, dest: &ImageRef) {
        let ImageRef::Registry(dest) = dest else {
            return;
        };
        let known = self
            .sources
            .iter()
            .find(|s| s.registry.host == dest.registry.host);
        if let Some(source) = known
            && let Some(client) = source.client()
        {
            self.jobs
                .conns
                .insert(&dest.registry, client, source.credentials.clone());
        }
    }

    pub(in crate::ui) fn transfer_dialogs(&mut self, ctx: &egui::Context) {
        if let Some(Dialog::Copy(dialog)) = &mut self.dialog {
            match dialog.show(ctx) {
                None => {}
                Some(CopyResult::Cancelled) => self.dialog = None,
                Some(CopyResult::Copy(dest)) => {
                    let source = dialog.source.clone();
                    self.dialog = None;
                    self.share_connection(&dest);
                    self.jobs.spawn(JobSpec::Copy {
                        source,
                        dest,
                        platforms: Platforms::All,
                    });
                }
            }
        }
        if let Some(Dialog::Export(dialog)) = &mut self.dialog {
            match dialog.show(ctx, &self.bg) {
                None => {}
                Some(ExportResult::Cancelled) => self.dialog = None,
                Some(ExportResult::Export { file, format }) => {
                    let source = dialog.source.clone();
                    self.dialog = None;
                    self.jobs.spawn(JobSpec::Save {
                        source,
                        file,
                        format,
                        platforms: Platforms::Host,
                    });
                }
            }
        }
    }
}
