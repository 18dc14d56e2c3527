//! The one tag lookup per repository (issue 19 item 5, issue 18 item 6), against the hostile
//! server, which counts the `HEAD`s it answers: a delete plan made after the lookup (the
//! tags table's) knew every digest sends only rechecks of the planned tags; a cold plan fills
//! the lookup; a fill reports known of total and stops when cancelled; and `rm --dry-run` on a
//! repository of two million tags ends with the right plan, printing progress, in bounded
//! memory.

use crate::support::TestEnv;
use crate::support::hostile::{HostileServer, Reply};
use berth::oci::{Digest, Reference, Repository, Scheme};
use berth::registry::{ClientConfig, Credentials, Error, Progress, RegistryClient};
use std::fmt::Write as _;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A safety limit against hangs, not a timing target.
const SAFETY: Duration = Duration::from_mins(1);
const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn repo() -> Repository {
    Repository::parse("x").expect("repository")
}

fn client(server: &HostileServer) -> RegistryClient {
    RegistryClient::new(
        &server.host(),
        ClientConfig {
            scheme: Some(Scheme::Http),
            credentials: Credentials::Anonymous,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

/// The digest that tag `t{i}` points at: one of `kinds`.
fn digest_of(i: usize, kinds: usize) -> Digest {
    Digest::of(format!("manifest {}", i % kinds).as_bytes())
}

/// A gate the server's handler waits at (for a `HEAD` that must not be answered yet).
type Gate = Arc<(Mutex<bool>, Condvar)>;

fn open(gate: &Gate) {
    *gate.0.lock().expect("gate") = true;
    gate.1.notify_all();
}

/// A registry with the tags `t0` … `t{count-1}` of repository `x`, where `t{i}` points at
/// digest `i % kinds`; a `HEAD` of `t{held}` waits at `gate`. `quiet` records only counts.
fn tag_registry(
    count: usize,
    kinds: usize,
    quiet: bool,
    held: Option<(usize, Gate)>,
) -> HostileServer {
    let mut body = String::with_capacity(count * 12 + 32);
    body.push_str(r#"{"name":"x","tags":["#);
    for i in 0..count {
        if i > 0 {
            body.push(',');
        }
        let _ = write!(body, "\"t{i}\"");
    }
    body.push_str("]}");
    let body = Arc::new(body.into_bytes());
    let digests: Vec<String> = (0..kinds)
        .map(|k| digest_of(k, kinds).as_str().to_owned())
        .collect();
    let handler = move |r: &crate::support::hostile::Recorded| {
        if r.path.starts_with("/v2/x/tags/list") {
            return Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: body.as_ref().clone(),
            };
        }
        let tag = r.path.strip_prefix("/v2/x/manifests/t");
        if let Some(i) = tag.and_then(|t| t.parse::<usize>().ok())
            && i < count
        {
            if let Some((h, gate)) = &held
                && *h == i
            {
                let mut opened = gate.0.lock().expect("gate");
                while !*opened {
                    opened = gate.1.wait(opened).expect("gate");
                }
            }
            return Reply::Full {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), MANIFEST.into()),
                    ("Docker-Content-Digest".into(), digests[i % kinds].clone()),
                ],
                body: Vec::new(),
            };
        }
        if r.path == "/v2/" {
            return Reply::json(200, "{}");
        }
        Reply::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#)
    };
    if quiet {
        HostileServer::start_quiet(handler)
    } else {
        HostileServer::start(handler)
    }
}

fn tags(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("t{i}")).collect()
}

async fn guarded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(SAFETY, fut)
        .await
        .unwrap_or_else(|_| panic!("{what} did not end within the safety limit"))
}

/// The tags of `t{i}` for `i` below `count` with `i % kinds == k`, in natural order.
fn on_kind(count: usize, kinds: usize, k: usize) -> Vec<String> {
    (0..count)
        .filter(|i| i % kinds == k)
        .map(|i| format!("t{i}"))
        .collect()
}

