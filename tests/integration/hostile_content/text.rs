//! Text the registry controls (issue 18, item 12): tags, repositories, annotations, labels,
//! history and error messages with terminal escapes, newlines and a bidi override never
//! reach the terminal raw; `--json` keeps them exact.

use super::run::{Run, assert_bounded, berth};
use crate::support::TestEnv;
use crate::support::hostile::{HostileServer, Reply};
use crate::support::oci::{MT_OCI_CONFIG, MT_OCI_MANIFEST, sha256_digest};
use serde_json::{Value, json};

const RED_TAG: &str = "\u{1b}[31mred\nfake";
const TITLE_REPO: &str = "x\u{1b}]0;owned\u{7}";

/// A registry whose tags, repositories, annotations, labels, history and error messages
/// carry terminal escapes, newlines and a bidi override.
fn escaping_registry() -> HostileServer {
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/bin\u{1b}[2J"],
            "Labels": { "evil\u{1b}[1m": "line\r\nFake: value\u{202e}txt" },
            "WorkingDir": "/\u{9b}31m",
        },
        "rootfs": { "type": "layers", "diff_ids": [] },
        "history": [{ "created_by": "RUN \u{1b}[8mhidden\nfake history line" }],
    }))
    .expect("config");
    let config_digest = sha256_digest(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MT_OCI_MANIFEST,
        "config": { "mediaType": MT_OCI_CONFIG, "digest": config_digest, "size": config.len() },
        "layers": [],
        "annotations": { "org.opencontainers.image.title": "\u{1b}[31mtitle\nsecond" },
    }))
    .expect("manifest");
    let manifest_digest = sha256_digest(&manifest);
    HostileServer::start(move |r| {
        let path = r.path.as_str();
        if path.ends_with("/tags/list") {
            let body = json!({ "name": "x", "tags": [RED_TAG, "ok"] }).to_string();
            return Reply::json(200, &body);
        }
        if path.starts_with("/v2/_catalog") {
            let body = json!({ "repositories": [TITLE_REPO, "y"] }).to_string();
            return Reply::json(200, &body);
        }
        if path.contains("/manifests/bad") {
            let message = format!("\u{1b}[2Jgone\nberth: fake second line{}", "z".repeat(5000));
            let body = json!({ "errors": [{ "code": "MANIFEST_UNKNOWN", "message": message }] });
            return Reply::json(404, &body.to_string());
        }
        if path.contains("/manifests/sha256-") || path.contains("/referrers/") {
            return Reply::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#);
        }
        if path.contains("/manifests/") {
            return Reply::Full {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), MT_OCI_MANIFEST.into()),
                    ("Docker-Content-Digest".into(), manifest_digest.clone()),
                ],
                body: manifest.clone(),
            };
        }
        if path.contains(&config_digest) {
            return Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/octet-stream".into())],
                body: config.clone(),
            };
        }
        Reply::json(200, "{}")
    })
}

fn assert_no_escapes(what: &str, run: &Run) {
    assert_bounded(what, run);
    let text = format!("{}{}", run.out(), run.stderr);
    for bad in ['\u{9b}', '\u{202e}', '\u{7}', '\r'] {
        assert!(!text.contains(bad), "{what} printed {bad:?}: {text}");
    }
}

#[test]
fn registry_text_never_reaches_the_terminal_raw_and_json_keeps_it_exact() {
    let server = escaping_registry();
    let env = TestEnv::new();
    let repo = format!("{}/x", server.url());

    let tags = berth(&env, &["tags", &repo]);
    assert!(tags.status.success(), "{}", tags.stderr);
    assert_no_escapes("tags", &tags);
    assert_eq!(tags.out(), "\\u{1b}[31mred\\nfake\nok\n");
    let json = berth(&env, &["--json", "tags", &repo]);
    let value: Value = serde_json::from_slice(&json.stdout).expect("tags JSON");
    assert_eq!(value["tags"][0], RED_TAG);

    let repos = berth(&env, &["repos", &server.url()]);
    assert!(repos.status.success(), "{}", repos.stderr);
    assert_no_escapes("repos", &repos);
    assert_eq!(repos.out().lines().count(), 2, "{}", repos.out());
    let json = berth(&env, &["--json", "repos", &server.url()]);
    let value: Value = serde_json::from_slice(&json.stdout).expect("repos JSON");
    assert_eq!(value["repositories"][0], TITLE_REPO);

    let inspect = berth(&env, &["inspect", &format!("{repo}:ok")]);
    assert!(inspect.status.success(), "{}", inspect.stderr);
    assert_no_escapes("inspect", &inspect);
    let text = inspect.out();
    for line in text.lines() {
        assert!(
            !line.starts_with("Fake:") && !line.starts_with("fake") && !line.starts_with("second"),
            "a value made its own line: {line:?} in\n{text}"
        );
    }
    assert!(
        text.contains("RUN \\u{1b}[8mhidden\\nfake history line"),
        "{text}"
    );
    let json = berth(&env, &["--json", "inspect", &format!("{repo}:ok")]);
    assert!(
        json.out().contains("\\u001b[31mtitle\\nsecond"),
        "{}",
        json.out()
    );

    let failed = berth(&env, &["inspect", &format!("{repo}:bad")]);
    assert!(!failed.status.success());
    assert_no_escapes("an error", &failed);
    assert_eq!(
        failed.stderr.trim_end().lines().count(),
        1,
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.len() < 1200, "{}", failed.stderr);
    assert!(
        !failed.stderr.contains("\nberth: fake"),
        "{}",
        failed.stderr
    );
}
