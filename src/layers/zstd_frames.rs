//! The frame boundaries of a zstd layer, recorded while it is read for its listing, for a
//! seek index: each zstd frame decodes on its own (no window is carried across frames), so
//! a layer written as several frames can later be read from the frame before a file.
//!
//! [`FrameRecording`] wraps the zstd crate's raw decoder as the same [`Operation`] its
//! stream reader drives: it counts the compressed bytes the decoder consumed and the bytes
//! it produced, and at every frame end (the decoder's hint 0, which it gives only once the
//! frame is wholly decoded and flushed, and it never reads past a frame's end in one step)
//! notes where the frame ended. [`FrameLog`] turns those ends into frame starts: a frame
//! that produced nothing (a skippable frame, or an empty one) is no place to start, so only
//! data frames count. It keeps at most [`MAX_CHECKPOINTS`] starts: past that it keeps
//! every other one and from then on records every second frame, so the points stay evenly
//! spread whatever the number of frames (a hostile blob of millions of tiny frames costs no
//! more memory than a sane one).

use super::seek_index::{FrameStart, MAX_CHECKPOINTS};
use std::io;
use zstd::stream::raw::{Decoder, InBuffer, Operation, OutBuffer, WriteBuf};

/// Frame ends seen by a [`FrameRecording`], turned into the starts of data frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameLog {
    /// Starts of data frames, in blob order (every `stride`-th data frame).
    pub starts: Vec<FrameStart>,
    /// Data frames seen (frames that produced at least one byte).
    pub data_frames: u64,
    stride: u64,
    /// Where the last frame ended (compressed byte, uncompressed offset).
    last_end: FrameStart,
}

impl Default for FrameLog {
    fn default() -> Self {
        Self {
            starts: Vec::new(),
            data_frames: 0,
            stride: 1,
            last_end: FrameStart { input: 0, out: 0 },
        }
    }
}

impl FrameLog {
    /// A frame ended at compressed byte `input`, uncompressed offset `out`.
    pub fn frame_ended(&mut self, input: u64, out: u64) {
        let start = std::mem::replace(&mut self.last_end, FrameStart { input, out });
        if out == start.out {
            // Skippable or empty: the next data frame starts after it.
            return;
        }
        if self.data_frames.is_multiple_of(self.stride) {
            self.starts.push(start);
            if self.starts.len() > MAX_CHECKPOINTS {
                let mut keep = false;
                self.starts.retain(|_| {
                    keep = !keep;
                    keep
                });
                self.stride *= 2;
            }
        }
        self.data_frames += 1;
    }
}

/// The zstd crate's raw decoder, noting where each frame ends.
pub struct FrameRecording {
    inner: Decoder<'static>,
    consumed: u64,
    produced: u64,
    /// Frame ends (compressed byte, uncompressed offset) not yet taken.
    ends: Vec<(u64, u64)>,
}

impl FrameRecording {
    /// A decoder that refuses windows above `2^window_log_max` bytes.
    ///
    /// # Errors
    /// The decoder cannot be made or the parameter is refused.
    pub fn new(window_log_max: u32) -> io::Result<Self> {
        let mut inner = Decoder::new()?;
        inner.set_parameter(zstd::zstd_safe::DParameter::WindowLogMax(window_log_max))?;
        Ok(Self {
            inner,
            consumed: 0,
            produced: 0,
            ends: Vec::new(),
        })
    }

    /// Moves the frame ends seen so far into `log`.
    pub fn drain_into(&mut self, log: &mut FrameLog) {
        for (input, out) in self.ends.drain(..) {
            log.frame_ended(input, out);
        }
    }
}

impl Operation for FrameRecording {
    fn run<C: WriteBuf + ?Sized>(
        &mut self,
        input: &mut InBuffer<'_>,
        output: &mut OutBuffer<'_, C>,
    ) -> io::Result<usize> {
        let (in_before, out_before) = (input.pos(), output.pos());
        let hint = self.inner.run(input, output)?;
        self.consumed += (input.pos() - in_before) as u64;
        self.produced += (output.pos() - out_before) as u64;
        if hint == 0 {
            // Frames that produced nothing since the last end (skippable ones, or a run of
            // empty ones a hostile blob may hold by the million, all within one `read`)
            // move that end on instead of adding one: the log would skip them anyway.
            match self.ends.last_mut() {
                Some(last) if last.1 == self.produced => last.0 = self.consumed,
                _ => self.ends.push((self.consumed, self.produced)),
            }
        }
        Ok(hint)
    }

    fn flush<C: WriteBuf + ?Sized>(&mut self, output: &mut OutBuffer<'_, C>) -> io::Result<usize> {
        let before = output.pos();
        let left = self.inner.flush(output)?;
        self.produced += (output.pos() - before) as u64;
        Ok(left)
    }

