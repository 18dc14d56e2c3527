//! Reading image tars: an oci-archive (an OCI layout in a tar), a docker-archive as
//! `docker save` and `podman save` write it (`manifest.json`, a config, layer tars), or the
//! two at once as Docker 25 writes it. The tar is indexed first (entry offsets), then each
//! blob is streamed from its offset into the store, verified; the reference is committed
//! last. An OCI layout inside keeps every digest; a plain docker-archive has no manifest,
//! so one is written (OCI, with the layers as they are in the tar).

use super::engine_load;
use super::error::{Error, Result};
use super::events::{BlobCounts, ItemKind, ItemState, JobOutput};
use super::plan::{BlobRef, image_blobs};
use super::progress::Item;
use super::runner::JobCtx;
use super::source::{READ_CHUNK, blocking};
use crate::oci::{
    Digest, FetchedManifest, ImageName, ImageRef, LocalName, Manifest, Verifier, media,
};
use crate::store::layout::{Descriptor, LayoutIndex, RefName};
use crate::store::{LayoutStore, StoreLocation};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

/// Manifests, configs and index files are read whole, up to this size.
const SMALL_LIMIT: u64 = 16 * 1024 * 1024;

/// How the loaded image is named in the destination store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameStyle {
    /// A full reference (`HOST/REPO:TAG`), as Berth's store names images.
    Full,
    /// A tag only, as skopeo names images in `oci:DIR:TAG`.
    Tag,
}

pub(crate) async fn load(ctx: &JobCtx, file: PathBuf, dest: ImageRef) -> Result<JobOutput> {
    let Some((location, name)) = StoreLocation::locate(&dest) else {
        return Err(Error::Unsupported {
            source_kind: "archive",
            target_kind: "registry",
        });
    };
    let (style, label) = match &location {
        StoreLocation::Berth => (NameStyle::Full, "berth:".to_owned()),
        StoreLocation::Layout(dir) => (NameStyle::Tag, format!("oci:{}:", dir.display())),
        StoreLocation::Docker | StoreLocation::Podman => {
            return engine_load::load_file(ctx, &location, &file, &name).await;
        }
    };
    let Some(store) = ctx.connections().layout(&location).await? else {
        return Err(Error::Unsupported {
            source_kind: "archive",
            target_kind: "engine",
        });
    };
    let (ref_name, digest, blobs) = load_into_layout(ctx, &file, &store, style, &name).await?;
    Ok(JobOutput::Loaded {
        dest: format!("{label}{}", ref_name.display().unwrap_or_default()),
        digest,
        blobs,
    })
}

/// Reads the tar at `path` into `store`; `wanted` names the image in the store (and picks
/// it when the tar holds several; [`LocalName::Default`] keeps the tar's own name). Returns
/// the name, the committed digest and the counts.
pub(crate) async fn load_into_layout(
    ctx: &JobCtx,
    path: &Path,
    store: &LayoutStore,
    style: NameStyle,
    wanted: &LocalName,
) -> Result<(RefName, Digest, BlobCounts)> {
    let tar = {
        let path = path.to_owned();
        blocking(move || TarIndex::scan(&path)).await?
    };
    let image = {
        let tar = tar.clone();
        let wanted = wanted.clone();
        blocking(move || tar.image(&wanted)).await?
    };
    let items: Vec<Item> = image
        .blobs
        .iter()
        .map(|b| {
            ctx.board
                .add(b.blob.digest.to_string(), b.blob.kind, b.blob.size, None)
        })
        .collect();
    let name = match (wanted, style) {
        (LocalName::Name(w), NameStyle::Full) => RefName::image(w),
        (LocalName::Digest(_), NameStyle::Full) => {
            return Err(Error::archive(
                path,
                "a digest is not a name; give one with --to STORE:NAME",
            ));
        }
        (w @ (LocalName::Name(_) | LocalName::Digest(_)), NameStyle::Tag) => {
            RefName::tag(&w.to_string())
        }
        (LocalName::Default, NameStyle::Full) => match (&image.full_name, &image.tag) {
            (Some(f), _) => RefName::image(f),
            (None, Some(t)) => RefName::tag(t),
            (None, None) => {
                return Err(Error::archive(
                    path,
                    "the image has no name; give one with --to STORE:NAME",
                ));
            }
        },
        (LocalName::Default, NameStyle::Tag) => {
            RefName::tag(crate::oci::tag_or_default(image.tag.as_deref()))
        }
    };
    let (store, cancel) = (store.clone(), ctx.cancel.clone());
    blocking(move || {
        let _ = store.remove_stale_temp_files();
        let mut counts = BlobCounts::default();
        for (b, item) in image.blobs.iter().zip(&items) {
            item.set_state(ItemState::Active);
            if tar.copy_blob(b, &store, item, &cancel)? {
                counts.fetched += 1;
                counts.bytes += b.blob.size;
                item.set_state(ItemState::Done);
            } else {
                counts.present += 1;
                item.set_state(ItemState::Present);
            }
        }
        for bytes in &image.manifests {
            store.put_bytes(bytes)?;
        }
        let digest = image.root.digest.clone();
        store.commit_ref(&name, image.root)?;
        Ok((name, digest, counts))
    })
    .await
}

