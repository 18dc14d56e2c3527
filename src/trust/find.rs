//! Finding an image's signatures on a registry: cosign's `sha256-HEX.sig` tag, and the
//! referrers (API or the `sha256-HEX` fallback index, through `registry/referrers.rs`) of
//! cosign's artifact type, Sigstore bundles and notation signatures; for an index, its own
//! and each platform's. Every signature found is judged at once against the user's keys.

use super::cosign::{self, MAX_PAYLOAD_BYTES, SIMPLE_SIGNING};
use super::keys::PublicKey;
use super::notation;
use super::signatures::{SigKind, SigReason, Signature};
use crate::oci::{Digest, FetchedManifest, Manifest, Reference, Repository};
use crate::registry::{Error, RegistryClient};
use oci_spec::image::MediaType;
use std::collections::HashMap;

/// The artifact type of a cosign signature stored as a referrer.
pub const COSIGN_ARTIFACT: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
/// The artifact type of a Sigstore bundle stored as a referrer.
pub const SIGSTORE_BUNDLE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";

/// Every signature of `image` (an image or an index; for an index also those of each
/// platform), judged against `keys`.
///
/// # Errors
/// A registry error other than "not found" while looking.
pub async fn signatures(
    client: &RegistryClient,
    repository: &Repository,
    image: &FetchedManifest,
    keys: &[PublicKey],
) -> Result<Vec<Signature>, Error> {
    signatures_for(
        client,
        repository,
        &image.digest,
        &image.index_entries(),
        keys,
    )
    .await
}

/// The signatures of the manifest `digest` and of each real platform among `entries` (its
/// index entries; empty for an image), without reading the manifest again (a manifest `GET`
/// counts as a pull on Docker Hub).
///
/// # Errors
/// A registry error other than "not found" while looking.
pub async fn signatures_for(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
    entries: &[crate::oci::IndexEntry],
    keys: &[PublicKey],
) -> Result<Vec<Signature>, Error> {
    let mut subjects = vec![digest.clone()];
    subjects.extend(
        entries
            .iter()
            .filter(|e| e.is_platform_image())
            .map(|e| e.digest.clone()),
    );
    let mut out = Vec::new();
    for subject in &subjects {
        out.extend(signatures_of(client, repository, subject, keys).await?);
    }
    Ok(out)
}

/// The signatures of one manifest digest.
///
/// # Errors
/// A registry error other than "not found" while looking.
pub async fn signatures_of(
    client: &RegistryClient,
    repository: &Repository,
    subject: &Digest,
    keys: &[PublicKey],
) -> Result<Vec<Signature>, Error> {
    let mut out = Vec::new();
    let tag = Reference::Tag(format!("{}-{}.sig", subject.algorithm(), subject.hex()));
    match client.manifest(repository, &tag).await {
        Ok(m) => {
            let source = tag.to_string();
            out.extend(cosign_layers(client, repository, &m, subject, keys, &source).await);
        }
        Err(Error::NotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    let referrers = client.lookup_referrers(repository, subject, None).await?;
    for r in referrers.referrers {
        let source = r.digest.to_string();
        match r.artifact_type.as_deref() {
            Some(COSIGN_ARTIFACT) => {
                match client
                    .manifest(repository, &Reference::Digest(r.digest.clone()))
                    .await
                {
                    Ok(m) => out.extend(
                        cosign_layers(client, repository, &m, subject, keys, &source).await,
                    ),
                    Err(_) => out.push(Signature::new(
                        SigKind::Cosign,
                        SigReason::Unreadable,
                        subject,
                        source,
                    )),
                }
            }
            Some(SIGSTORE_BUNDLE) => out.push(Signature::new(
                SigKind::SigstoreBundle,
                SigReason::BundleNotChecked,
                subject,
                source,
            )),
            Some(notation::ARTIFACT_TYPE) => {
                out.push(notation_signature(client, repository, &r.digest, subject, source).await);
            }
            _ => {}
        }
    }
    Ok(out)
}

async fn cosign_layers(
    client: &RegistryClient,
    repository: &Repository,
    m: &FetchedManifest,
    subject: &Digest,
    keys: &[PublicKey],
    source: &str,
) -> Vec<Signature> {
    let Manifest::Image(manifest) = &m.manifest else {
        return vec![Signature::new(
            SigKind::Cosign,
            SigReason::Unreadable,
            subject,
            source.to_owned(),
        )];
    };
    let mut out = Vec::new();
    for layer in manifest
        .layers()
        .iter()
        .filter(|l| matches!(l.media_type(), MediaType::Other(t) if t == SIMPLE_SIGNING))
    {
        let Ok(digest) = Digest::parse(layer.digest().as_ref()) else {
            continue;
        };
        let annotations: HashMap<String, String> = layer.annotations().clone().unwrap_or_default();
        match client
            .blob_bytes(repository, &digest, Some(layer.size()), MAX_PAYLOAD_BYTES)
            .await
        {
            Ok(payload) => out.push(cosign::judge(
                &payload,
                &annotations,
                subject,
                keys,
                source.to_owned(),
            )),
            Err(_) => out.push(Signature::new(
                SigKind::Cosign,
                SigReason::Unreadable,
                subject,
                source.to_owned(),
            )),
        }
    }
    out
}

async fn notation_signature(
    client: &RegistryClient,
    repository: &Repository,
    digest: &Digest,
    subject: &Digest,
    source: String,
) -> Signature {
    let unreadable =
        |source| Signature::new(SigKind::Notation, SigReason::Unreadable, subject, source);
    let Ok(m) = client
        .manifest(repository, &Reference::Digest(digest.clone()))
        .await
    else {
        return unreadable(source);
    };
    let Manifest::Image(manifest) = &m.manifest else {
        return unreadable(source);
    };
    let Some(layer) = manifest.layers().first() else {
        return unreadable(source);
    };
    let media_type = layer.media_type().to_string();
    let envelope = match Digest::parse(layer.digest().as_ref()) {
        Ok(d) if media_type == notation::JWS => client
            .blob_bytes(repository, &d, Some(layer.size()), MAX_PAYLOAD_BYTES)
            .await
            .ok(),
        _ => None,
    };
    notation::judge(&media_type, envelope.as_deref(), subject, source)
}
