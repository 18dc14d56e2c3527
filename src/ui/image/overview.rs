//! Overview: reference, digest (copyable), media type, total size, for an index a table of
//! its platforms with what a pull of each moves (choosing one picks what the tabs show), an
//! artifact's subject (with a link to it), and annotations. A copyable value too
//! long for the window (a reference by digest) is elided, with the whole value in its tooltip,
//! so its Copy button stays on screen.

use crate::oci::image::{ImageDetail, ImageInfo, PlatformSize};
use crate::oci::{Digest, Platform};
use crate::tr;
use crate::ui::kit::widgets;
use egui::{RichText, Ui};

/// What the person asked for in the overview.
pub enum OverviewAction {
    /// Show this platform of the index.
    Platform(Platform),
    /// Open the artifact's subject (a digest in the same repository).
    OpenSubject(Digest),
}

/// Draws the overview; `can_open` says whether a subject can be opened from here (it can in
/// a registry, where a digest names a manifest of the same repository).
pub fn show(
    ui: &mut Ui,
    detail: &ImageDetail,
    current: &Platform,
    can_open: bool,
    sizes: PlatformSizes<'_>,
) -> Option<OverviewAction> {
    let mut picked = None;
    egui::Grid::new("overview")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            copy_row(ui, &tr!("overview-reference"), &detail.reference);
            copy_row(ui, &tr!("overview-digest"), detail.digest.as_str());
            plain_row(ui, &tr!("overview-media-type"), &detail.media_type);
            if let Some(image) = &detail.image {
                image_rows(ui, detail, image);
                if let Some(subject) = &image.subject
                    && subject_row(ui, subject, can_open)
                {
                    picked = Some(OverviewAction::OpenSubject(subject.clone()));
                }
            }
        });
    if !detail.platforms.is_empty() {
        widgets::section(ui, &tr!("overview-platforms"));
        if let Some(p) = platform_table(ui, detail, current, sizes) {
            picked = Some(OverviewAction::Platform(p));
        }
        if detail.image.is_none() {
            super::no_image(ui, detail);
        }
    }
    // For a single image the reference's annotations are the image's own.
    let mut annotations: Vec<(&String, &String)> = detail.annotations.iter().collect();
    if let Some(image) = detail
        .image
        .as_ref()
        .filter(|_| !detail.platforms.is_empty())
    {
        annotations.extend(image.annotations.iter());
    }
    if !annotations.is_empty() {
        widgets::section(ui, &tr!("overview-annotations"));
        egui::Grid::new("annotations")
            .num_columns(3)
            .striped(true)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for (k, v) in annotations {
                    ui.label(RichText::new(k).monospace());
                    widgets::copy_button(ui, v);
                    ui.add(egui::Label::new(v.as_str()).wrap());
                    ui.end_row();
                }
            });
    }
    picked
}

/// The pull sizes of an index's platforms: known (by manifest digest), still being read, or
/// not read from this source (a local store).
#[derive(Clone, Copy)]
pub enum PlatformSizes<'a> {
    Known(&'a [PlatformSize]),
    Reading,
    Unknown,
}

