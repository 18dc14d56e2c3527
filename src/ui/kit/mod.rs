//! Small parts every view builds on: widgets (list rows, error boxes, empty states),
//! `Requested` (a value a background task produces), the file picker, dates as ages and
//! status-bar notices worded at draw time.

pub mod dates;
pub mod file_pick;
pub mod notice;
pub mod requested;
pub mod widgets;
