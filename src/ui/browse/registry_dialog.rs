//! The registry dialog (add, edit, remove; URL, plain HTTP and TLS options, CA file, and
//! credentials, with "Test connection"). An address that another saved entry has is refused
//! with that entry's name and a button to edit it: a saved registry is never dropped without
//! asking (ARCHITECTURE.md: what the window says is what happens).

use crate::oci::{RegistryName, Scheme};
use crate::registry::{ClientConfig, Credentials, RegistryClient, Secret};
use crate::settings::SavedRegistry;
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::{Bg, kit::widgets, shell::theme};
use egui::{RichText, Ui};
use std::path::PathBuf;
use tokio::sync::oneshot;

pub struct RegistryDialog {
    /// The index in the settings' registries when editing a saved one.
    pub editing: Option<usize>,
    name: String,
    url: String,
    plain_http: bool,
    insecure: bool,
    ca_file: String,
    /// The entry's signature keys, kept as they are (edited in Settings).
    signing_keys: Vec<PathBuf>,
    username: String,
    password: String,
    test: Requested<()>,
    /// Whether the running or finished test sent a username (the result says which).
    tested_with_user: bool,
    pick: Option<oneshot::Receiver<Option<PathBuf>>>,
    /// "Browse…" was clicked where there is no file chooser.
    no_chooser: bool,
    problem: Option<String>,
    /// The saved entry that already has this address: its index and name.
    duplicate: Option<(usize, String)>,
}

pub enum DialogAction {
    Save {
        saved: SavedRegistry,
        credentials: Option<Credentials>,
    },
    Remove(usize),
    /// Switch the dialog to editing the saved entry at this index.
    EditExisting(usize),
    Close,
}

impl RegistryDialog {
    #[must_use]
    pub fn add() -> Self {
        Self::from_saved(None, &SavedRegistry::default())
    }

    #[must_use]
    pub fn from_saved(editing: Option<usize>, saved: &SavedRegistry) -> Self {
        Self {
            editing,
            name: saved.name.clone(),
            url: saved.url.clone(),
            plain_http: saved.plain_http,
            insecure: saved.insecure,
            ca_file: saved
                .ca_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            signing_keys: saved.signing_keys.clone(),
            username: String::new(),
            password: String::new(),
            test: Requested::Idle,
            tested_with_user: false,
            pick: None,
            no_chooser: false,
            problem: None,
            duplicate: None,
        }
    }

    /// Refuses to save: the address is the saved entry `index`'s, named `name`.
    pub fn refuse_duplicate(&mut self, index: usize, name: String) {
        self.problem = Some(tr!(
            "dialog-duplicate",
            url = self.url.trim().to_owned(),
            name = name.clone()
        ));
        self.duplicate = Some((index, name));
    }

    /// What the fields say, or why they cannot be saved.
    fn saved(&self) -> Result<SavedRegistry, String> {
        let url = self.url.trim();
        let Ok(name) = RegistryName::parse(url) else {
            return Err(tr!("dialog-invalid-url", url = url));
        };
        let ca = self.ca_file.trim();
        Ok(SavedRegistry {
            name: if self.name.trim().is_empty() {
                name.host
            } else {
                self.name.trim().to_owned()
            },
            url: url.to_owned(),
            plain_http: self.plain_http || name.scheme == Some(Scheme::Http),
            insecure: self.insecure,
            ca_file: (!ca.is_empty()).then(|| PathBuf::from(ca)),
            signing_keys: self.signing_keys.clone(),
        })
    }

    fn credentials(&self) -> Option<Credentials> {
        (!self.username.trim().is_empty()).then(|| Credentials::Basic {
            username: self.username.trim().to_owned(),
            password: Secret::new(self.password.clone()),
        })
    }

    fn start_test(&mut self, bg: &Bg) {
        let saved = match self.saved() {
            Ok(s) => s,
            Err(problem) => {
                self.problem = Some(problem);
                return;
            }
        };
        self.problem = None;
        let Some(name) = saved.registry_name() else {
            return;
        };
        self.tested_with_user = self.credentials().is_some();
        let config = ClientConfig {
            scheme: Some(saved.scheme()),
            insecure: saved.insecure,
            ca_file: saved.ca_file.clone(),
            credentials: self.credentials().unwrap_or_default(),
            ..ClientConfig::default()
        };
        self.test.request(&bg.rt, &bg.repaint, async move {
            RegistryClient::new(&name.host, config)?.ping().await
        });
    }

    fn start_pick(&mut self, bg: &Bg) {
        if !bg.desktop.file_chooser {
            self.no_chooser = true;
            return;
        }
        let (tx, rx) = oneshot::channel();
        let repaint = std::sync::Arc::clone(&bg.repaint);
        bg.rt.spawn_blocking(move || {
            let file = rfd::FileDialog::new()
                .set_title(tr!("dialog-ca-pick-title"))
                .add_filter("PEM", &["pem", "crt", "cer"])
                .pick_file();
            let _ = tx.send(file);
            repaint();
        });
        self.pick = Some(rx);
    }