    fn reinit(&mut self) -> io::Result<()> {
        self.inner.reinit()
    }

    fn finish<C: WriteBuf + ?Sized>(
        &mut self,
        output: &mut OutBuffer<'_, C>,
        finished_frame: bool,
    ) -> io::Result<usize> {
        self.inner.finish(output, finished_frame)
    }
}

/// A reader of a whole zstd blob that records its frames.
pub type FrameReader<S> = zstd::stream::zio::Reader<S, FrameRecording>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn frame(data: &[u8]) -> Vec<u8> {
        zstd::encode_all(data, 3).expect("encode")
    }

    fn skippable(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0x5a, 0x2a, 0x4d, 0x18];
        f.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        f.extend_from_slice(payload);
        f
    }

    /// Reads `blob` through a [`FrameReader`] in small steps; the output and the log.
    fn read(blob: &[u8]) -> (io::Result<Vec<u8>>, FrameLog) {
        let mut reader = FrameReader::new(
            io::BufReader::with_capacity(7, blob),
            FrameRecording::new(27).expect("decoder"),
        );
        let mut log = FrameLog::default();
        let mut out = Vec::new();
        let mut buf = [0u8; 1000];
        let result = loop {
            match reader.read(&mut buf) {
                Ok(0) => break Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => break Err(e),
            }
            reader.operation_mut().drain_into(&mut log);
        };
        reader.operation_mut().drain_into(&mut log);
        (result, log)
    }

    #[test]
    fn data_frames_are_found_and_skippable_ones_are_not_starts() {
        let (a, b, c) = (vec![b'a'; 5000], vec![b'b'; 3000], vec![b'c'; 7000]);
        let (fa, fb) = (frame(&a), frame(&b));
        let skip = skippable(b"berth was here");
        let mut blob = skippable(b"first");
        let lead = blob.len() as u64;
        blob.extend_from_slice(&fa);
        blob.extend_from_slice(&skip);
        blob.extend_from_slice(&fb);
        blob.extend_from_slice(&frame(b""));
        blob.extend_from_slice(&frame(&c));
        let (out, log) = read(&blob);
        assert_eq!(out.expect("decoded"), [a, b, c].concat());
        let b_at = lead + (fa.len() + skip.len()) as u64;
        let c_at = b_at + fb.len() as u64 + frame(b"").len() as u64;
        assert_eq!(log.data_frames, 3);
        assert_eq!(
            log.starts,
            [
                FrameStart {
                    input: lead,
                    out: 0
                },
                FrameStart {
                    input: b_at,
                    out: 5000
                },
                FrameStart {
                    input: c_at,
                    out: 8000
                },
            ]
        );
    }

    #[test]
    fn a_truncated_frame_header_fails_and_adds_no_start() {
        let whole = frame(&[7u8; 4000]);
        let mut blob = whole.clone();
        // The next frame's magic and half its header.
        blob.extend_from_slice(&frame(b"more")[..5]);
        let (out, log) = read(&blob);
        assert_eq!(
            out.expect_err("truncated").kind(),
            io::ErrorKind::UnexpectedEof
        );
        assert_eq!(log.starts, [FrameStart { input: 0, out: 0 }]);
        assert_eq!(log.data_frames, 1);
    }

    #[test]
    fn a_million_empty_frames_cost_no_memory() {
        let empty = frame(b"");
        let mut blob = frame(b"start");
        for _ in 0..100_000 {
            blob.extend_from_slice(&empty);
            blob.extend_from_slice(&skippable(b""));
        }
        blob.extend_from_slice(&frame(b"end"));
        let mut reader = FrameReader::new(
            io::BufReader::new(&blob[..]),
            FrameRecording::new(27).expect("decoder"),
        );
        let mut out = Vec::new();
        let mut buf = [0u8; 64];
        loop {
            let n = reader.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
            assert!(reader.operation_mut().ends.len() <= 2);
        }
        assert_eq!(out, b"startend");
        let mut log = FrameLog::default();
        reader.operation_mut().drain_into(&mut log);
        assert!(log.starts.len() <= 2, "{:?}", log.starts);
    }

    #[test]
    fn many_frames_are_thinned_evenly() {
        let mut log = FrameLog::default();
        for i in 1..=10_000u64 {
            log.frame_ended(i * 10, i * 100);
        }
        assert!(log.starts.len() <= MAX_CHECKPOINTS, "{}", log.starts.len());
        assert!(
            log.starts.len() > MAX_CHECKPOINTS / 2,
            "{}",
            log.starts.len()
        );
        let gaps: Vec<u64> = log.starts.windows(2).map(|w| w[1].out - w[0].out).collect();
        assert!(gaps.windows(2).all(|g| g[0] == g[1]), "uneven: {gaps:?}");
        assert_eq!(log.data_frames, 10_000);
    }
}
