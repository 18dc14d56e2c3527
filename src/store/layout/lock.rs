//! The store's lock file (`DIR/.berth-lock`, an advisory `flock`). Blob writes hold it
//! shared, so any number of pulls write at once; reference updates and garbage collection
//! hold it exclusively, so GC never deletes a blob that a commit is about to reference and
//! two commits never lose each other's `index.json` update. Readers lock it shared only when
//! it exists: reading a layout (even one on a read-only disk) never creates a file in it.

use crate::store::{Error, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

pub(crate) const LOCK_FILE: &str = ".berth-lock";

/// A held lock; released when dropped (closing the file releases the `flock`).
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: Option<File>,
}

impl StoreLock {
    /// Shared, for blob writes: creates the lock file if needed.
    pub(crate) fn shared(dir: &Path) -> Result<Self> {
        let (file, path) = open(dir)?;
        file.lock_shared().map_err(Error::io("lock", path))?;
        Ok(Self { _file: Some(file) })
    }

    /// Exclusive, for reference updates and GC: creates the lock file if needed.
    pub(crate) fn exclusive(dir: &Path) -> Result<Self> {
        let (file, path) = open(dir)?;
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

fn open(dir: &Path) -> Result<(File, PathBuf)> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(Error::io("open", &path))?;
    Ok((file, path))
}
