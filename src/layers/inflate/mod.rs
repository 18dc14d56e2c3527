//! A small inflater of Berth's own (RFC 1951 raw deflate, with the gzip member framing of
//! RFC 1952 around it) that can stop at block boundaries and start again from one: what a
//! seek index needs and what `flate2` cannot do (it cannot resume from a saved window and
//! bit offset, and the crate forbids `unsafe`, so zlib's `inflatePrime` is out of reach).
//!
//! While it decodes, [`Inflater`] records a [`Checkpoint`] at the first block boundary
//! after every `interval` bytes of compressed input: the bit position in the blob, the
//! uncompressed offset, and the 32 KiB of output before it (the window a later block may
//! copy from). [`Inflater::resume`] starts decoding at such a checkpoint from a reader
//! positioned at the checkpoint's byte, as zlib's `zran.c` does. A resumed inflater cannot
//! check the member's CRC (it has not seen the member's start); the reader above checks each
//! file's SHA-256 instead.
//!
//! Huffman codes are decoded through a 10-bit lookup table, with a slow path for the
//! longer codes.

mod codes;
#[cfg(test)]
mod tests;

use codes::{Bits, CODE_ORDER, DIST_BASE, DIST_EXTRA, Huffman, LENGTH_BASE, LENGTH_EXTRA, corrupt};
use std::io::{self, BufRead, Read};

/// The window deflate may copy from.
pub const WINDOW: usize = 32 * 1024;
/// Output kept in the buffer beyond the window before a `read` returns.
const CHUNK: usize = 64 * 1024;

/// A place the inflater can start again from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Bits of compressed input before the block header (the blob byte is `in_bits / 8`,
    /// and `in_bits % 8` of its bits were already used).
    pub in_bits: u64,
    /// Uncompressed bytes before this point.
    pub out: u64,
    /// The output just before this point (up to [`WINDOW`] bytes).
    pub window: Vec<u8>,
}

enum State {
    /// Before a gzip member's header (or the end of the blob).
    Member,
    /// Before a deflate block's header.
    Block,
    Stored(u32),
    Codes(Box<(Huffman, Huffman)>),
    /// After the last block of a member: its trailer.
    Trailer,
    Done,
}

/// A gzip decoder (all members, like `MultiGzDecoder`) that records checkpoints.
pub struct Inflater<R> {
    bits: Bits<R>,
    state: State,
    last_block: bool,
    /// Output: the window, then what `read` has not handed out yet from `pending`.
    out: Vec<u8>,
    pending: usize,
    total_out: u64,
    /// Record a checkpoint once this many compressed bits passed since the last (0: never).
    interval_bits: u64,
    next_checkpoint: u64,
    checkpoints: Vec<Checkpoint>,
    /// CRC and size of the member so far; `None` for a resumed member (its start unseen).
    crc: Option<crc32fast::Hasher>,
    member_out: u64,
    /// `out[..hashed]` is in `crc` and `member_out` already.
    hashed: usize,
    /// An error met after some output was decoded: returned once that output is read.
    error: Option<io::Error>,
}

impl<R: BufRead> Inflater<R> {
    /// A gzip decoder over a whole blob, recording a checkpoint every `interval` compressed
    /// bytes (0: none).
    pub fn new(inner: R, interval: u64) -> Self {
        Self::with_state(inner, 0, State::Member, Vec::new(), 0, interval)
    }

    /// Starts at `at`, reading from `inner` positioned at blob byte `at.in_bits / 8`.
    ///
    /// # Errors
    /// `inner` cannot be read.
    pub fn resume(inner: R, at: &Checkpoint) -> io::Result<Self> {
        let mut me = Self::with_state(
            inner,
            at.in_bits / 8,
            State::Block,
            at.window.clone(),
            at.out,
            0,
        );
        me.crc = None;
        me.bits.take((at.in_bits % 8) as u32)?;
        Ok(me)
    }

    fn with_state(
        inner: R,
        base: u64,
        state: State,
        window: Vec<u8>,
        total_out: u64,
        interval: u64,
    ) -> Self {
        let pending = window.len();
        Self {
            bits: Bits {
                inner,
                buf: 0,
                count: 0,
                taken: base,
            },
            state,
            last_block: false,
            out: window,
            pending,
            total_out,
            interval_bits: interval * 8,
            next_checkpoint: interval * 8,
            checkpoints: Vec::new(),
            crc: Some(crc32fast::Hasher::new()),
            member_out: 0,
            hashed: pending,
            error: None,
        }
    }

    /// Uncompressed bytes decoded so far and the compressed bits they took: the input up to
    /// that bit is all the output up to that byte needs (an entry's compressed span).
    pub fn decoded(&self) -> (u64, u64) {
        (self.total_out, self.bits.position())
    }

