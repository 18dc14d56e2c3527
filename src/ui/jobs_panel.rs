//! The jobs panel: every background job (pull, delete, …) as a row with its progress, speed,
//! time left and Cancel; a failed job says why and offers Retry. Rows stay until "Clear
//! finished". The panel is docked under the view (as an IDE's tool window): the view shrinks
//! above it, never hides under it; it resizes by its top edge, and Hide or the top bar's
//! toggle folds it away. The runner's events are drained in `logic`, never waited for.

use crate::format::size;
use crate::jobs::{
    Connections, DeleteItem, JobEvent, JobKind, JobList, JobOutput, JobRow, JobRunner, JobSpec,
    RowState,
};
use crate::oci::ImageRef;
use crate::registry::credentials::CredentialPaths;
use crate::settings::{ConnectionOverrides, Settings};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::notice::Notice;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;
use std::sync::Arc;
use tokio::sync::mpsc;

pub struct Jobs {
    pub conns: Arc<Connections>,
    runner: JobRunner,
    rx: mpsc::Receiver<JobEvent>,
    pub list: JobList,
    pub open: bool,
}

/// What a finished job changed, for the views to refresh.
pub struct Finished {
    pub kind: JobKind,
    pub ok: bool,
    pub notice: Notice,
    /// The registry (host) it wrote to, if it wrote to one: its repository list may have
    /// gained a repository.
    pub dest_registry: Option<String>,
}

impl Jobs {
    pub fn new(bg: &Bg, settings: &Settings, credential_paths: &CredentialPaths) -> Self {
        let conns = Arc::new(Connections::new(
            settings.clone(),
            ConnectionOverrides::default(),
            credential_paths.clone(),
        ));
        let repaint = Arc::clone(&bg.repaint);
        let (runner, rx) = JobRunner::new(
            bg.rt.clone(),
            Arc::clone(&conns),
            crate::jobs::JobConfig::default(),
            move || repaint(),
        );
        Self {
            conns,
            runner,
            rx,
            list: JobList::default(),
            open: false,
        }
    }

    pub fn spawn(&mut self, spec: JobSpec) {
        let _ = self.runner.spawn(spec);
        self.open = true;
    }

    /// Moves events in; returns the jobs that ended since the last call.
    pub fn poll(&mut self) -> Vec<Finished> {
        let mut done = Vec::new();
        while let Ok(ev) = self.rx.try_recv() {
            if let Some(row) = self.list.apply(ev) {
                let ok = match &row.state {
                    RowState::Succeeded(_) => true,
                    RowState::Cancelled | RowState::Failed(_) => false,
                    RowState::Running => continue,
                };
                let dest_registry = match &row.spec {
                    JobSpec::Copy {
                        dest: ImageRef::Registry(r),
                        ..
                    } => Some(r.registry.host.clone()),
                    _ => None,
                };
                let ended = row.clone();
                done.push(Finished {
                    kind: row.kind,
                    ok,
                    notice: Notice::new(move || toast(&ended)),
                    dest_registry,
                });
            }
        }
        done
    }

    /// The top-bar toggle, with the running count.
    pub fn toggle(&mut self, ui: &mut egui::Ui) {
        let label = tr!("jobs-toggle", count = self.list.running());
        if ui
            .selectable_label(self.open, label)
            .on_hover_text(tr!("jobs-toggle-tooltip"))
            .clicked()
        {
            self.open = !self.open;
        }
    }

