//! Shared blob transfers: jobs that need the same blob in the same store join one transfer
//! (a "flight") instead of starting their own. A flight runs as its own task; it is
//! cancelled only when every job waiting for it has gone, and it cleans up (no temporary
//! file) before it reports.

use super::error::{Error, Result};
use crate::oci::Digest;
use futures_util::FutureExt as _;
use futures_util::future::{BoxFuture, Shared};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio_util::sync::CancellationToken;

/// How a blob got into the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlobFate {
    Fetched,
    Present,
}

pub(crate) type FlightResult = std::result::Result<BlobFate, Arc<Error>>;

/// A blob in a store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FlightKey {
    pub dir: PathBuf,
    pub digest: Digest,
}

pub(crate) struct Flight {
    serial: u64,
    done: Shared<BoxFuture<'static, FlightResult>>,
    /// Bytes transferred so far (shown by every job that waits for this flight).
    pub bytes: Arc<AtomicU64>,
    cancel: CancellationToken,
    waiters: AtomicU64,
}

impl Flight {
    /// Waits for the transfer's result.
    pub(crate) async fn wait(&self) -> FlightResult {
        self.done.clone().await
    }

    /// Cancelled because every job that wanted it went away.
    pub(crate) fn orphaned(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

#[derive(Default)]
pub(crate) struct Flights {
    map: Mutex<HashMap<FlightKey, Arc<Flight>>>,
    serial: AtomicU64,
}

/// A job's claim on a flight; dropping it (the job ended or was cancelled) cancels the
/// flight when no other job waits for it.
pub(crate) struct FlightGuard {
    flights: Arc<Flights>,
    pub flight: Arc<Flight>,
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        let _map = self.flights.lock();
        if self.flight.waiters.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.flight.cancel.cancel();
        }
    }
}

impl Flights {
    fn lock(&self) -> MutexGuard<'_, HashMap<FlightKey, Arc<Flight>>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Joins the flight for `key`, or starts one with `start(bytes, cancel)`.
    pub(crate) fn join<F, Fut>(self: &Arc<Self>, key: FlightKey, start: F) -> FlightGuard
    where
        F: FnOnce(Arc<AtomicU64>, CancellationToken) -> Fut,
        Fut: Future<Output = Result<BlobFate>> + Send + 'static,
    {
        let mut map = self.lock();
        if let Some(f) = map.get(&key).filter(|f| !f.cancel.is_cancelled()) {
            f.waiters.fetch_add(1, Ordering::AcqRel);
            return FlightGuard {
                flights: self.clone(),
                flight: f.clone(),
            };
        }
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        let bytes = Arc::new(AtomicU64::new(0));
        let cancel = CancellationToken::new();
        let transfer = start(bytes.clone(), cancel.clone());
        let flights = Arc::downgrade(self);
        let key2 = key.clone();
        let handle = tokio::spawn(async move {
            let result = transfer.await.map_err(Arc::new);
            if let Some(flights) = flights.upgrade() {
                let mut map = flights.lock();
                if map.get(&key2).is_some_and(|f| f.serial == serial) {
                    map.remove(&key2);
                }
            }
            result
        });
        let done = async move {
            match handle.await {
                Ok(r) => r,
                Err(e) => Err(Arc::new(Error::join(&e))),
            }
        }
        .boxed()
        .shared();
        let flight = Arc::new(Flight {
            serial,
            done,
            bytes,
            cancel,
            waiters: AtomicU64::new(1),
        });
        map.insert(key, flight.clone());
        FlightGuard {
            flights: self.clone(),
            flight,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn key() -> FlightKey {
        FlightKey {
            dir: "/x".into(),
            digest: Digest::of(b"x"),
        }
    }

    #[tokio::test]
    async fn joiners_share_one_transfer() {
        let flights = Arc::new(Flights::default());
        let starts = Arc::new(AtomicUsize::new(0));
        let start = |starts: Arc<AtomicUsize>| {
            move |_bytes, _cancel| async move {
                starts.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                Ok(BlobFate::Fetched)
            }
        };
        let a = flights.join(key(), start(starts.clone()));
        let b = flights.join(key(), start(starts.clone()));
        assert_eq!(a.flight.wait().await.unwrap(), BlobFate::Fetched);
        assert_eq!(b.flight.wait().await.unwrap(), BlobFate::Fetched);
        assert_eq!(starts.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_last_leaver_cancels() {
        let flights = Arc::new(Flights::default());
        let start = |_bytes, cancel: CancellationToken| async move {
            cancel.cancelled().await;
            Err(Error::Cancelled)
        };
        let a = flights.join(key(), start);
        let b = flights.join(key(), start);
        let flight = a.flight.clone();
        drop(a);
        assert!(!flight.orphaned());
        drop(b);
        assert!(flight.orphaned());
        assert!(matches!(
            flight.wait().await.unwrap_err().as_ref(),
            Error::Cancelled
        ));
        // A new joiner starts afresh instead of joining the cancelled flight.
        let c = flights.join(key(), |_b, _c| async { Ok(BlobFate::Present) });
        assert_eq!(c.flight.wait().await.unwrap(), BlobFate::Present);
    }
}
