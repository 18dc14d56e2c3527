//! The repositories panel: the filterable list, the tree it folds into by path, and the
//! pinned and recent shortcuts above it.

pub mod list;
pub mod shortcuts;
pub mod tree;
