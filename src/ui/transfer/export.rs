//! "Export…" for a registry tag or a local image: a file path (typed, or picked with "Browse…" when the
//! desktop offers a file chooser) and a format, docker-archive or oci-archive. The path starts
//! as `NAME-TAG.tar` in the user's download directory (else home), so "Export" works at once.
//! "Export" starts a save job in the jobs panel. The file chooser runs off the UI thread.

use crate::jobs::ArchiveFormat;
use crate::oci::{ImageName, ImageRef, tag_or_default};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::file_pick::{FilePick, PathRowText, PickKind};
use egui::RichText;
use std::path::{Path, PathBuf};

pub struct ExportDialog {
    pub source: ImageRef,
    file: String,
    format: ArchiveFormat,
    pick: FilePick,
}

pub enum ExportResult {
    Cancelled,
    Export {
        file: PathBuf,
        format: ArchiveFormat,
    },
}

impl ExportDialog {
    /// The dialog for `source`, its path prefilled in `dir` (the user's download directory or
    /// home) when there is one.
    pub fn new(source: ImageRef, dir: Option<&Path>) -> Self {
        let mut dialog = Self {
            source,
            file: String::new(),
            format: ArchiveFormat::Docker,
            pick: FilePick::default(),
        };
        if let Some(dir) = dir {
            dialog.file = dir.join(dialog.suggested_name()).display().to_string();
        }
        dialog
    }

    /// `NAME-TAG.tar` from the last part of the source's name.
    fn suggested_name(&self) -> String {
        let image = match &self.source {
            ImageRef::Registry(r) => ImageName::parse(&r.to_string()),
            ImageRef::OciDir { dir, name } => ImageName {
                path: dir
                    .file_name()
                    .map_or_else(|| "image".to_owned(), |d| d.to_string_lossy().into_owned()),
                tag: (!name.is_default()).then(|| name.to_string()),
                digest: None,
            },
            ImageRef::Berth { name } | ImageRef::Docker { name } | ImageRef::Podman { name } => {
                ImageName::parse(&name.to_string())
            }
        };
        let name = image.short_name();
        let tag = image
            .digest
            .as_deref()
            .unwrap_or_else(|| tag_or_default(image.tag.as_deref()));
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

    pub fn poll(&mut self) {
        if let Some(path) = self.pick.poll() {
            self.file = path.display().to_string();
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<ExportResult> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("tag-export")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("tag-export-title", reference = self.source.to_string()));
            ui.add_space(6.0);
            let text = PathRowText {
                label: tr!("tag-export-file"),
                hint: self.suggested_name(),
                title: tr!("tag-export-pick-title"),
            };
            let file_name = self.suggested_name();
            self.pick
                .path_row(ui, bg, &mut self.file, &text, || PickKind::Save {
                    file_name,
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
            let file = self.file.trim();
            let answer = crate::ui::kit::widgets::confirm_row(
                ui,
                !file.is_empty(),
                &tr!("tag-export-confirm"),
                &tr!("tag-export-cancel"),
            );
            result = answer.map(|go| {
                if !go {
                    return ExportResult::Cancelled;
                }
                ExportResult::Export {
                    file: PathBuf::from(file),
                    format: self.format,
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(ExportResult::Cancelled);
        }
        result
    }
}
