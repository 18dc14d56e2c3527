//! Raw: the manifest and config as pretty-printed JSON, with their digests to copy. The
//! pretty text is made once when the detail arrives, never per frame.

use crate::oci::image::ImageDetail;
use crate::tr;
use crate::ui::kit::widgets;
use egui::{RichText, Ui};

#[derive(Default)]
pub struct RawText {
    /// (title, digest, pretty JSON)
    parts: Vec<(String, String, String)>,
}

impl RawText {
    pub fn update(&mut self, detail: &ImageDetail) {
        self.parts.clear();
        let index_title = if detail.platforms.is_empty() {
            tr!("raw-manifest")
        } else {
            tr!("raw-index")
        };
        self.parts.push((
            index_title,
            detail.digest.to_string(),
            pretty(&detail.raw_manifest),
        ));
        if let Some(image) = &detail.image {
            if !detail.platforms.is_empty() {
                self.parts.push((
                    tr!("raw-manifest"),
                    image.digest.to_string(),
                    pretty(&image.raw_manifest),
                ));
            }
            self.parts.push((
                tr!("raw-config"),
                image.config_digest.to_string(),
                pretty(&image.raw_config),
            ));
        }
    }

    pub fn show(&self, ui: &mut Ui) {
        for (title, digest, text) in &self.parts {
            ui.horizontal(|ui| {
                ui.label(RichText::new(title).strong());
                ui.label(RichText::new(digest).monospace().small());
                widgets::copy_button(ui, digest);
                if ui
                    .add(egui::Button::new(RichText::new(tr!("raw-copy-json")).small()).small())
                    .clicked()
                {
                    ui.ctx().copy_text(text.clone());
                }
            });
            egui::Frame::new()
                .fill(ui.visuals().extreme_bg_color)
                .corner_radius(6.0)
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
                });
            ui.add_space(10.0);
        }
    }
}

/// Pretty JSON when the bytes parse, else the text as it came. Reformats the text itself
/// rather than a parsed value, so keys keep the order the registry wrote them in.
fn pretty(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Keep empty containers on one line: `{}` and `[]`.
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pretty_keeps_key_order_and_strings() {
        let raw = br#"{"z":1,"a":{"b":[1,2],"e":{}},"s":"x, {y}: \"q\""}"#;
        assert_eq!(
            super::pretty(raw),
            "{\n  \"z\": 1,\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ],\n    \"e\": {}\n  },\n  \"s\": \"x, {y}: \\\"q\\\"\"\n}"
        );
    }
}
