//! Small parts every view builds on: widgets (list rows, error boxes, empty states),
//! `Requested` (a value a background task produces), the file picker and dates as ages.

pub mod dates;
pub mod file_pick;
pub mod requested;
pub mod widgets;
