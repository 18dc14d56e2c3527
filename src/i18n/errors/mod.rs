//! Core errors into sentences, in one place for the window and the CLI alike
//! (ARCHITECTURE.md, "Errors carry a kind, not a sentence"): each core error enum (registry,
//! store, layers, jobs, inspect, and the credential files) has one `describe` here that reads
//! its facts into a message of the catalog. Views and the CLI call [`describe`] (or
//! [`describe_error`] for a registry error); the CLI finds the core error inside an
//! `anyhow` chain with [`core_error`] and adds its own next step (`cli-hint-*`).

mod extract;
mod files;
mod layers;
mod registry;
mod retain;
mod store;
mod trust_read;
mod trust_sig;
mod work;

pub use extract::skip_reason as describe_skip_reason;
pub use layers::describe_in_row as describe_layer_in_row;
pub use registry::describe_brief as describe_error_brief;
pub use retain::keep_reason as describe_keep_reason;
pub use trust_sig::{
    signature_badge, signature_kind, signature_reason, signature_state, signature_who,
};

/// An error the catalog has sentences for.
pub trait Describe {
    /// The sentence in the current language.
    fn describe(&self) -> String;
    /// The error's stable kind (`--json`, `cli-hint-*` keys).
    fn kind_name(&self) -> &'static str;
}

/// A sentence shown to people is cut here: a server's error text is quoted, not printed whole.
const MAX_SENTENCE_CHARS: usize = 1000;

/// The sentence for any core error, in the current language: one line (control characters
/// from a server or a file escaped, see [`crate::format::one_line`]), at most 1000 characters.
#[must_use]
pub fn describe(error: &(impl Describe + ?Sized)) -> String {
    crate::format::one_line(&error.describe(), MAX_SENTENCE_CHARS).into_owned()
}

/// The sentence for a registry error, with the registry's own error codes appended when it
/// sent any (they are protocol words, never translated); one short line, as [`describe`].
#[must_use]
pub fn describe_error(error: &crate::registry::Error) -> String {
    crate::format::one_line(&registry::describe(error), MAX_SENTENCE_CHARS).into_owned()
}

impl Describe for crate::registry::Error {
    fn describe(&self) -> String {
        registry::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::registry::retain::Error {
    fn describe(&self) -> String {
        retain::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::store::Error {
    fn describe(&self) -> String {
        store::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

/// Standing alone, a layer error names its layer; on a layer's row use
/// [`describe_layer_in_row`].
impl Describe for crate::layers::Error {
    fn describe(&self) -> String {
        layers::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::layers::FileError {
    fn describe(&self) -> String {
        files::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::jobs::Error {
    fn describe(&self) -> String {
        work::describe_job(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::layers::extract::Error {
    fn describe(&self) -> String {
        extract::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::inspect::Error {
    fn describe(&self) -> String {
        work::describe_inspect(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::registry::credentials::CredentialError {
    fn describe(&self) -> String {
        work::describe_credentials(self)
    }
    fn kind_name(&self) -> &'static str {
        // The same kind as the registry error a failed credential read becomes.
        "credentials"
    }
}

impl Describe for crate::trust::keys::KeyError {
    fn describe(&self) -> String {
        trust_sig::describe_key_error(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl Describe for crate::trust::ReadError {
    fn describe(&self) -> String {
        trust_read::describe(self)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

/// A shared error (a job's result reaches the window and the CLI in an `Arc`) reads the same.
impl<T: Describe + ?Sized> Describe for std::sync::Arc<T> {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn kind_name(&self) -> &'static str {
        (**self).kind_name()
    }
}

/// The core error `cause` is, if it is one (a job's error comes shared, in an `Arc`).
#[must_use]
pub fn core_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Describe> {
    fn as_describe<'a, E: Describe + std::error::Error + 'static>(
        cause: &'a (dyn std::error::Error + 'static),
    ) -> Option<&'a dyn Describe> {
        cause.downcast_ref::<E>().map(|e| e as &dyn Describe)
    }
    as_describe::<std::sync::Arc<crate::jobs::Error>>(cause)
        .or_else(|| as_describe::<crate::jobs::Error>(cause))
        .or_else(|| as_describe::<crate::inspect::Error>(cause))
        .or_else(|| as_describe::<crate::trust::ReadError>(cause))
        .or_else(|| as_describe::<crate::registry::Error>(cause))
        .or_else(|| as_describe::<crate::registry::retain::Error>(cause))
        .or_else(|| as_describe::<crate::store::Error>(cause))
        .or_else(|| as_describe::<crate::layers::FileError>(cause))
        .or_else(|| as_describe::<crate::layers::Error>(cause))
        .or_else(|| as_describe::<crate::layers::extract::Error>(cause))
        .or_else(|| as_describe::<crate::registry::credentials::CredentialError>(cause))
        .or_else(|| as_describe::<crate::trust::keys::KeyError>(cause))
}
