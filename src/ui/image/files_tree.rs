//! The Files tab's tree: the rows that are open, flattened into a `Vec` only when the tree,
//! the expansion or the sort changes, and drawn with `ScrollArea::show_rows`, so a tree of
//! 100k entries costs a frame only the rows on screen.
//!
//! Expansion is kept by path, not by node, so it survives switching layers, modes and
//! filters (each of those builds a new tree). While a filter is active every directory starts
//! open, so matches are visible at once; that expansion is kept apart from the normal one.

mod cols;

use crate::layers::{Change, EntryKind, FileTree, NodeId};
use crate::tr;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use cols::{columns, header, name_end};
use egui::text::LayoutJob;
use egui::{Align2, Color32, FontId, Rect, RichText, TextFormat, TextStyle, Ui};
use std::collections::HashSet;

pub const ROW_HEIGHT: f32 = 20.0;
const INDENT: f32 = 16.0;
const COL_LAYER: f32 = 44.0;
const COL_SIZE: f32 = 84.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Size,
}

/// Which directories are open: all or none by default, with exceptions by path.
#[derive(Default)]
struct Expansion {
    default_open: bool,
    exceptions: HashSet<Vec<u8>>,
}

impl Expansion {
    fn is_open(&self, path: &[u8]) -> bool {
        self.default_open != self.exceptions.contains(path)
    }

    fn toggle(&mut self, path: Vec<u8>) {
        if !self.exceptions.remove(&path) {
            self.exceptions.insert(path);
        }
    }

    fn set_all(&mut self, open: bool) {
        self.default_open = open;
        self.exceptions.clear();
    }
}

#[derive(Clone, Copy)]
struct Row {
    id: NodeId,
    depth: u16,
    open: bool,
    has_children: bool,
}

/// How the rows are coloured: changes made by `layer` are in full colour.
#[derive(Clone, Copy)]
pub struct Highlight<'a> {
    pub layer: u32,
    /// A substring filter, highlighted in names.
    pub needle: Option<&'a str>,
}

#[derive(Default)]
pub struct TreeRows {
    rows: Vec<Row>,
    normal: Expansion,
    filtered: Expansion,
    pub sort: Sort,
    filtering: bool,
    stale: bool,
    selected: Option<Vec<u8>>,
    selected_id: Option<NodeId>,
    /// A row was clicked since [`Self::take_clicked`] (the file viewer reopens on it).
    clicked: bool,
}

impl TreeRows {
    /// A new tree arrived; `open_all` (a filter's result, or one layer's changes) opens
    /// every directory at first, in an expansion kept apart from the normal one.
    pub fn set_tree(&mut self, open_all: bool) {
        let filtering = open_all;
        if filtering && !self.filtering {
            self.filtered.set_all(true);
        }
        self.filtering = filtering;
        self.stale = true;
    }

    pub fn set_sort(&mut self, sort: Sort) {
        if sort != self.sort {
            self.sort = sort;
            self.stale = true;
        }
    }

    pub fn set_all_open(&mut self, open: bool) {
        self.expansion().set_all(open);
        self.stale = true;
    }

    /// The selected node of `tree`, as of the last [`Self::sync`].
    pub fn selected(&self) -> Option<NodeId> {
        self.selected_id
    }

    /// Whether a row was clicked since the last call.
    pub fn take_clicked(&mut self) -> bool {
        std::mem::take(&mut self.clicked)
    }

    /// Flattens again if the tree, expansion or sort changed. Call before drawing anything
    /// that reads rows or the selection of `tree`.
    pub fn sync(&mut self, tree: &FileTree) {
        if self.stale {
            self.rebuild(tree);
        }
    }

    fn expansion(&mut self) -> &mut Expansion {
        if self.filtering {
            &mut self.filtered
        } else {
            &mut self.normal
        }
    }

    fn rebuild(&mut self, tree: &FileTree) {
        self.stale = false;
        self.rows.clear();
        self.selected_id = self.selected.as_deref().and_then(|p| tree.find(p));
        let expansion = if self.filtering {
            &self.filtered
        } else {
            &self.normal
        };
        let children = |id: NodeId| match self.sort {
            Sort::Name => tree.children(id).to_vec(),
            Sort::Size => tree.children_by_size(id),
        };
        // `lens[d]` is the length of the path of the last node seen at depth `d`.
        let mut lens = vec![0usize];
        let mut path: Vec<u8> = Vec::new();
        let mut stack: Vec<(NodeId, u16)> = children(FileTree::ROOT)
            .into_iter()
            .rev()
            .map(|c| (c, 1))
            .collect();
        while let Some((id, depth)) = stack.pop() {
            let d = usize::from(depth);
            path.truncate(lens[d - 1]);
            if d > 1 {
                path.push(b'/');
            }
            path.extend_from_slice(tree.name(id));
            lens.truncate(d);
            lens.push(path.len());
            let has_children = !tree.children(id).is_empty();
            let open = has_children && expansion.is_open(&path);
            self.rows.push(Row {
                id,
                depth,
                open,
                has_children,
            });
            if open {
                stack.extend(children(id).into_iter().rev().map(|c| (c, depth + 1)));
            }
        }
    }

