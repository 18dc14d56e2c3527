//! Clean up… (issue 23): retention rules over the open repository, as `berth retain` takes
//! them (keep the newest N by date or semantic version, only tags matching a glob, never those
//! matching another, only tags older than D days, untagged manifests). An invalid field says
//! so under itself and Preview waits. Preview gathers the facts off the UI thread
//! (`registry::retain::facts`, through the tag facts the table's sort shares, with a
//! progress line and Stop), then shows the plan
//! (`cleanup_preview`); a field changed afterwards takes the preview away, so Delete always
//! carries out the plan on screen, as one delete job that checks it against the registry
//! first (ARCHITECTURE.md, "A confirmation is a contract"). Keep 0 asks for its own
//! confirmation.

use super::cleanup_preview::PreviewLines;
use crate::jobs::DeleteTarget;
use crate::oci::{RegistryName, Repository};
use crate::registry::RegistryClient;
use crate::registry::retain::facts::{self, Gathered, Stage};
use crate::registry::retain::{self, GlobField, Order, Pattern, RetainPlan, Rules};
use crate::registry::tag_lookup::Progress;
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use egui::{RichText, Ui};
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// The dialog's fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    keep: String,
    by: Order,
    matching: String,
    exclude: String,
    older_than: String,
    untagged: bool,
}

impl Default for Fields {
    fn default() -> Self {
        Self {
            keep: "10".to_owned(),
            by: Order::Date,
            matching: String::new(),
            exclude: String::new(),
            older_than: String::new(),
            untagged: false,
        }
    }
}

/// What is wrong with the fields, field by field.
#[derive(Default)]
struct Problems {
    keep: Option<String>,
    matching: Option<String>,
    exclude: Option<String>,
    older_than: Option<String>,
}

impl Fields {
    /// The rules, or what is wrong with each field.
    fn rules(&self, now: i64) -> Result<Rules, Problems> {
        let mut problems = Problems::default();
        let keep = self.keep.trim().parse::<usize>().map_err(|_| {
            problems.keep = Some(tr!("cleanup-error-number", text = self.keep.as_str()));
        });
        let older = self.older_than.trim();
        let older_than = if older.is_empty() {
            Ok(None)
        } else {
            older.parse::<u64>().map(Some).map_err(|_| {
                problems.older_than = Some(tr!("cleanup-error-number", text = older));
            })
        };
        let glob = |field, text: &str, slot: &mut Option<String>| {
            if text.is_empty() {
                return Ok(None);
            }
            Pattern::new(field, text).map(Some).map_err(|e| {
                *slot = Some(crate::i18n::describe(&e));
            })
        };
        let matching = glob(GlobField::Match, &self.matching, &mut problems.matching);
        let exclude = glob(GlobField::Exclude, &self.exclude, &mut problems.exclude);
        match (keep, older_than, matching, exclude) {
            (Ok(keep), Ok(older_than_days), Ok(matching), Ok(exclude)) => Ok(Rules {
                keep,
                by: self.by,
                matching,
                exclude,
                older_than_days,
                untagged: self.untagged,
                now,
            }),
            _ => Err(problems),
        }
    }
}

/// A plan on screen, with the fields it was made from.
struct Preview {
    fields: Fields,
    plan: RetainPlan,
    lines: PreviewLines,
    /// The registry cannot list untagged manifests (asked for, and said).
    notice: Option<String>,
}

pub enum CleanupResult {
    Cancelled,
    /// The delete plans of the preview on screen, for one delete job.
    Delete(Vec<DeleteTarget>),
}

pub struct CleanupDialog {
    registry: RegistryName,
    repo: Repository,
    client: Arc<RegistryClient>,
    fields: Fields,
    facts: Requested<Gathered>,
    progress: Arc<Mutex<Option<(Stage, Progress)>>>,
    cancel: Option<CancellationToken>,
    /// The user stopped the gathering.
    stopped: bool,
    /// Preview was asked for; it is made when the facts are there.
    want_preview: bool,
    preview: Option<Preview>,
    /// Keep 0: "Yes, delete every matching tag".
    confirm_all: bool,
    /// Whether the modal has been laid out once (its first pass only measures it).
    laid_out: bool,
}

impl CleanupDialog {
    #[must_use]
    pub fn new(client: Arc<RegistryClient>, registry: RegistryName, repo: Repository) -> Self {
        Self {
            registry,
            repo,
            client,
            fields: Fields::default(),
            facts: Requested::Idle,
            progress: Arc::new(Mutex::new(None)),
            cancel: None,
            stopped: false,
            want_preview: false,
            preview: None,
            confirm_all: false,
            laid_out: false,
        }
    }