#[tokio::test]
async fn a_plan_after_the_table_knew_every_digest_only_rechecks_the_planned_tags() {
    const COUNT: usize = 300;
    let server = tag_registry(COUNT, 3, false, None);
    let c = client(&server);
    // The tags table's lookup (the same `Arc` the window's table holds), filled as "Find
    // every tag with this digest" fills it.
    let table = c.tag_lookup(&repo());
    let never = CancellationToken::new();
    guarded("the fill", table.fill(&c, &tags(COUNT), 16, &never, |_| {}))
        .await
        .expect("fill");
    assert_eq!(server.heads(), COUNT, "one HEAD per tag");

    let before = server.heads();
    let plan = guarded(
        "the plan",
        c.plan_delete(&repo(), &Reference::Tag("t7".into()), |_, _| {}),
    )
    .await
    .expect("plan");
    let expected = on_kind(COUNT, 3, 7 % 3);
    assert_eq!(plan.digest, digest_of(7, 3));
    assert_eq!(plan.tag_names().collect::<Vec<_>>(), expected);
    assert!(plan.tags.iter().all(|t| t.given == (t.tag == "t7")));
    assert_eq!(
        server.heads() - before,
        expected.len(),
        "a plan over a lookup that knew every digest rechecks only the planned tags"
    );
}

