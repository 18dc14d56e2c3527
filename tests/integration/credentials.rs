//! Credential sources, which one wins, and login/logout, all through the CLI as a child
//! process with a private HOME, `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE` and `XDG_RUNTIME_DIR`.

use crate::support::{self, Auth, TestEnv};
use base64::Engine as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fake `docker-credential-test` helper that keeps credentials as files next to itself,
/// speaking the helper protocol (`get`, `store`, `erase` on stdin).
fn install_test_helper(env: &TestEnv) -> PathBuf {
    let bin = env.root().join("bin");
    std::fs::create_dir_all(bin.join("store")).expect("helper dir");
    let script = r#"#!/bin/sh
dir=$(dirname "$0")/store
input=$(cat)
key() { printf %s "$1" | tr '/:' '__'; }
case "$1" in
  get)
    f="$dir/$(key "$input")"
    if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  store)
    server=$(printf %s "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
    printf %s "$input" > "$dir/$(key "$server")"
    echo "$server" >> "$dir/log" ;;
  erase)
    f="$dir/$(key "$input")"
    if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  *) exit 2 ;;
esac
"#;
    let path = bin.join("docker-credential-test");
    std::fs::write(&path, script).expect("write helper");
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    bin
}

fn helper_put(bin: &Path, server: &str, user: &str, secret: &str) {
    let key = server.replace(['/', ':'], "_");
    std::fs::write(
        bin.join("store").join(key),
        format!(r#"{{"ServerURL":"{server}","Username":"{user}","Secret":"{secret}"}}"#),
    )
    .expect("seed helper store");
}

fn berth(env: &TestEnv, helper_bin: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd: Command = env.berth();
    if let Some(bin) = helper_bin {
        let path = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{path}", bin.display()));
    }
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn berth");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("berth")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "berth failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn basic_auth(user: &str, pass: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn tags_arg(host: &str) -> String {
    format!("http://{host}/library/alpine")
}

#[test]
fn docker_config_auths_are_used() {
    for auth in [Auth::Basic, Auth::Token] {
        let reg = support::registry(auth);
        let env = TestEnv::new();
        let out = berth(&env, None, &["tags", &tags_arg(&reg.host())], None);
        assert!(!out.status.success(), "no credentials yet must fail");
        write(
            &env.docker_config().join("config.json"),
            &format!(
                r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
                reg.host(),
                basic_auth(support::USER, support::PASS)
            ),
        );
        assert!(ok(&berth(&env, None, &["tags", &tags_arg(&reg.host())], None)).contains("3.19"));
    }
}

#[test]
fn cred_helpers_and_creds_store_are_used() {
    let reg = support::registry(Auth::Basic);
    for key in ["credHelpers", "credsStore"] {
        let env = TestEnv::new();
        let bin = install_test_helper(&env);
        helper_put(&bin, &reg.host(), support::USER, support::PASS);
        let cfg = if key == "credHelpers" {
            format!(r#"{{"credHelpers":{{"{}":"test"}}}}"#, reg.host())
        } else {
            r#"{"credsStore":"test"}"#.to_owned()
        };
        write(&env.docker_config().join("config.json"), &cfg);
        assert!(
            ok(&berth(
                &env,
                Some(&bin),
                &["tags", &tags_arg(&reg.host())],
                None
            ))
            .contains("3.19"),
            "{key}"
        );
    }
}

#[test]
fn podman_auth_json_is_used_from_every_location() {
    let reg = support::registry(Auth::Basic);
    let entry = format!(
        r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
        reg.host(),
        basic_auth(support::USER, support::PASS)
    );
    // $REGISTRY_AUTH_FILE
    let env = TestEnv::new();
    write(&env.auth_file(), &entry);
    assert!(ok(&berth(&env, None, &["tags", &tags_arg(&reg.host())], None)).contains("3.19"));
    // $XDG_RUNTIME_DIR/containers/auth.json and ~/.config/containers/auth.json
    for file in ["run", "home"] {
        let env = TestEnv::new();
        let path = if file == "run" {
            env.runtime_dir().join("containers/auth.json")
        } else {
            env.home().join(".config/containers/auth.json")
        };
        write(&path, &entry);
        let mut cmd = env.berth();
        cmd.env_remove("REGISTRY_AUTH_FILE")
            .args(["tags", &tags_arg(&reg.host())]);
        let out = cmd.output().expect("berth");
        assert!(ok(&out).contains("3.19"), "{file}");
    }
}

#[test]
fn command_line_credentials_win_over_stored_ones() {
    let reg = support::registry(Auth::Basic);
    let env = TestEnv::new();
    write(
        &env.auth_file(),
        &format!(
            r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
            reg.host(),
            basic_auth(support::USER, "stale")
        ),
    );
    assert!(
        !berth(&env, None, &["tags", &tags_arg(&reg.host())], None)
            .status
            .success()
    );
    let out = berth(
        &env,
        None,
        &[
            "tags",
            "--user",
            support::USER,
            "--password-stdin",
            &tags_arg(&reg.host()),
        ],
        Some(&format!("{}\n", support::PASS)),
    );
    assert!(ok(&out).contains("3.19"));
}

#[test]
fn login_checks_then_saves_to_auth_json_and_logout_removes() {
    let reg = support::registry(Auth::Basic);
    let env = TestEnv::new();
    let host = reg.host();
    let plain = format!("http://{host}");
    let bad = berth(
        &env,
        None,
        &["login", "--user", support::USER, "--password-stdin", &plain],
        Some("nope\n"),
    );
    assert!(!bad.status.success());
    assert!(!env.auth_file().exists(), "a failed login saves nothing");

    let out = berth(
        &env,
        None,
        &["login", "--user", support::USER, "--password-stdin", &plain],
        Some(&format!("{}\n", support::PASS)),
    );
    assert!(ok(&out).contains("Login succeeded"));
    let saved = std::fs::read_to_string(env.auth_file()).expect("auth.json written");
    assert!(saved.contains(&host) && saved.contains(&basic_auth(support::USER, support::PASS)));
    assert!(ok(&berth(&env, None, &["tags", &tags_arg(&host)], None)).contains("3.19"));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(env.auth_file())
            .expect("meta")
            .permissions(),
    );
    assert_eq!(mode & 0o077, 0, "auth.json is private");

    ok(&berth(&env, None, &["logout", &plain], None));
    assert!(
        !std::fs::read_to_string(env.auth_file())
            .expect("auth.json")
            .contains(&host)
    );
    assert!(
        !berth(&env, None, &["tags", &tags_arg(&host)], None)
            .status
            .success()
    );
    assert!(
        !berth(&env, None, &["logout", &plain], None)
            .status
            .success(),
        "second logout: not logged in"
    );
}

#[test]
fn login_goes_through_the_configured_helper() {
    let reg = support::registry(Auth::Token);
    let env = TestEnv::new();
    let bin = install_test_helper(&env);
    write(
        &env.docker_config().join("config.json"),
        r#"{"credsStore":"test"}"#,
    );
    let plain = format!("http://{}", reg.host());
    let out = berth(
        &env,
        Some(&bin),
        &["login", "--user", support::USER, "--password-stdin", &plain],
        Some(&format!("{}\n", support::PASS)),
    );
    assert!(ok(&out).contains("docker-credential-test"));
    assert!(
        !env.auth_file().exists(),
        "nothing in auth.json when a helper is configured"
    );
    let log = std::fs::read_to_string(bin.join("store/log")).expect("helper saw a store");
    assert!(log.contains(&reg.host()));
    assert!(
        ok(&berth(
            &env,
            Some(&bin),
            &["tags", &tags_arg(&reg.host())],
            None
        ))
        .contains("3.19")
    );
    ok(&berth(&env, Some(&bin), &["logout", &plain], None));
    assert!(
        !berth(&env, Some(&bin), &["tags", &tags_arg(&reg.host())], None)
            .status
            .success()
    );
}

#[test]
fn identity_token_is_exchanged_by_oauth2_refresh() {
    let reg = support::fresh_registry(support::FreshOptions::new(Auth::Token));
    let env = TestEnv::new();
    write(
        &env.docker_config().join("config.json"),
        &format!(
            r#"{{"auths":{{"{}":{{"identitytoken":"{}"}}}}}}"#,
            reg.host(),
            support::token_server::REFRESH_TOKEN
        ),
    );
    assert!(ok(&berth(&env, None, &["tags", &tags_arg(&reg.host())], None)).contains("3.19"));
    let requests = reg.token_server().expect("token server").requests();
    assert!(
        requests.iter().any(|r| r.method == "POST" && r.granted),
        "{requests:?}"
    );
}
