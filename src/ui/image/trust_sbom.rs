//! The SBOM part of the Trust tab: the packages of one SBOM (name, version, type, licence,
//! PURL) in a table that draws only the rows on screen, a filter (off the UI thread from
//! `row_filter::OFF_THREAD_FROM` packages up, the old rows staying meanwhile) with a count,
//! and Save SBOM (the document as the registry sent it) through the file chooser or a typed
//! path. The document is read and parsed on the runtime, never in a frame.

use crate::oci::Repository;
use crate::registry::RegistryClient;
use crate::tr;
use crate::trust::{LoadedSbom, ReadError, TrustSummary};
use crate::ui::Bg;
use crate::ui::kit::file_pick::{FilePick, PathRowText, PickKind};
use crate::ui::kit::requested::Requested;
use crate::ui::kit::row_filter::{self, FilterJob};
use crate::ui::kit::widgets;
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;

/// A read SBOM and one lowercase search text per package (what the filter looks in).
pub struct ReadSbom {
    pub loaded: LoadedSbom,
    keys: Arc<Vec<String>>,
}

#[derive(Default)]
pub struct SbomView {
    chosen: usize,
    read: Requested<Arc<ReadSbom>, ReadError>,
    started: bool,
    filter: String,
    /// The rows shown (indices into the packages) and the text they are for; `None`: all.
    rows: Option<Vec<usize>>,
    rows_for: String,
    job: FilterJob,
    saving: bool,
    save_path: String,
    pick: FilePick,
    saved: Requested<PathBuf, String>,
}

impl SbomView {
    pub fn poll(&mut self) {
        self.read.poll();
        self.saved.poll();
        if let Some(p) = self.pick.poll() {
            self.save_path = p.display().to_string();
        }
    }

    fn start(
        &mut self,
        bg: &Bg,
        client: &Arc<RegistryClient>,
        repo: &Repository,
        summary: &TrustSummary,
    ) {
        self.started = true;
        let Some(source) = summary.sboms.get(self.chosen).cloned() else {
            return;
        };
        let (client, repo) = (Arc::clone(client), repo.clone());
        self.rows = None;
        self.rows_for.clear();
        self.job.stop();
        self.read.request(&bg.rt, &bg.repaint, async move {
            let loaded = crate::trust::load_sbom(&client, &repo, source).await?;
            // The search texts are made on the blocking pool too: 100,000 of them take a while.
            let (loaded, keys) = tokio::task::spawn_blocking(move || {
                let keys: Vec<String> = loaded.sbom.packages.iter().map(search_text).collect();
                (loaded, keys)
            })
            .await
            .map_err(|_| crate::registry::Error::Cancelled)?;
            Ok(Arc::new(ReadSbom {
                loaded,
                keys: Arc::new(keys),
            }))
        });
    }

    pub fn show(
        &mut self,
        ui: &mut Ui,
        bg: &Bg,
        client: &Arc<RegistryClient>,
        repo: &Repository,
        summary: &TrustSummary,
    ) {
        widgets::section(ui, &tr!("trust-sbom"));
        if summary.sboms.is_empty() {
            ui.label(RichText::new(tr!("trust-sbom-none")).weak());
            return;
        }
        if !self.started {
            self.start(bg, client, repo, summary);
        }
        if summary.sboms.len() > 1 {
            let before = self.chosen;
            egui::ComboBox::from_label(tr!("trust-sbom-which"))
                .selected_text(tr!("trust-sbom-number", number = self.chosen + 1))
                .show_ui(ui, |ui| {
                    for i in 0..summary.sboms.len() {
                        ui.selectable_value(
                            &mut self.chosen,
                            i,
                            tr!("trust-sbom-number", number = i + 1),
                        );
                    }
                });
            if before != self.chosen {
                self.start(bg, client, repo, summary);
            }
        }
        if let Some(e) = self.read.error() {
            ui.label(RichText::new(crate::i18n::describe(e)).color(ui.visuals().error_fg_color));
            return;
        }
        let Some(read) = self.read.value().cloned() else {
            widgets::busy(ui, &tr!("trust-sbom-reading"));
            return;
        };
        self.filter_rows(bg, &read);
        let total = read.loaded.sbom.packages.len();
        let shown = self.rows.as_ref().map_or(total, Vec::len);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr!("trust-sbom-filter"));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(180.0))
                .labelled_by(label.id);
            let count = if self.filter.is_empty() {
                tr!("trust-sbom-count", count = total)
            } else {
                tr!("trust-sbom-count-filtered", shown = shown, count = total)
            };
            ui.label(count);
            if self.job.is_running() {
                ui.add(egui::Spinner::new().size(12.0));
            }
            if ui.button(tr!("trust-sbom-save")).clicked() {
                self.saving = !self.saving;
                if self.save_path.is_empty() {
                    let dir = bg.desktop.save_dir().map(PathBuf::from).unwrap_or_default();
                    self.save_path = dir.join(file_name(&read)).display().to_string();
                }
            }
        });
        if self.saving {
            self.save_row(ui, bg, &read);
        }
        table(ui, &read, self.rows.as_deref());
    }

    /// Brings `rows` up to the filter text: in the frame for short lists, off the thread
    /// for long ones (the old rows stay until the new ones are ready).
    fn filter_rows(&mut self, bg: &Bg, read: &ReadSbom) {
        if self.filter == self.rows_for {
            return;
        }
        if self.filter.is_empty() {
            self.job.stop();
            self.rows = None;
            self.rows_for.clear();
            return;
        }
        if read.keys.len() < row_filter::OFF_THREAD_FROM {
            let needle = self.filter.to_lowercase();
            let rows = (0..read.keys.len())
                .filter(|&i| row_filter::matches(&read.keys[i], &needle))
                .collect();
            self.rows = Some(rows);
            self.rows_for.clone_from(&self.filter);
            return;
        }
        self.job.want(bg, &read.keys, &self.filter, 0);
        if let Some(done) = self.job.take_done(&self.filter, 0) {
            self.rows = Some(done.rows);
            self.rows_for = done.text;
        }
    }

    fn save_row(&mut self, ui: &mut Ui, bg: &Bg, read: &Arc<ReadSbom>) {
        let text = PathRowText {
            label: tr!("trust-sbom-save-to"),
            hint: tr!("trust-sbom-save-hint"),
            title: tr!("trust-sbom-save"),
        };
        let name = file_name(read);
        self.pick
            .path_row(ui, bg, &mut self.save_path, &text, || PickKind::SaveJson {
                file_name: name,
            });
        ui.horizontal(|ui| {
            let ready = !self.save_path.trim().is_empty() && !self.saved.is_pending();
            if ui
                .add_enabled(ready, egui::Button::new(tr!("trust-sbom-save-now")))
                .clicked()
            {
                let path = PathBuf::from(self.save_path.trim());
                let raw = Arc::clone(&read.loaded.raw);
                self.saved.request_to_end(&bg.rt, &bg.repaint, async move {
                    let to = path.clone();
                    tokio::task::spawn_blocking(move || {
                        crate::atomic_file::write_atomic(&to, &raw, None)
                    })
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())?;
                    Ok(path)
                });
            }
            match (&self.saved, self.saved.value()) {
                (Requested::Failed { error, .. }, _) => {
                    ui.label(
                        RichText::new(tr!("trust-sbom-save-failed", reason = error.as_str()))
                            .color(ui.visuals().error_fg_color),
                    );
                }
                (_, Some(p)) if !self.saved.is_pending() => {
                    ui.label(tr!("trust-sbom-saved", path = p.display().to_string()));
                }
                _ => {}
            }
        });
    }
}

