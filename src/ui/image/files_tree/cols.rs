//! The Files tree's columns: where Name, Mode, Size and Layer end in a row of a given
//! width (Mode leaves first when the tree is narrow), and their headers as labels, so rows
//! and headers always line up inside the tab.

use super::{COL_LAYER, COL_SIZE, ROW_HEIGHT};
use crate::tr;
use egui::{Rect, RichText, Ui};

/// Below this width a row leaves out the Mode column, so that Size and Layer keep room.
const MODE_BELOW: f32 = 420.0;
const COL_MODE: f32 = 96.0;

/// The right-hand column edges of a row: (mode, size, layer) right ends; the mode's is
/// `None` when the row is too narrow for it. The name gets what is left of `mode`'s
/// left (or the size's).
pub(super) fn columns(rect: Rect) -> (Option<f32>, f32, f32) {
    let layer = rect.right() - 6.0;
    let size = layer - COL_LAYER;
    let mode = (rect.width() >= MODE_BELOW).then_some(size - COL_SIZE);
    (mode, size, layer)
}

/// Where the name column ends: before the mode column, or before the size.
pub(super) fn name_end((mode, size, _): (Option<f32>, f32, f32)) -> f32 {
    mode.map_or(size - COL_SIZE + 8.0, |m| m - COL_MODE + 8.0)
}

/// The column headers, as labels (each has an accessible name and a place on screen).
pub(super) fn header(ui: &mut Ui) {
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ROW_HEIGHT),
        egui::Sense::hover(),
    );
    let cols = columns(rect);
    let (mode, size, layer) = cols;
    let color = ui.visuals().weak_text_color();
    let mut cell = |left: f32, right: f32, text: String, align: egui::Align| {
        let r = Rect::from_min_max(
            egui::pos2(left, rect.top()),
            egui::pos2(right, rect.bottom()),
        );
        let layout = if align == egui::Align::Min {
            egui::Layout::left_to_right(egui::Align::Center)
        } else {
            egui::Layout::right_to_left(egui::Align::Center)
        };
        ui.scope_builder(egui::UiBuilder::new().max_rect(r).layout(layout), |ui| {
            ui.add(egui::Label::new(RichText::new(text).small().color(color)).truncate())
        })
        .inner
    };
    cell(
        rect.left() + 6.0,
        name_end(cols),
        tr!("files-col-name"),
        egui::Align::Min,
    );
    if let Some(mode) = mode {
        cell(
            mode - COL_MODE,
            mode,
            tr!("files-col-mode"),
            egui::Align::Max,
        );
    }
    cell(
        size - COL_SIZE,
        size,
        tr!("files-col-size"),
        egui::Align::Max,
    )
    .on_hover_text(tr!("size-def-files"));
    cell(
        layer - COL_LAYER,
        layer,
        tr!("files-col-layer"),
        egui::Align::Max,
    );
    ui.painter().hline(
        rect.x_range(),
        rect.bottom(),
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
}
