//! OCI building blocks shared by every source: digests and their streaming verifier, media
//! types, platforms, manifests, the reference grammar, and the image detail model that the
//! CLI and every view render.

mod digest;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod house_names;
pub mod image;
mod kind;
mod local_name;
pub mod manifest;
pub mod media;
mod name;
mod platform;
mod pull_command;
pub mod reference;
mod reference_fast;

pub use digest::{Algorithm, Digest, DigestParseError, Verifier, VerifyError, VerifyingReader};
pub use kind::ManifestKind;
pub use local_name::LocalName;
pub use manifest::{FetchedManifest, IndexEntry, Manifest};
pub use name::{DEFAULT_TAG, ImageName, Reference, Repository, tag_or_default, with_default_tag};
pub use platform::Platform;
pub use pull_command::{PullBy, PullTool, pull_command, pull_commands};
pub use reference::{ImageRef, RegistryName, RegistryRef, Scheme};
