//! Writing under a destination directory without ever leaving it. A tar path is turned into
//! plain components first ([`relative`]: no `..`, not absolute); every parent is checked with
//! `lstat` to be a real directory (never a symlink) before anything is made in it, and
//! Berth creates parents itself; files are created with `O_CREAT|O_EXCL|O_NOFOLLOW` under a
//! temporary name and renamed over the final name only when whole (a rename replaces a link,
//! it does not follow it). Symlinks are written as links and never followed, so a link loop
//! cannot hang anything. Temporary names are remembered so a failure or a cancel removes them.
//! Directories are made with their listed mode plus `0700` (so Berth can write into them)
//! and given their listed mode when everything is written ([`SafeDir::finish_dirs`],
//! deepest first, as `tar -x` does).

use super::{Error, SkipReason};
use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

/// Prefix of every temporary file this module writes.
pub const TEMP_PREFIX: &str = ".berth-extract-";

/// `raw` (a tar path) as components under a destination, or why it may not be written.
/// Empty and `.` components are dropped, as a runtime applies a layer.
pub fn relative(raw: &[u8]) -> Result<Vec<Vec<u8>>, SkipReason> {
    if raw.first() == Some(&b'/') {
        return Err(SkipReason::AbsolutePath);
    }
    let mut parts = Vec::new();
    for part in raw.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => return Err(SkipReason::ParentComponent),
            p if p.contains(&0) => return Err(SkipReason::ParentComponent),
            p => parts.push(p.to_vec()),
        }
    }
    Ok(parts)
}

/// A destination directory and the temporary files written into it so far.
pub struct SafeDir {
    root: PathBuf,
    temps: Vec<PathBuf>,
    counter: u64,
    /// The directories made here, with their listed modes.
    made: Vec<(Vec<Vec<u8>>, u32)>,
}

