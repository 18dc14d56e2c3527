//! "Copy to…" for a registry tag: one destination in the CLI's reference grammar
//! (`HOST/REPO:TAG`, `berth:NAME`, `oci:DIR:TAG`, `docker:NAME`, `podman:NAME`), checked as
//! it is typed; "Copy" starts a copy job in the jobs panel.

use super::theme::{self, Tone};
use crate::oci::{ImageRef, RegistryRef};
use crate::tr;
use egui::RichText;

pub struct TagCopyDialog {
    pub source: RegistryRef,
    dest: String,
}

pub enum TagCopyResult {
    Cancelled,
    Copy(ImageRef),
}

impl TagCopyDialog {
    pub fn new(source: RegistryRef) -> Self {
        Self {
            source,
            dest: String::new(),
        }
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<TagCopyResult> {
        let mut result = None;
        let parsed = match self.dest.trim() {
            "" => None,
            text => Some(ImageRef::parse(text)),
        };
        let modal = egui::Modal::new(egui::Id::unique("tag-copy")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("tag-copy-title", reference = self.source.to_string()));
            ui.add_space(6.0);
            let label = ui.label(tr!("tag-copy-dest"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.dest)
                        .hint_text(tr!("tag-copy-dest-hint"))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            ui.label(
                RichText::new(tr!("tag-copy-grammar"))
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
            if let Some(Err(e)) = &parsed {
                ui.label(
                    RichText::new(tr!("tag-copy-invalid", reason = e.reason.as_str()))
                        .color(theme::tone(ui, Tone::Error)),
                );
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let ok = matches!(parsed, Some(Ok(_)));
                let go = ui
                    .add_enabled(ok, egui::Button::new(tr!("tag-copy-confirm")))
                    .clicked();
                if (go || (enter && ok))
                    && let Some(Ok(dest)) = &parsed
                {
                    result = Some(TagCopyResult::Copy(dest.clone()));
                }
                if ui.button(tr!("tag-copy-cancel")).clicked() {
                    result = Some(TagCopyResult::Cancelled);
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(TagCopyResult::Cancelled);
        }
        result
    }
}
