//! Deleting a local image: the store plans the delete first, the dialog names exactly what
//! goes (the references, whether the image itself goes, what stays, the containers in the
//! way, the bytes freed), and only "Delete" carries it out. An engine delete that needs force
//! says so and its button says "Force delete".

use crate::format::size;
use crate::store::{self, DeleteOutcome, DeletePlan, LocalStore};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;
use std::sync::Arc;

pub struct DeleteDialog {
    store: Arc<dyn LocalStore>,
    pub reference: String,
    /// The store as the sidebar names it.
    store_name: String,
    plan: Requested<DeletePlan, store::Error>,
    outcome: Requested<DeleteOutcome, store::Error>,
}

/// What the dialog ends with.
pub enum DeleteResult {
    Cancelled,
    Deleted,
}

impl DeleteDialog {
    pub fn new(bg: &Bg, store: Arc<dyn LocalStore>, store_name: String, reference: String) -> Self {
        let mut plan = Requested::Idle;
        let (s, r) = (Arc::clone(&store), reference.clone());
        plan.request(&bg.rt, &bg.repaint, async move { s.plan_delete(&r).await });
        Self {
            store,
            reference,
            store_name,
            plan,
            outcome: Requested::Idle,
        }
    }

    pub fn poll(&mut self) {
        self.plan.poll();
        self.outcome.poll();
    }

    pub fn show(&mut self, ctx: &egui::Context, bg: &Bg) -> Option<DeleteResult> {
        if matches!(self.outcome, Requested::Ready(_)) {
            return Some(DeleteResult::Deleted);
        }
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("local-delete")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(tr!(
                "local-delete-title",
                reference = self.reference.as_str()
            ));
            ui.add_space(6.0);
            let busy = self.outcome.is_pending();
            match (&self.plan, self.plan.value()) {
                (_, Some(plan)) => plan_text(ui, plan, &self.store_name),
                (Requested::Failed { error, .. }, None) => {
                    ui.label(
                        RichText::new(crate::i18n::describe(error))
                            .color(theme::tone(ui, Tone::Error)),
                    );
                }
                _ => {
                    ui.horizontal(|ui| {
                        ui.add(egui::Spinner::new());
                        ui.label(tr!("local-delete-planning"));
                    });
                }
            }
            if let Some(e) = self.outcome.error() {
                ui.add_space(4.0);
                ui.label(
                    RichText::new(crate::i18n::describe(e)).color(theme::tone(ui, Tone::Error)),
                );
            }
            ui.add_space(10.0);
            crate::ui::kit::widgets::button_row(ui, "local-delete", |ui| {
                let plan = self.plan.value().cloned();
                let confirm = match &plan {
                    Some(p) if p.needs_force => tr!("local-delete-force"),
                    _ => tr!("local-delete-confirm"),
                };
                if ui
                    .add_enabled(
                        plan.is_some() && !busy,
                        crate::ui::kit::widgets::destructive_button(ui, &confirm),
                    )
                    .clicked()
                    && let Some(plan) = plan
                {
                    let store = Arc::clone(&self.store);
                    self.outcome
                        .request_to_end(&bg.rt, &bg.repaint, async move {
                            // Only if the store still plans what the dialog showed.
                            store::delete_planned(store.as_ref(), &plan).await
                        });
                }
                if ui.button(tr!("local-delete-cancel")).clicked() {
                    result = Some(DeleteResult::Cancelled);
                }
                if busy {
                    ui.add(egui::Spinner::new());
                }
            });
        });
        if modal.should_close() && result.is_none() && !self.outcome.is_pending() {
            result = Some(DeleteResult::Cancelled);
        }
        result
    }
}

fn plan_text(ui: &mut egui::Ui, plan: &DeletePlan, store_name: &str) {
    ui.label(tr!("local-delete-store", store = store_name));
    for r in &plan.removed_refs {
        ui.label(tr!("local-delete-removes-ref", reference = r.as_str()));
    }
    if plan.removes_image {
        let freed = plan.freed_bytes.map(size).unwrap_or_default();
        ui.label(tr!(
            "local-delete-removes-image",
            digest = plan.digest.short(),
            freed = freed
        ));
    } else {
        ui.label(tr!(
            "local-delete-keeps-image",
            digest = plan.digest.short()
        ));
    }
    for r in &plan.kept_refs {
        ui.label(
            RichText::new(tr!("local-delete-keeps-ref", reference = r.as_str()))
                .color(ui.visuals().weak_text_color()),
        );
    }
    for c in &plan.containers {
        ui.label(
            RichText::new(tr!("local-delete-container", container = c.as_str()))
                .color(theme::tone(ui, Tone::Warn)),
        );
    }
    if plan.needs_force {
        ui.add_space(4.0);
        ui.label(RichText::new(tr!("local-delete-needs-force")).color(theme::tone(ui, Tone::Warn)));
    }
}
