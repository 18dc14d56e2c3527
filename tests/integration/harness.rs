//! Smoke tests of the harness itself: every auth mode starts and serves the fixtures, the
//! token server records scopes, shared registries are read-only, private ones are private,
//! the fixture facts match the bytes that were built, and child processes are isolated.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;

use crate::support::fixtures::{self, api, images};
use crate::support::{self, Auth, FreshOptions, oci, registry};

fn skopeo_inspect_raw(reg: &support::TestRegistry, name: &str) -> serde_json::Value {
    let creds = reg.skopeo_creds();
    let target = reg.docker_ref(name);
    let mut args: Vec<&str> = vec!["inspect", "--raw"];
    args.extend(creds.iter().map(String::as_str));
    args.push(&target);
    serde_json::from_str(&support::skopeo(&args)).expect("skopeo --raw prints JSON")
}

/// Walks `_catalog` with `n=1000` and the `Link` header, as a client must.
fn catalog(reg: &support::TestRegistry) -> Vec<String> {
    let mut next = Some("/v2/_catalog?n=1000".to_owned());
    let mut repos = Vec::new();
    let mut pages = 0;
    while let Some(path) = next.take() {
        let r = reg.get(&path, &[]);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        pages += 1;
        repos.extend(
            r.json()["repositories"]
                .as_array()
                .expect("repositories")
                .iter()
                .map(|v| v.as_str().expect("name").to_owned()),
        );
        next = r.header("link").map(|l| {
            l.trim_start_matches('<')
                .split('>')
                .next()
                .expect("link")
                .to_owned()
        });
    }
    assert!(
        pages >= 2,
        "the catalog must need more than one 1000-entry page"
    );
    repos
}

