//! Delete (predicted first, by digest, on registries with delete on and off) and referrers
//! (through distribution 2.8's missing API to the `sha256-HEX` tag fallback).

use super::registry_read::{at, client, repo_name};
use crate::support::{self, Auth, FreshOptions, fixtures, wait};
use berth::oci::Platform;
use berth::registry::Error;

#[tokio::test]
async fn delete_names_every_tag_that_shares_the_digest_then_removes_exactly_those() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let target = format!("http://{}", reg.image("scratch/delete-me:a"));

    let dry = support::berth_cmd()
        .args(["rm", "--dry-run", &target])
        .output()
        .expect("berth");
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let listed = String::from_utf8_lossy(&dry.stdout);
    assert!(
        listed.contains("  a\n") && listed.contains("  b   (not given") && !listed.contains("  c"),
        "{listed}"
    );

    let refused = support::berth_cmd()
        .args(["rm", &target])
        .output()
        .expect("berth");
    assert!(
        !refused.status.success(),
        "no TTY and no --yes must not delete"
    );
    let c = client(&reg);
    assert_eq!(
        c.tags(&repo_name("scratch/delete-me")).await.expect("tags"),
        ["a", "b", "c"]
    );

    let out = support::berth_cmd()
        .args(["--json", "rm", "--yes", &target])
        .output()
        .expect("berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["plans"][0]["tags"],
        serde_json::json!([{"tag": "a", "given": true}, {"tag": "b", "given": false}])
    );
    assert_eq!(v["deleted"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["dry_run"], false);
    assert_eq!(
        c.tags(&repo_name("scratch/delete-me")).await.expect("tags"),
        ["c"]
    );
}

#[tokio::test]
async fn delete_disabled_and_digest_only_are_explained() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).delete_disabled());
    let c = client(&reg);
    let seen = std::sync::Mutex::new(Vec::new());
    let plan = c
        .plan_delete(&repo_name("scratch/delete-me"), &at("c"), |done, total| {
            seen.lock().expect("progress").push((done, total));
        })
        .await
        .expect("plan");
    assert_eq!(plan.tag_names().collect::<Vec<_>>(), ["c"]);
    // The given tag was resolved first; the sweep asks only for the other two.
    assert_eq!(
        *seen.lock().expect("progress"),
        [(1, 2), (2, 2)],
        "progress per tag HEADed"
    );
    let err = c
        .delete_manifest(&repo_name("scratch/delete-me"), &at(plan.digest.as_str()))
        .await
        .expect_err("disabled");
    assert!(matches!(err, Error::DeleteDisabled { .. }), "{err:?}");
    assert!(err.to_string().contains("storage.delete.enabled"), "{err}");

    let (stderr, _) = support::berth_failing(&[
        "rm",
        "--yes",
        &format!("http://{}", reg.image("scratch/delete-me:c")),
    ]);
    assert!(stderr.contains("storage.delete.enabled"));

    let on = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let err = client(&on)
        .delete_manifest(&repo_name("scratch/delete-me"), &at("c"))
        .await
        .expect_err("by tag");
    assert!(matches!(err, Error::DeleteByDigestOnly { .. }), "{err:?}");
    assert_eq!(
        client(&on)
            .tags(&repo_name("scratch/delete-me"))
            .await
            .expect("tags"),
        ["a", "b", "c"]
    );
}

#[tokio::test]
async fn referrers_are_found_through_the_tag_fallback() {
    let reg = support::registry(Auth::Anonymous);
    let c = client(reg);
    let detail = c
        .inspect(&repo_name("team/app/api"), &at("v1"), &Platform::host())
        .await
        .expect("inspect");
    assert_eq!(detail.referrers.len(), 1, "{:?}", detail.referrers_error);
    let r = &detail.referrers[0];
    assert_eq!(
        r.artifact_type.as_deref(),
        Some(fixtures::SBOM_ARTIFACT_TYPE)
    );
    let filtered = c
        .referrers(
            &repo_name("team/app/api"),
            &detail.digest,
            Some("application/vnd.dev.sigstore.bundle+json"),
        )
        .await
        .expect("referrers");
    assert!(filtered.is_empty());
    let sbom = c
        .referrers(
            &repo_name("team/app/api"),
            &detail.digest,
            Some(fixtures::SBOM_ARTIFACT_TYPE),
        )
        .await
        .expect("referrers");
    assert_eq!(sbom.len(), 1);
    // The artifact itself points back at v1.
    let artifact = c
        .manifest(&repo_name("team/app/api"), &at(r.digest.as_str()))
        .await
        .expect("artifact");
    let info = c
        .image_info(&repo_name("team/app/api"), &artifact)
        .await
        .expect("artifact info");
    assert_eq!(info.subject.as_ref(), Some(&detail.digest));
    // An image nobody refers to has none.
    let none = c
        .inspect(&repo_name("library/alpine"), &at("3.19"), &Platform::host())
        .await
        .expect("inspect");
    assert!(none.referrers.is_empty() && none.referrers_error.is_none());

    let out = support::berth_cmd()
        .args([
            "inspect",
            &format!("http://{}", reg.image("team/app/api:v1")),
        ])
        .output()
        .expect("berth");
    assert!(String::from_utf8_lossy(&out.stdout).contains(fixtures::SBOM_ARTIFACT_TYPE));
}

