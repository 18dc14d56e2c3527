//! Small pieces every view uses: clickable list rows that expose one clean accessible name,
//! highlighted filter matches, copy buttons, sizes with exact bytes on hover, empty states,
//! and errors shown in place with their next step.

use crate::registry::Error;
use crate::tr;
use crate::ui::shell::theme::{self, Tone};
use egui::text::LayoutJob;
use egui::{
    Align, Color32, FontId, Rect, Response, RichText, Sense, TextFormat, TextStyle, Ui, Vec2,
    WidgetInfo,
};

/// A full-width clickable row whose accessible name is exactly `label` (the repository, tag
/// or registry name), drawn by `paint` without adding widgets of its own, so that tests and
/// screen readers find one node per row.
pub fn list_row(
    ui: &mut Ui,
    selected: bool,
    height: f32,
    label: &str,
    paint: impl FnOnce(&Ui, Rect),
) -> Response {
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(ui.available_width(), height), Sense::click());
    response.widget_info(|| WidgetInfo::selected(egui::Role::Button, true, selected, label));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let fill = if selected {
            Some(visuals.selection.bg_fill)
        } else if response.hovered() {
            Some(visuals.widgets.hovered.weak_bg_fill)
        } else {
            None
        };
        if let Some(fill) = fill {
            ui.painter().rect_filled(rect, 4.0, fill);
        }
        paint(ui, rect);
    }
    response
}

/// Text colour on a row: the selection's text colour when selected.
#[must_use]
pub fn row_text_color(ui: &Ui, selected: bool) -> Color32 {
    if selected {
        ui.visuals().selection.stroke.color
    } else {
        ui.visuals().text_color()
    }
}

/// Case-insensitive substring match: the byte ranges of `text` that match `needle`.
#[must_use]
pub fn find_matches(text: &str, needle: &str) -> Option<Vec<std::ops::Range<usize>>> {
    if needle.is_empty() {
        return Some(Vec::new());
    }
    let lower = text.to_lowercase();
    let needle = needle.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; then match without highlights.
    if lower.len() != text.len() {
        return lower.contains(&needle).then(Vec::new);
    }
    let ranges: Vec<_> = lower
        .match_indices(&needle)
        .map(|(i, m)| i..i + m.len())
        .collect();
    (!ranges.is_empty()).then_some(ranges)
}

/// `text` as one line with the `matches` ranges marked.
#[must_use]
pub fn highlighted(
    ui: &Ui,
    text: &str,
    matches: &[std::ops::Range<usize>],
    color: Color32,
    font: FontId,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let plain = TextFormat::simple(font.clone(), color);
    let marked = TextFormat {
        background: theme::match_bg(ui),
        ..TextFormat::simple(font, color)
    };
    let mut at = 0;
    for m in matches {
        if m.start > at {
            job.append(&text[at..m.start], 0.0, plain.clone());
        }
        job.append(&text[m.clone()], 0.0, marked.clone());
        at = m.end;
    }
    if at < text.len() {
        job.append(&text[at..], 0.0, plain);
    }
    job.wrap.max_rows = 1;
    job.wrap.break_anywhere = true;
    job
}

/// A small "Copy" button that puts `value` on the clipboard.
/// A one-line filter field: takes the focus once when `focus` is set (and clears it), and
/// Esc while it is focused empties it.
pub fn filter_field(
    ui: &mut Ui,
    text: &mut String,
    hint: &str,
    width: f32,
    id: egui::Id,
    focus: &mut bool,
) -> Response {
    let field = ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width)
            .id(id),
    );
    if *focus {
        field.request_focus();
        *focus = false;
    }
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    if (field.has_focus() || field.lost_focus()) && escape {
        text.clear();
    }
    field
}

