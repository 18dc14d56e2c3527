//! How two images differ, as the Compare window shows it: config, layers and files sections,
//! and a text summary for the clipboard. The file list draws only the rows on screen.

use super::Compared;
use crate::format::size;
use crate::layers::diff::{
    ConfigChange, Difference, FileChange, FileChangeKind, FileDiff, LayerDiff, LayerRef,
};
use crate::layers::mode_string;
use crate::tr;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use egui::{Align2, RichText, TextStyle, Ui};
use std::fmt::Write as _;

const ROW_HEIGHT: f32 = 20.0;
/// File lines in the clipboard summary; the rest are counted.
const SUMMARY_FILES: usize = 500;

#[derive(Default)]
pub struct DiffView {
    filter: String,
    /// Indexes of the file changes the filter keeps, and the filter they are for.
    shown: Vec<usize>,
    shown_for: Option<String>,
}

impl DiffView {
    pub fn show(&mut self, ui: &mut Ui, done: &Compared) {
        let d = &done.diff;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(&done.name_a)
                    .monospace()
                    .color(tone(ui, Tone::Error)),
            );
            ui.label("→");
            ui.label(
                RichText::new(&done.name_b)
                    .monospace()
                    .color(tone(ui, Tone::Ok)),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(tr!("compare-copy-summary"))
                    .on_hover_text(tr!("compare-copy-summary-tooltip"))
                    .clicked()
                {
                    ui.ctx().copy_text(summary_text(done));
                }
            });
        });
        for (name, layer, e) in &done.damaged {
            ui.label(
                RichText::new(format!(
                    "⚠ {}",
                    tr!(
                        "compare-damaged",
                        image = name.as_str(),
                        n = layer + 1,
                        reason = crate::i18n::describe_layer_in_row(e)
                    )
                ))
                .small()
                .color(tone(ui, Tone::Warn)),
            );
        }
        // The file list gets what it needs (up to a bit over half); config and layers the rest.
        #[allow(clippy::cast_precision_loss)] // a row count
        let files_height = (d.files.changes.len().max(1) as f32 * (ROW_HEIGHT + 6.0) + 70.0)
            .min(ui.available_height() * 0.55);
        let top_height = (ui.available_height() - files_height).max(120.0);
        egui::ScrollArea::vertical()
            .id_salt("compare-top")
            .max_height(top_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::CollapsingHeader::new(tr!("compare-config", count = d.config.len()))
                    .id_salt("compare-config")
                    .default_open(true)
                    .show(ui, |ui| config(ui, &d.config));
                egui::CollapsingHeader::new(layers_heading(&d.layers))
                    .id_salt("compare-layers")
                    .default_open(true)
                    .show(ui, |ui| layers(ui, &d.layers));
            });
        ui.add_space(4.0);
        ui.label(RichText::new(files_heading(&d.files)).strong());
        // Said once, under the counts: "changed" covers content, not only size
        // (ARCHITECTURE.md, layers: files are hashed while their layer is read).
        ui.label(
            RichText::new(tr!("compare-changed-means"))
                .small()
                .color(ui.visuals().weak_text_color()),
        );
        self.files(ui, &d.files);
    }

    fn files(&mut self, ui: &mut Ui, f: &FileDiff) {
        ui.horizontal(|ui| {
            let label = ui.label(tr!("compare-filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(tr!("compare-filter-hint"))
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
        });
        if self.shown_for.as_deref() != Some(self.filter.as_str()) {
            let needle = self.filter.trim().to_lowercase();
            self.shown = f
                .changes
                .iter()
                .enumerate()
                .filter(|(_, c)| needle.is_empty() || c.path.to_lowercase().contains(&needle))
                .map(|(i, _)| i)
                .collect();
            self.shown_for = Some(self.filter.clone());
        }
        if f.changes.is_empty() {
            ui.label(
                RichText::new(tr!("compare-files-same")).color(ui.visuals().weak_text_color()),
            );
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("compare-files")
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, self.shown.len(), |ui, range| {
                for &i in &self.shown[range] {
                    let c = &f.changes[i];
                    widgets::list_row(ui, false, ROW_HEIGHT, &c.path, |ui, rect| {
                        paint_change(ui, rect, c);
                    });
                }
            });
    }
}

fn tone(ui: &Ui, t: Tone) -> egui::Color32 {
    theme::tone(ui, t)
}

fn paint_change(ui: &Ui, rect: egui::Rect, c: &FileChange) {
    let (sign, t) = match c.change {
        FileChangeKind::Added => ("+", Tone::Ok),
        FileChangeKind::Removed => ("−", Tone::Error),
        FileChangeKind::Changed => ("~", Tone::Warn),
    };
    let color = tone(ui, t);
    let y = rect.center().y;
    let mono = TextStyle::Monospace.resolve(ui.style());
    let p = ui.painter();
    p.text(
        egui::pos2(rect.left() + 8.0, y),
        Align2::LEFT_CENTER,
        sign,
        mono.clone(),
        color,
    );
    let detail = change_detail(c);
    let detail_width = 320.0_f32.min(rect.width() * 0.45);
    let path_rect = egui::Rect::from_min_max(
        egui::pos2(rect.left() + 24.0, rect.top()),
        egui::pos2(rect.right() - detail_width - 8.0, rect.bottom()),
    );
    widgets::paint_line(
        ui,
        path_rect,
        widgets::line_job(ui, &c.path, &TextStyle::Monospace, color, path_rect.width()),
    );
    p.text(
        egui::pos2(rect.right() - 8.0, y),
        Align2::RIGHT_CENTER,
        detail,
        TextStyle::Small.resolve(ui.style()),
        ui.visuals().weak_text_color(),
    );
}

/// What changed about one path, in a few words: its size, or each difference.
fn change_detail(c: &FileChange) -> String {
    match (c.change, &c.a, &c.b) {
        (FileChangeKind::Added, _, Some(b)) => size(b.size),
        (FileChangeKind::Removed, Some(a), _) => size(a.size),
        (FileChangeKind::Changed, Some(x), Some(y)) => c
            .differences
            .iter()
            .map(|d| match d {
                Difference::Type => format!("{} → {}", x.kind.letter(), y.kind.letter()),
                Difference::Size => format!("{} → {}", size(x.size), size(y.size)),
                Difference::Content => tr!(
                    "compare-content",
                    a = short_hash(x.sha256.as_deref()),
                    b = short_hash(y.sha256.as_deref())
                ),
                Difference::Mode => format!(
                    "{} → {}",
                    mode_string(x.kind, x.mode),
                    mode_string(y.kind, y.mode)
                ),
                Difference::Owner => format!("{}:{} → {}:{}", x.uid, x.gid, y.uid, y.gid),
                Difference::Link => format!(
                    "{} → {}",
                    x.link_target.as_deref().unwrap_or("-"),
                    y.link_target.as_deref().unwrap_or("-")
                ),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// The first 8 hex digits of a file's SHA-256, enough to tell two versions apart at a glance.
fn short_hash(hex: Option<&str>) -> String {
    hex.map_or_else(|| "-".to_owned(), |h| h.chars().take(8).collect())
}

fn config(ui: &mut Ui, changes: &[ConfigChange]) {
    if changes.is_empty() {
        ui.label(RichText::new(tr!("compare-config-same")).color(ui.visuals().weak_text_color()));
        return;
    }
    // Fixed column widths from the space there is: short values do not wrap, long ones (a
    // PATH) wrap inside their column, and the grid never pushes the window wider.
    let spacing = 14.0;
    let field_width = (ui.available_width() * 0.28).clamp(120.0, 280.0);
    let value_width = ((ui.available_width() - field_width - 2.0 * spacing - 4.0) / 2.0).max(80.0);
    let cell = |ui: &mut Ui, width: f32, text: RichText| {
        ui.allocate_ui_with_layout(
            egui::vec2(width, 0.0),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(width);
                ui.add(egui::Label::new(text).wrap());
            },
        );
    };
    egui::Grid::new("compare-config-grid")
        .num_columns(3)
        .striped(true)
        .spacing([spacing, 4.0])
        .show(ui, |ui| {
            for (key, width) in [
                (crate::msg!("compare-col-field"), field_width),
                (crate::msg!("compare-col-a"), value_width),
                (crate::msg!("compare-col-b"), value_width),
            ] {
                cell(ui, width, RichText::new(tr!(key)).small().strong());
            }
            ui.end_row();
            let weak = ui.visuals().weak_text_color();
            let absent = RichText::new(tr!("compare-absent")).italics().color(weak);
            for c in changes {
                cell(ui, field_width, RichText::new(field_name(c)).monospace());
                for (v, t) in [(&c.a, Tone::Error), (&c.b, Tone::Ok)] {
                    let text = v.as_ref().map_or_else(
                        || absent.clone(),
                        |v| RichText::new(v).monospace().color(tone(ui, t)),
                    );
                    cell(ui, value_width, text);
                }
                ui.end_row();
            }
        });
}

fn field_name(c: &ConfigChange) -> String {
    match &c.key {
        Some(k) => format!("{} {k}", c.field),
        None => c.field.to_owned(),
    }
}

fn layers_heading(l: &LayerDiff) -> String {
    tr!(
        "compare-layers",
        shared = l.shared.len(),
        shared_size = size(l.shared_bytes),
        only_a = l.only_a.len(),
        only_a_size = size(l.only_a_bytes),
        only_b = l.only_b.len(),
        only_b_size = size(l.only_b_bytes)
    )
}

fn files_heading(f: &FileDiff) -> String {
    tr!(
        "compare-files",
        added = f.added,
        added_size = size(f.added_bytes),
        removed = f.removed,
        removed_size = size(f.removed_bytes),
        changed = f.changed
    )
}

fn layers(ui: &mut Ui, l: &LayerDiff) {
    let row = |ui: &mut Ui, sign: &str, t: Option<Tone>, r: &LayerRef, note: String| {
        ui.horizontal(|ui| {
            let color = t.map_or(ui.visuals().weak_text_color(), |t| tone(ui, t));
            ui.label(RichText::new(sign).monospace().color(color));
            ui.label(RichText::new(r.digest.short()).monospace().color(color))
                .on_hover_text(r.digest.as_str());
            ui.label(RichText::new(size(r.size)).color(color));
            ui.label(
                RichText::new(note)
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
        });
    };
    for (a, b) in &l.shared {
        row(
            ui,
            "=",
            None,
            a,
            tr!("compare-layer-shared", a = a.index + 1, b = b.index + 1),
        );
    }
    for r in &l.only_a {
        row(
            ui,
            "−",
            Some(Tone::Error),
            r,
            tr!("compare-layer-only-a", n = r.index + 1),
        );
    }
    for r in &l.only_b {
        row(
            ui,
            "+",
            Some(Tone::Ok),
            r,
            tr!("compare-layer-only-b", n = r.index + 1),
        );
    }
}

/// The comparison as text: what "Copy summary" puts on the clipboard.
#[must_use]
pub fn summary_text(done: &Compared) -> String {
    let d = &done.diff;
    let mut out = format!("--- {}\n+++ {}\n", done.name_a, done.name_b);
    let _ = writeln!(out, "{}", tr!("compare-config", count = d.config.len()));
    for c in &d.config {
        let line = match (&c.a, &c.b) {
            (None, Some(b)) => format!("+ {}: {b}", field_name(c)),
            (Some(a), None) => format!("- {}: {a}", field_name(c)),
            (Some(a), Some(b)) => format!("~ {}: {a} → {b}", field_name(c)),
            (None, None) => format!("~ {}", field_name(c)),
        };
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "{}", layers_heading(&d.layers));
    for r in &d.layers.only_a {
        let _ = writeln!(out, "  - #{} {} {}", r.index + 1, r.digest, size(r.size));
    }
    for r in &d.layers.only_b {
        let _ = writeln!(out, "  + #{} {} {}", r.index + 1, r.digest, size(r.size));
    }
    let _ = writeln!(out, "{}", files_heading(&d.files));
    for c in d.files.changes.iter().take(SUMMARY_FILES) {
        let sign = match c.change {
            FileChangeKind::Added => '+',
            FileChangeKind::Removed => '-',
            FileChangeKind::Changed => '~',
        };
        let _ = writeln!(out, "  {sign} {} ({})", c.path, change_detail(c));
    }
    if d.files.changes.len() > SUMMARY_FILES {
        let more = d.files.changes.len() - SUMMARY_FILES;
        let _ = writeln!(out, "  {}", tr!("compare-more", count = more));
    }
    out
}