    /// Draws the column headers and the rows, filling the space left. Returns the row whose
    /// context menu asked to save it (Save… is enabled when `savable`).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        tree: &FileTree,
        hl: Highlight<'_>,
        savable: bool,
    ) -> Option<NodeId> {
        self.sync(tree);
        header(ui);
        let mut toggled = None;
        let mut clicked = None;
        let mut save = None;
        egui::ScrollArea::both()
            .id_salt("files-tree")
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, self.rows.len(), |ui, range| {
                // The rows are as wide as the header above them, so the columns line up
                // and Size and Layer stay in view; a narrow tree drops Mode instead.
                ui.set_min_width(ui.available_width());
                for row in &self.rows[range] {
                    let label = tree.path_display(row.id);
                    let selected = self.selected_id == Some(row.id);
                    let response =
                        widgets::list_row(ui, selected, ROW_HEIGHT, &label, |ui, rect| {
                            paint_row(ui, rect, tree, *row, selected, hl);
                        });
                    if response.clicked() {
                        clicked = Some(row.id);
                        if row.has_children {
                            toggled = Some(row.id);
                        }
                    }
                    response.context_menu(|ui| {
                        if super::files::save::row_menu(ui, tree, row.id, savable) {
                            save = Some(row.id);
                        }
                    });
                }
            });
        if let Some(id) = clicked.or(save) {
            self.selected = Some(tree.path(id));
            self.selected_id = Some(id);
            // The viewer beside the tree follows the selection on the next frame.
            self.clicked = clicked.is_some();
            ui.ctx().request_repaint();
        }
        if let Some(id) = toggled {
            let path = tree.path(id);
            self.expansion().toggle(path);
            self.stale = true;
        }
        save
    }
}

/// The colour of a change: full when the layer on view made it, muted for older ones.
pub fn change_color(ui: &Ui, change: Change, by_this_layer: bool, selected: bool) -> Color32 {
    let text = widgets::row_text_color(ui, selected);
    let tone = match change {
        Change::Added => Tone::Ok,
        Change::Modified => Tone::Warn,
        Change::Removed => Tone::Error,
    };
    // An older addition is just part of the filesystem; older modifications and removals
    // stay visible, muted, as history.
    if selected {
        text
    } else if by_this_layer {
        theme::tone(ui, tone)
    } else if change == Change::Added {
        text
    } else {
        theme::tone(ui, tone).gamma_multiply(0.6)
    }
}

fn paint_row(ui: &Ui, rect: Rect, tree: &FileTree, row: Row, selected: bool, hl: Highlight<'_>) {
    let node = tree.node(row.id);
    let weak = ui.visuals().weak_text_color();
    let by_this_layer = node.layer == hl.layer;
    let color = change_color(ui, node.change, by_this_layer, selected);
    let cols = columns(rect);
    let (mode_x, size_x, layer_x) = cols;
    let x = rect.left() + 4.0 + f32::from(row.depth - 1) * INDENT;
    let y = rect.center().y;
    let p = ui.painter();
    // Indent guides make deep trees readable.
    for d in 1..row.depth {
        let gx = rect.left() + 4.0 + f32::from(d - 1) * INDENT + 5.0;
        p.vline(
            gx,
            rect.y_range(),
            egui::Stroke::new(1.0, weak.gamma_multiply(0.25)),
        );
    }
    if row.has_children {
        let arrow = if row.open { "▾" } else { "▸" };
        p.text(
            egui::pos2(x + 5.0, y),
            Align2::CENTER_CENTER,
            arrow,
            FontId::monospace(12.0),
            weak,
        );
    }
    let name_left = x + 14.0;
    let body = TextStyle::Body.resolve(ui.style());
    let mut job = name_job(ui, tree, row.id, color, &body, hl.needle);
    let name_right = name_end(cols);
    job.wrap.max_width = (name_right - 10.0 - name_left).max(40.0);
    widgets::paint_line(
        ui,
        Rect::from_min_max(
            egui::pos2(name_left, rect.top()),
            egui::pos2(name_right, rect.bottom()),
        ),
        job,
    );
    let small = TextStyle::Monospace.resolve(ui.style());
    let right = |x: f32, text: String, c: Color32| {
        p.text(
            egui::pos2(x, y),
            Align2::RIGHT_CENTER,
            text,
            small.clone(),
            c,
        );
    };
    let meta = if selected {
        widgets::row_text_color(ui, true)
    } else {
        weak
    };
    if let Some(mode_x) = mode_x {
        right(
            mode_x,
            crate::layers::mode_string(node.kind, node.mode),
            meta,
        );
    }
    let shown_size = if node.is_dir() {
        node.total_size
    } else {
        node.size
    };
    let size_color = if selected {
        meta
    } else {
        ui.visuals().text_color()
    };
    right(size_x, crate::format::size(shown_size), size_color);
    right(layer_x, (node.layer + 1).to_string(), meta);
}