pub fn copy_button(ui: &mut Ui, value: &str) -> Response {
    let response = ui
        .add(egui::Button::new(RichText::new(tr!("action-copy")).small()).small())
        .on_hover_text(tr!("action-copy-tooltip", value = value));
    if response.clicked() {
        ui.ctx().copy_text(value.to_owned());
    }
    response
}

/// A size in decimal units, with the exact byte count on hover.
pub fn size_label(ui: &mut Ui, bytes: u64) -> Response {
    ui.label(crate::format::size(bytes))
        .on_hover_text(tr!("size-exact", bytes = bytes))
}

/// A small coloured dot, vertically centred on the text line.
pub fn dot(ui: &Ui, center: egui::Pos2, tone: Tone) {
    ui.painter()
        .circle_filled(center, 4.0, theme::tone(ui, tone));
}

/// A centred message for an empty or not-yet-loaded area.
pub fn empty_state(ui: &mut Ui, title: &str, body: &str) {
    ui.add_space(ui.available_height() * 0.25);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(title).size(15.0).strong());
        ui.add_space(4.0);
        ui.label(RichText::new(body).color(ui.visuals().weak_text_color()));
    });
}

/// A spinner with a short text beside it.
pub fn busy(ui: &mut Ui, text: &str) {
    ui.horizontal(|ui| {
        ui.add(egui::Spinner::new().size(14.0));
        ui.label(RichText::new(text).color(ui.visuals().weak_text_color()));
    });
}

/// What a person can do about an error, offered as a button beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorAction {
    Retry,
    LogIn,
    EditRegistry,
    /// An engine image's files: copy it into Berth's store, where they can be read.
    CopyToBerth,
}

/// The next steps that fit an error.
#[must_use]
pub fn next_steps(error: &Error) -> &'static [ErrorAction] {
    match error {
        Error::Unauthorized { .. } | Error::Denied { .. } => {
            &[ErrorAction::LogIn, ErrorAction::Retry]
        }
        Error::Tls { .. } | Error::UntrustedCertificate { .. } | Error::PlainHttpAnswer { .. } => {
            &[ErrorAction::EditRegistry, ErrorAction::Retry]
        }
        Error::NotFound { .. }
        | Error::DeleteDisabled { .. }
        | Error::CatalogUnsupported { .. }
        | Error::InvalidReference(_)
        | Error::PlatformNotFound { .. }
        | Error::Cancelled => &[],
        _ => &[ErrorAction::Retry],
    }
}

/// An error shown where it happened: the sentence, a hint when there is one, and buttons
/// for the next steps. Returns the step that was clicked.
/// A network library's chain of causes is folded under "Details".
pub fn error_box(ui: &mut Ui, error: &Error) -> Option<ErrorAction> {
    let (sentence, details) = crate::i18n::describe_error_brief(error);
    error_frame(
        ui,
        &sentence,
        hint(error),
        details.as_deref(),
        next_steps(error),
    )
}

/// An error in the same frame, without next-step buttons (a dialog that has its own).
pub fn error_note(ui: &mut Ui, error: &Error) {
    let (sentence, details) = crate::i18n::describe_error_brief(error);
    error_frame(ui, &sentence, hint(error), details.as_deref(), &[]);
}

/// A local store's error in the same frame as a registry's, with Retry.
pub fn store_error_box(ui: &mut Ui, error: &crate::store::Error) -> Option<ErrorAction> {
    error_frame(
        ui,
        &crate::i18n::describe(error),
        None,
        None,
        &[ErrorAction::Retry],
    )
}

