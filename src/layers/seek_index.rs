//! The seek index of a layer, recorded while the layer was read for its listing, so one
//! file can later be read from the compressed range that holds it instead of from the
//! blob's start. Of a gzip layer: inflate checkpoints ([`super::inflate::Checkpoint`]); of a
//! zstd layer written as several frames: where its data frames start ([`FrameStart`], see
//! [`super::zstd_frames`]), since each frame decodes on its own.
//!
//! Stored in the layer cache next to the listing (`<hex>.idx`), keyed by the layer digest.
//! The format is a fixed header (magic, [`VERSION`], [`Kind`], point count, blob size) and
//! one record per point: for gzip the bit offset, uncompressed offset, window length and
//! window bytes compressed with deflate; for zstd the compressed and uncompressed offsets.
//! A file of another version (1 had no kind and only gzip), or one that does not parse, is
//! a miss: the index is built again by the next full read, never trusted. Its size is
//! bounded by [`MAX_CHECKPOINTS`]: a longer index keeps every other point until it fits.
//! Only indexes of reads whose layer digest was checked are stored, like listings.

use super::inflate::{Checkpoint, WINDOW};
use std::io::{Read as _, Write as _};

const MAGIC: &[u8; 8] = b"BERTHIDX";
/// Bumped whenever the format changes; an index of another version is rebuilt.
/// 2: a kind after the version, and zstd frame indexes.
pub const VERSION: u32 = 2;
/// Points kept at most (a gzip checkpoint holds up to a 32 KiB window, deflated).
pub const MAX_CHECKPOINTS: usize = 1024;
/// Compressed bytes between checkpoints by default.
pub const INTERVAL: u64 = 4 * 1024 * 1024;

/// What an index's points are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    /// Inflate checkpoints of a gzip blob.
    #[default]
    Gzip = 1,
    /// Data frame starts of a zstd blob.
    Zstd = 2,
}

/// Where one zstd data frame starts: a fresh decoder can start there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameStart {
    /// The frame's first byte in the blob.
    pub input: u64,
    /// Uncompressed bytes before the frame.
    pub out: u64,
}

/// The seek points of one blob: gzip checkpoints, or zstd frame starts (the other list is
/// empty). An index without points is kept too: the layer was read by this Berth and has
/// nowhere to start but its beginning (a small gzip layer, a single-frame zstd one), so it
/// streams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeekIndex {
    /// The blob's size, for the range of the last point.
    pub blob_size: u64,
    pub kind: Kind,
    /// Gzip: in blob order.
    pub checkpoints: Vec<Checkpoint>,
    /// Zstd: in blob order.
    pub frames: Vec<FrameStart>,
}

/// The uncompressed end of a tar entry whose own header is at `header_offset` (after any
/// long-name or PAX headers, as a listing records it) and that holds `size` data bytes:
/// its 512-byte header, its data and the padding to the next 512-byte block. Nothing past
/// it is needed to read the entry.
#[must_use]
pub fn entry_end(header_offset: u64, size: u64) -> u64 {
    const BLOCK: u64 = 512;
    header_offset
        .saturating_add(BLOCK)
        .saturating_add(size.div_ceil(BLOCK).saturating_mul(BLOCK))
}

impl SeekIndex {
    /// The blob byte where the first zstd frame starting at or past [`entry_end`] begins:
    /// the frames before it hold all of the entry whose own header is at `header_offset`
    /// (its header, its `size` data bytes and their padding), or the blob's end.
    #[must_use]
    pub fn entry_frames_end(&self, header_offset: u64, size: u64) -> u64 {
        // `entry_end` is past the header's 512 bytes: the last byte needed is one before.
        self.frame_end_after(entry_end(header_offset, size) - 1)
    }

    /// The index of a zstd blob from its data frame starts (at most [`MAX_CHECKPOINTS`],
    /// as [`super::zstd_frames::FrameLog`] keeps them; none for a single-frame blob).
    #[must_use]
    pub fn zstd(blob_size: u64, mut frames: Vec<FrameStart>) -> Self {
        while frames.len() > MAX_CHECKPOINTS {
            let mut keep = false;
            frames.retain(|_| {
                keep = !keep;
                keep
            });
        }
        Self {
            blob_size,
            kind: Kind::Zstd,
            checkpoints: Vec::new(),
            frames,
        }
    }

    /// The last zstd frame starting at or before uncompressed offset `out`.
    #[must_use]
    pub fn frame_before(&self, out: u64) -> Option<FrameStart> {
        let i = self.frames.partition_point(|f| f.out <= out);
        i.checked_sub(1).map(|i| self.frames[i])
    }

