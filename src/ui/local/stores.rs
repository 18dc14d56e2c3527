//! Local stores in the sidebar: Berth's own layout ("Local (Berth)"), each layout directory
//! in the settings, and Docker and Podman with their API version. Each row shows the store's
//! disk usage; an engine that does not answer is greyed out with the reason on hover, never
//! an error popup. Opening a store (and, for engines, finding the socket) runs on the
//! runtime like every other request.

use crate::format::size;
use crate::settings::Settings;
use crate::store::engine::EngineKind;
use crate::store::{self, DiskUsage, EngineStore, LocalStore, StoreLocation};
use crate::tr;
use crate::ui::kit::requested::{Requested, Vanished};
use crate::ui::shell::theme::Tone;
use crate::ui::{Bg, kit::widgets};
use egui::{RichText, Ui};
use std::sync::Arc;

impl Vanished for store::Error {
    fn vanished() -> Self {
        store::Error::Task {
            reason: "cancelled".to_owned(),
        }
    }
}

/// A store that answered.
#[derive(Clone)]
pub struct OpenedStore {
    /// `None`: Berth's own store, not created yet (it appears with the first pull).
    pub store: Option<Arc<dyn LocalStore>>,
    pub usage: Option<DiskUsage>,
    /// Engines: `API 1.41` and the engine's name as it answered.
    pub engine: Option<(EngineKind, String)>,
}

pub struct LocalSource {
    pub location: StoreLocation,
    pub name: String,
    /// The second line: the directory, or the engine's socket once known.
    pub detail: String,
    pub conn: Requested<OpenedStore, store::Error>,
}

impl LocalSource {
    #[must_use]
    pub fn new(location: StoreLocation, settings: &Settings) -> Self {
        let (name, detail) = match &location {
            StoreLocation::Berth => (
                tr!("local-berth"),
                store::berth_store_dir(settings)
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
            ),
            StoreLocation::Layout(dir) => (
                dir.file_name().map_or_else(
                    || dir.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                dir.display().to_string(),
            ),
            StoreLocation::Docker => ("Docker".to_owned(), String::new()),
            StoreLocation::Podman => ("Podman".to_owned(), String::new()),
        };
        Self {
            location,
            name,
            detail,
            conn: Requested::Idle,
        }
    }

    /// Opens the store and reads its disk usage, off the UI thread.
    pub fn open(&mut self, bg: &Bg, settings: &Settings) {
        let (location, settings) = (self.location.clone(), settings.clone());
        self.conn.request(&bg.rt, &bg.repaint, async move {
            let (store, engine): (Arc<dyn LocalStore>, _) = match &location {
                StoreLocation::Berth => {
                    let dir = store::berth_store_dir(&settings)?;
                    let exists =
                        tokio::task::spawn_blocking(move || dir.join("oci-layout").is_file())
                            .await
                            .unwrap_or(false);
                    if !exists {
                        return Ok(OpenedStore {
                            store: None,
                            usage: Some(DiskUsage::default()),
                            engine: None,
                        });
                    }
                    (Arc::from(store::open(&location, &settings).await?), None)
                }
                StoreLocation::Layout(_) => {
                    (Arc::from(store::open(&location, &settings).await?), None)
                }
                StoreLocation::Docker | StoreLocation::Podman => {
                    let kind = if location == StoreLocation::Docker {
                        EngineKind::Docker
                    } else {
                        EngineKind::Podman
                    };
                    let engine = EngineStore::connect(kind, &settings).await?;
                    let info = engine.info();
                    let text = format!("API {} · {}", info.api_version, info.address);
                    let flavor = info.flavor;
                    (
                        Arc::new(engine) as Arc<dyn LocalStore>,
                        Some((flavor, text)),
                    )
                }
            };
            let usage = store.disk_usage().await.ok();
            Ok(OpenedStore {
                store: Some(store),
                usage,
                engine,
            })
        });
    }

    #[must_use]
    pub fn store(&self) -> Option<Arc<dyn LocalStore>> {
        self.conn.value().and_then(|o| o.store.clone())
    }

    /// Where the Files tab reads blobs: the layout's directory (engines have none).
    #[must_use]
    pub fn blob_dir(&self, settings: &Settings) -> Option<std::path::PathBuf> {
        match &self.location {
            StoreLocation::Berth => store::berth_store_dir(settings).ok(),
            StoreLocation::Layout(dir) => Some(dir.clone()),
            StoreLocation::Docker | StoreLocation::Podman => None,
        }
    }

    /// The reference prefix the CLI uses for this store (`berth:`, `oci:DIR:`, `docker:`).
    #[must_use]
    pub fn prefix(&self) -> String {
        match &self.location {
            StoreLocation::Layout(dir) => format!("oci:{}", dir.display()),
            other => other.to_string().trim_end_matches(':').to_owned(),
        }
    }
}

/// Draws the local section of the sidebar; returns the row clicked.
pub fn show_rows(ui: &mut Ui, locals: &[LocalSource], selected: Option<usize>) -> Option<usize> {
    if locals.is_empty() {
        return None;
    }
    let mut clicked = None;
    ui.add_space(8.0);
    ui.label(
        egui::RichText::new(tr!("local-title"))
            .small()
            .strong()
            .color(ui.visuals().weak_text_color()),
    );
    ui.add_space(2.0);
    for (i, local) in locals.iter().enumerate() {
        if local_row(ui, local, selected == Some(i)).clicked() {
            clicked = Some(i);
        }
    }
    clicked
}

/// What a sidebar row says: its tone, state (usage or "not found") and second line (the
/// directory, the engine's API version and socket, or why it is missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowText {
    pub name: String,
    pub state: String,
    pub second: String,
    /// Greyed out: the engine is not there, or the store cannot be read.
    pub unavailable: bool,
    /// Why, shown on hover.
    pub reason: Option<String>,
    /// The store or engine has answered (with its contents or an error); until then the row
    /// says "connecting…".
    pub answered: bool,
}

