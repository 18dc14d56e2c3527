//! What a held request waits on: the test's [`Gate`], and whether its client is still there
//! (a client that closed, such as a cancelled request, is not answered).

use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// A door the test opens: requests held by [`Fault::Hold`](super::Fault::Hold) wait behind it.
#[derive(Clone, Debug, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    pub fn new() -> Self {
        Self::default()
    }
    /// Lets every held request (and every later one) through.
    pub fn open(&self) {
        let (open, changed) = &*self.0;
        *open.lock().expect("gate") = true;
        changed.notify_all();
    }
    /// Blocks until the gate is opened, `stop` is set (the proxy was dropped) or `gone` says
    /// the client left; returns false in the last case.
    pub(super) fn wait(&self, stop: &AtomicBool, gone: impl Fn() -> bool) -> bool {
        let (open, changed) = &*self.0;
        let mut is_open = open.lock().expect("gate");
        while !*is_open && !stop.load(Ordering::SeqCst) {
            if gone() {
                return false;
            }
            // Woken by `open`; the timeout lets a dropped proxy end its held threads and
            // notices a client that closed while held.
            is_open = changed
                .wait_timeout(is_open, Duration::from_millis(20))
                .expect("gate")
                .0;
        }
        true
    }
}

/// Two gates are the same fault when they are the same door.
impl PartialEq for Gate {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Gate {}

/// Whether the client closed its side (EOF or an error on a peek that does not wait).
pub(super) fn client_gone(w: &TcpStream) -> bool {
    if w.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match w.peek(&mut [0u8; 1]) {
        Ok(n) => n == 0,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = w.set_nonblocking(false);
    gone
}
