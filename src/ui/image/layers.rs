//! Layers: digest, media type and size, with a bar for each layer's share of the total.

use crate::oci::image::ImageDetail;
use crate::tr;
use crate::ui::{kit::widgets, shell::theme};
use egui::{RichText, Ui};

pub fn show(ui: &mut Ui, detail: &ImageDetail) {
    let Some(image) = &detail.image else {
        super::no_image(ui, detail);
        return;
    };
    if image.layers.is_empty() {
        widgets::empty_state(ui, &tr!("layers-none-title"), &tr!("layers-none-body"));
        return;
    }
    let total: u64 = image.layers.iter().map(|l| l.size).sum::<u64>().max(1);
    ui.label(
        RichText::new(tr!(
            "layers-summary",
            count = image.layers.len(),
            size = crate::format::size(total)
        ))
        .color(ui.visuals().weak_text_color()),
    )
    .on_hover_text(tr!("size-def-layers"));
    ui.add_space(4.0);
    let bar_color = theme::tone(ui, theme::Tone::Accent);
    egui::Grid::new("layers")
        .num_columns(5)
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for key in [
                crate::msg!("layers-col-index"),
                crate::msg!("layers-col-digest"),
                crate::msg!("layers-col-type"),
                crate::msg!("layers-col-size"),
                crate::msg!("layers-col-share"),
            ] {
                let label = ui.label(RichText::new(tr!(key)).strong());
                if key == crate::msg!("layers-col-size") {
                    label.on_hover_text(tr!("size-def-layer"));
                }
            }
            ui.end_row();
            for (i, layer) in image.layers.iter().enumerate() {
                ui.label(RichText::new((i + 1).to_string()).color(ui.visuals().weak_text_color()));
                ui.horizontal(|ui| {
                    ui.label(RichText::new(layer.digest.short()).monospace())
                        .on_hover_text(layer.digest.as_str());
                    widgets::copy_button(ui, layer.digest.as_str());
                });
                ui.label(short_media_type(&layer.media_type))
                    .on_hover_text(layer.media_type.as_str());
                widgets::size_label(ui, layer.size);
                let share = layer.size as f32 / total as f32;
                share_bar(ui, share, bar_color);
                ui.end_row();
            }
        });
}

fn share_bar(ui: &mut Ui, share: f32, color: egui::Color32) {
    let width = 160.0;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width + 48.0, 14.0), egui::Sense::hover());
    let track = egui::Rect::from_min_size(rect.min, egui::vec2(width, rect.height()));
    let painter = ui.painter();
    painter.rect_filled(track, 3.0, ui.visuals().faint_bg_color);
    let fill = egui::Rect::from_min_size(
        track.min,
        egui::vec2((width * share).max(2.0), track.height()),
    );
    painter.rect_filled(fill, 3.0, color);
    painter.text(
        egui::pos2(track.right() + 6.0, rect.center().y),
        egui::Align2::LEFT_CENTER,
        format!("{:.1}%", share * 100.0),
        egui::TextStyle::Small.resolve(ui.style()),
        ui.visuals().text_color(),
    );
    response.on_hover_text(format!("{:.2}%", share * 100.0));
}

/// `application/vnd.oci.image.layer.v1.tar+gzip` → `tar+gzip`.
fn short_media_type(media_type: &str) -> String {
    let short = media_type
        .rsplit(['.', '/'])
        .find(|s| !s.is_empty())
        .unwrap_or(media_type);
    match short {
        "gzip" if media_type.contains("rootfs.diff.tar") => "tar+gzip (docker)".to_owned(),
        s => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn media_types_are_shortened() {
        assert_eq!(
            super::short_media_type("application/vnd.oci.image.layer.v1.tar+gzip"),
            "tar+gzip"
        );
        assert_eq!(
            super::short_media_type("application/vnd.docker.image.rootfs.diff.tar.gzip"),
            "tar+gzip (docker)"
        );
    }
}
