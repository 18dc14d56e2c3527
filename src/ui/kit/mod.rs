//! Small parts every view builds on: widgets (list rows, error boxes, empty states),
//! `Requested` (a value a background task produces), the file picker, dates as ages, and
//! local store errors as sentences.

pub mod dates;
pub mod file_pick;
pub mod requested;
pub mod store_errors;
pub mod widgets;
