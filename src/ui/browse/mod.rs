//! Browsing a registry: the registry dialog (add, edit, remove), the login form, its
//! repositories (`repos/`) and the tags of the open repository with what can be done to them
//! (`tags/`).

pub mod login;
pub mod registry_dialog;
pub mod repos;
pub mod tags;
