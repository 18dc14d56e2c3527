//! Trust: what refers to an image and what it says about it. Signatures (cosign, notation,
//! Sigstore bundles) and whether one of the user's keys verifies them; attestations (cosign's
//! `.att` tags, Docker build attestation manifests), SBOMs and SLSA provenance, read and
//! normalised for the window and the CLI. Nothing here is trusted by default: only a signature
//! checked against a key the user gave is ever called verified.

// Signatures (issue 20, part A).
pub mod attestations;
pub mod cert;
pub mod collect;
pub mod cosign;
mod der;
pub mod find;
pub mod keys;
pub mod notation;
pub mod provenance;
mod read_error;
pub mod sbom;
pub mod signatures;

pub use collect::{LoadedSbom, Looked, SbomSource, TrustSummary, collect, first_sbom, load_sbom};
pub use read_error::ReadError;