/// `rm` with several references plans them together: every tag that goes, the ones not given
/// marked, in the `--json` shape `{plans: [{repository, digest, tags: [{tag, given}]}],
/// deleted, dry_run}`; mixing a registry and a store is refused.
#[tokio::test]
async fn rm_with_several_references_names_every_tag_and_marks_those_not_given() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let a = format!("http://{}", reg.image("scratch/delete-me:a"));
    let c = format!("http://{}", reg.image("scratch/delete-me:c"));
    let json = |args: &[&str]| {
        let out = support::berth_cmd().args(args).output().expect("berth");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let dry = json(&["--json", "rm", "--dry-run", &a, &c]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["deleted"], serde_json::json!([]));
    let plans = dry["plans"].as_array().expect("plans");
    assert_eq!(plans.len(), 2, "{dry}");
    assert_eq!(plans[0]["repository"], "scratch/delete-me");
    assert!(
        plans[0]["digest"]
            .as_str()
            .is_some_and(|d| d.starts_with("sha256:"))
    );
    assert_eq!(
        plans[0]["tags"],
        serde_json::json!([{"tag": "a", "given": true}, {"tag": "b", "given": false}])
    );
    assert_eq!(
        plans[1]["tags"],
        serde_json::json!([{"tag": "c", "given": true}])
    );

    let (stderr, _) = support::berth_failing(&["rm", "--dry-run", &a, "berth:x:1"]);
    assert!(stderr.contains("not both"), "{stderr}");

    let done = json(&["--json", "rm", "--yes", &a, &c]);
    assert_eq!(done["dry_run"], false);
    assert_eq!(done["deleted"].as_array().map(Vec::len), Some(2), "{done}");
    let left = client(&reg)
        .tags(&repo_name("scratch/delete-me"))
        .await
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// On a terminal, `rm` shows the plan and asks; "n" keeps everything and "y" deletes what
/// it showed. `script` gives the child a pseudo-terminal, as a person at a shell would have.
#[tokio::test]
async fn on_a_terminal_rm_asks_first() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let target = format!(
        "http://{} http://{}",
        reg.image("scratch/delete-me:a"),
        reg.image("scratch/delete-me:c")
    );
    let berth_bin = env!("CARGO_BIN_EXE_berth");
    let ask = |answer: &str| {
        let mut cmd = support::shared_env().command("script");
        cmd.args(["-qec", &format!("{berth_bin} rm {target}"), "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("script (bsdutils)");
        // What the terminal shows, read as it comes, so the answer can wait for the question.
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
        // Answer once the question is on the screen, as a person would (or stop waiting if
        // berth ended without asking; the assertions below then say what it showed).
        wait::until("rm to ask \"Delete? [y/N]\"", || {
            text().contains("Delete? [y/N]") || child.try_wait().is_ok_and(|s| s.is_some())
        });
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            // A berth that already ended has closed the pipe; that is not this test's failure.
            let _ = stdin.write_all(answer.as_bytes());
        }
        let status = child.wait().expect("script");
        reader.join().expect("terminal reader");
        (status, text())
    };
    let c = client(&reg);
    let (no, shown) = ask("n\n");
    assert!(shown.contains("Delete? [y/N]"), "{shown}");
    assert!(
        shown.contains("b   (not given: shares the digest)"),
        "{shown}"
    );
    assert!(!no.success());
    assert_eq!(
        c.tags(&repo_name("scratch/delete-me")).await.expect("tags"),
        ["a", "b", "c"]
    );
    let (yes, shown) = ask("y\n");
    assert!(yes.success(), "{shown}");
    let left = c
        .tags(&repo_name("scratch/delete-me"))
        .await
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
