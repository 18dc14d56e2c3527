//! `berth retain` against a real registry: 30 semver tags, 5 `sha-*` tags and tags sharing
//! digests across the kept/deleted boundary. The preview lists exactly the expected tags, the
//! protected digests and the byte estimate; the delete job deletes exactly those; skopeo
//! still resolves the kept tags. Also: the registry cannot list untagged manifests, an invalid
//! glob names its field, and `--keep 0` refuses without a terminal. The window's Clean up…
//! tests (`ui_cleanup`) use the same repository.

use crate::support::{self, Auth, Content, FreshOptions, TestRegistry, wait};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub(crate) const REPO: &str = "team/app";
const LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
const CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// One pushed image: its manifest digest and the sizes of its own (unshared) blobs.
pub(crate) struct Pushed {
    pub digest: String,
    pub own_bytes: u64,
}

/// Pushes an image whose config says `created` and whose layers are a shared base and one
/// layer of its own, under `tag`.
fn push(reg: &TestRegistry, tag: &str, created: &str, base: &[u8]) -> Pushed {
    let p = reg.pusher();
    let own = format!("layer of {tag} ").repeat(7).into_bytes();
    let base_digest = p.put_blob(REPO, base);
    let own_digest = p.put_blob(REPO, &own);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux", "created": created,
        "rootfs": {"type": "layers", "diff_ids": [base_digest, own_digest]},
    }))
    .expect("config");
    let config_digest = p.put_blob(REPO, &config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": MANIFEST,
        "config": {"mediaType": CONFIG, "digest": config_digest, "size": config.len()},
        "layers": [
            {"mediaType": LAYER, "digest": base_digest, "size": base.len()},
            {"mediaType": LAYER, "digest": own_digest, "size": own.len()},
        ],
    }))
    .expect("manifest");
    p.put_manifest(REPO, tag, MANIFEST, &manifest);
    Pushed {
        digest: format!("sha256:{}", sha256_hex(&manifest)),
        own_bytes: (config.len() + own.len()) as u64,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    berth::oci::Digest::of(bytes)
        .as_str()
        .trim_start_matches("sha256:")
        .to_owned()
}

/// The repository of the test. Returns the registry and, per tag, what was pushed.
pub(crate) fn seeded() -> (TestRegistry, std::collections::HashMap<String, Pushed>) {
    let mut opts = FreshOptions::new(Auth::Anonymous);
    opts.content = Content::Empty;
    let reg = support::fresh_registry(opts);
    let base = vec![7u8; 1000];
    let mut pushed = std::collections::HashMap::new();
    for i in 0..30 {
        let tag = format!("1.0.{i}");
        // 1.0.2 is 1.0.1 pushed again under another name: both go, 1.0.2 along with 1.0.1.
        if i == 2 {
            reg.pusher()
                .put_manifest(REPO, &tag, MANIFEST, &manifest_of(&reg, "1.0.1"));
            continue;
        }
        let created = format!("2024-01-{:02}T00:00:00Z", i + 1);
        let p = push(&reg, &tag, &created, &base);
        pushed.insert(tag, p);
    }
    // sha-a shares the newest release (kept either way); sha-b shares 1.0.3, which the
    // rules would delete: sha-b is not considered, so it protects 1.0.3.
    for (tag, from) in [("sha-a", "1.0.29"), ("sha-b", "1.0.3")] {
        reg.pusher()
            .put_manifest(REPO, tag, MANIFEST, &manifest_of(&reg, from));
    }
    for (i, tag) in ["sha-c", "sha-d", "sha-e"].iter().enumerate() {
        let p = push(&reg, tag, &format!("2023-06-0{}T00:00:00Z", i + 1), &base);
        pushed.insert((*tag).to_owned(), p);
    }
    (reg, pushed)
}

fn manifest_of(reg: &TestRegistry, tag: &str) -> Vec<u8> {
    let m = reg.get(
        &format!("/v2/{REPO}/manifests/{tag}"),
        &[("Accept", MANIFEST)],
    );
    assert_eq!(m.status, 200, "{}", m.text());
    m.body
}

