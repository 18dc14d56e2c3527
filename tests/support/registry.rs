//! A real registry for tests: Debian's `docker-registry` (CNCF distribution 2.8) on
//! 127.0.0.1 at a free port, with its config, logs and (usually) storage in a private
//! directory, in one of the auth modes of [`Auth`].
//!
//! A [`TestRegistry`] stops its process on `Drop`. Shared instances live in statics, which
//! are never dropped, so every registry also gets a watchdog (see `process::watch`) that
//! kills it by PID once the test process is gone.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::http::{self, HttpResponse, Pusher};
use super::token_server::{self, TokenServer, TokenServerOptions};
use super::{PASS, USER, process};

/// How clients must authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// No auth at all.
    Anonymous,
    /// htpasswd (bcrypt) Basic auth with [`USER`]/[`PASS`].
    Basic,
    /// Bearer tokens from our token server, which wants [`USER`]/[`PASS`].
    Token,
    /// Bearer tokens from our token server, which also grants anonymous callers any scope.
    TokenAnonymous,
}

/// How a registry is started.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    pub auth: Auth,
    /// `storage.delete.enabled`.
    pub delete_enabled: bool,
    /// `storage.maintenance.readonly.enabled`: every write answers 405.
    pub read_only: bool,
    /// For `Auth::Token*`: the token server's options (the anonymous flag follows `auth`).
    pub token: TokenServerOptions,
    /// Serve HTTPS with this certificate and key (PEM files) instead of plain HTTP.
    pub tls: Option<(PathBuf, PathBuf)>,
}

impl RegistryOptions {
    pub fn new(auth: Auth) -> Self {
        RegistryOptions {
            auth,
            delete_enabled: true,
            read_only: false,
            token: TokenServerOptions::default(),
            tls: None,
        }
    }
}

pub struct TestRegistry {
    child: Child,
    port: u16,
    auth: Auth,
    run_dir: PathBuf,
    storage: PathBuf,
    token: Option<TokenServer>,
    /// Remove `run_dir` on drop (private instances only).
    owns_run_dir: bool,
}

