//! The one tar walker over a layer blob: decode it ([`super::decode`]: gzip, zstd or none,
//! within the memory budget), walk the tar within the header budget, and for each entry a
//! predicate accepts hand its metadata and a reader over its data to a visitor, which may
//! stop the walk. Nothing is written anywhere and nothing is buffered beyond the decoders'
//! windows. The listing pass ([`super::read_layer`]), `berth cat`, the Files tab's viewer and
//! extraction all read layers through it. A walk that reaches the tar's end reads the blob
//! to its end too, so the decoder checks its trailer and the source the digest.

use super::Error;
use super::decode::{self, SourceState};
use super::entry::EntryKind;
use super::inflate::Checkpoint;
use super::seek_index::FrameStart;
use super::tar_limits::{self, HeaderBudget};
use crate::oci::Digest;
use crate::oci::media::Compression;
use std::io::{self, BufReader, Read};

const TAR_BUFFER: usize = 64 * 1024;
const BLOCK: u64 = 512;

/// One tar entry as the predicate and the visitor see it.
#[derive(Debug, Clone, Copy)]
pub struct EntryHead<'a> {
    /// The path exactly as the tar stores it.
    pub path: &'a [u8],
    pub kind: EntryKind,
    /// The data bytes the entry carries.
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Seconds since 1970, from PAX when it has a more precise one.
    pub mtime: u64,
    /// Device numbers, for character and block devices (0 otherwise).
    pub dev_major: u32,
    pub dev_minor: u32,
    /// Symlink or hardlink target, as stored (`None` for other kinds).
    pub link: Option<&'a [u8]>,
    /// Where the entry's first header starts in the uncompressed tar (the listing's
    /// [`super::Entry::header_offset`]).
    pub header_offset: u64,
}

/// What the visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Go on to the next entry (what is left of this one's data is skipped).
    Next,
    /// Stop reading the blob.
    Stop,
}

/// How far a [`walk`] went, also when it failed.
#[derive(Debug)]
pub struct Walked {
    pub result: Result<(), Error>,
    /// Blob (compressed) bytes read.
    pub blob_bytes: u64,
    /// The end of the last entry's data in the uncompressed tar.
    pub tar_bytes: u64,
    /// Inflate checkpoints recorded (gzip, when asked for).
    pub checkpoints: Vec<Checkpoint>,
    /// Zstd data frame starts recorded (zstd, when asked for; thinned past
    /// [`super::seek_index::MAX_CHECKPOINTS`]).
    pub frames: Vec<FrameStart>,
    /// Zstd data frames seen (frames that produced at least one byte).
    pub data_frames: u64,
    /// With checkpoints: for each entry the visitor was given and went past, the blob byte
    /// (exclusive) by which its last data byte was decoded (see [`super::Entry::span_end`];
    /// 0 where unknown). Empty without an index.
    pub spans: Vec<u64>,
}

