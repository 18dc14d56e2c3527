//! Browsing local stores: the image list of the store on screen, opening an image (the
//! location says which; the image view is the registry's), the delete and import dialogs,
//! and Copy to…/Export… (shared with registry tags); the app's hooks for them.

use crate::jobs::JobSpec;
use crate::store::configured_locations;
use crate::tr;
use crate::ui::app::{BerthApp, Dialog};
use crate::ui::kit::widgets;
use crate::ui::local::delete::{DeleteDialog, DeleteResult};
use crate::ui::local::images::{LocalImageAction, LocalImageList};
use crate::ui::local::import::{ImportDialog, ImportResult};
use crate::ui::local::stores::LocalSource;
use crate::ui::shell::location::Location;
use egui::Ui;

/// The local stores (built once per run, so a row's position is its identity) and the image
/// list of the store on screen.
#[derive(Default)]
pub struct LocalBrowser {
    pub sources: Vec<LocalSource>,
    pub list: Option<LocalImageList>,
}

impl BerthApp {
    /// What the sidebar's local rows say (tests read it: the rows are painted).
    #[must_use]
    pub fn local_rows(&self) -> Vec<crate::ui::local::stores::RowText> {
        crate::ui::local::stores::row_texts(&self.local.sources)
    }

    /// One row per configured store, each opened at once (opening only reads a directory
    /// or asks a socket, and an engine that is not there is shown as such).
    pub(in crate::ui) fn build_local_sources(&mut self) {
        self.local.sources = configured_locations(&self.settings)
            .into_iter()
            .map(|l| LocalSource::new(l, &self.settings))
            .collect();
        for source in &mut self.local.sources {
            source.open(&self.bg, &self.settings);
        }
    }

    pub(in crate::ui) fn poll_local(&mut self) {
        for source in &mut self.local.sources {
            source.conn.poll();
        }
        if let Some(list) = &mut self.local.list {
            list.poll();
        }
        if self.local.list.is_none()
            && let Some(store) = self
                .nav
                .at()
                .local_store()
                .and_then(|i| self.local.sources.get(i))
                .and_then(LocalSource::store)
        {
            self.local.list = Some(LocalImageList::new(&self.bg, store));
        }
    }

    /// A store in the sidebar: its image list, read again even when it is already open.
    pub(in crate::ui) fn select_local(&mut self, i: usize) {
        if i >= self.local.sources.len() {
            return;
        }
        self.local.list = None;
        self.go(Location::Local {
            store: i,
            image: None,
        });
    }

    pub(in crate::ui) fn refresh_local(&mut self) {
        let Some(i) = self.nav.at().local_store() else {
            return;
        };
        if let Some(list) = &mut self.local.list {
            list.load(&self.bg);
        }
        self.local.sources[i].open(&self.bg, &self.settings);
    }

    pub(in crate::ui) fn local_panel(&mut self, ui: &mut Ui) {
        ui.set_min_width(ui.available_width());
        let Some(i) = self.nav.at().local_store() else {
            return;
        };
        let Some(source) = self.local.sources.get(i) else {
            return;
        };
        if let Some(e) = source.conn.error() {
            ui.add_space(8.0);
            ui.label(crate::i18n::describe(e));
            if ui.button(tr!("action-retry")).clicked() {
                self.select_local(i);
            }
            return;
        }
        let Some(list) = &mut self.local.list else {
            if source.conn.value().is_some_and(|o| o.store.is_none()) {
                widgets::empty_state(ui, &tr!("local-empty-title"), &tr!("local-empty-body"));
            } else {
                widgets::busy(ui, &tr!("local-images-loading"));
            }
            return;
        };
        match list.show(ui) {
            Some(LocalImageAction::Open(reference)) => self.open_local_image(reference),
            Some(LocalImageAction::Delete(reference)) => {
                let name = self.local.sources[i].name.clone();
                self.dialog = Some(Dialog::DeleteLocal(DeleteDialog::new(
                    &self.bg,
                    std::sync::Arc::clone(&list.store),
                    name,
                    reference,
                )));
            }
            Some(LocalImageAction::Copy(reference)) => {
                let source = self.local.sources[i]
                    .location
                    .image_ref(crate::oci::LocalName::parse(&reference));
                self.ask_copy(source);
            }
            Some(LocalImageAction::Export(reference)) => {
                let source = self.local.sources[i]
                    .location
                    .image_ref(crate::oci::LocalName::parse(&reference));
                self.ask_export(source);
            }
            Some(LocalImageAction::Import) => {
                let source = &self.local.sources[i];
                self.dialog = Some(Dialog::Import(ImportDialog::new(
                    source.name.clone(),
                    source.location.clone(),
                )));
            }
            Some(LocalImageAction::Retry) => list.load(&self.bg),
            None => {}
        }
    }

