//! History: each build step's command, with the steps that made no layer marked, and the
//! size of the layer each other step made (they pair up in order).

use crate::oci::image::ImageDetail;
use crate::tr;
use crate::ui::{kit::dates, kit::widgets, shell::theme};
use egui::{RichText, Ui};

pub fn show(ui: &mut Ui, detail: &ImageDetail) {
    let Some(image) = &detail.image else {
        super::no_image(ui, detail);
        return;
    };
    let history = image
        .config
        .as_ref()
        .map(|c| c.history.as_slice())
        .unwrap_or_default();
    if history.is_empty() {
        widgets::empty_state(ui, &tr!("history-none-title"), &tr!("history-none-body"));
        return;
    }
    let mut layers = image.layers.iter();
    let weak = ui.visuals().weak_text_color();
    egui::Grid::new("history")
        .num_columns(4)
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for key in [
                crate::msg!("history-col-step"),
                crate::msg!("history-col-size"),
                crate::msg!("history-col-created"),
                crate::msg!("history-col-command"),
            ] {
                ui.label(RichText::new(tr!(key)).strong());
            }
            ui.end_row();
            for (i, step) in history.iter().enumerate() {
                ui.label(RichText::new((i + 1).to_string()).color(weak));
                if step.empty_layer {
                    ui.label(
                        RichText::new(tr!("history-empty-layer"))
                            .small()
                            .color(theme::tone(ui, theme::Tone::Idle)),
                    )
                    .on_hover_text(tr!("history-empty-layer-tooltip"));
                } else if let Some(layer) = layers.next() {
                    widgets::size_label(ui, layer.size);
                } else {
                    ui.label(RichText::new("—").color(weak));
                }
                if step.created.is_empty() {
                    ui.label("");
                } else {
                    let (age, exact) = dates::describe(&step.created);
                    ui.label(RichText::new(age).color(weak))
                        .on_hover_text(exact);
                }
                let command = clean_command(&step.created_by);
                let text = if step.empty_layer {
                    RichText::new(command).monospace().color(weak)
                } else {
                    RichText::new(command).monospace()
                };
                let r = ui.add(egui::Label::new(text).wrap());
                if !step.comment.is_empty() {
                    r.on_hover_text(step.comment.as_str());
                }
                ui.end_row();
            }
        });
}

/// Drops the `/bin/sh -c #(nop) ` noise Docker puts before metadata steps.
/// The command without Docker's `/bin/sh -c #(nop)` prefix, with control characters shown
/// escaped (a step's newlines and escapes never break its row).
fn clean_command(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_prefix("/bin/sh -c #(nop) ").unwrap_or(s);
    crate::format::escape(s.trim()).into_owned()
}
