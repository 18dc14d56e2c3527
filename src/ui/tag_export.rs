//! "Export…" for a registry tag or a local image: a file path (typed, or picked with "Browse…" when the
//! desktop offers a file chooser) and a format, docker-archive or oci-archive. "Export"
//! starts a save job in the jobs panel. The file chooser runs off the UI thread.

use super::Bg;
use crate::jobs::ArchiveFormat;
use crate::oci::ImageRef;
use crate::tr;
use egui::RichText;
use std::path::PathBuf;
use tokio::sync::oneshot;

pub struct TagExportDialog {
    pub source: ImageRef,
    file: String,
    format: ArchiveFormat,
    pick: Option<oneshot::Receiver<Option<PathBuf>>>,
}

pub enum TagExportResult {
    Cancelled,
    Export {
        file: PathBuf,
        format: ArchiveFormat,
    },
}

impl TagExportDialog {
    pub fn new(source: ImageRef) -> Self {
        Self {
            source,
            file: String::new(),
            format: ArchiveFormat::Docker,
            pick: None,
        }
    }

    /// `NAME-TAG.tar` from the last part of the source's name.
    fn suggested_name(&self) -> String {
        let text = crate::jobs::ref_text(&self.source);
        let last = text.rsplit(['/', '@']).next().unwrap_or("image");
        let last = last.strip_prefix("berth:").unwrap_or(last);
        let (name, tag) = last.split_once(':').unwrap_or((last, "latest"));
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_alphanumeric() || "._-".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect()
        };
        format!("{}-{}.tar", clean(name), clean(tag))
    }

    fn start_pick(&mut self, bg: &Bg) {
        let (tx, rx) = oneshot::channel();
        let repaint = std::sync::Arc::clone(&bg.repaint);
        let (title, name) = (tr!("tag-export-pick-title"), self.suggested_name());
        bg.rt.spawn_blocking(move || {
            let file = rfd::FileDialog::new()
                .set_title(title)
                .set_file_name(name)
                .add_filter("tar", &["tar"])
                .save_file();
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

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<TagExportResult> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("tag-export")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!(
                "tag-export-title",
                reference = crate::jobs::ref_text(&self.source)
            ));
            ui.add_space(6.0);
            let label = ui.label(tr!("tag-export-file"));
            let hint = self.suggested_name();
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.file)
                        .hint_text(hint)
                        .desired_width(340.0),
                )
                .labelled_by(label.id);
                let picking = self.pick.is_some();
                if ui
                    .add_enabled(!picking, egui::Button::new(tr!("tag-export-browse")))
                    .clicked()
                {
                    self.start_pick(bg);
                }
            });
            ui.add_space(4.0);
            ui.label(tr!("tag-export-format"));
            ui.radio_value(
                &mut self.format,
                ArchiveFormat::Docker,
                tr!("tag-export-format-docker"),
            );
            ui.radio_value(
                &mut self.format,
                ArchiveFormat::Oci,
                tr!("tag-export-format-oci"),
            );
            ui.label(
                RichText::new(tr!("tag-export-platform-note"))
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let file = self.file.trim();
                if ui
                    .add_enabled(
                        !file.is_empty(),
                        egui::Button::new(tr!("tag-export-confirm")),
                    )
                    .clicked()
                {
                    result = Some(TagExportResult::Export {
                        file: PathBuf::from(file),
                        format: self.format,
                    });
                }
                if ui.button(tr!("tag-export-cancel")).clicked() {
                    result = Some(TagExportResult::Cancelled);
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(TagExportResult::Cancelled);
        }
        result
    }
}
