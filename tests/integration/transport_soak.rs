//! The soak test of issue 18: 30 pulls of a multi-layer image through the fault proxy, with
//! about one request in five given a fault of every kind the proxy has (seeded; the seed is
//! printed, and `BERTH_SOAK_SEED` replays one). Each pull either completes with every digest
//! verified or fails with a clear error, and leaves its store clean (fsck, no stray or
//! temporary file). The counts are printed at the end.

use crate::jobs_support::{digest_of, oci_ref, reg};
use crate::support::oci::{ACCEPT_ALL, sha256_digest};
use crate::support::{self, Auth, Fault, FaultProxy, Gate, process, wait};
use berth::jobs::{Connections, JobConfig, JobEventKind, JobRunner, JobSpec, Platforms};
use berth::registry::credentials::CredentialPaths;
use berth::settings::{ConnectionOverrides, Settings, TransportSettings};
use berth::store::LayoutStore;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const PULLS: usize = 30;
/// One request in five, out of 1000.
const FAULTS_PER_MILLE: u64 = 200;
const IMAGE: &str = "team/app/api:v1";

/// Every kind of fault the proxy has. The held and cut ones never open: the client's
/// low-speed limit is what ends them.
fn every_fault() -> Vec<Fault> {
    vec![
        Fault::ResetMidBody { after: 100 },
        Fault::StallMidBody {
            after: 100,
            stall: Duration::from_secs(3),
        },
        Fault::CutMidBody {
            after: 100,
            gate: Gate::new(),
        },
        Fault::Status(500),
        Fault::Unavailable {
            retry_after: "0".into(),
        },
        Fault::TooManyRequests {
            retry_after: "1".into(),
        },
        Fault::FlipByte { offset: 10 },
        Fault::Delay(Duration::from_millis(100)),
        Fault::Hold(Gate::new()),
        Fault::Redirect,
        Fault::AddHeaders(vec![("Warning".into(), r#"299 - "soak""#.into())]),
        Fault::PadBody(64),
    ]
}

/// Kinds of failure a pull may end with: each names what happened.
const CLEAR_KINDS: [&str; 8] = [
    "stalled",
    "unreachable",
    "http_status",
    "rate_limited",
    "digest_mismatch",
    "size_mismatch",
    "verify_failed",
    "protocol",
];

fn seed() -> u64 {
    std::env::var("BERTH_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

/// Every file under `dir` is a blob named by its digest (and verified against it), the
/// layout's own files, or nothing at all; fsck agrees when there is an index.
fn assert_clean(dir: &Path) {
    if !dir.exists() {
        return;
    }
    let blobs = dir.join("blobs/sha256");
    for entry in walk(dir) {
        let rel = entry.strip_prefix(dir).expect("inside");
        if matches!(
            rel.to_str(),
            Some("oci-layout" | "index.json" | ".berth-lock" | ".berth-index-lock")
        ) {
            continue;
        }
        assert_eq!(
            entry.parent(),
            Some(&*blobs),
            "stray file {}",
            entry.display()
        );
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let bytes = std::fs::read(&entry).expect("blob");
        assert_eq!(
            sha256_digest(&bytes),
            format!("sha256:{name}"),
            "{} holds what its name says",
            entry.display()
        );
    }
    if dir.join("index.json").exists() {
        let report = LayoutStore::open(dir)
            .expect("layout")
            .fsck()
            .expect("fsck");
        assert!(report.is_clean(), "fsck of {}: {report:?}", dir.display());
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_pulls_through_a_fifth_of_faults_verify_or_fail_clearly() {
    let registry = support::registry(Auth::Anonymous);
    let expected = registry
        .get(
            &format!("/v2/{}", IMAGE.replace(':', "/manifests/")),
            &[("Accept", ACCEPT_ALL)],
        )
        .header("docker-content-digest")
        .expect("the image's digest")
        .to_owned();
    let seed = seed();
    println!("soak seed {seed} (BERTH_SOAK_SEED={seed} replays it)");
    let proxy = FaultProxy::start(&registry.host());
    proxy.chaos(seed, FAULTS_PER_MILLE, every_fault());

    let root = process::scratch_dir("soak-");
    let settings = Settings {
        store_dir: Some(root.join("store")),
        // Short, so the stalls the proxy makes cost little; the defaults are 30 s and 60 s.
        transport: TransportSettings {
            low_speed_limit: 1024,
            low_speed_time_secs: 1,
            deadline_secs: 2,
        },
        ..Settings::default()
    };
    let connections = Connections::new(
        settings,
        ConnectionOverrides::default(),
        CredentialPaths::default(),
    );
    let (runner, mut rx) = JobRunner::new(
        tokio::runtime::Handle::current(),
        Arc::new(connections),
        JobConfig::default(),
        || {},
    );

    let mut ok = 0;
    let mut failed: BTreeMap<&'static str, usize> = BTreeMap::new();
    for n in 0..PULLS {
        let dir = root.join(format!("pull-{n}"));
        let id = runner.spawn(JobSpec::Copy {
            source: reg(&proxy.host(), IMAGE),
            dest: oci_ref(&dir, "a"),
            platforms: Platforms::Host,
        });
        let finished = loop {
            let event = tokio::time::timeout(wait::DEADLINE, rx.recv())
                .await
                .unwrap_or_else(|_| panic!("pull {n} (seed {seed}) hung"))
                .expect("the runner is alive");
            if event.id == id
                && let JobEventKind::Finished(result) = event.kind
            {
                break result;
            }
        };
        match finished {
            Ok(out) => {
                assert_eq!(digest_of(&out), expected, "pull {n} (seed {seed})");
                ok += 1;
            }
            Err(e) => {
                let text = berth::i18n::describe(&*e);
                assert!(
                    CLEAR_KINDS.contains(&e.kind()),
                    "pull {n} (seed {seed}): {} {text}",
                    e.kind()
                );
                assert!(
                    !text.is_empty() && !text.contains('\n') && !text.contains("builder error"),
                    "pull {n} (seed {seed}): {text}"
                );
                *failed.entry(e.kind()).or_default() += 1;
            }
        }
        assert_clean(&dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let faults = proxy.faults_injected();
    let requests = proxy.requests().len();
    println!(
        "soak seed {seed}: {PULLS} pulls, {ok} verified, {} failed {failed:?}; {faults} faults in {requests} requests",
        PULLS - ok
    );
    assert!(faults > 0, "no fault was injected");
    let _ = std::fs::remove_dir_all(root);
}
