//! How the registry removes a single tag, as both Delete… dialogs (one tag, the marked tags)
//! ask and show it: the probe that changes nothing (`registry::untag`), started when a
//! dialog opens, and the line that names the method, the probe's failure, or that it is
//! still asking.

use crate::oci::Repository;
use crate::registry::{RegistryClient, UntagMethod};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;
use std::sync::Arc;

/// Starts the probe of `repo`'s untag method on the runtime.
pub fn probe(bg: &Bg, client: &Arc<RegistryClient>, repo: &Repository) -> Requested<UntagMethod> {
    let mut method = Requested::Idle;
    let (c, r) = (Arc::clone(client), repo.clone());
    method.request(&bg.rt, &bg.repaint, async move {
        c.probe_untag_method(&r).await
    });
    method
}

/// One line: the method, why it could not be learnt, or that the probe is running.
pub fn show(ui: &mut egui::Ui, method: &Requested<UntagMethod>) {
    match (method, method.value()) {
        (_, Some(m)) => {
            ui.label(tr!("untag-method", method = m.as_str()));
        }
        (Requested::Failed { error, .. }, None) => {
            ui.label(
                RichText::new(crate::i18n::describe_error(error))
                    .color(theme::tone(ui, Tone::Warn)),
            );
        }
        _ => {
            ui.label(tr!("untag-probing"));
        }
    }
}
