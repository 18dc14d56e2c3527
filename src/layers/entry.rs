//! One layer's entry list as parsed from its tar: fixed-size records plus one shared byte
//! arena for every path and link target, so a 100k-entry layer costs two allocations that
//! grow, not 200k small ones. Paths are kept as the raw tar bytes and are never used as a
//! filesystem path; [`display_path`] turns them into text for people.

use super::Error;
use serde::Serialize;
use std::borrow::Cow;

/// What a tar entry is. Contiguous files and GNU sparse files are `File`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    /// A type byte Berth does not know (kept so the listing still matches `tar -tv`).
    Other,
}

impl EntryKind {
    /// The letter `ls -l` and `tar -tv` show in front of the mode.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            Self::File | Self::Other => '-',
            Self::Dir => 'd',
            Self::Symlink => 'l',
            Self::Hardlink => 'h',
            Self::CharDevice => 'c',
            Self::BlockDevice => 'b',
            Self::Fifo => 'p',
        }
    }

    pub(crate) fn to_byte(self) -> u8 {
        match self {
            Self::File => 0,
            Self::Dir => 1,
            Self::Symlink => 2,
            Self::Hardlink => 3,
            Self::CharDevice => 4,
            Self::BlockDevice => 5,
            Self::Fifo => 6,
            Self::Other => 7,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            0 => Self::File,
            1 => Self::Dir,
            2 => Self::Symlink,
            3 => Self::Hardlink,
            4 => Self::CharDevice,
            5 => Self::BlockDevice,
            6 => Self::Fifo,
            7 => Self::Other,
            _ => return None,
        })
    }
}

/// A range of bytes in a [`LayerListing`]'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// One tar entry's metadata. Its path and link target live in the listing's arena: read them
/// through [`EntryRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// Bytes of file data (0 for everything but files; hardlinks carry 0, as in tar).
    pub size: u64,
    /// Permission bits and set-id/sticky bits (`0o7777`), without the file type.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Seconds since the epoch.
    pub mtime: u64,
    pub dev_major: u32,
    pub dev_minor: u32,
    /// Where this entry's header starts in the uncompressed tar stream.
    pub header_offset: u64,
    /// SHA-256 of the data of a file (and of an unknown type, which tar stores like one),
    /// hashed while the listing pass streams past it; `None` for every other kind. Compare
    /// uses it to see a file whose bytes changed but whose size did not (ARCHITECTURE.md,
    /// layers).
    pub sha256: Option<[u8; 32]>,
    /// The end (exclusive) of the entry's compressed span in a gzip blob: the blob byte by
    /// which the listing pass's inflater had taken all the input the entry's last data byte
    /// needs. Its start is bounded by the seek-index checkpoint before the header. 0 when
    /// unknown (zstd, uncompressed, or a read without an index).
    pub span_end: u64,
    pub(crate) path: Span,
    pub(crate) link: Option<Span>,
}

/// The entries of one layer in tar order, plus the layer's totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerListing {
    pub(crate) entries: Vec<Entry>,
    pub(crate) arena: Vec<u8>,
    /// Compressed bytes read from the blob.
    pub blob_bytes: u64,
    /// Uncompressed bytes of the tar stream that were parsed.
    pub tar_bytes: u64,
}

impl LayerListing {
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[must_use]
    pub fn get(&self, index: usize) -> Option<EntryRef<'_>> {
        self.entries.get(index).map(|entry| EntryRef {
            listing: self,
            entry,
        })
    }

    #[must_use]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = EntryRef<'_>> + '_ {
        self.entries.iter().map(|entry| EntryRef {
            listing: self,
            entry,
        })
    }

    /// Sum of the sizes of the regular files in this layer.
    #[must_use]
    pub fn file_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    pub(crate) fn with_capacity(entries: usize, arena: usize) -> Self {
        Self {
            entries: Vec::with_capacity(entries),
            arena: Vec::with_capacity(arena),
            blob_bytes: 0,
            tar_bytes: 0,
        }
    }

    pub(crate) fn push_bytes(&mut self, bytes: &[u8]) -> Result<Span, Error> {
        let too_large = || Error::TooManyNames {
            limit: u64::from(u32::MAX),
        };
        let start = u32::try_from(self.arena.len()).map_err(|_| too_large())?;
        let len = u32::try_from(bytes.len()).map_err(|_| too_large())?;
        if start.checked_add(len).is_none() {
            return Err(too_large());
        }
        self.arena.extend_from_slice(bytes);
        Ok(Span { start, len })
    }

    pub(crate) fn bytes(&self, span: Span) -> &[u8] {
        let start = span.start as usize;
        self.arena
            .get(start..start + span.len as usize)
            .unwrap_or(&[])
    }
}

