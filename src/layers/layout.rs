//! A minimal, read-only OCI image-layout reader for `oci:DIR[:TAG]` references: `index.json`
//! → (index →) manifest → config, every blob checked against its digest. It exists so the
//! layer views work on layout directories before the store module lands; once
//! `store::layout` exists, this should defer to it.

use super::Error;
use crate::oci::image::{ImageInfo, choose_platform};
use crate::oci::manifest::MAX_MANIFEST_BYTES;
use crate::oci::{Digest, FetchedManifest, Manifest, Platform, media};
use std::io::Read as _;
use std::path::{Path, PathBuf};

const REF_NAME: &str = "org.opencontainers.image.ref.name";
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Where a blob of a layout directory lives: `DIR/blobs/sha256/HEX`.
#[must_use]
pub fn blob_path(dir: &Path, digest: &Digest) -> PathBuf {
    dir.join("blobs").join("sha256").join(digest.hex())
}

/// Reads the image tagged `tag` (or the only image, when `tag` is `None`) from the layout at
/// `dir`. For an index, the manifest for `platform` is taken.
pub fn read_image(dir: &Path, tag: Option<&str>, platform: &Platform) -> Result<ImageInfo, Error> {
    let layout_error = |reason: String| Error::Layout {
        dir: dir.to_owned(),
        reason,
    };
    let index_path = dir.join("index.json");
    let index_bytes = read_limited(&index_path, MAX_MANIFEST_BYTES as u64)
        .map_err(|e| layout_error(format!("cannot read index.json: {e}")))?;
    let index = FetchedManifest::parse(
        index_bytes.clone(),
        Some(media::OCI_INDEX),
        Digest::of(&index_bytes),
    )
    .map_err(|e| layout_error(format!("index.json: {e}")))?;
    let entries = index.index_entries();
    let tags = ref_names(&index);
    let chosen = match tag {
        Some(t) => tags.iter().position(|n| n.as_deref() == Some(t)),
        None if entries.len() == 1 => Some(0),
        None => tags
            .iter()
            .position(|n| n.as_deref() == Some(crate::oci::DEFAULT_TAG)),
    };
    let Some(chosen) = chosen.and_then(|i| entries.get(i)) else {
        return Err(Error::LayoutTagNotFound {
            dir: dir.to_owned(),
            tag: crate::oci::tag_or_default(tag).to_owned(),
            available: tags.into_iter().flatten().collect(),
        });
    };
    let mut manifest = read_manifest(dir, &chosen.digest, &chosen.media_type)?;
    if let Manifest::Index(_) = &manifest.manifest {
        let children = manifest.index_entries();
        let Some(child) = choose_platform(&children, platform) else {
            return Err(layout_error(format!(
                "no image for platform {platform} under {}",
                chosen.digest
            )));
        };
        manifest = read_manifest(dir, &child.digest, &child.media_type)?;
    }
    let Manifest::Image(m) = &manifest.manifest else {
        return Err(layout_error(format!(
            "{} is not an image manifest",
            manifest.digest
        )));
    };
    let config_digest =
        Digest::parse(m.config().digest().as_ref()).map_err(|e| layout_error(e.to_string()))?;
    let config = read_blob(dir, &config_digest, MAX_CONFIG_BYTES)?;
    ImageInfo::from_parts(&manifest, config.into())
        .map_err(|e| layout_error(format!("config {config_digest}: {}", e.0)))
}

fn ref_names(index: &FetchedManifest) -> Vec<Option<String>> {
    let Manifest::Index(i) = &index.manifest else {
        return Vec::new();
    };
    i.manifests()
        .iter()
        .map(|d| {
            d.annotations()
                .as_ref()
                .and_then(|a| a.get(REF_NAME).cloned())
        })
        .collect()
}

fn read_manifest(dir: &Path, digest: &Digest, media_type: &str) -> Result<FetchedManifest, Error> {
    let bytes = read_blob(dir, digest, MAX_MANIFEST_BYTES as u64)?;
    FetchedManifest::parse(bytes, Some(media_type), digest.clone()).map_err(|e| Error::Layout {
        dir: dir.to_owned(),
        reason: format!("manifest {digest}: {}", e.0),
    })
}

/// A small blob, read whole and checked against its digest.
fn read_blob(dir: &Path, digest: &Digest, limit: u64) -> Result<Vec<u8>, Error> {
    let path = blob_path(dir, digest);
    let bytes = read_limited(&path, limit).map_err(|source| Error::ReadBlob {
        digest: digest.clone(),
        path: path.clone(),
        source,
    })?;
    let actual = Digest::of(&bytes);
    if &actual != digest {
        return Err(Error::Verify {
            digest: digest.clone(),
            offset: bytes.len() as u64,
            source: crate::oci::VerifyError::DigestMismatch {
                expected: digest.clone(),
                actual,
            },
        });
    }
    Ok(bytes)
}

/// A regular file of at most `limit` bytes, read whole (a pipe or a device is refused
/// before any read).
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let (file, len) = crate::local_file::open_regular(path).map_err(|e| match e {
        crate::local_file::OpenError::Io(e) => e,
        e @ crate::local_file::OpenError::NotAFile(_) => std::io::Error::other(e),
    })?;
    if len > limit {
        return Err(std::io::Error::other(format!(
            "larger than the {limit}-byte limit"
        )));
    }
    let mut out = Vec::new();
    file.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than the {limit}-byte limit"
        )));
    }
    Ok(out)
}
