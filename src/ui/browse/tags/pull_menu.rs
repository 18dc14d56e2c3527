//! "Copy pull command": a menu of the command lines that pull a registry image with Docker,
//! Podman, skopeo, crane or Berth, by tag and by digest. The core writes them
//! (`oci::pull_commands`); each item shows the whole command it copies, so what the person
//! reads is what lands on the clipboard. Used on a tag row and in the image heading.

use crate::oci::{Digest, PullBy, RegistryRef, Repository};
use crate::registry::RegistryClient;
use crate::tr;
use egui::{RichText, Ui};

/// Widest an item grows before its command is elided (the tooltip has it whole).
const ITEM_WIDTH: f32 = 560.0;

/// The menu button and its items; nothing when neither tag nor digest is known.
pub fn show(
    ui: &mut Ui,
    client: &RegistryClient,
    repo: &Repository,
    tag: Option<&str>,
    digest: Option<&Digest>,
) {
    if tag.is_none() && digest.is_none() {
        return;
    }
    ui.menu_button(tr!("tag-copy-pull"), |ui| {
        let image = RegistryRef {
            registry: client.registry(),
            repository: repo.clone(),
            tag: None,
            digest: None,
        };
        let mut section = None;
        for (_, by, command) in crate::oci::pull_commands(&image, tag, digest) {
            let by_tag = matches!(by, PullBy::Tag(_));
            if section != Some(by_tag) {
                if section.is_some() {
                    ui.separator();
                }
                let title = if by_tag {
                    tr!("tag-copy-pull-by-tag")
                } else {
                    tr!("tag-copy-pull-by-digest")
                };
                ui.label(RichText::new(title).small().weak());
                section = Some(by_tag);
            }
            let item = egui::Button::new(RichText::new(command.as_str()).monospace())
                .truncate()
                .min_size(egui::vec2(0.0, 0.0));
            let response = ui
                .add_sized([ui.available_width().min(ITEM_WIDTH), 0.0], item)
                .on_hover_text(command.as_str());
            if response.clicked() {
                ui.ctx().copy_text(command);
                ui.close();
            }
        }
    });
}
