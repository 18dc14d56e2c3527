//! The registry read path against the real registry, in each auth mode: catalog paging past
//! the 1,000 cap, every tag in natural order, inspect cross-checked with skopeo, auth
//! failures, token scopes, and a corrupted blob.

use crate::support::{self, Auth, FreshOptions, TestRegistry, fixtures};
use berth::oci::{Digest, Platform, Reference, Repository, Scheme};
use berth::registry::{ClientConfig, Credentials, Error, RegistryClient, Secret};
use futures_util::TryStreamExt as _;
use serde_json::Value;

/// A repository name the test knows to be valid.
pub fn repo_name(s: impl AsRef<str>) -> Repository {
    Repository::parse(s.as_ref()).expect("repository")
}

/// A tag or digest the test knows to be valid.
pub fn at(s: impl AsRef<str>) -> Reference {
    Reference::parse(s.as_ref()).expect("tag or digest")
}

pub fn client(reg: &TestRegistry) -> RegistryClient {
    let credentials = match reg.credentials() {
        Some((u, p)) => Credentials::Basic {
            username: u.into(),
            password: Secret::new(p),
        },
        None => Credentials::Anonymous,
    };
    client_with(reg, credentials)
}

pub fn client_with(reg: &TestRegistry, credentials: Credentials) -> RegistryClient {
    RegistryClient::new(
        &reg.host(),
        ClientConfig {
            scheme: Some(Scheme::Http),
            credentials,
            ..ClientConfig::default()
        },
    )
    .expect("client")
}

fn skopeo_json(reg: &TestRegistry, args: &[&str]) -> Value {
    let creds = reg.skopeo_creds();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(creds.iter().map(String::as_str));
    serde_json::from_str(&support::skopeo(&all)).expect("skopeo JSON")
}

fn skopeo_bytes(reg: &TestRegistry, args: &[&str]) -> Vec<u8> {
    let creds = reg.skopeo_creds();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(creds.iter().map(String::as_str));
    support::skopeo(&all).into_bytes()
}

async fn catalog_pages_cover_every_repository_once(auth: Auth) {
    let reg = support::registry(auth);
    let c = client(reg);
    let pages: Vec<Vec<String>> = c.catalog().try_collect().await.expect("catalog");
    assert!(
        pages.len() >= 2,
        "{auth:?}: the catalog must page past 1,000 (got {} pages)",
        pages.len()
    );
    assert!(pages.iter().all(|p| p.len() <= 1000));
    let mut all: Vec<String> = pages.into_iter().flatten().collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n, "{auth:?}: a repository came back twice");
    assert_eq!(n, fixtures::CATALOG_REPOS, "{auth:?}");
    for named in fixtures::NAMED_REPOS {
        assert!(all.iter().any(|r| r == named), "{auth:?}: {named} missing");
    }
}

#[tokio::test]
async fn catalog_paging_anonymous() {
    catalog_pages_cover_every_repository_once(Auth::Anonymous).await;
}

#[tokio::test]
async fn catalog_paging_basic() {
    catalog_pages_cover_every_repository_once(Auth::Basic).await;
}

#[tokio::test]
async fn catalog_paging_token() {
    catalog_pages_cover_every_repository_once(Auth::Token).await;
}

async fn all_tags_in_natural_order(auth: Auth) {
    let reg = support::registry(auth);
    let tags = client(reg)
        .tags(&repo_name(fixtures::MANY_TAGS_REPO))
        .await
        .expect("tags");
    assert_eq!(tags.len(), fixtures::MANY_TAGS_COUNT, "{auth:?}");
    assert!(
        tags.windows(2)
            .all(|w| berth::natural_sort::compare(&w[0], &w[1]) == std::cmp::Ordering::Less),
        "{auth:?}: not in natural order"
    );
    // The same set skopeo lists, independently.
    let listed = skopeo_json(
        reg,
        &["list-tags", &reg.docker_ref(fixtures::MANY_TAGS_REPO)],
    );
    let mut theirs: Vec<String> = listed["Tags"]
        .as_array()
        .expect("Tags")
        .iter()
        .map(|t| t.as_str().expect("tag").to_owned())
        .collect();
    theirs.sort();
    let mut ours = tags.clone();
    ours.sort();
    assert_eq!(ours, theirs);
}

