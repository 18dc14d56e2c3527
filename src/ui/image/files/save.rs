//! Save… and Save folder… in the Files tab (issue 21): the selected file, or the selected
//! folder as a directory tree or as a tar, from the merged filesystem (all layers) or from the
//! one layer shown. A row's context menu and a compact toolbar button open a small dialog for
//! the destination (typed, or picked with rfd where the desktop has a chooser); its answer is
//! a [`SaveRequest`] that the app runs as an Extract job (`jobs::extract`), whose progress and
//! skipped entries the jobs panel shows. The UI thread never touches the destination.

use super::{FilesView, Mode};
use crate::layers::extract::Destination;
use crate::layers::{FileTree, NodeId};
use crate::tr;
use crate::ui::Bg;
use crate::ui::image::files_tree::Highlight;
use crate::ui::kit::file_pick::{FilePick, PathRowText, PickKind};
use egui::{RichText, Ui};
use std::path::PathBuf;

/// What the person asked to save, ready for an Extract job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRequest {
    /// The path in the image, as the tar spells it.
    pub path: Vec<u8>,
    /// One layer (an index from 0) instead of the merged filesystem.
    pub layer: Option<usize>,
    pub dest: Destination,
}

/// What a node is saved as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    File,
    Folder,
}

impl Target {
    /// A present node of `tree` that can be saved: a folder, or anything else as one file.
    pub fn of(tree: &FileTree, id: NodeId) -> Option<Self> {
        let node = tree.node(id);
        if id == FileTree::ROOT || node.is_removed() {
            None
        } else if node.is_dir() {
            Some(Self::Folder)
        } else {
            Some(Self::File)
        }
    }

    fn label(self) -> String {
        match self {
            Self::File => tr!("files-save"),
            Self::Folder => tr!("files-save-folder"),
        }
    }
}

