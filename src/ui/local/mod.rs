//! Local stores (Berth's own layout, layout directories, Docker and Podman): their sidebar
//! rows, the image list of the open store, and the delete and import dialogs.

pub mod browser;
pub mod delete;
pub mod images;
pub mod import;
pub mod stores;
