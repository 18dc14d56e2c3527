//! Reads one layer blob as a stream: count the blob bytes (for progress and error offsets),
//! decompress (gzip, zstd or none), parse the tar, keep each entry's metadata and hash each
//! file's data with SHA-256 on its way past (the bytes must be decompressed to reach the next
//! header anyway, so the hash is the only extra cost). Nothing is written anywhere. A damaged blob stops the read with an error naming
//! the layer and the offset, and the entries parsed before it are kept.

use super::entry::{Entry, EntryKind, LayerListing, Span};
use super::tar_limits::{self, HeaderBudget};
use super::{Error, LayerRead, window};
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
    let mut source = BufReader::with_capacity(BLOB_BUFFER, counting);
    let mut listing = LayerListing::with_capacity(256, 16 * 1024);
    let mut tar_offset = 0;
    // Memory first: a window larger than Berth decodes is refused before it is allocated,
    // and the decoder waits for its share of the process's budget (ARCHITECTURE.md, layers).
    let window = match compression {
        Compression::Zstd => match source.fill_buf().map(window::zstd_window) {
            Ok(window::ZstdWindow::Known(w)) => w,
            Ok(window::ZstdWindow::Unknown) | Err(_) => window::MAX_WINDOW,
        },
        Compression::Gzip | Compression::None => 32 * 1024,
    };
    let result = if window > window::MAX_WINDOW {
        Err(ParseError::Listing(Error::WindowTooLarge {
            digest: digest.clone(),
            limit: window::MAX_WINDOW,
        }))
    } else {
        let _memory = window::reserve(window::reservation(window));
        match Decoder::new(source, compression) {
            Ok(decoder) => parse(decoder, &mut listing, &mut tar_offset, digest),
            Err(e) => Err(ParseError::Io(e)),
        }
    };
    listing.blob_bytes = state.read.get();
    listing.tar_bytes = tar_offset;
    let error = result
        .err()
        .map(|e| classify(e, &state, digest, tar_offset, compression));
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
    digest: &Digest,
) -> Result<(), ParseError> {
    // Every entry's data is read to its end below, so what the tar crate reads inside
    // `next()` is headers and their extensions only: bounded by the header budget.
    let budget = HeaderBudget::default();
    let limited = budget.reader(BufReader::with_capacity(TAR_BUFFER, decoder));
    let mut archive = tar::Archive::new(limited);
    let mut data = vec![0u8; TAR_BUFFER];
    let mut entries = archive.entries().map_err(ParseError::Io)?;
    loop {
        let item = budget.within(|| entries.next());
        let Some(item) = item else { break };
        let mut entry = match item {
            Ok(entry) => entry,
            Err(_) if budget.exceeded() => {
                return Err(ParseError::Listing(Error::HeaderTooLarge {
                    digest: digest.clone(),
                    tar_offset: *tar_offset,
                    limit: tar_limits::HEADER_BUDGET,
                }));
            }
            Err(e) => return Err(ParseError::Io(e)),
        };
        let header_offset = entry.raw_header_position();
        *tar_offset = entry
            .raw_file_position()
            .saturating_add(entry.size().div_ceil(BLOCK) * BLOCK);
        let header = entry.header();
        let entry_type = header.entry_type();
        if entry_type.is_pax_global_extensions() {
            drain(&mut entry).map_err(ParseError::Io)?;
            continue;
        }
        let kind = kind_of(entry_type);
        // The tar crate's words for a bad field quote the field's bytes and the path: only
        // which field it was is said.
        let corrupt = |what: &str| ParseError::Header {
            offset: header_offset,
            reason: format!("invalid {what} in the header"),
        };
        let mode = header.mode().map_err(|_| corrupt("mode"))? & 0o7777;
        let uid = header.uid().map_err(|_| corrupt("uid"))?;
        let gid = header.gid().map_err(|_| corrupt("gid"))?;
        let mut mtime = header.mtime().map_err(|_| corrupt("mtime"))?;
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
        let (path, link) = names(&entry, kind, listing, digest, header_offset)?;
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
        drain(&mut entry).map_err(ParseError::Io)?;
    }
    // The tar ended at its end-of-archive marker. Read what follows (padding, the gzip
    // trailer) to the end, so the decoder checks its CRC and the source verifies the digest.
    let mut rest = archive.into_inner().into_inner();
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

/// The entry's path and link target (for links) into the listing's arena, each at most
/// [`tar_limits::MAX_NAME`] bytes.
fn names<R: Read>(
    entry: &tar::Entry<'_, R>,
    kind: EntryKind,
    listing: &mut LayerListing,
    digest: &Digest,
    header_offset: u64,
) -> Result<(Span, Option<Span>), ParseError> {
    let too_long = || {
        ParseError::Listing(Error::NameTooLong {
            digest: digest.clone(),
            tar_offset: header_offset,
            limit: tar_limits::MAX_NAME as u64,
        })
    };
    let name = entry.path_bytes();
    if name.len() > tar_limits::MAX_NAME {
        return Err(too_long());
    }
    let path = listing.push_bytes(&name)?;
    if !matches!(kind, EntryKind::Symlink | EntryKind::Hardlink) {
        return Ok((path, None));
    }
    let link = match entry.link_name_bytes() {
        Some(target) if target.len() > tar_limits::MAX_NAME => return Err(too_long()),
        Some(target) => listing.push_bytes(&target)?,
        None => listing.push_bytes(b"")?,
    };
    Ok((path, Some(link)))
}

/// Reads what is left of an entry's data (a directory or link that claims bytes), so the
/// tar crate never skips data inside the header budget.
fn drain(entry: &mut impl Read) -> io::Result<()> {
    io::copy(entry, &mut io::sink()).map(drop)
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
                // A later frame asking for more fails with `frameParameter_windowTooLarge`.
                d.window_log_max(window::MAX_WINDOW_LOG)?;
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
fn classify(
    e: ParseError,
    state: &SourceState,
    digest: &Digest,
    tar_offset: u64,
    compression: Compression,
) -> Error {
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
    // zstd's own words for `frameParameter_windowTooLarge` (a frame past the first).
    if compression == Compression::Zstd
        && io_error
            .to_string()
            .contains("Frame requires too much memory")
    {
        return Error::WindowTooLarge {
            digest: digest.clone(),
            limit: window::MAX_WINDOW,
        };
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
        reason: tar_limits::reason(&io_error),
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
