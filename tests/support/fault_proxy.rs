//! A fault-injecting HTTP/1.1 proxy of our own, in front of a real registry, for the
//! transport tests: connection resets in the middle of a body, 5xx, 429 and 503 with `Retry-After`,
//! flipped body bytes, delays, and 307 redirects to a second loopback listener (the
//! [`Recorder`]) that records the headers it receives and then serves the real response.
//!
//! Clients talk to the proxy as if it were the registry (`proxy.url()`); the `Host` header is
//! passed through, so the registry's absolute `Location`s point back at the proxy. Each
//! request goes upstream on its own connection and the whole response is buffered, which is
//! fine for fixture-sized blobs. Faults are chosen per request by the first matching [`Rule`].

use std::io::{BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::wire::{self, Head};

mod chaos;
mod gate;
mod rule;
mod tag_delete;
pub use gate::Gate;
use gate::client_gone;
pub use rule::Rule;
pub use tag_delete::TagDeletes;

/// What to do to a matching request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Forward, then send the head and the first `after` body bytes, then reset (RST).
    ResetMidBody { after: usize },
    /// Forward, then send the head and the first `after` body bytes, then hold the
    /// connection without a byte more for `stall` (a pull to kill part-way), then reset.
    StallMidBody { after: usize, stall: Duration },
    /// Forward, then send the head and the first `after` body bytes, hold the connection until
    /// the test opens the [`Gate`] (or drops the proxy), then reset: a connection that breaks
    /// exactly when the test has seen what it needs, no clock involved.
    CutMidBody { after: usize, gate: Gate },
    /// Answer this status at once (with an OCI-style error body), without going upstream.
    Status(u16),
    /// Answer 503 with this `Retry-After` value, without going upstream.
    Unavailable { retry_after: String },
    /// Answer 429 with this `Retry-After` value and Docker Hub's rate-limit headers (none
    /// left of 100), without going upstream.
    TooManyRequests { retry_after: String },
    /// Forward, but XOR byte `offset` of the body (clamped to the last byte) with 0x01.
    FlipByte { offset: usize },
    /// Wait, then forward normally.
    Delay(Duration),
    /// Hold the request until the test opens the [`Gate`] (or drops the proxy), then forward
    /// normally: a transfer that hangs for exactly as long as the test needs, no clock involved.
    /// A client that closes its connection meanwhile gets nothing (see
    /// [`ProxiedRequest::completed`]).
    Hold(Gate),
    /// Answer 307 to the same path on the [`Recorder`] listener (another port).
    Redirect,
    /// Forward, and add these headers to the answer (`Warning`, rate-limit headers).
    AddHeaders(Vec<(String, String)>),
    /// Forward, with this many spaces appended to the body (JSON stays valid, just huge).
    PadBody(usize),
    /// Answer a `DELETE` of a manifest by tag as [`TagDeletes`] says; forward the rest.
    TagDelete(TagDeletes),
    /// Forward without the request's `Range` header: a registry that answers 200 with the
    /// whole blob.
    IgnoreRange,
}

struct ActiveRule {
    rule: Rule,
    fault: Fault,
    seen: usize,
    applied: usize,
}

/// One request the proxy handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxiedRequest {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// The status sent to the client (0 if the connection was reset before a head).
    pub status: u16,
    pub fault: Option<Fault>,
    /// `None` while the answer is being made (or held); then `Some(true)` when the whole
    /// answer (head and body) was written to a client that was still connected, and
    /// `Some(false)` when it was not: the client closed first (a cancelled request), a fault
    /// cut the body, or the write failed.
    pub completed: Option<bool>,
    /// The request's `Range` header.
    pub range: Option<String>,
    /// Body bytes of the answer written to the client (upstream answers sent whole).
    pub body_bytes: usize,
    /// When the proxy had read the request (for the gaps between retries, never an
    /// upper bound on anything).
    pub at: Instant,
}

/// One request the redirect target received, with every header as sent.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct State {
    upstream: String,
    recorder_addr: SocketAddr,
    rules: Mutex<Vec<ActiveRule>>,
    log: Mutex<Vec<ProxiedRequest>>,
    recorded: Mutex<Vec<RecordedRequest>>,
    chaos: Mutex<Option<chaos::Chaos>>,
    stop: AtomicBool,
}

pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<State>,
}

/// The redirect target: a second listener that records what it receives.
pub struct Recorder<'a>(&'a FaultProxy);

