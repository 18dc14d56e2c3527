//! An isolated environment for every child process a test runs (berth, skopeo, podman):
//! temporary `HOME`, `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`, `XDG_*` directories and
//! `LANG=C.UTF-8`, so no test reads or writes the user's credentials or settings.
//!
//! Tests never call `std::env::set_var` (unsafe in edition 2024, and racy across threads);
//! they apply a [`TestEnv`] to each `Command` instead.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::process;

/// Variables that would leak the outer environment into a child: removed.
const REMOVED: &[&str] = &[
    "LC_ALL",
    "LC_MESSAGES",
    "LANGUAGE",
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
    "DOCKER_AUTH_CONFIG",
    "CONTAINER_HOST",
    "CONTAINERS_REGISTRIES_CONF",
    "CONTAINERS_CONF",
    "BERTH_LANG",
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "all_proxy",
];

/// A set of private directories standing in for the user's home and config locations.
pub struct TestEnv {
    root: PathBuf,
    remove_on_drop: bool,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// A fresh environment under the process scratch directory; removed on drop.
    pub fn new() -> Self {
        let mut env = Self::at(process::scratch_dir("env-"));
        env.remove_on_drop = true;
        env
    }

    fn at(root: PathBuf) -> Self {
        let env = TestEnv {
            root,
            remove_on_drop: false,
        };
        for d in [
            env.home(),
            env.docker_config(),
            env.config_home(),
            env.data_home(),
            env.cache_home(),
            env.runtime_dir(),
        ] {
            std::fs::create_dir_all(d).expect("create env dir");
        }
        // podman and others insist that the runtime dir is private
        std::fs::set_permissions(env.runtime_dir(), std::fs::Permissions::from_mode(0o700))
            .expect("chmod runtime dir");
        env
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }
    /// `$DOCKER_CONFIG` (holds `config.json`).
    pub fn docker_config(&self) -> PathBuf {
        self.root.join("home/.docker")
    }
    /// `$REGISTRY_AUTH_FILE` (podman's `auth.json`; not created).
    pub fn auth_file(&self) -> PathBuf {
        self.root.join("home/.config/containers/auth.json")
    }
    pub fn config_home(&self) -> PathBuf {
        self.root.join("home/.config")
    }
    pub fn data_home(&self) -> PathBuf {
        self.root.join("home/.local/share")
    }
    pub fn cache_home(&self) -> PathBuf {
        self.root.join("home/.cache")
    }
    pub fn runtime_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    /// The variables this environment sets.
    pub fn vars(&self) -> Vec<(String, String)> {
        let s = |p: PathBuf| p.display().to_string();
        vec![
            ("HOME".into(), s(self.home())),
            ("DOCKER_CONFIG".into(), s(self.docker_config())),
            ("REGISTRY_AUTH_FILE".into(), s(self.auth_file())),
            ("XDG_RUNTIME_DIR".into(), s(self.runtime_dir())),
            ("XDG_CONFIG_HOME".into(), s(self.config_home())),
            ("XDG_DATA_HOME".into(), s(self.data_home())),
            ("XDG_CACHE_HOME".into(), s(self.cache_home())),
            ("LANG".into(), "C.UTF-8".into()),
        ]
    }

    /// Applies the environment to `cmd` (and removes variables that would leak in).
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for k in REMOVED {
            cmd.env_remove(k);
        }
        cmd.envs(self.vars())
    }

    /// `program` with this environment applied.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        self.apply(&mut cmd);
        cmd
    }

    /// The built `berth` binary with this environment applied.
    pub fn berth(&self) -> Command {
        self.command(env!("CARGO_BIN_EXE_berth"))
    }

    /// Runs skopeo (see [`skopeo_output`]) and returns its stdout; panics with stderr on failure.
    pub fn skopeo(&self, args: &[&str]) -> String {
        let out = self.skopeo_output(args);
        assert!(
            out.status.success(),
            "skopeo {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("skopeo output is UTF-8")
    }

    /// Runs skopeo with TLS verification off for the registry side of `inspect`, `copy`,
    /// `list-tags` and `delete` (test registries speak plain HTTP on loopback).
    pub fn skopeo_output(&self, args: &[&str]) -> Output {
        let mut cmd = self.command("skopeo");
        let (sub, rest) = args.split_first().expect("skopeo subcommand");
        cmd.arg(sub);
        match *sub {
            "copy" | "sync" => {
                cmd.args(["--src-tls-verify=false", "--dest-tls-verify=false"]);
            }
            "inspect" | "list-tags" | "delete" | "login" | "logout" => {
                cmd.arg("--tls-verify=false");
            }
            _ => {}
        }
        cmd.args(rest)
            .output()
            .expect("run skopeo (apt-get install skopeo)")
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// One environment shared by the whole test process, for tests that need no private one.
pub fn shared_env() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| TestEnv::at(process::scratch_dir("shared-env-")))
}

/// The shared environment's variables.
pub fn isolated_env() -> Vec<(String, String)> {
    shared_env().vars()
}

/// The built `berth` binary in the shared isolated environment.
pub fn berth_cmd() -> Command {
    shared_env().berth()
}

/// Runs `cmd` (a berth command with its arguments) with its stdout a pipe whose reader is
/// already closed, as `berth … | head` does, and asserts it ends with success and nothing
/// on stderr (no panic, no broken-pipe message). `what` names it in the failure.
pub fn assert_quiet_into_closed_pipe(mut cmd: Command, what: &str) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = cmd.stdout(writer).output().expect("run berth");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "berth {what}: {:?}, stderr: {stderr}",
        out.status
    );
}

/// Runs `berth ARGS` in the shared environment, which must fail; returns its stderr (and the
/// whole output, for what else it printed).
pub fn berth_failing(args: &[&str]) -> (String, std::process::Output) {
    let out = berth_cmd().args(args).output().expect("run berth");
    assert!(!out.status.success(), "berth {args:?} succeeded");
    (String::from_utf8_lossy(&out.stderr).into_owned(), out)
}

/// skopeo in the shared isolated environment; returns stdout, panics on failure.
pub fn skopeo(args: &[&str]) -> String {
    shared_env().skopeo(args)
}
