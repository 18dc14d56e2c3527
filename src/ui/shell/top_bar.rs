//! The top bar: the logo, the breadcrumb, and the window's buttons (Back, Refresh, Compare,
//! Jobs, theme, language, Settings), laid out from the right so the breadcrumb gets the room
//! they leave. Below a width where they would crowd it out, Compare, the theme, the language
//! and Settings fold into a "More" menu.

use crate::i18n::Lang;
use crate::settings::Theme;
use crate::tr;
use crate::ui::app::BerthApp;
use egui::{RichText, Ui};

/// The top bar's width below which the less used buttons fold into "More".
const FOLD_BELOW: f32 = 1000.0;

impl BerthApp {
    pub(in crate::ui) fn top_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let logo = self.logo.get_or_insert_with(|| {
                let image = eframe::icon_data::from_png_bytes(crate::ui::LOGO_PNG).map_or_else(
                    |_| egui::ColorImage::filled([1, 1], egui::Color32::TRANSPARENT),
                    |icon| {
                        egui::ColorImage::from_rgba_unmultiplied(
                            [icon.width as usize, icon.height as usize],
                            &icon.rgba,
                        )
                    },
                );
                ui.ctx()
                    .load_texture("berth-logo", image, egui::TextureOptions::LINEAR)
            });
            ui.add(egui::Image::new((logo.id(), egui::vec2(22.0, 22.0))).alt_text("Berth"));
            ui.label(RichText::new("Berth").strong().size(16.0));
            ui.add_space(12.0);
            // The buttons first, from the right; the breadcrumb gets the room they leave.
            let folded = ui.available_width() < FOLD_BELOW;
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if folded {
                    ui.menu_button(tr!("top-more"), |ui| self.more_menu(ui))
                        .response
                        .on_hover_text(tr!("top-more-tooltip"));
                    self.jobs.toggle(ui);
                } else {
                    if ui
                        .button(tr!("settings-open"))
                        .on_hover_text(tr!("settings-open-tooltip"))
                        .clicked()
                    {
                        self.open_settings();
                    }
                    self.lang_menu(ui);
                    self.theme_menu(ui);
                    self.jobs.toggle(ui);
                    if ui.button(tr!("compare-open")).clicked() {
                        self.open_compare();
                    }
                }
                if ui
                    .button(tr!("action-refresh"))
                    .on_hover_text(tr!("action-refresh-tooltip"))
                    .clicked()
                {
                    self.refresh();
                }
                if self.nav.at().depth() > 0
                    && ui
                        .button(tr!("action-back"))
                        .on_hover_text(tr!("action-back-tooltip"))
                        .clicked()
                {
                    self.back();
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    // Whatever happens to the widths, nothing is painted under Back.
                    ui.shrink_clip_rect(ui.max_rect());
                    if let Some(depth) = self.breadcrumb(ui) {
                        self.go_up_to(depth);
                    }
                });
            });
        });
    }

    fn theme_menu(&mut self, ui: &mut Ui) {
        let current = self.settings.theme;
        let name = theme_name;
        let mut chosen = current;
        egui::ComboBox::from_id_salt("theme")
            .selected_text(format!("{}: {}", tr!("theme-label"), name(current)))
            .show_ui(ui, |ui| {
                for t in [Theme::System, Theme::Light, Theme::Dark] {
                    ui.selectable_value(&mut chosen, t, name(t));
                }
            })
            .response
            .on_hover_text(tr!("theme-tooltip"));
        if chosen != current {
            self.set_theme(ui.ctx(), chosen);
        }
    }

    fn lang_menu(&mut self, ui: &mut Ui) {
        let mut chosen = self.lang;
        egui::ComboBox::from_id_salt("language")
            .selected_text(self.lang.native_name())
            .show_ui(ui, |ui| {
                for l in Lang::ALL {
                    ui.selectable_value(&mut chosen, l, l.native_name());
                }
            })
            .response
            .on_hover_text(tr!("language-tooltip"));
        if chosen != self.lang {
            self.set_lang(chosen);
        }
    }

    /// The folded buttons: Compare and Settings, and the theme and language as choices.
    fn more_menu(&mut self, ui: &mut Ui) {
        if ui.button(tr!("compare-open")).clicked() {
            self.open_compare();
            ui.close();
        }
        if ui
            .button(tr!("settings-open"))
            .on_hover_text(tr!("settings-open-tooltip"))
            .clicked()
        {
            self.open_settings();
            ui.close();
        }
        ui.separator();
        ui.label(RichText::new(tr!("theme-label")).small().weak());
        let mut theme = self.settings.theme;
        for t in [Theme::System, Theme::Light, Theme::Dark] {
            ui.radio_value(&mut theme, t, theme_name(t));
        }
        if theme != self.settings.theme {
            self.set_theme(ui.ctx(), theme);
        }
        ui.separator();
        ui.label(RichText::new(tr!("language-tooltip")).small().weak());
        let mut lang = self.lang;
        for l in Lang::ALL {
            ui.radio_value(&mut lang, l, l.native_name());
        }
        if lang != self.lang {
            self.set_lang(lang);
        }
    }
}

fn theme_name(t: Theme) -> String {
    match t {
        Theme::System => tr!("theme-system"),
        Theme::Dark => tr!("theme-dark"),
        Theme::Light => tr!("theme-light"),
    }
}
