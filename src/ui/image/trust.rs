//! The Trust tab: what the registry holds about the image beside its layers. Signatures (a
//! widget of their own, placed at the marked spot), attestations with their predicate types,
//! the SLSA provenance summary, every referrer of the image (`referrers.rs`, "All
//! referrers"), and the SBOM's packages (`trust_sbom.rs`). Everything is read by
//! `trust::collect` and the referrers lookup on the runtime; the tab only draws what arrived.

use super::ImageOrigin;
use super::trust_sbom::SbomView;
use crate::oci::Digest;
use crate::oci::image::ImageDetail;
use crate::tr;
use crate::trust::{ReadError, TrustSummary};
use crate::ui::Bg;
use crate::ui::kit::requested::{Requested, Vanished};
use crate::ui::kit::widgets;
use egui::{RichText, Ui};
use std::sync::Arc;

impl Vanished for ReadError {
    fn vanished() -> Self {
        Self::Registry(crate::registry::Error::Cancelled)
    }
}

#[derive(Default)]
pub struct TrustTab {
    summary: Requested<Arc<TrustSummary>, ReadError>,
    /// The image the summary is about.
    subject: Option<Digest>,
    sbom: SbomView,
}

impl TrustTab {
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn poll(&mut self) {
        self.summary.poll();
        self.sbom.poll();
    }

    /// Starts reading what refers to the image `detail` shows, unless that is on screen.
    pub fn ensure(&mut self, bg: &Bg, origin: &ImageOrigin, detail: &ImageDetail) {
        let subject = detail.image.as_ref().map(|i| i.digest.clone());
        if subject.is_none() || subject == self.subject {
            return;
        }
        self.subject = subject;
        self.sbom = SbomView::default();
        let ImageOrigin::Registry(client, repo) = origin else {
            return;
        };
        let (client, repo, detail) = (Arc::clone(client), repo.clone(), detail.clone());
        self.summary.request(&bg.rt, &bg.repaint, async move {
            Ok(Arc::new(
                crate::trust::collect(&client, &repo, &detail).await,
            ))
        });
    }

    /// Draws the tab; returns a referrer the person asked to open. `detail` has no image when
    /// an index has none for the chosen platform: then only the index's referrers are listed.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        bg: &Bg,
        origin: &ImageOrigin,
        detail: &ImageDetail,
        parts: &mut Parts<'_>,
    ) -> Option<Digest> {
        if matches!(origin, ImageOrigin::Local(..)) {
            widgets::empty_state(ui, &tr!("trust-local-title"), &tr!("trust-local-body"));
            return None;
        }
        if detail.image.is_none() {
            super::no_image(ui, detail);
        }
        let summary = self.summary.value().cloned();
        // The top part scrolls on its own, so the package table below keeps the rest; with
        // no SBOM to list, it takes the whole tab.
        let share = match &summary {
            Some(s) if !s.sboms.is_empty() => 0.45,
            _ => 1.0,
        };
        let mut open = None;
        egui::ScrollArea::vertical()
            .id_salt("trust-summary")
            .max_height((ui.available_height() * share - 40.0).max(120.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if detail.image.is_some() {
                    self.summary_part(ui, summary.as_deref(), parts.signatures);
                }
                ui.add_space(8.0);
                open = parts.referrers.show(ui, bg, origin);
            });
        if let (Some(summary), ImageOrigin::Registry(client, repo)) = (&summary, origin)
            && detail.image.is_some()
        {
            ui.separator();
            self.sbom.show(ui, bg, client, repo, summary);
        }
        open
    }

    /// Signatures, attestations, provenance and what could not be read.
    fn summary_part(
        &self,
        ui: &mut Ui,
        summary: Option<&TrustSummary>,
        signatures: &super::signatures::Signatures,
    ) {
        if let Some(e) = self.summary.error() {
            ui.label(crate::i18n::describe(e));
            return;
        }
        let Some(summary) = summary else {
            widgets::busy(ui, &tr!("trust-reading"));
            return;
        };
        super::signatures::show(ui, signatures);
        ui.add_space(8.0);
        attestations(ui, summary);
        provenance(ui, summary);
        for e in &summary.problems {
            ui.label(
                RichText::new(tr!("trust-problem", reason = crate::i18n::describe(e)))
                    .color(ui.visuals().warn_fg_color),
            );
        }
    }
}

/// The other readers of the image view whose answers the tab draws.
pub struct Parts<'a> {
    pub signatures: &'a super::signatures::Signatures,
    pub referrers: &'a mut super::referrers::ReferrersList,
}

fn attestations(ui: &mut Ui, summary: &TrustSummary) {
    widgets::section(
        ui,
        &tr!("trust-attestations", count = summary.attestations.len()),
    );
    if summary.attestations.is_empty() {
        ui.label(RichText::new(tr!("trust-attestations-none")).weak());
    }
    for a in &summary.attestations {
        ui.horizontal(|ui| {
            let found = match a.found {
                crate::trust::attestations::Found::BuildKit => tr!("trust-found-buildkit"),
                crate::trust::attestations::Found::CosignTag => tr!("trust-found-cosign"),
                crate::trust::attestations::Found::Referrer => tr!("trust-found-referrer"),
            };
            ui.label(RichText::new(found).small().weak());
            ui.add(
                egui::Label::new(crate::format::escape(&a.predicate_type).into_owned()).truncate(),
            );
        });
    }
}

fn provenance(ui: &mut Ui, summary: &TrustSummary) {
    let Some(p) = &summary.provenance else {
        return;
    };
    widgets::section(ui, &tr!("trust-provenance"));
    egui::Grid::new("trust-provenance-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let mut row = |key: &str, value: Option<&str>| {
                ui.label(tr!(key));
                let value =
                    value.map_or_else(|| "-".to_owned(), |v| crate::format::escape(v).into_owned());
                ui.add(egui::Label::new(value).truncate());
                ui.end_row();
            };
            row(crate::msg!("trust-builder"), p.builder.as_deref());
            row(crate::msg!("trust-source"), p.source.as_deref());
            row(crate::msg!("trust-revision"), p.revision.as_deref());
            row(crate::msg!("trust-entry-point"), p.entry_point.as_deref());
            for (k, v) in &p.build_args {
                row(crate::msg!("trust-build-arg"), Some(&format!("{k}={v}")));
            }
        });
}
