//! Opening a file that someone else may have put in a directory Berth reads (an `oci:DIR`
//! layout, Berth's own store): only a regular file is read. A blob that is a named pipe
//! would block the open and every read; one linked to `/dev/zero` would never end. So the
//! file is opened with `O_NONBLOCK` (a pipe's open then returns at once; on a regular file
//! the flag changes nothing), and what was opened is checked before a byte is read. Its
//! size comes back with it, so a caller can compare it with what it expects first.

use std::fs::File;
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::Path;

/// What a path that should hold a regular file holds instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl FileType {
    /// A stable name, for `--json` and the message catalog.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Directory => "directory",
            Self::Fifo => "fifo",
            Self::CharDevice => "char_device",
            Self::BlockDevice => "block_device",
            Self::Socket => "socket",
            Self::Other => "other",
        }
    }

    fn of(t: std::fs::FileType) -> Self {
        if t.is_dir() {
            Self::Directory
        } else if t.is_fifo() {
            Self::Fifo
        } else if t.is_char_device() {
            Self::CharDevice
        } else if t.is_block_device() {
            Self::BlockDevice
        } else if t.is_socket() {
            Self::Socket
        } else {
            Self::Other
        }
    }
}

/// Why a file could not be opened for reading.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("not a regular file ({})", .0.name())]
    NotAFile(FileType),
}

/// Opens `path` for reading if it is a regular file (a symlink is followed to its target,
/// which must be one too); returns it with its size. Never blocks on a pipe or a device.
pub fn open_regular(path: &Path) -> Result<(File, u64), OpenError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            // A socket cannot be opened at all.
            Some(libc::ENXIO) => OpenError::NotAFile(FileType::Socket),
            _ => OpenError::Io(e),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(OpenError::NotAFile(FileType::of(meta.file_type())));
    }
    Ok((file, meta.len()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_open_and_nothing_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"hello").unwrap();
        assert_eq!(open_regular(&file).unwrap().1, 5);
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            open_regular(&zero),
            Err(OpenError::NotAFile(FileType::CharDevice))
        ));
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(
            open_regular(&fifo),
            Err(OpenError::NotAFile(FileType::Fifo))
        ));
        assert!(matches!(
            open_regular(dir.path()),
            Err(OpenError::NotAFile(FileType::Directory))
        ));
        assert!(matches!(
            open_regular(&dir.path().join("none")),
            Err(OpenError::Io(_))
        ));
    }
}