impl TestRegistry {
    /// Starts a registry serving `storage`; config and logs go to `run_dir`.
    pub fn start(storage: &Path, run_dir: &Path, opts: &RegistryOptions) -> Self {
        std::fs::create_dir_all(run_dir).expect("create registry run dir");
        std::fs::create_dir_all(storage).expect("create registry storage");
        let token = match opts.auth {
            Auth::Token | Auth::TokenAnonymous => Some(TokenServer::start(TokenServerOptions {
                allow_anonymous: opts.auth == Auth::TokenAnonymous,
                ..opts.token.clone()
            })),
            Auth::Anonymous | Auth::Basic => None,
        };
        let auth_yaml = auth_yaml(opts.auth, run_dir, token.as_ref());
        let mut last_err = String::new();
        // A free port can be taken between probing and binding: try a few.
        for _ in 0..5 {
            let port = process::free_port();
            let config = run_dir.join("config.yml");
            std::fs::write(&config, config_yaml(port, storage, opts, &auth_yaml))
                .expect("write registry config");
            let out = std::fs::File::create(run_dir.join("access.log")).expect("access.log");
            let err = std::fs::File::create(run_dir.join("registry.log")).expect("registry.log");
            let mut child = Command::new("docker-registry")
                .arg("serve")
                .arg(&config)
                .stdin(Stdio::null())
                // distribution writes the access log to stdout and its own log to stderr
                .stdout(out)
                .stderr(err)
                .spawn()
                .expect("start docker-registry (apt-get install docker-registry)");
            process::watch(Some(child.id()), None);
            let url = format!("http://127.0.0.1:{port}/v2/");
            let ready = process::wait_until(Duration::from_secs(20), || {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return true;
                }
                if opts.tls.is_some() {
                    // The harness's HTTP client speaks no TLS; an open port will do.
                    return std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
                }
                http::try_request("GET", &url, &[], None)
                    .is_ok_and(|r| r.status == 200 || r.status == 401)
            });
            if ready && matches!(child.try_wait(), Ok(None)) {
                return TestRegistry {
                    child,
                    port,
                    auth: opts.auth,
                    run_dir: run_dir.to_owned(),
                    storage: storage.to_owned(),
                    token,
                    owns_run_dir: false,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            last_err = std::fs::read_to_string(run_dir.join("registry.log")).unwrap_or_default();
        }
        panic!("docker-registry did not start; last log:\n{last_err}");
    }

    /// Marks `run_dir` (and the storage, if inside it) for removal on drop.
    pub fn owning_run_dir(mut self) -> Self {
        self.owns_run_dir = true;
        self
    }

    /// `127.0.0.1:PORT`
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
    pub fn auth(&self) -> Auth {
        self.auth
    }
    /// The storage root (`rootdirectory`); blobs are under `docker/registry/v2/blobs`.
    pub fn storage_dir(&self) -> &Path {
        &self.storage
    }
    /// Where a blob's bytes live in storage (to corrupt it on purpose, in a private instance).
    pub fn blob_data_path(&self, digest: &str) -> PathBuf {
        let hex = digest.trim_start_matches("sha256:");
        self.storage
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }
    /// config.yml, access.log, registry.log (and htpasswd) live here.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }
    pub fn config_path(&self) -> PathBuf {
        self.run_dir.join("config.yml")
    }
    /// The access log so far (Combined Log Format, one request a line).
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.run_dir.join("access.log")).unwrap_or_default()
    }
    /// The registry's own log so far.
    pub fn registry_log(&self) -> String {
        std::fs::read_to_string(self.run_dir.join("registry.log")).unwrap_or_default()
    }
    /// `(USER, PASS)` unless the registry is anonymous.
    pub fn credentials(&self) -> Option<(&'static str, &'static str)> {
        match self.auth {
            Auth::Anonymous => None,
            Auth::Basic | Auth::Token | Auth::TokenAnonymous => Some((USER, PASS)),
        }
    }
    pub fn token_server(&self) -> Option<&TokenServer> {
        self.token.as_ref()
    }
    /// `["--creds", "USER:PASS"]` for skopeo, or nothing for an anonymous registry.
    pub fn skopeo_creds(&self) -> Vec<String> {
        match self.credentials() {
            Some((u, p)) => vec!["--creds".into(), format!("{u}:{p}")],
            None => vec![],
        }
    }
    /// `HOST:PORT/NAME` (NAME is `repo:tag` or `repo@digest`).
    pub fn image(&self, name: &str) -> String {
        format!("{}/{name}", self.host())
    }
    /// `docker://HOST:PORT/NAME`, for skopeo.
    pub fn docker_ref(&self, name: &str) -> String {
        format!("docker://{}/{name}", self.host())
    }
    /// A pusher with this registry's credentials (not for token mode).
    pub fn pusher(&self) -> Pusher {
        assert!(
            matches!(self.auth, Auth::Anonymous | Auth::Basic),
            "Pusher speaks Basic auth only; use an anonymous or Basic registry"
        );
        Pusher::new(&self.url(), self.credentials())
    }

    /// An authenticated GET of `path` (`/v2/...`), in any auth mode. For token mode it
    /// follows the challenge and asks the token server for exactly the challenged scope
    /// (which the token server records).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
        self.send("GET", path, headers)
    }

    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
        let url = format!("{}{path}", self.url());
        let mut h: Vec<(&str, &str)> = headers.to_vec();
        let basic = self.credentials().map(|(u, p)| http::basic_auth(u, p));
        if self.auth == Auth::Basic {
            h.push(("Authorization", basic.as_deref().expect("basic creds")));
        }
        let first = http::request(method, &url, &h, None);
        if first.status != 401 || !matches!(self.auth, Auth::Token | Auth::TokenAnonymous) {
            return first;
        }
        let challenge = first
            .header("www-authenticate")
            .expect("Bearer challenge")
            .to_owned();
        let token = Self::fetch_token(&challenge, basic.as_deref());
        let bearer = format!("Bearer {token}");
        h.push(("Authorization", &bearer));
        http::request(method, &url, &h, None)
    }

    fn fetch_token(challenge: &str, basic: Option<&str>) -> String {
        let param = |k: &str| {
            let start = challenge.find(&format!("{k}=\""))? + k.len() + 2;
            let end = challenge[start..].find('"')? + start;
            Some(challenge[start..end].to_owned())
        };
        let realm = param("realm").expect("realm in challenge");
        let mut url = format!("{realm}?service={}", param("service").unwrap_or_default());
        if let Some(scope) = param("scope") {
            url = format!("{url}&scope={}", scope.replace(' ', "%20"));
        }
        let h: Vec<(&str, &str)> = basic
            .map(|b| vec![("Authorization", b)])
            .unwrap_or_default();
        let r = http::request("GET", &url, &h, None);
        assert_eq!(r.status, 200, "token request failed: {}", r.text());
        r.json()["token"].as_str().expect("token").to_owned()
    }

    /// Stops the registry now (SIGKILL; nothing is in flight between test steps).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        self.stop();
        if self.owns_run_dir {
            let _ = std::fs::remove_dir_all(&self.run_dir);
        }
    }
}

fn yaml_str(p: &Path) -> String {
    serde_json::to_string(&p.display().to_string()).expect("yaml string")
}

fn auth_yaml(auth: Auth, run_dir: &Path, token: Option<&TokenServer>) -> String {
    match auth {
        Auth::Anonymous => String::new(),
        Auth::Basic => {
            let file = run_dir.join("htpasswd");
            // -B: bcrypt, the only hash distribution accepts
            let out = Command::new("htpasswd")
                .arg("-Bbc")
                .arg(&file)
                .args([USER, PASS])
                .output()
                .expect("run htpasswd (apt-get install apache2-utils)");
            assert!(
                out.status.success(),
                "htpasswd: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            format!(
                "auth:\n  htpasswd:\n    realm: berth-basic-realm\n    path: {}\n",
                yaml_str(&file)
            )
        }
        Auth::Token | Auth::TokenAnonymous => {
            let t = token.expect("token server");
            format!(
                "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
                t.realm(),
                token_server::SERVICE,
                token_server::ISSUER,
                yaml_str(t.cert_path())
            )
        }
    }
}

fn config_yaml(port: u16, storage: &Path, opts: &RegistryOptions, auth_yaml: &str) -> String {
    format!(
        "version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: {storage}
  delete:
    enabled: {delete}
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: {read_only}
http:
  addr: 127.0.0.1:{port}
  secret: berth-test-secret
  headers:
    X-Content-Type-Options: [nosniff]
{tls_yaml}{auth_yaml}",
        tls_yaml = opts
            .tls
            .as_ref()
            .map_or_else(String::new, |(cert, key)| format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                yaml_str(cert),
                yaml_str(key)
            )),
        storage = yaml_str(storage),
        delete = opts.delete_enabled,
        read_only = opts.read_only,
    )
}
