//! Small parts every view builds on: widgets (list rows, error boxes, empty states),
//! `Requested` (a value a background task produces), the file picker, dates as ages,
//! status-bar notices worded at draw time and the text cursor's blink that stops when the
//! window is idle.

pub mod cursor_blink;
pub mod dates;
pub mod file_pick;
pub mod notice;
pub mod requested;
pub mod row_filter;
pub mod widgets;
