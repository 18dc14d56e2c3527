//! The file viewer's text view (issue 21): the bytes as UTF-8 (invalid sequences shown as
//! `�`), monospace, with line numbers, an optional wrap, and a search box that marks every
//! match and jumps between them. Lines are indexed once on the reading thread
//! ([`TextDoc::new`]); a frame lays out only the lines in view (with a monospace font a
//! line's wrapped height is known from its length, so wrapping needs no layout of the rest).

use crate::tr;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Rect, RichText, Sense, Ui, vec2};

const FONT_SIZE: f32 = 13.0;

/// Text split into lines, ready to draw.
pub struct TextDoc {
    text: String,
    /// Where each line starts in `text`.
    starts: Vec<usize>,
    /// Characters on each line (without its line break).
    chars: Vec<u32>,
    max_chars: u32,
}

impl TextDoc {
    #[must_use]
    pub fn new(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let mut starts = vec![0];
        let mut chars = Vec::new();
        let mut count = 0u32;
        for (i, c) in text.char_indices() {
            if c == '\n' {
                chars.push(count);
                starts.push(i + 1);
                count = 0;
            } else if c != '\r' {
                count += 1;
            }
        }
        // A final line break ends the last line; it does not start another.
        if count > 0 || starts.len() == 1 || !text.ends_with('\n') {
            chars.push(count);
        } else {
            starts.pop();
        }
        let max_chars = chars.iter().copied().max().unwrap_or(0);
        Self {
            text,
            starts,
            chars,
            max_chars,
        }
    }

    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    fn line_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(self.text.len(), |n| *n);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        start..start + line.len()
    }

    /// The line holding byte `at` of the text.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|s| *s <= at).saturating_sub(1)
    }
}

/// Visual rows before each line, for (document, characters per row).
type RowsCache = ((usize, Option<u32>), Vec<u32>);

/// Whole rows (or characters) of `unit` in `length`, at least `min`.
#[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)] // Clamped, and small.
fn whole(length: f32, unit: f32, min: f32) -> u32 {
    (length / unit).floor().max(min) as u32
}

/// What the person set in the text view; kept while another file is opened.
#[derive(Default)]
pub struct TextState {
    pub wrap: bool,
    pub search: String,
    /// The search and the document its matches were found in.
    searched: Option<(String, usize)>,
    /// Byte offsets of the matches in the text.
    matches: Vec<usize>,
    current: usize,
    jump: Option<usize>,
    /// Visual rows before each line, for (document, characters per row).
    rows: Option<RowsCache>,
}

impl TextState {
    fn find(&mut self, doc: &TextDoc, doc_id: usize) {
        let key = (self.search.clone(), doc_id);
        if self.searched.as_ref() == Some(&key) {
            return;
        }
        self.searched = Some(key);
        self.matches.clear();
        self.current = 0;
        let needle = self.search.to_ascii_lowercase();
        if needle.is_empty() {
            return;
        }
        let hay = doc.text.to_ascii_lowercase();
        self.matches = hay.match_indices(&needle).map(|(i, _)| i).collect();
        self.jump = self.matches.first().copied();
    }

    fn step(&mut self, forward: bool) {
        let n = self.matches.len();
        if n == 0 {
            return;
        }
        self.current = if forward {
            (self.current + 1) % n
        } else {
            (self.current + n - 1) % n
        };
        self.jump = Some(self.matches[self.current]);
    }
}

/// The wrap toggle and the search row.
fn controls(ui: &mut Ui, doc: &TextDoc, doc_id: usize, state: &mut TextState) {
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut state.wrap, tr!("viewer-wrap"));
        ui.separator();
        let label = ui.label(tr!("viewer-find"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut state.search)
                    .hint_text(tr!("viewer-find-hint"))
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
        state.find(doc, doc_id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter {
            state.step(true);
            field.request_focus();
        }
        if !state.search.is_empty() {
            let any = !state.matches.is_empty();
            if ui
                .add_enabled(any, egui::Button::new("▲").small())
                .on_hover_text(tr!("viewer-find-previous"))
                .clicked()
            {
                state.step(false);
            }
            if ui
                .add_enabled(any, egui::Button::new("▼").small())
                .on_hover_text(tr!("viewer-find-next"))
                .clicked()
            {
                state.step(true);
            }
            let text = if any {
                tr!(
                    "viewer-find-count",
                    n = state.current + 1,
                    count = state.matches.len()
                )
            } else {
                tr!("viewer-find-none")
            };
            ui.label(RichText::new(text).small().weak());
        }
    });
}

