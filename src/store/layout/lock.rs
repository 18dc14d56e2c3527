//! The store's lock files (advisory `flock`s). `DIR/.berth-lock` guards the blobs: writes and
//! reference updates hold it shared, so any number of pulls write and commit at once, while
//! garbage collection and deletes hold it exclusively, so they never remove a blob that a
//! commit is about to reference. `DIR/.berth-index-lock` is held exclusively, briefly, by
//! every `index.json` update, so two commits never lose each other's change (always taken
//! after the first, so the two cannot deadlock). Readers lock the first shared only when it
//! exists: reading a layout (even one on a read-only disk) never creates a file in it.

use crate::store::{Error, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

pub(crate) const LOCK_FILE: &str = ".berth-lock";
const INDEX_LOCK_FILE: &str = ".berth-index-lock";

/// A held lock; released when dropped (closing the file releases the `flock`).
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: Option<File>,
}

impl StoreLock {
    /// Shared, for blob writes and reference updates: creates the lock file if needed.
    pub(crate) fn shared(dir: &Path) -> Result<Self> {
        let (file, path) = open(dir, LOCK_FILE)?;
        file.lock_shared().map_err(Error::io("lock", path))?;
        Ok(Self { _file: Some(file) })
    }

    /// Exclusive, for GC and deletes: creates the lock file if needed.
    pub(crate) fn exclusive(dir: &Path) -> Result<Self> {
        let (file, path) = open(dir, LOCK_FILE)?;
        file.lock().map_err(Error::io("lock", path))?;
        Ok(Self { _file: Some(file) })
    }

    /// The index lock, exclusive, for one `index.json` update; take it after the store lock.
    pub(crate) fn index(dir: &Path) -> Result<Self> {
        let (file, path) = open(dir, INDEX_LOCK_FILE)?;
        file.lock().map_err(Error::io("lock", path))?;
        Ok(Self { _file: Some(file) })
    }

    /// Shared, for reads, if the store has a lock file; otherwise no lock at all (a layout
    /// that no Berth ever wrote to has no writer to wait for).
    pub(crate) fn for_read(dir: &Path) -> Self {
        let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
            return Self { _file: None };
        };
        match file.lock_shared() {
            Ok(()) => Self { _file: Some(file) },
            Err(_) => Self { _file: None },
        }
    }
}

fn open(dir: &Path, name: &str) -> Result<(File, PathBuf)> {
    let path = dir.join(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(Error::io("open", &path))?;
    Ok((file, path))
}