    /// The checkpoints recorded since the last call, in order.
    pub fn take_checkpoints(&mut self) -> Vec<Checkpoint> {
        std::mem::take(&mut self.checkpoints)
    }

    /// Decodes until at least [`CHUNK`] bytes are pending or the stream ends.
    fn fill(&mut self) -> io::Result<()> {
        while self.out.len() - self.pending < CHUNK {
            match &mut self.state {
                State::Done => return Ok(()),
                State::Member => {
                    if !self.member_header()? {
                        self.state = State::Done;
                    }
                }
                State::Block => self.block_header()?,
                State::Stored(left) => {
                    let left_now = *left;
                    if left_now == 0 {
                        self.end_block();
                        continue;
                    }
                    let copied = self.stored(left_now)?;
                    self.state = State::Stored(left_now - copied);
                }
                State::Codes(_) => self.codes()?,
                State::Trailer => self.trailer()?,
            }
        }
        Ok(())
    }

    /// Copies up to `left` bytes of a stored block; returns how many.
    fn stored(&mut self, left: u32) -> io::Result<u32> {
        if self.bits.count > 0 {
            let b = self.bits.byte()?;
            self.push(b);
            return Ok(1);
        }
        let available = self.bits.inner.fill_buf()?;
        if available.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the deflate stream ended early",
            ));
        }
        let n = available.len().min(left as usize).min(CHUNK);
        self.out.extend_from_slice(&available[..n]);
        self.bits.inner.consume(n);
        self.bits.taken += n as u64;
        self.total_out += n as u64;
        Ok(n as u32)
    }

    fn push(&mut self, b: u8) {
        self.out.push(b);
        self.total_out += 1;
    }

    fn end_block(&mut self) {
        self.state = if self.last_block {
            State::Trailer
        } else {
            State::Block
        };
    }

    /// Reads a gzip member's header; `false` at the end of the input.
    fn member_header(&mut self) -> io::Result<bool> {
        self.bits.align();
        if self.bits.count == 0 && self.bits.inner.fill_buf()?.is_empty() {
            return Ok(false);
        }
        let (id1, id2, method) = (self.bits.byte()?, self.bits.byte()?, self.bits.byte()?);
        if (id1, id2, method) != (0x1f, 0x8b, 8) {
            return Err(corrupt("not a gzip member"));
        }
        let flags = self.bits.byte()?;
        for _ in 0..6 {
            self.bits.byte()?;
        }
        if flags & 4 != 0 {
            let len = self.bits.take(16)?;
            for _ in 0..len {
                self.bits.byte()?;
            }
        }
        for flag in [8u8, 16] {
            if flags & flag != 0 {
                while self.bits.byte()? != 0 {}
            }
        }
        if flags & 2 != 0 {
            self.bits.take(16)?;
        }
        self.crc = Some(crc32fast::Hasher::new());
        self.member_out = 0;
        self.hashed = self.out.len();
        self.last_block = false;
        self.state = State::Block;
        Ok(true)
    }

    fn trailer(&mut self) -> io::Result<()> {
        self.flush_crc();
        self.bits.align();
        let crc = self.bits.take(32)?;
        let size = self.bits.take(32)?;
        if let Some(hasher) = self.crc.take()
            && (hasher.finalize() != crc || (self.member_out & 0xffff_ffff) as u32 != size)
        {
            return Err(corrupt("the gzip checksum does not match"));
        }
        self.state = State::Member;
        Ok(())
    }

    /// Feeds the output not hashed yet into the member's CRC and size.
    fn flush_crc(&mut self) {
        let new = &self.out[self.hashed..];
        if let Some(crc) = &mut self.crc {
            crc.update(new);
        }
        self.member_out += new.len() as u64;
        self.hashed = self.out.len();
    }

    fn block_header(&mut self) -> io::Result<()> {
        let position = self.bits.position();
        if self.interval_bits > 0 && position >= self.next_checkpoint {
            let start = self.out.len().saturating_sub(WINDOW);
            self.checkpoints.push(Checkpoint {
                in_bits: position,
                out: self.total_out,
                window: self.out[start..].to_vec(),
            });
            self.next_checkpoint = position + self.interval_bits;
        }
        self.last_block = self.bits.take(1)? == 1;
        match self.bits.take(2)? {
            0 => {
                self.bits.align();
                let len = self.bits.take(16)?;
                let nlen = self.bits.take(16)?;
                if len != !nlen & 0xffff {
                    return Err(corrupt("a stored block's length does not match"));
                }
                self.state = State::Stored(len);
            }
            1 => {
                let mut lengths = [0u8; 288];
                lengths[..144].fill(8);
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                lengths[280..].fill(8);
                let lit = Huffman::new(&lengths)?;
                let dist = Huffman::new(&[5u8; 30])?;
                self.state = State::Codes(Box::new((lit, dist)));
            }
            2 => self.state = State::Codes(Box::new(self.dynamic()?)),
            _ => return Err(corrupt("a block of the reserved type")),
        }
        Ok(())
    }

    fn dynamic(&mut self) -> io::Result<(Huffman, Huffman)> {
        let nlen = self.bits.take(5)? as usize + 257;
        let ndist = self.bits.take(5)? as usize + 1;
        let ncode = self.bits.take(4)? as usize + 4;
        if nlen > 286 || ndist > 30 {
            return Err(corrupt("too many codes in a dynamic block"));
        }
        let mut code_lengths = [0u8; 19];
        for &i in &CODE_ORDER[..ncode] {
            code_lengths[i] = self.bits.take(3)? as u8;
        }
        let codes = Huffman::new(&code_lengths)?;
        let mut lengths = vec![0u8; nlen + ndist];
        let mut i = 0;
        while i < nlen + ndist {
            let symbol = codes.decode(&mut self.bits)?;
            let (value, repeat) = match symbol {
                0..=15 => {
                    lengths[i] = symbol as u8;
                    i += 1;
                    continue;
                }
                16 => {
                    let Some(&previous) = i.checked_sub(1).and_then(|p| lengths.get(p)) else {
                        return Err(corrupt("a repeat with nothing before it"));
                    };
                    (previous, 3 + self.bits.take(2)? as usize)
                }
                17 => (0, 3 + self.bits.take(3)? as usize),
                _ => (0, 11 + self.bits.take(7)? as usize),
            };
            if i + repeat > nlen + ndist {
                return Err(corrupt("code lengths run past their count"));
            }
            lengths[i..i + repeat].fill(value);
            i += repeat;
        }
        if lengths[256] == 0 {
            return Err(corrupt("a block without an end code"));
        }
        Ok((
            Huffman::new(&lengths[..nlen])?,
            Huffman::new(&lengths[nlen..])?,
        ))
    }

    /// Decodes symbols of a Huffman block until the block ends or a chunk is ready.
    fn codes(&mut self) -> io::Result<()> {
        let State::Codes(tables) = std::mem::replace(&mut self.state, State::Done) else {
            return Ok(());
        };
        let (lit, dist) = &*tables;
        while self.out.len() - self.pending < CHUNK {
            let symbol = lit.decode(&mut self.bits)?;
            match symbol {
                0..=255 => self.push(symbol as u8),
                256 => {
                    self.end_block();
                    return Ok(());
                }
                _ => {
                    let s = usize::from(symbol - 257);
                    if s >= 29 {
                        return Err(corrupt("an invalid length code"));
                    }
                    let length = usize::from(LENGTH_BASE[s])
                        + self.bits.take(u32::from(LENGTH_EXTRA[s]))? as usize;
                    let d = usize::from(dist.decode(&mut self.bits)?);
                    if d >= 30 {
                        return Err(corrupt("an invalid distance code"));
                    }
                    let distance = usize::from(DIST_BASE[d])
                        + self.bits.take(u32::from(DIST_EXTRA[d]))? as usize;
                    if distance > self.out.len() {
                        return Err(corrupt("a distance before the start of the output"));
                    }
                    let from = self.out.len() - distance;
                    if distance >= length {
                        self.out.extend_from_within(from..from + length);
                    } else {
                        for k in 0..length {
                            let b = self.out[from + k];
                            self.out.push(b);
                        }
                    }
                    self.total_out += length as u64;
                }
            }
        }
        self.state = State::Codes(tables);
        Ok(())
    }
}

impl<R: BufRead> Read for Inflater<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending == self.out.len() {
            // Keep the window, drop the rest that was handed out.
            let keep_from = self.out.len().saturating_sub(WINDOW);
            self.out.drain(..keep_from);
            self.hashed -= keep_from;
            self.pending = self.out.len();
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            let filled = self.fill();
            self.flush_crc();
            if let Err(e) = filled {
                // What was decoded before the error is handed out first: a reader of a
                // range of the blob wants the bytes before the range's end.
                if self.out.len() == self.pending {
                    return Err(e);
                }
                self.error = Some(e);
            }
        }
        let n = buf.len().min(self.out.len() - self.pending);
        buf[..n].copy_from_slice(&self.out[self.pending..self.pending + n]);
        self.pending += n;
        Ok(n)
    }
}
