//! Our own Docker-registry token server (Bearer auth), in process, on a thread per
//! connection.
//!
//! It signs RS256 JWTs with a key made by the `openssl` CLI, and the registry trusts the
//! matching certificate through `auth.token.rootcertbundle` (the JWT header carries it in
//! `x5c`). It grants exactly the scopes asked for, checks Basic credentials (or lets anonymous
//! callers in when told to), and records every request so that tests can check which scopes a
//! client asked for and whether it sent credentials.

use std::io::{BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::json;

use super::{PASS, USER, process, wire};

/// `auth.token.service` and the `aud` of every token.
/// The one refresh token (`identitytoken`) the token server accepts, for USER.
pub const REFRESH_TOKEN: &str = "berth-refresh-9Zk";
pub const SERVICE: &str = "berth-registry";
/// `auth.token.issuer` and the `iss` of every token.
pub const ISSUER: &str = "berth-token-issuer";

#[derive(Clone, Debug)]
pub struct TokenServerOptions {
    pub user: String,
    pub pass: String,
    /// Grant tokens to callers without credentials (as public registries do for pulls).
    pub allow_anonymous: bool,
    /// `expires_in` and the JWT lifetime.
    pub ttl: Duration,
}

impl Default for TokenServerOptions {
    fn default() -> Self {
        TokenServerOptions {
            user: USER.into(),
            pass: PASS.into(),
            allow_anonymous: false,
            ttl: Duration::from_mins(5),
        }
    }
}

/// One request the token server saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    /// `GET`, or `POST` for the `OAuth2` form flow.
    pub method: String,
    /// Every `scope` value, split on spaces, in the order sent.
    pub scopes: Vec<String>,
    /// The user name from Basic credentials (or the form), right or wrong; `None` if anonymous.
    pub user: Option<String>,
    pub service: Option<String>,
    /// Whether a token was issued (false: 401).
    pub granted: bool,
}

pub struct TokenServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
}

struct State {
    opts: TokenServerOptions,
    jwt_header: String,
    key: PathBuf,
    cert: PathBuf,
    log: Mutex<Vec<TokenRequest>>,
}

/// One RSA key and self-signed certificate per test process (key generation is the slow part).
fn key_pair() -> &'static (PathBuf, PathBuf) {
    static PAIR: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let dir = process::scratch_dir("token-key-");
        let (key, cert) = (dir.join("token.key"), dir.join("token.crt"));
        let out = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
            ])
            .args(["-subj", &format!("/CN={ISSUER}")])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("run openssl (apt-get install openssl)");
        assert!(
            out.status.success(),
            "openssl req: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (key, cert)
    })
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl TokenServer {
    pub fn start(opts: TokenServerOptions) -> Self {
        let (key, cert) = key_pair().clone();
        let der = Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert)
            .output()
            .expect("openssl x509");
        assert!(der.status.success(), "openssl x509 failed");
        let header = json!({
            "typ": "JWT",
            "alg": "RS256",
            "x5c": [base64::engine::general_purpose::STANDARD.encode(&der.stdout)],
        });
        let state = Arc::new(State {
            opts,
            jwt_header: b64url(header.to_string().as_bytes()),
            key,
            cert,
            log: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind token server");
        let addr = listener.local_addr().expect("token server addr");
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("token-server".into())
            .spawn(move || accept_loop(&listener, &st, &sp))
            .expect("spawn token server");
        TokenServer { addr, state, stop }
    }

    /// `auth.token.realm`: `http://127.0.0.1:PORT/token`.
    pub fn realm(&self) -> String {
        format!("http://{}/token", self.addr)
    }
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The certificate the registry trusts (`auth.token.rootcertbundle`).
    pub fn cert_path(&self) -> &Path {
        &self.state.cert
    }
    pub fn options(&self) -> &TokenServerOptions {
        &self.state.opts
    }
    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.state.log.lock().expect("token log").clone()
    }
    /// The scopes of every granted request so far, flattened.
    pub fn granted_scopes(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.granted)
            .flat_map(|r| r.scopes)
            .collect()
    }
    pub fn clear_requests(&self) {
        self.state.log.lock().expect("token log").clear();
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

fn accept_loop(listener: &TcpListener, state: &Arc<State>, stop: &AtomicBool) {
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(conn) = conn else { continue };
        let st = Arc::clone(state);
        let _ = std::thread::Builder::new()
            .name("token-conn".into())
            .spawn(move || serve_connection(conn, &st));
    }
}