impl FaultProxy {
    /// Starts a proxy in front of `upstream` (`HOST:PORT`, e.g. `registry.host()`).
    pub fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fault proxy");
        let recorder = TcpListener::bind("127.0.0.1:0").expect("bind redirect recorder");
        let addr = listener.local_addr().expect("proxy addr");
        let state = Arc::new(State {
            upstream: upstream.to_owned(),
            recorder_addr: recorder.local_addr().expect("recorder addr"),
            rules: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            recorded: Mutex::new(Vec::new()),
            chaos: Mutex::new(None),
            stop: AtomicBool::new(false),
        });
        for (l, is_recorder) in [(listener, false), (recorder, true)] {
            let st = Arc::clone(&state);
            std::thread::Builder::new()
                .name(
                    if is_recorder {
                        "fault-recorder"
                    } else {
                        "fault-proxy"
                    }
                    .into(),
                )
                .spawn(move || accept_loop(&l, &st, is_recorder))
                .expect("spawn fault proxy");
        }
        FaultProxy { addr, state }
    }

    /// `127.0.0.1:PORT` of the proxy.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }
    /// `http://127.0.0.1:PORT` of the proxy.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Adds a rule; rules are tried in the order added, the first match decides.
    pub fn add(&self, rule: Rule, fault: Fault) {
        self.state.rules.lock().expect("rules").push(ActiveRule {
            rule,
            fault,
            seen: 0,
            applied: 0,
        });
    }
    /// Faults at random for requests no rule matches: `per_mille` of them in 1000 get one of
    /// `faults`, drawn from `seed` (the same faults for the same seed).
    pub fn chaos(&self, seed: u64, per_mille: u64, faults: Vec<Fault>) {
        *self.state.chaos.lock().expect("chaos") = Some(chaos::Chaos::new(seed, per_mille, faults));
    }
    pub fn clear_rules(&self) {
        self.state.rules.lock().expect("rules").clear();
    }
    /// Every request so far (proxy side, not the recorder), oldest first.
    pub fn requests(&self) -> Vec<ProxiedRequest> {
        self.state.log.lock().expect("log").clone()
    }
    /// How many requests with this method had a target containing `path_contains`.
    pub fn count(&self, method: &str, path_contains: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.target.contains(path_contains))
            .count()
    }
    /// How many requests with this method and a target containing `path_contains` were
    /// answered in full (see [`ProxiedRequest::completed`]).
    pub fn count_completed(&self, method: &str, path_contains: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| {
                r.method == method && r.target.contains(path_contains) && r.completed == Some(true)
            })
            .count()
    }
    /// How many faults were injected so far.
    pub fn faults_injected(&self) -> usize {
        self.requests().iter().filter(|r| r.fault.is_some()).count()
    }
    pub fn recorder(&self) -> Recorder<'_> {
        Recorder(self)
    }
}

impl Recorder<'_> {
    /// `http://127.0.0.1:PORT` of the redirect target.
    pub fn url(&self) -> String {
        format!("http://{}", self.0.state.recorder_addr)
    }
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.0.state.recorded.lock().expect("recorded").clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        let _ = TcpStream::connect(self.state.recorder_addr);
    }
}

fn accept_loop(listener: &TcpListener, state: &Arc<State>, is_recorder: bool) {
    for conn in listener.incoming() {
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(conn) = conn else { continue };
        let st = Arc::clone(state);
        let _ = std::thread::Builder::new()
            .name("fault-proxy-conn".into())
            .spawn(move || serve(conn, &st, is_recorder));
    }
}

