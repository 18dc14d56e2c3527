//! A value that a background task produces, cheap to poll every frame (ARCHITECTURE.md, after
//! rerun's `RequestedObject`): the request starts once, the previous value stays on screen
//! while a refresh runs, and the task asks for a repaint when it is done. A request that is
//! replaced, reset or dropped with its view is stopped, not just ignored (ARCHITECTURE.md,
//! "Cancelling"): the cell holds a `CancellationToken` drop guard for its task, and the task
//! drops its future when the token fires, so an HTTP request in flight is aborted with it.

use crate::registry::Error;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio_util::sync::{CancellationToken, DropGuard};

/// Wakes the UI from a background task. Built from `egui::Context::request_repaint`, so the
/// core never names egui.
pub type Repaint = Arc<dyn Fn() + Send + Sync>;

/// Runs `fut` on the runtime until it ends or the returned guard is dropped, whichever comes
/// first: the window's one way to stop background work it no longer wants (jobs use the same
/// `CancellationToken`). Dropping the future drops what it holds, so reqwest aborts a request
/// or a body stream in flight.
pub fn spawn_cancellable<F>(rt: &tokio::runtime::Handle, fut: F) -> DropGuard
where
    F: Future<Output = ()> + Send + 'static,
{
    let token = CancellationToken::new();
    let cancelled = token.clone();
    rt.spawn(async move {
        tokio::select! {
            // Checked first, so work nobody waits for does not take one more step.
            biased;
            () = cancelled.cancelled() => {}
            () = fut => {}
        }
    });
    token.drop_guard()
}

/// `fut`'s result for the cell, then a repaint so the next frame picks it up.
async fn answer<T, E>(
    fut: impl Future<Output = Result<T, E>>,
    tx: oneshot::Sender<Result<T, E>>,
    repaint: Repaint,
) {
    let _ = tx.send(fut.await);
    repaint();
}

#[derive(Default)]
pub enum Requested<T, E = Error> {
    #[default]
    Idle,
    Pending {
        rx: oneshot::Receiver<Result<T, E>>,
        previous: Option<T>,
        /// Cancels the task when the cell stops waiting for it (replaced, reset, dropped);
        /// `None` for work that must run to its end (see [`Requested::request_to_end`]).
        cancel: Option<DropGuard>,
    },
    Ready(T),
    Failed {
        error: E,
        previous: Option<T>,
    },
}

/// An error type a request can end with when its task vanished without answering.
pub trait Vanished {
    fn vanished() -> Self;
}

impl Vanished for Error {
    fn vanished() -> Self {
        Error::Cancelled
    }
}

impl Vanished for String {
    fn vanished() -> Self {
        "cancelled".to_owned()
    }
}

impl<T: Send + 'static, E: Vanished + Send + 'static> Requested<T, E> {
    /// Starts `fut` on the runtime, keeping what is on screen until the result arrives. A
    /// request already running is stopped: its future is dropped at its next await.
    pub fn request<F>(&mut self, rt: &tokio::runtime::Handle, repaint: &Repaint, fut: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        // Taking the old value drops the old guard, which stops the task it guarded.
        let previous = self.take_value();
        let (tx, rx) = oneshot::channel();
        let cancel = spawn_cancellable(rt, answer(fut, tx, Arc::clone(repaint)));
        *self = Self::Pending {
            rx,
            previous,
            cancel: Some(cancel),
        };
    }

    /// Like [`Requested::request`], but the task runs to its end even when the cell stops
    /// waiting for it: for writes (a delete) that must not be cut halfway. Only its result
    /// is dropped then.
    pub fn request_to_end<F>(&mut self, rt: &tokio::runtime::Handle, repaint: &Repaint, fut: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let previous = self.take_value();
        let (tx, rx) = oneshot::channel();
        rt.spawn(answer(fut, tx, Arc::clone(repaint)));
        *self = Self::Pending {
            rx,
            previous,
            cancel: None,
        };
    }

