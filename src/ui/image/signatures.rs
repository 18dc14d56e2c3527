//! Signatures of the image on screen: the trust badge of the heading and the list (state,
//! kind, key or identity, reason). Both read one `Requested` cell, filled off the UI thread
//! by `trust::find` with the keys of the settings (for every registry and for this one);
//! the key files are read there too. The list is `show`, placed by the image view at the
//! top of the Trust tab.

use crate::oci::{Digest, Repository};
use crate::registry::RegistryClient;
use crate::trust::signatures::{Badge, SigState, Signature, badge};
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::{i18n, tr};
use egui::{Color32, RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;

/// The signatures found for one manifest, and the one they were read for.
#[derive(Default)]
pub struct Signatures {
    found: Requested<Found, String>,
    /// The digest `found` belongs to.
    subject: Option<Digest>,
    /// The key files to check with (the settings' for this registry).
    pub keys: Vec<PathBuf>,
}

/// What a look found: every signature, and the manifest digest the badge is about.
pub struct Found {
    pub digest: Digest,
    pub signatures: Vec<Signature>,
}

impl Signatures {
    pub fn reset(&mut self) {
        self.found = Requested::Idle;
        self.subject = None;
    }

    pub fn poll(&mut self) {
        self.found.poll();
    }

    /// Looks up the signatures of `digest` in `repo`, unless that is what is on screen.
    pub fn ensure(
        &mut self,
        bg: &Bg,
        client: &Arc<RegistryClient>,
        repo: &Repository,
        digest: &Digest,
        entries: &[crate::oci::IndexEntry],
    ) {
        if self.subject.as_ref() == Some(digest) {
            return;
        }
        self.subject = Some(digest.clone());
        let (client, repo, digest) = (Arc::clone(client), repo.clone(), digest.clone());
        let entries = entries.to_vec();
        let paths = self.keys.clone();
        self.found.request(&bg.rt, &bg.repaint, async move {
            let keys = tokio::task::spawn_blocking(move || crate::trust::keys::load_all(&paths))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| i18n::describe(&e))?;
            let signatures =
                crate::trust::find::signatures_for(&client, &repo, &digest, &entries, &keys)
                    .await
                    .map_err(|e| i18n::describe_error(&e))?;
            Ok(Found { digest, signatures })
        });
    }

    /// The badge of the manifest's own signatures, once known.
    fn badge(&self) -> Option<Badge> {
        let found = self.found.value()?;
        let own: Vec<Signature> = found
            .signatures
            .iter()
            .filter(|s| s.subject == found.digest.as_str())
            .cloned()
            .collect();
        Some(badge(&own))
    }

    /// The trust badge, for the heading row.
    pub fn show_badge(&self, ui: &mut Ui) {
        if let Some(e) = self.found.error() {
            ui.label(RichText::new(tr!("sig-badge-failed", reason = e.as_str())).weak())
                .on_hover_text(e.as_str());
            return;
        }
        if self.found.is_pending() {
            ui.label(RichText::new(tr!("sig-badge-checking")).weak());
            return;
        }
        let Some(b) = self.badge() else { return };
        let color = match b {
            Badge::Verified { .. } => Color32::from_rgb(60, 170, 90),
            Badge::Invalid => Color32::from_rgb(220, 70, 60),
            Badge::SignedUnverified => Color32::from_rgb(210, 150, 40),
            Badge::Unsigned => ui.visuals().weak_text_color(),
        };
        ui.label(
            RichText::new(i18n::signature_badge(&b))
                .color(color)
                .strong(),
        );
    }
}

/// The list of signatures: state, kind, key or identity, reason; one row each.
pub fn show(ui: &mut Ui, sigs: &Signatures) {
    crate::ui::kit::widgets::section(ui, &tr!("sig-list-title"));
    if let Some(e) = sigs.found.error() {
        ui.label(tr!("sig-badge-failed", reason = e.as_str()));
        return;
    }
    let Some(found) = sigs.found.value() else {
        if sigs.found.is_pending() {
            crate::ui::kit::widgets::busy(ui, &tr!("sig-badge-checking"));
        }
        return;
    };
    if found.signatures.is_empty() {
        ui.label(tr!("sig-list-none"));
        return;
    }
    egui::Grid::new("signatures")
        .num_columns(4)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for head in [
                "sig-col-state",
                "sig-col-kind",
                "sig-col-who",
                "sig-col-reason",
            ] {
                ui.label(RichText::new(tr!(head)).strong());
            }
            ui.end_row();
            for s in &found.signatures {
                let color = match s.state {
                    SigState::Verified => Color32::from_rgb(60, 170, 90),
                    SigState::Invalid => Color32::from_rgb(220, 70, 60),
                    SigState::Unverified => ui.visuals().text_color(),
                };
                ui.label(RichText::new(i18n::signature_state(s.state)).color(color));
                ui.label(i18n::signature_kind(s.kind));
                ui.label(crate::format::escape(&i18n::signature_who(s)).into_owned());
                ui.add(
                    egui::Label::new(
                        crate::format::escape(&i18n::signature_reason(s)).into_owned(),
                    )
                    .wrap(),
                );
                ui.end_row();
            }
        });
}