/// The platforms of the index, one row each: the platform (a button that chooses it; the
/// chosen one is selected), what a pull of it moves, and its manifest digest.
fn platform_table(
    ui: &mut Ui,
    detail: &ImageDetail,
    current: &Platform,
    sizes: PlatformSizes<'_>,
) -> Option<Platform> {
    let mut picked = None;
    let weak_color = ui.visuals().weak_text_color();
    egui::Grid::new("overview-platforms")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for key in [
                crate::msg!("overview-platforms-col-platform"),
                crate::msg!("overview-platforms-col-size"),
                crate::msg!("overview-platforms-col-manifest"),
            ] {
                ui.label(weak(ui, &tr!(key)));
            }
            ui.end_row();
            for entry in detail.platforms.iter().filter(|e| e.is_platform_image()) {
                let Some(p) = &entry.platform else { continue };
                let chosen = detail
                    .image
                    .as_ref()
                    .map_or(current == p, |i| i.digest == entry.digest);
                let response = ui
                    .selectable_label(chosen, p.to_string())
                    .on_hover_text(tr!("overview-platforms-hint"));
                if response.clicked() && !chosen {
                    picked = Some(p.clone());
                }
                let size = match sizes {
                    PlatformSizes::Known(all) => all
                        .iter()
                        .find(|s| s.digest == entry.digest)
                        .and_then(|s| s.size),
                    PlatformSizes::Reading | PlatformSizes::Unknown => None,
                }
                .or_else(|| {
                    detail
                        .image
                        .as_ref()
                        .filter(|i| i.digest == entry.digest)
                        .map(|i| i.total_size)
                });
                match (size, sizes) {
                    (Some(bytes), _) => {
                        widgets::size_label(ui, bytes);
                    }
                    (None, PlatformSizes::Reading) => {
                        ui.label(RichText::new("…").color(weak_color));
                    }
                    (None, _) => {
                        ui.label(RichText::new("—").color(weak_color));
                    }
                }
                ui.label(RichText::new(entry.digest.short()).monospace())
                    .on_hover_text(entry.digest.as_str());
                ui.end_row();
            }
        });
    picked
}

fn image_rows(ui: &mut Ui, detail: &ImageDetail, image: &ImageInfo) {
    if !detail.platforms.is_empty() {
        copy_row(ui, &tr!("overview-image-digest"), image.digest.as_str());
    } else if let Some(p) = &image.platform {
        plain_row(ui, &tr!("overview-platform"), &p.to_string());
    }
    ui.label(weak(ui, &tr!("overview-total-size")))
        .on_hover_text(tr!("size-def-pull"));
    widgets::size_label(ui, image.total_size);
    ui.end_row();
    ui.label(weak(ui, &tr!("overview-layers")));
    ui.label(crate::i18n::group_thousands(
        i64::try_from(image.layers.len()).unwrap_or(i64::MAX),
    ));
    ui.end_row();
    if let Some(config) = &image.config {
        if let Some(created) = &config.created {
            let (age, exact) = crate::ui::kit::dates::describe(created);
            ui.label(weak(ui, &tr!("overview-created")));
            ui.label(format!("{exact} ({age})"));
            ui.end_row();
        }
        if let Some(author) = config.author.as_deref().filter(|a| !a.is_empty()) {
            plain_row(ui, &tr!("overview-author"), author);
        }
    }
    if let Some(t) = &image.artifact_type {
        plain_row(ui, &tr!("overview-artifact-type"), t);
    }
}

/// The artifact's subject: its digest, copyable, and a button that opens it. Returns true
/// when the button was clicked.
fn subject_row(ui: &mut Ui, subject: &Digest, can_open: bool) -> bool {
    ui.label(weak(ui, &tr!("overview-subject")));
    let clicked = ui
        .horizontal(|ui| {
            ui.label(RichText::new(subject.as_str()).monospace());
            widgets::copy_button(ui, subject.as_str());
            can_open
                && ui
                    .button(tr!("overview-open-subject"))
                    .on_hover_text(tr!("overview-open-subject-hint"))
                    .clicked()
        })
        .inner;
    ui.end_row();
    clicked
}

fn weak(ui: &Ui, text: &str) -> RichText {
    RichText::new(text).color(ui.visuals().weak_text_color())
}

/// Room kept at the right of a copyable value for its Copy button.
const COPY_BUTTON_ROOM: f32 = 72.0;

fn copy_row(ui: &mut Ui, key: &str, value: &str) {
    ui.label(weak(ui, key));
    ui.horizontal(|ui| {
        let room = (ui.available_width() - COPY_BUTTON_ROOM).max(80.0);
        ui.scope(|ui| {
            ui.set_max_width(room);
            ui.add(egui::Label::new(RichText::new(value).monospace()).truncate())
                .on_hover_text(value);
        });
        widgets::copy_button(ui, value);
    });
    ui.end_row();
}

fn plain_row(ui: &mut Ui, key: &str, value: &str) {
    ui.label(weak(ui, key));
    ui.label(value);
    ui.end_row();
}
