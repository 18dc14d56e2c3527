//! Temporary files left by a writer that died (a pull killed with `kill -9`): each is named
//! `.tmp-HEX-PID-N`, so one whose process is gone can be taken over by the next writer of
//! the same blob (which goes on where it stopped) or removed without waiting for a GC, while
//! the temporary files of live writers stay untouched.

use super::LayoutStore;
use super::blobs::{TEMP_PREFIX, blobs_dir};
use crate::oci::Digest;
use crate::store::{Error, Result};
use std::path::{Path, PathBuf};

impl LayoutStore {
    /// Removes temporary blob files whose writing process no longer runs; returns their
    /// names. Does nothing where process liveness cannot be checked (no `/proc`).
    pub fn remove_stale_temp_files(&self) -> Result<Vec<String>> {
        self.remove_stale_temp_files_except(&[])
    }

    /// The same, but keeps those of the blobs in `resumable`: the writers about to fetch
    /// them take them over and go on where the dead writer stopped.
    pub fn remove_stale_temp_files_except(&self, resumable: &[Digest]) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for (name, path) in self.stale_temp_files()? {
            if resumable
                .iter()
                .any(|d| temp_digest_hex(&name) == Some(d.hex()))
            {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => removed.push(name),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", path)(e)),
            }
        }
        Ok(removed)
    }

    /// The largest temporary file a dead writer left for `digest`, if any.
    pub(crate) fn stale_temp_file_for(&self, digest: &Digest) -> Result<Option<PathBuf>> {
        let mut best: Option<(u64, PathBuf)> = None;
        for (name, path) in self.stale_temp_files()? {
            if temp_digest_hex(&name) != Some(digest.hex()) {
                continue;
            }
            let len = std::fs::metadata(&path).map_or(0, |m| m.len());
            if best.as_ref().is_none_or(|(l, _)| len > *l) {
                best = Some((len, path));
            }
        }
        Ok(best.map(|(_, p)| p))
    }

    /// Temporary blob files of processes that are gone: (name, path).
    fn stale_temp_files(&self) -> Result<Vec<(String, PathBuf)>> {
        if !Path::new("/proc/self").exists() {
            return Ok(Vec::new());
        }
        let blobs = blobs_dir(self.dir());
        let entries = match std::fs::read_dir(&blobs) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("list", &blobs)(e)),
        };
        let mut stale = Vec::new();
        for entry in entries {
            let entry = entry.map_err(Error::io("list", &blobs))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = temp_owner(&name) else {
                continue;
            };
            if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
                continue;
            }
            stale.push((name, entry.path()));
        }
        Ok(stale)
    }
}

/// The digest's hex in `.tmp-HEX-PID-N` (older writers put 12 digits there; they match
/// nothing and are only removed).
fn temp_digest_hex(name: &str) -> Option<&str> {
    name.strip_prefix(TEMP_PREFIX)?.split('-').next()
}

/// The PID in `.tmp-HEX-PID-N`.
fn temp_owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let mut parts = rest.split('-');
    let _short = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    parts.next()?;
    Some(pid)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::oci::Digest;

    #[test]
    fn dead_writers_temp_files_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let store = LayoutStore::open_or_create(dir.path()).unwrap();
        assert_eq!(temp_owner(".tmp-abcdef012345-42-7"), Some(42));
        assert_eq!(temp_owner("abc"), None);
        let blobs = blobs_dir(dir.path());
        // PID 0 is never a process in /proc.
        std::fs::write(blobs.join(".tmp-abcdef012345-0-1"), b"x").unwrap();
        let live = store
            .blob_writer(&Digest::of(b"hello"), 5)
            .unwrap()
            .unwrap();
        let removed = store.remove_stale_temp_files().unwrap();
        assert_eq!(removed, [".tmp-abcdef012345-0-1"]);
        // fsck locks the store exclusively: count the live writer's file by hand.
        let left = std::fs::read_dir(&blobs).unwrap().count();
        assert_eq!(left, 1);
        drop(live);
        assert!(store.fsck().unwrap().is_clean());
    }
}