    pub fn poll(&mut self) {
        self.facts.poll();
    }

    /// Starts reading the facts (tags, digests, dates and blobs) off the UI thread.
    fn gather(&mut self, bg: &Bg) {
        let cancel = CancellationToken::new();
        self.cancel = Some(cancel.clone());
        self.stopped = false;
        *self.progress.lock().unwrap_or_else(PoisonError::into_inner) = None;
        let (client, progress, repaint) = (
            Arc::clone(&self.client),
            Arc::clone(&self.progress),
            Arc::clone(&bg.repaint),
        );
        // The table's sort shares this store (and its disk cache): no GET for a digest
        // either already knows.
        let dir = bg
            .layer_cache
            .as_ref()
            .and_then(|c| c.dir().parent().map(|p| p.join("tag-facts")));
        let store = client.tag_facts(&self.repo, dir);
        self.facts.request(&bg.rt, &bg.repaint, async move {
            // Always asked, so ticking "untagged" later needs no second reading; the notice is
            // shown only when it is ticked.
            facts::gather(&client, &store, true, &cancel, |stage, p| {
                *progress.lock().unwrap_or_else(PoisonError::into_inner) = Some((stage, p));
                repaint();
            })
            .await
        });
    }

    /// Stops the gathering: the task is dropped with its requests.
    fn stop(&mut self) {
        if let Some(c) = self.cancel.take() {
            c.cancel();
        }
        self.facts = Requested::Idle;
        self.want_preview = false;
        self.stopped = true;
    }

    /// Makes the preview once facts and rules are there.
    fn make_preview(&mut self, now: i64) {
        if !self.want_preview {
            return;
        }
        let (Some(gathered), Ok(rules)) = (self.facts.value(), self.fields.rules(now)) else {
            return;
        };
        self.want_preview = false;
        let plan = retain::plan(&rules, &gathered.facts);
        let notice = plan
            .notice
            .as_ref()
            .filter(|_| rules.untagged)
            .map(crate::i18n::describe);
        self.preview = Some(Preview {
            fields: self.fields.clone(),
            lines: PreviewLines::new(&plan),
            plan,
            notice,
        });
        self.confirm_all = false;
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<CleanupResult> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        self.make_preview(now);
        let mut result = None;
        let shown_before = self.shape();
        let max_preview = (ctx.content_rect().height() - 420.0).max(120.0);
        let modal = egui::Modal::new(egui::Id::unique("tags-cleanup")).show(ctx, |ui| {
            ui.set_width(560.0_f32.min(ctx.content_rect().width() - 60.0));
            ui.heading(tr!("cleanup-title", repository = self.repo.as_str()));
            ui.add_space(6.0);
            let problems = self.fields_grid(ui, now);
            // Changed fields take the preview away: Delete deletes what is on screen.
            if self
                .preview
                .as_ref()
                .is_some_and(|p| p.fields != self.fields)
            {
                self.preview = None;
                self.confirm_all = false;
            }
            ui.add_space(6.0);
            self.status(ui, max_preview);
            ui.add_space(10.0);
            result = self.buttons(ui, bg, problems.is_none());
        });
        if self.shape() != shown_before || !self.laid_out {
            self.laid_out = true;
            // The centred modal sizes itself from the last pass; lay the grown one out again
            // so that its buttons are where they are drawn.
            ctx.request_discard("clean up preview changed");
        }
        if modal.should_close() && result.is_none() {
            result = Some(CleanupResult::Cancelled);
        }
        result
    }

    /// What decides the modal's size (a preview, progress, a message).
    fn shape(&self) -> (bool, bool, bool, bool) {
        (
            self.preview.is_some(),
            self.facts.is_pending(),
            self.stopped,
            self.facts.error().is_some(),
        )
    }

