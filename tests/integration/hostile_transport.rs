//! Hostile registries, the transport side (issue 18 items 4, 5 and 13, issue 19 item 6): a
//! registry that trickles a byte a second or stalls after its headers ends `inspect`,
//! `files` and `pull` with "the registry stopped sending data" after one bounded wait (never
//! one per retry); an index that names one child thousands of times costs one request per
//! distinct manifest; nested indexes are bounded and named for what they are; a next-page
//! link that is no URL is reported once; and a plain-HTTP registry needs no CA bundle.
//! Every server here is `support::hostile`, which records what it receives.

use crate::support::hostile::{HostileServer, Recorded, Reply};
use crate::support::oci::sha256_digest;
use crate::support::{TestEnv, wait};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const INDEX: &str = "application/vnd.oci.image.index.v1+json";
const LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Runs `cmd` to its end, within the safety limit of `support::wait` (a limit against
/// hangs, not a timing target); stdout and stderr go to files, so no pipe can fill up.
fn run_bounded(mut cmd: Command, what: &str) -> Output {
    let dir = crate::support::process::scratch_dir("bounded-");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("run berth");
    let mut status = None;
    wait::until(what, || {
        status = child.try_wait().expect("wait for berth");
        status.is_some()
    });
    let output = Output {
        status: status.expect("ended"),
        stdout: std::fs::read(&out).expect("stdout"),
        stderr: std::fs::read(&err).expect("stderr"),
    };
    let _ = std::fs::remove_dir_all(dir);
    output
}

/// A settings file with short transport limits: 1 KiB/s over one second, and two seconds
/// for a whole manifest.
fn short_limits(env: &TestEnv) -> PathBuf {
    let path = env.root().join("settings.toml");
    std::fs::write(
        &path,
        "[transport]\nlow_speed_limit = 1024\nlow_speed_time_secs = 1\ndeadline_secs = 2\n",
    )
    .expect("settings");
    path
}

/// One small image: a config, one layer, and the manifest naming them.
struct Image {
    config: Vec<u8>,
    layer: Vec<u8>,
    manifest: Vec<u8>,
}

impl Image {
    fn new(seed: &str) -> Self {
        let layer: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 ^ seed.len() as u8)
            .collect();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Env":["SEED={seed}"]}},"rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
            sha256_digest(&layer)
        )
        .into_bytes();
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"{MANIFEST}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},"layers":[{{"mediaType":"{LAYER}","digest":"{}","size":{}}}]}}"#,
            sha256_digest(&config),
            config.len(),
            sha256_digest(&layer),
            layer.len()
        )
        .into_bytes();
        Self {
            config,
            layer,
            manifest,
        }
    }
}

/// How a registry misbehaves on one kind of request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Misbehaviour {
    /// One byte a second.
    Trickle,
    /// The headers, then silence.
    Stall,
}

/// What answers `bytes` with `content_type`: whole, trickled or stalled.
fn answer(bytes: &[u8], content_type: &str, how: Option<Misbehaviour>) -> Reply {
    let headers = vec![
        ("Content-Type".to_owned(), content_type.to_owned()),
        (
            "Docker-Content-Digest".to_owned(),
            sha256_digest(bytes).clone(),
        ),
    ];
    match how {
        None => Reply::Full {
            status: 200,
            headers,
            body: bytes.to_vec(),
        },
        Some(Misbehaviour::Trickle) => Reply::Trickle {
            status: 200,
            headers,
            body: bytes.to_vec(),
        },
        Some(Misbehaviour::Stall) => {
            let mut headers = headers;
            headers.push(("Content-Length".into(), bytes.len().to_string()));
            Reply::Stall {
                status: 200,
                headers,
                junk: 0,
            }
        }
    }
}

