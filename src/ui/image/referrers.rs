//! Referrers: signatures, SBOMs and attestations that name this image as their subject,
//! grouped by artifact type.

use crate::oci::image::Referrer;
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

pub fn show(ui: &mut Ui, referrers: &Requested<Vec<Referrer>>) {
    if let Some(e) = referrers.error() {
        widgets::error_box(ui, e);
        return;
    }
    let Some(list) = referrers.value() else {
        widgets::busy(ui, &tr!("referrers-loading"));
        return;
    };
    if list.is_empty() {
        widgets::empty_state(
            ui,
            &tr!("referrers-none-title"),
            &tr!("referrers-none-body"),
        );
        return;
    }
    let mut by_type: BTreeMap<String, Vec<&Referrer>> = BTreeMap::new();
    for r in list {
        let key = r
            .artifact_type
            .clone()
            .unwrap_or_else(|| tr!("referrers-untyped"));
        by_type.entry(key).or_default().push(r);
    }
    for (artifact_type, items) in by_type {
        widgets::section(ui, &format!("{artifact_type} ({})", items.len()));
        egui::Grid::new(("referrers", artifact_type.as_str()))
            .num_columns(3)
            .striped(true)
            .spacing([14.0, 6.0])
            .show(ui, |ui| {
                for r in items {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(r.digest.short()).monospace())
                            .on_hover_text(r.digest.as_str());
                        widgets::copy_button(ui, r.digest.as_str());
                    });
                    widgets::size_label(ui, r.size);
                    let notes: Vec<String> = r
                        .annotations
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    ui.add(egui::Label::new(RichText::new(notes.join("  ")).small()).wrap());
                    ui.end_row();
                }
            });
    }
}