/// A suggested file name: `sbom-HEX12.spdx.json`.
fn file_name(read: &ReadSbom) -> String {
    let hex = read.loaded.source.blob.hex();
    let short = hex.get(..12).unwrap_or(hex);
    format!("sbom-{short}.{}.json", read.loaded.sbom.format.as_str())
}

fn search_text(p: &crate::trust::sbom::Package) -> String {
    let parts = [
        Some(p.name.as_str()),
        p.version.as_deref(),
        p.kind.as_deref(),
        p.license.as_deref(),
        p.purl.as_deref(),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// The package table: a header, then only the rows on screen.
fn table(ui: &mut Ui, read: &ReadSbom, rows: Option<&[usize]>) {
    let packages = &read.loaded.sbom.packages;
    let count = rows.map_or(packages.len(), <[usize]>::len);
    let width = ui.available_width();
    // name, version, type, licence, PURL: shares of the width, PURL taking the rest.
    let shares = [0.26, 0.14, 0.1, 0.16];
    let widths: Vec<f32> = shares.iter().map(|s| (width * s).max(40.0)).collect();
    let cells = |ui: &mut Ui, texts: [&str; 5], strong: bool| {
        ui.horizontal(|ui| {
            for (i, t) in texts.iter().enumerate() {
                let w = widths
                    .get(i)
                    .copied()
                    .unwrap_or_else(|| ui.available_width());
                let text = if strong {
                    RichText::new(*t).strong()
                } else {
                    RichText::new(crate::format::escape(t).into_owned())
                };
                ui.allocate_ui_with_layout(
                    egui::vec2(w, ui.spacing().interact_size.y),
                    egui::Layout::left_to_right(egui::Align::Center),
                    |ui| {
                        ui.set_width(w);
                        ui.add(egui::Label::new(text).truncate());
                    },
                );
            }
        });
    };
    let header = [
        tr!("trust-sbom-col-name"),
        tr!("trust-sbom-col-version"),
        tr!("trust-sbom-col-type"),
        tr!("trust-sbom-col-license"),
        tr!("trust-sbom-col-purl"),
    ];
    cells(ui, header.each_ref().map(String::as_str), true);
    let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    egui::ScrollArea::both()
        .id_salt("trust-sbom-rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, count, |ui, range| {
            for n in range {
                let i = rows.map_or(n, |r| r.get(n).copied().unwrap_or(n));
                let Some(p) = packages.get(i) else { continue };
                let dash = "-";
                cells(
                    ui,
                    [
                        p.name.as_str(),
                        p.version.as_deref().unwrap_or(dash),
                        p.kind.as_deref().unwrap_or(dash),
                        p.license.as_deref().unwrap_or(dash),
                        p.purl.as_deref().unwrap_or(dash),
                    ],
                    false,
                );
            }
        });
}
