//! The CLI's listings write through one buffer (issue 19, item 4): what comes out must still be
//! every line, in order, and a reader that goes away early must still end the command quietly.

use crate::support::{self, Auth, fixtures};
use serde_json::Value;
use std::process::Output;

fn berth(args: &[&str]) -> Output {
    support::berth_cmd().args(args).output().expect("run berth")
}

fn stdout_lines(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    assert!(text.ends_with('\n'), "the last line is whole");
    text.lines().map(str::to_owned).collect()
}

/// `berth tags` of a large repository prints every tag skopeo lists, once, in natural order
/// (sorted here with `compare`, not with the keyed sort the CLI uses); `repos`, human and
/// `--json`, prints the whole catalog.
#[test]
fn a_large_listing_comes_out_whole_and_in_order() {
    let reg = support::registry(Auth::Anonymous);
    let repo = format!("{}/{}", reg.url(), fixtures::MANY_TAGS_REPO);
    let ours = stdout_lines(&berth(&["tags", &repo]));

    let listed: Value = serde_json::from_str(&support::skopeo(&[
        "list-tags",
        &reg.docker_ref(fixtures::MANY_TAGS_REPO),
    ]))
    .expect("skopeo json");
    let mut theirs: Vec<String> = listed["Tags"]
        .as_array()
        .expect("Tags")
        .iter()
        .map(|t| t.as_str().expect("tag").to_owned())
        .collect();
    theirs.sort_by(|a, b| berth::natural_sort::compare(a, b));
    assert_eq!(ours.len(), fixtures::MANY_TAGS_COUNT);
    assert_eq!(ours, theirs);

    let json = berth(&["--json", "tags", &repo]);
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["tags"], serde_json::json!(theirs));

    let repos = stdout_lines(&berth(&["repos", &reg.url()]));
    assert_eq!(repos.len(), fixtures::CATALOG_REPOS);
    let json = berth(&["--json", "repos", &reg.url()]);
    assert!(json.status.success());
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["repositories"], serde_json::json!(repos));
}

/// The buffer is written at the end: a closed pipe then fails that write, and the command
/// still ends with success and nothing on stderr, as an unbuffered one did.
#[test]
fn a_buffered_listing_into_a_closed_pipe_ends_quietly() {
    let reg = support::registry(Auth::Anonymous);
    let repo = format!("{}/{}", reg.url(), fixtures::MANY_TAGS_REPO);
    for args in [
        vec!["tags", repo.as_str()],
        vec!["--json", "tags", repo.as_str()],
        vec!["repos", &reg.url()],
        vec!["--json", "repos", &reg.url()],
    ] {
        let mut cmd = support::berth_cmd();
        cmd.args(&args);
        support::assert_quiet_into_closed_pipe(cmd, &format!("{args:?}"));
    }
}

/// A copy of the fixture layout with one blob's bytes changed: fsck finds it corrupt.
fn corrupted_layout(env: &support::TestEnv) -> String {
    let dir = env.root().join("lay");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(fixtures::fixture_layout())
        .arg(&dir)
        .status()
        .expect("cp");
    assert!(copied.success());
    let blobs = dir.join("blobs/sha256");
    let mut names: Vec<_> = std::fs::read_dir(&blobs)
        .expect("blobs")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let victim = &names[0];
    let mut perms = std::fs::metadata(victim).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(victim, perms).expect("chmod");
    std::fs::write(victim, b"not what the digest says").expect("corrupt");
    format!("oci:{}", dir.display())
}

/// `fsck --json` prints one JSON value: clean, it has no `error`; on a failure the error is
/// inside it (and the command fails with its line on stderr), never a second value after.
#[test]
fn fsck_json_is_one_value_with_its_failure_inside() {
    let env = support::TestEnv::new();
    let store = corrupted_layout(&env);
    let out = env
        .berth()
        .args(["--json", "fsck", &store])
        .output()
        .expect("fsck");
    assert!(!out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON value ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(v["clean"], false);
    assert_eq!(v["error"]["kind"], "fsck_problems", "{v}");
    assert_eq!(
        v["report"]["corrupt"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fsck found problems"), "{stderr}");

    let clean = format!("oci:{}", fixtures::fixture_layout().display());
    let out = env
        .berth()
        .args(["--json", "fsck", &clean])
        .output()
        .expect("fsck");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON value");
    assert_eq!(v["clean"], true);
    assert!(v.get("error").is_none(), "{v}");
}

/// The writes `berth ARGS` makes to standard output (traced with strace), and its output.
fn stdout_writes(env: &support::TestEnv, args: &[&str]) -> (usize, Output) {
    let trace = env.root().join("trace");
    let out = env
        .command("strace")
        .args(["-f", "-qq", "-e", "trace=write,writev", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_berth"))
        .args(args)
        .output()
        .expect("strace (installed with the test tools)");
    let log = std::fs::read_to_string(&trace).expect("strace log");
    let writes = log
        .lines()
        .filter(|l| l.contains("write(1,") || l.contains("writev(1,"))
        .count();
    (writes, out)
}

/// `images` and `fsck` print through the CLI's one buffer: every line, in one write.
#[test]
fn images_and_fsck_write_their_lines_at_once() {
    let env = support::TestEnv::new();
    let fixture = format!("oci:{}", fixtures::fixture_layout().display());
    let (writes, out) = stdout_writes(&env, &["images", &fixture]);
    let lines = stdout_lines(&out);
    assert!(lines.len() > 5, "{lines:?}");
    assert_eq!(writes, 1, "{} lines in {writes} writes", lines.len());

    let store = corrupted_layout(&env);
    let (writes, out) = stdout_writes(&env, &["fsck", &store]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().count() >= 2 && text.contains("corrupt blob"),
        "{text}"
    );
    assert_eq!(writes, 1, "{text:?} in {writes} writes");
}
