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
