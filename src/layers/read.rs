//! Reads one layer blob as a stream: count the blob bytes (for progress and error offsets),
//! decompress (gzip, zstd or none), parse the tar, keep each entry's metadata and hash each
//! file's data with SHA-256 on its way past (the bytes must be decompressed to reach the next
//! header anyway, so the hash is the only extra cost). Nothing is written anywhere. A damaged blob stops the read with an error naming
//! the layer and the offset, and the entries parsed before it are kept.

use super::entry::{Entry, EntryKind, LayerListing};
use super::{Error, LayerRead};
use crate::oci::Digest;
use crate::oci::media::Compression;
use sha2::{Digest as _, Sha256};
use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, BufReader, Read};

/// Progress is reported at most once per this many blob bytes (and once at the end), so a
/// GUI callback that sends an event per call is not flooded.
pub const PROGRESS_STEP: u64 = 256 * 1024;

const BLOB_BUFFER: usize = 128 * 1024;
const TAR_BUFFER: usize = 64 * 1024;
const BLOCK: u64 = 512;

/// Reads the layer in `blob` (compressed as `compression`) and lists its entries.
///
/// `progress` gets the number of blob bytes read so far. Errors from `blob` itself are
/// expected to carry a [`Error`] (as [`std::io::Error::other`]) when the source knows
/// better than "read failed"; a [`crate::oci::VerifyError`] inside an `io::Error` (what
/// [`crate::oci::VerifyingReader`] produces) becomes [`Error::Verify`].
pub fn read_layer<R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    progress: &mut dyn FnMut(u64),
) -> LayerRead {
    let state = SourceState::default();
    let counting = Counting {
        inner: blob,
        state: &state,
        progress,
        next_report: PROGRESS_STEP,
    };
    let source = BufReader::with_capacity(BLOB_BUFFER, counting);
    let mut listing = LayerListing::with_capacity(256, 16 * 1024);
    let mut tar_offset = 0;
    let result = match Decoder::new(source, compression) {
        Ok(decoder) => parse(decoder, &mut listing, &mut tar_offset),
        Err(e) => Err(ParseError::Io(e)),
    };
    listing.blob_bytes = state.read.get();
    listing.tar_bytes = tar_offset;
    let error = result
        .err()
        .map(|e| classify(e, &state, digest, tar_offset));
    LayerRead {
        listing,
        error,
        cached: false,
    }
}

fn parse<S: BufRead>(
    decoder: Decoder<S>,
    listing: &mut LayerListing,
    tar_offset: &mut u64,
) -> Result<(), ParseError> {
    let mut archive = tar::Archive::new(BufReader::with_capacity(TAR_BUFFER, decoder));
    let mut data = vec![0u8; TAR_BUFFER];
    for item in archive.entries().map_err(ParseError::Io)? {
        let mut entry = item.map_err(ParseError::Io)?;
        let header_offset = entry.raw_header_position();
        *tar_offset = entry
            .raw_file_position()
            .saturating_add(entry.size().div_ceil(BLOCK) * BLOCK);
        let header = entry.header();
        let entry_type = header.entry_type();
        if entry_type.is_pax_global_extensions() {
            continue;
        }
        let kind = kind_of(entry_type);
        let corrupt = |what: &str, e: &io::Error| ParseError::Header {
            offset: header_offset,
            reason: format!("invalid {what} in the header: {e}"),
        };
        let mode = header.mode().map_err(|e| corrupt("mode", &e))? & 0o7777;
        let uid = header.uid().map_err(|e| corrupt("uid", &e))?;
        let gid = header.gid().map_err(|e| corrupt("gid", &e))?;
        let mut mtime = header.mtime().map_err(|e| corrupt("mtime", &e))?;
        let (dev_major, dev_minor) =
            if matches!(kind, EntryKind::CharDevice | EntryKind::BlockDevice) {
                (
                    header.device_major().ok().flatten().unwrap_or(0),
                    header.device_minor().ok().flatten().unwrap_or(0),
                )
            } else {
                (0, 0)
            };
        let size = entry.size();
        let path = listing.push_bytes(&entry.path_bytes())?;
        let link = if matches!(kind, EntryKind::Symlink | EntryKind::Hardlink) {
            match entry.link_name_bytes() {
                Some(target) => Some(listing.push_bytes(&target)?),
                None => Some(listing.push_bytes(b"")?),
            }
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
        // A read error inside the data still lists the entry (its header was whole, as
        // before hashing, when the error surfaced at the next header), without a hash.
        let (sha256, data_error) = if matches!(kind, EntryKind::File | EntryKind::Other) {
            match hash_data(&mut entry, &mut data) {
                Ok(hash) => (Some(hash), None),
                Err(e) => (None, Some(e)),
            }
        } else {
            (None, None)
        };
        listing.entries.push(Entry {
            kind,
            size,
            mode,
            uid,
            gid,
            mtime,
            dev_major,
            dev_minor,
            header_offset,
            sha256,
            path,
            link,
        });
        if let Some(e) = data_error {
            return Err(ParseError::Io(e));
        }
    }
    // The tar ended at its end-of-archive marker. Read what follows (padding, the gzip
    // trailer) to the end, so the decoder checks its CRC and the source verifies the digest.
    let mut rest = archive.into_inner();
    let mut sink = [0u8; 8192];
    loop {
        match rest.read(&mut sink) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ParseError::Io(e)),
        }
    }
}

