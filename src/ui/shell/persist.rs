//! What the window remembers between runs, and how it is written without touching the disk
//! from the UI thread: settings (shared with the CLI) and the window's own marks (recent and
//! pinned repositories per registry, in `ui-state.toml` beside the settings). Writes run one
//! at a time on the runtime, and only the latest snapshot is written.

use crate::ui::Bg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

/// How many recent repositories are kept per registry.
const RECENT: usize = 8;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Marks {
    /// host → repositories, most recent first.
    pub recent: BTreeMap<String, Vec<String>>,
    /// host → pinned repositories, in the order they were pinned.
    pub pinned: BTreeMap<String, Vec<String>>,
    /// The "no font for Korean, Chinese or Japanese" hint was dismissed.
    pub font_hint_dismissed: bool,
}

impl Marks {
    /// Reads the marks; a missing or unreadable file gives none (they are a convenience).
    #[must_use]
    pub fn load(path: &Path) -> Self {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "ignoring invalid ui state");
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = toml::to_string_pretty(self).map_err(|e| e.to_string())?;
        write_atomic(path, &text)
    }

    pub fn visit(&mut self, host: &str, repo: &str) {
        let list = self.recent.entry(host.to_owned()).or_default();
        list.retain(|r| r != repo);
        list.insert(0, repo.to_owned());
        list.truncate(RECENT);
    }

    pub fn toggle_pin(&mut self, host: &str, repo: &str) {
        let list = self.pinned.entry(host.to_owned()).or_default();
        if let Some(i) = list.iter().position(|r| r == repo) {
            list.remove(i);
        } else {
            list.push(repo.to_owned());
        }
    }

    #[must_use]
    pub fn is_pinned(&self, host: &str, repo: &str) -> bool {
        self.pinned
            .get(host)
            .is_some_and(|l| l.iter().any(|r| r == repo))
    }
}

/// Replaces `path` with `text` (see `crate::atomic_file`), creating its directory.
fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    crate::atomic_file::write_atomic(path, text.as_bytes(), None).map_err(err)
}

type SaveFn<T> = fn(&T, &Path) -> Result<(), String>;

/// Saves snapshots of a value in the background, latest first, one write at a time.
pub struct Saver<T> {
    tx: watch::Sender<Option<T>>,
    errors: mpsc::Receiver<String>,
}

impl<T: Clone + Send + Sync + 'static> Saver<T> {
    pub fn new(bg: &Bg, path: PathBuf, save: SaveFn<T>) -> Self {
        let (tx, mut rx) = watch::channel(None::<T>);
        let (err_tx, errors) = mpsc::channel(4);
        let repaint = Arc::clone(&bg.repaint);
        bg.rt.spawn(async move {
            while rx.changed().await.is_ok() {
                let Some(value) = rx.borrow_and_update().clone() else {
                    continue;
                };
                let path = path.clone();
                let result = tokio::task::spawn_blocking(move || save(&value, &path))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                if let Err(e) = result {
                    let _ = err_tx.try_send(e);
                    repaint();
                }
            }
        });
        Self { tx, errors }
    }

    pub fn save(&self, value: T) {
        self.tx.send_replace(Some(value));
    }

    /// A write that failed since the last call.
    pub fn poll_error(&mut self) -> Option<String> {
        self.errors.try_recv().ok()
    }
}

/// `Settings::save` in the shape a [`Saver`] wants.
pub fn save_settings(settings: &crate::settings::Settings, path: &Path) -> Result<(), String> {
    settings.save(path).map_err(|e| e.to_string())
}

/// `Marks::save` in the shape a [`Saver`] wants.
pub fn save_marks(marks: &Marks, path: &Path) -> Result<(), String> {
    marks.save(path)
}
