//! The one integration-test binary (every test binary links the whole crate, so there is only
//! one). Each area of Berth has its own module file here; they share `tests/support`.

#[path = "../support/mod.rs"]
mod support;

mod cli_output;
mod credentials;
mod file_view;
mod harness;
mod harness_proxy;
mod hostile;
mod hostile_content;
mod hostile_transport;
mod house;
mod inspect;
mod jobs_archive;
mod jobs_cli;
mod jobs_copy;
mod jobs_delete;
mod jobs_engine;
mod jobs_pull;
mod jobs_retry;
mod jobs_support;
mod layers;
mod referrers_search;
mod registry_read;
mod registry_write;
mod store_engine;
mod store_layout;
mod tag_lookup;
mod tls;
mod transport;
mod transport_soak;
mod ui_blink;
mod ui_browse;
mod ui_cancel;
mod ui_common;
mod ui_dialog;
mod ui_errors;
mod ui_escape;
mod ui_files;
mod ui_filter;
mod ui_first_use;
mod ui_fonts;
mod ui_jobs;
mod ui_layout;
mod ui_local;
mod ui_login;
mod ui_nav;
mod ui_referrers;
mod ui_snapshot;
mod ui_snapshot_views;
mod ui_steady;
mod ui_tag_jobs;
mod ui_tag_lookup;
mod ui_tags;
