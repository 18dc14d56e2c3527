//! The breadcrumb in the top bar: registry › repository › tag. It gets the room the top bar's
//! buttons leave (they are laid out first, from the right), and when the parts do not fit they
//! are elided with "…", the earlier parts first, each elided part with its whole text in a
//! tooltip. So the breadcrumb never slides under Back.

use crate::tr;
use crate::ui::app::BerthApp;
use egui::{RichText, Ui};

/// Narrowest an elided part gets (about four characters and the ellipsis).
const MIN_PART: f32 = 36.0;

impl BerthApp {
    /// Where the person is; earlier parts go back there when clicked. The parts are painted
    /// rather than added as labels: the same names are the accessible names of the sidebar
    /// and list rows, and the window title carries the path. Returns the part clicked.
    pub(in crate::ui) fn breadcrumb(&self, ui: &mut Ui) -> Option<usize> {
        // Names come from registries and stores: shown escaped and cut, never obeyed.
        let parts: Vec<String> = self
            .location()
            .iter()
            .map(|p| crate::format::display_name(p).into_owned())
            .collect();
        if parts.is_empty() {
            return None;
        }
        let last = parts.len() - 1;
        let font = egui::TextStyle::Body.resolve(ui.style());
        let sep = ui
            .painter()
            .layout_no_wrap("›".to_owned(), font.clone(), egui::Color32::WHITE)
            .size()
            .x
            + 2.0 * ui.spacing().item_spacing.x;
        let natural: Vec<f32> = parts
            .iter()
            .map(|p| {
                ui.painter()
                    .layout_no_wrap(p.clone(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
                    + 1.0
            })
            .collect();
        let room = ui.available_width() - sep * last as f32 - ui.spacing().item_spacing.x;
        let widths = fit_widths(&natural, room.max(0.0));
        let mut clicked = None;
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("›").color(ui.visuals().weak_text_color()));
            }
            let color = if i == last {
                ui.visuals().strong_text_color()
            } else {
                ui.visuals().text_color()
            };
            let elided = widths[i] + 0.5 < natural[i];
            let job = crate::ui::kit::widgets::line_job(
                ui,
                part,
                &egui::TextStyle::Body,
                color,
                widths[i],
            );
            let galley = ui.painter().layout_job(job);
            let sense = if i == last {
                egui::Sense::hover()
            } else {
                egui::Sense::click()
            };
            let (rect, response) = ui.allocate_exact_size(galley.size(), sense);
            if i < last {
                let label = tr!("nav-go-to", place = part.as_str());
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &label));
                if response.hovered() {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                    ui.painter().hline(
                        rect.x_range(),
                        rect.bottom(),
                        egui::Stroke::new(1.0, color),
                    );
                }
                if response.clicked() {
                    clicked = Some(i);
                }
            }
            ui.painter().galley(rect.min, galley, color);
            if elided {
                response.on_hover_text(part.as_str());
            }
        }
        clicked
    }
}

/// How wide each part is drawn so that together they fit `room`: as they are when they fit;
/// otherwise the earlier parts give way first (down to [`MIN_PART`]), the last part (where
/// the person is) last.
#[must_use]
pub fn fit_widths(natural: &[f32], room: f32) -> Vec<f32> {
    let mut widths = natural.to_vec();
    let mut over = natural.iter().sum::<f32>() - room;
    for w in &mut widths {
        if over <= 0.0 {
            break;
        }
        let give = (*w - MIN_PART).clamp(0.0, over);
        *w -= give;
        over -= give;
    }
    // Still too wide: the last part shrinks too (never below the ellipsis).
    if over > 0.0
        && let Some(w) = widths.last_mut()
    {
        *w = (*w - over).max(MIN_PART.min(*w));
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::{MIN_PART, fit_widths};

    #[test]
    fn parts_that_fit_keep_their_width() {
        assert_eq!(
            fit_widths(&[80.0, 120.0, 40.0], 400.0),
            vec![80.0, 120.0, 40.0]
        );
    }

    #[test]
    fn earlier_parts_give_way_before_the_last() {
        let w = fit_widths(&[200.0, 300.0, 100.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01, "{w:?}");
        assert!((w[0] - MIN_PART).abs() < 0.01, "{w:?}");
        assert!((w[2] - 100.0).abs() < 0.01, "{w:?}");
        let w = fit_widths(&[200.0, 300.0, 300.0], 200.0);
        assert!(w.iter().all(|x| *x >= MIN_PART - 0.01), "{w:?}");
        assert!(w.iter().sum::<f32>() <= 200.0 + 0.01, "{w:?}");
    }
}