    /// Moves a finished result in; never blocks. Returns true when something arrived.
    pub fn poll(&mut self) -> bool {
        let Self::Pending { rx, .. } = self else {
            return false;
        };
        let result = match rx.try_recv() {
            Ok(result) => result,
            Err(oneshot::error::TryRecvError::Empty) => return false,
            Err(oneshot::error::TryRecvError::Closed) => Err(E::vanished()),
        };
        let previous = self.take_value();
        *self = match result {
            Ok(value) => Self::Ready(value),
            Err(error) => Self::Failed { error, previous },
        };
        true
    }
}

impl<T, E> Requested<T, E> {
    fn take_value(&mut self) -> Option<T> {
        match std::mem::take(self) {
            Self::Ready(v) => Some(v),
            Self::Pending { previous, .. } | Self::Failed { previous, .. } => previous,
            Self::Idle => None,
        }
    }

    /// The value to show: the fresh one, or the previous one while refreshing or failed.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Ready(v) => Some(v),
            Self::Pending { previous, .. } | Self::Failed { previous, .. } => previous.as_ref(),
            Self::Idle => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Ready(v) => Some(v),
            Self::Pending { previous, .. } | Self::Failed { previous, .. } => previous.as_mut(),
            Self::Idle => None,
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending { .. })
    }

    pub fn is_idle(&self) -> bool {
        matches!(self, Self::Idle)
    }

    pub fn error(&self) -> Option<&E> {
        match self {
            Self::Failed { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Far above any healthy run; only turns a hang into a failure.
    const DEADLINE: Duration = Duration::from_secs(30);

    /// Tells the test when the future holding it is dropped.
    struct OnDrop(mpsc::Sender<&'static str>, &'static str);

    impl Drop for OnDrop {
        fn drop(&mut self) {
            let _ = self.0.send(self.1);
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime")
    }

    /// A request that never ends on its own, holding `guard`.
    async fn forever(guard: OnDrop) -> Result<u32, String> {
        let _guard = guard;
        std::future::pending::<()>().await;
        Ok(0)
    }

    #[test]
    fn replacing_resetting_or_dropping_a_request_stops_its_task() {
        let rt = runtime();
        let repaint: Repaint = Arc::new(|| {});
        let (tx, rx) = mpsc::channel();
        let mut cell: Requested<u32, String> = Requested::Idle;

        cell.request(
            rt.handle(),
            &repaint,
            forever(OnDrop(tx.clone(), "replaced")),
        );
        cell.request(rt.handle(), &repaint, forever(OnDrop(tx.clone(), "reset")));
        assert_eq!(rx.recv_timeout(DEADLINE), Ok("replaced"));

        cell = Requested::Idle;
        assert_eq!(rx.recv_timeout(DEADLINE), Ok("reset"));
        assert!(cell.is_idle());

        let mut cell: Requested<u32, String> = Requested::Idle;
        cell.request(rt.handle(), &repaint, forever(OnDrop(tx, "dropped")));
        drop(cell);
        assert_eq!(rx.recv_timeout(DEADLINE), Ok("dropped"));
    }

    #[test]
    fn a_request_to_the_end_outlives_its_cell() {
        let rt = runtime();
        let repaint: Repaint = Arc::new(|| {});
        let (go, wait) = oneshot::channel::<()>();
        let (tx, rx) = mpsc::channel();
        let mut cell: Requested<u32, String> = Requested::Idle;
        cell.request_to_end(rt.handle(), &repaint, async move {
            let _ = wait.await;
            let _ = tx.send("finished");
            Ok(1)
        });
        drop(cell);
        let _ = go.send(());
        assert_eq!(rx.recv_timeout(DEADLINE), Ok("finished"));
    }

    #[test]
    fn a_finished_request_is_polled_in() {
        let rt = runtime();
        let (tx, rx) = mpsc::channel();
        let repaint: Repaint = Arc::new(move || {
            let _ = tx.send(());
        });
        let mut cell: Requested<u32, String> = Requested::Idle;
        cell.request(rt.handle(), &repaint, async { Ok(7) });
        assert_eq!(rx.recv_timeout(DEADLINE), Ok(()));
        assert!(cell.poll());
        assert_eq!(cell.value(), Some(&7));
    }
}
