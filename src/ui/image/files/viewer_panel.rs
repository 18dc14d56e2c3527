//! Where the file viewer sits in the Files tab (issue 21): a resizable panel on the right of
//! the tree when the tab is wide enough for both, otherwise in place of the tree with a
//! "← back to the tree" button. Selecting a file row (in the merged or the per-layer view)
//! opens it; a folder or no selection closes the panel.

use super::viewer::Wanted;
use super::{FilesView, Mode, Shown};
use crate::oci::image::ImageInfo;
use crate::tr;
use crate::ui::Bg;
use egui::Ui;

/// Below this width the tab shows the tree or the viewer, not both.
const BOTH_WIDTH: f32 = 500.0;

impl FilesView {
    /// Opens the selected file, and draws the viewer beside the tree or instead of it.
    /// Returns true when the viewer took the whole area (the tree is not to be drawn).
    pub(super) fn viewer_panel(
        &mut self,
        ui: &mut Ui,
        bg: &Bg,
        image: &ImageInfo,
        shown: &Shown,
    ) -> bool {
        // (The rows are synced here for the whole tab: the selection is read below.)
        self.rows.sync(shown.tree());
        let Some(loaded) = self.load.value().cloned() else {
            return false;
        };
        let tree = shown.tree();
        let file = self.rows.selected().filter(|id| {
            let node = tree.node(*id);
            !node.is_dir() && !node.is_removed()
        });
        let clicked = self.rows.take_clicked();
        let Some(id) = file else {
            if self.viewing.take().is_some() {
                self.viewer.clear(ui.ctx());
            }
            return false;
        };
        let key = (tree.path(id), shown.key.layer, shown.key.mode);
        if self.viewing.as_ref() != Some(&key) || clicked {
            let wanted = Wanted {
                path: key.0.clone(),
                upto: key.1,
                layer: (key.2 == Mode::LayerOnly).then_some(key.1),
                follow: false,
            };
            if self.viewing.as_ref() != Some(&key) {
                self.viewer
                    .open(bg, &self.source, &image.layers, &loaded, wanted);
            }
            self.viewer.hidden = false;
            self.viewing = Some(key);
        }
        if !self.viewer.is_open() {
            return false;
        }
        let width = ui.available_width();
        if width < BOTH_WIDTH {
            if ui.button(tr!("viewer-back")).clicked() {
                self.viewer.hidden = true;
            }
            self.viewer
                .show(ui, bg, &self.source, &image.layers, &loaded);
            return true;
        }
        egui::Panel::right("files-viewer")
            .resizable(true)
            .default_size(width * 0.5)
            .size_range(240.0..=(width - 240.0).max(240.0))
            .frame(egui::Frame::new().inner_margin(egui::Margin {
                left: 8,
                ..Default::default()
            }))
            .show(ui, |ui| {
                // The panel keeps the width it is given (its contents would shrink it).
                ui.set_min_width(ui.available_width());
                self.viewer
                    .show(ui, bg, &self.source, &image.layers, &loaded);
            });
        false
    }
}
