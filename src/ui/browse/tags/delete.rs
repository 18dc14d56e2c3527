//! Deleting a registry tag: a registry deletes by digest, so every tag that points at the
//! same manifest goes with it. The dialog first plans the delete through the repository's tag
//! lookup (digests the tags table already knows are reused, the tags that go are asked again,
//! the rest are asked with progress), names each tag that goes and the digest, and only
//! "Delete" carries it out. A
//! registry with delete turned off says so in place; after a delete, the dialog says the
//! space comes back only after the registry's garbage collection. Beside "Delete the image
//! (N tags)" it offers "Remove only this tag" (Untag, issue 23): the dialog asks the registry
//! how it removes a tag (a probe that changes nothing), says which way it will go, and hands
//! the untag plan to a background job.

use super::untag_method;
use crate::registry::{DeletePlan, RegistryClient, UntagMethod, UntagPlan};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct TagDeleteDialog {
    client: Arc<RegistryClient>,
    pub repo: crate::oci::Repository,
    pub tag: String,
    checked: Arc<(AtomicUsize, AtomicUsize)>,
    plan: Requested<DeletePlan>,
    /// How the registry removes a single tag, for "Remove only this tag".
    method: Requested<UntagMethod>,
    outcome: Requested<()>,
}

pub enum TagDeleteResult {
    Cancelled,
    /// Closed after a delete: the tags list must be asked again.
    Deleted,
    /// "Remove only this tag": the untag plan, for a background job.
    Untag(UntagPlan),
}

impl TagDeleteDialog {
    pub fn new(
        bg: &Bg,
        client: Arc<RegistryClient>,
        repo: crate::oci::Repository,
        tag: String,
    ) -> Self {
        let checked = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let mut plan = Requested::Idle;
        let (c, r, t, n) = (
            Arc::clone(&client),
            repo.clone(),
            tag.clone(),
            Arc::clone(&checked),
        );
        let repaint = Arc::clone(&bg.repaint);
        plan.request(&bg.rt, &bg.repaint, async move {
            c.plan_delete(&r, &crate::oci::Reference::Tag(t), move |done, total| {
                n.0.store(done, Ordering::Relaxed);
                n.1.store(total, Ordering::Relaxed);
                repaint();
            })
            .await
        });
        let method = untag_method::probe(bg, &client, &repo);
        Self {
            client,
            repo,
            tag,
            checked,
            plan,
            method,
            outcome: Requested::Idle,
        }
    }

    /// The untag plan for this tag, once the delete plan and the method are known.
    fn untag_plan(&self) -> Option<UntagPlan> {
        let plan = self.plan.value()?;
        Some(UntagPlan::of_tag(plan, &self.tag, *self.method.value()?))
    }

    pub fn poll(&mut self) {
        self.plan.poll();
        self.method.poll();
        self.outcome.poll();
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<TagDeleteResult> {
        let mut result = None;
        let done = matches!(self.outcome, Requested::Ready(()));
        let busy = self.outcome.is_pending();
        let modal = egui::Modal::new(egui::Id::unique("tag-delete")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading(tr!(
                "tag-delete-title",
                reference = format!("{}:{}", self.repo, self.tag),
                registry = self.client.host()
            ));
            ui.add_space(6.0);
            self.plan_text(ui);
            if let Some(e) = self.outcome.error() {
                ui.add_space(4.0);
                ui.label(
                    RichText::new(crate::i18n::describe_error(e))
                        .color(theme::tone(ui, Tone::Error)),
                );
                // A registry with deleting off (405, UNSUPPORTED) says how to turn it on.
                if let Some(hint) = crate::ui::kit::widgets::hint(e) {
                    ui.label(hint);
                }
            }
            if done {
                ui.add_space(4.0);
                ui.label(RichText::new(tr!("tag-delete-done-gc")).color(theme::tone(ui, Tone::Ok)));
            }
            ui.add_space(10.0);
            crate::ui::kit::widgets::button_row(ui, "tag-delete", |ui| {
                if done {
                    if ui.button(tr!("tag-delete-close")).clicked() {
                        result = Some(TagDeleteResult::Deleted);
                    }
                    return;
                }
                let plan = self.plan.value().cloned();
                let failed = self.outcome.error().is_some();
                let label = tr!(
                    "tag-delete-image",
                    count = plan.as_ref().map_or(1, |p| p.tags.len())
                );
                if ui
                    .add_enabled(
                        plan.is_some() && !busy && !failed,
                        crate::ui::kit::widgets::destructive_button(ui, &label),
                    )
                    .clicked()
                    && let Some(plan) = plan
                {
                    let client = Arc::clone(&self.client);
                    self.outcome
                        .request_to_end(&bg.rt, &bg.repaint, async move {
                            // Only if the registry still matches what the dialog showed.
                            client.delete_planned(std::slice::from_ref(&plan)).await
                        });
                }
                let untag = self.untag_plan();
                if ui
                    .add_enabled(
                        untag.is_some() && !busy && !failed,
                        egui::Button::new(tr!("tag-untag-confirm")),
                    )
                    .clicked()
                    && let Some(plan) = untag
                {
                    result = Some(TagDeleteResult::Untag(plan));
                }
                if ui.button(tr!("tag-delete-cancel")).clicked() {
                    result = Some(TagDeleteResult::Cancelled);
                }
                if busy {
                    ui.add(egui::Spinner::new());
                }
            });
        });
        if modal.should_close() && result.is_none() && !busy {
            result = Some(if done {
                TagDeleteResult::Deleted
            } else {
                TagDeleteResult::Cancelled
            });
        }
        result
    }

    /// The plan (the digest, every tag that goes, what stays) and how an untag would go; a
    /// spinner while it is worked out.
    fn plan_text(&self, ui: &mut egui::Ui) {
        match (&self.plan, self.plan.value()) {
            (_, Some(plan)) => {
                ui.label(tr!("tag-delete-digest", digest = plan.digest.as_str()));
                ui.label(tr!("tag-delete-explain", count = plan.tags.len()));
                for t in plan.tag_names() {
                    ui.label(tr!("tag-delete-removes", tag = t));
                }
                ui.add_space(4.0);
                ui.label(tr!(
                    "tag-untag-stays",
                    count = plan.tags.len().saturating_sub(1)
                ));
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
                    ui.label(tr!("tag-delete-planning", done = n, total = total));
                });
                if total > 0 {
                    ui.add(egui::ProgressBar::new(n as f32 / total as f32));
                }
            }
        }
    }
}