fn error_frame(
    ui: &mut Ui,
    sentence: &str,
    hint: Option<String>,
    details: Option<&str>,
    steps: &[ErrorAction],
) -> Option<ErrorAction> {
    let mut clicked = None;
    // Errors quote names from outside (a tag, a server's message): spelt out, never obeyed.
    let sentence = crate::format::escape_lines(sentence);
    let sentence = sentence.as_ref();
    let details = details.map(crate::format::escape_lines);
    let details = details.as_deref();
    let stroke = egui::Stroke::new(1.0, theme::tone(ui, Tone::Error).gamma_multiply(0.6));
    egui::Frame::new()
        .stroke(stroke)
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("⚠").color(theme::tone(ui, Tone::Error)));
                ui.label(sentence);
            });
            if let Some(hint) = hint {
                ui.label(
                    RichText::new(hint)
                        .small()
                        .color(ui.visuals().weak_text_color()),
                );
            }
            if let Some(details) = details {
                egui::CollapsingHeader::new(tr!("error-details"))
                    .id_salt(("error-details", sentence))
                    .default_open(false)
                    .show(ui, |ui| {
                        ui.label(
                            RichText::new(details)
                                .small()
                                .color(ui.visuals().weak_text_color()),
                        );
                    });
            }
            if !steps.is_empty() {
                ui.add_space(4.0);
                ui.horizontal(|ui| {
                    for step in steps {
                        let text = match step {
                            ErrorAction::Retry => tr!("action-retry"),
                            ErrorAction::LogIn => tr!("action-log-in"),
                            ErrorAction::EditRegistry => tr!("action-edit-registry"),
                            ErrorAction::CopyToBerth => tr!("local-files-engine-copy"),
                        };
                        if ui.button(text).clicked() {
                            clicked = Some(*step);
                        }
                    }
                });
            }
        });
    clicked
}

/// A second line that says what to do, for errors whose sentence alone does not.
pub(in crate::ui) fn hint(error: &Error) -> Option<String> {
    match error {
        Error::RateLimited { remaining, .. } => Some(match remaining {
            // Docker Hub sends `0;w=21600`: the count, then the window in seconds.
            Some(r) => tr!(
                "hint-rate-limited-remaining",
                remaining = r.split(';').next().unwrap_or(r).trim()
            ),
            None => tr!("hint-rate-limited"),
        }),
        Error::DeleteDisabled { .. } => Some(tr!("hint-delete-disabled")),
        Error::Tls { .. } | Error::UntrustedCertificate { .. } => Some(tr!("hint-tls")),
        Error::Unreachable { .. } => Some(tr!("hint-unreachable")),
        Error::PlainHttpAnswer { .. } => Some(tr!("hint-plain-http-answer")),
        _ => None,
    }
}

/// A button for an action that destroys something (Delete): white on the error tone, so it
/// never looks like the Cancel beside it.
pub fn destructive_button(ui: &Ui, text: &str) -> egui::Button<'static> {
    egui::Button::new(
        RichText::new(text.to_owned())
            .strong()
            .color(Color32::WHITE),
    )
    .fill(theme::tone(ui, Tone::Error))
}

/// A dialog's button row under an id of its own (`name`, unique among open dialogs): its
/// buttons keep their ids when the text above them changes (a plan that arrives adds lines),
/// so a click or an accessibility action sent in that frame still reaches its button.
pub fn button_row<R>(ui: &mut Ui, name: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    let id = egui::Id::unique(("dialog-button-row", name));
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), |ui| {
        ui.horizontal(add).inner
    })
    .inner
}

/// A dialog's last row: `confirm` (enabled only when `ready`), then `cancel`. `Some(true)`
/// when confirmed, `Some(false)` when cancelled.
pub fn confirm_row(ui: &mut Ui, ready: bool, confirm: &str, cancel: &str) -> Option<bool> {
    ui.add_space(10.0);
    button_row(ui, confirm, |ui| {
        if ui.add_enabled(ready, egui::Button::new(confirm)).clicked() {
            return Some(true);
        }
        ui.button(cancel).clicked().then_some(false)
    })
}

/// A section title inside a view.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong().size(14.5));
    ui.add_space(2.0);
}

