//! The Files tab's side panel: one row per layer (its size, the build step that made it, its
//! read progress, and its error in place), the image's efficiency and the wasted-space list;
//! and the details line of the selected path.

use super::files::{Loaded, Meter, Progress};
use crate::layers::{Change, EntryKind, FileTree, NodeId};
use crate::oci::image::ImageInfo;
use crate::tr;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use egui::{Align2, RichText, TextStyle, Ui};

const LAYER_ROW_HEIGHT: f32 = 46.0;
const WASTED_ROWS: usize = 100;

/// What the side panel asks for.
pub enum SideAction {
    Layer(usize),
    /// Show this path in the tree.
    Filter(String),
}

/// A layer as the list shows it.
pub struct LayerRow {
    pub size: u64,
    pub digest: String,
    /// The build step that made the layer (history entries without a layer skipped).
    pub command: String,
}

pub fn layer_rows(image: &ImageInfo) -> Vec<LayerRow> {
    let mut steps = image
        .config
        .as_ref()
        .map(|c| c.history.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|h| !h.empty_layer);
    image
        .layers
        .iter()
        .map(|l| LayerRow {
            size: l.size,
            digest: l.digest.to_string(),
            command: steps
                .next()
                .map(|h| clean_command(&h.created_by))
                .unwrap_or_default(),
        })
        .collect()
}

/// Drops the shell prefixes Docker puts before each step.
fn clean_command(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_prefix("/bin/sh -c #(nop) ").unwrap_or(s);
    let s = s.strip_prefix("/bin/sh -c ").unwrap_or(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn show(
    ui: &mut Ui,
    image: &ImageInfo,
    rows: &[LayerRow],
    meters: &[Meter],
    loaded: Option<&Loaded>,
    selected: usize,
) -> Option<SideAction> {
    let mut action = None;
    let weak = ui.visuals().weak_text_color();
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr!("files-layers-title")).strong());
        // The Layers tab's figure, by the same definition: the layer blobs, compressed.
        let layers: u64 = image.layers.iter().map(|l| l.size).sum();
        ui.label(
            RichText::new(tr!(
                "layers-summary",
                count = rows.len(),
                size = crate::format::size(layers)
            ))
            .small()
            .color(weak),
        )
        .on_hover_text(tr!("size-def-layers"));
    });
    let list_height = (ui.available_height() * 0.55).max(LAYER_ROW_HEIGHT * 2.0);
    egui::ScrollArea::vertical()
        .id_salt("files-layer-list")
        .max_height(list_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (i, row) in rows.iter().enumerate() {
                let progress = meters.get(i).map_or(Progress::Waiting, Meter::get);
                let listing = loaded.and_then(|l| l.listings.get(i));
                let error = loaded
                    .and_then(|l| l.errors.get(i))
                    .and_then(Option::as_ref);
                let status = match (progress, listing) {
                    _ if error.is_some() => tr!("files-layer-damaged"),
                    (_, Some(l)) => tr!("files-layer-entries", count = l.len()),
                    (Progress::Reading(b), None) => {
                        format!("{:.0}%", percent(b, row.size))
                    }
                    (Progress::Cached, None) => tr!("files-layer-cached"),
                    (Progress::Failed, None) => tr!("files-layer-damaged"),
                    (Progress::Done, None) => tr!("files-layer-read"),
                    (Progress::Waiting, None) => tr!("files-layer-waiting"),
                };
                let label = tr!("files-layer-row", n = i + 1);
                let is_selected = i == selected;
                let response =
                    widgets::list_row(ui, is_selected, LAYER_ROW_HEIGHT, &label, |ui, rect| {
                        paint_layer(
                            ui,
                            rect,
                            i,
                            row,
                            &status,
                            progress,
                            error.is_some(),
                            is_selected,
                        );
                    });
                let response = response.on_hover_ui(|ui| {
                    ui.label(RichText::new(&row.command).monospace());
                    ui.label(RichText::new(&row.digest).small().color(weak));
                    ui.label(tr!("size-exact", bytes = row.size));
                    ui.label(RichText::new(tr!("size-def-layer")).small().color(weak));
                });
                if response.clicked() {
                    action = Some(SideAction::Layer(i));
                }
                if let Some(e) = error {
                    ui.label(
                        RichText::new(format!("⚠ {}", crate::i18n::describe_layer_in_row(e)))
                            .small()
                            .color(theme::tone(ui, Tone::Error)),
                    );
                }
            }
        });
    if let Some(loaded) = loaded {
        ui.separator();
        if let Some(a) = efficiency(ui, loaded) {
            action = Some(a);
        }
    }
    action
}

