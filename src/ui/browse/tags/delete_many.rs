//! Deleting several marked tags. A registry deletes by digest, so the dialog plans first:
//! it resolves the marked tags and every other tag of the repository through the repository's
//! tag lookup (what the table knows is reused; bounded `HEAD`s for the rest, with progress),
//! then lists every tag that goes, digest by digest, and marks the ones the user
//! did not select. "Delete" hands exactly those plans to one delete job, which checks them
//! against the registry again before it deletes (ARCHITECTURE.md, "A confirmation is a
//! contract"). "Remove only the marked tags" (Untag, issue 23) instead removes just the
//! marked tags, by the method the registry takes (asked with a probe that changes nothing,
//! and shown), as one background job.

use super::untag_method;
use crate::jobs::DeleteTarget;
use crate::oci::{Reference, RegistryName, Repository};
use crate::registry::{DeletePlan, RegistryClient, UntagMethod, UntagPlan};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct MarkedDeleteDialog {
    registry: RegistryName,
    repo: Repository,
    checked: Arc<(AtomicUsize, AtomicUsize)>,
    plans: Requested<Vec<DeletePlan>>,
    /// How the registry removes a single tag, for "Remove only the marked tags".
    method: Requested<UntagMethod>,
    /// Whether the plan has been laid out once: the modal grows when it arrives.
    laid_out: bool,
}

pub enum MarkedDeleteResult {
    Cancelled,
    /// The plans the dialog showed, for the delete job.
    Delete(Vec<DeleteTarget>),
    /// Only the marked tags, each removed on its own, for the delete job.
    Untag(Vec<UntagPlan>),
}

impl MarkedDeleteDialog {
    pub fn new(
        bg: &Bg,
        client: Arc<RegistryClient>,
        registry: RegistryName,
        repo: Repository,
        marked: Vec<String>,
    ) -> Self {
        let checked = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let mut plans = Requested::Idle;
        let method = untag_method::probe(bg, &client, &repo);
        let (r, n) = (repo.clone(), Arc::clone(&checked));
        let repaint = Arc::clone(&bg.repaint);
        plans.request(&bg.rt, &bg.repaint, async move {
            let refs: Vec<Reference> = marked.into_iter().map(Reference::Tag).collect();
            client
                .plan_delete_many(&r, &refs, move |done, total| {
                    n.0.store(done, Ordering::Relaxed);
                    n.1.store(total, Ordering::Relaxed);
                    repaint();
                })
                .await
        });
        Self {
            registry,
            repo,
            checked,
            plans,
            method,
            laid_out: false,
        }
    }

    pub fn poll(&mut self) {
        self.plans.poll();
        self.method.poll();
    }

    /// One untag plan per marked tag, once the delete plans and the method are known.
    fn untag_plans(&self) -> Option<Vec<UntagPlan>> {
        let method = *self.method.value()?;
        let plans = self.plans.value()?;
        let mut out = Vec::new();
        for plan in plans {
            for t in plan.tags.iter().filter(|t| t.given) {
                out.push(UntagPlan::of_tag(plan, &t.tag, method));
            }
        }
        Some(out)
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<MarkedDeleteResult> {
        let mut result = None;
        let plans = self.plans.value();
        let going = plans.map_or(0, |p| p.iter().map(|p| p.tags.len()).sum::<usize>());
        let modal = egui::Modal::new(egui::Id::unique("tags-delete-many")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(tr!("tags-delete-many-title", count = going));
            ui.add_space(6.0);
            match (&self.plans, plans) {
                (_, Some(plans)) => {
                    self.plan_text(ui, plans);
                    ui.add_space(4.0);
                    untag_method::show(ui, &self.method);
                }
                (Requested::Failed { error, .. }, None) => {
                    ui.label(
                        RichText::new(crate::i18n::describe_error(error))
                            .color(theme::tone(ui, Tone::Error)),
                    );
                }
                _ => {
                    let (n, total) = (
                        self.checked.0.load(Ordering::Relaxed),
                        self.checked.1.load(Ordering::Relaxed),
                    );
                    ui.horizontal(|ui| {
                        ui.add(egui::Spinner::new());
                        ui.label(tr!("tags-delete-many-planning", done = n, total = total));
                    });
                    if total > 0 {
                        ui.add(egui::ProgressBar::new(n as f32 / total as f32));
                    }
                }
            }
            ui.add_space(10.0);
            crate::ui::kit::widgets::button_row(ui, "tags-delete-many", |ui| {
                let label = tr!("tags-delete-many-confirm", count = going);
                if ui
                    .add_enabled(
                        going > 0,
                        crate::ui::kit::widgets::destructive_button(ui, &label),
                    )
                    .clicked()
                    && let Some(plans) = plans
                {
                    result = Some(MarkedDeleteResult::Delete(
                        plans
                            .iter()
                            .map(|plan| DeleteTarget::Registry {
                                registry: self.registry.clone(),
                                plan: plan.clone(),
                            })
                            .collect(),
                    ));
                }
                let untag = self.untag_plans().filter(|p| !p.is_empty());
                let label = tr!(
                    "tags-untag-marked",
                    count = untag.as_ref().map_or(0, Vec::len)
                );
                if ui
                    .add_enabled(untag.is_some(), egui::Button::new(label))
                    .clicked()
                    && let Some(plans) = untag
                {
                    result = Some(MarkedDeleteResult::Untag(plans));
                }
                if ui.button(tr!("tag-delete-cancel")).clicked() {
                    result = Some(MarkedDeleteResult::Cancelled);
                }
            });
        });
        if plans.is_some() && !self.laid_out {
            // The centred modal sizes itself from the last pass; lay the grown one out again
            // so that its buttons are where they are drawn.
            self.laid_out = true;
            ctx.request_discard("delete plan arrived");
        }
        if modal.should_close() && result.is_none() {
            result = Some(MarkedDeleteResult::Cancelled);
        }
        result
    }

    /// Every tag that goes, digest by digest; the ones not selected say so.
    fn plan_text(&self, ui: &mut egui::Ui, plans: &[DeletePlan]) {
        let others = plans
            .iter()
            .flat_map(|p| &p.tags)
            .filter(|t| !t.given)
            .count();
        ui.label(tr!("tags-delete-many-explain"));
        if others > 0 {
            ui.label(
                RichText::new(tr!("tags-delete-many-others", count = others))
                    .color(theme::tone(ui, Tone::Warn)),
            );
        }
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                for plan in plans {
                    ui.label(
                        RichText::new(tr!("tag-delete-digest", digest = plan.digest.short()))
                            .color(ui.visuals().weak_text_color()),
                    );
                    for t in &plan.tags {
                        let reference = format!("{}:{}", self.repo, t.tag);
                        if t.given {
                            ui.label(reference);
                        } else {
                            ui.label(
                                RichText::new(tr!(
                                    "tags-delete-many-not-selected",
                                    reference = reference
                                ))
                                .color(theme::tone(ui, Tone::Warn)),
                            );
                        }
                    }
                }
            });
    }
}