/// Draws `doc` filling the space left; `doc_id` tells documents apart (for the caches).
pub fn show(ui: &mut Ui, doc: &TextDoc, doc_id: usize, state: &mut TextState) {
    controls(ui, doc, doc_id, state);
    let font = FontId::monospace(FONT_SIZE);
    let digits = doc.lines().to_string().len();
    let (char_w, row_h) = {
        let g = ui
            .painter()
            .layout_no_wrap("0".repeat(10), font.clone(), Color32::WHITE);
        (g.size().x / 10.0, g.size().y)
    };
    let gutter = char_w * digits as f32 + 12.0;
    let avail = ui.available_width();
    let per_row = state.wrap.then(|| {
        // Whole characters that fit beside the numbers (and the scroll bar).
        whole(avail - gutter - 20.0, char_w, 8.0)
    });
    let key = (doc_id, per_row);
    if state.rows.as_ref().is_none_or(|(k, _)| *k != key) {
        let mut before = Vec::with_capacity(doc.lines() + 1);
        let mut total = 0u32;
        for &c in &doc.chars {
            before.push(total);
            total += per_row.map_or(1, |w| c.div_ceil(w).max(1));
        }
        before.push(total);
        state.rows = Some((key, before));
    }
    let Some((_, before)) = &state.rows else {
        return;
    };
    let total = before.last().copied().unwrap_or(0);
    let mut area = egui::ScrollArea::both()
        .id_salt("viewer-text")
        .auto_shrink([false, false]);
    if let Some(at) = state.jump.take() {
        let line = doc.line_of(at);
        let y = (before[line] as f32 - 3.0).max(0.0) * row_h;
        area = area.vertical_scroll_offset(y);
    }
    let width = match per_row {
        Some(_) => avail - 16.0,
        None => gutter + doc.max_chars as f32 * char_w + 16.0,
    };
    let current = state.matches.get(state.current).copied();
    let matches = &state.matches;
    let needle_len = state.search.len();
    area.show_viewport(ui, |ui, viewport| {
        ui.set_width(width);
        ui.set_height(total as f32 * row_h);
        let origin = ui.max_rect().min;
        let first_row = whole(viewport.min.y, row_h, 0.0);
        let mut line = before
            .partition_point(|b| *b <= first_row)
            .saturating_sub(1);
        let weak = ui.visuals().weak_text_color();
        while line < doc.lines() && before[line] as f32 * row_h < viewport.max.y {
            let top = origin.y + before[line] as f32 * row_h;
            let rows = (before[line + 1] - before[line]) as f32;
            ui.painter().text(
                egui::pos2(origin.x + gutter - 8.0, top),
                egui::Align2::RIGHT_TOP,
                (line + 1).to_string(),
                font.clone(),
                weak,
            );
            let rect = Rect::from_min_size(
                egui::pos2(origin.x + gutter, top),
                vec2(width - gutter, rows * row_h),
            );
            let marks = Marks {
                matches,
                len: needle_len,
                current,
            };
            paint_line(
                ui,
                doc,
                line,
                rect,
                &font,
                per_row.map(|w| w as f32 * char_w),
                &marks,
            );
            line += 1;
        }
    });
}

/// The search's matches, to mark on a line.
struct Marks<'a> {
    matches: &'a [usize],
    len: usize,
    current: Option<usize>,
}

/// Line `line` of `doc` in `rect`, matches marked, wrapped at `wrap` points if set; a text
/// node for screen readers (and the tests).
fn paint_line(
    ui: &Ui,
    doc: &TextDoc,
    line: usize,
    rect: Rect,
    font: &FontId,
    wrap: Option<f32>,
    marks: &Marks<'_>,
) {
    let text_color = ui.visuals().text_color();
    let mark = ui.visuals().selection.bg_fill.gamma_multiply(0.5);
    let mark_current = ui.visuals().selection.bg_fill;
    let range = doc.line_range(line);
    let body = &doc.text[range.clone()];
    let mut job = LayoutJob::default();
    let plain = TextFormat::simple(font.clone(), text_color);
    let mut at = range.start;
    let from = marks
        .matches
        .partition_point(|m| *m + marks.len <= range.start);
    for &m in marks.matches[from..].iter().take_while(|m| **m < range.end) {
        let (s, e) = (m.max(at), (m + marks.len).min(range.end));
        if s >= e {
            continue;
        }
        job.append(&doc.text[at..s], 0.0, plain.clone());
        let mut marked = plain.clone();
        marked.background = if Some(m) == marks.current {
            mark_current
        } else {
            mark
        };
        job.append(&doc.text[s..e], 0.0, marked);
        at = e;
    }
    job.append(&doc.text[at..range.end], 0.0, plain);
    if let Some(w) = wrap {
        job.wrap.max_width = w + 1.0;
        job.wrap.break_anywhere = true;
    }
    let galley = ui.painter().layout_job(job);
    ui.painter().galley(rect.min, galley, text_color);
    let response = ui.interact(
        rect,
        ui.scope_id().with(("viewer-line", line)),
        Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, body));
}

#[cfg(test)]
mod tests {
    use super::TextDoc;

    #[test]
    fn lines_are_split_without_their_breaks() {
        assert_eq!(TextDoc::new(b"a\nb\n").lines(), 2);
        assert_eq!(TextDoc::new(b"").lines(), 1);
        let doc = TextDoc::new(b"one\r\ntwo\n\nthree \xff");
        assert_eq!(doc.lines(), 4);
        let lines: Vec<&str> = (0..4).map(|i| &doc.text[doc.line_range(i)]).collect();
        assert_eq!(lines, ["one", "two", "", "three \u{fffd}"]);
        assert_eq!(doc.max_chars, 7);
        assert_eq!(doc.line_of(5), 1);
    }
}
