//! The Size and Created cells of a tags-table row. A single image shows its own values; a
//! multi-platform tag shows the host platform's (or, without one, the total of its
//! platforms for the size), marked with the platform it describes, and lists every
//! platform's size in the tooltip. While the table is sorted by date or size, a
//! multi-platform tag shows what the sort uses instead (issue 23): the newest date of its
//! platforms and the sum of their sizes, as its tooltip says.

use super::rows::Cell;
use super::summary::Summary;
use crate::registry::tag_facts::TagFacts;
use crate::tr;
use crate::ui::kit::dates;
use egui::{Color32, RichText, Ui};

/// The Size cell; `sorted` is what a sort by date or size knows of the tag.
pub fn size(ui: &mut Ui, detail: Option<&Cell<Summary>>, sorted: Option<TagFacts>, weak: Color32) {
    let Some(Cell::Known(summary)) = detail else {
        ui.label(RichText::new("—").color(weak));
        return;
    };
    let sorted = sorted.filter(|_| !summary.platforms.is_empty());
    if let Some(facts) = sorted {
        // The sum the sort uses, marked as a total.
        let Some(bytes) = facts.size else {
            ui.label(RichText::new("—").color(weak));
            return;
        };
        ui.label(format!("Σ {}", crate::format::size(bytes)))
            .on_hover_ui(|ui| platforms_tooltip(ui, summary, bytes, true));
        return;
    }
    let Some(bytes) = summary.size else {
        ui.label(RichText::new("—").color(weak));
        return;
    };
    let text = crate::format::size(bytes);
    if summary.platforms.is_empty() {
        crate::ui::kit::widgets::size_label(ui, bytes);
        return;
    }
    // "Σ" marks a total over the platforms; a host value reads as a plain size.
    let shown = if summary.shown.is_some() {
        text
    } else {
        format!("Σ {text}")
    };
    ui.label(shown)
        .on_hover_ui(|ui| platforms_tooltip(ui, summary, bytes, false));
}

/// The Created cell; `sorted` is what a sort by date or size knows of the tag.
pub fn created(
    ui: &mut Ui,
    detail: Option<&Cell<Summary>>,
    sorted: Option<TagFacts>,
    weak: Color32,
) {
    let Some(Cell::Known(summary)) = detail else {
        ui.label(RichText::new("—").color(weak));
        return;
    };
    if let Some(facts) = sorted.filter(|_| !summary.platforms.is_empty()) {
        // The newest date the sort uses.
        let Some(secs) = facts.created else {
            ui.label(RichText::new("—").color(weak));
            return;
        };
        let (age, exact) = dates::describe(&crate::format::rfc3339(secs));
        ui.label(age).on_hover_text(tr!(
            "tags-created-newest",
            date = exact,
            count = summary.platforms.len()
        ));
        return;
    }
    let Some(created) = &summary.created else {
        ui.label(RichText::new("—").color(weak));
        return;
    };
    let (age, exact) = dates::describe(created);
    let described = summary
        .shown
        .as_ref()
        .or_else(|| summary.platforms.first().map(|p| &p.platform));
    match described {
        Some(platform) => ui.label(age).on_hover_text(tr!(
            "tags-created-platform",
            date = exact,
            platform = platform.to_string()
        )),
        None => ui.label(age).on_hover_text(exact),
    };
}

/// What the size of a multi-platform tag is, and every platform's size.
fn platforms_tooltip(ui: &mut Ui, summary: &Summary, bytes: u64, sum: bool) {
    let shown = summary.shown.as_ref().filter(|_| !sum);
    let head = shown.map_or_else(
        || tr!("tags-size-total", count = summary.platforms.len()),
        |p| tr!("tags-size-host", platform = p.to_string()),
    );
    ui.label(head);
    ui.label(
        RichText::new(tr!("size-exact", bytes = bytes))
            .small()
            .color(ui.visuals().weak_text_color()),
    );
    ui.separator();
    egui::Grid::new("tag-platform-sizes")
        .num_columns(2)
        .spacing([16.0, 2.0])
        .show(ui, |ui| {
            for p in &summary.platforms {
                let name = p.platform.to_string();
                if shown == Some(&p.platform) {
                    ui.label(RichText::new(name).strong());
                } else {
                    ui.label(name);
                }
                ui.label(p.size.map_or_else(|| "—".to_owned(), crate::format::size));
                ui.end_row();
            }
        });
}
