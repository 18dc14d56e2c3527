//! Sorting tags by created date and size (issue 23, "Sort"), against a real registry behind
//! the fault proxy, which counts the requests: a seeded repository whose images have known
//! dates in their configs and known sizes (one tag an index of two platforms, one image
//! without a date) sorts right both ways through `berth tags --sort`; a second run sorts from
//! the disk cache and sends only `HEAD`s of manifests; a cache file that is corrupt, or of
//! another version with wrong facts in it, is ignored and the facts are read again.

use crate::support::{self, Auth, FaultProxy, FreshOptions, TestEnv};
use serde_json::{Value, json};

pub const REPO: &str = "sorted/app";
pub const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const INDEX: &str = "application/vnd.oci.image.index.v1+json";
const CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const LAYER: &str = "application/vnd.oci.image.layer.v1.tar";

/// Pushes an image whose config says `created` and whose one layer is `layer_len` bytes;
/// returns its manifest's descriptor (as JSON), its size as Berth counts it, and its bytes.
pub fn push_image(
    pusher: &support::http::Pusher,
    arch: &str,
    created: Option<&str>,
    layer_len: usize,
    seed: u8,
) -> (Value, u64, Vec<u8>) {
    let layer = vec![seed; layer_len];
    let layer_digest = pusher.put_blob(REPO, &layer);
    let mut config = json!({
        "architecture": arch,
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        "config": {},
    });
    if let Some(c) = created {
        config["created"] = json!(c);
    }
    let config = serde_json::to_vec(&config).expect("config");
    let config_digest = pusher.put_blob(REPO, &config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": CONFIG, "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": LAYER, "digest": layer_digest, "size": layer.len()}],
    }))
    .expect("manifest");
    let digest = support::oci::sha256_digest(&manifest);
    pusher.put_manifest(REPO, &digest, MANIFEST, &manifest);
    let size = (manifest.len() + config.len() + layer.len()) as u64;
    let descriptor = json!({
        "mediaType": MANIFEST,
        "digest": digest,
        "size": manifest.len(),
        "platform": {"os": "linux", "architecture": arch},
    });
    (descriptor, size, manifest)
}

/// The seeded tags and each one's expected (created, size).
pub fn seed(reg: &support::TestRegistry) -> Vec<(&'static str, Option<&'static str>, u64)> {
    let p = reg.pusher();
    let mut expected = Vec::new();
    for (tag, created, len, seed) in [
        ("a1", Some("2021-03-01T00:00:00Z"), 3000, 1),
        ("b2", Some("2023-06-01T12:00:00+02:00"), 100, 2),
        ("c3", Some("2022-01-15T08:30:00.5Z"), 5000, 3),
        ("nodate", None, 700, 4),
    ] {
        let (_, size, bytes) = push_image(&p, "amd64", created, len, seed);
        p.put_manifest(REPO, tag, MANIFEST, &bytes);
        if tag == "a1" {
            // Two tags on one digest share its facts.
            p.put_manifest(REPO, "a1-again", MANIFEST, &bytes);
            expected.push(("a1-again", created, size));
        }
        expected.push((tag, created, size));
    }
    // An index: the newest date of its platforms (2024), the sum of their sizes.
    let (amd, amd_size, _) = push_image(&p, "amd64", Some("2020-01-01T00:00:00Z"), 600, 5);
    let (arm, arm_size, _) = push_image(&p, "arm64", Some("2024-02-02T00:00:00Z"), 800, 6);
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": INDEX,
        "manifests": [amd, arm],
    }))
    .expect("index");
    p.put_manifest(REPO, "idx", INDEX, &index);
    expected.push(("idx", Some("2024-02-02T00:00:00Z"), amd_size + arm_size));
    expected
}

