//! The Clean up… dialog's preview (issue 23): a retention plan as lines, made once per plan
//! and drawn a screenful at a time, so ten thousand tags cost what is on screen. Each tag that
//! goes with its digest and date, under it the tags going along because they share the
//! digest; the protected tags with the kept tag that protects each; the kept tags with their
//! reason (no date and no semantic version say so); the byte estimate, an upper bound freed
//! only by the registry's garbage collection.

use crate::registry::retain::RetainPlan;
use crate::tr;
use crate::ui::shell::theme::{self, Tone};
use egui::{RichText, Ui};

const ROW_HEIGHT: f32 = 18.0;

/// How a line looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Heading,
    Delete,
    Along,
    Protected,
    Kept,
}

/// A plan in lines, ready to draw.
pub struct PreviewLines {
    lines: Vec<(Look, String)>,
    /// The estimate sentence.
    pub estimate: String,
}

impl PreviewLines {
    /// The lines of `plan`.
    #[must_use]
    pub fn new(plan: &RetainPlan) -> Self {
        let date =
            |c: Option<i64>| c.map_or_else(|| tr!("cleanup-no-date"), crate::format::rfc3339);
        let esc = |s: &str| crate::format::escape(s).into_owned();
        let mut lines = Vec::new();
        // Nothing to delete is said above the lines.
        if !plan.is_empty() {
            lines.push((
                Look::Heading,
                tr!(
                    "cleanup-delete-heading",
                    count = plan.delete.len(),
                    images = plan.groups.len()
                ),
            ));
        }
        for g in &plan.groups {
            let digest = g.digest.short();
            let first = g
                .tags
                .first()
                .map_or_else(|| tr!("cleanup-untagged"), |t| esc(t));
            lines.push((
                Look::Delete,
                tr!(
                    "cleanup-row-delete",
                    tag = first,
                    digest = digest,
                    date = date(g.created)
                ),
            ));
            for t in g.tags.iter().skip(1) {
                lines.push((
                    Look::Along,
                    tr!("cleanup-row-along", tag = esc(t), digest = digest),
                ));
            }
        }
        if !plan.protected.is_empty() {
            lines.push((
                Look::Heading,
                tr!("cleanup-protected-heading", count = plan.protected.len()),
            ));
            for p in &plan.protected {
                lines.push((
                    Look::Protected,
                    tr!(
                        "cleanup-row-protected",
                        tag = esc(&p.tag),
                        digest = p.digest.short(),
                        because = esc(&p.because)
                    ),
                ));
            }
        }
        lines.push((
            Look::Heading,
            tr!("cleanup-keep-heading", count = plan.keep.len()),
        ));
        for k in &plan.keep {
            lines.push((
                Look::Kept,
                tr!(
                    "cleanup-row-kept",
                    tag = esc(&k.tag),
                    date = date(k.created),
                    reason = crate::i18n::describe_keep_reason(k.reason)
                ),
            ));
        }
        Self {
            lines,
            estimate: tr!(
                "retain-estimate",
                size = crate::format::size(plan.bytes_freed_estimate)
            ),
        }
    }

    /// The lines in a scrolling area at most `max_height` high; only those on screen are
    /// laid out. Its height is asked for outright: a centred modal offers only the room its
    /// last size left, so a preview that just arrived would otherwise grow frame by frame.
    pub fn show(&self, ui: &mut Ui, max_height: f32) {
        let step = ROW_HEIGHT + ui.spacing().item_spacing.y;
        #[allow(clippy::cast_precision_loss)]
        let height = (self.lines.len() as f32 * step).min(max_height);
        egui::ScrollArea::vertical()
            .id_salt("cleanup-preview")
            .max_height(max_height)
            .min_scrolled_height(height)
            .auto_shrink([false, true])
            .show_rows(ui, ROW_HEIGHT, self.lines.len(), |ui, range| {
                for (look, text) in &self.lines[range] {
                    let text = RichText::new(text.as_str());
                    let text = match look {
                        Look::Heading => text.strong(),
                        Look::Delete => text,
                        Look::Along => text.color(theme::tone(ui, Tone::Warn)),
                        Look::Protected => text.color(theme::tone(ui, Tone::Accent)),
                        Look::Kept => text.color(ui.visuals().weak_text_color()),
                    };
                    ui.allocate_ui_with_layout(
                        egui::vec2(ui.available_width(), ROW_HEIGHT),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| ui.add(egui::Label::new(text).truncate()),
                    );
                }
            });
    }
}