/// Serves requests on one client connection until it closes or a fault resets it.
fn serve(conn: TcpStream, state: &State, is_recorder: bool) {
    let Ok(read_half) = conn.try_clone() else {
        return;
    };
    let mut r = BufReader::new(read_half);
    let mut w = conn;
    while let Ok(Some(head)) = wire::read_head(&mut r) {
        let Ok(body) = wire::read_body(&mut r, &head, false) else {
            return;
        };
        let at = Instant::now();
        if is_recorder {
            state
                .recorded
                .lock()
                .expect("recorded")
                .push(RecordedRequest {
                    method: head.method.clone(),
                    target: head.target.clone(),
                    headers: head.headers.clone(),
                });
        }
        let fault = if is_recorder {
            None
        } else {
            pick_fault(state, &head)
        };
        // Logged before answering, so a client that has its answer always finds its request
        // counted; the status is filled in once it is sent.
        let slot = (!is_recorder).then(|| {
            let mut log = state.log.lock().expect("log");
            log.push(ProxiedRequest {
                method: head.method.clone(),
                target: head.target.clone(),
                status: 0,
                fault: fault.clone(),
                completed: None,
                range: head.header("range").map(str::to_owned),
                body_bytes: 0,
                at,
            });
            log.len() - 1
        });
        let sent = respond(state, &head, &body, fault.as_ref(), &mut w);
        if let Some(i) = slot {
            let entry = &mut state.log.lock().expect("log")[i];
            entry.status = sent.status;
            entry.completed = Some(sent.completed);
            entry.body_bytes = sent.body_bytes;
        }
        if !sent.keep_open {
            return;
        }
    }
}

fn pick_fault(state: &State, head: &Head) -> Option<Fault> {
    let mut rules = state.rules.lock().expect("rules");
    let Some(active) = rules.iter_mut().find(|a| a.rule.matches(head)) else {
        let mut chaos = state.chaos.lock().expect("chaos");
        return chaos.as_mut().and_then(|c| c.pick(head));
    };
    active.seen += 1;
    if active.seen <= active.rule.skip || active.rule.times.is_some_and(|t| active.applied >= t) {
        return None;
    }
    active.applied += 1;
    Some(active.fault.clone())
}

/// What became of one answer.
struct Sent {
    /// The status sent (0 if nothing was).
    status: u16,
    /// Whether the connection stays usable.
    keep_open: bool,
    /// See [`ProxiedRequest::completed`].
    completed: bool,
    /// See [`ProxiedRequest::body_bytes`].
    body_bytes: usize,
}

impl Sent {
    fn whole(status: u16, written: bool) -> Self {
        Self {
            status,
            keep_open: written,
            completed: written,
            body_bytes: 0,
        }
    }
    fn cut(status: u16) -> Self {
        Self {
            status,
            keep_open: false,
            completed: false,
            body_bytes: 0,
        }
    }
}

