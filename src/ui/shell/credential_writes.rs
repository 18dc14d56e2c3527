//! Saving and removing a registry's stored login from the window. The files (or Docker's
//! credential helper) are written on a blocking task, since the UI thread never waits on the
//! disk (ARCHITECTURE.md); a failure comes back over a channel and becomes a status-bar
//! notice that names the registry, says why, and what to do, because a login that silently
//! was not saved (or not forgotten) would surprise the user at the next start.

use crate::registry::Secret;
use crate::registry::credentials::{CredentialError, CredentialPaths};
use crate::tr;
use crate::ui::kit::notice::Notice;
use crate::ui::{Bg, Repaint};
use std::sync::Arc;
use tokio::sync::mpsc;

/// What was being done when a write failed.
enum Op {
    Save,
    Remove,
}

struct Failure {
    op: Op,
    host: String,
    error: CredentialError,
}

impl Failure {
    /// Worded on the UI thread, in the window's language (the blocking task has none), each
    /// time the status bar draws it.
    fn notice(&self) -> String {
        let (registry, reason) = (self.host.as_str(), crate::i18n::describe(&self.error));
        match self.op {
            Op::Save => tr!(
                "notice-credentials-not-saved",
                registry = registry,
                reason = reason
            ),
            Op::Remove => tr!(
                "notice-credentials-not-removed",
                registry = registry,
                reason = reason
            ),
        }
    }
}

pub struct CredentialWrites {
    paths: CredentialPaths,
    rt: tokio::runtime::Handle,
    repaint: Repaint,
    tx: mpsc::UnboundedSender<Failure>,
    rx: mpsc::UnboundedReceiver<Failure>,
}

impl CredentialWrites {
    pub fn new(bg: &Bg, paths: CredentialPaths) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            paths,
            rt: bg.rt.clone(),
            repaint: Arc::clone(&bg.repaint),
            tx,
            rx,
        }
    }

    /// Saves a login that the registry accepted, where `berth login` would.
    pub fn save(&self, host: String, username: String, password: Secret) {
        self.run(Op::Save, host, move |paths, host| {
            paths.store(host, &username, &password).map(drop)
        });
    }

    /// Forgets the stored login for `host` everywhere Berth reads one.
    pub fn remove(&self, host: String) {
        self.run(Op::Remove, host, |paths, host| paths.remove(host).map(drop));
    }

    fn run(
        &self,
        op: Op,
        host: String,
        write: impl FnOnce(&CredentialPaths, &str) -> Result<(), CredentialError> + Send + 'static,
    ) {
        let (paths, tx, repaint) = (
            self.paths.clone(),
            self.tx.clone(),
            Arc::clone(&self.repaint),
        );
        self.rt.spawn_blocking(move || {
            if let Err(error) = write(&paths, &host) {
                tracing::warn!(%host, %error, "cannot write stored credentials");
                // The window may be closing; then nobody is left to tell.
                let _ = tx.send(Failure { op, host, error });
                repaint();
            }
        });
    }

    /// The notice for the latest failure since the last call, if any.
    pub fn poll(&mut self) -> Option<Notice> {
        let mut latest = None;
        while let Ok(failure) = self.rx.try_recv() {
            latest = Some(failure);
        }
        latest.map(|f| Notice::new(move || f.notice()))
    }
}