    /// The fields in a grid, each problem under its field. `Some` when any field is wrong.
    fn fields_grid(&mut self, ui: &mut Ui, now: i64) -> Option<Problems> {
        let problems = self.fields.rules(now).err();
        let p = problems.as_ref();
        let warn = theme::tone(ui, Tone::Error);
        let error_row = |ui: &mut Ui, text: Option<&String>| {
            if let Some(text) = text {
                ui.label("");
                ui.label(RichText::new(text.as_str()).color(warn));
                ui.end_row();
            }
        };
        egui::Grid::new("cleanup-fields")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let f = &mut self.fields;
                let l = ui.label(tr!("cleanup-field-keep"));
                ui.add(egui::TextEdit::singleline(&mut f.keep).desired_width(60.0))
                    .labelled_by(l.id);
                ui.end_row();
                error_row(ui, p.and_then(|p| p.keep.as_ref()));
                ui.label(tr!("cleanup-field-by"));
                ui.horizontal_wrapped(|ui| {
                    ui.radio_value(&mut f.by, Order::Date, tr!("cleanup-by-date"));
                    ui.radio_value(&mut f.by, Order::Semver, tr!("cleanup-by-semver"));
                });
                ui.end_row();
                for (key, text, problem) in [
                    (
                        crate::msg!("retain-field-match"),
                        &mut f.matching,
                        p.and_then(|p| p.matching.as_ref()),
                    ),
                    (
                        crate::msg!("retain-field-exclude"),
                        &mut f.exclude,
                        p.and_then(|p| p.exclude.as_ref()),
                    ),
                ] {
                    let l = ui.label(tr!(key));
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text(tr!("cleanup-glob-hint"))
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                    error_row(ui, problem);
                }
                let l = ui.label(tr!("cleanup-field-older"));
                ui.add(
                    egui::TextEdit::singleline(&mut f.older_than)
                        .hint_text(tr!("cleanup-older-hint"))
                        .desired_width(100.0),
                )
                .labelled_by(l.id);
                ui.end_row();
                error_row(ui, p.and_then(|p| p.older_than.as_ref()));
                ui.label("");
                ui.checkbox(&mut f.untagged, tr!("cleanup-field-untagged"));
                ui.end_row();
            });
        problems
    }

    /// Progress with Stop, a stopped or failed reading, or the preview.
    fn status(&mut self, ui: &mut Ui, max_preview: f32) {
        if self.facts.is_pending() {
            let p = *self.progress.lock().unwrap_or_else(PoisonError::into_inner);
            let text = match p {
                Some((Stage::Dates, p)) => {
                    tr!("cleanup-progress-dates", known = p.known, total = p.total)
                }
                Some((Stage::Digests, p)) => {
                    tr!("cleanup-progress-digests", known = p.known, total = p.total)
                }
                None => tr!("cleanup-progress-listing"),
            };
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new().size(12.0));
                ui.label(text);
                if ui.small_button(tr!("cleanup-stop")).clicked() {
                    self.stop();
                }
            });
            return;
        }
        if self.stopped {
            ui.label(RichText::new(tr!("cleanup-stopped")).color(theme::tone(ui, Tone::Warn)));
            return;
        }
        if let Some(e) = self.facts.error() {
            widgets::error_note(ui, e);
            return;
        }
        let Some(preview) = &self.preview else {
            ui.label(RichText::new(tr!("cleanup-explain")).color(ui.visuals().weak_text_color()));
            return;
        };
        if let Some(notice) = &preview.notice {
            ui.label(RichText::new(notice.as_str()).color(theme::tone(ui, Tone::Warn)));
        }
        if preview.plan.is_empty() {
            ui.label(tr!("cleanup-nothing"));
        }
        preview.lines.show(ui, max_preview);
        ui.add_space(4.0);
        ui.label(RichText::new(preview.lines.estimate.as_str()).small());
        if preview.fields.keep.trim() == "0" && !preview.plan.is_empty() {
            ui.checkbox(&mut self.confirm_all, tr!("cleanup-confirm-all"));
        }
    }

    fn buttons(&mut self, ui: &mut Ui, bg: &Bg, valid: bool) -> Option<CleanupResult> {
        let mut result = None;
        widgets::button_row(ui, "tags-cleanup", |ui| {
            let preview_ready = valid && !self.facts.is_pending();
            if ui
                .add_enabled(preview_ready, egui::Button::new(tr!("cleanup-preview")))
                .clicked()
            {
                self.want_preview = true;
                self.preview = None;
                if self.facts.value().is_none() {
                    self.gather(bg);
                }
            }
            let going = self.preview.as_ref().map_or(0, |p| p.plan.delete.len());
            let all_zero = self
                .preview
                .as_ref()
                .is_some_and(|p| p.fields.keep.trim() == "0");
            let can_delete = going > 0 && (!all_zero || self.confirm_all);
            let label = tr!("cleanup-delete", count = going);
            if ui
                .add_enabled(can_delete, widgets::destructive_button(ui, &label))
                .clicked()
                && let (Some(preview), Some(gathered)) = (&self.preview, self.facts.value())
            {
                result = Some(CleanupResult::Delete(
                    preview
                        .plan
                        .delete_plans(&self.repo, &gathered.listed)
                        .into_iter()
                        .map(|plan| DeleteTarget::Registry {
                            registry: self.registry.clone(),
                            plan,
                        })
                        .collect(),
                ));
            }
            if ui.button(tr!("tag-delete-cancel")).clicked() {
                result = Some(CleanupResult::Cancelled);
            }
        });
        result
    }
}
