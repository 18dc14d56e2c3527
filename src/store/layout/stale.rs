//! Temporary files left by a writer that died (a pull killed with `kill -9`): each is named
//! `.tmp-HEX-PID-N`, so one whose process is gone can be taken over by the next writer of
//! the same blob (which goes on where it stopped) or removed without waiting for a GC, while
//! the temporary files of live writers stay untouched.

use super::LayoutStore;
use super::blobs::{TEMP_PREFIX, blobs_dir};
use crate::oci::Digest;
use crate::store::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

impl LayoutStore {
    /// Removes temporary blob files whose writing process no longer runs; returns their
    /// names. Does nothing where process liveness cannot be checked (no `/proc`).
    pub fn remove_stale_temp_files(&self) -> Result<Vec<String>> {
        Ok(self.remove_stale_temp_files_except(&[])?.0)
    }

    /// The same, but keeps those of the blobs in `resumable` (the largest one of each):
    /// returned, they are handed to the writers about to fetch those blobs, which take them
    /// over and go on where the dead writer stopped.
    pub fn remove_stale_temp_files_except(
        &self,
        resumable: &[Digest],
    ) -> Result<(Vec<String>, HashMap<Digest, PathBuf>)> {
        let mut kept: HashMap<Digest, (u64, PathBuf)> = HashMap::new();
        let mut doomed = Vec::new();
        for (name, path) in self.stale_temp_files()? {
            let wanted = resumable
                .iter()
                .find(|d| temp_digest_hex(&name) == Some(d.hex()));
            let Some(digest) = wanted else {
                doomed.push((name, path));
                continue;
            };
            let len = std::fs::metadata(&path).map_or(0, |m| m.len());
            match kept.get(digest) {
                Some((best, _)) if *best >= len => doomed.push((name, path)),
                _ => {
                    if let Some((_, smaller)) = kept.insert(digest.clone(), (len, path)) {
                        let name = smaller
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        doomed.push((name, smaller));
                    }
                }
            }
        }
        let mut removed = Vec::new();
        for (name, path) in doomed {
            match std::fs::remove_file(&path) {
                Ok(()) => removed.push(name),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", path)(e)),
            }
        }
        let kept = kept.into_iter().map(|(d, (_, p))| (d, p)).collect();
        Ok((removed, kept))
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

    /// For a blob about to be fetched, the largest leftover is kept and handed back; the
    /// smaller ones, and those of other blobs, go.
    #[test]
    fn the_largest_leftover_of_a_wanted_blob_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = LayoutStore::open_or_create(dir.path()).unwrap();
        let blobs = blobs_dir(dir.path());
        let wanted = Digest::of(b"wanted");
        let hex = wanted.hex();
        std::fs::write(blobs.join(format!(".tmp-{hex}-0-1")), b"ab").unwrap();
        std::fs::write(blobs.join(format!(".tmp-{hex}-0-2")), b"abcd").unwrap();
        std::fs::write(blobs.join(".tmp-abcdef012345-0-3"), b"x").unwrap();
        let (mut removed, kept) = store
            .remove_stale_temp_files_except(std::slice::from_ref(&wanted))
            .unwrap();
        removed.sort();
        assert_eq!(
            removed,
            [
                ".tmp-abcdef012345-0-3".to_owned(),
                format!(".tmp-{hex}-0-1")
            ]
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[&wanted], blobs.join(format!(".tmp-{hex}-0-2")));
    }
}
