//! The in-place login form, shown in the repositories panel where a registry asked for
//! credentials; the fields are the registry dialog's.

use crate::registry::{Credentials, Secret};
use crate::tr;
use crate::ui::browse::registry_dialog::text_row;
use crate::ui::shell::theme;
use egui::{RichText, Ui};

/// The in-place login form shown where a registry asked for credentials.
#[derive(Default)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

impl LoginForm {
    /// Draws the form; returns the credentials to try when the person logs in.
    pub fn show(&mut self, ui: &mut Ui, host: &str, error: Option<String>) -> Option<Credentials> {
        let mut action = None;
        egui::Frame::new()
            .stroke(egui::Stroke::new(1.0, theme::tone(ui, theme::Tone::Warn)))
            .corner_radius(6.0)
            .inner_margin(12.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(tr!("login-title", registry = host)).strong());
                ui.label(
                    RichText::new(tr!("login-body"))
                        .small()
                        .color(ui.visuals().weak_text_color()),
                );
                ui.add_space(6.0);
                egui::Grid::new("login-fields")
                    .num_columns(2)
                    .striped(false)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        text_row(ui, &tr!("dialog-username"), &mut self.username, "", false);
                        text_row(ui, &tr!("dialog-password"), &mut self.password, "", true);
                    });
                if let Some(e) = error {
                    ui.label(RichText::new(e).color(theme::tone(ui, theme::Tone::Error)));
                }
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ready = !self.username.trim().is_empty();
                let clicked = ui
                    .add_enabled(ready, egui::Button::new(tr!("action-log-in")))
                    .clicked();
                if ready && (clicked || enter) {
                    action = Some(Credentials::Basic {
                        username: self.username.trim().to_owned(),
                        password: Secret::new(std::mem::take(&mut self.password)),
                    });
                }
            });
        action
    }
}
