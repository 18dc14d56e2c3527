//! Reading the small bodies a registry sends besides content (error answers, challenges,
//! token responses) up to a cap: the server chooses the size, so we never read one whole
//! (ARCHITECTURE.md, "Credentials" and the hostile-registry rules beside it).

use futures_util::StreamExt as _;
use std::time::Duration;

/// Error and challenge bodies hold a short JSON list of codes; 64 KiB is far more than any
/// registry sends, and all that is ever read of one.
pub const MAX_ERROR_BODY: usize = 64 * 1024;
/// Token responses carry a JWT or an opaque token and its lifetime; real ones are a few KiB.
pub const MAX_TOKEN_BODY: usize = 1024 * 1024;

/// What was read of a body: at most the cap, and whether there was more. The rest is never
/// read; the connection is dropped with the response.
pub struct Capped {
    pub bytes: Vec<u8>,
    pub truncated: bool,
    /// The deadline passed before the body ended.
    pub stalled: bool,
}

/// Reads `resp`'s body up to `cap` bytes, for no longer than `deadline` (a body that trickles
/// or stalls ends the read with what arrived). A transport error part-way ends the read with
/// what arrived so far too: for an error answer, the status already says what happened.
pub async fn read_capped(resp: reqwest::Response, cap: usize, deadline: Duration) -> Capped {
    if resp.content_length().is_some_and(|l| l > cap as u64) {
        // Announced too big: what matters is the status, not a truncated JSON document.
        return Capped {
            bytes: Vec::new(),
            truncated: true,
            stalled: false,
        };
    }
    let mut bytes = Vec::new();
    let mut stream = resp.bytes_stream();
    let read = async {
        while let Some(Ok(chunk)) = stream.next().await {
            let room = cap - bytes.len();
            if chunk.len() > room {
                bytes.extend_from_slice(&chunk[..room]);
                return true;
            }
            bytes.extend_from_slice(&chunk);
        }
        false
    };
    let (truncated, stalled) = match tokio::time::timeout(deadline, read).await {
        Ok(truncated) => (truncated, false),
        Err(_) => (true, true),
    };
    Capped {
        bytes,
        truncated,
        stalled,
    }
}