fn tags_json(env: &TestEnv, repo: &str, sort: &str, reverse: bool) -> Value {
    let mut cmd = env.berth();
    cmd.args(["--json", "tags", repo, "--sort", sort]);
    if reverse {
        cmd.arg("--reverse");
    }
    let out = cmd.output().expect("run berth");
    assert!(
        out.status.success(),
        "berth tags --sort {sort}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn names(v: &Value) -> Vec<String> {
    v["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t.as_str().expect("tag").to_owned())
        .collect()
}

fn checks(env: &TestEnv, repo: &str) {
    let by_date = tags_json(env, repo, "date", false);
    assert_eq!(
        names(&by_date),
        ["a1", "a1-again", "c3", "b2", "idx", "nodate"],
        "oldest first, ties in natural order, no date last"
    );
    let by_date_rev = tags_json(env, repo, "date", true);
    assert_eq!(
        names(&by_date_rev),
        ["idx", "b2", "c3", "a1", "a1-again", "nodate"]
    );
    let by_size = tags_json(env, repo, "size", false);
    assert_eq!(
        names(&by_size),
        ["b2", "nodate", "idx", "a1", "a1-again", "c3"]
    );
    let by_size_rev = tags_json(env, repo, "size", true);
    assert_eq!(
        names(&by_size_rev),
        ["c3", "a1", "a1-again", "idx", "nodate", "b2"]
    );
}

#[test]
fn tags_sort_by_date_and_size_then_from_the_disk_cache_with_heads_only() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).empty());
    let expected = seed(&reg);
    let proxy = FaultProxy::start(&reg.host());
    let repo = format!("{}/{REPO}", proxy.url());
    let env = TestEnv::new();

    let first = tags_json(&env, &repo, "date", false);
    // The facts as the JSON says them: RFC 3339 dates in UTC, sizes as Berth counts them.
    for (tag, created, size) in &expected {
        let fact = first["facts"]
            .as_array()
            .expect("facts")
            .iter()
            .find(|f| f["tag"] == *tag)
            .unwrap_or_else(|| panic!("facts of {tag}"));
        assert_eq!(fact["size"], json!(size), "size of {tag}");
        let want = created
            .map(|c| berth::format::rfc3339(berth::format::parse_rfc3339(c).expect("a date")));
        assert_eq!(fact["created"], json!(want), "created of {tag}");
    }
    assert_eq!(first["registry"], json!(proxy.host()));
    assert!(
        proxy.count("GET", "/manifests/") > 0,
        "the first run reads manifests"
    );

    // Every further run reads the facts from the disk cache: HEADs of the tags only.
    let gets_before = proxy.count("GET", "/manifests/") + proxy.count("GET", "/blobs/");
    let heads_before = proxy.count("HEAD", "/manifests/");
    checks(&env, &repo);
    assert_eq!(
        proxy.count("GET", "/manifests/") + proxy.count("GET", "/blobs/"),
        gets_before,
        "no GET for a digest already known"
    );
    assert_eq!(
        proxy.count("HEAD", "/manifests/") - heads_before,
        4 * expected.len(),
        "one HEAD per tag per run"
    );

    // A cache file of another version, whose facts are all wrong, is ignored.
    let dir = env.cache_home().join("berth").join("tag-facts");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the cache directory")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one file per repository: {files:?}");
    let mut old: Value =
        serde_json::from_slice(&std::fs::read(&files[0]).expect("read")).expect("cache json");
    old["version"] = json!(0);
    for fact in old["facts"].as_array_mut().expect("facts") {
        fact[1] = json!(0);
        fact[2] = json!(1);
    }
    std::fs::write(&files[0], serde_json::to_vec(&old).expect("json")).expect("write");
    let gets_before = proxy.count("GET", "/manifests/");
    checks(&env, &repo);
    assert!(
        proxy.count("GET", "/manifests/") > gets_before,
        "an old file's facts are read again"
    );

    // A corrupt file is a miss, not an error.
    std::fs::write(&files[0], b"{\"format\": \"berth-tag-facts\", \"vers").expect("write");
    checks(&env, &repo);
}
