//! Deterministic OCI building blocks for the fixtures: tar layers from a static entry list,
//! gzip/zstd/none compression, image configs, manifests, indexes, and an OCI image-layout
//! directory writer.
//!
//! Everything here is byte-for-byte reproducible (fixed mtimes, uid/gid, gzip header without
//! a timestamp), so a fixture's digest only changes when its definition does.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

pub const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MT_OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MT_OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
pub const MT_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const MT_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const MT_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// Every manifest type the fixtures use, for `Accept` headers.
pub const ACCEPT_ALL: &str = "application/vnd.oci.image.index.v1+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.docker.distribution.manifest.v2+json";

/// The mtime of every tar entry (2023-11-14T22:13:20Z).
pub const EPOCH: u64 = 1_700_000_000;
/// The `created` time in every config and history entry; matches [`EPOCH`].
pub const CREATED: &str = "2023-11-14T22:13:20Z";

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

// ------------------------------------------------------------------------------------ layers

/// What a tar entry is. Whiteouts are plain empty files whose name says what they do, so they
/// are only marked here to make the fixture facts readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dir,
    /// A regular file of exactly this many bytes (deterministic filler content).
    File(u64),
    /// A regular file holding exactly this text (two versions can differ in content only).
    Text(&'static str),
    Symlink(&'static str),
    /// A hard link to an earlier entry of the same layer (tar path, no leading slash).
    Hardlink(&'static str),
    /// `.wh.NAME`: NAME is removed from the layers below.
    Whiteout,
    /// `.wh..wh..opq`: the directory's content from the layers below is hidden.
    Opaque,
}

/// One tar entry: its path without leading `/` (directories are written with a trailing `/`
/// in the tar, as image builders do, but named here without it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: &'static str,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
}

impl Entry {
    /// Bytes this entry occupies as file content (0 for everything but regular files).
    pub const fn size(&self) -> u64 {
        match self.kind {
            Kind::File(n) => n,
            Kind::Text(t) => t.len() as u64,
            _ => 0,
        }
    }
}

pub const fn dir(path: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Dir,
        mode: 0o755,
        uid: 0,
        gid: 0,
    }
}
pub const fn file(path: &'static str, size: u64) -> Entry {
    Entry {
        path,
        kind: Kind::File(size),
        mode: 0o644,
        uid: 0,
        gid: 0,
    }
}
pub const fn exe(path: &'static str, size: u64) -> Entry {
    Entry {
        path,
        kind: Kind::File(size),
        mode: 0o755,
        uid: 0,
        gid: 0,
    }
}
pub const fn text(path: &'static str, content: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Text(content),
        mode: 0o644,
        uid: 0,
        gid: 0,
    }
}
pub const fn symlink(path: &'static str, target: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Symlink(target),
        mode: 0o777,
        uid: 0,
        gid: 0,
    }
}
pub const fn hardlink(path: &'static str, target: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Hardlink(target),
        mode: 0o755,
        uid: 0,
        gid: 0,
    }
}
/// `path` is the whiteout file itself, e.g. `var/cache/.wh.old.bin`.
pub const fn whiteout(path: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Whiteout,
        mode: 0o644,
        uid: 0,
        gid: 0,
    }
}
/// `path` is the marker file itself, e.g. `var/lib/data/.wh..wh..opq`.
pub const fn opaque(path: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Opaque,
        mode: 0o644,
        uid: 0,
        gid: 0,
    }
}
/// The same entry owned by `uid:gid`.
pub const fn owned(e: Entry, uid: u64, gid: u64) -> Entry {
    Entry { uid, gid, ..e }
}
/// The same entry with another mode.
pub const fn with_mode(e: Entry, mode: u32) -> Entry {
    Entry { mode, ..e }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    None,
}

impl Compression {
    pub const fn media_type(self) -> &'static str {
        match self {
            Compression::Gzip => MT_LAYER_GZIP,
            Compression::Zstd => MT_LAYER_ZSTD,
            Compression::None => MT_LAYER_TAR,
        }
    }
}

/// A layer's definition: its entries in tar order, how it is compressed, the history line.
#[derive(Clone, Copy, Debug)]
pub struct LayerSpec {
    pub compression: Compression,
    pub created_by: &'static str,
    pub entries: &'static [Entry],
}

/// A built layer: the blob as stored plus the uncompressed tar's digest (the config `diff_id`).
pub struct Layer {
    pub media_type: &'static str,
    pub blob: Vec<u8>,
    pub diff_id: String,
}

