//! The OCI Distribution API client, built on reqwest: ping and challenges, tokens per scope
//! set, catalog and tag paging, verified manifests and blobs.

pub mod auth;
pub mod client;
pub mod credentials;
mod delete;
pub mod error;
mod link;
mod referrers;
pub mod retry;
pub mod transport;
pub mod upload;

pub use auth::{Credentials, Secret};
pub use client::{ManifestHead, RegistryClient};
pub use delete::{DeletePlan, PlannedTag};
pub use error::{Error, OciErrorCode, PlanChange};
pub use retry::{Attempts, RetryPolicy};
pub use transport::ClientConfig;