/// Answers one request.
fn respond(
    state: &State,
    head: &Head,
    body: &[u8],
    fault: Option<&Fault>,
    w: &mut TcpStream,
) -> Sent {
    let error_body = |code: &str| {
        format!(r#"{{"errors":[{{"code":"{code}","message":"injected by the fault proxy"}}]}}"#)
    };
    let json = ("Content-Type", "application/json");
    let sent = match fault {
        Some(Fault::Status(s)) => {
            let b = error_body("UNAVAILABLE");
            wire::write_response(w, *s, "Injected", &[json], b.as_bytes()).map(|()| *s)
        }
        Some(Fault::Unavailable { retry_after }) => {
            let b = error_body("UNAVAILABLE");
            let h = [json, ("Retry-After", retry_after.as_str())];
            wire::write_response(w, 503, "Service Unavailable", &h, b.as_bytes()).map(|()| 503)
        }
        Some(Fault::TooManyRequests { retry_after }) => {
            let b = error_body("TOOMANYREQUESTS");
            // As Docker Hub does: the limit and what is left of it come with the 429.
            let h = [
                json,
                ("Retry-After", retry_after.as_str()),
                ("ratelimit-limit", "100;w=21600"),
                ("ratelimit-remaining", "0;w=21600"),
            ];
            wire::write_response(w, 429, "Too Many Requests", &h, b.as_bytes()).map(|()| 429)
        }
        Some(Fault::Redirect) => {
            let location = format!("http://{}{}", state.recorder_addr, head.target);
            let h = [("Location", location.as_str())];
            wire::write_response(w, 307, "Temporary Redirect", &h, b"").map(|()| 307)
        }
        _ => {
            match fault {
                Some(Fault::TagDelete(t)) => {
                    if let Some(sent) = tag_delete::respond(state, head, t, w) {
                        return sent;
                    }
                }
                Some(Fault::Delay(d)) => std::thread::sleep(*d),
                Some(Fault::Hold(gate)) if !gate.wait(&state.stop, || client_gone(w)) => {
                    return Sent::cut(0);
                }
                _ => {}
            }
            return forward(state, head, body, fault, w);
        }
    };
    match sent {
        Ok(status) => Sent::whole(status, true),
        Err(_) => Sent::whole(0, false),
    }
}

/// Sends the request upstream, reads the whole answer, applies the body faults, relays it.
fn forward(
    state: &State,
    head: &Head,
    body: &[u8],
    fault: Option<&Fault>,
    w: &mut TcpStream,
) -> Sent {
    let mut stripped;
    let head = if fault == Some(&Fault::IgnoreRange) {
        stripped = head.clone();
        stripped
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("range"));
        &stripped
    } else {
        head
    };
    let Ok((mut resp, mut resp_body)) = exchange(&state.upstream, head, body) else {
        let _ = wire::write_response(w, 502, "Bad Gateway", &[], b"upstream failed\n");
        return Sent::cut(502);
    };
    let status: u16 = resp.target.parse().unwrap_or(0);
    resp.remove_header("Transfer-Encoding");
    resp.remove_header("Connection");
    if head.method != "HEAD" {
        resp.set_header("Content-Length", &resp_body.len().to_string());
    }
    if let Some(Fault::PadBody(n)) = fault {
        resp_body.resize(resp_body.len() + n, b' ');
        if head.method != "HEAD" {
            resp.set_header("Content-Length", &resp_body.len().to_string());
        }
    }
    if let Some(Fault::AddHeaders(headers)) = fault {
        for (k, v) in headers {
            resp.set_header(k, v);
        }
    }
    match fault {
        Some(Fault::FlipByte { offset }) if !resp_body.is_empty() => {
            let i = (*offset).min(resp_body.len() - 1);
            resp_body[i] ^= 0x01;
        }
        Some(Fault::ResetMidBody { after }) => {
            let cut = (*after).min(resp_body.len().saturating_sub(1));
            let _ = w.write_all(&resp.to_bytes());
            let _ = w.write_all(&resp_body[..cut]);
            let _ = w.flush();
            reset(w);
            return Sent::cut(status);
        }
        Some(Fault::CutMidBody { after, gate }) => {
            let cut = (*after).min(resp_body.len().saturating_sub(1));
            let _ = w.write_all(&resp.to_bytes());
            let _ = w.write_all(&resp_body[..cut]);
            let _ = w.flush();
            gate.wait(&state.stop, || false);
            reset(w);
            return Sent::cut(status);
        }
        Some(Fault::StallMidBody { after, stall }) => {
            let cut = (*after).min(resp_body.len().saturating_sub(1));
            let _ = w.write_all(&resp.to_bytes());
            let _ = w.write_all(&resp_body[..cut]);
            let _ = w.flush();
            std::thread::sleep(*stall);
            reset(w);
            return Sent::cut(status);
        }
        _ => {}
    }
    // A client that closed meanwhile (a cancelled request) is not answered: a write into a
    // closed socket can still succeed, so it would be counted as read to the end.
    if client_gone(w) {
        return Sent::cut(status);
    }
    let mut out = resp.to_bytes();
    out.extend_from_slice(&resp_body);
    let written = w.write_all(&out).and_then(|()| w.flush()).is_ok();
    Sent {
        body_bytes: resp_body.len(),
        ..Sent::whole(status, written)
    }
}

/// One request on a fresh upstream connection (`Connection: close`, so the body ends at EOF
/// at the latest).
fn exchange(upstream: &str, head: &Head, body: &[u8]) -> std::io::Result<(Head, Vec<u8>)> {
    let mut up = TcpStream::connect(upstream)?;
    let mut req = head.clone();
    req.set_header("Connection", "close");
    req.remove_header("Transfer-Encoding");
    if !body.is_empty() || head.content_length().is_some() {
        req.set_header("Content-Length", &body.len().to_string());
    }
    up.write_all(&req.to_bytes())?;
    up.write_all(body)?;
    up.flush()?;
    let mut r = BufReader::new(up);
    let resp = wire::read_head(&mut r)?
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no response"))?;
    let status: u16 = resp.target.parse().unwrap_or(0);
    let no_body =
        head.method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status);
    let resp_body = if no_body {
        Vec::new()
    } else {
        wire::read_body(&mut r, &resp, true)?
    };
    Ok((resp, resp_body))
}

/// Closes with RST rather than FIN, as a dropped connection in the wild looks to the client.
fn reset(stream: &TcpStream) {
    let sock = socket2::SockRef::from(stream);
    let _ = sock.set_linger(Some(Duration::ZERO));
    // the RST goes out when the caller drops its last handle of the socket
}