    /// The docked panel, laid out before the view so the view gets only the room above it.
    pub fn panel(&mut self, ui: &mut egui::Ui) {
        if !self.open {
            return;
        }
        let mut retry = None;
        let height = ui.available_height();
        egui::Panel::bottom("jobs-panel")
            .resizable(true)
            .default_size((height * 0.25).clamp(100.0, 240.0))
            .size_range(80.0..=(height * 0.6).max(80.0))
            .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(6))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(tr!("jobs-title")).strong());
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .small_button(tr!("jobs-hide"))
                            .on_hover_text(tr!("jobs-toggle-tooltip"))
                            .clicked()
                        {
                            self.open = false;
                        }
                        let finished = self.list.rows().len() - self.list.running();
                        if ui
                            .add_enabled(finished > 0, egui::Button::new(tr!("jobs-clear")))
                            .clicked()
                        {
                            self.list.clear_finished();
                        }
                    });
                });
                ui.separator();
                if self.list.rows().is_empty() {
                    ui.label(RichText::new(tr!("jobs-none")).color(ui.visuals().weak_text_color()));
                }
                egui::ScrollArea::vertical()
                    .id_salt("jobs-rows")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for row in self.list.rows().iter().rev() {
                            if let Some(spec) = row_ui(ui, row, &self.runner) {
                                retry = Some(spec);
                            }
                            ui.separator();
                        }
                    });
            });
        if let Some(spec) = retry {
            self.spawn(spec);
        }
    }
}

/// The status-bar line for a job that ended.
fn toast(row: &JobRow) -> String {
    let what = title(row);
    match &row.state {
        RowState::Succeeded(_) => tr!("jobs-toast-done", job = what),
        RowState::Failed(e) => tr!(
            "jobs-toast-failed",
            job = what,
            reason = crate::i18n::describe(e.as_ref())
        ),
        RowState::Cancelled | RowState::Running => tr!("jobs-toast-cancelled", job = what),
    }
}

/// What a job does, in a few words.
fn title(row: &JobRow) -> String {
    // References come from registries and stores: shown escaped and cut, never obeyed.
    let (source, dest) = (
        crate::format::display_name(&row.source),
        crate::format::display_name(&row.dest),
    );
    let (source, dest) = (source.as_ref(), dest.as_ref());
    match row.kind {
        JobKind::Pull => tr!("jobs-kind-pull", source = source, dest = dest),
        JobKind::Push => tr!("jobs-kind-push", source = source, dest = dest),
        JobKind::Copy => tr!("jobs-kind-copy", source = source, dest = dest),
        JobKind::Save => tr!("jobs-kind-save", source = source, dest = dest),
        JobKind::Load => tr!("jobs-kind-load", source = source, dest = dest),
        JobKind::Delete if row.spec.is_untag() => tr!(
            "jobs-kind-untag",
            source = source,
            count = match &row.spec {
                JobSpec::Delete { targets } => targets.len(),
                _ => 1,
            }
        ),
        JobKind::Delete => tr!("jobs-kind-delete", source = source),
        JobKind::Extract => tr!("jobs-kind-extract", source = source, dest = dest),
    }
}

