//! The sources sidebar: every registry Berth can browse, each with its connection state
//! (connecting, ok, needs login, unreachable with the error box's sentence on hover). Docker
//! Hub is there from the start and connects only when selected, so an offline machine shows
//! no spinner.

use crate::oci::reference::DOCKER_HUB_HOST;
use crate::oci::{RegistryName, Scheme};
use crate::registry::credentials::{CredentialPaths, lookup_async};
use crate::registry::{ClientConfig, Credentials, Error, RegistryClient};
use crate::settings::{ConnectionOverrides, SavedRegistry, Settings};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use crate::ui::shell::theme::{self, Tone};
use egui::{RichText, Ui};
use std::sync::Arc;

/// Where a source came from, which decides whether it can be edited and saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Docker Hub, preconfigured.
    DockerHub,
    /// A registry saved in the settings file.
    Saved,
    /// `--registry URL`, for this run only.
    CommandLine,
}

/// A registry's identity for this run. It survives the removal and reordering of other
/// registries, so the location and the views can hold it (never a position in the list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceId(u64);

/// The registries in the sidebar, in display order, found by id.
#[derive(Default)]
pub struct Sources {
    list: Vec<Source>,
    next: u64,
}

impl Sources {
    /// Adds a source at the end and gives it its id.
    pub fn add(&mut self, mut source: Source) -> SourceId {
        self.next += 1;
        let id = SourceId(self.next);
        source.id = id;
        self.list.push(source);
        id
    }

    /// Puts `source` in the place of `id`, which it keeps.
    pub fn replace(&mut self, id: SourceId, mut source: Source) {
        if let Some(slot) = self.get_mut(id) {
            source.id = id;
            *slot = source;
        }
    }

    pub fn remove(&mut self, id: SourceId) -> Option<Source> {
        let at = self.list.iter().position(|s| s.id == id)?;
        Some(self.list.remove(at))
    }