/// Reads the layer in `blob` (compressed as `compression`) and calls `visit` with a reader
/// over the data of every entry `wants` accepts, in tar order. Returns when the tar ends or
/// the visitor says [`Visit::Stop`]. An error from the visitor (an `io::Error` carrying an
/// [`Error`] is returned as that error) or from the blob stops the walk.
///
/// # Errors
/// A damaged or truncated blob, a source failure (verification errors of a
/// [`crate::oci::VerifyingReader`] become [`Error::Verify`]), or the visitor's error.
pub fn read_entries<R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    wants: impl FnMut(&EntryHead<'_>) -> bool,
    visit: impl FnMut(&EntryHead<'_>, &mut dyn Read) -> io::Result<Visit>,
) -> Result<(), Error> {
    walk(blob, compression, digest, &mut |_| {}, 0, wants, visit).result
}

/// [`read_entries`] with progress (blob bytes read so far, at most once per
/// [`decode::PROGRESS_STEP`] and at the end) and how far it went; with `index_interval` > 0,
/// a gzip blob's inflate checkpoints every that many compressed bytes, or a zstd blob's
/// frame starts (for a seek index).
pub fn walk<R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    progress: &mut dyn FnMut(u64),
    index_interval: u64,
    mut wants: impl FnMut(&EntryHead<'_>) -> bool,
    mut visit: impl FnMut(&EntryHead<'_>, &mut dyn Read) -> io::Result<Visit>,
) -> Walked {
    let state = SourceState::default();
    let mut tar_bytes = 0;
    let mut spans = Vec::new();
    let mut passed = |data_end: u64| {
        if index_interval > 0 {
            spans.push(state.span_end(data_end));
        }
    };
    let result = match decode::open(blob, compression, digest, &state, progress, index_interval) {
        Ok(decoded) => {
            let budget = HeaderBudget::default();
            let limited = budget.reader(BufReader::with_capacity(TAR_BUFFER, decoded));
            let archive = tar::Archive::new(limited);
            entries(
                archive,
                &budget,
                digest,
                &mut tar_bytes,
                &mut wants,
                &mut visit,
                &mut passed,
            )
            .map_err(|e| match e {
                Stop::Listing(e) => e,
                Stop::Header(tar_offset, reason) => Error::Corrupt {
                    digest: digest.clone(),
                    offset: state.read.get(),
                    tar_offset,
                    reason,
                },
                Stop::Io(e) => decode::classify(e, &state, digest, tar_bytes, compression),
            })
        }
        Err(e) => Err(e),
    };
    let frames = state.frames.take();
    Walked {
        result,
        blob_bytes: state.read.get(),
        tar_bytes,
        checkpoints: state.checkpoints.take(),
        frames: frames.starts,
        data_frames: frames.data_frames,
        spans,
    }
}

enum Stop {
    Io(io::Error),
    Listing(Error),
    /// A header field that does not parse, at this tar offset.
    Header(u64, String),
}

fn entries<R: Read>(
    mut archive: tar::Archive<tar_limits::Limited<'_, R>>,
    budget: &HeaderBudget,
    digest: &Digest,
    tar_bytes: &mut u64,
    wants: &mut impl FnMut(&EntryHead<'_>) -> bool,
    visit: &mut impl FnMut(&EntryHead<'_>, &mut dyn Read) -> io::Result<Visit>,
    passed: &mut dyn FnMut(u64),
) -> Result<(), Stop> {
    let mut entries = archive.entries().map_err(Stop::Io)?;
    while let Some(item) = budget.within(|| entries.next()) {
        let mut entry = match item {
            Ok(entry) => entry,
            Err(_) if budget.exceeded() => {
                return Err(Stop::Listing(Error::HeaderTooLarge {
                    digest: digest.clone(),
                    tar_offset: *tar_bytes,
                    limit: tar_limits::HEADER_BUDGET,
                }));
            }
            Err(e) => return Err(Stop::Io(e)),
        };
        let header_offset = entry.raw_header_position();
        let data_end = entry.raw_file_position().saturating_add(entry.size());
        *tar_bytes = entry
            .raw_file_position()
            .saturating_add(entry.size().div_ceil(BLOCK) * BLOCK);
        if entry.header().entry_type().is_pax_global_extensions() {
            io::copy(&mut entry, &mut io::sink()).map_err(Stop::Io)?;
            continue;
        }
        let fields = Fields::of(&mut entry, digest, header_offset)?;
        let head = EntryHead {
            path: &fields.path,
            kind: fields.kind,
            size: entry.size(),
            mode: fields.mode,
            uid: fields.uid,
            gid: fields.gid,
            mtime: fields.mtime,
            dev_major: fields.dev.0,
            dev_minor: fields.dev.1,
            link: fields.link.as_deref(),
            header_offset,
        };
        let wanted = wants(&head);
        if wanted {
            match visit(&head, &mut entry) {
                Ok(Visit::Next) => {}
                Ok(Visit::Stop) => return Ok(()),
                Err(e) => return Err(Stop::Io(e)),
            }
        }
        // The rest of the data is read here, outside the header budget.
        io::copy(&mut entry, &mut io::sink()).map_err(Stop::Io)?;
        if wanted {
            passed(data_end);
        }
    }
    // The tar ended at its end-of-archive marker. Read what follows (padding, the gzip
    // trailer) to the end, so the decoder checks its CRC and the source verifies the digest.
    let mut rest = archive.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(Stop::Io)?;
    Ok(())
}

/// An entry's header fields, each checked.
struct Fields {
    path: Vec<u8>,
    link: Option<Vec<u8>>,
    kind: EntryKind,
    mode: u32,
    uid: u64,
    gid: u64,
    mtime: u64,
    dev: (u32, u32),
}

impl Fields {
    fn of<R: Read>(
        entry: &mut tar::Entry<'_, R>,
        digest: &Digest,
        header_offset: u64,
    ) -> Result<Self, Stop> {
        let header = entry.header();
        let kind = kind_of(header.entry_type());
        // The tar crate's words for a bad field quote the field's bytes and the path: only
        // which field it was is said.
        let corrupt =
            |what: &str| Stop::Header(header_offset, format!("invalid {what} in the header"));
        let mode = header.mode().map_err(|_| corrupt("mode"))? & 0o7777;
        let uid = header.uid().map_err(|_| corrupt("uid"))?;
        let gid = header.gid().map_err(|_| corrupt("gid"))?;
        let mut mtime = header.mtime().map_err(|_| corrupt("mtime"))?;
        let dev = if matches!(kind, EntryKind::CharDevice | EntryKind::BlockDevice) {
            (
                header.device_major().ok().flatten().unwrap_or(0),
                header.device_minor().ok().flatten().unwrap_or(0),
            )
        } else {
            (0, 0)
        };
        let too_long = || {
            Stop::Listing(Error::NameTooLong {
                digest: digest.clone(),
                tar_offset: header_offset,
                limit: tar_limits::MAX_NAME as u64,
            })
        };
        let path = entry.path_bytes().into_owned();
        if path.len() > tar_limits::MAX_NAME {
            return Err(too_long());
        }
        let link = if matches!(kind, EntryKind::Symlink | EntryKind::Hardlink) {
            let target = entry.link_name_bytes().unwrap_or_default();
            if target.len() > tar_limits::MAX_NAME {
                return Err(too_long());
            }
            Some(target.into_owned())
        } else {
            None
        };
        // PAX may carry a precise mtime; the tar crate applies PAX uid/gid/size itself.
        if let Ok(Some(pax)) = entry.pax_extensions() {
            for ext in pax.flatten() {
                if ext.key_bytes() == b"mtime"
                    && let Some(secs) = parse_pax_seconds(ext.value_bytes())
                {
                    mtime = secs;
                }
            }
        }
        Ok(Self {
            path,
            link,
            kind,
            mode,
            uid,
            gid,
            mtime,
            dev,
        })
    }
}

/// `1700000000.25` → 1700000000. Negative times (before 1970) become 0.
fn parse_pax_seconds(value: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(value).ok()?;
    let whole = text.split('.').next()?;
    if whole.starts_with('-') {
        return Some(0);
    }
    whole.parse().ok()
}

/// The tar entry type as Berth names it.
fn kind_of(t: tar::EntryType) -> EntryKind {
    use tar::EntryType as T;
    match t {
        T::Regular | T::Continuous | T::GNUSparse => EntryKind::File,
        T::Directory => EntryKind::Dir,
        T::Symlink => EntryKind::Symlink,
        T::Link => EntryKind::Hardlink,
        T::Char => EntryKind::CharDevice,
        T::Block => EntryKind::BlockDevice,
        T::Fifo => EntryKind::Fifo,
        _ => EntryKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn layer() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut add = |path: &str, data: &[u8]| {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Regular);
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_uid(0);
            h.set_gid(0);
            h.set_mtime(0);
            b.append_data(&mut h, path, data).unwrap();
        };
        add("etc/a.txt", b"first\n");
        add("etc/big.bin", &vec![7u8; 300_000]);
        add("etc/a.txt", b"second\n");
        let tar = b.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    fn digest() -> Digest {
        Digest::parse(&format!("sha256:{}", "0".repeat(64))).unwrap()
    }

    #[test]
    fn chosen_entries_are_streamed_in_tar_order() {
        let blob = layer();
        let mut seen = Vec::new();
        read_entries(
            blob.as_slice(),
            Compression::Gzip,
            &digest(),
            |h| h.path == b"etc/a.txt",
            |h, data| {
                let mut text = String::new();
                data.read_to_string(&mut text)?;
                seen.push((h.header_offset, text));
                Ok(Visit::Next)
            },
        )
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].1, "first\n");
        assert_eq!(seen[1].1, "second\n");
        assert!(seen[1].0 > seen[0].0);
    }

    #[test]
    fn a_visitor_may_stop_and_read_only_a_part() {
        let blob = layer();
        let mut calls = 0;
        let mut first = Vec::new();
        read_entries(
            blob.as_slice(),
            Compression::Gzip,
            &digest(),
            |h| h.kind == EntryKind::File,
            |h, data| {
                calls += 1;
                assert_eq!(h.path, b"etc/a.txt");
                data.take(3).read_to_end(&mut first)?;
                Ok(Visit::Stop)
            },
        )
        .unwrap();
        assert_eq!((calls, first.as_slice()), (1, &b"fir"[..]));
    }

    #[test]
    fn a_truncated_blob_is_an_error() {
        let blob = layer();
        let cut = &blob[..blob.len() / 2];
        let result = read_entries(
            cut,
            Compression::Gzip,
            &digest(),
            |_| true,
            |_, _| Ok(Visit::Next),
        );
        assert!(
            matches!(result, Err(Error::Truncated { .. } | Error::Corrupt { .. })),
            "{result:?}"
        );
    }
}
