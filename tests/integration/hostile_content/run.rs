//! Running `berth` for the hostile-content tests: under `/usr/bin/time` (Debian's `time`) for
//! its peak memory, output into files, in its own process group, within a safety limit.

use crate::support::{TestEnv, wait};
use std::os::unix::process::CommandExt as _;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

/// A safety limit against hangs, not a timing target.
pub const SAFETY: Duration = Duration::from_mins(3);
/// The most a command may use (peak resident set), in KiB.
pub const MEMORY_LIMIT_KIB: u64 = 512 * 1024;

/// One finished `berth` run.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// Peak resident set in KiB, as `/usr/bin/time -f %M` reports it.
    pub peak_kib: u64,
}

impl Run {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Kills the whole process group of a run that outlived the safety limit.
struct Group(u32);

impl Drop for Group {
    fn drop(&mut self) {
        // The group this test started (gone already when the run ended in time).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0)])
            .stderr(Stdio::null())
            .status();
    }
}

/// Runs `berth ARGS` under `/usr/bin/time`, output into files (never a pipe to fill), and
/// waits for it within [`SAFETY`].
pub fn berth(env: &TestEnv, args: &[&str]) -> Run {
    let dir = env.root().join("runs");
    std::fs::create_dir_all(&dir).expect("runs dir");
    let n = std::fs::read_dir(&dir).expect("runs").count();
    let (out_path, err_path, mem_path) = (
        dir.join(format!("{n}.out")),
        dir.join(format!("{n}.err")),
        dir.join(format!("{n}.mem")),
    );
    let mut cmd = env.command("/usr/bin/time");
    cmd.arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&mem_path)
        .arg(env!("CARGO_BIN_EXE_berth"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .process_group(0);
    let mut child = cmd
        .spawn()
        .expect("run /usr/bin/time (Debian package `time`)");
    let group = Group(child.id());
    let mut status = None;
    wait::until_within(SAFETY, &format!("berth {}", args.join(" ")), || {
        status = child.try_wait().expect("wait");
        status.is_some()
    });
    std::mem::forget(group); // it ended: nothing to kill
    let status = status.expect("exited");
    let mem = std::fs::read_to_string(&mem_path).expect("time's report");
    // `time` says "Command exited with non-zero status N" before the number.
    let peak_kib = mem
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .unwrap_or_else(|| panic!("no peak memory in {mem:?}"));
    Run {
        status,
        stdout: std::fs::read(&out_path).expect("stdout"),
        stderr: std::fs::read_to_string(&err_path).expect("stderr"),
        peak_kib,
    }
}

/// Fails unless `run` failed with a single clear line on stderr containing `needle`, in
/// bounded memory, with no line longer than a few KiB and no escape byte anywhere.
pub fn assert_clear_failure(what: &str, run: &Run, needle: &str) {
    assert!(!run.status.success(), "{what} succeeded: {}", run.out());
    assert!(run.status.code().is_some(), "{what} ended by a signal");
    assert!(
        run.stderr.contains(needle),
        "{what}: stderr lacks {needle:?}: {}",
        run.stderr
    );
    assert_bounded(what, run);
}

pub fn assert_bounded(what: &str, run: &Run) {
    eprintln!("{what}: peak {} KiB", run.peak_kib);
    assert!(
        run.peak_kib < MEMORY_LIMIT_KIB,
        "{what} used {} KiB at its peak",
        run.peak_kib
    );
    for stream in [&run.stdout[..], run.stderr.as_bytes()] {
        assert!(
            stream.split(|&b| b == b'\n').all(|l| l.len() < 8 * 1024),
            "{what} printed a line longer than 8 KiB"
        );
        assert!(!stream.contains(&0x1b), "{what} printed an ESC byte");
    }
}
