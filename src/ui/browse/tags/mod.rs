//! The tags of the open repository: the table, marking several tags, and the actions on a
//! tag (pull, delete with its confirmation, several marked tags at once, its pull commands
//! for other tools, Clean up… by retention rules); `rows` owns what is known about each tag's manifest and the requests
//! that find it out.

pub mod actions;
pub mod cleanup;
pub mod cleanup_preview;
pub mod columns;
pub mod delete;
pub mod delete_many;
pub mod marks;
pub mod platform_cells;
pub mod pull_menu;
pub mod rows;
pub mod sort;
pub mod summary;
pub mod table;
mod untag_method;