#[tokio::test]
async fn tags_all_natural_anonymous() {
    all_tags_in_natural_order(Auth::Anonymous).await;
}

#[tokio::test]
async fn tags_all_natural_basic() {
    all_tags_in_natural_order(Auth::Basic).await;
}

#[tokio::test]
async fn tags_all_natural_token() {
    all_tags_in_natural_order(Auth::Token).await;
}

#[tokio::test]
async fn natural_order_puts_1_9_before_1_10() {
    let reg = support::registry(Auth::Anonymous);
    let tags = client(reg)
        .tags(&repo_name(fixtures::MANY_TAGS_REPO))
        .await
        .expect("tags");
    let pos = |t: &str| tags.iter().position(|x| x == t);
    let pairs: Vec<(usize, usize)> = tags
        .iter()
        .filter_map(|t| {
            let bumped = bump_last_number(t, 9)?;
            Some((pos(t)?, pos(&bumped)?))
        })
        .collect();
    assert!(
        !pairs.is_empty(),
        "fixture has no x9/x10 pairs: {:?}",
        &tags[..20]
    );
    assert!(pairs.iter().all(|(a, b)| a < b));
}

/// `v1.9` → `v1.10` when the last number is `from`.
fn bump_last_number(tag: &str, from: u32) -> Option<String> {
    let digits = tag.chars().rev().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (head, num) = tag.split_at(tag.len() - digits);
    (num.parse::<u32>().ok()? == from && !num.starts_with('0'))
        .then(|| format!("{head}{}", from + 1))
}

