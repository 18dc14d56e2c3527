//! Streams the data of chosen entries out of one layer blob: decompress (gzip, zstd or
//! none), walk the tar, and for each entry a predicate accepts hand a reader over its data to
//! a visitor, which may stop the walk. Nothing is written anywhere and nothing is buffered
//! beyond the decoders' windows; the same limits as the listing apply (header budget, zstd
//! window and its share of the memory budget). This is the primitive under `berth cat`, the
//! Files tab's viewer and extraction.

use super::entry::EntryKind;
use super::tar_limits::{self, HeaderBudget};
use super::{Error, window};
use crate::oci::Digest;
use crate::oci::media::Compression;
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};

const BLOB_BUFFER: usize = 128 * 1024;
const TAR_BUFFER: usize = 64 * 1024;

/// One tar entry as the predicate and the visitor see it.
#[derive(Debug, Clone, Copy)]
pub struct EntryHead<'a> {
    /// The path exactly as the tar stores it.
    pub path: &'a [u8],
    pub kind: EntryKind,
    /// The data bytes the entry carries.
    pub size: u64,
    pub mode: u32,
    /// Symlink or hardlink target, as stored.
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
    mut wants: impl FnMut(&EntryHead<'_>) -> bool,
    mut visit: impl FnMut(&EntryHead<'_>, &mut dyn Read) -> io::Result<Visit>,
) -> Result<(), Error> {
    let read = Cell::new(0u64);
    let mut source = BufReader::with_capacity(
        BLOB_BUFFER,
        Counted {
            inner: blob,
            read: &read,
        },
    );
    let window = match compression {
        Compression::Zstd => match source.fill_buf().map(window::zstd_window) {
            Ok(window::ZstdWindow::Known(w)) => w,
            Ok(window::ZstdWindow::Unknown) | Err(_) => window::MAX_WINDOW,
        },
        Compression::Gzip | Compression::None => 32 * 1024,
    };
    if window > window::MAX_WINDOW {
        return Err(Error::WindowTooLarge {
            digest: digest.clone(),
            limit: window::MAX_WINDOW,
        });
    }
    let _memory = window::reserve(window::reservation(window));
    let decoder = decoder(source, compression).map_err(|e| io_error(e, digest, &read, 0))?;
    let budget = HeaderBudget::default();
    let limited = budget.reader(BufReader::with_capacity(TAR_BUFFER, decoder));
    let mut archive = tar::Archive::new(limited);
    let mut entries = archive
        .entries()
        .map_err(|e| io_error(e, digest, &read, 0))?;
    let mut tar_offset = 0;
    loop {
        let Some(item) = budget.within(|| entries.next()) else {
            return Ok(());
        };
        let mut entry = match item {
            Ok(entry) => entry,
            Err(_) if budget.exceeded() => {
                return Err(Error::HeaderTooLarge {
                    digest: digest.clone(),
                    tar_offset,
                    limit: tar_limits::HEADER_BUDGET,
                });
            }
            Err(e) => return Err(io_error(e, digest, &read, tar_offset)),
        };
        tar_offset = entry.raw_header_position();
        let header = entry.header();
        let entry_type = header.entry_type();
        let kind = kind_of(entry_type);
        let mode = header.mode().unwrap_or(0) & 0o7777;
        let path = entry.path_bytes().into_owned();
        let link = entry.link_name_bytes().map(std::borrow::Cow::into_owned);
        if path.len() > tar_limits::MAX_NAME
            || link
                .as_ref()
                .is_some_and(|l| l.len() > tar_limits::MAX_NAME)
        {
            return Err(Error::NameTooLong {
                digest: digest.clone(),
                tar_offset,
                limit: tar_limits::MAX_NAME as u64,
            });
        }
        let head = EntryHead {
            path: &path,
            kind,
            size: entry.size(),
            mode,
            link: link.as_deref(),
            header_offset: tar_offset,
        };
        if !entry_type.is_pax_global_extensions() && wants(&head) {
            match visit(&head, &mut entry) {
                Ok(Visit::Next) => {}
                Ok(Visit::Stop) => return Ok(()),
                Err(e) => return Err(io_error(e, digest, &read, tar_offset)),
            }
        }
        // The rest of the data is read here, outside the header budget.
        io::copy(&mut entry, &mut io::sink())
            .map_err(|e| io_error(e, digest, &read, tar_offset))?;
    }
}

/// The tar entry type as Berth names it (as the listing does).
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

/// Turns an I/O failure into this layer's error: one of ours carried inside wins, then a
/// verification failure of the source, then damage at the blob offset reached.
fn io_error(e: io::Error, digest: &Digest, read: &Cell<u64>, tar_offset: u64) -> Error {
    type Inner = dyn std::error::Error + Send + Sync;
    let offset = read.get();
    if e.get_ref().is_some_and(Inner::is::<Error>) {
        if let Some(inner) = e.into_inner()
            && let Ok(ours) = inner.downcast::<Error>()
        {
            return *ours;
        }
        return Error::Worker("lost the source error".to_owned());
    }
    if e.get_ref()
        .is_some_and(Inner::is::<crate::oci::VerifyError>)
    {
        if let Some(inner) = e.into_inner()
            && let Ok(source) = inner.downcast::<crate::oci::VerifyError>()
        {
            return Error::Verify {
                digest: digest.clone(),
                offset,
                source: *source,
            };
        }
        return Error::Worker("lost the verification error".to_owned());
    }
    if e.kind() == io::ErrorKind::UnexpectedEof {
        return Error::Truncated {
            digest: digest.clone(),
            offset,
            tar_offset,
        };
    }
    Error::Corrupt {
        digest: digest.clone(),
        offset,
        tar_offset,
        reason: tar_limits::reason(&e),
    }
}

/// Counts blob bytes read, for error offsets.
struct Counted<'a, R> {
    inner: R,
    read: &'a Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

fn decoder<'s, S: BufRead + 's>(
    source: S,
    compression: Compression,
) -> io::Result<Box<dyn Read + 's>> {
    Ok(match compression {
        Compression::None => Box::new(source),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(source)),
        Compression::Zstd => {
            let mut d = zstd::stream::read::Decoder::with_buffer(source)?;
            d.window_log_max(window::MAX_WINDOW_LOG)?;
            Box::new(d)
        }
    })
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