/// SHA-256 of the rest of `data` (one tar entry's bytes), read through `buffer`.
fn hash_data(data: &mut impl Read, buffer: &mut [u8]) -> io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    loop {
        match data.read(buffer) {
            Ok(0) => return Ok(hasher.finalize().into()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

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

/// `1700000000.25` → 1700000000. Negative times (before 1970) become 0.
fn parse_pax_seconds(value: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(value).ok()?;
    let whole = text.split('.').next()?;
    if whole.starts_with('-') {
        return Some(0);
    }
    whole.parse().ok()
}

enum ParseError {
    Io(io::Error),
    Header { offset: u64, reason: String },
    Listing(Error),
}

impl From<Error> for ParseError {
    fn from(e: Error) -> Self {
        Self::Listing(e)
    }
}

/// Shared by the counting reader (deep inside the decoder) and the code that classifies
/// errors: a decoder may turn a source failure into its own error, so the original is
/// kept here.
#[derive(Default)]
struct SourceState {
    read: Cell<u64>,
    eof: Cell<bool>,
    failure: RefCell<Option<io::Error>>,
}

struct Counting<'a, R> {
    inner: R,
    state: &'a SourceState,
    progress: &'a mut dyn FnMut(u64),
    next_report: u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() => {
                self.state.eof.set(true);
                (self.progress)(self.state.read.get());
                Ok(0)
            }
            Ok(n) => {
                let read = self.state.read.get() + n as u64;
                self.state.read.set(read);
                if read >= self.next_report {
                    (self.progress)(read);
                    self.next_report = read + PROGRESS_STEP;
                }
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let message = e.to_string();
                *self.state.failure.borrow_mut() = Some(e);
                Err(io::Error::other(message))
            }
        }
    }
}

enum Decoder<S: BufRead> {
    None(S),
    Gzip(flate2::bufread::MultiGzDecoder<S>),
    Zstd(zstd::stream::read::Decoder<'static, S>),
}

impl<S: BufRead> Decoder<S> {
    fn new(source: S, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Self::None(source),
            Compression::Gzip => Self::Gzip(flate2::bufread::MultiGzDecoder::new(source)),
            Compression::Zstd => {
                let mut d = zstd::stream::read::Decoder::with_buffer(source)?;
                // Layers made with `zstd --long` use windows up to 2 GiB.
                d.window_log_max(31)?;
                Self::Zstd(d)
            }
        })
    }
}

impl<S: BufRead> Read for Decoder<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::None(r) => r.read(buf),
            Self::Gzip(r) => r.read(buf),
            Self::Zstd(r) => r.read(buf),
        }
    }
}

/// Turns what stopped the read into an error about this layer. A failure of the source
/// wins (it is the cause); then an early end of the blob means truncation; anything else
/// is damage in the compressed stream or the tar.
fn classify(e: ParseError, state: &SourceState, digest: &Digest, tar_offset: u64) -> Error {
    let offset = state.read.get();
    let io_error = match e {
        ParseError::Listing(e) => return e,
        ParseError::Header {
            offset: header,
            reason,
        } => {
            return Error::Corrupt {
                digest: digest.clone(),
                offset,
                tar_offset: header,
                reason,
            };
        }
        ParseError::Io(e) => e,
    };
    if let Some(source) = state.failure.borrow_mut().take() {
        return source_error(source, digest, offset);
    }
    if state.eof.get() {
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
        reason: io_error.to_string(),
    }
}

fn source_error(e: io::Error, digest: &Digest, offset: u64) -> Error {
    type Inner = dyn std::error::Error + Send + Sync;
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
            && let Ok(v) = inner.downcast::<crate::oci::VerifyError>()
        {
            return Error::Verify {
                digest: digest.clone(),
                offset,
                source: *v,
            };
        }
        return Error::Worker("lost the verification error".to_owned());
    }
    Error::Read {
        digest: digest.clone(),
        offset,
        source: e,
    }
}
