//! Limits on what a layer's tar may make Berth hold: the `tar` crate reads a GNU long name,
//! a long link name or a PAX record whole into memory before it returns the entry, so a
//! 1 MiB layer can carry a 1 GiB name. [`HeaderBudget`] caps the bytes the crate may read
//! between two entries (headers and their extensions only, since the reader drains every
//! entry's data itself), and [`MAX_NAME`] caps a path or link target. [`reason`] turns the
//! crate's error text into words without the header's raw bytes.

use std::cell::Cell;
use std::io::{self, Read};

/// The longest path or link target kept: Linux's `PATH_MAX`.
pub const MAX_NAME: usize = 4096;
/// Bytes the tar crate may read for one entry's headers and extensions (long names, PAX
/// records with their xattrs). Real layers use a few KiB.
pub const HEADER_BUDGET: u64 = 1024 * 1024;

/// The budget shared by the parser (which opens and closes it around each `next()`) and the
/// reader below the tar crate (which spends it).
#[derive(Debug, Default)]
pub struct HeaderBudget {
    /// `Some` while the tar crate reads headers.
    remaining: Cell<Option<u64>>,
    exceeded: Cell<bool>,
}

impl HeaderBudget {
    /// A reader over `inner` that spends this budget while it is open.
    pub fn reader<R: Read>(&self, inner: R) -> Limited<'_, R> {
        Limited {
            inner,
            budget: self,
        }
    }

    /// Runs `f` (the tar crate's `next()`) with the budget open.
    pub fn within<T>(&self, f: impl FnOnce() -> T) -> T {
        self.remaining.set(Some(HEADER_BUDGET));
        let out = f();
        self.remaining.set(None);
        out
    }

    /// The last `within` stopped because its headers took more than the budget.
    pub fn exceeded(&self) -> bool {
        self.exceeded.get()
    }
}

/// The reader the tar crate reads from.
pub struct Limited<'a, R> {
    inner: R,
    budget: &'a HeaderBudget,
}

impl<R: Read> Read for Limited<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(remaining) = self.budget.remaining.get() else {
            return self.inner.read(buf);
        };
        if remaining == 0 {
            self.budget.exceeded.set(true);
            return Err(io::Error::other(
                "tar headers larger than the header budget",
            ));
        }
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.budget.remaining.set(Some(remaining - n as u64));
        Ok(n)
    }
}

/// The tar crate's (or a decoder's) error text without what follows its first `:` or
/// ` when ` (the crate appends the field's bytes and the entry's path there), escaped and
/// short: "numeric field was not a number", "archive header checksum mismatch".
#[must_use]
pub fn reason(e: &io::Error) -> String {
    let text = e.to_string();
    let end = [text.find(": "), text.find(" when ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(text.len());
    crate::format::one_line(&text[..end], 200).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reasons_lose_the_raw_bytes() {
        let e = std::io::Error::other(
            "numeric field was not a number: \u{1b}[31mx when getting size for \u{1b}]evil",
        );
        assert_eq!(super::reason(&e), "numeric field was not a number");
        let e = std::io::Error::other("archive header checksum mismatch");
        assert_eq!(super::reason(&e), "archive header checksum mismatch");
    }
}