/// Paints one line of text left-aligned in `rect` (rows draw their text this way).
pub fn paint_line(ui: &Ui, rect: Rect, job: LayoutJob) -> Rect {
    let galley = ui.painter().layout_job(job);
    let pos = egui::pos2(rect.left(), rect.center().y - galley.size().y / 2.0);
    let r = Rect::from_min_size(pos, galley.size());
    ui.painter().galley(pos, galley, ui.visuals().text_color());
    r
}

/// A one-line job in a text style and colour, cut to `width` with an ellipsis.
#[must_use]
pub fn line_job(ui: &Ui, text: &str, style: &TextStyle, color: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::simple_singleline(text.to_owned(), style.resolve(ui.style()), color);
    job.wrap.max_width = width;
    job.wrap.max_rows = 1;
    job.wrap.break_anywhere = true;
    job.halign = Align::LEFT;
    job
}

/// The inside of a sidebar source row: a state dot, the name with the state on its right,
/// and a smaller second line (address, store path). `(text, colour)` pairs. When the name and
/// the state do not both fit on the first line (a store's "12 images, 1.2 GB" beside "Local
/// (Berth)" in a narrow sidebar), the name keeps the first line and the state opens the second,
/// so that neither is cut off.
pub fn source_row_body(
    ui: &Ui,
    rect: Rect,
    tone: Tone,
    name: (&str, Color32),
    state: (&str, Color32),
    second: (&str, Color32),
) {
    let inner = rect.shrink2(egui::vec2(10.0, 5.0));
    dot(ui, egui::pos2(inner.left() + 4.0, inner.top() + 8.0), tone);
    let text_left = inner.left() + 16.0;
    let width = inner.right() - text_left;
    let natural = |text: &str, style: &TextStyle| {
        let job = line_job(ui, text, style, Color32::WHITE, f32::INFINITY);
        ui.painter().layout_job(job).size().x
    };
    let beside = state_beside_name(
        width,
        natural(name.0, &TextStyle::Body),
        natural(state.0, &TextStyle::Small),
    );
    let mut name_right = inner.right();
    if beside {
        let state_job = line_job(ui, state.0, &TextStyle::Small, state.1, width);
        let state_galley = ui.painter().layout_job(state_job);
        let state_width = state_galley.size().x;
        ui.painter().galley(
            egui::pos2(
                inner.right() - state_width,
                inner.top() + 8.0 - state_galley.size().y / 2.0,
            ),
            state_galley,
            second.1,
        );
        name_right = inner.right() - state_width - 6.0;
    }
    let top = Rect::from_min_max(
        egui::pos2(text_left, inner.top()),
        egui::pos2(name_right, inner.top() + 16.0),
    );
    paint_line(
        ui,
        top,
        line_job(ui, name.0, &TextStyle::Body, name.1, top.width()),
    );
    let bottom = Rect::from_min_max(
        egui::pos2(text_left, inner.bottom() - 14.0),
        egui::pos2(inner.right(), inner.bottom()),
    );
    let second_text = if beside || state.0.is_empty() {
        second.0.to_owned()
    } else {
        format!("{} · {}", state.0, second.0)
    };
    paint_line(
        ui,
        bottom,
        line_job(ui, &second_text, &TextStyle::Small, second.1, width),
    );
}

/// Whether a row's state fits on the first line beside its whole name (`width` for both,
/// with a gap); otherwise it moves to the second line.
#[must_use]
pub fn state_beside_name(width: f32, name: f32, state: f32) -> bool {
    state == 0.0 || name + 6.0 + state <= width
}

#[cfg(test)]
mod tests {
    use super::state_beside_name;

    #[test]
    fn the_state_moves_down_rather_than_cut_the_name() {
        assert!(state_beside_name(174.0, 60.0, 70.0));
        assert!(
            !state_beside_name(174.0, 85.0, 105.0),
            "Local (Berth), 12 images, 1.2 GB"
        );
        assert!(
            state_beside_name(174.0, 300.0, 0.0),
            "no state: the name elides alone"
        );
    }
}
