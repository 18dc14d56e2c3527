//! The file a blob is written into. Where the filesystem allows it, writes bypass the page
//! cache (`O_DIRECT`): a pulled layer is copied once fewer by the CPU, the disk works while
//! the network and the hash do, and the fsync at commit has little left to flush. That needs
//! writes aligned in memory, offset and length, so bytes gather in an aligned buffer and the
//! last partial block is padded and then cut off with `set_len`. Filesystems that refuse
//! direct I/O (tmpfs, some FUSE and network filesystems) get ordinary buffered writes.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek as _, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

/// Alignment that satisfies every common logical block size (512 and 4096).
const BLOCK: usize = 4096;
/// Bytes gathered before a write: large writes keep direct I/O near the disk's speed.
const CHUNK: usize = 1024 * 1024;

/// `n` rounded down to a whole number of blocks: where a direct write may start.
pub(super) fn aligned_down(n: u64) -> u64 {
    n - n % BLOCK as u64
}

pub(super) struct BlobFile {
    file: File,
    path: PathBuf,
    /// `CHUNK + BLOCK` bytes; the aligned window starts at `start`.
    buf: Vec<u8>,
    start: usize,
    filled: usize,
    direct: bool,
    written: u64,
}

impl BlobFile {
    /// Creates `path`, which must not exist.
    pub(super) fn create(path: &Path) -> io::Result<Self> {
        Self::create_with(path, true)
    }

    /// Opens the existing `path` to go on writing after its first `len` bytes (a multiple of
    /// the block size); anything after them is cut off.
    pub(super) fn reopen(path: &Path, len: u64) -> io::Result<Self> {
        let mut options = OpenOptions::new();
        options.write(true);
        let (mut file, direct) = match options.clone().custom_flags(libc::O_DIRECT).open(path) {
            Ok(f) => (f, true),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => (options.open(path)?, false),
            Err(e) => return Err(e),
        };
        file.set_len(len)?;
        file.seek(SeekFrom::Start(len))?;
        let mut this = Self::with_buffer(file, path, direct);
        this.written = len;
        Ok(this)
    }

    fn create_with(path: &Path, try_direct: bool) -> io::Result<Self> {
        let (file, direct) = match open(path, try_direct) {
            Ok(f) => (f, try_direct),
            // Linux may create the file before it refuses the flag; the name is ours alone.
            Err(e) if try_direct && e.raw_os_error() == Some(libc::EINVAL) => {
                (open(path, false)?, false)
            }
            Err(e) => return Err(e),
        };
        Ok(Self::with_buffer(file, path, direct))
    }

    fn with_buffer(file: File, path: &Path, direct: bool) -> Self {
        let buf = vec![0u8; CHUNK + BLOCK];
        let start = (BLOCK - buf.as_ptr().addr() % BLOCK) % BLOCK;
        Self {
            file,
            path: path.to_owned(),
            buf,
            start,
            filled: 0,
            direct,
            written: 0,
        }
    }

    /// Writes the gathered bytes, padded to a whole block when `pad` (the last write).
    fn flush_buffer(&mut self, pad: bool) -> io::Result<()> {
        let len = if pad && self.direct {
            let len = self.filled.next_multiple_of(BLOCK);
            self.buf[self.start + self.filled..self.start + len].fill(0);
            len
        } else {
            self.filled
        };
        let window = self.start..self.start + len;
        match self.file.write_all(&self.buf[window]) {
            // Accepted at open, refused at a write (an unusual block size, a stacked
            // filesystem): carry on buffered from the first byte not yet known written.
            Err(e) if self.direct && e.raw_os_error() == Some(libc::EINVAL) => {
                self.file = OpenOptions::new().write(true).open(&self.path)?;
                self.file.seek(SeekFrom::Start(self.written))?;
                self.direct = false;
                self.file
                    .write_all(&self.buf[self.start..self.start + self.filled])?;
            }
            other => other?,
        }
        self.written += self.filled as u64;
        self.filled = 0;
        Ok(())
    }

    /// Bytes taken so far.
    pub(super) fn len(&self) -> u64 {
        self.written + self.filled as u64
    }

    /// Writes what is left and cuts the padding off; the caller fsyncs.
    pub(super) fn finish(mut self) -> io::Result<File> {
        if self.filled > 0 {
            self.flush_buffer(true)?;
        }
        // Cuts the padding, and anything a direct write left before it was refused.
        self.file.set_len(self.written)?;
        Ok(self.file)
    }
}

impl Write for BlobFile {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK - self.filled);
        let at = self.start + self.filled;
        self.buf[at..at + n].copy_from_slice(&data[..n]);
        self.filled += n;
        if self.filled == CHUNK {
            self.flush_buffer(false)?;
        }
        Ok(n)
    }

    /// Only whole chunks are written before `finish`: a partial one would break alignment.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn open(path: &Path, direct: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    if direct {
        o.custom_flags(libc::O_DIRECT);
    }
    match o.open(path) {
        Err(e) if !direct && e.kind() == io::ErrorKind::AlreadyExists => {
            OpenOptions::new().write(true).truncate(true).open(path)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn round_trip(dir: &Path, sizes: &[usize], direct: bool) {
        let path = dir.join(format!("f-{}-{direct}", sizes.iter().sum::<usize>()));
        let mut f = BlobFile::create_with(&path, direct).unwrap();
        if f.direct != direct {
            // Only possible when asking for direct I/O: then the buffered path ran instead.
            eprintln!(
                "{} refuses O_DIRECT; checked buffered writes only",
                dir.display()
            );
        }
        let mut expected = Vec::new();
        for (i, &n) in sizes.iter().enumerate() {
            let piece: Vec<u8> = (0..n).map(|j| (i * 31 + j) as u8).collect();
            f.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
        }
        f.finish().unwrap().sync_all().unwrap();
        let mut got = Vec::new();
        File::open(&path).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), expected.len());
        assert!(got == expected, "content differs for {sizes:?}");
    }

    #[test]
    fn odd_sizes_come_back_exactly_direct_or_buffered() {
        let dir = tempfile::tempdir().unwrap();
        for direct in [true, false] {
            round_trip(dir.path(), &[], direct);
            round_trip(dir.path(), &[1], direct);
            round_trip(dir.path(), &[CHUNK], direct);
            round_trip(
                dir.path(),
                &[CHUNK - 1, 2, 4095, 4097, CHUNK * 2 + 13],
                direct,
            );
            round_trip(dir.path(), &[7; 1000], direct);
        }
    }
}