/// Checks one image against `skopeo inspect --raw` and `--config --raw`.
#[allow(clippy::too_many_lines)]
async fn check_image_against_skopeo(
    reg: &TestRegistry,
    repo: &str,
    reference: &str,
    platform: &str,
) {
    let c = client(reg);
    let wanted = Platform::parse(platform).expect("platform");
    let detail = c
        .inspect(&repo_name(repo), &at(reference), &wanted)
        .await
        .expect("inspect");
    let name = if reference.starts_with("sha256:") {
        format!("{repo}@{reference}")
    } else {
        format!("{repo}:{reference}")
    };
    let raw = skopeo_bytes(reg, &["inspect", "--raw", &reg.docker_ref(&name)]);
    assert_eq!(
        detail.digest,
        Digest::of(raw.as_slice()),
        "{name}: top digest"
    );
    assert_eq!(detail.size, raw.len() as u64);
    let top: Value = serde_json::from_slice(&raw).expect("manifest JSON");
    let image = detail.image.as_ref().expect("image detail");
    let child_raw = if let Some(list) = top["manifests"].as_array() {
        let ours: Vec<String> = detail
            .platforms
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.platform
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    e.digest,
                    e.size
                )
            })
            .collect();
        let theirs: Vec<String> = list
            .iter()
            .map(|m| {
                let p = &m["platform"];
                let mut plat = format!(
                    "{}/{}",
                    p["os"].as_str().unwrap_or(""),
                    p["architecture"].as_str().unwrap_or("")
                );
                if let Some(v) = p["variant"].as_str() {
                    plat = format!("{plat}/{v}");
                }
                format!(
                    "{plat} {} {}",
                    m["digest"].as_str().unwrap_or(""),
                    m["size"]
                )
            })
            .collect();
        assert_eq!(ours, theirs, "{name}: platforms");
        let chosen = list
            .iter()
            .find(|m| m["digest"].as_str() == Some(image.digest.as_str()))
            .expect("chosen platform is in the index");
        assert_eq!(
            Platform::parse(&format!(
                "{}/{}{}",
                chosen["platform"]["os"].as_str().unwrap_or(""),
                chosen["platform"]["architecture"].as_str().unwrap_or(""),
                chosen["platform"]["variant"]
                    .as_str()
                    .map(|v| format!("/{v}"))
                    .unwrap_or_default()
            )),
            Some(wanted.clone())
                .filter(|w| w.variant.is_some())
                .or_else(|| image.platform.clone())
        );
        skopeo_bytes(
            reg,
            &[
                "inspect",
                "--raw",
                &reg.docker_ref(&format!("{repo}@{}", image.digest)),
            ],
        )
    } else {
        assert!(detail.platforms.is_empty());
        raw.clone()
    };
    assert_eq!(image.digest, Digest::of(child_raw.as_slice()));
    let manifest: Value = serde_json::from_slice(&child_raw).expect("child JSON");
    let layers: Vec<(String, u64, String)> = manifest["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| {
            (
                l["digest"].as_str().unwrap_or("").to_owned(),
                l["size"].as_u64().unwrap_or(0),
                l["mediaType"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let ours: Vec<(String, u64, String)> = image
        .layers
        .iter()
        .map(|l| (l.digest.to_string(), l.size, l.media_type.clone()))
        .collect();
    assert_eq!(ours, layers, "{name}: layers");
    assert_eq!(
        image.config_digest.as_str(),
        manifest["config"]["digest"].as_str().unwrap_or("")
    );
    let config_raw = skopeo_bytes(
        reg,
        &[
            "inspect",
            "--config",
            "--raw",
            &reg.docker_ref(&format!("{repo}@{}", image.digest)),
        ],
    );
    assert_eq!(
        image.config_digest,
        Digest::of(config_raw.as_slice()),
        "{name}: config digest"
    );
    let config: Value = serde_json::from_slice(&config_raw).expect("config JSON");
    let cfg = image.config.as_ref().expect("image config");
    assert_eq!(
        cfg.architecture,
        config["architecture"].as_str().unwrap_or("")
    );
    let labels: std::collections::BTreeMap<String, String> =
        serde_json::from_value(config["config"]["Labels"].clone()).unwrap_or_default();
    assert_eq!(cfg.config.labels, labels, "{name}: labels");
    let env: Vec<String> =
        serde_json::from_value(config["config"]["Env"].clone()).unwrap_or_default();
    assert_eq!(cfg.config.env, env, "{name}: env");
    assert_eq!(
        image.total_size,
        child_raw.len() as u64 + config_raw.len() as u64 + layers.iter().map(|l| l.1).sum::<u64>()
    );
}

#[tokio::test]
async fn inspect_matches_skopeo_in_every_auth_mode() {
    for auth in [Auth::Anonymous, Auth::Basic, Auth::Token] {
        let reg = support::registry(auth);
        check_image_against_skopeo(reg, "library/alpine", "3.19", "linux/amd64").await;
    }
}

#[tokio::test]
async fn inspect_schema2_index_list_arm64_and_zstd() {
    let reg = support::registry(Auth::Anonymous);
    check_image_against_skopeo(reg, "library/alpine", "3.18", "linux/amd64").await;
    check_image_against_skopeo(reg, "library/nginx", "latest", "linux/arm64").await;
    check_image_against_skopeo(reg, "library/nginx", "latest", "linux/arm/v7").await;
    check_image_against_skopeo(reg, "library/nginx", "1.25", "linux/amd64").await;
    check_image_against_skopeo(reg, "team/tools/arm64-only", "latest", "linux/amd64").await;
    check_image_against_skopeo(reg, "team/tools/zstd", "latest", "linux/amd64").await;

    let c = client(reg);
    let schema2 = c
        .inspect(&repo_name("library/alpine"), &at("3.18"), &Platform::host())
        .await
        .expect("inspect");
    assert_eq!(schema2.media_type, berth::oci::media::DOCKER_MANIFEST);
    let list = c
        .inspect(&repo_name("library/nginx"), &at("1.25"), &Platform::host())
        .await
        .expect("inspect");
    assert_eq!(list.media_type, berth::oci::media::DOCKER_LIST);
    let zstd = c
        .inspect(
            &repo_name("team/tools/zstd"),
            &at("latest"),
            &Platform::host(),
        )
        .await
        .expect("inspect");
    assert!(
        zstd.image
            .expect("image")
            .layers
            .iter()
            .all(|l| l.media_type == berth::oci::media::OCI_LAYER_ZSTD)
    );
    let arm = c
        .inspect(
            &repo_name("team/tools/arm64-only"),
            &at("latest"),
            &Platform::host(),
        )
        .await
        .expect("inspect");
    assert_eq!(
        arm.image
            .expect("image")
            .platform
            .expect("platform")
            .to_string(),
        "linux/arm64"
    );
}

#[tokio::test]
async fn index_without_the_wanted_platform_names_what_exists() {
    let reg = support::registry(Auth::Anonymous);
    let c = client(reg);
    let s390 = Platform::parse("linux/s390x").expect("platform");
    let d = c
        .inspect(&repo_name("library/nginx"), &at("latest"), &s390)
        .await
        .expect("inspect");
    assert!(d.image.is_none());
    assert_eq!(d.missing_platform, Some(s390));
    let names: Vec<String> = d
        .platforms
        .iter()
        .filter_map(|e| e.platform.as_ref().map(ToString::to_string))
        .collect();
    assert_eq!(names, ["linux/amd64", "linux/arm64", "linux/arm/v7"]);

    let (stderr, _) = support::berth_failing(&[
        "inspect",
        "--platform",
        "linux/s390x",
        &format!("http://{}", reg.image("library/nginx:latest")),
    ]);
    assert_eq!(stderr.lines().count(), 1, "one human line: {stderr}");
    assert!(
        stderr.contains("linux/arm64") && stderr.contains("--platform"),
        "{stderr}"
    );
}

#[tokio::test]
async fn wrong_password_is_a_clear_error_in_basic_and_token_mode() {
    for auth in [Auth::Basic, Auth::Token] {
        let reg = support::registry(auth);
        let bad = Credentials::Basic {
            username: support::USER.into(),
            password: Secret::new("wrong-password"),
        };
        let err = client_with(reg, bad)
            .tags(&repo_name("library/alpine"))
            .await
            .expect_err("must fail");
        assert!(
            matches!(err, Error::Unauthorized { .. }),
            "{auth:?}: {err:?}"
        );
        assert_eq!(err.kind(), "unauthorized");

        let out = support::berth_cmd()
            .args([
                "tags",
                "--user",
                support::USER,
                "--password-stdin",
                &format!("http://{}", reg.image("library/alpine")),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(b"wrong-password\n")?;
                child.wait_with_output()
            })
            .expect("run berth");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("refused the credentials"),
            "{auth:?}: {stderr}"
        );
    }
}

#[tokio::test]
async fn token_server_sees_only_the_scopes_each_operation_needs() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Token));
    let ts = reg.token_server().expect("token server");
    let c = client(&reg);
    c.tags(&repo_name("library/alpine")).await.expect("tags");
    c.inspect(
        &repo_name("library/nginx"),
        &at("latest"),
        &Platform::host(),
    )
    .await
    .expect("inspect");
    let scopes: Vec<Vec<String>> = ts.requests().into_iter().map(|r| r.scopes).collect();
    assert_eq!(
        scopes,
        [
            vec!["repository:library/alpine:pull".to_owned()],
            vec!["repository:library/nginx:pull".to_owned()]
        ],
        "one token per scope set, and only pull"
    );
    ts.clear_requests();
    let first: Vec<String> = c.catalog_page(None).await.expect("catalog").repositories;
    assert!(!first.is_empty());
    let scopes: Vec<Vec<String>> = ts.requests().into_iter().map(|r| r.scopes).collect();
    assert_eq!(scopes, [vec!["registry:catalog:*".to_owned()]]);
    assert!(
        ts.requests()
            .iter()
            .all(|r| r.user.as_deref() == Some(support::USER))
    );
}

