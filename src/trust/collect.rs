//! Finding what refers to an image, in a registry: `BuildKit`'s attestation manifests in its
//! index (for the platform shown), its referrers (the API or the `sha256-HEX` fallback index,
//! `registry/referrers.rs`), cosign's `sha256-HEX.att` tag and the `sha256-HEX.sbom` tag. Each
//! place is asked once; what fails is kept as a problem beside what was found, so one bad
//! document never hides the rest. Signatures are left to the signature reader.

use super::ReadError;
use super::attestations::{self, Attestation, Found};
use super::provenance::{self, Provenance};
use super::sbom::{self, MAX_SBOM_BYTES, Sbom};
use crate::oci::image::ImageDetail;
use crate::oci::{Digest, Manifest, Reference, Repository};
use crate::registry::{LookedBy, RegistryClient};
use std::sync::Arc;

/// At most this many referrers of one image are opened.
const MAX_REFERRERS: usize = 64;

/// A place Berth looked in, for "where it looked" in the CLI and the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Looked {
    /// The index's attestation manifests for the image.
    IndexAttestations { index: Digest },
    /// The referrers of `subject`, and how the registry answered.
    Referrers { subject: Digest, by: LookedBy },
    /// A tag of the cosign scheme (`sha256-HEX.att`, `sha256-HEX.sbom`) and whether it was there.
    Tag { tag: String, present: bool },
}

impl std::fmt::Display for Looked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::IndexAttestations { index } => write!(f, "attestation manifests of {index}"),
            Self::Referrers { subject, by } => write!(f, "referrers of {subject} ({by:?})"),
            Self::Tag { tag, present } => {
                write!(f, "tag {tag}{}", if *present { "" } else { " (absent)" })
            }
        }
    }
}

/// Where an SBOM document is: a blob of the repository, bare or in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SbomSource {
    pub blob: Digest,
    pub size: u64,
    pub media_type: String,
    pub found: Found,
    pub manifest: Digest,
}

/// Everything found about one image besides its signatures.
#[derive(Debug, Default)]
pub struct TrustSummary {
    pub attestations: Vec<Attestation>,
    pub sboms: Vec<SbomSource>,
    pub provenance: Option<Provenance>,
    pub looked: Vec<Looked>,
    /// What could not be read, beside what could.
    pub problems: Vec<ReadError>,
}

/// An SBOM read whole: the document as sent (for Save) and its packages.
#[derive(Debug)]
pub struct LoadedSbom {
    pub source: SbomSource,
    pub raw: Arc<[u8]>,
    pub sbom: Sbom,
}

/// Looks in every place for what refers to the image `detail` shows (the chosen platform of
/// an index, or the image itself) and to the index around it.
pub async fn collect(
    client: &RegistryClient,
    repository: &Repository,
    detail: &ImageDetail,
) -> TrustSummary {
    let mut out = TrustSummary::default();
    let image = detail.image.as_ref().map(|i| i.digest.clone());
    // BuildKit: the index's attestation manifests naming the image.
    if let Some(image) = &image
        && !detail.platforms.is_empty()
    {
        out.looked.push(Looked::IndexAttestations {
            index: detail.digest.clone(),
        });
        for entry in detail.attestation_entries_for(image) {
            read_manifest_layers(client, repository, &entry.digest, Found::BuildKit, &mut out)
                .await;
        }
    }
    let mut subjects = Vec::new();
    subjects.extend(image);
    if !subjects.contains(&detail.digest) {
        subjects.push(detail.digest.clone());
    }
    for subject in &subjects {
        read_referrers(client, repository, subject, &mut out).await;
        for suffix in ["att", "sbom"] {
            let tag = format!("{}-{}.{suffix}", subject.algorithm(), subject.hex());
            let present = match client
                .manifest(repository, &Reference::Tag(tag.clone()))
                .await
            {
                Ok(m) => {
                    let found = Found::CosignTag;
                    read_layers(client, repository, &m.digest, &m.manifest, found, &mut out).await;
                    true
                }
                Err(crate::registry::Error::NotFound { .. }) => false,
                Err(e) => {
                    out.problems.push(e.into());
                    false
                }
            };
            out.looked.push(Looked::Tag { tag, present });
        }
    }
    if let Some(a) = out.attestations.iter().find(|a| a.is_provenance()).cloned() {
        match read_provenance(client, repository, &a).await {
            Ok(p) => out.provenance = Some(p),
            Err(e) => out.problems.push(e),
        }
    }
    out
}