fn row_text(local: &LocalSource) -> (Tone, RowText) {
    let (tone, state, second, _missing) = match &local.conn {
        Requested::Idle | Requested::Pending { previous: None, .. } => (
            Tone::Busy,
            tr!("state-connecting"),
            local.detail.clone(),
            false,
        ),
        Requested::Failed { error, .. } => {
            let missing = matches!(error, store::Error::EngineNotFound { .. });
            let state = if missing {
                tr!("local-not-found")
            } else {
                tr!("state-failed")
            };
            let second = if missing {
                tr!("local-engine-missing")
            } else {
                local.detail.clone()
            };
            (Tone::Idle, state, second, missing)
        }
        Requested::Ready(o)
        | Requested::Pending {
            previous: Some(o), ..
        } => {
            let usage = o.usage.map_or_else(String::new, |u| {
                tr!(
                    "local-usage",
                    count = i64::try_from(u.images).unwrap_or(i64::MAX),
                    size = size(u.total_bytes)
                )
            });
            let second = match &o.engine {
                Some((_, api)) => api.clone(),
                None => local.detail.clone(),
            };
            (Tone::Ok, usage, second, false)
        }
    };
    let failed = local.conn.error().is_some();
    let name = match local.conn.value().and_then(|o| o.engine.as_ref()) {
        // Podman also answers on Docker's socket: say what really runs there.
        Some((EngineKind::Podman, _)) if local.location == StoreLocation::Docker => {
            format!("{} (Podman)", local.name)
        }
        _ => local.name.clone(),
    };
    (
        tone,
        RowText {
            name,
            state,
            second,
            unavailable: failed,
            reason: local.conn.error().map(crate::i18n::describe),
            answered: local.conn.error().is_some() || local.conn.value().is_some(),
        },
    )
}

/// What each local row says, in sidebar order (tests read it).
#[must_use]
pub fn row_texts(locals: &[LocalSource]) -> Vec<RowText> {
    locals.iter().map(|l| row_text(l).1).collect()
}

fn local_row(ui: &mut Ui, local: &LocalSource, selected: bool) -> egui::Response {
    let (
        tone,
        RowText {
            name,
            state,
            second,
            unavailable: failed,
            ..
        },
    ) = row_text(local);
    let response = widgets::list_row(ui, selected, 42.0, &local.name, |ui, rect| {
        let text = widgets::row_text_color(ui, selected);
        let weak = if selected {
            text.gamma_multiply(0.8)
        } else {
            ui.visuals().weak_text_color()
        };
        let main = if failed && !selected { weak } else { text };
        widgets::source_row_body(
            ui,
            rect,
            tone,
            (&name, main),
            (&state, weak),
            (&second, weak),
        );
    });
    // The whole row in words: a narrow sidebar may have elided any part of it.
    let detail = match &local.conn {
        Requested::Failed { error, .. } => Some(crate::i18n::describe(error)),
        _ => local.conn.value().and_then(|o| o.usage).map(|u| {
            tr!(
                "local-usage-tooltip",
                bytes =
                    crate::i18n::group_thousands(i64::try_from(u.total_bytes).unwrap_or(i64::MAX)),
                reclaimable = size(u.reclaimable_bytes)
            )
        }),
    };
    response.on_hover_ui(|ui| {
        ui.label(RichText::new(&name).strong());
        if !state.is_empty() {
            ui.label(&state);
        }
        ui.label(RichText::new(&second).small());
        if let Some(detail) = &detail {
            ui.label(detail);
        }
    })
}