    /// Up and Down open the previous or next image; Delete asks to delete the open one.
    pub(in crate::ui) fn local_keys(&mut self, delta: isize, delete: bool) {
        let Some(list) = &self.local.list else { return };
        if delete && let Some(reference) = list.selected.clone() {
            let name = self
                .nav
                .at()
                .local_store()
                .and_then(|i| self.local.sources.get(i))
                .map_or_else(String::new, |s| s.name.clone());
            self.dialog = Some(Dialog::DeleteLocal(DeleteDialog::new(
                &self.bg,
                std::sync::Arc::clone(&list.store),
                name,
                reference,
            )));
            return;
        }
        if delta == 0 {
            return;
        }
        let Some(images) = list.images.value() else {
            return;
        };
        let names: Vec<String> = images
            .iter()
            .map(crate::ui::local::images::row_name)
            .collect();
        if names.is_empty() {
            return;
        }
        let current = list
            .selected
            .as_ref()
            .and_then(|s| names.iter().position(|n| n == s));
        let next = match current {
            None => 0,
            Some(i) => i.saturating_add_signed(delta).min(names.len() - 1),
        };
        if current != Some(next) {
            self.open_local_image(names[next].clone());
        }
    }

    /// Copies the open image of the selected store (an engine's, whose files Berth cannot
    /// read in place) into Berth's store, as a job.
    pub(in crate::ui) fn copy_open_local_image_to_berth(&mut self) {
        let (Some(source), Some(image)) = (
            self.nav
                .at()
                .local_store()
                .and_then(|i| self.local.sources.get(i)),
            self.nav.image(),
        ) else {
            return;
        };
        let source = source
            .location
            .image_ref(crate::oci::LocalName::parse(&image.tag));
        self.jobs.spawn(JobSpec::Copy {
            source,
            dest: crate::oci::ImageRef::Berth {
                name: crate::oci::LocalName::Default,
            },
            platforms: crate::jobs::Platforms::Host,
        });
    }

    fn open_local_image(&mut self, reference: String) {
        if let Some(store) = self.nav.at().local_store() {
            self.go(Location::Local {
                store,
                image: Some(reference),
            });
        }
    }

    pub(in crate::ui) fn local_dialog(&mut self, ctx: &egui::Context) {
        if let Some(Dialog::Import(dialog)) = &mut self.dialog {
            match dialog.show(ctx, &self.bg) {
                None => {}
                Some(ImportResult::Cancelled) => self.dialog = None,
                Some(ImportResult::Import { file, dest }) => {
                    self.dialog = None;
                    self.jobs.spawn(JobSpec::Load { file, dest });
                }
            }
        }
        let Some(Dialog::DeleteLocal(dialog)) = &mut self.dialog else {
            return;
        };
        match dialog.show(ctx, &self.bg) {
            None => {}
            Some(DeleteResult::Cancelled) => self.dialog = None,
            Some(DeleteResult::Deleted) => {
                let reference = dialog.reference.clone();
                self.dialog = None;
                if self.nav.image().is_some_and(|i| i.tag == reference) {
                    let to = self.nav.at().parent();
                    self.go(to);
                }
                if let Some(list) = &mut self.local.list
                    && list.selected.as_deref() == Some(reference.as_str())
                {
                    list.selected = None;
                }
                self.refresh_local();
            }
        }
    }
}
