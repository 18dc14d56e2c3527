//! The file viewer's picture view (issue 21): PNG, JPEG, GIF and WebP, recognised by their
//! first bytes and decoded by `egui_extras`' image loader (the `image` crate with only those
//! formats) on its own thread. A picture that does not decode says so in a line; it never
//! takes the window down.

use crate::tr;
use egui::load::{Bytes, TexturePoll};
use egui::{RichText, Ui};
use std::sync::Arc;

/// Largest picture read whole to be shown (a larger one is shown as bytes).
pub const PICTURE_MAX: u64 = 32 * 1024 * 1024;

/// The picture format `bytes` start with, as a file extension.
#[must_use]
pub fn format_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Draws the picture at `uri` (unique to the bytes), scaled down to the space left.
pub fn show(ui: &mut Ui, uri: &str, bytes: &Arc<[u8]>, name: &str) {
    egui_extras::install_image_loaders(ui.ctx());
    let image = egui::Image::from_bytes(uri.to_owned(), Bytes::Shared(Arc::clone(bytes)))
        .alt_text(tr!("viewer-picture", name = name))
        .shrink_to_fit();
    match image.load_for_size(ui.ctx(), ui.available_size()) {
        Ok(TexturePoll::Pending { .. }) => {
            ui.add(egui::Spinner::new());
        }
        Ok(TexturePoll::Ready { texture }) => {
            let size = texture.size;
            ui.label(
                RichText::new(tr!(
                    "viewer-picture-size",
                    width = size.x.round(),
                    height = size.y.round()
                ))
                .small()
                .weak(),
            );
            egui::ScrollArea::both()
                .id_salt("viewer-picture")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.add(image);
                });
        }
        Err(e) => {
            ui.label(
                RichText::new(tr!("viewer-picture-broken", reason = e.to_string())).color(
                    crate::ui::shell::theme::tone(ui, crate::ui::shell::theme::Tone::Error),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(super::format_of(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(super::format_of(b"GIF89a"), Some("gif"));
        assert_eq!(super::format_of(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(super::format_of(b"hello"), None);
    }
}