/// A row's context menu entry; true when it was clicked.
pub fn row_menu(ui: &mut Ui, tree: &FileTree, id: NodeId, savable: bool) -> bool {
    let Some(target) = Target::of(tree, id) else {
        return false;
    };
    let button = ui
        .add_enabled(savable, egui::Button::new(target.label()))
        .on_disabled_hover_text(tr!("files-save-upto"));
    if button.clicked() {
        ui.close();
        return true;
    }
    false
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FolderAs {
    Tree,
    Tar,
}

/// How the dialog ended.
enum Answer {
    Cancelled,
    Save(SaveRequest),
}

/// The destination dialog for one node.
pub struct SaveDialog {
    path: Vec<u8>,
    shown: String,
    /// The node's own name, for the suggested file name.
    name: String,
    layer: Option<usize>,
    target: Target,
    folder_as: FolderAs,
    dest: String,
    pick: FilePick,
}

impl SaveDialog {
    fn new(bg: &Bg, tree: &FileTree, id: NodeId, target: Target, layer: Option<usize>) -> Self {
        let name = tree.name_display(id).into_owned();
        let mut dialog = Self {
            path: tree.path(id),
            shown: format!("/{}", tree.path_display(id)),
            name,
            layer,
            target,
            folder_as: FolderAs::Tree,
            dest: String::new(),
            pick: FilePick::default(),
        };
        dialog.suggest(bg);
        dialog
    }

    /// The file or folder the destination starts as, in the user's download directory.
    fn suggested_name(&self) -> String {
        match (self.target, self.folder_as) {
            (Target::File, _) => self.name.clone(),
            (Target::Folder, FolderAs::Tar) => format!("{}.tar", self.name),
            (Target::Folder, FolderAs::Tree) => String::new(),
        }
    }

    fn suggest(&mut self, bg: &Bg) {
        if let Some(dir) = bg.desktop.save_dir() {
            let name = self.suggested_name();
            let path = if name.is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(name)
            };
            self.dest = path.display().to_string();
        }
    }

    fn pick_kind(&self) -> PickKind {
        match (self.target, self.folder_as) {
            (Target::Folder, FolderAs::Tree) => PickKind::Folder,
            (Target::Folder, FolderAs::Tar) => PickKind::Save {
                file_name: self.suggested_name(),
            },
            (Target::File, _) => PickKind::SaveAny {
                file_name: self.suggested_name(),
            },
        }
    }

    /// The dialog; its answer once Save or Cancel was pressed (or it was closed).
    fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<Answer> {
        if let Some(path) = self.pick.poll() {
            self.dest = path.display().to_string();
        }
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("files-save")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading(self.target.label());
            ui.label(RichText::new(&self.shown).monospace());
            let from = match self.layer {
                Some(i) => tr!("files-save-from-layer", n = i + 1),
                None => tr!("files-save-from-merged"),
            };
            ui.label(RichText::new(from).small().weak());
            ui.add_space(6.0);
            if self.target == Target::Folder {
                let before = self.folder_as;
                ui.radio_value(
                    &mut self.folder_as,
                    FolderAs::Tree,
                    tr!("files-save-as-tree"),
                );
                ui.radio_value(&mut self.folder_as, FolderAs::Tar, tr!("files-save-as-tar"));
                if before != self.folder_as {
                    self.suggest(bg);
                }
            }
            let label = match (self.target, self.folder_as) {
                (Target::Folder, FolderAs::Tree) => tr!("files-save-into"),
                _ => tr!("files-save-path"),
            };
            let text = PathRowText {
                label,
                hint: self.suggested_name(),
                title: self.target.label(),
            };
            let kind = self.pick_kind();
            self.pick.path_row(ui, bg, &mut self.dest, &text, || kind);
            let dest = self.dest.trim();
            let answer = crate::ui::kit::widgets::confirm_row(
                ui,
                !dest.is_empty(),
                &tr!("files-save-start"),
                &tr!("files-save-cancel"),
            );
            result = answer.map(|go| {
                if !go {
                    return Answer::Cancelled;
                }
                let file = PathBuf::from(dest);
                let dest = match (self.target, self.folder_as) {
                    (Target::File, _) => Destination::File(file),
                    (Target::Folder, FolderAs::Tree) => Destination::Dir(file),
                    (Target::Folder, FolderAs::Tar) => Destination::Tar(file),
                };
                Answer::Save(SaveRequest {
                    path: self.path.clone(),
                    layer: self.layer,
                    dest,
                })
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(Answer::Cancelled);
        }
        result
    }
}

impl FilesView {
    /// Which layer a save reads: `Ok(None)` for the whole merged filesystem, `Ok(Some(i))`
    /// for layer `i` alone; `Err` when the view merges only up to a layer below the last
    /// (the extraction reads the whole image or one layer).
    fn save_layer(&self) -> Result<Option<usize>, ()> {
        let shown = self.view.value().ok_or(())?;
        let last = self.layer_rows.len().saturating_sub(1);
        match shown.key.mode {
            Mode::LayerOnly => Ok(Some(shown.key.layer)),
            Mode::Merged if shown.key.layer >= last => Ok(None),
            Mode::Merged => Err(()),
        }
    }

    /// Whether the view shown can be saved from (see [`Self::save_layer`]).
    pub(in crate::ui::image) fn savable(&self) -> bool {
        self.save_layer().is_ok()
    }

    /// The toolbar's Save… / Save folder… button for the selected node.
    pub(super) fn save_button(&mut self, ui: &mut Ui, bg: &Bg) {
        let Some(shown) = self.view.value().cloned() else {
            return;
        };
        let tree = shown.tree();
        self.rows.sync(tree);
        let target = self.rows.selected().and_then(|id| Target::of(tree, id));
        let label = target.unwrap_or(Target::File).label();
        let layer = self.save_layer();
        let enabled = target.is_some() && layer.is_ok();
        let hover = if layer.is_err() {
            tr!("files-save-upto")
        } else {
            tr!("files-save-select")
        };
        let button = ui
            .add_enabled(enabled, egui::Button::new(label))
            .on_disabled_hover_text(hover);
        if button.clicked()
            && let (Some(id), Some(target), Ok(layer)) = (self.rows.selected(), target, layer)
        {
            self.save = Some(SaveDialog::new(bg, tree, id, target, layer));
        }
    }

    /// The tree's rows; a row's context menu opens the dialog for it.
    pub(super) fn tree_rows(&mut self, ui: &mut Ui, bg: &Bg, tree: &FileTree, hl: Highlight<'_>) {
        let savable = self.savable();
        if let Some(id) = self.rows.show(ui, tree, hl, savable)
            && let (Some(target), Ok(layer)) = (Target::of(tree, id), self.save_layer())
        {
            self.save = Some(SaveDialog::new(bg, tree, id, target, layer));
        }
    }

    /// Draws the open dialog; its answer waits in [`Self::take_save`].
    pub(super) fn save_dialog(&mut self, ctx: &egui::Context, bg: &Bg) {
        let Some(dialog) = &mut self.save else {
            return;
        };
        if let Some(answer) = dialog.show(ctx, bg) {
            self.save = None;
            if let Answer::Save(request) = answer {
                self.save_request = Some(request);
            }
        }
    }

    /// What the person asked to save, once.
    pub fn take_save(&mut self) -> Option<SaveRequest> {
        self.save_request.take()
    }
}