impl SafeDir {
    /// `root` must be an existing directory (it may be a symlink the user chose).
    pub fn open(root: &Path) -> Result<Self, Error> {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => Ok(Self {
                root: root.to_path_buf(),
                temps: Vec::new(),
                counter: 0,
                made: Vec::new(),
            }),
            Ok(_) => Err(Error::NotADirectory {
                path: root.to_path_buf(),
            }),
            Err(source) => Err(Error::Write {
                path: root.to_path_buf(),
                source,
            }),
        }
    }

    fn join(&self, parts: &[Vec<u8>]) -> PathBuf {
        let mut p = self.root.clone();
        for part in parts {
            p.push(OsStr::from_bytes(part));
        }
        p
    }

    /// Checks that every parent of `parts` is a real directory (no symlink, nothing else).
    fn parents_are_dirs(&self, parts: &[Vec<u8>]) -> Result<(), SkipReason> {
        for n in 1..parts.len() {
            match std::fs::symlink_metadata(self.join(&parts[..n])) {
                Ok(m) if m.file_type().is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => return Err(SkipReason::ParentIsSymlink),
                _ => return Err(SkipReason::ParentMissing),
            }
        }
        Ok(())
    }

    /// Makes the directory `parts` (its parents must exist), or accepts one already there.
    pub fn make_dir(
        &mut self,
        parts: &[Vec<u8>],
        mode: u32,
    ) -> Result<Result<(), SkipReason>, Error> {
        if let Err(reason) = self.parents_are_dirs(parts) {
            return Ok(Err(reason));
        }
        let path = self.join(parts);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_dir() => return Ok(Ok(())),
            Ok(_) => return Ok(Err(SkipReason::Occupied)),
            Err(_) => {}
        }
        let mut builder = std::fs::DirBuilder::new();
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, (mode & 0o777) | 0o700);
        builder
            .create(&path)
            .map_err(|source| Error::Write { path, source })?;
        self.made.push((parts.to_vec(), mode & 0o777));
        Ok(Ok(()))
    }

    /// Gives each directory [`Self::make_dir`] made its listed mode, deepest first (so a
    /// folder without `x` for its owner does not stop its children's). A name that is no
    /// longer a real directory under real directories is left alone.
    pub fn finish_dirs(&mut self) -> Result<(), Error> {
        let mut made = std::mem::take(&mut self.made);
        made.sort_by_key(|(parts, _)| std::cmp::Reverse(parts.len()));
        for (parts, mode) in made {
            if self.parents_are_dirs(&parts).is_err() {
                continue;
            }
            let path = self.join(&parts);
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_dir()) {
                continue;
            }
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .map_err(|source| Error::Write { path, source })?;
        }
        Ok(())
    }

    /// A new temporary file beside `parts`, created exclusively and without following links.
    pub fn create_temp(
        &mut self,
        parts: &[Vec<u8>],
    ) -> Result<Result<(File, PathBuf), SkipReason>, Error> {
        if let Err(reason) = self.parents_are_dirs(parts) {
            return Ok(Err(reason));
        }
        let mut path = self.join(&parts[..parts.len().saturating_sub(1)]);
        self.counter += 1;
        path.push(format!(
            "{TEMP_PREFIX}{}-{}",
            std::process::id(),
            self.counter
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(0o600)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        self.temps.push(path.clone());
        Ok(Ok((file, path)))
    }

    /// Gives a complete temporary file its mode and final name (replacing a file or link
    /// there, never following it; a directory there stays and the file is refused).
    pub fn commit(
        &mut self,
        temp: &Path,
        parts: &[Vec<u8>],
        mode: u32,
    ) -> Result<Result<(), SkipReason>, Error> {
        let path = self.join(parts);
        let result = if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            let _ = std::fs::remove_file(temp);
            Ok(Err(SkipReason::Occupied))
        } else {
            std::fs::set_permissions(temp, std::fs::Permissions::from_mode(mode & 0o777))
                .and_then(|()| std::fs::rename(temp, &path))
                .map(Ok)
                .map_err(|source| Error::Write { path, source })
        };
        self.temps.retain(|t| t != temp);
        result
    }

    /// Forgets a temporary file after removing it.
    pub fn discard(&mut self, temp: &Path) {
        let _ = std::fs::remove_file(temp);
        self.temps.retain(|t| t != temp);
    }

    /// A symlink at `parts` holding `target` as it is (never resolved).
    pub fn symlink(
        &self,
        parts: &[Vec<u8>],
        target: &[u8],
    ) -> Result<Result<(), SkipReason>, Error> {
        if let Err(reason) = self.parents_are_dirs(parts) {
            return Ok(Err(reason));
        }
        let path = self.join(parts);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Ok(Err(SkipReason::Occupied));
        }
        std::os::unix::fs::symlink(OsStr::from_bytes(target), &path)
            .map(Ok)
            .map_err(|source| Error::Write { path, source })
    }

    /// A hard link at `parts` to the regular file already written at `target`.
    pub fn hard_link(
        &self,
        parts: &[Vec<u8>],
        target: &[Vec<u8>],
    ) -> Result<Result<(), SkipReason>, Error> {
        if let Err(reason) = self
            .parents_are_dirs(parts)
            .and(self.parents_are_dirs(target))
        {
            return Ok(Err(reason));
        }
        let from = self.join(target);
        match std::fs::symlink_metadata(&from) {
            Ok(m) if m.file_type().is_file() => {}
            _ => return Ok(Err(SkipReason::LinkTargetMissing)),
        }
        let path = self.join(parts);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Ok(Err(SkipReason::Occupied));
        }
        std::fs::hard_link(&from, &path)
            .map(Ok)
            .map_err(|source| Error::Write { path, source })
    }

    /// Removes every temporary file still open or not yet renamed.
    pub fn clean_up(&mut self) {
        for temp in self.temps.drain(..) {
            let _ = std::fs::remove_file(temp);
        }
    }
}

impl Drop for SafeDir {
    fn drop(&mut self) {
        self.clean_up();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_are_refused() {
        assert_eq!(relative(b"../escape"), Err(SkipReason::ParentComponent));
        assert_eq!(relative(b"sub/../../up"), Err(SkipReason::ParentComponent));
        assert_eq!(relative(b"/abs"), Err(SkipReason::AbsolutePath));
        assert_eq!(
            relative(b"./a//b/."),
            Ok(vec![b"a".to_vec(), b"b".to_vec()])
        );
    }

    #[test]
    fn nothing_is_written_through_a_symlink() {
        let dir = std::env::temp_dir().join(format!("berth-safe-{}", std::process::id()));
        let outside = dir.join("outside");
        let dest = dir.join("dest");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::create_dir_all(&dest).unwrap();
        let mut safe = SafeDir::open(&dest).unwrap();
        let link = vec![b"link".to_vec()];
        safe.symlink(&link, outside.as_os_str().as_bytes())
            .unwrap()
            .unwrap();
        let under = vec![b"link".to_vec(), b"x".to_vec()];
        assert_eq!(
            safe.create_temp(&under).unwrap().err(),
            Some(SkipReason::ParentIsSymlink)
        );
        assert_eq!(
            safe.make_dir(&under, 0o755).unwrap(),
            Err(SkipReason::ParentIsSymlink)
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
