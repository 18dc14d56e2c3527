//! The job commands as a user runs them: `berth pull` killed with SIGKILL in the middle and
//! run again (it reuses the blobs that were whole, fetches the rest, and leaves fsck clean),
//! and `--json` printing one event object per line.

use crate::jobs_support::{assert_fsck_clean, registry_with_random_image};
use crate::support::{self, Auth, Fault, FaultProxy, Gate, Rule, TestEnv, process};
use berth::store::layout::blob_path;
use serde_json::Value;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "berth failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `berth pull http://PROXY/IMAGE --to oci:DIR` started in the background (to be killed);
/// returns the layout directory, the source and destination as given, and the child.
fn start_pull(
    env: &TestEnv,
    proxy: &FaultProxy,
    scratch: &str,
    image: &str,
) -> (std::path::PathBuf, String, String, std::process::Child) {
    let dir = process::scratch_dir(scratch).join("lay");
    let source = format!("http://{}/{image}", proxy.host());
    let to = format!("oci:{}", dir.display());
    let child = env
        .berth()
        .args(["pull", &source, "--to", &to])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start berth");
    (dir, source, to, child)
}

/// `berth --json pull SOURCE --to TO`, which must finish with `manifest`; its events.
fn pull_to_the_end(env: &TestEnv, source: &str, to: &str, manifest: &str) -> Vec<Value> {
    let out = env
        .berth()
        .args(["--json", "pull", source, "--to", to])
        .output()
        .expect("run berth");
    let events = lines(&ok(&out));
    let last = events.last().expect("events");
    assert_eq!(last["event"], "finished", "{events:?}");
    assert_eq!(last["result"]["digest"], manifest);
    events
}

fn stored(dir: &Path, digest: &str) -> bool {
    blob_path(dir, &digest.parse().expect("digest")).is_file()
}

#[test]
fn killed_pull_is_resumed_reusing_the_blobs_it_finished() {
    let (fresh, manifest, layers) =
        registry_with_random_image("big/image:v1", &[2 << 20, 3 << 20, 4 << 20]);
    let env = TestEnv::new();
    let proxy = FaultProxy::start(&fresh.host());
    // The last layer hangs until the proxy goes; the others arrive at once.
    proxy.add(
        Rule::path(&layers[2]).method("GET"),
        Fault::Hold(Gate::new()),
    );
    let (dir, source, to, mut child) = start_pull(&env, &proxy, "kill-", "big/image:v1");
    let finished_two = process::wait_until(Duration::from_mins(1), || {
        stored(&dir, &layers[0]) && stored(&dir, &layers[1])
    });
    assert!(finished_two, "the first two layers were stored");
    assert!(matches!(child.try_wait(), Ok(None)), "still pulling");
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    let leftovers = std::fs::read_dir(dir.join("blobs/sha256"))
        .expect("blobs")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
        .count();
    assert_eq!(leftovers, 1, "the killed writer's temporary file");
    assert!(!stored(&dir, &layers[2]));
    // The next pull takes that file over (it holds nothing yet: the layer never started).

    proxy.clear_rules();
    let events = pull_to_the_end(&env, &source, &to, &manifest);
    let last = events.last().expect("events");
    // The config and the first two layers.
    assert_eq!(last["result"]["blobs"]["present"], 3);
    assert!(
        !events
            .iter()
            .any(|e| e["message"] == "stale_temp_files_removed"),
        "{events:?}"
    );
    for (layer, gets) in [(&layers[0], 1), (&layers[1], 1), (&layers[2], 2)] {
        assert_eq!(proxy.count("GET", layer), gets, "GETs of {layer}");
    }
    assert_fsck_clean(&dir);
    let fsck = ok(&env
        .berth()
        .args(["--json", "fsck", &to])
        .output()
        .expect("fsck"));
    let fsck: Value = serde_json::from_str(&fsck).expect("fsck JSON");
    assert_eq!(fsck["clean"], true, "{fsck}");
    let seen: Value =
        serde_json::from_str(&env.skopeo(&["inspect", &format!("{to}:v1")])).expect("skopeo");
    assert_eq!(seen["Digest"], manifest.as_str());
}