#[tokio::test]
async fn anonymous_token_is_fetched_without_credentials() {
    let reg = support::registry(Auth::TokenAnonymous);
    let tags = client_with(reg, Credentials::Anonymous)
        .tags(&repo_name("library/alpine"))
        .await
        .expect("tags");
    assert_eq!(tags, ["3.18", "3.19", "latest"]);
}

#[tokio::test]
async fn a_corrupted_blob_is_rejected() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Anonymous));
    let c = client(&reg);
    let detail = c
        .inspect(&repo_name("library/alpine"), &at("3.19"), &Platform::host())
        .await
        .expect("inspect");
    let image = detail.image.expect("image");
    // Flip bytes of the config blob in the registry's own storage; same length.
    let path = reg.blob_data_path(image.config_digest.as_str());
    let mut bytes = std::fs::read(&path).expect("blob data");
    bytes[0] ^= 0x20;
    std::fs::write(&path, &bytes).expect("corrupt");
    let err = c
        .inspect(&repo_name("library/alpine"), &at("3.19"), &Platform::host())
        .await
        .expect_err("must fail");
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err:?}");

    // A layer, streamed: the stream ends in an error rather than a clean end.
    let layer = &image.layers[0];
    let lpath = reg.blob_data_path(layer.digest.as_str());
    let mut lbytes = std::fs::read(&lpath).expect("layer data");
    let mid = lbytes.len() / 2;
    lbytes[mid] ^= 0xff;
    std::fs::write(&lpath, &lbytes).expect("corrupt layer");
    let stream = c
        .blob(
            &repo_name("library/alpine"),
            &layer.digest,
            Some(layer.size),
        )
        .await
        .expect("blob");
    let result: Result<Vec<bytes::Bytes>, Error> = stream.try_collect().await;
    assert!(
        matches!(result, Err(Error::DigestMismatch { .. })),
        "{result:?}"
    );
}