    /// The blob byte where the first zstd frame starting past uncompressed offset `out`
    /// begins (no byte after it is needed to decode up to `out`), or the blob's end.
    #[must_use]
    pub fn frame_end_after(&self, out: u64) -> u64 {
        self.frames
            .iter()
            .find(|f| f.out > out)
            .map_or(self.blob_size, |f| f.input.min(self.blob_size))
    }

    /// An index of `checkpoints`, thinned to [`MAX_CHECKPOINTS`].
    #[must_use]
    pub fn new(blob_size: u64, mut checkpoints: Vec<Checkpoint>) -> Self {
        while checkpoints.len() > MAX_CHECKPOINTS {
            let mut keep = false;
            checkpoints.retain(|_| {
                keep = !keep;
                keep
            });
        }
        Self {
            blob_size,
            kind: Kind::Gzip,
            checkpoints,
            frames: Vec::new(),
        }
    }

    /// The last checkpoint at or before uncompressed offset `out`.
    #[must_use]
    pub fn before(&self, out: u64) -> Option<&Checkpoint> {
        let i = self.checkpoints.partition_point(|c| c.out <= out);
        i.checked_sub(1).map(|i| &self.checkpoints[i])
    }

    /// The blob byte after which no byte is needed to decode up to uncompressed offset
    /// `out`: the byte of the first checkpoint past it (one more for its bits), or the
    /// blob's end.
    #[must_use]
    pub fn end_after(&self, out: u64) -> u64 {
        self.checkpoints
            .iter()
            .find(|c| c.out > out)
            .map_or(self.blob_size, |c| (c.in_bits / 8 + 1).min(self.blob_size))
    }