    pub fn poll(&mut self) {
        self.test.poll();
        if let Some(rx) = &mut self.pick
            && let Ok(file) = rx.try_recv()
        {
            if let Some(path) = file {
                self.ca_file = path.display().to_string();
            }
            self.pick = None;
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<DialogAction> {
        let mut action = None;
        let modal = egui::Modal::new(egui::Id::unique("registry-dialog")).show(ctx, |ui| {
            ui.set_width(440.0);
            let title = if self.editing.is_some() {
                tr!("dialog-edit-title")
            } else {
                tr!("dialog-add-title")
            };
            ui.heading(title);
            ui.add_space(8.0);
            egui::Grid::new("registry-fields")
                .num_columns(2)
                .striped(false)
                .spacing([12.0, 8.0])
                .show(ui, |ui| self.fields(ui, bg));
            ui.add_space(6.0);
            self.test_result(ui);
            if let Some(p) = &self.problem {
                ui.label(RichText::new(p).color(theme::tone(ui, theme::Tone::Error)));
            }
            if let Some((index, name)) = &self.duplicate
                && ui
                    .button(tr!("dialog-edit-existing", name = name.clone()))
                    .clicked()
            {
                action = Some(DialogAction::EditExisting(*index));
            }
            ui.add_space(8.0);
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(tr!("dialog-test")).clicked() {
                    self.start_test(bg);
                }
                if let Some(i) = self.editing
                    && ui.button(tr!("dialog-remove")).clicked()
                {
                    action = Some(DialogAction::Remove(i));
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(RichText::new(tr!("dialog-save")).strong())
                        .clicked()
                    {
                        self.duplicate = None;
                        match self.saved() {
                            Ok(saved) => {
                                action = Some(DialogAction::Save {
                                    saved,
                                    credentials: self.credentials(),
                                });
                            }
                            Err(p) => self.problem = Some(p),
                        }
                    }
                    if ui.button(tr!("dialog-cancel")).clicked() {
                        action = Some(DialogAction::Close);
                    }
                });
            });
        });
        if modal.should_close() && action.is_none() {
            action = Some(DialogAction::Close);
        }
        action
    }

    fn fields(&mut self, ui: &mut Ui, bg: &Bg) {
        text_row(
            ui,
            &tr!("dialog-name"),
            &mut self.name,
            &tr!("dialog-name-hint"),
            false,
        );
        text_row(
            ui,
            &tr!("dialog-url"),
            &mut self.url,
            "registry.example.com:5000",
            false,
        );
        // An address that spells its scheme decides the checkbox, so the two never disagree.
        let scheme = RegistryName::parse(self.url.trim())
            .ok()
            .and_then(|n| n.scheme);
        if let Some(scheme) = scheme {
            self.plain_http = scheme == Scheme::Http;
        }
        ui.label("");
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                let checkbox = ui.add_enabled(
                    scheme.is_none(),
                    egui::Checkbox::new(&mut self.plain_http, tr!("dialog-plain-http")),
                );
                if scheme.is_some() {
                    checkbox.on_disabled_hover_text(tr!("dialog-plain-http-from-url"));
                }
                if self.plain_http {
                    badge(ui, &tr!("badge-plain-http"));
                }
            });
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.insecure, tr!("dialog-insecure"));
                if self.insecure {
                    badge(ui, &tr!("badge-insecure"));
                }
            });
            if self.plain_http || self.insecure {
                ui.label(
                    RichText::new(tr!("dialog-insecure-warning"))
                        .small()
                        .color(theme::tone(ui, theme::Tone::Warn)),
                );
            }
        });
        ui.end_row();
        let label = ui.label(tr!("dialog-ca-file"));
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.ca_file)
                    .hint_text(tr!("dialog-ca-file-hint"))
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            let picking = self.pick.is_some();
            if ui
                .add_enabled(!picking, egui::Button::new(tr!("dialog-browse")))
                .clicked()
            {
                self.start_pick(bg);
            }
        });
        ui.end_row();
        if self.no_chooser {
            ui.label("");
            ui.label(
                RichText::new(tr!("dialog-no-file-chooser"))
                    .small()
                    .color(theme::tone(ui, theme::Tone::Warn)),
            );
            ui.end_row();
        }
        text_row(ui, &tr!("dialog-username"), &mut self.username, "", false);
        ui.label("");
        ui.label(
            RichText::new(tr!("dialog-credentials-note"))
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        ui.end_row();
        text_row(ui, &tr!("dialog-password"), &mut self.password, "", true);
    }

    fn test_result(&self, ui: &mut Ui) {
        match &self.test {
            Requested::Idle => {}
            Requested::Pending { .. } => widgets::busy(ui, &tr!("dialog-testing")),
            Requested::Ready(()) => {
                let ok = if self.tested_with_user {
                    tr!("dialog-test-ok")
                } else {
                    tr!("dialog-test-ok-anonymous")
                };
                ui.label(RichText::new(ok).color(theme::tone(ui, theme::Tone::Ok)));
            }
            Requested::Failed { error, .. } => {
                // The sentence and what to do; the network library's words fold away.
                widgets::error_note(ui, error);
            }
        }
    }
}

/// A label and a one-line field tied to it (so the field's accessible name is the label).
pub fn text_row(ui: &mut Ui, label: &str, value: &mut String, hint: &str, password: bool) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .password(password)
            .desired_width(300.0),
    )
    .labelled_by(label.id);
    ui.end_row();
}

fn badge(ui: &mut Ui, text: &str) {
    let color = theme::tone(ui, theme::Tone::Warn);
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(5, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(text).small().color(color));
        });
}