#[test]
fn a_saved_registry_entry_gives_the_scheme_and_json_output_is_stable() {
    let reg = support::registry(Auth::Anonymous);
    let env = support::TestEnv::new();
    let bare = format!("{}/library/alpine", reg.host());
    let refused = env.berth().args(["tags", &bare]).output().expect("berth");
    assert!(
        !refused.status.success(),
        "HTTPS is the default; no silent fallback to HTTP"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--plain-http"));

    let settings = env.config_home().join("berth/settings.toml");
    std::fs::create_dir_all(settings.parent().expect("dir")).expect("mkdir");
    std::fs::write(
        &settings,
        format!(
            "[[registries]]\nname = \"local\"\nurl = \"{}\"\nplain_http = true\n",
            reg.host()
        ),
    )
    .expect("settings");
    let out = env
        .berth()
        .args(["--json", "tags", &bare])
        .output()
        .expect("berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["repository"], "library/alpine");
    assert_eq!(v["tags"], serde_json::json!(["3.18", "3.19", "latest"]));

    let out = env
        .berth()
        .args(["--json", "inspect", &format!("{bare}:3.19")])
        .output()
        .expect("berth");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["digest"].as_str(),
        Some(fixtures::seeded_digest("library/alpine:3.19").as_str())
    );
    assert_eq!(
        v["image"]["config"]["config"]["Labels"]["org.opencontainers.image.version"],
        "3.19"
    );

    let missing = env
        .berth()
        .args(["--json", "inspect", &format!("{bare}:nope")])
        .output()
        .expect("berth");
    assert!(!missing.status.success());
    let v: Value = serde_json::from_slice(&missing.stdout).expect("json error");
    assert_eq!(v["error"]["kind"], "not_found");
}

#[test]
fn the_cli_speaks_korean_but_json_never_is_translated() {
    let reg = support::registry(Auth::Anonymous);
    let base = format!("http://{}", reg.host());
    let out = support::berth_cmd()
        .args([
            "--lang",
            "ko",
            "inspect",
            &format!("{base}/library/alpine:3.19"),
        ])
        .output()
        .expect("berth");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("다이제스트:") && text.contains("레이어(2개):"),
        "{text}"
    );
    let missing = support::berth_cmd()
        .args(["--lang", "ko", "tags", &format!("{base}/library/nope")])
        .output()
        .expect("berth");
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("찾을 수 없습니다"), "{stderr}");
    let json = support::berth_cmd()
        .args([
            "--lang",
            "ko",
            "--json",
            "tags",
            &format!("{base}/library/nope"),
        ])
        .output()
        .expect("berth");
    let v: Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["error"]["kind"], "not_found");
}
