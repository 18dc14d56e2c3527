//! The OCI Distribution API client, built on reqwest: ping and challenges, tokens per scope
//! set, catalog and tag paging, verified manifests and blobs.

pub mod auth;
mod body;
pub mod client;
pub mod credentials;
mod delete;
pub mod error;
mod http_client;
pub mod limits;
mod link;
mod platforms;
mod range;
mod referrers;
pub mod retain;
pub mod retry;
mod subjects;
pub mod tag_facts;
pub mod tag_lookup;
pub mod transport;
mod untag;
pub mod upload;

pub use auth::{Credentials, Secret};
pub use client::{ManifestHead, RegistryClient};
pub use delete::{DeletePlan, PlannedTag};
pub use error::{Error, OciErrorCode, PlanChange};
pub use limits::TransportLimits;
pub use referrers::{LookedBy, ReferrersLookup};
pub use retry::{Attempts, RetryPolicy};
pub use subjects::{FoundReferrer, MAX_SEARCHED_MANIFESTS, SubjectCache, SubjectSearch};
pub use tag_lookup::{Answer, Progress, TagLookup};
pub use transport::ClientConfig;
pub use untag::{SiblingChange, UntagMethod, UntagPlan, Untagged};