    /// The index as bytes.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.checkpoints.len() * 8 * 1024);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.kind as u32).to_le_bytes());
        let count = self.checkpoints.len() + self.frames.len();
        out.extend_from_slice(&(count as u32).to_le_bytes());
        out.extend_from_slice(&self.blob_size.to_le_bytes());
        for f in &self.frames {
            out.extend_from_slice(&f.input.to_le_bytes());
            out.extend_from_slice(&f.out.to_le_bytes());
        }
        for c in &self.checkpoints {
            let mut deflated =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            // Writing into a Vec cannot fail.
            let window = deflated
                .write_all(&c.window)
                .and_then(|()| deflated.finish())
                .unwrap_or_default();
            out.extend_from_slice(&c.in_bits.to_le_bytes());
            out.extend_from_slice(&c.out.to_le_bytes());
            out.extend_from_slice(&(c.window.len() as u32).to_le_bytes());
            out.extend_from_slice(&(window.len() as u32).to_le_bytes());
            out.extend_from_slice(&window);
        }
        out
    }

    /// Parses what [`Self::encode`] made; `None` for another version or damage.
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let mut at = Cursor { bytes, at: 0 };
        if at.take(8)? != MAGIC || at.u32()? != VERSION {
            return None;
        }
        let kind = at.u32()?;
        let count = at.u32()? as usize;
        if count > MAX_CHECKPOINTS {
            return None;
        }
        let blob_size = at.u64()?;
        match kind {
            k if k == Kind::Gzip as u32 => Self::decode_gzip(at, count, blob_size),
            k if k == Kind::Zstd as u32 => Self::decode_zstd(at, count, blob_size),
            _ => None,
        }
    }

    fn decode_zstd(mut at: Cursor<'_>, count: usize, blob_size: u64) -> Option<Self> {
        let mut frames = Vec::with_capacity(count);
        for _ in 0..count {
            let f = FrameStart {
                input: at.u64()?,
                out: at.u64()?,
            };
            if f.input >= blob_size
                || frames
                    .last()
                    .is_some_and(|p: &FrameStart| p.input >= f.input || p.out >= f.out)
            {
                return None;
            }
            frames.push(f);
        }
        (at.at == at.bytes.len()).then_some(Self {
            blob_size,
            kind: Kind::Zstd,
            checkpoints: Vec::new(),
            frames,
        })
    }

    fn decode_gzip(mut at: Cursor<'_>, count: usize, blob_size: u64) -> Option<Self> {
        let mut checkpoints = Vec::with_capacity(count);
        for _ in 0..count {
            let in_bits = at.u64()?;
            let out = at.u64()?;
            let window_len = at.u32()? as usize;
            let stored = at.u32()? as usize;
            if window_len > WINDOW
                || in_bits / 8 >= blob_size
                || checkpoints
                    .last()
                    .is_some_and(|p: &Checkpoint| p.in_bits >= in_bits)
            {
                return None;
            }
            let mut window = Vec::with_capacity(window_len);
            flate2::read::DeflateDecoder::new(at.take(stored)?)
                .take(window_len as u64 + 1)
                .read_to_end(&mut window)
                .ok()?;
            if window.len() != window_len {
                return None;
            }
            checkpoints.push(Checkpoint {
                in_bits,
                out,
                window,
            });
        }
        (at.at == at.bytes.len()).then_some(Self {
            blob_size,
            kind: Kind::Gzip,
            checkpoints,
            frames: Vec::new(),
        })
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SeekIndex {
        let checkpoints = (0..5u64)
            .map(|i| Checkpoint {
                in_bits: i * 8000 + 3,
                out: i * 50_000,
                window: (0..(i as usize * 7000).min(WINDOW))
                    .map(|b| (b % 251) as u8)
                    .collect(),
            })
            .collect();
        SeekIndex::new(100_000, checkpoints)
    }

    #[test]
    fn an_index_reads_back() {
        let index = index();
        assert_eq!(SeekIndex::decode(&index.encode()), Some(index));
    }

    #[test]
    fn another_version_or_damage_is_a_miss() {
        let bytes = index().encode();
        let mut older = bytes.clone();
        older[8..12].copy_from_slice(&(VERSION - 1).to_le_bytes());
        assert_eq!(SeekIndex::decode(&older), None);
        assert_eq!(SeekIndex::decode(&bytes[..bytes.len() - 1]), None);
    }

    fn frames() -> SeekIndex {
        let frames = (0..4u64)
            .map(|i| FrameStart {
                input: i * 1000 + 8,
                out: i * 4096,
            })
            .collect();
        SeekIndex::zstd(5000, frames)
    }

    #[test]
    fn a_zstd_index_reads_back_with_its_kind() {
        let zstd = frames();
        assert_eq!(zstd.kind, Kind::Zstd);
        let single = SeekIndex::zstd(300, Vec::new());
        assert_eq!(SeekIndex::decode(&single.encode()), Some(single));
        let bytes = zstd.encode();
        assert_eq!(bytes[12..16], (Kind::Zstd as u32).to_le_bytes());
        assert_eq!(SeekIndex::decode(&bytes), Some(zstd));
        let mut unknown = bytes.clone();
        unknown[12..16].copy_from_slice(&9u32.to_le_bytes());
        assert_eq!(SeekIndex::decode(&unknown), None);
        // Gzip's records under zstd's kind do not parse.
        let mut swapped = index().encode();
        swapped[12..16].copy_from_slice(&(Kind::Zstd as u32).to_le_bytes());
        assert_eq!(SeekIndex::decode(&swapped), None);
    }

    /// What version 1 wrote: no kind field, gzip checkpoints.
    #[test]
    fn a_version_1_index_is_a_miss() {
        let mut v1 = index().encode();
        v1.drain(12..16);
        v1[8..12].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(SeekIndex::decode(&v1), None);
    }

    #[test]
    fn frame_lookups_find_the_frames_around_a_file() {
        let index = frames();
        assert_eq!(index.frame_before(0), Some(FrameStart { input: 8, out: 0 }));
        assert_eq!(index.frame_before(9000).map(|f| f.input), Some(2008));
        assert_eq!(index.frame_end_after(9000), 3008);
        assert_eq!(index.frame_end_after(12_288), 5000);
        assert_eq!(SeekIndex::default().frame_before(10), None);
    }

    /// Frames of 4096 tar bytes: an entry is read up to the frame that holds the end of
    /// its data and padding, and no further.
    #[test]
    fn an_entry_needs_the_frames_up_to_its_padded_end() {
        assert_eq!(entry_end(1024, 0), 1536);
        assert_eq!(entry_end(1024, 1), 2048);
        assert_eq!(entry_end(1024, 512), 2048);
        assert_eq!(entry_end(u64::MAX - 10, 5), u64::MAX);
        let index = frames();
        // Ends exactly where the third frame starts: two frames.
        assert_eq!(index.entry_frames_end(4096, 3584), 2008);
        // A byte more, and its padding, into the third frame: three.
        assert_eq!(index.entry_frames_end(4096, 3585), 3008);
        // Into the last frame: the blob's end.
        assert_eq!(index.entry_frames_end(12_288, 10), 5000);
    }

    #[test]
    fn lookups_find_the_checkpoints_around_a_file() {
        let index = index();
        assert_eq!(index.before(10).map(|c| c.out), Some(0));
        assert_eq!(index.before(120_000).map(|c| c.out), Some(100_000));
        assert_eq!(index.end_after(120_000), 24_003 / 8 + 1);
        assert_eq!(index.end_after(999_999), 100_000);
    }

    #[test]
    fn a_long_index_is_thinned() {
        let many = (0..3000u64)
            .map(|i| Checkpoint {
                in_bits: i * 8,
                out: i,
                window: Vec::new(),
            })
            .collect();
        assert!(SeekIndex::new(10_000, many).checkpoints.len() <= MAX_CHECKPOINTS);
    }
}