/// Where each entry's data is in the tar.
#[derive(Clone)]
pub(crate) struct TarIndex {
    path: PathBuf,
    entries: HashMap<String, (u64, u64)>,
}

/// A blob to copy out of the tar: where it is, and what it must hash to. `digest` is
/// `None` only for a compressed layer of a plain docker-archive, hashed in a first pass.
struct TarBlob {
    entry: String,
    blob: BlobRef,
}

/// What to store from the tar.
pub(crate) struct TarImage {
    root: Descriptor,
    /// Manifest (and index) bytes to store before the reference.
    manifests: Vec<Vec<u8>>,
    blobs: Vec<TarBlob>,
    /// The name the tar gives the image, parsed where it is read.
    pub full_name: Option<ImageName>,
    tag: Option<String>,
    /// The image ID (config digest) of the image, for engines.
    pub config: Digest,
}

#[derive(serde::Deserialize)]
struct DockerEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RootFs {
    #[serde(default)]
    diff_ids: Vec<String>,
}
#[derive(serde::Deserialize)]
struct DockerConfig {
    rootfs: RootFs,
}

impl TarIndex {
    pub(crate) fn scan(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(Error::io("open", path))?;
        let mut archive = tar::Archive::new(file);
        let bad = |e: std::io::Error| Error::archive(path, e.to_string());
        let mut entries = HashMap::new();
        for entry in archive.entries_with_seek().map_err(bad)? {
            let entry = entry.map_err(bad)?;
            if entry.header().entry_type() != tar::EntryType::Regular {
                continue;
            }
            let name = entry.path().map_err(bad)?.to_string_lossy().into_owned();
            let name = name
                .trim_start_matches("./")
                .trim_start_matches('/')
                .to_owned();
            entries.insert(name, (entry.raw_file_position(), entry.size()));
        }
        Ok(Self {
            path: path.to_owned(),
            entries,
        })
    }

    fn open(&self, name: &str) -> Result<std::io::Take<File>> {
        let Some(&(offset, size)) = self.entries.get(name) else {
            return Err(Error::archive(&self.path, format!("{name} is missing")));
        };
        let mut file = File::open(&self.path).map_err(Error::io("open", &self.path))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(Error::io("read", &self.path))?;
        Ok(file.take(size))
    }

    fn read_small(&self, name: &str) -> Result<Vec<u8>> {
        let size = self.entries.get(name).map_or(0, |e| e.1);
        if size > SMALL_LIMIT {
            return Err(Error::archive(&self.path, format!("{name} is too large")));
        }
        let mut out = Vec::new();
        self.open(name)?
            .read_to_end(&mut out)
            .map_err(Error::io("read", &self.path))?;
        Ok(out)
    }