/// A registry serving `image` in every repository; the repository's name says what
/// misbehaves: `trickle-manifest`, `stall-layer`, `stall-config`, … (`ok` for nothing).
fn slow_registry(image: Arc<Image>) -> HostileServer {
    HostileServer::start(move |r| {
        let Some(rest) = r.path.strip_prefix("/v2/") else {
            return Reply::json(404, "{}");
        };
        let Some((repo, what)) = rest.split_once('/') else {
            return Reply::json(200, "{}");
        };
        let how = |target: &str| {
            let (mode, on) = repo.split_once('-')?;
            (on == target).then_some(match mode {
                "trickle" => Misbehaviour::Trickle,
                _ => Misbehaviour::Stall,
            })
        };
        if what.starts_with("manifests/") {
            return answer(&image.manifest, MANIFEST, how("manifest"));
        }
        let blob = what.strip_prefix("blobs/").unwrap_or_default();
        if blob == sha256_digest(&image.config) {
            return answer(&image.config, "application/octet-stream", how("config"));
        }
        if blob == sha256_digest(&image.layer) {
            return answer(&image.layer, "application/octet-stream", how("layer"));
        }
        Reply::json(404, r#"{"errors":[{"code":"NOT_FOUND"}]}"#)
    })
}

/// GETs whose path contains `part`.
fn gets(server: &HostileServer, part: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r: &&Recorded| r.method == "GET" && r.path.contains(part))
        .count()
}

#[test]
fn a_trickling_or_stalled_registry_ends_inspect_files_and_pull_with_a_clear_error() {
    let image = Arc::new(Image::new("slow"));
    let layer = sha256_digest(&image.layer);
    let config = sha256_digest(&image.config);
    let env = TestEnv::new();
    let settings = short_limits(&env);
    for how in ["trickle", "stall"] {
        // (command, what misbehaves, the path that must have been asked for once)
        let cases: [(&str, &str, &str); 5] = [
            ("inspect", "manifest", "/manifests/"),
            ("inspect", "config", &config),
            ("files", "layer", &layer),
            ("pull", "manifest", "/manifests/"),
            ("pull", "layer", &layer),
        ];
        for (command, on, path) in cases {
            let server = slow_registry(image.clone());
            let reference = format!("{}/{how}-{on}:1", server.url());
            let dest = env.root().join(format!("pulled-{how}-{on}"));
            let mut cmd = env.berth();
            cmd.arg("--settings").arg(&settings).arg(command);
            if command == "pull" {
                cmd.arg("--to").arg(format!("oci:{}", dest.display()));
            }
            cmd.arg(&reference);
            let out = run_bounded(cmd, &format!("berth {command} {reference}"));
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{command} {reference} succeeded");
            assert!(
                err.to_lowercase()
                    .contains("the registry stopped sending data"),
                "{command} {reference}: {err}"
            );
            assert!(
                err.lines().count() == 1,
                "{command} {reference}: one line: {err}"
            );
            // One bounded wait, not one per retry.
            assert_eq!(
                gets(&server, path),
                1,
                "{command} {reference}: {:#?}",
                server.requests()
            );
        }
    }
}