#[test]
fn anonymous_registry_serves_every_fixture() {
    let reg = registry(Auth::Anonymous);
    assert_eq!(reg.get("/v2/", &[]).status, 200);
    let repos = catalog(reg);
    assert_eq!(repos.len(), fixtures::CATALOG_REPOS);
    assert_eq!(
        repos.iter().collect::<BTreeSet<_>>().len(),
        repos.len(),
        "each repo once"
    );
    for named in fixtures::NAMED_REPOS {
        assert!(repos.iter().any(|r| r == named), "{named} in catalog");
    }
    let tags = reg.get("/v2/many/tags/tags/list", &[]).json();
    assert_eq!(
        tags["tags"].as_array().expect("tags").len(),
        fixtures::MANY_TAGS_COUNT
    );

    let latest = skopeo_inspect_raw(reg, "library/alpine:latest");
    assert_eq!(latest["mediaType"], oci::MT_OCI_MANIFEST);
    assert_eq!(
        fixtures::seeded_digest("library/alpine:latest"),
        fixtures::seeded_digest("library/alpine:3.19")
    );
    assert_eq!(
        skopeo_inspect_raw(reg, "library/alpine:3.18")["mediaType"],
        oci::MT_DOCKER_MANIFEST
    );

    let nginx = skopeo_inspect_raw(reg, "library/nginx:latest");
    assert_eq!(nginx["mediaType"], oci::MT_OCI_INDEX);
    let platforms: Vec<String> = nginx["manifests"]
        .as_array()
        .expect("manifests")
        .iter()
        .map(|m| {
            let p = &m["platform"];
            let v = p["variant"]
                .as_str()
                .map(|v| format!("/{v}"))
                .unwrap_or_default();
            format!(
                "{}/{}{v}",
                p["os"].as_str().expect("os"),
                p["architecture"].as_str().expect("arch")
            )
        })
        .collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64", "linux/arm/v7"]);
    let list = skopeo_inspect_raw(reg, "library/nginx:1.25");
    assert_eq!(list["mediaType"], oci::MT_DOCKER_LIST);
    assert_eq!(
        list["manifests"].as_array().expect("manifests").len(),
        images::NGINX_125_PLATFORMS.len()
    );

    let zstd = skopeo_inspect_raw(reg, "team/tools/zstd:latest");
    assert!(
        zstd["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .all(|l| l["mediaType"] == oci::MT_LAYER_ZSTD)
    );
    let api_v1 = skopeo_inspect_raw(reg, "team/app/api:v1");
    let media: Vec<&str> = api_v1["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["mediaType"].as_str().expect("mt"))
        .collect();
    assert_eq!(media, api::LAYER_MEDIA_TYPES);

    // skopeo --config reads the config blob through the registry
    let config: serde_json::Value = serde_json::from_str(&support::skopeo(&[
        "inspect",
        "--config",
        &reg.docker_ref("team/app/api:v1"),
    ]))
    .expect("config");
    assert_eq!(
        config["config"]["Labels"][api::KOREAN_LABEL_KEY],
        api::KOREAN_LABEL_VALUE
    );
    assert_eq!(config["architecture"], "amd64");
    let arm: serde_json::Value = serde_json::from_str(&support::skopeo(&[
        "inspect",
        "--config",
        &reg.docker_ref("team/tools/arm64-only:latest"),
    ]))
    .expect("config");
    assert_eq!(config["os"], "linux");
    assert_eq!(arm["architecture"], "arm64");
}

#[test]
fn unconverted_images_keep_their_layout_digests() {
    for (tag, name) in [
        ("api-v1", "team/app/api:v1"),
        ("nginx-latest", "library/nginx:latest"),
        ("zstd", "team/tools/zstd:latest"),
    ] {
        let index = fixtures::seed::read_layout_index(&fixtures::fixture_layout());
        let entry = index["manifests"]
            .as_array()
            .expect("manifests")
            .iter()
            .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == tag)
            .expect("tag")
            .clone();
        assert_eq!(
            entry["digest"].as_str().expect("digest"),
            fixtures::seeded_digest(name),
            "{name}"
        );
    }
}

#[test]
fn shared_registries_are_read_only() {
    let reg = registry(Auth::Anonymous);
    let r = support::http::request(
        "POST",
        &format!("{}/v2/team/app/api/blobs/uploads/", reg.url()),
        &[],
        Some(&[]),
    );
    assert_eq!(r.status, 405);
}

#[test]
fn basic_registry_wants_credentials() {
    let reg = registry(Auth::Basic);
    let anon = support::http::get(&format!("{}/v2/", reg.url()));
    assert_eq!(anon.status, 401);
    assert!(
        anon.header("www-authenticate")
            .expect("challenge")
            .starts_with("Basic ")
    );
    assert_eq!(reg.get("/v2/", &[]).status, 200);
    let raw = skopeo_inspect_raw(reg, "library/alpine:3.19");
    assert_eq!(raw["mediaType"], oci::MT_OCI_MANIFEST);
    let out = support::shared_env().skopeo_output(&[
        "inspect",
        "--raw",
        "--creds",
        "berth-user:wrong",
        &reg.docker_ref("library/alpine:3.19"),
    ]);
    assert!(!out.status.success(), "a wrong password must fail");
}

#[test]
fn token_server_grants_and_records_exact_scopes() {
    let reg = support::fresh_registry(FreshOptions::new(Auth::Token).empty());
    let ts = reg.token_server().expect("token server");
    let anon = support::http::get(&format!("{}/v2/", reg.url()));
    assert_eq!(anon.status, 401);
    let challenge = anon.header("www-authenticate").expect("challenge");
    assert!(challenge.contains(&ts.realm()), "{challenge}");
    assert_eq!(reg.get("/v2/_catalog", &[]).status, 200);
    let reqs = ts.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    assert_eq!(reqs[0].scopes, ["registry:catalog:*"]);
    assert_eq!(reqs[0].user.as_deref(), Some(support::USER));
    assert_eq!(
        reqs[0].service.as_deref(),
        Some(support::token_server::SERVICE)
    );
    assert!(reqs[0].granted);

    // without credentials the token server says no and records that too
    let url = format!("{}?service=x&scope=repository:a/b:pull", ts.realm());
    assert_eq!(support::http::get(&url).status, 401);
    let last = ts.requests().pop().expect("request");
    assert_eq!(
        (last.user, last.granted, last.scopes),
        (None, false, vec!["repository:a/b:pull".to_owned()])
    );
}

#[test]
fn token_registries_serve_skopeo() {
    let reg = registry(Auth::Token);
    let raw = skopeo_inspect_raw(reg, "team/app/api:v2");
    assert_eq!(raw["mediaType"], oci::MT_OCI_MANIFEST);
    let scopes = reg.token_server().expect("token server").granted_scopes();
    assert!(
        scopes.iter().any(|s| s == "repository:team/app/api:pull"),
        "{scopes:?}"
    );

    let open = registry(Auth::TokenAnonymous);
    let out = support::skopeo(&["inspect", "--raw", &open.docker_ref("library/alpine:3.19")]);
    assert!(out.contains(oci::MT_OCI_MANIFEST));
    let reqs = open.token_server().expect("token server").requests();
    assert!(
        reqs.iter().any(|r| r.user.is_none() && r.granted),
        "{reqs:?}"
    );
}

#[test]
fn fresh_registries_are_private_copies() {
    let reg = support::fresh_registry(FreshOptions::default());
    let digest = fixtures::seeded_digest("scratch/delete-me:a");
    let url = format!("{}/v2/scratch/delete-me/manifests/{digest}", reg.url());
    assert_eq!(
        support::http::request("DELETE", &url, &[], None).status,
        202
    );
    let tags = reg.get("/v2/scratch/delete-me/tags/list", &[]).json();
    assert_eq!(tags["tags"], serde_json::json!(["c"]));
    assert!(
        reg.access_log()
            .contains("DELETE /v2/scratch/delete-me/manifests/")
    );
    // the shared copy and the cache still have it
    let shared = registry(Auth::Anonymous)
        .get("/v2/scratch/delete-me/tags/list", &[])
        .json();
    assert_eq!(shared["tags"].as_array().expect("tags").len(), 3);

    let off = support::fresh_registry(FreshOptions::default().delete_disabled().empty());
    let url = format!("{}/v2/scratch/delete-me/manifests/{digest}", off.url());
    assert_eq!(
        support::http::request("DELETE", &url, &[], None).status,
        405
    );
    let dir = reg.run_dir().to_owned();
    drop(reg);
    assert!(
        !dir.exists(),
        "a dropped fresh registry removes its directory"
    );
}

#[test]
fn referrers_fallback_tag_lists_the_sbom() {
    let reg = registry(Auth::Anonymous);
    let subject = fixtures::seeded_digest("team/app/api:v1");
    let tag = fixtures::referrers_tag(&subject);
    let index = reg
        .get(
            &format!("/v2/team/app/api/manifests/{tag}"),
            &[("Accept", oci::ACCEPT_ALL)],
        )
        .json();
    let listed = &index["manifests"][0];
    assert_eq!(listed["artifactType"], fixtures::SBOM_ARTIFACT_TYPE);
    let artifact = reg
        .get(
            &format!(
                "/v2/team/app/api/manifests/{}",
                listed["digest"].as_str().expect("digest")
            ),
            &[("Accept", oci::MT_OCI_MANIFEST)],
        )
        .json();
    assert_eq!(artifact["subject"]["digest"], subject.as_str());
    assert_eq!(artifact["artifactType"], fixtures::SBOM_ARTIFACT_TYPE);
}

/// Reads a layer blob into `(path, kind, size)` entries, independently of the builder.
fn read_layer(path: &std::path::Path, media_type: &str) -> Vec<(String, char, u64)> {
    let blob = std::fs::read(path).expect("layer blob");
    let tar: Box<dyn std::io::Read> = match media_type {
        oci::MT_LAYER_GZIP => Box::new(flate2::read::GzDecoder::new(&blob[..])),
        oci::MT_LAYER_ZSTD => Box::new(zstd::Decoder::new(&blob[..]).expect("zstd")),
        _ => Box::new(&blob[..]),
    };
    let mut archive = tar::Archive::new(tar);
    archive
        .entries()
        .expect("entries")
        .map(|e| {
            let mut e = e.expect("entry");
            let p = e
                .path()
                .expect("path")
                .to_string_lossy()
                .trim_end_matches('/')
                .to_owned();
            let kind = match e.header().entry_type() {
                tar::EntryType::Directory => 'd',
                tar::EntryType::Symlink => 'l',
                tar::EntryType::Link => 'h',
                _ => 'f',
            };
            let mut sink = Vec::new();
            e.read_to_end(&mut sink).expect("entry data");
            (p, kind, sink.len() as u64)
        })
        .collect()
}

/// Applies layers with whiteouts; returns the merged tree and the bytes wasted.
fn merge(layout_tag: &str) -> (BTreeMap<String, (char, u64)>, u64) {
    let manifest = fixtures::layout_manifest(layout_tag);
    let mut tree: BTreeMap<String, (char, u64)> = BTreeMap::new();
    let mut wasted = 0;
    for (i, layer) in manifest["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .enumerate()
    {
        for (path, kind, size) in read_layer(
            &fixtures::layer_blob_path(layout_tag, i),
            layer["mediaType"].as_str().expect("mt"),
        ) {
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", &path));
            if name == ".wh..wh..opq" {
                let prefix = format!("{parent}/");
                let gone: Vec<String> = tree
                    .keys()
                    .filter(|k| k.starts_with(&prefix))
                    .cloned()
                    .collect();
                for k in gone {
                    wasted += tree.remove(&k).expect("entry").1;
                }
            } else if let Some(target) = name.strip_prefix(".wh.") {
                let full = if parent.is_empty() {
                    target.to_owned()
                } else {
                    format!("{parent}/{target}")
                };
                let prefix = format!("{full}/");
                let gone: Vec<String> = tree
                    .keys()
                    .filter(|k| **k == full || k.starts_with(&prefix))
                    .cloned()
                    .collect();
                for k in gone {
                    wasted += tree.remove(&k).expect("entry").1;
                }
            } else if let Some(old) = tree.insert(path, (kind, size)) {
                wasted += old.1;
            }
        }
    }
    (tree, wasted)
}

#[test]
fn api_fixture_facts_match_the_built_layers() {
    let (v1, wasted) = merge("api-v1");
    assert_eq!(
        v1.keys().map(String::as_str).collect::<Vec<_>>(),
        api::V1_MERGED
    );
    assert_eq!(wasted, api::V1_WASTED_BYTES);
    for (path, size) in api::V1_MERGED_FILE_SIZES {
        assert_eq!(v1[path], ('f', size), "{path}");
    }
    assert_eq!(v1["bin/sh"].0, 'h');
    assert_eq!(v1["app/current"].0, 'l');

    let (v2, wasted) = merge("api-v2");
    assert_eq!(wasted, api::V2_WASTED_BYTES);
    let added: Vec<_> = v2
        .keys()
        .filter(|k| !v1.contains_key(*k))
        .map(|k| (k.as_str(), v2[k].1))
        .collect();
    let removed: Vec<_> = v1
        .keys()
        .filter(|k| !v2.contains_key(*k))
        .map(|k| (k.as_str(), v1[k].1))
        .collect();
    let changed: Vec<_> = v1
        .keys()
        .filter(|k| v2.get(*k).is_some_and(|n| *n != v1[*k]))
        .map(|k| (k.as_str(), v1[k].1, v2[k].1))
        .collect();
    assert_eq!(added, api::V1_TO_V2_ADDED);
    assert_eq!(removed, api::V1_TO_V2_REMOVED);
    assert_eq!(changed, api::V1_TO_V2_CHANGED);

    let m1 = fixtures::layout_manifest("api-v1");
    let m2 = fixtures::layout_manifest("api-v2");
    let (l1, l2) = (
        m1["layers"].as_array().expect("layers"),
        m2["layers"].as_array().expect("layers"),
    );
    assert_eq!(l1[..3], l2[..3], "v1 and v2 share their first three layers");
    assert_ne!(m1["layers"][3], m2["layers"][3]);
}

#[test]
fn child_processes_get_an_isolated_environment() {
    let env = support::TestEnv::new();
    let out = env
        .command("sh")
        .args([
            "-c",
            "echo $HOME $DOCKER_CONFIG $REGISTRY_AUTH_FILE $XDG_RUNTIME_DIR $LANG ${LC_ALL:-unset}",
        ])
        .output()
        .expect("sh");
    let text = String::from_utf8(out.stdout).expect("utf8");
    let home = env.home();
    assert!(text.starts_with(&home.display().to_string()), "{text}");
    assert!(text.trim_end().ends_with("C.UTF-8 unset"), "{text}");
    assert!(std::path::Path::new(env!("CARGO_BIN_EXE_berth")).is_file());
    let root = env.root().to_owned();
    drop(env);
    assert!(!root.exists());
}