/// Filler bytes for a file: `seed:path` lines, cut to `size`. Seeds make otherwise equal
/// fixtures (e.g. per platform) differ in content and so in digest.
pub fn file_content(seed: &str, path: &str, size: u64) -> Vec<u8> {
    let line = format!("{seed}:{path}\n");
    line.bytes()
        .cycle()
        .take(usize::try_from(size).expect("size fits usize"))
        .collect()
}

/// The uncompressed tar of `entries`.
pub fn build_tar(entries: &[Entry], seed: &str) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(EPOCH);
        h.set_uid(e.uid);
        h.set_gid(e.gid);
        h.set_mode(e.mode);
        let owner = if e.uid == 0 { "root" } else { "app" };
        h.set_username(owner).expect("username");
        h.set_groupname(owner).expect("groupname");
        h.set_size(0);
        let res = match e.kind {
            Kind::Dir => {
                // Written by hand: `set_path` would drop the trailing slash that image
                // builders put on directory names.
                h.set_entry_type(tar::EntryType::Directory);
                let name = format!("{}/", e.path);
                assert!(name.len() < 100, "directory name too long: {name}");
                h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
                h.set_cksum();
                b.append(&h, std::io::empty())
            }
            Kind::File(size) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(size);
                b.append_data(&mut h, e.path, &file_content(seed, e.path, size)[..])
            }
            Kind::Text(content) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(content.len() as u64);
                b.append_data(&mut h, e.path, content.as_bytes())
            }
            Kind::Whiteout | Kind::Opaque => {
                h.set_entry_type(tar::EntryType::Regular);
                b.append_data(&mut h, e.path, std::io::empty())
            }
            Kind::Symlink(target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                b.append_link(&mut h, e.path, target)
            }
            Kind::Hardlink(target) => {
                h.set_entry_type(tar::EntryType::Link);
                b.append_link(&mut h, e.path, target)
            }
        };
        res.unwrap_or_else(|err| panic!("tar entry {}: {err}", e.path));
    }
    b.into_inner().expect("finish tar")
}

pub fn compress(tar: &[u8], c: Compression) -> Vec<u8> {
    match c {
        Compression::None => tar.to_vec(),
        Compression::Gzip => {
            // GzBuilder writes mtime 0 and no file name: reproducible.
            let mut enc = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::new(6));
            enc.write_all(tar).expect("gzip");
            enc.finish().expect("gzip finish")
        }
        Compression::Zstd => zstd::encode_all(tar, 3).expect("zstd"),
    }
}

pub fn build_layer(spec: &LayerSpec, seed: &str) -> Layer {
    let tar = build_tar(spec.entries, seed);
    Layer {
        media_type: spec.compression.media_type(),
        diff_id: sha256_digest(&tar),
        blob: compress(&tar, spec.compression),
    }
}

// ------------------------------------------------------------------------- images and layout

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: &'static str,
    pub architecture: &'static str,
    pub variant: Option<&'static str>,
}

impl Platform {
    pub const fn linux(architecture: &'static str) -> Self {
        Platform {
            os: "linux",
            architecture,
            variant: None,
        }
    }
    pub fn to_json(&self) -> Value {
        let mut v = json!({ "architecture": self.architecture, "os": self.os });
        if let Some(var) = self.variant {
            v["variant"] = json!(var);
        }
        v
    }
}

/// A content descriptor (the subset the fixtures use).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    pub platform: Option<Platform>,
    pub artifact_type: Option<String>,
}

impl Descriptor {
    pub fn new(media_type: &str, bytes: &[u8]) -> Self {
        Descriptor {
            media_type: media_type.to_owned(),
            digest: sha256_digest(bytes),
            size: bytes.len() as u64,
            platform: None,
            artifact_type: None,
        }
    }
    pub fn to_json(&self) -> Value {
        let mut v =
            json!({ "mediaType": self.media_type, "digest": self.digest, "size": self.size });
        if let Some(p) = &self.platform {
            v["platform"] = p.to_json();
        }
        if let Some(a) = &self.artifact_type {
            v["artifactType"] = json!(a);
        }
        v
    }
    /// The hex part of the digest.
    pub fn hex(&self) -> &str {
        self.digest.trim_start_matches("sha256:")
    }
}

/// One history line: `created_by`, and whether it made no layer.
pub type History = (&'static str, bool);

/// Everything needed to write one single-platform image.
pub struct ImageSpec<'a> {
    pub platform: Platform,
    pub layers: &'a [LayerSpec],
    /// Seed for file content (see [`file_content`]).
    pub seed: &'a str,
    /// The config's `config` object (Env, Cmd, Labels, ...).
    pub runtime: Value,
    /// Full history; when empty, one line per layer from `LayerSpec::created_by`.
    pub history: &'a [History],
}