fn percent(read: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (read.min(total) as f64 / total as f64) * 100.0
    }
}

#[allow(clippy::too_many_arguments)]
fn paint_layer(
    ui: &Ui,
    rect: egui::Rect,
    index: usize,
    row: &LayerRow,
    status: &str,
    progress: Progress,
    damaged: bool,
    selected: bool,
) {
    let text = widgets::row_text_color(ui, selected);
    let weak = if selected {
        text
    } else {
        ui.visuals().weak_text_color()
    };
    let inner = rect.shrink2(egui::vec2(8.0, 5.0));
    let p = ui.painter();
    let body = TextStyle::Body.resolve(ui.style());
    let small = TextStyle::Small.resolve(ui.style());
    let top = inner.top() + 8.0;
    p.text(
        egui::pos2(inner.left(), top),
        Align2::LEFT_CENTER,
        format!("{}", index + 1),
        body.clone(),
        weak,
    );
    p.text(
        egui::pos2(inner.left() + 26.0, top),
        Align2::LEFT_CENTER,
        crate::format::size(row.size),
        body,
        text,
    );
    let status_color = if damaged && !selected {
        theme::tone(ui, Tone::Error)
    } else {
        weak
    };
    p.text(
        egui::pos2(inner.right(), top),
        Align2::RIGHT_CENTER,
        status,
        small.clone(),
        status_color,
    );
    let command = if row.command.is_empty() {
        tr!("files-no-command")
    } else {
        row.command.clone()
    };
    let line = egui::Rect::from_min_max(
        egui::pos2(inner.left() + 26.0, inner.bottom() - 14.0),
        egui::pos2(inner.right(), inner.bottom()),
    );
    widgets::paint_line(
        ui,
        line,
        widgets::line_job(ui, &command, &TextStyle::Monospace, weak, line.width()),
    );
    if let Progress::Reading(bytes) = progress {
        let track = egui::Rect::from_min_size(
            egui::pos2(rect.left() + 4.0, rect.bottom() - 2.5),
            egui::vec2(rect.width() - 8.0, 2.0),
        );
        p.rect_filled(track, 1.0, ui.visuals().faint_bg_color);
        let share = (percent(bytes, row.size) / 100.0) as f32;
        let fill =
            egui::Rect::from_min_size(track.min, egui::vec2(track.width() * share, track.height()));
        p.rect_filled(fill, 1.0, theme::tone(ui, Tone::Busy));
    }
}

