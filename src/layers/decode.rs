//! The one decoder of layer blobs: counts the blob bytes read (for progress and error
//! offsets), checks the zstd window against the memory budget before anything is allocated,
//! decompresses gzip, zstd or nothing, and turns what stopped a read into this layer's
//! [`Error`] (a failure of the source wins, then truncation, then damage). Used by the tar
//! walker in [`super::content`], which the listing, `cat`, the viewer and extraction share.

use super::inflate::{Checkpoint, Inflater};
use super::tar_limits;
use super::zstd_frames::{FrameLog, FrameReader, FrameRecording};
use super::{Error, window};
use crate::oci::Digest;
use crate::oci::media::Compression;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

/// Progress is reported at most once per this many blob bytes (and once at the end), so a
/// GUI callback that sends an event per call is not flooded.
pub const PROGRESS_STEP: u64 = 256 * 1024;

const BLOB_BUFFER: usize = 128 * 1024;

/// Shared by the counting reader (deep inside the decoder) and the code that classifies
/// errors: a decoder may turn a source failure into its own error, so the original is
/// kept here.
#[derive(Default)]
pub(super) struct SourceState {
    pub(super) read: Cell<u64>,
    eof: Cell<bool>,
    failure: RefCell<Option<io::Error>>,
    /// Inflate checkpoints recorded so far (gzip with an index interval).
    pub(super) checkpoints: RefCell<Vec<Checkpoint>>,
    /// Zstd frames seen so far (zstd with an index interval).
    pub(super) frames: RefCell<FrameLog>,
    /// (uncompressed bytes decoded, compressed bits taken) after each read of the indexed
    /// inflater, dropped once the walker is past them: the source of entries' spans.
    marks: RefCell<VecDeque<(u64, u64)>>,
}

impl SourceState {
    /// The blob byte up to which (exclusive) the input suffices to decode the first `out`
    /// uncompressed bytes, from the marks the inflater left (0 when there is none, as for
    /// zstd or plain gzip). Marks before `out` are dropped: ask in increasing order.
    pub(super) fn span_end(&self, out: u64) -> u64 {
        let mut marks = self.marks.borrow_mut();
        while marks.front().is_some_and(|&(o, _)| o < out) {
            marks.pop_front();
        }
        marks.front().map_or(0, |&(_, bits)| bits.div_ceil(8))
    }
}

/// Counts blob bytes, reports progress, keeps a source failure for [`classify`].
pub(super) struct Counting<'a, R> {
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

/// A decompressing reader over one blob.
pub(super) enum Decoder<S: BufRead> {
    None(S),
    Gzip(flate2::bufread::MultiGzDecoder<S>),
    /// Gzip through Berth's own inflater, recording checkpoints for a seek index.
    Indexed(Inflater<S>),
    Zstd(zstd::stream::read::Decoder<'static, S>),
    /// Zstd, recording where its frames start for a seek index.
    ZstdFrames(FrameReader<S>),
}

impl<S: BufRead> Read for Decoder<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::None(r) => r.read(buf),
            Self::Gzip(r) => r.read(buf),
            Self::Indexed(r) => r.read(buf),
            Self::Zstd(r) => r.read(buf),
            Self::ZstdFrames(r) => r.read(buf),
        }
    }
}

/// The decoded stream of `blob`, with its share of the memory budget held while it lives.
pub(super) struct Decoded<'a, R: Read> {
    pub(super) reader: Decoder<BufReader<Counting<'a, R>>>,
    state: &'a SourceState,
    _memory: window::Reserved,
}

impl<R: Read> Read for Decoded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buf)?;
        match &mut self.reader {
            Decoder::Indexed(inflater) => {
                self.state
                    .checkpoints
                    .borrow_mut()
                    .extend(inflater.take_checkpoints());
                let mark = inflater.decoded();
                let mut marks = self.state.marks.borrow_mut();
                if marks.back() != Some(&mark) {
                    marks.push_back(mark);
                }
            }
            Decoder::ZstdFrames(r) => r
                .operation_mut()
                .drain_into(&mut self.state.frames.borrow_mut()),
            _ => {}
        }
        Ok(n)
    }
}

/// Opens the decoder for `blob`. The zstd window is read from the frame header and refused
/// when larger than Berth decodes, before it is allocated; the decoder then waits for its
/// share of the process's memory budget (ARCHITECTURE.md, layers).
///
/// With `index_interval` > 0, gzip goes through Berth's own inflater, which records a
/// checkpoint every that many compressed bytes into `state` (for a seek index), and zstd
/// records where each of its frames starts ([`super::zstd_frames`]).
///
/// # Errors
/// A window too large, or a decoder that cannot start (classified as a read error).
pub(super) fn open<'a, R: Read>(
    blob: R,
    compression: Compression,
    digest: &Digest,
    state: &'a SourceState,
    progress: &'a mut dyn FnMut(u64),
    index_interval: u64,
) -> Result<Decoded<'a, R>, Error> {
    let counting = Counting {
        inner: blob,
        state,
        progress,
        next_report: PROGRESS_STEP,
    };
    let mut source = BufReader::with_capacity(BLOB_BUFFER, counting);
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
    let memory = window::reserve(window::reservation(window));
    let reader = match compression {
        Compression::None => Decoder::None(source),
        Compression::Gzip if index_interval > 0 => {
            Decoder::Indexed(Inflater::new(source, index_interval))
        }
        Compression::Gzip => Decoder::Gzip(flate2::bufread::MultiGzDecoder::new(source)),
        Compression::Zstd if index_interval > 0 => {
            match FrameRecording::new(window::MAX_WINDOW_LOG) {
                Ok(op) => Decoder::ZstdFrames(FrameReader::new(source, op)),
                Err(e) => return Err(classify(e, state, digest, 0, compression)),
            }
        }
        Compression::Zstd => {
            let started = zstd::stream::read::Decoder::with_buffer(source).and_then(|mut d| {
                // A later frame asking for more fails with `frameParameter_windowTooLarge`.
                d.window_log_max(window::MAX_WINDOW_LOG)?;
                Ok(d)
            });
            match started {
                Ok(d) => Decoder::Zstd(d),
                Err(e) => return Err(classify(e, state, digest, 0, compression)),
            }
        }
    };
    Ok(Decoded {
        reader,
        state,
        _memory: memory,
    })
}

/// Turns what stopped a read into an error about this layer. One of ours carried inside
/// wins, then a failure of the source (it is the cause), then an early end of the blob
/// (truncation); anything else is damage in the compressed stream or the tar.
pub(super) fn classify(
    e: io::Error,
    state: &SourceState,
    digest: &Digest,
    tar_offset: u64,
    compression: Compression,
) -> Error {
    type Inner = dyn std::error::Error + Send + Sync;
    let offset = state.read.get();
    if e.get_ref().is_some_and(Inner::is::<Error>) {
        return carried(e, digest, offset);
    }
    if let Some(source) = state.failure.borrow_mut().take() {
        return carried(source, digest, offset);
    }
    // zstd's own words for `frameParameter_windowTooLarge` (a frame past the first).
    if compression == Compression::Zstd && e.to_string().contains("Frame requires too much memory")
    {
        return Error::WindowTooLarge {
            digest: digest.clone(),
            limit: window::MAX_WINDOW,
        };
    }
    if state.eof.get() || e.kind() == io::ErrorKind::UnexpectedEof {
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

/// The error an `io::Error` carries: one of ours, a verification failure of a
/// [`crate::oci::VerifyingReader`], or else a read failure at `offset`.
fn carried(e: io::Error, digest: &Digest, offset: u64) -> Error {
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
