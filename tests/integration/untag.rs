//! Untag (issue 23): removing one tag while the other tags on its digest stay, against
//! Debian's distribution 2.8 (which refuses a tag `DELETE`, so the placeholder method runs),
//! and behind the fault proxy as a registry that deletes tags (the direct method) and as one
//! that deletes the whole manifest on a tag `DELETE` (reported as a broken spec).

use super::registry_read::{client, repo_name};
use crate::jobs_support::Jobs;
use crate::support::fault_proxy::{Fault, FaultProxy, Rule, TagDeletes};
use crate::support::{self, Auth, FreshOptions, TestRegistry};
use berth::jobs::{DeleteTarget, JobOutput, JobSpec};
use berth::oci::{RegistryName, Scheme};
use berth::registry::{ClientConfig, Credentials, Error, RegistryClient, UntagMethod, UntagPlan};

const REPO: &str = "scratch/delete-me";

fn via(proxy: &FaultProxy) -> RegistryClient {
    RegistryClient::new(
        &proxy.host(),
        ClientConfig {
            scheme: Some(Scheme::Http),
            credentials: Credentials::Anonymous,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

/// Where `reference` (a tag or digest) of the repository points, asked with curl's HTTP.
fn resolve(reg: &TestRegistry, reference: &str) -> Option<String> {
    reg.pusher()
        .head_manifest(REPO, reference)
        .map(|(digest, _, _)| digest)
}

async fn plan(c: &RegistryClient, tags: &[&str]) -> Vec<UntagPlan> {
    let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
    c.plan_untag(&repo_name(REPO), &tags, |_| {})
        .await
        .expect("plan")
}

#[tokio::test]
async fn on_distribution_a_placeholder_removes_only_the_tag_and_does_not_remain() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "a").expect("a");
    assert_eq!(resolve(&reg, "b").as_deref(), Some(digest.as_str()));
    let c = client(&reg);
    let plans = plan(&c, &["a"]).await;
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].method, UntagMethod::Placeholder);
    assert_eq!(plans[0].digest.as_str(), digest);
    assert_eq!(plans[0].siblings, ["b"]);
    let done = c.untag_planned(&plans[0], &[]).await.expect("untag");
    let placeholder = done.placeholder.expect("a placeholder was used");
    assert_ne!(placeholder.as_str(), digest);
    assert_eq!(resolve(&reg, "a"), None, "the tag is gone");
    assert_eq!(
        resolve(&reg, placeholder.as_str()),
        None,
        "no placeholder remains"
    );
    assert_eq!(
        resolve(&reg, "b").as_deref(),
        Some(digest.as_str()),
        "b stays"
    );
    assert_eq!(resolve(&reg, &digest).as_deref(), Some(digest.as_str()));
    let tags = c.tags(&repo_name(REPO)).await.expect("tags");
    assert!(!tags.contains(&"a".to_owned()), "{tags:?}");
    // skopeo, another client, still resolves the sibling to the same image.
    let out = std::process::Command::new("skopeo")
        .args(["inspect", "--tls-verify=false", "--format", "{{.Digest}}"])
        .arg(reg.docker_ref(&format!("{REPO}:b")))
        .output()
        .expect("skopeo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), digest);
}

#[tokio::test]
async fn a_registry_that_deletes_tags_gets_the_direct_method() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "a").expect("a");
    let proxy = FaultProxy::start(&reg.host());
    proxy.add(
        Rule::path("/manifests/"),
        Fault::TagDelete(TagDeletes::accept()),
    );
    let c = via(&proxy);
    let plans = plan(&c, &["a"]).await;
    assert_eq!(plans[0].method, UntagMethod::TagDelete);
    let probes = proxy.count("DELETE", "/manifests/");
    assert_eq!(probes, 1, "one probe, of a tag no one uses");
    let done = c.untag_planned(&plans[0], &[]).await.expect("untag");
    assert_eq!(done.method, UntagMethod::TagDelete);
    assert_eq!(done.placeholder, None);
    assert_eq!(proxy.count("DELETE", "/manifests/a"), 1);
    assert_eq!(proxy.count("DELETE", "/manifests/"), 2, "no other DELETE");
    assert_eq!(proxy.count("PUT", "/"), 0, "nothing was pushed");
    assert_eq!(proxy.count("POST", "/"), 0, "nothing was uploaded");
    assert_eq!(resolve(&reg, "b").as_deref(), Some(digest.as_str()));
}