fn berth_json(args: &[&str]) -> Value {
    let out = support::berth_cmd().args(args).output().expect("berth");
    assert!(
        out.status.success(),
        "berth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn tags_of(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|e| e["tag"].as_str().expect("tag").to_owned())
        .collect()
}

#[test]
fn retain_previews_then_deletes_exactly_the_plan() {
    let (reg, pushed) = seeded();
    let repo = format!("http://{}", reg.image(REPO));
    let rules = ["--keep", "5", "--by", "semver", "--match", "*.*.*"];
    let mut args = vec!["--json", "retain", &repo, "--dry-run"];
    args.extend(rules);
    let plan = berth_json(&args);
    let keys: Vec<&String> = plan.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["bytes_freed_estimate", "delete", "keep", "protected"]
    );
    let expected: Vec<String> = (0..25)
        .filter(|i| *i != 3)
        .map(|i| format!("1.0.{i}"))
        .collect();
    assert_eq!(tags_of(&plan["delete"]), expected);
    assert_eq!(
        plan["protected"],
        json!([{"tag": "1.0.3", "digest": pushed["1.0.3"].digest, "because": "sha-b"}])
    );
    assert_eq!(
        plan["delete"][0],
        json!({"tag": "1.0.0", "digest": pushed["1.0.0"].digest, "created": "2024-01-01T00:00:00Z"})
    );
    // 1.0.2 is 1.0.1's image: it goes, and its bytes count once.
    assert_eq!(plan["delete"][2]["digest"], json!(pushed["1.0.1"].digest));
    let keep: BTreeSet<(String, String)> = plan["keep"]
        .as_array()
        .expect("keep")
        .iter()
        .map(|k| {
            (
                k["tag"].as_str().expect("tag").to_owned(),
                k["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect();
    let mut want: BTreeSet<(String, String)> = (25..30)
        .map(|i| (format!("1.0.{i}"), "newest".to_owned()))
        .collect();
    for t in ["sha-a", "sha-b", "sha-c", "sha-d", "sha-e"] {
        want.insert((t.to_owned(), "not_matched".to_owned()));
    }
    assert_eq!(keep, want);
    // Own config and layer of each deleted image (the base layer stays with the kept ones).
    let bytes: u64 = (0..25)
        .filter(|i| *i != 3 && *i != 2)
        .map(|i| pushed[&format!("1.0.{i}")].own_bytes)
        .sum();
    assert_eq!(plan["bytes_freed_estimate"], json!(bytes));

    // The human preview says the same, with the protecting tag and the GC sentence.
    let mut args = vec!["retain", &repo, "--dry-run"];
    args.extend(rules);
    let out = support::berth_cmd().args(&args).output().expect("berth");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1.0.2 goes along"), "{text}");
    assert!(text.contains("protected by sha-b"), "{text}");
    assert!(text.contains("garbage collection"), "{text}");

    // The job deletes exactly the plan.
    let mut args = vec!["--json", "retain", &repo, "--yes"];
    args.extend(rules);
    let done = berth_json(&args);
    assert_eq!(tags_of(&done["delete"]), expected);
    let left: BTreeSet<String> =
        support::skopeo(&["list-tags", &format!("docker://{}", reg.image(REPO))])
            .parse::<Value>()
            .expect("skopeo json")["Tags"]
            .as_array()
            .expect("Tags")
            .iter()
            .map(|t| t.as_str().expect("tag").to_owned())
            .collect();
    let mut kept: BTreeSet<String> = want.into_iter().map(|(t, _)| t).collect();
    kept.insert("1.0.3".to_owned());
    assert_eq!(left, kept);
    for tag in &kept {
        let raw = support::skopeo(&[
            "inspect",
            "--raw",
            &format!("docker://{}:{tag}", reg.image(REPO)),
        ]);
        assert!(raw.contains("schemaVersion"), "{tag}: {raw}");
    }
}

#[test]
fn untagged_manifests_cannot_be_listed_on_distribution() {
    let (reg, _) = seeded();
    let repo = format!("http://{}", reg.image(REPO));
    let out = support::berth_cmd()
        .args(["retain", &repo, "--untagged", "--dry-run", "--keep", "40"])
        .output()
        .expect("berth");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{} cannot list untagged manifests", reg.host())),
        "{stderr}"
    );
    let out = support::berth_cmd()
        .args([
            "--lang",
            "ko",
            "retain",
            &repo,
            "--untagged",
            "--dry-run",
            "--keep",
            "40",
        ])
        .output()
        .expect("berth");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("태그 없는 매니페스트를 나열할 수 없습니다"),
        "{stderr}"
    );
}

#[test]
fn bad_input_is_refused_before_anything_goes() {
    let (stderr, _) = support::berth_failing(&["retain", "http://127.0.0.1:1/x", "--match", "a["]);
    assert!(stderr.contains("Only tags matching: “a[”"), "{stderr}");
    let (stderr, _) =
        support::berth_failing(&["retain", "http://127.0.0.1:1/x", "--exclude", "{a"]);
    assert!(stderr.contains("Never touch tags matching"), "{stderr}");
    // --keep 0 without a terminal and without --yes deletes nothing.
    let (reg, _) = seeded();
    let repo = format!("http://{}", reg.image(REPO));
    let (stderr, _) = support::berth_failing(&["retain", &repo, "--keep", "0", "--match", "sha-*"]);
    assert!(stderr.contains("--yes"), "{stderr}");
    let left = support::skopeo(&["list-tags", &format!("docker://{}", reg.image(REPO))]);
    assert!(left.contains("sha-e"), "{left}");
}

/// On a terminal, `--keep 0` asks whether every considered tag goes; "n" keeps them all and
/// "y" deletes the plan it showed. `script` gives the child a pseudo-terminal.
#[test]
fn keep_zero_asks_on_a_terminal() {
    let (reg, _) = seeded();
    let repo = format!("http://{}", reg.image(REPO));
    let berth_bin = env!("CARGO_BIN_EXE_berth");
    let ask = |answer: &str| {
        let mut cmd = support::shared_env().command("script");
        cmd.args([
            "-qec",
            &format!("{berth_bin} retain {repo} --keep 0 --match 'sha-*'"),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("script (bsdutils)");
        let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut stdout = child.stdout.take().expect("stdout");
        let reader = {
            let shown = std::sync::Arc::clone(&shown);
            std::thread::spawn(move || {
                use std::io::Read as _;
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stdout.read(&mut buf) {
                    shown.lock().expect("shown").extend_from_slice(&buf[..n]);
                }
            })
        };
        let text = || String::from_utf8_lossy(&shown.lock().expect("shown")).into_owned();
        wait::until("retain to ask whether every tag goes", || {
            text().contains("Delete them all? [y/N]") || child.try_wait().is_ok_and(|s| s.is_some())
        });
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            let _ = stdin.write_all(answer.as_bytes());
        }
        let status = child.wait().expect("script");
        reader.join().expect("terminal reader");
        (status, text())
    };
    let tags = || support::skopeo(&["list-tags", &format!("docker://{}", reg.image(REPO))]);
    let (no, shown) = ask("n\n");
    assert!(
        shown.contains("every tag the rules consider goes (3)"),
        "{shown}"
    );
    assert!(shown.contains("sha-a  "), "{shown}");
    assert!(!no.success());
    assert!(tags().contains("sha-e"));
    let (yes, shown) = ask("y\n");
    assert!(yes.success(), "{shown}");
    let left = tags();
    for gone in ["sha-c", "sha-d", "sha-e"] {
        assert!(!left.contains(gone), "{left}");
    }
    // Protected by the releases they share a digest with.
    assert!(left.contains("sha-a") && left.contains("sha-b"), "{left}");
}

/// `retain` reads the tag facts that `tags --sort date` cached (the window's sort and
/// Clean up… share the same store): the plan and its estimate come out the same, and no
/// manifest or blob is read again; only the tags' digests are asked (HEAD).
#[test]
fn retain_reuses_the_cached_tag_facts() {
    let (reg, pushed) = seeded();
    let proxy = support::FaultProxy::start(&reg.host());
    let repo = format!("{}/{REPO}", proxy.url());
    let env = support::TestEnv::new();
    let out = env
        .berth()
        .args(["--json", "tags", &repo, "--sort", "date"])
        .output()
        .expect("berth tags");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gets = || proxy.count("GET", "/manifests/sha256:") + proxy.count("GET", "/blobs/");
    let before = gets();
    assert!(before > 0, "the sort read the manifests");
    let out = env
        .berth()
        .args([
            "--json",
            "retain",
            &repo,
            "--dry-run",
            "--keep",
            "5",
            "--by",
            "semver",
        ])
        .args(["--match", "*.*.*"])
        .output()
        .expect("berth retain");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).expect("json");
    let expected: Vec<String> = (0..25)
        .filter(|i| *i != 3)
        .map(|i| format!("1.0.{i}"))
        .collect();
    assert_eq!(tags_of(&plan["delete"]), expected);
    let bytes: u64 = (0..25)
        .filter(|i| *i != 3 && *i != 2)
        .map(|i| pushed[&format!("1.0.{i}")].own_bytes)
        .sum();
    assert_eq!(plan["bytes_freed_estimate"], json!(bytes));
    assert_eq!(gets(), before, "no GET for a digest already known");
}