/// The name, a `/` after directories, the link target after links, a removed name struck
/// through, and substring matches marked.
fn name_job(
    ui: &Ui,
    tree: &FileTree,
    id: NodeId,
    color: Color32,
    font: &FontId,
    needle: Option<&str>,
) -> LayoutJob {
    let node = tree.node(id);
    let name = tree.name_display(id);
    let matches = needle
        .and_then(|n| widgets::find_matches(&name, n))
        .unwrap_or_default();
    let mut job = widgets::highlighted(ui, &name, &matches, color, font.clone());
    if node.is_removed() {
        for section in &mut job.sections {
            section.format.strikethrough = egui::Stroke::new(1.0, color);
        }
    }
    let weak = ui.visuals().weak_text_color();
    let extra = |job: &mut LayoutJob, text: &str| {
        job.append(text, 0.0, TextFormat::simple(font.clone(), weak));
    };
    match node.kind {
        EntryKind::Dir => extra(&mut job, "/"),
        EntryKind::Symlink | EntryKind::Hardlink => {
            if let Some(target) = tree.link_target(id) {
                let arrow = if node.kind == EntryKind::Symlink {
                    " → "
                } else {
                    " ⇒ "
                };
                extra(
                    &mut job,
                    &format!("{arrow}{}", crate::layers::display_path(target)),
                );
            }
        }
        _ => {}
    }
    job
}

/// Added / modified / removed swatches, for a right-to-left layout (they still read left
/// to right).
pub fn legend_rtl(ui: &mut Ui) {
    for (change, key) in [
        (Change::Removed, crate::msg!("files-legend-removed")),
        (Change::Modified, crate::msg!("files-legend-modified")),
        (Change::Added, crate::msg!("files-legend-added")),
    ] {
        let color = change_color(ui, change, true, false);
        ui.label(RichText::new(tr!(key)).small().color(color));
        let (rect, _) = ui.allocate_exact_size(egui::vec2(9.0, 9.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, color);
        ui.add_space(6.0);
    }
}

#[cfg(test)]
mod tests {
    use super::{Highlight, TreeRows};
    use crate::layers::{FileTree, read_layer};
    use crate::oci::Digest;
    use crate::oci::media::Compression;
    use std::time::{Duration, Instant};

    /// A layer of `n` empty files in directories of 1,000, as a tree.
    fn big_tree(n: usize) -> FileTree {
        let mut builder = tar::Builder::new(Vec::new());
        for i in 0..n {
            let mut header = tar::Header::new_gnu();
            header.set_size(0);
            header.set_mode(0o644);
            header.set_uid(0);
            header.set_gid(0);
            header.set_mtime(1_700_000_000);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            let path = format!("app/d{:03}/file-{i:06}.txt", i / 1000);
            builder
                .append_data(&mut header, path, std::io::empty())
                .expect("append");
        }
        let bytes = builder.into_inner().expect("tar");
        let digest = Digest::of(&bytes);
        let read = read_layer(bytes.as_slice(), Compression::None, &digest, &mut |_| {});
        assert!(read.error.is_none(), "{:?}", read.error);
        FileTree::from_listing(&read.listing, 0)
    }

    #[test]
    fn a_100k_entry_tree_fully_open_draws_only_the_rows_on_screen() {
        let tree = big_tree(100_000);
        let mut rows = TreeRows::default();
        rows.set_all_open(true);
        let started = Instant::now();
        rows.sync(&tree);
        let flatten = started.elapsed();
        assert_eq!(rows.rows.len(), tree.len() - 1, "every node is a row");

        let ctx = egui::Context::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1200.0, 800.0),
            )),
            ..Default::default()
        };
        let hl = Highlight {
            layer: 0,
            needle: None,
        };
        let mut slowest = Duration::ZERO;
        for frame in 0..5 {
            let started = Instant::now();
            let mut output = ctx.run_ui(input(), |ui| {
                rows.show(ui, &tree, hl, true);
            });
            output.textures_delta.clear();
            if frame > 0 {
                slowest = slowest.max(started.elapsed());
            }
        }
        eprintln!("100k rows: flatten {flatten:?}, slowest frame {slowest:?}");
        assert!(!rows.stale, "drawing does not flatten again");
        assert!(
            slowest < Duration::from_millis(100),
            "a frame of a 100k-row tree took {slowest:?}"
        );
    }
}
