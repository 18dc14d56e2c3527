//! Where extracted entries go: a directory (through [`SafeDir`]) or a tar file written under
//! a temporary name beside its target and renamed when complete. Both hash each file as it
//! is written and refuse one whose SHA-256 differs from its listing.

use super::safe_dest::{SafeDir, TEMP_PREFIX, relative};
use super::{Destination, Error, PlannedFile, Report, SkipReason, Skipped};
use sha2::{Digest as _, Sha256};
use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use tokio_util::sync::CancellationToken;

const CHUNK: usize = 64 * 1024;

pub enum Sink {
    Dir {
        dir: SafeDir,
        report: Report,
    },
    Tar {
        builder: Option<tar::Builder<File>>,
        temp: PathBuf,
        path: PathBuf,
        report: Report,
    },
}

fn write_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn tar_name(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.join(&b'/')
}

impl Sink {
    pub fn open(dest: &Destination) -> Result<Self, Error> {
        match dest {
            Destination::Dir(dir) => Ok(Self::Dir {
                dir: SafeDir::open(dir)?,
                report: Report::default(),
            }),
            Destination::File(path) => {
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                Ok(Self::Dir {
                    dir: SafeDir::open(parent)?,
                    report: Report::default(),
                })
            }
            Destination::Tar(path) => {
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let temp = parent.join(format!("{TEMP_PREFIX}{}.tar", std::process::id()));
                let file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&temp)
                    .map_err(write_error(&temp))?;
                let mut builder = tar::Builder::new(file);
                builder.follow_symlinks(false);
                Ok(Self::Tar {
                    builder: Some(builder),
                    temp,
                    path: path.clone(),
                    report: Report::default(),
                })
            }
        }
    }

    fn report(&mut self) -> &mut Report {
        match self {
            Self::Dir { report, .. } | Self::Tar { report, .. } => report,
        }
    }

    pub fn skip(&mut self, display: &str, reason: SkipReason) {
        self.report().skipped.push(Skipped {
            path: display.to_owned(),
            reason,
        });
    }

    fn outcome(&mut self, display: &str, done: Result<(), SkipReason>) -> bool {
        match done {
            Ok(()) => true,
            Err(reason) => {
                self.skip(display, reason);
                false
            }
        }
    }

    pub fn dir(&mut self, parts: &[Vec<u8>], display: &str, mode: u32) -> Result<(), Error> {
        let done = match self {
            Self::Dir { dir, .. } => dir.make_dir(parts, mode)?,
            Self::Tar { builder, temp, .. } => {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(mode & 0o7777);
                header.set_size(0);
                let mut name = tar_name(parts);
                name.push(b'/');
                append(builder, temp, &mut header, &name, io::empty())?;
                Ok(())
            }
        };
        if self.outcome(display, done) {
            self.report().dirs += 1;
        }
        Ok(())
    }

    /// Writes one file from `data`, checking its SHA-256; `progress` gets bytes written so far
    /// in this extraction.
    pub fn file(
        &mut self,
        file: &PlannedFile,
        data: &mut dyn Read,
        cancel: &CancellationToken,
        progress: &dyn Fn(u64),
    ) -> Result<(), Error> {
        let base = self.report().bytes;
        let mut hashing = Hashing {
            inner: data.take(file.size),
            hasher: Sha256::new(),
            cancel,
            written: 0,
            base,
            progress,
        };
        let done = match self {
            Self::Dir { dir, .. } => {
                let (mut out, temp) = match dir.create_temp(&file.parts)? {
                    Ok(created) => created,
                    Err(reason) => {
                        self.skip(&file.display, reason);
                        return Ok(());
                    }
                };
                let copied = copy(&mut hashing, &mut out).and_then(|()| {
                    out.set_modified(
                        std::time::UNIX_EPOCH + std::time::Duration::from_secs(file.mtime),
                    )
                });
                drop(out);
                if let Err(e) = copied {
                    dir.discard(&temp);
                    return Err(cancelled_or(e, &temp));
                }
                if !hashing.matches(file) {
                    dir.discard(&temp);
                    return Err(Error::HashMismatch {
                        path: file.display.clone(),
                    });
                }
                dir.commit(&temp, &file.parts, file.mode)?
            }
            Self::Tar { builder, temp, .. } => {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(file.mode & 0o7777);
                header.set_size(file.size);
                header.set_mtime(file.mtime);
                append(
                    builder,
                    temp,
                    &mut header,
                    &tar_name(&file.parts),
                    &mut hashing,
                )?;
                if !hashing.matches(file) {
                    return Err(Error::HashMismatch {
                        path: file.display.clone(),
                    });
                }
                Ok(())
            }
        };
        let written = hashing.written;
        if self.outcome(&file.display, done) {
            let report = self.report();
            report.files += 1;
            report.bytes += written;
        }
        Ok(())
    }

    pub fn symlink(
        &mut self,
        parts: &[Vec<u8>],
        display: &str,
        target: &[u8],
    ) -> Result<(), Error> {
        let done = match self {
            Self::Dir { dir, .. } => dir.symlink(parts, target)?,
            Self::Tar { builder, temp, .. } => {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(0o777);
                header.set_size(0);
                link(builder, temp, &mut header, &tar_name(parts), target)?;
                Ok(())
            }
        };
        if self.outcome(display, done) {
            self.report().links += 1;
        }
        Ok(())
    }

    pub fn hard_link(
        &mut self,
        parts: &[Vec<u8>],
        display: &str,
        target: &[u8],
    ) -> Result<(), Error> {
        let Ok(target_parts) = relative(target) else {
            self.skip(display, SkipReason::LinkTargetMissing);
            return Ok(());
        };
        let done = match self {
            Self::Dir { dir, .. } => dir.hard_link(parts, &target_parts)?,
            Self::Tar { builder, temp, .. } => {
                let mut header = tar::Header::new_gnu();
                header.set_entry_type(tar::EntryType::Link);
                header.set_size(0);
                link(
                    builder,
                    temp,
                    &mut header,
                    &tar_name(parts),
                    &tar_name(&target_parts),
                )?;
                Ok(())
            }
        };
        if self.outcome(display, done) {
            self.report().links += 1;
        }
        Ok(())
    }

    /// Completes the destination (a tar is finished, synced and renamed into place; the
    /// directories made in a tree get their listed modes).
    pub fn finish(mut self) -> Result<Report, Error> {
        if let Self::Dir { dir, .. } = &mut self {
            dir.finish_dirs()?;
        }
        if let Self::Tar {
            builder,
            temp,
            path,
            ..
        } = &mut self
        {
            let Some(builder) = builder.take() else {
                return Err(Error::Worker("tar already finished".to_owned()));
            };
            let result = builder
                .into_inner()
                .and_then(|f| f.sync_all())
                .and_then(|()| std::fs::rename(&*temp, &*path));
            if let Err(e) = result {
                let _ = std::fs::remove_file(&*temp);
                return Err(write_error(path)(e));
            }
        }
        Ok(std::mem::take(self.report()))
    }

    /// Removes whatever is unfinished.
    pub fn abort(&mut self) {
        match self {
            Self::Dir { dir, .. } => dir.clean_up(),
            Self::Tar { builder, temp, .. } => {
                builder.take();
                let _ = std::fs::remove_file(&*temp);
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Self::Tar {
            builder: Some(_), ..
        } = self
        {
            self.abort();
        }
    }
}

fn append(
    builder: &mut Option<tar::Builder<File>>,
    temp: &Path,
    header: &mut tar::Header,
    name: &[u8],
    data: impl Read,
) -> Result<(), Error> {
    let Some(builder) = builder.as_mut() else {
        return Err(Error::Worker("tar already finished".to_owned()));
    };
    let name = Path::new(OsStr::from_bytes(name));
    builder
        .append_data(header, name, data)
        .map_err(|e| cancelled_or(e, temp))
}

fn link(
    builder: &mut Option<tar::Builder<File>>,
    temp: &Path,
    header: &mut tar::Header,
    name: &[u8],
    target: &[u8],
) -> Result<(), Error> {
    let Some(builder) = builder.as_mut() else {
        return Err(Error::Worker("tar already finished".to_owned()));
    };
    let name = Path::new(OsStr::from_bytes(name));
    let target = Path::new(OsStr::from_bytes(target));
    builder
        .append_link(header, name, target)
        .map_err(write_error(temp))
}

/// The cancel that stopped a copy, or the write error it was.
fn cancelled_or(e: io::Error, path: &Path) -> Error {
    if e.kind() == io::ErrorKind::Other && e.to_string() == CANCELLED {
        Error::Cancelled
    } else {
        Error::Write {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

const CANCELLED: &str = "extraction cancelled";

fn copy(from: &mut impl Read, to: &mut impl Write) -> io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            return to.flush();
        }
        to.write_all(&buf[..n])?;
    }
}

/// Hashes and counts what passes, stops on cancel, reports progress.
struct Hashing<'a, R> {
    inner: R,
    hasher: Sha256,
    cancel: &'a CancellationToken,
    written: u64,
    base: u64,
    progress: &'a dyn Fn(u64),
}

impl<R: Read> Hashing<'_, R> {
    fn matches(&mut self, file: &PlannedFile) -> bool {
        let hash: [u8; 32] = std::mem::take(&mut self.hasher).finalize().into();
        self.written == file.size && file.sha256.is_none_or(|want| want == hash)
    }
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(io::Error::other(CANCELLED));
        }
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        (self.progress)(self.base + self.written);
        Ok(n)
    }
}
