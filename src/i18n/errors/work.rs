//! Errors of the work built on the core's reads into sentences: jobs (pull, copy, save, load,
//! delete), resolving and comparing images (`inspect`), and the credential files. Registry and
//! store errors inside them keep their own wording.

use crate::tr;

/// A sentence for a job's error.
#[must_use]
pub fn describe_job(error: &crate::jobs::Error) -> String {
    use crate::jobs::Error;
    let path = |p: &std::path::Path| p.display().to_string();
    match error {
        Error::Registry(e) => super::registry::describe(e),
        Error::Shared(inner) => describe_job(inner),
        Error::Store(e) => super::store::describe(e),
        Error::Reference(e) => tr!("jobs-error-reference", reason = e.to_string()),
        Error::Credentials { registry, reason } => tr!(
            "jobs-error-credentials",
            registry = registry.as_str(),
            reason = reason.as_str()
        ),
        Error::Engine { engine, reason } => tr!(
            "jobs-error-engine",
            engine = engine.as_str(),
            reason = reason.as_str()
        ),
        Error::EngineMissingImage { engine, reference } => tr!(
            "jobs-error-engine-missing-image",
            engine = engine.as_str(),
            reference = reference.as_str()
        ),
        // The same words as a store's failed file operation: the reader cannot tell them apart.
        Error::Io {
            action,
            path: p,
            reason,
        } => tr!(
            "store-error-io",
            action = *action,
            path = path(p),
            reason = reason.as_str()
        ),
        Error::Archive { path: p, reason } => tr!(
            "jobs-error-archive",
            path = path(p),
            reason = reason.as_str()
        ),
        Error::ArchiveAmbiguous { path: p, count } => {
            tr!(
                "jobs-error-archive-ambiguous",
                path = path(p),
                count = *count
            )
        }
        Error::Unsupported {
            source_kind,
            target_kind,
        } => tr!(
            "jobs-error-unsupported",
            source_kind = *source_kind,
            target_kind = *target_kind
        ),
        Error::NeedsOnePlatform => tr!("jobs-error-needs-one-platform"),
        Error::Inspect(e) => describe_inspect(e),
        Error::Extract(e) => super::extract::describe(e),
        Error::Cancelled => tr!("error-cancelled"),
        Error::Panicked { reason } => tr!("jobs-error-panicked", reason = reason.as_str()),
    }
}

/// A sentence for an error in resolving or comparing images.
#[must_use]
pub fn describe_inspect(error: &crate::inspect::Error) -> String {
    use crate::inspect::Error;
    match error {
        Error::BadReference { reference } => {
            tr!("compare-bad-reference", reference = reference.as_str())
        }
        Error::NotConnected { registry } => {
            tr!("compare-not-connected", registry = registry.as_str())
        }
        Error::Registry(e) => super::registry::describe(e),
        Error::Store(e) => super::store::describe(e),
        Error::EngineImage { reference } => {
            tr!("compare-engine-image", reference = reference.as_str())
        }
        Error::NoImage { reference, .. } => {
            tr!("compare-no-image", reference = reference.as_str())
        }
        Error::Stopped => tr!("error-cancelled"),
    }
}

/// A sentence for a failure to read, save or remove stored credentials.
#[must_use]
pub fn describe_credentials(error: &crate::registry::credentials::CredentialError) -> String {
    use crate::registry::credentials::CredentialError;
    match error {
        CredentialError::Read { path, reason } => tr!(
            "credentials-error-read",
            path = path.display().to_string(),
            reason = reason.as_str()
        ),
        CredentialError::Write { path, reason } => tr!(
            "credentials-error-write",
            path = path.display().to_string(),
            reason = reason.as_str()
        ),
        CredentialError::Helper { helper, reason } => tr!(
            "credentials-error-helper",
            helper = helper.as_str(),
            reason = reason.as_str()
        ),
        CredentialError::NoStore => tr!("credentials-error-no-store"),
    }
}
