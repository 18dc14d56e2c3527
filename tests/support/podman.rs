//! A private Podman engine for tests: `podman system service` on a unix socket, with its
//! storage (vfs), run root, tmp dir and events log in a scratch directory, cgroupfs (no
//! systemd), and a `registries.conf` that marks the test registries insecure (plain HTTP).
//!
//! The socket sits at `XDG_RUNTIME_DIR/podman/podman.sock` of the [`TestEnv`] it is started
//! in, which is where Berth's engine discovery looks for rootless Podman, so a `berth`
//! child in that environment finds it with no settings. The service is stopped (and its
//! directory removed) on drop, or by the harness watchdog if the test process dies.
//!
//! Needs `apt-get install podman uidmap` (Debian 12; root).

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use super::{TestEnv, process};

/// The Docker-compatible API version the tests speak to Podman 4.x.
pub const API: &str = "v1.41";

pub struct Podman {
    child: Child,
    dir: PathBuf,
    socket: PathBuf,
    vars: Vec<(String, String)>,
}

impl Podman {
    /// Starts the service in `env`, trusting `insecure` registries (`HOST:PORT`) over HTTP.
    pub fn start(env: &TestEnv, insecure: &[String]) -> Podman {
        let dir = process::scratch_dir("podman-");
        for d in ["root", "runroot", "tmp"] {
            std::fs::create_dir_all(dir.join(d)).expect("create podman dir");
        }
        let mut registries = String::from("unqualified-search-registries = []\n");
        for r in insecure {
            let _ = write!(
                registries,
                "[[registry]]
location = \"{r}\"
insecure = true
"
            );
        }
        std::fs::write(dir.join("registries.conf"), registries).expect("registries.conf");
        std::fs::write(
            dir.join("storage.conf"),
            format!(
                "[storage]\ndriver = \"vfs\"\nrunroot = \"{}\"\ngraphroot = \"{}\"\n",
                dir.join("runroot").display(),
                dir.join("root").display()
            ),
        )
        .expect("storage.conf");
        std::fs::write(
            dir.join("containers.conf"),
            format!(
                "[containers]\n[engine]\ncgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n\
                 events_logfile_path = \"{}\"\ntmp_dir = \"{}\"\n",
                dir.join("events.log").display(),
                dir.join("tmp").display()
            ),
        )
        .expect("containers.conf");
        let mut vars = env.vars();
        for (k, f) in [
            ("CONTAINERS_REGISTRIES_CONF", "registries.conf"),
            ("CONTAINERS_STORAGE_CONF", "storage.conf"),
            ("CONTAINERS_CONF", "containers.conf"),
        ] {
            vars.push((k.to_owned(), dir.join(f).display().to_string()));
        }
        let socket = env.runtime_dir().join("podman/podman.sock");
        std::fs::create_dir_all(socket.parent().expect("socket dir")).expect("socket dir");
        let _ = std::fs::remove_file(&socket);
        let log = std::fs::File::create(dir.join("service.log")).expect("service.log");
        let mut cmd = env.command("podman");
        cmd.envs(vars.iter().cloned())
            .args(["--log-level=info", "system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        let mut child = cmd
            .spawn()
            .expect("start podman (apt-get install podman uidmap)");
        process::watch(Some(child.id()), Some(&dir));
        let ready = process::wait_until(Duration::from_secs(30), || {
            matches!(child.try_wait(), Ok(Some(_)))
                || (socket.exists()
                    && raw_request(&socket, "GET", "/_ping", None).is_ok_and(|(s, _)| s == 200))
        });
        if !ready || !matches!(child.try_wait(), Ok(None)) {
            let log = std::fs::read_to_string(dir.join("service.log")).unwrap_or_default();
            let _ = child.kill();
            panic!("podman system service did not start:\n{log}");
        }
        Podman {
            child,
            dir,
            socket,
            vars,
        }
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// `unix:///…/podman.sock`, for `DOCKER_HOST`, settings or `EngineStore::connect_to`.
    pub fn address(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// The service's environment (the test env plus the three containers config files).
    pub fn vars(&self) -> &[(String, String)] {
        &self.vars
    }

    /// A Docker-API request; returns the status and the body.
    pub fn api(&self, method: &str, path: &str, body: Option<&[u8]>) -> (u16, Vec<u8>) {
        raw_request(&self.socket, method, &format!("/{API}{path}"), body)
            .unwrap_or_else(|e| panic!("podman API {method} {path}: {e}"))
    }

    /// A GET that must answer 200 with JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.api("GET", path, None);
        assert_eq!(
            status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).expect("JSON from podman")
    }

    /// Pulls `image` (`host:port/repo:tag`) through the API. Podman answers 200 even when the
    /// pull fails and puts the error in the stream, so the stream is checked.
    pub fn pull(&self, image: &str) {
        let (repo, tag) = image.rsplit_once(':').expect("image with a tag");
        let (status, body) = self.api(
            "POST",
            &format!("/images/create?fromImage={repo}&tag={tag}"),
            None,
        );
        let text = String::from_utf8_lossy(&body);
        assert_eq!(status, 200, "pull {image}: {text}");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            assert!(
                v.get("error").is_none() && v.get("errorDetail").is_none(),
                "pull {image}: {line}"
            );
        }
    }

    /// The podman CLI against this service (`podman --url … ARGS`).
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new("podman")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(self.vars.iter().cloned())
            .arg("--url")
            .arg(self.address())
            .args(args)
            .output()
            .expect("run podman")
    }

    /// Creates (does not start) a container from `image`; returns its ID.
    pub fn create_container(&self, name: &str, image: &str) -> String {
        let out = self.cli(&["create", "--name", name, image, "true"]);
        assert!(
            out.status.success(),
            "podman create: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Every `RepoTag` the engine lists, sorted.
    pub fn repo_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .get_json("/images/json")
            .as_array()
            .expect("image list")
            .iter()
            .flat_map(|i| i["RepoTags"].as_array().cloned().unwrap_or_default())
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        tags.sort();
        tags
    }

    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // SIGTERM lets podman remove its socket and release its storage lock.
            let _ = Command::new("kill")
                .arg(self.child.id().to_string())
                .status();
            let stopped = process::wait_until(Duration::from_secs(10), || {
                matches!(self.child.try_wait(), Ok(Some(_)))
            });
            if !stopped {
                let _ = self.child.kill();
            }
        }
        let _ = self.child.wait();
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One HTTP/1.0 request over the unix socket (no chunked answers, the server closes).
fn raw_request(
    socket: &Path,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = UnixStream::connect(socket)?;
    s.set_read_timeout(Some(Duration::from_mins(5)))?;
    let body = body.unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut all = Vec::new();
    s.read_to_end(&mut all)?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no HTTP header end"))?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line: {head}")))?;
    Ok((status, all[split + 4..].to_vec()))
}
