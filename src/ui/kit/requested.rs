//! A value that a background task produces, cheap to poll every frame (ARCHITECTURE.md, after
//! rerun's `RequestedObject`): the request starts once, the previous value stays on screen
//! while a refresh runs, and the task asks for a repaint when it is done.

use crate::registry::Error;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Wakes the UI from a background task. Built from `egui::Context::request_repaint`, so the
/// core never names egui.
pub type Repaint = Arc<dyn Fn() + Send + Sync>;

#[derive(Default)]
pub enum Requested<T, E = Error> {
    #[default]
    Idle,
    Pending {
        rx: oneshot::Receiver<Result<T, E>>,
        previous: Option<T>,
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
    /// request already running is replaced (its result is dropped when it comes).
    pub fn request<F>(&mut self, rt: &tokio::runtime::Handle, repaint: &Repaint, fut: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let previous = self.take_value();
        let (tx, rx) = oneshot::channel();
        let repaint = Arc::clone(repaint);
        rt.spawn(async move {
            let _ = tx.send(fut.await);
            repaint();
        });
        *self = Self::Pending { rx, previous };
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
