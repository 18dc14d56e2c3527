//! "Import…" for a local store: a docker-archive (what `docker save` writes) or an
//! oci-archive tar, typed or picked with "Browse…" (the file chooser runs off the UI
//! thread), and an optional name; "Import" starts a load job in the jobs panel.

use crate::oci::ImageRef;
use crate::store::StoreLocation;
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::file_pick::{FilePick, PathRowText, PickKind};
use egui::RichText;
use std::path::PathBuf;

pub struct ImportDialog {
    store_name: String,
    location: StoreLocation,
    file: String,
    name: String,
    pick: FilePick,
}

pub enum ImportResult {
    Cancelled,
    Import { file: PathBuf, dest: ImageRef },
}

impl ImportDialog {
    pub fn new(store_name: String, location: StoreLocation) -> Self {
        Self {
            store_name,
            location,
            file: String::new(),
            name: String::new(),
            pick: FilePick::default(),
        }
    }

    pub fn poll(&mut self) {
        if let Some(path) = self.pick.poll() {
            self.file = path.display().to_string();
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<ImportResult> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("local-import")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("local-import-title", store = self.store_name.as_str()));
            ui.add_space(6.0);
            let text = PathRowText {
                label: tr!("local-import-file"),
                hint: "/path/to/image.tar".to_owned(),
                title: tr!("local-import-pick-title"),
            };
            self.pick
                .path_row(ui, bg, &mut self.file, &text, || PickKind::Open);
            ui.add_space(4.0);
            let label = ui.label(tr!("local-import-name"));
            ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text(tr!("local-import-name-hint"))
                    .desired_width(340.0),
            )
            .labelled_by(label.id);
            ui.label(
                RichText::new(tr!("local-import-formats"))
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
            let file = self.file.trim();
            let answer = crate::ui::kit::widgets::confirm_row(
                ui,
                !file.is_empty(),
                &tr!("local-import-confirm"),
                &tr!("local-import-cancel"),
            );
            result = answer.map(|go| {
                if !go {
                    return ImportResult::Cancelled;
                }
                ImportResult::Import {
                    file: PathBuf::from(file),
                    dest: self
                        .location
                        .image_ref(crate::oci::LocalName::parse(self.name.trim())),
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(ImportResult::Cancelled);
        }
        result
    }
}