    fn read_blob(&self, digest: &Digest) -> Result<Vec<u8>> {
        let bytes = self.read_small(&blob_entry(digest))?;
        if Digest::of(&bytes) != *digest {
            return Err(Error::archive(
                &self.path,
                format!("blob {digest} is damaged"),
            ));
        }
        Ok(bytes)
    }

    /// The image to load: from the OCI layout inside when there is one, else from
    /// `manifest.json`.
    pub(crate) fn image(&self, wanted: &LocalName) -> Result<TarImage> {
        if self.entries.contains_key("index.json") && self.entries.contains_key("oci-layout") {
            self.oci_image(wanted)
        } else if self.entries.contains_key("manifest.json") {
            self.docker_image(wanted)
        } else {
            Err(Error::archive(&self.path, "no index.json or manifest.json"))
        }
    }

    fn oci_image(&self, wanted: &LocalName) -> Result<TarImage> {
        let index: LayoutIndex = serde_json::from_slice(&self.read_small("index.json")?)
            .map_err(|e| Error::archive(&self.path, format!("index.json: {e}")))?;
        let found = match index.manifests.len() {
            1 => vec![0],
            _ => index.find(wanted),
        };
        let [i] = found[..] else {
            return Err(Error::ArchiveAmbiguous {
                path: self.path.clone(),
                count: index.manifests.len(),
            });
        };
        let root = index.manifests[i].clone();
        let names = root.ref_name();
        let mut manifests = Vec::new();
        let mut blobs = Vec::new();
        let mut config = None;
        let mut queue = vec![(root.digest.clone(), root.media_type.clone())];
        while let Some((digest, media_type)) = queue.pop() {
            let bytes = self.read_blob(&digest)?;
            let m = FetchedManifest::parse(bytes.clone(), Some(&media_type), digest.clone())
                .map_err(|e| Error::archive(&self.path, e.0))?;
            match &m.manifest {
                Manifest::Index(_) => {
                    for e in m.index_entries() {
                        if media::is_index(&e.media_type) || media::is_image_manifest(&e.media_type)
                        {
                            queue.push((e.digest, e.media_type));
                        }
                    }
                }
                Manifest::Image(_) => {
                    for b in image_blobs(&m)? {
                        if b.kind == ItemKind::Config {
                            config.get_or_insert_with(|| b.digest.clone());
                        }
                        if !blobs.iter().any(|t: &TarBlob| t.blob.digest == b.digest) {
                            blobs.push(TarBlob {
                                entry: blob_entry(&b.digest),
                                blob: b,
                            });
                        }
                    }
                }
            }
            manifests.push(bytes);
        }
        let Some(config) = config else {
            return Err(Error::archive(
                &self.path,
                "no image manifest in index.json",
            ));
        };
        Ok(TarImage {
            root,
            manifests,
            blobs,
            full_name: names.name.as_deref().map(ImageName::parse),
            tag: names.tag,
            config,
        })
    }

