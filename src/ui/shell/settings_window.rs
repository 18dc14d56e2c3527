//! The Settings window (top bar → Settings): language, theme, the font for Korean, Chinese
//! and Japanese text, and clearing the layer-listing cache. Disk work (the cache's size,
//! clearing it) runs on the runtime; the window shows the result when it comes.

use crate::i18n::Lang;
use crate::settings::Theme;
use crate::tr;
use crate::ui::app::BerthApp;
use crate::ui::kit::requested::Requested;
use crate::ui::shell::fonts::{FontLoader, FontSource, FontStatus};
use egui::RichText;
use std::path::PathBuf;
use std::sync::Arc;

/// What clearing the cache did.
#[derive(Clone, Copy, Debug)]
pub struct Cleared {
    pub files: usize,
    pub bytes: u64,
}

pub struct SettingsWindow {
    font_file: String,
    /// One directory per line.
    font_dirs: String,
    cache_size: Requested<u64, String>,
    cleared: Requested<Cleared, String>,
    keys: super::settings_keys::KeyFields,
}

impl SettingsWindow {
    fn new(app: &BerthApp) -> Self {
        let mut window = Self {
            font_file: app
                .settings
                .font_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            font_dirs: app
                .settings
                .font_dirs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            cache_size: Requested::Idle,
            cleared: Requested::Idle,
            keys: super::settings_keys::KeyFields::new(&app.settings),
        };
        window.measure(app);
        window
    }

    fn measure(&mut self, app: &BerthApp) {
        let Some(cache) = app.bg.layer_cache.clone() else {
            return;
        };
        self.cache_size
            .request(&app.bg.rt, &app.bg.repaint, async move {
                tokio::task::spawn_blocking(move || cache.size())
                    .await
                    .map_err(|e| e.to_string())
            });
    }

    fn clear(&mut self, app: &BerthApp) {
        let Some(cache) = app.bg.layer_cache.clone() else {
            return;
        };
        self.cleared
            .request(&app.bg.rt, &app.bg.repaint, async move {
                tokio::task::spawn_blocking(move || {
                    let bytes = cache.size();
                    let files =
                        crate::layers::clear_cache(cache.dir()).map_err(|e| e.to_string())?;
                    Ok(Cleared { files, bytes })
                })
                .await
                .map_err(|e| e.to_string())?
            });
    }

    fn paths(&self) -> (Option<PathBuf>, Vec<PathBuf>) {
        let file = self.font_file.trim();
        let file = (!file.is_empty()).then(|| PathBuf::from(file));
        let dirs = self
            .font_dirs
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        (file, dirs)
    }
}

impl BerthApp {
    pub(in crate::ui) fn open_settings(&mut self) {
        if self.settings_window.is_none() {
            self.settings_window = Some(SettingsWindow::new(self));
        }
    }

