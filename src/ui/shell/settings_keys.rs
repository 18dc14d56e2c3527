//! The Settings window's signature keys (issue 20): PEM public key files for every registry,
//! and for each saved registry its own, one path per line. Saved with Apply; the files are
//! read only when signatures are checked, off the UI thread.

use crate::tr;
use crate::ui::app::BerthApp;
use egui::RichText;
use std::path::PathBuf;

/// The text fields, one path per line.
pub struct KeyFields {
    all: String,
    per_registry: Vec<String>,
}

fn joined(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn split(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect()
}

impl KeyFields {
    pub fn new(settings: &crate::settings::Settings) -> Self {
        Self {
            all: joined(&settings.signing_keys),
            per_registry: settings
                .registries
                .iter()
                .map(|r| joined(&r.signing_keys))
                .collect(),
        }
    }
}

impl BerthApp {
    pub(in crate::ui) fn settings_keys(&mut self, ui: &mut egui::Ui, fields: &mut KeyFields) {
        ui.label(RichText::new(tr!("sig-settings-keys")).strong());
        ui.label(
            RichText::new(tr!("sig-settings-keys-hint"))
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        fields
            .per_registry
            .resize(self.settings.registries.len(), String::new());
        egui::Grid::new("settings-keys")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(tr!("sig-settings-keys"));
                ui.add(
                    egui::TextEdit::multiline(&mut fields.all)
                        .desired_rows(2)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                for (r, text) in self
                    .settings
                    .registries
                    .iter()
                    .zip(&mut fields.per_registry)
                {
                    let label = ui.label(tr!(
                        "sig-settings-registry-keys",
                        registry = crate::format::escape(&r.url).into_owned()
                    ));
                    ui.add(
                        egui::TextEdit::multiline(text)
                            .desired_rows(1)
                            .desired_width(300.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
            });
        let all = split(&fields.all);
        let per: Vec<Vec<PathBuf>> = fields.per_registry.iter().map(|t| split(t)).collect();
        let changed = all != self.settings.signing_keys
            || self
                .settings
                .registries
                .iter()
                .zip(&per)
                .any(|(r, p)| &r.signing_keys != p);
        if ui
            .add_enabled(changed, egui::Button::new(tr!("sig-settings-apply")))
            .clicked()
        {
            self.settings.signing_keys = all;
            for (r, p) in self.settings.registries.iter_mut().zip(per) {
                r.signing_keys = p;
            }
            self.save_settings();
        }
    }
}
