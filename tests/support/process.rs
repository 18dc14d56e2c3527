//! Process plumbing for the harness: the per-process scratch directory, free ports, the
//! target directory, and the watchdog that stops our child processes when the test process
//! is gone.
//!
//! Statics are never dropped when a test binary exits, so anything a shared fixture starts
//! (registries) or creates (scratch directories) would leak. A tiny `sh` loop per child
//! watches the test process's PID instead and cleans up after it, whichever way it ended.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// A scratch directory for this test process, removed by a watchdog after the process exits.
pub fn scratch_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix(&format!("berth-test-{}-", std::process::id()))
            .tempdir()
            .expect("create scratch root")
            .keep();
        watch(None, Some(&dir));
        dir
    })
}

/// A new empty directory under [`scratch_root`].
pub fn scratch_dir(prefix: &str) -> PathBuf {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(scratch_root())
        .expect("create scratch dir")
        .keep()
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else the ancestor of this test binary that
/// holds `CACHEDIR.TAG` (so `--target-dir` works too), else `<manifest>/target`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            manifest_dir().join(dir)
        };
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe
            .ancestors()
            .skip(1)
            .find(|a| a.join("CACHEDIR.TAG").is_file())
    {
        return dir.to_owned();
    }
    manifest_dir().join("target")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A port that was free a moment ago. Callers that start a server on it retry on a clash.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local addr").port()
}

/// Starts a watchdog: once this test process is gone, it kills `child` (TERM, then KILL) and
/// removes `dir`. It also ends by itself when `child` exits first (a `Drop` stopped it).
pub fn watch(child: Option<u32>, dir: Option<&Path>) {
    const SCRIPT: &str = r#"
        me=$1; child=$2; dir=$3
        while kill -0 "$me" 2>/dev/null; do
            if [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null; then child=""; [ -z "$dir" ] && exit 0; fi
            sleep 0.5
        done
        if [ -n "$child" ]; then
            kill "$child" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done
            kill -9 "$child" 2>/dev/null
        fi
        [ -n "$dir" ] && rm -rf "$dir"
        exit 0
    "#;
    let me = std::process::id().to_string();
    let child = child.map(|c| c.to_string()).unwrap_or_default();
    let dir = dir.map(|d| d.display().to_string()).unwrap_or_default();
    // Never waited for: the watchdog is meant to outlive this process.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .args(["-c", SCRIPT, "berth-test-watchdog", &me, &child, &dir])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: a Ctrl-C to the test run must not stop it before it cleans up.
        .process_group(0)
        .spawn()
        .expect("spawn watchdog (sh)");
}

/// Polls `ready` every 50 ms until it returns true or `timeout` passes.
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < end {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ready()
}

/// Copies a directory tree file by file. Never hard-links: the registry rewrites link files
/// in place, and tests corrupt blobs on purpose, so a copy must not share inodes with the
/// fixture cache.
pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create copy target");
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("read {}: {e}", src.display())) {
        let entry = entry.expect("dir entry");
        let ty = entry.file_type().expect("file type");
        let to = dst.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &to);
        } else if ty.is_symlink() {
            let target = std::fs::read_link(entry.path()).expect("read link");
            std::os::unix::fs::symlink(target, &to).expect("copy symlink");
        } else {
            std::fs::copy(entry.path(), &to)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}