    /// Shows the Settings window while it is open.
    pub(in crate::ui) fn settings_window(&mut self, ctx: &egui::Context) {
        let Some(mut window) = self.settings_window.take() else {
            return;
        };
        if window.cleared.poll() && window.cleared.value().is_some() {
            window.measure(self);
        }
        window.cache_size.poll();
        let mut open = true;
        let mut close = false;
        let area = ctx.content_rect();
        egui::Window::new(tr!("settings-title"))
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(egui::pos2(area.center().x, area.top() + 72.0))
            .id(egui::Id::unique("settings-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                self.settings_general(ui);
                ui.separator();
                self.settings_fonts(ui, &mut window);
                ui.separator();
                self.settings_keys(ui, &mut window.keys);
                ui.separator();
                self.settings_cache(ui, &mut window);
                ui.separator();
                ui.horizontal(|ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button(tr!("settings-close")).clicked() {
                            close = true;
                        }
                    });
                });
            });
        if open && !close {
            self.settings_window = Some(window);
        }
    }

    fn settings_general(&mut self, ui: &mut egui::Ui) {
        egui::Grid::new("settings-general")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label(tr!("settings-language"));
                let mut lang = self.lang;
                ui.horizontal(|ui| {
                    for l in Lang::ALL {
                        ui.selectable_value(&mut lang, l, l.native_name());
                    }
                });
                if lang != self.lang {
                    self.set_lang(lang);
                }
                ui.end_row();
                ui.label(tr!("theme-label"));
                let mut theme = self.settings.theme;
                ui.horizontal(|ui| {
                    for (t, key) in [
                        (Theme::System, "theme-system"),
                        (Theme::Light, "theme-light"),
                        (Theme::Dark, "theme-dark"),
                    ] {
                        ui.selectable_value(&mut theme, t, tr!(key));
                    }
                });
                if theme != self.settings.theme {
                    self.set_theme(ui.ctx(), theme);
                }
                ui.end_row();
            });
    }

    fn settings_fonts(&mut self, ui: &mut egui::Ui, window: &mut SettingsWindow) {
        ui.label(RichText::new(tr!("settings-fonts")).strong());
        let status = match &self.fonts.status {
            FontStatus::Loading => tr!("settings-font-loading"),
            FontStatus::Ready(family) => tr!("settings-font-ready", family = family.as_str()),
            FontStatus::Missing => tr!("settings-font-missing"),
            FontStatus::Off => tr!("settings-font-off"),
        };
        ui.label(
            RichText::new(status)
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        egui::Grid::new("settings-fonts")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(tr!("settings-font-file"));
                ui.add(
                    egui::TextEdit::singleline(&mut window.font_file)
                        .hint_text(crate::ui::shell::fonts::EXAMPLE_FILE)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(tr!("settings-font-dirs"));
                ui.add(
                    egui::TextEdit::multiline(&mut window.font_dirs)
                        .hint_text(tr!("settings-font-dirs-hint"))
                        .desired_rows(2)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        let (file, dirs) = window.paths();
        let changed = file != self.settings.font_file || dirs != self.settings.font_dirs;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(changed, egui::Button::new(tr!("settings-fonts-apply")))
                .clicked()
            {
                self.settings.font_file = file;
                self.settings.font_dirs = dirs;
                self.save_settings();
                // With no font yet, look again at once; a font already in use stays until
                // the next start (egui keeps fallbacks in the order they came).
                if self.fonts.status == FontStatus::Missing {
                    self.fonts = FontLoader::start(
                        FontSource::System.with_settings(&self.settings),
                        Arc::clone(&self.bg.repaint),
                    );
                }
            }
        });
        ui.label(
            RichText::new(tr!("settings-fonts-note"))
                .small()
                .color(ui.visuals().weak_text_color()),
        );
    }

    fn settings_cache(&mut self, ui: &mut egui::Ui, window: &mut SettingsWindow) {
        ui.label(RichText::new(tr!("settings-cache")).strong());
        let Some(cache) = &self.bg.layer_cache else {
            ui.label(tr!("settings-cache-none"));
            return;
        };
        ui.label(
            RichText::new(cache.dir().display().to_string())
                .small()
                .monospace()
                .color(ui.visuals().weak_text_color()),
        );
        ui.horizontal(|ui| {
            let busy = window.cleared.is_pending();
            if ui
                .add_enabled(!busy, egui::Button::new(tr!("settings-cache-clear")))
                .clicked()
            {
                window.clear(self);
            }
            if busy {
                ui.spinner();
            } else if let Some(e) = window.cleared.error() {
                ui.label(
                    RichText::new(tr!("settings-cache-failed", reason = e.as_str())).color(
                        crate::ui::shell::theme::tone(ui, crate::ui::shell::theme::Tone::Warn),
                    ),
                );
            } else if let Some(c) = window.cleared.value() {
                ui.label(tr!(
                    "settings-cache-cleared",
                    size = crate::format::size(c.bytes),
                    count = c.files
                ))
                .on_hover_text(crate::format::size_exact(self.lang, c.bytes));
            } else if let Some(size) = window.cache_size.value() {
                ui.label(tr!(
                    "settings-cache-size",
                    size = crate::format::size(*size)
                ))
                .on_hover_text(crate::format::size_exact(self.lang, *size));
            }
        });
    }
}
