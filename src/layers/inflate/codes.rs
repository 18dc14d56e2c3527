//! The bit reader and the Huffman decoding under [`super::Inflater`]: a 10-bit lookup table
//! for the common short codes, and zlib `puff.c`'s canonical walk for the longer ones; the
//! length and distance tables of RFC 1951.

use std::io::{self, BufRead};

const FAST_BITS: u32 = 10;

/// Bits in from a buffered reader, least significant first.
pub(super) struct Bits<R> {
    pub(super) inner: R,
    pub(super) buf: u64,
    pub(super) count: u32,
    /// Bytes taken from `inner` (including `base`).
    pub(super) taken: u64,
}

impl<R: BufRead> Bits<R> {
    pub(super) fn position(&self) -> u64 {
        self.taken * 8 - u64::from(self.count)
    }

    fn refill(&mut self, want: u32) -> io::Result<()> {
        while self.count < want {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the deflate stream ended early",
                ));
            }
            let room = ((64 - self.count) / 8) as usize;
            let n = available.len().min(room);
            for &b in &available[..n] {
                self.buf |= u64::from(b) << self.count;
                self.count += 8;
            }
            self.inner.consume(n);
            self.taken += n as u64;
        }
        Ok(())
    }

    /// The next `n` bits (at most 32), without taking them; fewer at the end of input are
    /// padded with zeros.
    fn peek(&mut self, n: u32) -> io::Result<u32> {
        if self.count < n {
            match self.refill(n) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && self.count > 0 => {}
                Err(e) => return Err(e),
            }
        }
        Ok((self.buf & ((1u64 << n) - 1)) as u32)
    }

    fn drop_bits(&mut self, n: u32) -> io::Result<()> {
        if self.count < n {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a code runs past the end of the input",
            ));
        }
        self.buf >>= n;
        self.count -= n;
        Ok(())
    }

    pub(super) fn take(&mut self, n: u32) -> io::Result<u32> {
        if n == 0 {
            return Ok(0);
        }
        self.refill(n)?;
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.count -= n;
        Ok(v)
    }

    pub(super) fn align(&mut self) {
        let extra = self.count % 8;
        self.buf >>= extra;
        self.count -= extra;
    }

    pub(super) fn byte(&mut self) -> io::Result<u8> {
        self.take(8).map(|b| b as u8)
    }
}

pub(super) fn corrupt(what: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// A canonical Huffman code: a fast table for codes up to [`FAST_BITS`], and the counts and
/// symbols for the slow path (as zlib's `puff.c`).
pub(super) struct Huffman {
    /// `symbol << 4 | length`, 0 where no code of at most `FAST_BITS` bits starts.
    fast: Vec<u16>,
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    pub(super) fn new(lengths: &[u8]) -> io::Result<Self> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(corrupt("an over-subscribed Huffman code"));
            }
        }
        let mut offsets = [0u16; 16];
        for len in 1..15 {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[usize::from(offsets[usize::from(l)])] = symbol as u16;
                offsets[usize::from(l)] += 1;
            }
        }
        let mut fast = vec![0u16; 1 << FAST_BITS];
        let mut code: u32 = 0;
        let mut index = 0usize;
        for len in 1..=FAST_BITS {
            for _ in 0..counts[len as usize] {
                let symbol = symbols[index];
                index += 1;
                let reversed = code.reverse_bits() >> (32 - len);
                let mut slot = reversed as usize;
                while slot < fast.len() {
                    fast[slot] = (symbol << 4) | len as u16;
                    slot += 1 << len;
                }
                code += 1;
            }
            code <<= 1;
        }
        Ok(Self {
            fast,
            counts,
            symbols,
        })
    }

    pub(super) fn decode<R: BufRead>(&self, bits: &mut Bits<R>) -> io::Result<u16> {
        let peek = bits.peek(FAST_BITS)?;
        let entry = self.fast[peek as usize];
        if entry != 0 {
            bits.drop_bits(u32::from(entry & 15))?;
            return Ok(entry >> 4);
        }
        // The slow path, bit by bit from the start of the code.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= i32::from(bits.take(1)? == 1);
            let count = i32::from(self.counts[len]);
            if code - count < first {
                let at = usize::try_from(index + code - first)
                    .map_err(|_| corrupt("an invalid Huffman code"))?;
                return self
                    .symbols
                    .get(at)
                    .copied()
                    .ok_or_else(|| corrupt("an invalid Huffman code"));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(corrupt("an invalid Huffman code"))
    }
}

pub(super) const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
pub(super) const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
pub(super) const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
pub(super) const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
pub(super) const CODE_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