#[test]
fn the_stall_error_is_said_in_korean_too() {
    let server = slow_registry(Arc::new(Image::new("ko")));
    let env = TestEnv::new();
    let settings = short_limits(&env);
    let mut cmd = env.berth();
    cmd.arg("--settings").arg(&settings).args([
        "--lang",
        "ko",
        "inspect",
        &format!("{}/stall-config:1", server.url()),
    ]);
    let out = run_bounded(cmd, "berth inspect (ko)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("데이터 전송을 멈췄습니다"), "{err}");
}

/// An index: `entries` of (media type, digest, size, platform).
fn index(entries: &[(&str, String, usize, Option<&str>)]) -> Vec<u8> {
    let list: Vec<String> = entries
        .iter()
        .map(|(mt, digest, size, platform)| {
            let platform = platform.map_or_else(String::new, |p| {
                let (os, arch) = p.split_once('/').expect("os/arch");
                format!(r#","platform":{{"os":"{os}","architecture":"{arch}"}}"#)
            });
            format!(r#"{{"mediaType":"{mt}","digest":"{digest}","size":{size}{platform}}}"#)
        })
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{INDEX}","manifests":[{}]}}"#,
        list.join(",")
    )
    .into_bytes()
}

/// A registry serving these manifests and blobs by digest, and `top` under any tag.
fn content_registry(top: Vec<u8>, manifests: Vec<Vec<u8>>, blobs: Vec<Vec<u8>>) -> HostileServer {
    HostileServer::start(move |r| {
        let Some(reference) = r.path.split("/manifests/").nth(1) else {
            let digest = r.path.split("/blobs/").nth(1).unwrap_or_default();
            return match blobs.iter().find(|b| sha256_digest(b) == digest) {
                Some(b) => answer(b, "application/octet-stream", None),
                None if r.path == "/v2/" => Reply::json(200, "{}"),
                None => Reply::json(404, r#"{"errors":[{"code":"NOT_FOUND"}]}"#),
            };
        };
        let found = if reference.starts_with("sha256:") {
            manifests
                .iter()
                .chain(std::iter::once(&top))
                .find(|m| sha256_digest(m) == reference)
        } else {
            Some(&top)
        };
        match found {
            Some(m) => {
                let mt = if m.windows(9).any(|w| w == b"manifests") {
                    INDEX
                } else {
                    MANIFEST
                };
                answer(m, mt, None)
            }
            None => Reply::json(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#),
        }
    })
}

fn pull_all(server: &HostileServer, dest: &Path) -> Output {
    let mut cmd = TestEnv::new().berth();
    cmd.args([
        "pull",
        "--all-platforms",
        "--to",
        &format!("oci:{}", dest.display()),
        &format!("{}/bomb:1", server.url()),
    ]);
    run_bounded(cmd, "berth pull --all-platforms")
}

#[test]
fn an_index_naming_one_child_thousands_of_times_costs_one_request_per_manifest() {
    // Three levels, each naming the one below 100 times: a million paths to one image.
    let image = Image::new("bomb");
    let leaf = &image.manifest;
    let level = |child: &[u8], mt: &str| {
        let entries: Vec<_> = (0..100)
            .map(|_| (mt, sha256_digest(child), child.len(), Some("linux/amd64")))
            .collect();
        index(&entries)
    };
    let i2 = level(leaf, MANIFEST);
    let i1 = level(&i2, INDEX);
    let top = level(&i1, INDEX);
    let server = content_registry(
        top.clone(),
        vec![i1.clone(), i2.clone(), leaf.clone()],
        vec![image.config.clone(), image.layer.clone()],
    );
    let dest = crate::support::process::scratch_dir("bomb-");
    let out = pull_all(&server, &dest);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for m in [&i1, &i2, leaf] {
        let digest = sha256_digest(m);
        assert_eq!(
            gets(&server, &digest),
            1,
            "{digest} fetched once: {:#?}",
            server.requests()
        );
    }
    assert_eq!(gets(&server, &sha256_digest(&image.layer)), 1);
    let _ = std::fs::remove_dir_all(dest);
}

#[test]
fn indexes_nested_too_deep_end_with_a_clear_error() {
    // Twelve indexes, each holding the next: deeper than any real image.
    let image = Image::new("deep");
    let mut chain = vec![image.manifest.clone()];
    for _ in 0..12 {
        let child = chain.last().expect("child");
        let mt = if chain.len() == 1 { MANIFEST } else { INDEX };
        let next = index(&[(mt, sha256_digest(child), child.len(), None)]);
        chain.push(next);
    }
    let top = chain.pop().expect("top");
    let server = content_registry(top, chain.clone(), vec![image.config, image.layer]);
    let dest = crate::support::process::scratch_dir("deep-");
    let out = pull_all(&server, &dest);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("nests indexes more than 8 levels deep"),
        "{err}"
    );
    // Nothing past the bound was asked for.
    assert_eq!(gets(&server, &sha256_digest(&chain[0])), 0, "{err}");
    let _ = std::fs::remove_dir_all(dest);
}

#[test]
fn an_index_in_an_index_is_named_for_what_it_is() {
    let image = Image::new("nested");
    let inner = index(&[(
        MANIFEST,
        sha256_digest(&image.manifest),
        image.manifest.len(),
        Some("linux/amd64"),
    )]);
    let top = index(&[(
        INDEX,
        sha256_digest(&inner),
        inner.len(),
        Some("linux/amd64"),
    )]);
    let empty = index(&[]);
    for (top, nested) in [(top, true), (empty, false)] {
        let server = content_registry(top, vec![inner.clone()], Vec::new());
        let out = TestEnv::new()
            .berth()
            .args([
                "inspect",
                "--platform",
                "linux/amd64",
                &format!("{}/x:1", server.url()),
            ])
            .output()
            .expect("run berth");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(!err.contains("Available: linux/amd64"), "{err}");
        assert!(!err.contains("Available: ."), "{err}");
        if nested {
            assert!(err.contains("nested indexes (linux/amd64)"), "{err}");
        } else {
            assert!(err.contains("lists no image for any platform"), "{err}");
        }
    }
}

#[test]
fn a_next_page_link_that_is_no_url_is_reported_once() {
    let server = HostileServer::start(|r| {
        if r.path == "/v2/" {
            return Reply::json(200, "{}");
        }
        Reply::json(200, r#"{"name":"x","tags":["a"]}"#)
            .with_header("Link", r#"<http://[::1/v2/x/tags/list?last=a>; rel="next""#)
    });
    let out = TestEnv::new()
        .berth()
        .args(["tags", &format!("{}/x", server.url())])
        .output()
        .expect("run berth");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("not a valid URL"), "{err}");
    assert!(!err.contains("builder error"), "{err}");
    assert_eq!(gets(&server, "/tags/list"), 1, "no retry");
}

#[test]
fn a_plain_http_registry_needs_no_ca_certificates() {
    let image = Arc::new(Image::new("noca"));
    let server = slow_registry(image);
    let env = TestEnv::new();
    let empty = env.root().join("no-certs");
    std::fs::create_dir_all(&empty).expect("empty dir");
    let berth = || {
        let mut cmd = env.berth();
        cmd.env("SSL_CERT_FILE", &empty).env("SSL_CERT_DIR", &empty);
        cmd
    };
    let out = berth()
        .args(["inspect", &format!("{}/ok:1", server.url())])
        .output()
        .expect("run berth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = berth()
        .args(["inspect", &format!("https://{}/ok:1", server.host())])
        .output()
        .expect("run berth");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("No CA certificates were found"), "{err}");
    assert!(!err.contains("builder error"), "{err}");
}

#[test]
fn a_verification_error_says_its_text_once() {
    let image = Image::new("bad");
    let mut layer = image.layer.clone();
    layer[0] ^= 1;
    let server = HostileServer::start(move |r| {
        if r.path.contains("/manifests/") {
            return answer(&image.manifest, MANIFEST, None);
        }
        if r.path.contains(&sha256_digest(&image.config)) {
            return answer(&image.config, "application/octet-stream", None);
        }
        if r.path.contains("/blobs/") {
            return answer(&layer, "application/octet-stream", None);
        }
        Reply::json(200, "{}")
    });
    let dest = crate::support::process::scratch_dir("damaged-");
    for json in [false, true] {
        let mut cmd = TestEnv::new().berth();
        if json {
            cmd.arg("--json");
        }
        cmd.args(["pull", "--to", &format!("oci:{}", dest.display())]);
        cmd.arg(format!("{}/x:1", server.url()));
        let out = run_bounded(cmd, "berth pull of a damaged layer");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last = stdout.lines().last().unwrap_or_default();
        for text in [&*err, last] {
            assert_eq!(
                text.matches("expected digest").count(),
                usize::from(json || text == &*err),
                "json {json}: {text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dest);
}