    fn docker_image(&self, wanted: &LocalName) -> Result<TarImage> {
        let list: Vec<DockerEntry> = serde_json::from_slice(&self.read_small("manifest.json")?)
            .map_err(|e| Error::archive(&self.path, format!("manifest.json: {e}")))?;
        let tags = |e: &DockerEntry| e.repo_tags.clone().unwrap_or_default();
        let chosen = match (list.len(), wanted) {
            (1, _) => list.first(),
            (_, LocalName::Default) => None,
            (_, w) => {
                let w = w.to_string();
                list.iter().find(|e| {
                    tags(e)
                        .iter()
                        .any(|t| *t == w || t.ends_with(&format!("/{w}")))
                })
            }
        };
        let Some(entry) = chosen else {
            return Err(Error::ArchiveAmbiguous {
                path: self.path.clone(),
                count: list.len(),
            });
        };
        let config_bytes = self.read_small(&entry.config)?;
        let config_digest = Digest::of(&config_bytes);
        let parsed: DockerConfig = serde_json::from_slice(&config_bytes)
            .map_err(|e| Error::archive(&self.path, format!("{}: {e}", entry.config)))?;
        let mut blobs = vec![TarBlob {
            entry: entry.config.clone(),
            blob: BlobRef {
                digest: config_digest.clone(),
                size: config_bytes.len() as u64,
                media_type: media::OCI_CONFIG.to_owned(),
                kind: ItemKind::Config,
            },
        }];
        for (i, layer) in entry.layers.iter().enumerate() {
            let size = self.entries.get(layer).map_or(0, |e| e.1);
            let mut magic = [0u8; 4];
            let n = self.open(layer)?.read(&mut magic).unwrap_or(0);
            let media_type = match &magic[..n] {
                [0x1f, 0x8b, ..] => media::OCI_LAYER_GZIP,
                [0x28, 0xb5, 0x2f, 0xfd] => media::OCI_LAYER_ZSTD,
                _ => media::OCI_LAYER,
            };
            let named = layer
                .strip_prefix("blobs/sha256/")
                .and_then(|h| Digest::parse(&format!("sha256:{h}")).ok());
            let diff_id = parsed
                .rootfs
                .diff_ids
                .get(i)
                .and_then(|d| Digest::parse(d).ok());
            let digest = match (named, diff_id) {
                (Some(d), _) => d,
                // An uncompressed layer is its own diff ID (verified while it is copied).
                (None, Some(d)) if media_type == media::OCI_LAYER => d,
                _ => self.hash(layer)?,
            };
            blobs.push(TarBlob {
                entry: layer.clone(),
                blob: BlobRef {
                    digest,
                    size,
                    media_type: media_type.to_owned(),
                    kind: ItemKind::Layer,
                },
            });
        }
        let descriptor = |b: &BlobRef| serde_json::json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size});
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": media::OCI_MANIFEST,
            "config": descriptor(&blobs[0].blob),
            "layers": blobs[1..].iter().map(|b| descriptor(&b.blob)).collect::<Vec<_>>(),
        });
        let bytes =
            serde_json::to_vec(&manifest).map_err(|e| Error::archive(&self.path, e.to_string()))?;
        let full_name = tags(entry).first().map(|t| ImageName::parse(t));
        let tag = full_name.as_ref().and_then(|n| n.tag().map(str::to_owned));
        Ok(TarImage {
            root: Descriptor::new(media::OCI_MANIFEST, Digest::of(&bytes), bytes.len() as u64),
            manifests: vec![bytes],
            blobs,
            full_name,
            tag,
            config: config_digest,
        })
    }

    fn hash(&self, name: &str) -> Result<Digest> {
        let mut r = self.open(name)?;
        let mut v = Verifier::new(None, None);
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            let n = r.read(&mut buf).map_err(Error::io("read", &self.path))?;
            if n == 0 {
                break;
            }
            // Without expectations the verifier cannot fail.
            let _ = v.update(&buf[..n]);
        }
        v.finish()
            .map_err(|e| Error::archive(&self.path, e.to_string()))
    }

    /// Copies one blob into the store, verified; `false` when it was already there.
    fn copy_blob(
        &self,
        b: &TarBlob,
        store: &LayoutStore,
        item: &Item,
        cancel: &CancellationToken,
    ) -> Result<bool> {
        let Some(mut writer) = store.blob_writer(&b.blob.digest, b.blob.size)? else {
            return Ok(false);
        };
        let mut r = self.open(&b.entry)?;
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let n = r.read(&mut buf).map_err(Error::io("read", &self.path))?;
            if n == 0 {
                break;
            }
            writer.write_chunk(&buf[..n])?;
            item.add_done(n as u64);
        }
        writer.commit()?;
        Ok(true)
    }
}

fn blob_entry(digest: &Digest) -> String {
    format!("blobs/sha256/{}", digest.hex())
}