#[tokio::test]
async fn a_cold_plan_fills_the_lookup_once_with_progress() {
    const COUNT: usize = 200;
    let server = tag_registry(COUNT, 4, false, None);
    let c = client(&server);
    let seen = Mutex::new(Vec::new());
    let plans = guarded(
        "the plan",
        c.plan_delete_many(
            &repo(),
            &[Reference::Tag("t5".into()), Reference::Tag("t6".into())],
            |done, total| seen.lock().expect("progress").push((done, total)),
        ),
    )
    .await
    .expect("plan");
    assert_eq!(plans.len(), 2);
    assert_eq!(
        plans[0].tag_names().collect::<Vec<_>>(),
        on_kind(COUNT, 4, 1)
    );
    assert_eq!(
        plans[1].tag_names().collect::<Vec<_>>(),
        on_kind(COUNT, 4, 2)
    );
    // The two named tags, then every other tag once; nothing asked twice.
    assert_eq!(server.heads(), COUNT);
    // Progress counts the tags the lookup had to ask for, one step per answer.
    let seen = seen.into_inner().expect("progress");
    let asked = COUNT - 2;
    assert_eq!(seen, (1..=asked).map(|d| (d, asked)).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_fill_reports_known_of_total_after_each_answer() {
    const COUNT: usize = 50;
    let server = tag_registry(COUNT, 5, false, None);
    let c = client(&server);
    let lookup = c.tag_lookup(&repo());
    for i in 0..10 {
        lookup
            .head(&c, &format!("t{i}"))
            .await
            .expect("a tag's HEAD");
    }
    let seen = Mutex::new(Vec::new());
    let never = CancellationToken::new();
    let end = guarded(
        "the fill",
        lookup.fill(&c, &tags(COUNT), 8, &never, |p| {
            seen.lock().expect("progress").push(p);
        }),
    )
    .await
    .expect("fill");
    let seen = seen.into_inner().expect("progress");
    let known: Vec<usize> = seen.iter().map(|p| p.known).collect();
    assert_eq!(
        known,
        (10..=COUNT).collect::<Vec<_>>(),
        "one step per answer"
    );
    assert!(seen.iter().all(|p| p.total == COUNT));
    assert_eq!(
        end,
        Progress {
            known: COUNT,
            total: COUNT
        }
    );
    assert_eq!(
        server.heads(),
        COUNT,
        "the ten known tags were not asked again"
    );
    assert_eq!(lookup.count_on(&digest_of(0, 5)), COUNT / 5);
}

#[tokio::test]
async fn a_fill_stops_when_cancelled() {
    const COUNT: usize = 40;
    let gate: Gate = Arc::new((Mutex::new(false), Condvar::new()));
    let server = tag_registry(COUNT, 2, false, Some((5, gate.clone())));
    let c = Arc::new(client(&server));
    let lookup = c.tag_lookup(&repo());
    let cancel = CancellationToken::new();
    let (tx, mut rx) = tokio::sync::watch::channel(0);
    let task = {
        let (c, lookup, cancel) = (c.clone(), lookup.clone(), cancel.clone());
        tokio::spawn(async move {
            lookup
                .fill(&c, &tags(COUNT), 4, &cancel, |p| {
                    let _ = tx.send(p.known);
                })
                .await
        })
    };
    // Every tag but the held one is answered; the fill waits for that one.
    guarded("every other tag", rx.wait_for(|k| *k == COUNT - 1))
        .await
        .expect("progress");
    assert!(!task.is_finished(), "the fill ended without the held tag");
    cancel.cancel();
    let end = guarded("the cancelled fill", task).await.expect("task");
    assert!(matches!(end, Err(Error::Cancelled)), "{end:?}");
    assert_eq!(lookup.answered(), COUNT - 1);
    open(&gate);
}

/// Issue 18 item 6: `rm --dry-run` on two million tags ends, through the lookup, with the
/// right plan; it prints progress on the way and its peak memory stays under 512 MB. (About
/// two minutes here: dependencies are built optimised in test builds, see `Cargo.toml`.)
#[test]
fn rm_dry_run_on_two_million_tags_ends_with_the_plan() {
    rm_dry_run_ends_with_the_plan(2_000_000, Duration::from_mins(15));
}

/// `rm --dry-run` on 50,000 tags: the same checks, in a few seconds (the quick check while
/// working on the lookup).
#[test]
fn rm_dry_run_on_fifty_thousand_tags_ends_with_the_plan() {
    rm_dry_run_ends_with_the_plan(50_000, Duration::from_mins(5));
}

/// Runs `rm --dry-run REPO:t7` under `/usr/bin/time` against `count` tags on 1,000 digests;
/// `safety` is a limit against hangs, not a timing target.
fn rm_dry_run_ends_with_the_plan(count: usize, safety: Duration) {
    const KINDS: usize = 1000;
    let server = tag_registry(count, KINDS, true, None);
    let mut cmd = TestEnv::new().command("/usr/bin/time");
    cmd.args([
        "-f",
        "%e s, %U s user, %S s sys\n%M",
        env!("CARGO_BIN_EXE_berth"),
        "rm",
        "--dry-run",
    ])
    .arg(format!("{}/x:t7", server.url()));
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run /usr/bin/time berth (Debian's time package)");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(out) = rx.recv_timeout(safety) else {
        // Past the safety limit: stop the child so the test run does not hang behind it.
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
        panic!("rm --dry-run on {count} tags did not end within {safety:?}");
    };
    let out = out.expect("berth");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "rm --dry-run failed: {stderr}");
    let expected = on_kind(count, KINDS, 7);
    let listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.len() > 1 && w.starts_with('t') && w[1..].chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(listed, expected, "the plan names every tag on t7's digest");
    assert!(
        stdout.contains(digest_of(7, KINDS).as_str()),
        "the plan names the digest"
    );
    let progress = stderr
        .lines()
        .filter(|l| l.starts_with("Tag digests known:"))
        .count();
    assert!(progress >= 5, "progress on the way: {stderr}");
    let mut last = stderr.lines().rev();
    let peak_kb: u64 = last
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak memory from /usr/bin/time: {stderr}"));
    assert!(peak_kb < 512 * 1024, "peak memory {peak_kb} KB");
    assert_eq!(server.heads(), count, "one HEAD per tag, none twice");
    eprintln!(
        "rm --dry-run on {count} tags: {}, peak {} MB",
        last.next().unwrap_or(""),
        peak_kb / 1024
    );
}
