//! "Import…" for a local store: a docker-archive (what `docker save` writes) or an
//! oci-archive tar, typed or picked with "Browse…" (the file chooser runs off the UI
//! thread), and an optional name; "Import" starts a load job in the jobs panel.

use super::Bg;
use crate::oci::ImageRef;
use crate::store::StoreLocation;
use crate::tr;
use egui::RichText;
use std::path::PathBuf;
use tokio::sync::oneshot;

pub struct ImportDialog {
    store_name: String,
    location: StoreLocation,
    file: String,
    name: String,
    pick: Option<oneshot::Receiver<Option<PathBuf>>>,
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
            pick: None,
        }
    }

    fn start_pick(&mut self, bg: &Bg) {
        let (tx, rx) = oneshot::channel();
        let repaint = std::sync::Arc::clone(&bg.repaint);
        let title = tr!("local-import-pick-title");
        bg.rt.spawn_blocking(move || {
            let file = rfd::FileDialog::new()
                .set_title(title)
                .add_filter("tar", &["tar"])
                .pick_file();
            let _ = tx.send(file);
            repaint();
        });
        self.pick = Some(rx);
    }

    pub fn poll(&mut self) {
        if let Some(rx) = &mut self.pick {
            match rx.try_recv() {
                Ok(file) => {
                    if let Some(path) = file {
                        self.file = path.display().to_string();
                    }
                    self.pick = None;
                }
                Err(oneshot::error::TryRecvError::Closed) => self.pick = None,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<ImportResult> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("local-import")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("local-import-title", store = self.store_name.as_str()));
            ui.add_space(6.0);
            let label = ui.label(tr!("local-import-file"));
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.file)
                        .hint_text("/path/to/image.tar")
                        .desired_width(340.0),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(
                        self.pick.is_none(),
                        egui::Button::new(tr!("local-import-browse")),
                    )
                    .clicked()
                {
                    self.start_pick(bg);
                }
            });
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
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let file = self.file.trim();
                if ui
                    .add_enabled(
                        !file.is_empty(),
                        egui::Button::new(tr!("local-import-confirm")),
                    )
                    .clicked()
                {
                    result = Some(ImportResult::Import {
                        file: PathBuf::from(file),
                        dest: self.location.image_ref(self.name.trim()),
                    });
                }
                if ui.button(tr!("local-import-cancel")).clicked() {
                    result = Some(ImportResult::Cancelled);
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(ImportResult::Cancelled);
        }
        result
    }
}