/// An OCI image layout being written: blobs go to disk at once, `index.json` on [`finish`].
///
/// [`finish`]: Layout::finish
pub struct Layout {
    root: PathBuf,
    tags: BTreeMap<String, Descriptor>,
}

impl Layout {
    pub fn create(root: &Path) -> Self {
        fs::create_dir_all(root.join("blobs/sha256")).expect("create layout");
        Layout {
            root: root.to_owned(),
            tags: BTreeMap::new(),
        }
    }

    pub fn blob_path(root: &Path, digest: &str) -> PathBuf {
        root.join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"))
    }

    pub fn put_blob(&self, media_type: &str, bytes: &[u8]) -> Descriptor {
        let d = Descriptor::new(media_type, bytes);
        let path = Self::blob_path(&self.root, &d.digest);
        if !path.exists() {
            fs::write(&path, bytes).expect("write blob");
        }
        d
    }

    /// Writes layers, config and manifest; returns the manifest's descriptor (with platform).
    pub fn put_image(&self, spec: &ImageSpec<'_>) -> Descriptor {
        let layers: Vec<Layer> = spec
            .layers
            .iter()
            .map(|l| build_layer(l, spec.seed))
            .collect();
        let history: Vec<Value> = if spec.history.is_empty() {
            spec.layers
                .iter()
                .map(|l| json!({ "created": CREATED, "created_by": l.created_by }))
                .collect()
        } else {
            let real = spec.history.iter().filter(|(_, empty)| !empty).count();
            assert_eq!(
                real,
                layers.len(),
                "history must have one non-empty line per layer"
            );
            spec.history
                .iter()
                .map(|(by, empty)| {
                    let mut h = json!({ "created": CREATED, "created_by": by });
                    if *empty {
                        h["empty_layer"] = json!(true);
                    }
                    h
                })
                .collect()
        };
        let mut config = spec.platform.to_json();
        config["created"] = json!(CREATED);
        config["config"] = spec.runtime.clone();
        config["rootfs"] = json!({
            "type": "layers",
            "diff_ids": layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>(),
        });
        config["history"] = Value::Array(history);
        let config_bytes = serde_json::to_vec(&config).expect("config json");
        let config_desc = self.put_blob(MT_OCI_CONFIG, &config_bytes);
        let layer_descs: Vec<Value> = layers
            .iter()
            .map(|l| self.put_blob(l.media_type, &l.blob).to_json())
            .collect();
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": config_desc.to_json(),
            "layers": layer_descs,
        });
        let mut d = self.put_blob(MT_OCI_MANIFEST, &to_pretty(&manifest));
        d.platform = Some(spec.platform.clone());
        d
    }

    /// An OCI index over `manifests` (their descriptors carry the platforms).
    pub fn put_index(&self, manifests: &[Descriptor]) -> Descriptor {
        let index = json!({
            "schemaVersion": 2,
            "mediaType": MT_OCI_INDEX,
            "manifests": manifests.iter().map(Descriptor::to_json).collect::<Vec<_>>(),
        });
        self.put_blob(MT_OCI_INDEX, &to_pretty(&index))
    }

    /// Puts any JSON document as a blob (artifact manifests, referrer indexes).
    pub fn put_json(&self, media_type: &str, doc: &Value) -> Descriptor {
        self.put_blob(media_type, &to_pretty(doc))
    }

    /// Names `desc` in `index.json` (`org.opencontainers.image.ref.name`), for `oci:DIR:NAME`.
    pub fn tag(&mut self, name: &str, desc: &Descriptor) {
        let mut d = desc.clone();
        d.platform = None; // index.json entries for indexes carry no platform
        self.tags.insert(name.to_owned(), d);
    }

    pub fn finish(self) {
        let manifests: Vec<Value> = self
            .tags
            .iter()
            .map(|(name, d)| {
                let mut v = d.to_json();
                v["annotations"] = json!({ "org.opencontainers.image.ref.name": name });
                v
            })
            .collect();
        let index =
            json!({ "schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": manifests });
        fs::write(self.root.join("index.json"), to_pretty(&index)).expect("index.json");
        fs::write(
            self.root.join("oci-layout"),
            br#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .expect("oci-layout");
    }
}

/// Manifests are stored pretty-printed, as most tools do; the bytes are what gets digested.
pub fn to_pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("json")
}
