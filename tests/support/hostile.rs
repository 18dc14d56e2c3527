//! A tiny hostile HTTP server for the hostile-registry tests: a std `TcpListener` thread that
//! records every request (method, path and headers) and answers with whatever the test's
//! handler says, including a body that announces more than it sends and then stalls. Two of
//! them make a registry and a "foreign host" that records what it was sent.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
pub enum Reply {
    /// A whole answer with a `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// `junk` bytes of body (with `headers`, which may announce any length), then the
    /// connection stays open, silent, until the server is dropped.
    Stall {
        status: u16,
        headers: Vec<(String, String)>,
        junk: usize,
    },
    /// A `Content-Length` for all of `body`, then one byte of it a second (a registry that
    /// trickles), until the body is sent or the server is dropped.
    Trickle {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self::Full {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        match &mut self {
            Self::Full { headers, .. }
            | Self::Stall { headers, .. }
            | Self::Trickle { headers, .. } => {
                headers.push((name.to_owned(), value.to_owned()));
            }
        }
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running hostile server; stops (and releases its stalled connections) on drop.
pub struct HostileServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    log: Arc<Log>,
    stopped: Arc<(Mutex<bool>, Condvar)>,
}

/// What the server keeps of each request: every request whole, or (for millions of them)
/// only how many `HEAD`s came.
#[derive(Default)]
struct Log {
    quiet: bool,
    heads: AtomicUsize,
}

impl HostileServer {
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with(false, handler)
    }

    /// A server that records no request, only counts `HEAD`s ([`Self::heads`]): for a
    /// client that sends millions.
    pub fn start_quiet(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with(true, handler)
    }

    fn start_with(
        quiet: bool,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let log = Arc::new(Log {
            quiet,
            heads: AtomicUsize::new(0),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stopped = Arc::new((Mutex::new(false), Condvar::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, stop, counts) = (requests.clone(), stopped.clone(), log.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if *stop.0.lock().expect("stop flag") {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (handler, reqs, stop, counts) =
                    (handler.clone(), reqs.clone(), stop.clone(), counts.clone());
                std::thread::spawn(move || serve(conn, &*handler, &reqs, &counts, &stop));
            }
        });
        Self {
            port,
            requests,
            log,
            stopped,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.host())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("log").clone()
    }

    /// How many `HEAD` requests arrived (counted before each is answered).
    pub fn heads(&self) -> usize {
        self.log.heads.load(Ordering::SeqCst)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        *self.stopped.0.lock().expect("stop flag") = true;
        self.stopped.1.notify_all();
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(
    conn: TcpStream,
    handler: &Handler,
    requests: &Mutex<Vec<Recorded>>,
    log: &Log,
    stopped: &(Mutex<bool>, Condvar),
) {
    let mut reader = BufReader::new(conn.try_clone().expect("clone"));
    let mut out = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, path) = (method.to_owned(), path.to_owned());
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
            return;
        }
        let rec = Recorded {
            method,
            path,
            headers,
        };
        // Logged before the answer, so a client that has its answer finds it counted.
        let head_only = rec.method == "HEAD";
        if head_only {
            log.heads.fetch_add(1, Ordering::SeqCst);
        }
        if !log.quiet {
            requests.lock().expect("log").push(rec.clone());
        }
        match handler(&rec) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                for (n, v) in headers {
                    let _ = write!(head, "{n}: {v}\r\n");
                }
                head.push_str("\r\n");
                let ok = out.write_all(head.as_bytes()).is_ok()
                    && (head_only || out.write_all(&body).is_ok());
                if !ok {
                    return;
                }
            }
            Reply::Trickle {
                status,
                headers,
                body,
            } => {
                if !trickle(&mut out, status, headers, &body, head_only, stopped) {
                    return;
                }
            }
            Reply::Stall {
                status,
                headers,
                junk,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\n");
                for (n, v) in headers {
                    let _ = write!(head, "{n}: {v}\r\n");
                }
                head.push_str("\r\n");
                let _ = out.write_all(head.as_bytes());
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < junk && out.write_all(&chunk).is_ok() {
                    sent += chunk.len();
                }
                let mut stop = stopped.0.lock().expect("stop flag");
                while !*stop {
                    stop = stopped.1.wait(stop).expect("stop flag");
                }
                return;
            }
        }
    }
}

/// Sends a [`Reply::Trickle`]: the head, then a byte a second. False when the connection is
/// done (closed, or the server dropped).
fn trickle(
    out: &mut TcpStream,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
    head_only: bool,
    stopped: &(Mutex<bool>, Condvar),
) -> bool {
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
    for (n, v) in headers {
        let _ = write!(head, "{n}: {v}\r\n");
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return false;
    }
    if head_only {
        return true;
    }
    for byte in body {
        if out.write_all(&[*byte]).is_err() {
            return false;
        }
        // The trickle's pace is the scenario (one byte a second), woken early when the
        // server is dropped.
        let stop = stopped.0.lock().expect("stop flag");
        let (stop, _) = stopped
            .1
            .wait_timeout(stop, std::time::Duration::from_secs(1))
            .expect("stop flag");
        if *stop {
            return false;
        }
    }
    true
}