fn serve_connection(conn: TcpStream, state: &State) {
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut r = BufReader::new(read_half);
    let mut w = conn;
    while let Ok(Some(head)) = wire::read_head(&mut r) {
        let Ok(body) = wire::read_body(&mut r, &head, false) else {
            return;
        };
        let (status, reason, headers, out) = answer(state, &head, &body);
        let hs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if wire::write_response(&mut w, status, reason, &hs, &out).is_err() {
            return;
        }
    }
    let _ = w.flush();
}

type Answer = (u16, &'static str, Vec<(&'static str, String)>, Vec<u8>);

fn answer(state: &State, head: &wire::Head, body: &[u8]) -> Answer {
    if head.path() != "/token" {
        return (404, "Not Found", vec![], b"not found\n".to_vec());
    }
    let mut params = wire::parse_query(head.query());
    if head.method == "POST" {
        params.extend(wire::parse_query(&String::from_utf8_lossy(body)));
    }
    let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let scopes: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| {
            v.split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let creds = basic_credentials(head).or_else(|| Some((param("username")?, param("password")?)));
    let opts = &state.opts;
    // OAuth2 refresh-token grant (Docker's `identitytoken`): the token stands for USER.
    let refresh = (param("grant_type").as_deref() == Some("refresh_token"))
        .then(|| param("refresh_token"))
        .flatten();
    let creds = creds.or_else(|| {
        refresh
            .as_ref()
            .map(|t| (format!("refresh:{t}"), t.clone()))
    });
    let granted = match &creds {
        Some((u, p)) if u.starts_with("refresh:") => *p == REFRESH_TOKEN,
        Some((u, p)) => *u == opts.user && *p == opts.pass,
        None => opts.allow_anonymous,
    };
    state.log.lock().expect("token log").push(TokenRequest {
        method: head.method.clone(),
        scopes: scopes.clone(),
        user: creds.as_ref().map(|(u, _)| u.clone()),
        service: param("service"),
        granted,
    });
    let json_ct = ("Content-Type", "application/json".to_owned());
    if !granted {
        let body =
            json!({ "errors": [{ "code": "UNAUTHORIZED", "message": "authentication required" }] });
        return (
            401,
            "Unauthorized",
            vec![
                ("WWW-Authenticate", "Basic realm=\"berth-token\"".to_owned()),
                json_ct,
            ],
            body.to_string().into_bytes(),
        );
    }
    let access: Vec<_> = scopes
        .iter()
        .filter_map(|s| {
            // type:name:actions, where the name may itself hold ':' (a host with a port)
            let (rest, actions) = s.rsplit_once(':')?;
            let (typ, name) = rest.split_once(':')?;
            Some(json!({ "type": typ, "name": name, "actions": actions.split(',').collect::<Vec<_>>() }))
        })
        .collect();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let ttl = opts.ttl.as_secs();
    let claims = json!({
        "iss": ISSUER,
        "sub": creds.map(|(u, _)| u).unwrap_or_default(),
        "aud": param("service").unwrap_or_default(),
        "exp": now + ttl,
        "nbf": now.saturating_sub(5),
        "iat": now,
        "jti": format!("{now}-{}", rand::random::<u64>()),
        "access": access,
    });
    let token = sign(state, &claims.to_string());
    let body = json!({
        "token": token,
        "access_token": token,
        "expires_in": ttl,
        "issued_at": rfc3339(now),
    });
    (200, "OK", vec![json_ct], body.to_string().into_bytes())
}

fn basic_credentials(head: &wire::Head) -> Option<(String, String)> {
    let v = head.header("authorization")?;
    let b64 = v
        .strip_prefix("Basic ")
        .or_else(|| v.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (u, p) = s.split_once(':')?;
    Some((u.to_owned(), p.to_owned()))
}

fn sign(state: &State, claims: &str) -> String {
    let signing_input = format!("{}.{}", state.jwt_header, b64url(claims.as_bytes()));
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(&state.key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl dgst");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(signing_input.as_bytes())
        .expect("write signing input");
    let out = child.wait_with_output().expect("openssl dgst output");
    assert!(
        out.status.success(),
        "openssl dgst: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!("{signing_input}.{}", b64url(&out.stdout))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time.
fn rfc3339(secs: u64) -> String {
    berth::format::rfc3339(i64::try_from(secs).expect("time"))
}