fn row_ui(ui: &mut egui::Ui, row: &JobRow, runner: &JobRunner) -> Option<JobSpec> {
    let mut retry = None;
    ui.label(RichText::new(title(row)).strong());
    let p = &row.progress;
    let bytes = if row.kind == JobKind::Delete {
        tr!("jobs-items", done = p.done, total = p.total)
    } else {
        tr!("jobs-bytes", done = size(p.done), total = size(p.total))
    };
    let fraction = match row.state {
        RowState::Succeeded(_) => 1.0,
        _ => row.fraction().unwrap_or(0.0),
    };
    ui.add(egui::ProgressBar::new(fraction).text(bytes));
    if row.kind != JobKind::Delete && !p.items.is_empty() {
        egui::CollapsingHeader::new(tr!("jobs-items-toggle", count = p.items.len()))
            .id_salt(("job-items", row.id.0))
            .show(ui, |ui| {
                for item in &p.items {
                    let f = if item.total > 0 {
                        item.done as f32 / item.total as f32
                    } else {
                        0.0
                    };
                    let id: String = item.id.chars().take(19).collect();
                    ui.add(
                        egui::ProgressBar::new(f)
                            .desired_height(12.0)
                            .text(format!("{id}  {}", size(item.done))),
                    );
                }
            });
    }
    if let RowState::Succeeded(JobOutput::Deleted { items }) = &row.state {
        deleted_items(ui, items, row.spec.is_untag());
    }
    if let RowState::Succeeded(JobOutput::Extracted { dest, report }) = &row.state {
        extracted(ui, row, dest, report);
    }
    ui.horizontal(|ui| {
        match &row.state {
            RowState::Running => {
                if let Some(rate) = row.bytes_per_second() {
                    #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)]
                    let rate = rate.max(0.0) as u64;
                    ui.label(tr!("jobs-speed", speed = size(rate)));
                }
                if let Some(eta) = row.eta() {
                    ui.label(tr!("jobs-eta", seconds = eta.as_secs()));
                }
                if ui.small_button(tr!("jobs-cancel")).clicked() {
                    runner.cancel(row.id);
                }
            }
            RowState::Succeeded(_) => {
                ui.label(RichText::new(tr!("jobs-succeeded")).color(theme::tone(ui, Tone::Accent)));
            }
            RowState::Cancelled => {
                ui.label(tr!("jobs-cancelled"));
            }
            RowState::Failed(e) => {
                ui.label(
                    RichText::new(crate::i18n::describe(e)).color(theme::tone(ui, Tone::Error)),
                );
            }
        }
        if let Some(spec) = row.retry_spec()
            && ui.small_button(tr!("jobs-retry")).clicked()
        {
            retry = Some(spec);
        }
    });
    retry
}

/// An extract job's result: what it wrote, and each entry it skipped with why.
fn extracted(
    ui: &mut egui::Ui,
    row: &JobRow,
    dest: &std::path::Path,
    report: &crate::layers::extract::Report,
) {
    ui.label(
        RichText::new(tr!(
            "extract-summary",
            dest = dest.display().to_string(),
            files = report.files,
            bytes = size(report.bytes),
            skipped = report.skipped.len()
        ))
        .small(),
    );
    if report.skipped.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(
        RichText::new(tr!("jobs-extract-skipped", count = report.skipped.len()))
            .color(theme::tone(ui, Tone::Warn)),
    )
    .id_salt(("job-skipped", row.id.0))
    .default_open(true)
    .show(ui, |ui| {
        for skipped in &report.skipped {
            ui.label(
                RichText::new(tr!(
                    "extract-skipped-line",
                    path = skipped.path.as_str(),
                    reason = crate::i18n::describe_skip_reason(skipped.reason)
                ))
                .small(),
            );
        }
    });
}

/// A delete job's result for each image: what went, or why it did not. An untag job's
/// (`untag`) says each tag was removed and its image stays.
fn deleted_items(ui: &mut egui::Ui, items: &[DeleteItem], untag: bool) {
    let (ok, failed) = if untag {
        (
            crate::msg!("jobs-untag-item-ok"),
            crate::msg!("jobs-untag-item-failed"),
        )
    } else {
        (
            crate::msg!("jobs-delete-item-ok"),
            crate::msg!("jobs-delete-item-failed"),
        )
    };
    for item in items {
        match &item.result {
            Ok(done) => {
                ui.label(
                    RichText::new(tr!(ok, reference = item.reference.as_str()))
                        .color(theme::tone(ui, Tone::Ok)),
                );
                // An untag names only its own tag: nothing more went.
                if !untag && !done.removed.is_empty() {
                    ui.label(
                        RichText::new(tr!(
                            "jobs-delete-item-removed",
                            tags = done.removed.join(", ")
                        ))
                        .small()
                        .color(ui.visuals().weak_text_color()),
                    );
                }
            }
            Err(e) => {
                ui.label(
                    RichText::new(tr!(
                        failed,
                        reference = item.reference.as_str(),
                        reason = crate::i18n::describe(e)
                    ))
                    .color(theme::tone(ui, Tone::Error)),
                );
            }
        }
    }
}
