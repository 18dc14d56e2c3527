//! The images of one local store, in the panel beside the sidebar: one row per image with
//! its reference, and its digest, size, created date and platforms underneath. Clicking a
//! row opens the shared image view; "Delete…" asks before anything goes.

use crate::format::size;
use crate::store::{self, LocalImage, LocalStore};
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::{Bg, kit::widgets};
use egui::{RichText, TextStyle, Ui};
use std::sync::Arc;

/// What the list asks the app to do.
#[derive(Clone, Debug)]
pub enum LocalImageAction {
    Open(String),
    Copy(String),
    Export(String),
    Delete(String),
    /// Load a docker-archive or oci-archive tar into this store.
    Import,
    Retry,
}

type MakeAction = fn(String) -> LocalImageAction;

pub struct LocalImageList {
    pub store: Arc<dyn LocalStore>,
    pub images: Requested<Vec<LocalImage>, store::Error>,
    pub selected: Option<String>,
}

/// The name a row goes by: its reference, else its digest (untagged engine images).
#[must_use]
pub fn row_name(image: &LocalImage) -> String {
    image
        .reference
        .clone()
        .unwrap_or_else(|| image.digest.to_string())
}

impl LocalImageList {
    pub fn new(bg: &Bg, store: Arc<dyn LocalStore>) -> Self {
        let mut list = Self {
            store,
            images: Requested::Idle,
            selected: None,
        };
        list.load(bg);
        list
    }

    pub fn load(&mut self, bg: &Bg) {
        let store = Arc::clone(&self.store);
        self.images
            .request(&bg.rt, &bg.repaint, async move { store.list().await });
    }

    pub fn poll(&mut self) {
        self.images.poll();
    }

    pub fn show(&mut self, ui: &mut Ui) -> Option<LocalImageAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            let count = self.images.value().map_or(0, Vec::len);
            ui.label(
                RichText::new(tr!(
                    "local-images-count",
                    count = i64::try_from(count).unwrap_or(i64::MAX)
                ))
                .strong(),
            );
            if self.images.is_pending() {
                ui.add(egui::Spinner::new().size(12.0));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr!("local-import"))
                    .on_hover_text(tr!("local-import-tooltip"))
                    .clicked()
                {
                    action = Some(LocalImageAction::Import);
                }
            });
        });
        // The selected image's actions, on a row of their own (the list can be narrow).
        if let Some(selected) = &self.selected {
            ui.horizontal_wrapped(|ui| {
                let buttons: [(&str, &str, MakeAction); 3] = [
                    ("local-copy", "local-copy-tooltip", LocalImageAction::Copy),
                    (
                        "local-export",
                        "local-export-tooltip",
                        LocalImageAction::Export,
                    ),
                    (
                        "local-delete",
                        "local-delete-tooltip",
                        LocalImageAction::Delete,
                    ),
                ];
                for (text, tooltip, make) in buttons {
                    if ui
                        .button(crate::i18n::t(text))
                        .on_hover_text(crate::i18n::t(tooltip))
                        .clicked()
                    {
                        action = Some(make(selected.clone()));
                    }
                }
            });
        }
        ui.separator();
        if let Some(e) = self.images.error() {
            ui.label(
                RichText::new(crate::i18n::describe(e)).color(crate::ui::shell::theme::tone(
                    ui,
                    crate::ui::shell::theme::Tone::Error,
                )),
            );
            if ui.button(tr!("action-retry")).clicked() {
                action = Some(LocalImageAction::Retry);
            }
        }
        let Some(images) = self.images.value() else {
            if self.images.is_pending() {
                widgets::busy(ui, &tr!("local-images-loading"));
            }
            return action;
        };
        if images.is_empty() {
            widgets::empty_state(ui, &tr!("local-empty-title"), &tr!("local-empty-body"));
            return action;
        }
        egui::ScrollArea::vertical()
            .id_salt("local-images")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.y = 2.0;
                for image in images {
                    let name = row_name(image);
                    let selected = self.selected.as_deref() == Some(name.as_str());
                    let response = image_row(ui, image, &name, selected);
                    if response.clicked() {
                        action = Some(LocalImageAction::Open(name.clone()));
                    }
                    response.context_menu(|ui| {
                        let items: [(&str, MakeAction); 3] = [
                            ("local-copy", LocalImageAction::Copy),
                            ("local-export", LocalImageAction::Export),
                            ("local-delete", LocalImageAction::Delete),
                        ];
                        for (text, make) in items {
                            if ui.button(crate::i18n::t(text)).clicked() {
                                action = Some(make(name.clone()));
                                ui.close();
                            }
                        }
                    });
                }
            });
        action
    }
}

fn image_row(ui: &mut Ui, image: &LocalImage, name: &str, selected: bool) -> egui::Response {
    let platforms = image
        .platforms
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let created = image
        .created
        .as_deref()
        .map(|c| c.get(..10).unwrap_or(c).to_owned())
        .unwrap_or_default();
    let mut second = vec![image.digest.short().to_owned(), size(image.size)];
    if !created.is_empty() {
        second.push(created);
    }
    if !platforms.is_empty() {
        second.push(platforms);
    }
    if !image.complete {
        second.push(tr!("local-incomplete"));
    }
    let second = second.join(" · ");
    let response = widgets::list_row(ui, selected, 40.0, name, |ui, rect| {
        let text = widgets::row_text_color(ui, selected);
        let weak = if selected {
            text.gamma_multiply(0.8)
        } else {
            ui.visuals().weak_text_color()
        };
        let inner = rect.shrink2(egui::vec2(8.0, 4.0));
        let top =
            egui::Rect::from_min_max(inner.min, egui::pos2(inner.right(), inner.top() + 16.0));
        widgets::paint_line(
            ui,
            top,
            widgets::line_job(ui, name, &TextStyle::Body, text, inner.width()),
        );
        let bottom =
            egui::Rect::from_min_max(egui::pos2(inner.left(), inner.bottom() - 14.0), inner.max);
        widgets::paint_line(
            ui,
            bottom,
            widgets::line_job(ui, &second, &TextStyle::Small, weak, inner.width()),
        );
    });
    response.on_hover_text(format!(
        "{}\n{}",
        image.digest,
        tr!(
            "local-size-bytes",
            bytes = crate::i18n::group_thousands(i64::try_from(image.size).unwrap_or(i64::MAX))
        )
    ))
}
