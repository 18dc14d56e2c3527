//! Registries that treat `DELETE /v2/NAME/manifests/TAG` their own way, for the Untag tests
//! (issue 23): [`TagDeletes::accept`] answers 202 and from then on answers 404 for that tag
//! (a registry that follows OCI distribution 1.1; the listing is not changed), and
//! [`TagDeletes::whole_manifest`] deletes the manifest the tag points at, with every other
//! tag on it (a registry that breaks the spec). Everything else is forwarded.

use super::super::wire::{self, Head};
use super::{Sent, State, exchange};
use std::collections::HashSet;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Mode {
    Accept,
    WholeManifest,
}

/// What a tag `DELETE` does behind the proxy; use with `Rule::path("/manifests/")`.
#[derive(Clone, Debug)]
pub struct TagDeletes {
    mode: Mode,
    /// Manifest paths deleted by tag (accept mode): answered 404 until pushed again.
    gone: Arc<Mutex<HashSet<String>>>,
}

impl TagDeletes {
    pub fn accept() -> Self {
        Self {
            mode: Mode::Accept,
            gone: Arc::default(),
        }
    }
    pub fn whole_manifest() -> Self {
        Self {
            mode: Mode::WholeManifest,
            gone: Arc::default(),
        }
    }
}

/// The same fault when it is the same registry behaviour and state.
impl PartialEq for TagDeletes {
    fn eq(&self, other: &Self) -> bool {
        self.mode == other.mode && Arc::ptr_eq(&self.gone, &other.gone)
    }
}

impl Eq for TagDeletes {}

/// Answers `head` when it is this fault's business; `None` to forward it as usual.
pub(super) fn respond(
    state: &State,
    head: &Head,
    t: &TagDeletes,
    w: &mut TcpStream,
) -> Option<Sent> {
    let path = head.path().to_owned();
    let by_digest = path.rsplit('/').next().is_some_and(|r| r.contains(':'));
    let mut gone = t.gone.lock().expect("gone tags");
    match head.method.as_str() {
        "DELETE" if !by_digest => {}
        "PUT" => {
            gone.remove(&path);
            return None;
        }
        "GET" | "HEAD" if gone.contains(&path) => {
            drop(gone);
            let body = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#;
            let body: &[u8] = if head.method == "HEAD" { b"" } else { body };
            let ok = wire::write_response(w, 404, "Not Found", &[], body).is_ok();
            return Some(Sent::whole(404, ok));
        }
        _ => return None,
    }
    let status = match t.mode {
        Mode::Accept => {
            gone.insert(path);
            202
        }
        Mode::WholeManifest => whole_manifest(state, head),
    };
    drop(gone);
    let ok = wire::write_response(w, status, "Answered", &[], b"").is_ok();
    Some(Sent::whole(status, ok))
}

/// Deletes, upstream, the manifest the tag in `head` points at; the upstream status.
fn whole_manifest(state: &State, head: &Head) -> u16 {
    let mut ask = head.clone();
    ask.method = "HEAD".into();
    ask.set_header("Accept", super::super::oci::ACCEPT_ALL);
    let Ok((resp, _)) = exchange(&state.upstream, &ask, b"") else {
        return 502;
    };
    let Some(digest) = resp.header("docker-content-digest").map(str::to_owned) else {
        return resp.target.parse().unwrap_or(502);
    };
    let path = head.path();
    let Some(base) = path.rsplit_once('/').map(|(b, _)| b) else {
        return 400;
    };
    let mut delete = head.clone();
    delete.target = format!("{base}/{digest}");
    exchange(&state.upstream, &delete, b"")
        .map_or(502, |(resp, _)| resp.target.parse().unwrap_or(502))
}
