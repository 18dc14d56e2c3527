//! The repositories panel: the filterable list, the tree it folds into by path, and the
//! pinned and recent shortcuts above it, and the "Open repository…" field below.

pub mod list;
mod open_field;
pub mod shortcuts;
pub mod tree;
