//! Local store errors into sentences through the message catalog. Paths, digests and engine
//! replies stay as they are: they are what the reader looks for.

use crate::store::Error;
use crate::tr;

/// A localized sentence for a local store error.
#[must_use]
pub fn describe(error: &Error) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match error {
        Error::NotFound { store, reference } => tr!(
            "store-error-not-found",
            store = store.as_str(),
            reference = reference.as_str()
        ),
        Error::Ambiguous {
            store,
            reference,
            candidates,
        } => tr!(
            "store-error-ambiguous",
            store = store.as_str(),
            reference = reference.as_str(),
            candidates = candidates.join(", ")
        ),
        Error::InvalidReference {
            reference, reason, ..
        } => tr!(
            "store-error-invalid-reference",
            reference = reference.as_str(),
            reason = reason.as_str()
        ),
        Error::NotALayout { dir, reason } => tr!(
            "store-error-not-a-layout",
            dir = path(dir),
            reason = reason.as_str()
        ),
        Error::Invalid { dir, what, reason } => tr!(
            "store-error-invalid",
            dir = path(dir),
            what = what.as_str(),
            reason = reason.as_str()
        ),
        Error::Io {
            action,
            path: p,
            source,
        } => tr!(
            "store-error-io",
            action = *action,
            path = path(p),
            reason = source.to_string()
        ),
        Error::NotAFile { path: p, file_type } => tr!(
            "store-error-not-a-file",
            path = path(p),
            file_type = file_type.name()
        ),
        Error::MissingBlob { dir, digest } => tr!(
            "store-error-missing-blob",
            dir = path(dir),
            digest = digest.as_str()
        ),
        Error::Verify { digest, source } => tr!(
            "store-error-verify",
            digest = digest.as_str(),
            reason = source.to_string()
        ),
        Error::TooLarge { digest, .. } => tr!("store-error-too-large", digest = digest.as_str()),
        Error::EngineNotFound { engine, tried } => tr!(
            "store-error-engine-not-found",
            engine = engine.as_str(),
            tried = tried.join(", ")
        ),
        Error::Engine {
            engine,
            socket,
            reason,
        } => tr!(
            "store-error-engine",
            engine = engine.as_str(),
            socket = socket.as_str(),
            reason = reason.as_str()
        ),
        Error::EngineConflict {
            engine,
            reference,
            reason,
        } => tr!(
            "store-error-engine-conflict",
            engine = engine.as_str(),
            reference = reference.as_str(),
            reason = reason.as_str()
        ),
        Error::PlanChanged { .. } | Error::PruneChanged { .. } => describe_changed(error),
        Error::NoDataDir => tr!("store-error-no-data-dir"),
        Error::CrossStore {
            source_store,
            target_store,
        } => tr!(
            "store-error-cross-store",
            source_store = source_store.as_str(),
            target_store = target_store.as_str()
        ),
        Error::Task { reason } => tr!("store-error-task", reason = reason.as_str()),
    }
}

/// A confirmed delete or prune refused because the store changed since its plan.
fn describe_changed(error: &Error) -> String {
    match error {
        Error::PlanChanged { store, reference } => tr!(
            "store-error-plan-changed",
            store = store.as_str(),
            reference = reference.as_str()
        ),
        Error::PruneChanged { store, blob } => tr!(
            "store-error-prune-changed",
            store = store.as_str(),
            blob = blob.as_str()
        ),
        other => other.to_string(),
    }
}
