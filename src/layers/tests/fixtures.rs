//! Tar layers built in the test from a short description: directories, files of a given
//! size, symlinks, hardlinks, devices, fifos, whiteouts and opaque markers, GNU and PAX long
//! names; and gzip, zstd or no compression.

use crate::oci::Digest;
use crate::oci::media::Compression;

pub const MTIME: u64 = 1_700_000_000;

#[derive(Debug, Clone)]
pub enum Item {
    Dir(&'static str),
    File(&'static str, u64),
    /// A file holding exactly these bytes (two of them can differ in content, not size).
    Text(&'static str, &'static [u8]),
    /// A file with an explicit mode and owner.
    FileMode(&'static str, u64, u32, u64),
    Symlink(&'static str, &'static str),
    Hardlink(&'static str, &'static str),
    Fifo(&'static str),
    CharDev(&'static str, u32, u32),
    /// `.wh.NAME` in `DIR` for the path `DIR/NAME`.
    Whiteout(&'static str),
    /// `DIR/.wh..wh..opq`
    Opaque(&'static str),
    /// A file whose name goes into a PAX `path` record.
    PaxFile(String, u64),
    /// Any name as raw bytes (odd names), as a small file.
    RawName(Vec<u8>),
}

fn header(kind: tar::EntryType, mode: u32, uid: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(uid);
    h.set_gid(uid);
    h.set_mtime(MTIME);
    h.set_size(0);
    h
}

fn content(size: u64, seed: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(size as usize);
    let mut x: u32 = seed.bytes().fold(2_166_136_261, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    while (out.len() as u64) < size {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.push((x & 0xff) as u8);
    }
    out
}

/// The tar stream for `items`, in order.
pub fn tar(items: &[Item]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for item in items {
        match item {
            Item::Dir(p) => {
                let mut h = header(tar::EntryType::Directory, 0o755, 0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            Item::File(p, size) => {
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                h.set_size(*size);
                b.append_data(&mut h, p, &content(*size, p)[..]).unwrap();
            }
            Item::Text(p, bytes) => {
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                h.set_size(bytes.len() as u64);
                b.append_data(&mut h, p, *bytes).unwrap();
            }
            Item::FileMode(p, size, mode, uid) => {
                let mut h = header(tar::EntryType::Regular, *mode, *uid);
                h.set_size(*size);
                b.append_data(&mut h, p, &content(*size, p)[..]).unwrap();
            }
            Item::Symlink(p, target) => {
                let mut h = header(tar::EntryType::Symlink, 0o777, 0);
                b.append_link(&mut h, p, target).unwrap();
            }
            Item::Hardlink(p, target) => {
                let mut h = header(tar::EntryType::Link, 0o644, 0);
                b.append_link(&mut h, p, target).unwrap();
            }
            Item::Fifo(p) => {
                let mut h = header(tar::EntryType::Fifo, 0o644, 0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            Item::CharDev(p, major, minor) => {
                let mut h = header(tar::EntryType::Char, 0o666, 0);
                h.set_device_major(*major).unwrap();
                h.set_device_minor(*minor).unwrap();
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            Item::Whiteout(p) => {
                let (dir, name) = p.rsplit_once('/').map_or(("", *p), |(d, n)| (d, n));
                let path = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                b.append_data(&mut h, path, std::io::empty()).unwrap();
            }
            Item::Opaque(dir) => {
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                b.append_data(&mut h, format!("{dir}/.wh..wh..opq"), std::io::empty())
                    .unwrap();
            }
            Item::PaxFile(p, size) => {
                b.append_pax_extensions([("path", p.as_bytes())]).unwrap();
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                h.set_size(*size);
                // The ustar name field gets a stand-in; the PAX record is the real name.
                h.as_old_mut().name[..8].copy_from_slice(b"pax-stub");
                h.set_cksum();
                b.append(&h, &content(*size, p)[..]).unwrap();
            }
            Item::RawName(name) => {
                let mut h = header(tar::EntryType::Regular, 0o644, 0);
                h.set_size(3);
                h.as_old_mut().name[..name.len()].copy_from_slice(name);
                h.set_cksum();
                b.append(&h, &b"odd"[..]).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

pub fn compress(tar: &[u8], c: Compression) -> Vec<u8> {
    use std::io::Write as _;
    match c {
        Compression::None => tar.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        Compression::Zstd => zstd::encode_all(tar, 3).unwrap(),
    }
}

pub fn media_type(c: Compression) -> &'static str {
    match c {
        Compression::None => crate::oci::media::OCI_LAYER,
        Compression::Gzip => crate::oci::media::OCI_LAYER_GZIP,
        Compression::Zstd => crate::oci::media::OCI_LAYER_ZSTD,
    }
}

/// A compressed layer blob and its digest.
pub struct Blob {
    pub bytes: Vec<u8>,
    pub digest: Digest,
    pub compression: Compression,
}

pub fn blob(items: &[Item], c: Compression) -> Blob {
    let bytes = compress(&tar(items), c);
    Blob {
        digest: Digest::of(&bytes),
        bytes,
        compression: c,
    }
}

/// Reads a blob from memory, with no progress reporting.
pub fn read(blob: &Blob) -> super::super::LayerRead {
    super::super::read_layer(&blob.bytes[..], blob.compression, &blob.digest, &mut |_| {})
}

/// The three layers of the merge fixture; see `merge::expected` for what they make.
pub fn image_layers() -> Vec<Blob> {
    vec![
        blob(
            &[
                Item::Dir("etc/"),
                Item::File("etc/passwd", 100),
                Item::Dir("usr/"),
                Item::Dir("usr/bin/"),
                Item::File("usr/bin/app", 1000),
                Item::Symlink("usr/bin/sh", "app"),
                Item::Hardlink("usr/bin/app2", "usr/bin/app"),
                Item::Dir("usr/lib/"),
                Item::File("usr/lib/big", 5000),
                Item::File("usr/lib/old", 300),
                Item::Dir("opt/"),
                Item::Dir("opt/data/"),
                Item::File("opt/data/a", 10),
                Item::File("opt/data/b", 20),
                Item::Dir("tmp/"),
                Item::Dir("tmp/cache/"),
                Item::File("tmp/cache/x", 50),
            ],
            Compression::Gzip,
        ),
        blob(
            &[
                Item::Dir("usr/"),
                Item::Dir("usr/bin/"),
                Item::File("usr/bin/app", 1200),
                Item::Dir("usr/lib/"),
                Item::Whiteout("usr/lib/big"),
                Item::Dir("opt/data/"),
                Item::File("opt/data/c", 7),
                Item::Opaque("opt/data"),
                Item::File("etc/new", 5),
                Item::Fifo("run/fifo"),
                Item::CharDev("dev/null", 1, 3),
            ],
            Compression::Zstd,
        ),
        blob(
            &[
                Item::Whiteout("tmp/cache"),
                Item::FileMode("etc/passwd", 100, 0o600, 0),
                Item::Dir("usr/lib/old/"),
                Item::File("usr/lib/old/inner", 40),
            ],
            Compression::None,
        ),
    ]
}