/// The score, the wasted bytes, and the largest wasted paths (a click shows one in the tree).
fn efficiency(ui: &mut Ui, loaded: &Loaded) -> Option<SideAction> {
    let e = &loaded.efficiency;
    let mut action = None;
    let weak = ui.visuals().weak_text_color();
    let tone = if e.score >= 0.95 {
        Tone::Ok
    } else if e.score >= 0.8 {
        Tone::Warn
    } else {
        Tone::Error
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr!("files-efficiency")).strong());
        ui.label(
            RichText::new(format!("{:.1}%", e.score * 100.0))
                .size(18.0)
                .strong()
                .color(theme::tone(ui, tone)),
        )
        .on_hover_text(tr!("files-efficiency-tooltip"));
    });
    ui.label(
        RichText::new(tr!(
            "files-wasted-summary",
            wasted = crate::format::size(e.wasted_bytes),
            total = crate::format::size(e.total_bytes)
        ))
        .small()
        .color(weak),
    );
    if e.wasted.is_empty() {
        ui.label(RichText::new(tr!("files-wasted-none")).small().color(weak));
        return None;
    }
    ui.add_space(2.0);
    egui::ScrollArea::vertical()
        .id_salt("files-wasted")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for w in e.wasted.iter().take(WASTED_ROWS) {
                let layers: Vec<String> = w.layers.iter().map(|l| (l + 1).to_string()).collect();
                let response = widgets::list_row(ui, false, 20.0, &w.path, |ui, rect| {
                    let inner = rect.shrink2(egui::vec2(6.0, 0.0));
                    let size = crate::format::size(w.bytes);
                    let small = TextStyle::Small.resolve(ui.style());
                    ui.painter().text(
                        egui::pos2(inner.right(), inner.center().y),
                        Align2::RIGHT_CENTER,
                        &size,
                        small,
                        theme::tone(ui, Tone::Warn),
                    );
                    let name = egui::Rect::from_min_max(
                        inner.min,
                        egui::pos2(inner.right() - 70.0, inner.bottom()),
                    );
                    widgets::paint_line(
                        ui,
                        name,
                        widgets::line_job(
                            ui,
                            &w.path,
                            &TextStyle::Monospace,
                            ui.visuals().text_color(),
                            name.width(),
                        ),
                    );
                });
                let response = response.on_hover_text(tr!(
                    "files-wasted-row-tooltip",
                    layers = layers.join(", "),
                    bytes = w.bytes
                ));
                if response.clicked() {
                    action = Some(SideAction::Filter(w.path.clone()));
                }
            }
        });
    action
}

/// One line about the selected path: kind, size, mode, owner, time, and which layer made it.
pub fn details(ui: &mut Ui, tree: &FileTree, id: NodeId, rows: &[LayerRow]) {
    let node = tree.node(id);
    let path = tree.path_display(id);
    let weak = ui.visuals().weak_text_color();
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(RichText::new(&path).monospace().strong());
        widgets::copy_button(ui, &path);
    });
    ui.horizontal_wrapped(|ui| {
        let kind = tr!(match node.kind {
            EntryKind::File | EntryKind::Other => crate::msg!("files-kind-file"),
            EntryKind::Dir => crate::msg!("files-kind-dir"),
            EntryKind::Symlink => crate::msg!("files-kind-symlink"),
            EntryKind::Hardlink => crate::msg!("files-kind-hardlink"),
            EntryKind::CharDevice | EntryKind::BlockDevice => crate::msg!("files-kind-device"),
            EntryKind::Fifo => crate::msg!("files-kind-fifo"),
        });
        let size = if node.is_dir() {
            node.total_size
        } else {
            node.size
        };
        let mut parts = vec![
            kind,
            format!(
                "{} ({})",
                crate::format::size(size),
                tr!("size-exact", bytes = size)
            ),
            crate::layers::mode_string(node.kind, node.mode),
            format!("{}:{}", node.uid, node.gid),
            crate::layers::mtime_text(node.mtime),
        ];
        if let Some(target) = tree.link_target(id) {
            parts.push(format!("→ {}", crate::layers::display_path(target)));
        }
        ui.label(RichText::new(parts.join("  ·  ")).small().color(weak));
    });
    let change = match node.change {
        Change::Added => "added",
        Change::Modified => "modified",
        Change::Removed => "removed",
    };
    let layer = node.layer as usize;
    let command = rows.get(layer).map_or("", |r| r.command.as_str());
    ui.label(
        RichText::new(tr!(
            "files-changed-by",
            change = change,
            n = layer + 1,
            command = command
        ))
        .small()
        .color(super::files_tree::change_color(
            ui,
            node.change,
            true,
            false,
        )),
    );
    if let Some(r) = node.replaced {
        let sentence = tr!("files-replaced", kind = r.kind_key(), n = r.layer + 1);
        let color = theme::tone(ui, Tone::Warn);
        ui.label(RichText::new(sentence).small().color(color));
    }
}