#[tokio::test]
async fn a_registry_that_deletes_the_whole_manifest_is_reported_loudly() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let proxy = FaultProxy::start(&reg.host());
    proxy.add(
        Rule::path("/manifests/"),
        Fault::TagDelete(TagDeletes::whole_manifest()),
    );
    let c = via(&proxy);
    let plans = plan(&c, &["a"]).await;
    assert_eq!(plans[0].method, UntagMethod::TagDelete);
    let err = c
        .untag_planned(&plans[0], &[])
        .await
        .expect_err("b vanished");
    let Error::UntagDisturbed { changed, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].tag, "b");
    assert_eq!(changed[0].after, None);
    assert_eq!(
        resolve(&reg, "b"),
        None,
        "the proxy's registry really took b"
    );
    let said = berth::i18n::describe_error(&err);
    assert!(
        said.contains("distribution spec") && said.contains('b'),
        "{said}"
    );
    assert_eq!(err.kind(), "untag_disturbed");
}

#[tokio::test]
async fn an_untag_refuses_when_the_tag_moved_since_the_plan() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let c = client(&reg);
    let plans = plan(&c, &["a"]).await;
    super::jobs_delete::retag(&reg, REPO, "c", "a");
    let moved = resolve(&reg, "a").expect("a");
    let err = c.untag_planned(&plans[0], &[]).await.expect_err("moved");
    assert!(matches!(err, Error::PlanChanged { .. }), "{err:?}");
    assert_eq!(resolve(&reg, "a"), Some(moved), "nothing was done");
}

#[tokio::test]
async fn a_registry_with_deleting_off_is_refused_before_anything_is_written() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous).delete_disabled());
    let digest = resolve(&reg, "a").expect("a");
    let c = client(&reg);
    let err = c
        .plan_untag(&repo_name(REPO), &["a".to_owned()], |_| {})
        .await
        .expect_err("delete disabled");
    assert!(matches!(err, Error::DeleteDisabled { .. }), "{err:?}");
    assert_eq!(
        resolve(&reg, "a"),
        Some(digest),
        "the tag was not overwritten"
    );
}

#[tokio::test]
async fn the_delete_job_untags_each_planned_tag_with_its_result() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "b").expect("b");
    let c = client(&reg);
    let registry = RegistryName::parse(&format!("http://{}", reg.host())).expect("registry");
    let targets = plan(&c, &["a", "c"])
        .await
        .into_iter()
        .map(|plan| DeleteTarget::Untag {
            registry: registry.clone(),
            plan,
        })
        .collect();
    let out = Jobs::new().ok(JobSpec::Delete { targets }).await;
    let JobOutput::Deleted { items } = out else {
        panic!("{out:?}")
    };
    let refs: Vec<&str> = items.iter().map(|i| i.reference.as_str()).collect();
    assert!(refs[0].ends_with("/scratch/delete-me:a"), "{refs:?}");
    assert!(refs[1].ends_with("/scratch/delete-me:c"), "{refs:?}");
    assert!(items.iter().all(|i| i.result.is_ok()), "{items:?}");
    assert_eq!(resolve(&reg, "a"), None);
    assert_eq!(resolve(&reg, "c"), None);
    assert_eq!(resolve(&reg, "b"), Some(digest));
}

#[tokio::test]
async fn the_cli_prints_the_plan_and_method_then_removes_only_the_tag() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let digest = resolve(&reg, "b").expect("b");
    let target = format!("http://{}", reg.image(&format!("{REPO}:a")));
    let dry = support::berth_cmd()
        .args(["untag", "--dry-run", &target])
        .output()
        .expect("berth");
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let listed = String::from_utf8_lossy(&dry.stdout);
    assert!(listed.contains(&format!("Image {digest}")), "{listed}");
    assert!(
        listed.contains("Stays on the same image (1): b"),
        "{listed}"
    );
    assert!(listed.contains("placeholder"), "{listed}");
    let refused = support::berth_cmd()
        .args(["untag", &target])
        .output()
        .expect("berth");
    assert!(
        !refused.status.success(),
        "no TTY and no --yes must not untag"
    );
    assert_eq!(resolve(&reg, "a").as_deref(), Some(digest.as_str()));

    let out = support::berth_cmd()
        .args(["--json", "untag", "--yes", &target])
        .output()
        .expect("berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["plans"][0]["tag"], "a");
    assert_eq!(v["plans"][0]["siblings"], serde_json::json!(["b"]));
    assert_eq!(v["plans"][0]["method"], "placeholder");
    assert_eq!(v["results"][0]["ok"], true, "{v}");
    assert_eq!(v["dry_run"], false);
    assert_eq!(resolve(&reg, "a"), None);
    assert_eq!(resolve(&reg, "b"), Some(digest));
}
