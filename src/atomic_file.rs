//! Whole-file writes that a crash cannot tear: the one way Berth replaces a small file
//! (settings, window state, credentials, the layer-listing cache, a layout's `index.json`).
//! The bytes go to a uniquely named temporary file beside the target, are fsynced and given
//! their permissions, and only then is the file renamed over the target and the directory
//! fsynced, so after a crash the target is either the old file or the new one, whole, and a
//! secret is never readable under wider permissions, not even for a moment (see
//! ARCHITECTURE.md, "Files on disk"). Streaming writers (blobs, archives) have their own path.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces `path` with `bytes`, atomically and durably. `mode` (e.g. `0o600` for a file
/// that holds secrets) is set exactly, whatever the umask; `None` takes the usual default.
/// The parent directory must exist. On error the target is untouched and no temporary file
/// is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let dir = parent_of(path);
    let temp = temp_path(path)?;
    let result = write_then_rename(&temp, path, bytes, mode).and_then(|()| sync_dir(dir));
    if result.is_err() {
        // After a failed rename the temporary file is still there; after a failed directory
        // sync it is gone already (and removing it again harms nothing).
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_then_rename(temp: &Path, path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let mut options = OpenOptions::new();
    // `create_new`: never follow or reuse whatever happens to be at the temporary name.
    options.write(true).create_new(true);
    if let Some(mode) = mode {
        // The file is born with the narrow mode, so the secret is never readable by others.
        options.mode(mode);
    }
    let mut file = options.open(temp)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(mode) = mode {
            // The umask may have narrowed `mode` at creation; set it exactly.
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.sync_all()
    })();
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(temp);
        return Err(e);
    }
    std::fs::rename(temp, path)
}

/// The directory a relative bare name lives in is the current one.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.NAME.PID.N.tmp` beside the target: hidden, unique within this process and across
/// processes, and in the same directory (a rename never crosses file systems).
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        ));
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(path.with_file_name(format!(
        ".{}.{}.{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Makes a rename durable: the directory entry is only on disk once the directory is synced.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces_the_whole_file_leaving_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let path = dir.join("settings.toml");
        write_atomic(&path, b"first version, rather long", None).unwrap();
        write_atomic(&path, b"second", None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(names(dir), ["settings.toml"]);
    }

    #[test]
    fn a_mode_is_set_exactly_also_over_a_wider_file() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let path = dir.join("auth.json");
        std::fs::write(&path, b"{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&path, br#"{"auths":{}}"#, Some(0o600)).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A mode the umask (022) would narrow comes out as asked, too.
        write_atomic(&path, b"{}", Some(0o664)).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
    }

    #[test]
    fn a_parent_that_is_a_file_fails_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let blocker = dir.join("containers");
        std::fs::write(&blocker, b"not a directory").unwrap();
        let err = write_atomic(&blocker.join("auth.json"), b"{}", Some(0o600)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotADirectory, "{err}");
        assert_eq!(names(dir), ["containers"]);
        assert_eq!(std::fs::read(&blocker).unwrap(), b"not a directory");
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        // Root may write anywhere, but nobody renames a file over a non-empty directory.
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let target = dir.join("index.json");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), b"x").unwrap();
        write_atomic(&target, b"{}", None).unwrap_err();
        assert_eq!(names(dir), ["index.json"]);
        assert!(target.is_dir());
    }

    #[test]
    fn a_bare_name_is_written_in_the_current_directory() {
        assert_eq!(parent_of(Path::new("x.json")), Path::new("."));
        assert_eq!(parent_of(Path::new("/a/x.json")), Path::new("/a"));
        assert!(temp_path(Path::new("/")).is_err());
    }
}