/// A layer cut off part-way by `kill -9` is not fetched again from its first byte: the next
/// pull keeps what reached the disk (hashed again), asks for the rest with `Range`, and the
/// result is whole and verified.
#[test]
fn killed_pull_goes_on_inside_a_half_fetched_layer() {
    const MIB: usize = 1 << 20;
    let (fresh, manifest, layers) = registry_with_random_image("half/image:v1", &[MIB, 12 * MIB]);
    let env = TestEnv::new();
    let proxy = FaultProxy::start(&fresh.host());
    let big = layers[1].clone();
    proxy.add(
        Rule::path(&big).method("GET").times(1),
        Fault::StallMidBody {
            after: 7 * MIB + 123,
            stall: Duration::from_mins(1),
        },
    );
    let (dir, source, to, mut child) = start_pull(&env, &proxy, "resume-", "half/image:v1");
    let hex = big.trim_start_matches("sha256:").to_owned();
    let temp_len = || {
        std::fs::read_dir(dir.join("blobs/sha256"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!(".tmp-{hex}-"))
            })
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .max()
    };
    // Whole megabytes reach the disk; the stalled 123 bytes and the partial one do not.
    let written = process::wait_until(Duration::from_mins(1), || {
        temp_len() == Some(7 * MIB as u64)
    });
    assert!(written, "7 MiB of the layer on disk, got {:?}", temp_len());
    child.kill().expect("kill -9");
    child.wait().expect("reap");

    proxy.clear_rules();
    let events = pull_to_the_end(&env, &source, &to, &manifest);
    assert!(
        events.iter().any(|e| e["message"] == "resumed"
            && e["digest"] == big.as_str()
            && e["bytes"] == 7 * MIB),
        "told that the layer goes on after 7 MiB: {events:?}"
    );
    let gets: Vec<u16> = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.target.contains(&big))
        .map(|r| r.status)
        .collect();
    // The first GET is still stalled in the proxy (its status is logged when it ends).
    assert_eq!(gets.len(), 2, "{gets:?}");
    assert_eq!(gets[1], 206, "the second GET asked for the rest only");
    assert_fsck_clean(&dir);
    let seen: Value =
        serde_json::from_str(&env.skopeo(&["inspect", &format!("{to}:v1")])).expect("skopeo");
    assert_eq!(seen["Digest"], manifest.as_str());
}

#[test]
fn json_pull_prints_one_event_per_line() {
    let reg = support::registry(Auth::Anonymous);
    let env = TestEnv::new();
    let dir = process::scratch_dir("json-").join("lay");
    let out = env
        .berth()
        .args([
            "--json",
            "pull",
            &format!("http://{}", reg.image("library/nginx:1.25")),
            "--to",
            &format!("oci:{}", dir.display()),
            "--platform",
            "linux/arm64",
        ])
        .output()
        .expect("run berth");
    let events = lines(&ok(&out));
    assert_eq!(events[0]["event"], "started");
    assert_eq!(events[0]["kind"], "pull");
    assert!(events.iter().any(|e| e["event"] == "progress"));
    assert!(
        events
            .iter()
            .any(|e| e["message"] == "platform_chosen" && e["platform"]["architecture"] == "arm64"),
        "{events:?}"
    );
    let last = events.last().expect("events");
    assert_eq!(last["ok"], true);
    assert_eq!(
        last["result"]["dest"],
        format!("oci:{}:1.25", dir.display())
    );

    // Human output: one summary line; a failure: one line on stderr, non-zero.
    let human = env
        .berth()
        .args([
            "pull",
            &format!("http://{}", reg.image("library/alpine:3.19")),
            "--to",
            &format!("oci:{}", dir.display()),
        ])
        .output()
        .expect("run berth");
    assert!(ok(&human).contains(&support::fixtures::seeded_digest("library/alpine:3.19")));
    let missing = env
        .berth()
        .args([
            "pull",
            &format!("http://{}", reg.image("library/alpine:nope")),
            "--to",
            &format!("oci:{}", dir.display()),
        ])
        .output()
        .expect("run berth");
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_fsck_clean(&dir);
}
