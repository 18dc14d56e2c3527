//! Berth: a native desktop app and a CLI for container images.
//!
//! The core (`oci`, `registry`, `settings`) knows nothing of egui; `ui` is the only module
//! that draws, and it talks to the core through commands and events.

pub mod atomic_file;
pub mod cli;
pub mod format;
pub mod i18n;
pub mod inspect;
pub mod jobs;
pub mod layers;
pub mod local_file;
pub mod natural_sort;
pub mod oci;
pub mod registry;
pub mod settings;
pub mod store;
pub mod trust;
pub mod ui;