    #[must_use]
    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.list.iter().find(|s| s.id == id)
    }

    pub fn get_mut(&mut self, id: SourceId) -> Option<&mut Source> {
        self.list.iter_mut().find(|s| s.id == id)
    }

    #[must_use]
    pub fn find_host(&self, host: &str) -> Option<SourceId> {
        self.list
            .iter()
            .find(|s| s.registry.host == host)
            .map(|s| s.id)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Source> {
        self.list.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Source> {
        self.list.iter_mut()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The list in display order, for views that keep their own snapshot of it.
    #[must_use]
    pub fn as_slice(&self) -> &[Source] {
        &self.list
    }

    /// Where `id` is in display order (for the Compare window, which still counts rows).
    #[must_use]
    pub fn position(&self, id: SourceId) -> Option<usize> {
        self.list.iter().position(|s| s.id == id)
    }
}

pub struct Source {
    /// Given by `Sources::add`; 0 until then.
    id: SourceId,
    pub name: String,
    pub registry: RegistryName,
    pub origin: Origin,
    /// Credentials typed in this run; when anonymous, Docker's and Podman's stores are asked.
    pub credentials: Credentials,
    /// After "Log out", the stores are not asked again this run.
    pub logged_out: bool,
    /// Credentials were typed and should be saved once they work.
    pub store_on_success: bool,
    pub conn: Requested<Arc<RegistryClient>>,
}

/// What the sidebar shows for a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    NotConnected,
    Connecting,
    Ok,
    NeedsLogin,
    /// The error box's sentence.
    Unreachable(String),
    Failed(String),
}

impl Source {
    #[must_use]
    pub fn new(name: String, registry: RegistryName, origin: Origin) -> Self {
        Self {
            id: SourceId(0),
            name,
            registry,
            origin,
            credentials: Credentials::Anonymous,
            logged_out: false,
            store_on_success: false,
            conn: Requested::Idle,
        }
    }

    #[must_use]
    pub fn docker_hub() -> Self {
        Self::new(
            "Docker Hub".to_owned(),
            RegistryName {
                host: DOCKER_HUB_HOST.to_owned(),
                scheme: Some(Scheme::Https),
            },
            Origin::DockerHub,
        )
    }

    #[must_use]
    pub fn from_saved(saved: &SavedRegistry) -> Option<Self> {
        let registry = saved.registry_name()?;
        let name = if saved.name.trim().is_empty() {
            registry.host.clone()
        } else {
            saved.name.clone()
        };
        Some(Self::new(name, registry, Origin::Saved))
    }

    #[must_use]
    pub fn id(&self) -> SourceId {
        self.id
    }

    #[must_use]
    pub fn is_docker_hub(&self) -> bool {
        self.registry.host == DOCKER_HUB_HOST
    }

    /// The connected client, if the last connection attempt succeeded (or is refreshing).
    #[must_use]
    pub fn client(&self) -> Option<Arc<RegistryClient>> {
        self.conn.value().cloned()
    }

    #[must_use]
    pub fn state(&self) -> State {
        match &self.conn {
            Requested::Idle => State::NotConnected,
            Requested::Pending { .. } => State::Connecting,
            Requested::Ready(_) => State::Ok,
            // The sentence the error box shows (a network library's chain stays under its
            // Details), for the row's hover text.
            Requested::Failed { error, .. } => match error {
                Error::Unauthorized { .. } => State::NeedsLogin,
                Error::Unreachable { .. } => {
                    State::Unreachable(crate::i18n::describe_error_brief(error).0)
                }
                other => State::Failed(crate::i18n::describe_error_brief(other).0),
            },
        }
    }

    /// Builds a client with the settings' connection options and stored or typed
    /// credentials, and pings it; all off the UI thread.
    pub fn connect(&mut self, bg: &Bg, settings: &Settings, paths: &CredentialPaths) {
        let mut config: ClientConfig =
            settings.client_config(&self.registry, &ConnectionOverrides::default());
        config.credentials = self.credentials.clone();
        let ask_stores = self.credentials.is_anonymous() && !self.logged_out;
        let paths = paths.clone();
        let host = self.registry.host.clone();
        self.conn.request(&bg.rt, &bg.repaint, async move {
            if ask_stores {
                match lookup_async(paths, host.clone()).await {
                    Ok(Some((found, source))) => {
                        tracing::debug!(%host, %source, "using stored credentials");
                        config.credentials = found;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(%host, error = %e, "cannot read stored credentials"),
                }
            }
            let client = RegistryClient::new(&host, config)?;
            client.ping().await?;
            Ok(Arc::new(client))
        });
    }
}

/// What the sidebar asks the app to do.
#[derive(Clone, Copy, Debug)]
pub enum SourceAction {
    Select(SourceId),
    Add,
    Edit(SourceId),
    LogOut(SourceId),
    /// A local store (an index into the local rows).
    SelectLocal(usize),
}

/// Draws the sidebar.
pub fn show(
    ui: &mut Ui,
    sources: &Sources,
    selected: Option<SourceId>,
    locals: &[crate::ui::local::stores::LocalSource],
    selected_local: Option<usize>,
) -> Option<SourceAction> {
    let mut action = None;
    theme::header_frame(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(tr!("sources-title")).strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button(tr!("sources-add"))
                    .on_hover_text(tr!("sources-add-tooltip"))
                    .clicked()
                {
                    action = Some(SourceAction::Add);
                }
            });
        });
    });
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .id_salt("sources")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 2.0;
            for source in sources.iter() {
                let i = source.id;
                let response = source_row(ui, source, selected == Some(i));
                if response.clicked() {
                    action = Some(SourceAction::Select(i));
                }
                response.context_menu(|ui| {
                    if source.origin != Origin::DockerHub
                        && ui.button(tr!("sources-edit")).clicked()
                    {
                        action = Some(SourceAction::Edit(i));
                        ui.close();
                    }
                    if ui.button(tr!("sources-log-out")).clicked() {
                        action = Some(SourceAction::LogOut(i));
                        ui.close();
                    }
                });
            }
            if sources.is_empty() {
                ui.add_space(8.0);
                ui.label(
                    RichText::new(tr!("sources-empty"))
                        .color(ui.visuals().weak_text_color())
                        .small(),
                );
            }
            if let Some(i) = crate::ui::local::stores::show_rows(ui, locals, selected_local) {
                action = Some(SourceAction::SelectLocal(i));
            }
        });
    action
}

fn source_row(ui: &mut Ui, source: &Source, selected: bool) -> egui::Response {
    let state = source.state();
    let (tone, state_text) = match &state {
        State::NotConnected => (Tone::Idle, tr!("state-not-connected")),
        State::Connecting => (Tone::Busy, tr!("state-connecting")),
        State::Ok => (Tone::Ok, tr!("state-ok")),
        State::NeedsLogin => (Tone::Warn, tr!("state-needs-login")),
        State::Unreachable(_) => (Tone::Error, tr!("state-unreachable")),
        State::Failed(_) => (Tone::Error, tr!("state-failed")),
    };
    let insecure = source.registry.scheme == Some(Scheme::Http);
    let response = widgets::list_row(ui, selected, 42.0, &source.name, |ui, rect| {
        let text = widgets::row_text_color(ui, selected);
        let weak = if selected {
            text.gamma_multiply(0.8)
        } else {
            ui.visuals().weak_text_color()
        };
        let state_color = if selected {
            weak
        } else {
            theme::tone(ui, tone)
        };
        let mut second = source.registry.host.clone();
        if insecure {
            second = format!("{second} · {}", tr!("badge-plain-http"));
        }
        widgets::source_row_body(
            ui,
            rect,
            tone,
            (&source.name, text),
            (&state_text, state_color),
            (&second, weak),
        );
    });
    match state {
        State::Unreachable(sentence) | State::Failed(sentence) => {
            response.on_hover_text(crate::format::escape_lines(&sentence).into_owned())
        }
        _ => response.on_hover_text(format!("{} ({state_text})", source.registry.host)),
    }
}
