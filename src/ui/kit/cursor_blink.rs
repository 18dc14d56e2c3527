//! The text cursor blinks for a few seconds after the last input, then stays on without
//! blinking, as many editors do (issue 19, item 7). egui's blink asks for a frame at every
//! turn of the cursor, so a focused field kept an idle window drawing two frames a second
//! (4-5% CPU); once the blink stops, a focused field asks for nothing until the next input.

/// How long the cursor blinks after the last key, click or pointer move (egui's clock).
pub const BLINK_FOR: f64 = 5.0;

/// When input last arrived, read each frame from egui's input.
#[derive(Debug, Default)]
pub struct CursorBlink {
    last_input: f64,
}

impl CursorBlink {
    /// Call at the start of each frame, before any text field is drawn: turns the blink on
    /// for `ui` and every later window while input is recent, off once it is not. Setting it
    /// in the context's styles as well reaches windows and popups, which start from those.
    pub fn apply(&mut self, ui: &mut egui::Ui) {
        let (now, input) = ui.input(|i| {
            let input = !i.events.is_empty() || i.pointer.is_moving() || i.any_touches();
            (i.time, input)
        });
        if input {
            self.last_input = now;
        }
        let blink = now - self.last_input < BLINK_FOR;
        ui.visuals_mut().text_cursor.blink = blink;
        let ctx = ui.ctx();
        if ctx.global_style().visuals.text_cursor.blink != blink {
            ctx.all_styles_mut(|style| style.visuals.text_cursor.blink = blink);
        }
    }
}
