//! How much memory decompressing a layer takes, and a process-wide budget for it, so that
//! the number of layers inflated at once is bounded by memory, not only by count. A zstd
//! layer's decoder keeps a window as large as its frame header asks for; Berth decodes
//! windows up to [`MAX_WINDOW_LOG`] (what `zstd --long` images use, and zstd's own default
//! limit) and refuses larger ones before allocating anything. Gzip needs 32 KiB.

use std::sync::{Condvar, Mutex};

/// The largest zstd window Berth decodes: 2^27 bytes (128 MiB).
pub const MAX_WINDOW_LOG: u32 = 27;
/// [`MAX_WINDOW_LOG`] in bytes.
pub const MAX_WINDOW: u64 = 1 << MAX_WINDOW_LOG;
/// Decoder buffers on top of the window (block buffers, the tar and blob buffers).
const OVERHEAD: u64 = 2 * 1024 * 1024;
/// Memory all layer decoders of the process may hold at once: two of the largest windows.
pub const BUDGET: u64 = 2 * (MAX_WINDOW + OVERHEAD);

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// What the start of a zstd stream says about its first frame's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZstdWindow {
    /// The window in bytes, from the frame header.
    Known(u64),
    /// Too few bytes to tell, or a skippable frame first: assume the largest allowed.
    Unknown,
}

/// Reads the window size from the frame header at the start of `head` (RFC 8878, 3.1.1.1).
#[must_use]
pub fn zstd_window(head: &[u8]) -> ZstdWindow {
    let (Some(magic), Some(&descriptor)) = (head.get(..4), head.get(4)) else {
        return ZstdWindow::Unknown;
    };
    if magic != ZSTD_MAGIC {
        return ZstdWindow::Unknown;
    }
    let single_segment = descriptor & 0x20 != 0;
    if !single_segment {
        let Some(&w) = head.get(5) else {
            return ZstdWindow::Unknown;
        };
        let log = 10 + u32::from(w >> 3);
        let base = 1u64 << log;
        return ZstdWindow::Known(base + (base / 8) * u64::from(w & 7));
    }
    // One segment: the window is the frame's content size.
    let dict_bytes = [0, 1, 2, 4][usize::from(descriptor & 3)];
    let size_bytes = [1, 2, 4, 8][usize::from(descriptor >> 6)];
    let start = 5 + dict_bytes;
    let Some(field) = head.get(start..start + size_bytes) else {
        return ZstdWindow::Unknown;
    };
    let mut value = field
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if size_bytes == 2 {
        value += 256;
    }
    ZstdWindow::Known(value)
}

/// What a decoder of this window reserves from the budget.
#[must_use]
pub fn reservation(window: u64) -> u64 {
    window.min(MAX_WINDOW) + OVERHEAD
}

static USED: Mutex<u64> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// Memory held from the budget; given back on drop.
#[derive(Debug)]
pub struct Reserved(u64);

/// Waits (on a blocking thread) until `bytes` fit in the budget, and takes them. A request
/// larger than the whole budget waits until nothing else is held.
pub fn reserve(bytes: u64) -> Reserved {
    let bytes = bytes.min(BUDGET);
    let mut used = USED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    while *used + bytes > BUDGET {
        used = FREED
            .wait(used)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    *used += bytes;
    Reserved(bytes)
}

impl Drop for Reserved {
    fn drop(&mut self) {
        let mut used = USED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *used = used.saturating_sub(self.0);
        FREED.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_headers_name_their_window() {
        // Window descriptor 0x58: exponent 11 → 2^21, mantissa 0.
        assert_eq!(
            zstd_window(&[0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58]),
            ZstdWindow::Known(1 << 21)
        );
        // `--long=31`: exponent 21 → 2^31.
        assert_eq!(
            zstd_window(&[0x28, 0xb5, 0x2f, 0xfd, 0x04, 21 << 3]),
            ZstdWindow::Known(1 << 31)
        );
        // Mantissa 4 adds half.
        assert_eq!(
            zstd_window(&[0x28, 0xb5, 0x2f, 0xfd, 0x04, (17 << 3) | 4]),
            ZstdWindow::Known((1 << 27) + (1 << 26))
        );
        // Single segment with a 2-byte content size: 0x0100 + 256.
        assert_eq!(
            zstd_window(&[0x28, 0xb5, 0x2f, 0xfd, 0x60, 0x00, 0x01]),
            ZstdWindow::Known(512)
        );
        assert_eq!(zstd_window(&[0x28, 0xb5]), ZstdWindow::Unknown);
        assert_eq!(zstd_window(b"not zstd"), ZstdWindow::Unknown);
    }

    #[test]
    fn the_budget_is_given_back() {
        let a = reserve(BUDGET / 2);
        let b = reserve(BUDGET / 2);
        drop(a);
        let c = reserve(BUDGET / 4);
        drop((b, c));
        let all = reserve(BUDGET * 4);
        assert_eq!(all.0, BUDGET);
    }
}
