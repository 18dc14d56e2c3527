//! Time bounds on every transfer, so that no server can keep Berth waiting for ever
//! (ARCHITECTURE.md, "Time and memory"). Two bounds, as curl has: a low-speed limit for every
//! body (a transfer that moves fewer than [`TransportLimits::low_speed_bytes`] a second over
//! [`TransportLimits::low_speed_time`] is stopped, whatever its size), and an overall deadline
//! for the small documents (manifests, tokens, listings, error bodies), which a big layer
//! could never meet and so does not get. Either ends in [`Error::Stalled`], which is not
//! retried: a stall costs one bounded wait, not one per attempt.

use super::error::{Error, Result};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use std::time::Duration;
use tokio::time::Instant;

/// The bounds one registry client applies; settable (settings, `[transport]`) so that tests
/// can make them short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransportLimits {
    /// The slowest average a transfer may keep up over `low_speed_time`, in bytes a second.
    pub low_speed_bytes: u64,
    /// The window over which the speed is measured; also how long Berth waits for the
    /// headers of an answer.
    pub low_speed_time: Duration,
    /// Everything of one request for a small document (headers and body), from sending it.
    pub deadline: Duration,
}

impl Default for TransportLimits {
    fn default() -> Self {
        Self {
            low_speed_bytes: 1024,
            low_speed_time: Duration::from_secs(30),
            deadline: Duration::from_mins(1),
        }
    }
}

/// Watches one body's speed, window by window: each window of `low_speed_time` must bring
/// at least `low_speed_bytes * low_speed_time` bytes, or the transfer has stalled.
#[derive(Debug)]
pub(crate) struct SpeedGuard {
    limits: TransportLimits,
    window_end: Instant,
    in_window: u64,
}

impl SpeedGuard {
    pub(crate) fn new(limits: TransportLimits) -> Self {
        Self {
            limits,
            window_end: Instant::now() + limits.low_speed_time,
            in_window: 0,
        }
    }

    fn needed(&self) -> u64 {
        let millis =
            u128::from(self.limits.low_speed_bytes) * self.limits.low_speed_time.as_millis();
        u64::try_from(millis.div_ceil(1000)).unwrap_or(u64::MAX)
    }

    /// Waits for the next item of `body`, but not past the end of a window that has not
    /// brought enough bytes. `None` at the end of the body; `Err(())` when it stalled.
    pub(crate) async fn next<S, T, E>(&mut self, body: &mut S) -> Result<Option<Result<T, E>>, ()>
    where
        S: Stream<Item = Result<T, E>> + Unpin,
        T: AsRef<[u8]>,
    {
        loop {
            match tokio::time::timeout_at(self.window_end, body.next()).await {
                Ok(item) => {
                    if let Some(Ok(chunk)) = &item {
                        self.in_window += chunk.as_ref().len() as u64;
                    }
                    if Instant::now() >= self.window_end {
                        self.close_window()?;
                    }
                    return Ok(item);
                }
                Err(_) => self.close_window()?,
            }
        }
    }

    /// The window is over: it brought enough, and the next one starts; or it did not.
    fn close_window(&mut self) -> Result<(), ()> {
        if self.in_window < self.needed() {
            return Err(());
        }
        self.in_window = 0;
        self.window_end = Instant::now() + self.limits.low_speed_time;
        Ok(())
    }
}

/// A response body as a stream of chunks under the low-speed limit: a transport error
/// becomes [`Error::Unreachable`], a stall [`Error::Stalled`] (and the stream ends there).
pub(crate) fn guarded_body(
    resp: reqwest::Response,
    limits: TransportLimits,
    registry: String,
    what: String,
) -> impl Stream<Item = Result<Bytes>> + Send + use<> {
    let body = resp.bytes_stream().boxed();
    futures_util::stream::unfold(Some((body, SpeedGuard::new(limits))), move |state| {
        let (registry, what) = (registry.clone(), what.clone());
        async move {
            let (mut body, mut guard) = state?;
            match guard.next(&mut body).await {
                Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some((body, guard)))),
                Ok(Some(Err(e))) => Some((Err(transfer_error(&e, registry, what)), None)),
                Ok(None) => None,
                Err(()) => Some((Err(Error::Stalled { registry, what }), None)),
            }
        }
    })
}

/// A reqwest error part-way through a body: a timeout (the deadline of a small document, or
/// no byte within the low-speed window) is a stall; anything else a broken connection.
pub(crate) fn transfer_error(e: &reqwest::Error, registry: String, what: String) -> Error {
    if e.is_timeout() {
        Error::Stalled { registry, what }
    } else {
        Error::Unreachable {
            registry,
            reason: super::transport::error_chain(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> TransportLimits {
        TransportLimits {
            low_speed_bytes: 1000,
            low_speed_time: Duration::from_millis(50),
            deadline: Duration::from_secs(1),
        }
    }

    #[tokio::test]
    async fn a_body_that_sends_nothing_stalls_after_one_window() {
        let mut guard = SpeedGuard::new(limits());
        let mut body = futures_util::stream::pending::<Result<Vec<u8>, ()>>();
        assert_eq!(guard.next(&mut body).await, Err(()));
    }

    #[tokio::test]
    async fn a_body_that_arrives_at_once_passes() {
        let mut guard = SpeedGuard::new(limits());
        let chunks: Vec<Result<Vec<u8>, ()>> = vec![Ok(vec![0; 100]), Ok(vec![0; 100])];
        let mut body = futures_util::stream::iter(chunks);
        assert_eq!(guard.next(&mut body).await, Ok(Some(Ok(vec![0; 100]))));
        assert_eq!(guard.next(&mut body).await, Ok(Some(Ok(vec![0; 100]))));
        assert_eq!(guard.next(&mut body).await, Ok(None));
    }

    #[tokio::test]
    async fn a_trickle_below_the_limit_stalls() {
        // One byte, then nothing: the window ends with 1 of the 50 bytes it needs.
        let mut guard = SpeedGuard::new(limits());
        let first = futures_util::stream::iter([Ok::<_, ()>(vec![0u8])]);
        let mut body = first.chain(futures_util::stream::pending());
        assert_eq!(guard.next(&mut body).await, Ok(Some(Ok(vec![0]))));
        assert_eq!(guard.next(&mut body).await, Err(()));
    }
}