async fn read_referrers(
    client: &RegistryClient,
    repository: &Repository,
    subject: &Digest,
    out: &mut TrustSummary,
) {
    let lookup = match client.lookup_referrers(repository, subject, None).await {
        Ok(l) => l,
        Err(e) => {
            out.problems.push(e.into());
            return;
        }
    };
    out.looked.push(Looked::Referrers {
        subject: subject.clone(),
        by: lookup.looked_by,
    });
    for r in lookup.referrers.iter().take(MAX_REFERRERS) {
        let kind = r.artifact_type.as_deref().unwrap_or_default();
        // Signatures are the signature reader's; indexes (bundles) hold no statements.
        if kind.contains("signature")
            || kind.contains(".sig.")
            || kind.contains("sigstore.bundle")
            || crate::oci::media::is_index(&r.media_type)
        {
            continue;
        }
        read_manifest_layers(client, repository, &r.digest, Found::Referrer, out).await;
    }
}

async fn read_manifest_layers(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
    found: Found,
    out: &mut TrustSummary,
) {
    match client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await
    {
        Ok(m) => read_layers(client, repository, &m.digest, &m.manifest, found, out).await,
        Err(e) => out.problems.push(e.into()),
    }
}

/// Sorts one manifest's layers into SBOM documents and attestations.
async fn read_layers(
    client: &RegistryClient,
    repository: &Repository,
    manifest_digest: &Digest,
    manifest: &Manifest,
    found: Found,
    out: &mut TrustSummary,
) {
    let Manifest::Image(m) = manifest else {
        return;
    };
    for layer in m.layers() {
        let Ok(blob) = Digest::parse(layer.digest().as_ref()) else {
            continue;
        };
        let media_type = layer.media_type().to_string();
        let source = SbomSource {
            blob: blob.clone(),
            size: layer.size(),
            media_type: media_type.clone(),
            found,
            manifest: manifest_digest.clone(),
        };
        if sbom::is_sbom_media_type(&media_type) {
            out.sboms.push(source);
            continue;
        }
        if media_type != attestations::IN_TOTO_MEDIA_TYPE
            && media_type != attestations::DSSE_MEDIA_TYPE
        {
            continue;
        }
        let annotations = layer.annotations().clone().unwrap_or_default();
        let named = annotations
            .get(attestations::PREDICATE_TYPE_ANNOTATION)
            .or_else(|| annotations.get(attestations::COSIGN_PREDICATE_ANNOTATION))
            .cloned();
        let predicate_type = match named {
            Some(p) => p,
            None => match read_blob(client, repository, &source)
                .await
                .and_then(|b| attestations::predicate_type(&b, &media_type, blob.as_str()))
            {
                Ok(p) => p,
                Err(e) => {
                    out.problems.push(e);
                    continue;
                }
            },
        };
        let a = Attestation {
            predicate_type,
            found,
            manifest: manifest_digest.clone(),
            blob,
            size: layer.size(),
            media_type,
        };
        if a.is_sbom() {
            out.sboms.push(source);
        }
        out.attestations.push(a);
    }
}

/// A document blob, at most [`MAX_SBOM_BYTES`], read through a bounded body.
async fn read_blob(
    client: &RegistryClient,
    repository: &Repository,
    source: &SbomSource,
) -> Result<bytes::Bytes, ReadError> {
    client
        .blob_bytes(repository, &source.blob, Some(source.size), MAX_SBOM_BYTES)
        .await
        .map_err(|e| match e {
            crate::registry::Error::TooLarge { limit, .. } => ReadError::TooLarge {
                what: source.blob.to_string(),
                limit,
            },
            e => e.into(),
        })
}

async fn read_provenance(
    client: &RegistryClient,
    repository: &Repository,
    a: &Attestation,
) -> Result<Provenance, ReadError> {
    let source = SbomSource {
        blob: a.blob.clone(),
        size: a.size,
        media_type: a.media_type.clone(),
        found: a.found,
        manifest: a.manifest.clone(),
    };
    let bytes = read_blob(client, repository, &source).await?;
    let what = a.blob.to_string();
    let statement = attestations::statement_bytes(&bytes, &a.media_type, &what)?;
    provenance::parse(&statement, &what)
}

/// Reads and parses one SBOM (parsing on the blocking pool: a big one takes a while).
pub async fn load_sbom(
    client: &RegistryClient,
    repository: &Repository,
    source: SbomSource,
) -> Result<LoadedSbom, ReadError> {
    let bytes = read_blob(client, repository, &source).await?;
    let raw: Arc<[u8]> = Arc::from(bytes.as_ref());
    let what = source.blob.to_string();
    let for_parse = Arc::clone(&raw);
    let sbom = tokio::task::spawn_blocking(move || sbom::parse(&for_parse, &what))
        .await
        .map_err(|_| crate::registry::Error::Cancelled)??;
    Ok(LoadedSbom { source, raw, sbom })
}

/// The first SBOM found for the image, read; or where Berth looked.
pub async fn first_sbom(
    client: &RegistryClient,
    repository: &Repository,
    summary: &TrustSummary,
) -> Result<LoadedSbom, ReadError> {
    let Some(source) = summary.sboms.first().cloned() else {
        return Err(ReadError::NoSbom {
            looked: summary.looked.clone(),
        });
    };
    load_sbom(client, repository, source).await
}
