//! The tags of the open repository: the table, marking several tags, and the actions on a
//! tag (pull, delete with its confirmation).

pub mod actions;
pub mod delete;
pub mod marks;
pub mod summary;
pub mod table;
