//! The file viewer's hex view (issue 21), for bytes that are not text: each row is an
//! offset, sixteen bytes in hex and the same bytes as ASCII (`.` for the rest), and only the
//! rows in view are laid out (`ScrollArea::show_rows`), so a part of many megabytes costs a
//! frame what a screenful does.

use egui::{RichText, Ui};
use std::fmt::Write as _;

const PER_ROW: usize = 16;

/// One row: `00000010  68 65 6c …  hel…`, `offset` being where `bytes` start in the file.
#[must_use]
pub fn row(offset: u64, bytes: &[u8]) -> String {
    let mut out = format!("{offset:08x} ");
    for i in 0..PER_ROW {
        if i == PER_ROW / 2 {
            out.push(' ');
        }
        match bytes.get(i) {
            Some(b) => {
                let _ = write!(out, " {b:02x}");
            }
            None => out.push_str("   "),
        }
    }
    out.push_str("  ");
    out.extend(bytes.iter().map(|&b| {
        if b.is_ascii_graphic() || b == b' ' {
            char::from(b)
        } else {
            '.'
        }
    }));
    out
}

/// Draws `bytes` (the start of a file), filling the space left.
pub fn show(ui: &mut Ui, bytes: &[u8]) {
    let rows = bytes.len().div_ceil(PER_ROW);
    let height = ui.text_style_height(&egui::TextStyle::Monospace);
    egui::ScrollArea::both()
        .id_salt("viewer-hex")
        .auto_shrink([false, false])
        .show_rows(ui, height, rows, |ui, range| {
            for r in range {
                let start = r * PER_ROW;
                let chunk = &bytes[start..(start + PER_ROW).min(bytes.len())];
                ui.add(
                    egui::Label::new(RichText::new(row(start as u64, chunk)).monospace()).extend(),
                );
            }
        });
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_row_has_the_offset_the_hex_and_the_ascii() {
        // Twelve empty columns, the gap after the eighth, then two spaces before the ASCII.
        let gap = " ".repeat(12 * 3 + 1 + 2);
        assert_eq!(
            super::row(16, b"hi\0\xff"),
            format!("00000010  68 69 00 ff{gap}hi..")
        );
    }
}