/// An entry together with the listing whose arena holds its names.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    listing: &'a LayerListing,
    entry: &'a Entry,
}

impl<'a> EntryRef<'a> {
    /// The path exactly as the tar stores it (GNU/PAX long names resolved).
    #[must_use]
    pub fn path(&self) -> &'a [u8] {
        self.listing.bytes(self.entry.path)
    }

    /// The path as text: valid UTF-8 as is, other bytes as `\xNN`.
    #[must_use]
    pub fn path_display(&self) -> Cow<'a, str> {
        display_path(self.path())
    }

    /// Symlink or hardlink target, as the tar stores it.
    #[must_use]
    pub fn link_target(&self) -> Option<&'a [u8]> {
        self.entry.link.map(|s| self.listing.bytes(s))
    }

    #[must_use]
    pub fn entry(&self) -> &'a Entry {
        self.entry
    }
}

impl std::ops::Deref for EntryRef<'_> {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        self.entry
    }
}

/// Text for a name from a tar: valid UTF-8 is shown as is (including `..` and a leading
/// `/`), every byte that is not valid UTF-8 as `\xNN`, control characters as `\u{..}`
/// escapes, so a name can never rewrite a terminal line or hide its real bytes (the one
/// escaping of outside text, [`crate::format::escape_bytes`]).
#[must_use]
pub fn display_path(bytes: &[u8]) -> Cow<'_, str> {
    crate::format::escape_bytes(bytes)
}

/// Lowercase hex of a SHA-256, as `sha256sum` prints it.
#[must_use]
pub fn sha256_hex(hash: &[u8; 32]) -> String {
    use std::fmt::Write as _;
    hash.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// `rwxr-xr-x`-style text for permission bits, with set-id and sticky bits as `ls` shows them.
#[must_use]
pub fn mode_string(kind: EntryKind, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(kind.letter());
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |exec: u32, special: u32, on: char, off: char| match (
        mode & exec != 0,
        mode & special != 0,
    ) {
        (true, true) => on,
        (false, true) => off,
        (true, false) => 'x',
        (false, false) => '-',
    };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(0o100, 0o4000, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(0o010, 0o2000, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(0o001, 0o1000, 't', 'T'));
    s
}

/// `YYYY-MM-DD HH:MM` in UTC, from seconds since the epoch (what `tar -tv` shows with
/// `TZ=UTC`).
#[must_use]
pub fn mtime_text(secs: u64) -> String {
    crate::format::utc_minutes(i64::try_from(secs).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_are_shown_not_interpreted() {
        assert_eq!(display_path(b"../../etc/passwd"), "../../etc/passwd");
        assert_eq!(display_path(b"/abs/path"), "/abs/path");
        assert_eq!(display_path(b"caf\xc3\xa9"), "caf\u{e9}");
        assert_eq!(display_path(b"bad\xffname"), "bad\\xffname");
        assert_eq!(display_path(b"line\nbreak"), "line\\nbreak");
    }

    #[test]
    fn dates_are_utc_civil() {
        assert_eq!(mtime_text(0), "1970-01-01 00:00");
        assert_eq!(mtime_text(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(mtime_text(951_782_400), "2000-02-29 00:00");
    }

    #[test]
    fn modes_render_like_ls() {
        assert_eq!(mode_string(EntryKind::File, 0o644), "-rw-r--r--");
        assert_eq!(mode_string(EntryKind::Dir, 0o1777), "drwxrwxrwt");
        assert_eq!(mode_string(EntryKind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_string(EntryKind::Symlink, 0o777), "lrwxrwxrwx");
    }
}
