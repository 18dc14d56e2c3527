//! The eframe app: `logic` moves background results into view state, `ui` lays out the
//! panels (sources, repositories, tags or image) and turns clicks and keys into navigation.

use crate::i18n::{self, Lang};
use crate::oci::RegistryName;
use crate::registry::credentials::CredentialPaths;
use crate::settings::Settings;
use crate::ui::browse::login::LoginForm;
use crate::ui::browse::registry_dialog::RegistryDialog;
use crate::ui::browse::repos::list::RepoList;
use crate::ui::browse::tags::delete::TagDeleteDialog;
use crate::ui::browse::tags::delete_many::MarkedDeleteDialog;
use crate::ui::kit::notice::Notice;
use crate::ui::local::delete::DeleteDialog;
use crate::ui::local::import::ImportDialog;
use crate::ui::shell::credential_writes::CredentialWrites;
use crate::ui::shell::fonts::{FontLoader, FontSource};
use crate::ui::shell::location::Nav;
use crate::ui::shell::persist::{self, Marks, Saver};
use crate::ui::shell::sidebar::{Origin, Source, SourceId, Sources};
use crate::ui::transfer::copy::CopyDialog;
use crate::ui::transfer::export::ExportDialog;
use crate::ui::{Bg, Repaint, shell::theme};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything the window needs from outside; tests give their own paths, never the
/// user's.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    pub settings_path: PathBuf,
    /// `--registry URL`, shown for this run only.
    pub extra_registries: Vec<String>,
    /// `--no-default-registries`: no Docker Hub.
    pub no_default_registries: bool,
    /// `--lang`; otherwise the settings, then the system locale.
    pub lang: Option<Lang>,
    /// `BERTH_FONT_DIRS`, or the system's fonts; then the settings' font file and
    /// directories apply. Tests give a fixed file or an empty directory here.
    pub fonts: FontSource,
    pub credential_paths: CredentialPaths,
    /// Where layer listings are cached; `None`: the user's cache directory.
    pub layer_cache_dir: Option<PathBuf>,
    /// The user's directories and file chooser (`Desktop::from_env` in `main`).
    pub desktop: crate::ui::Desktop,
}

/// The one dialog open over the window, if any: the window is modal while it is there,
/// and opening another replaces it.
pub(super) enum Dialog {
    /// Add or edit a registry (and remove it from there).
    Registry(RegistryDialog),
    /// The confirmation of a registry tag delete.
    DeleteTag(TagDeleteDialog),
    /// The one delete confirmation for marked tags, with its plan.
    DeleteMarkedTags(MarkedDeleteDialog),
    /// Clean up… by retention rules, with its preview.
    Cleanup(Box<crate::ui::browse::tags::cleanup::CleanupDialog>),
    /// "Copy to…" and "Export…", for a registry tag or a local image.
    Copy(CopyDialog),
    Export(ExportDialog),
    /// Deleting an image from a local store, and loading one from an archive.
    DeleteLocal(DeleteDialog),
    Import(ImportDialog),
}

impl Dialog {
    /// Moves finished background results in (tests, connection checks, plans).
    fn poll(&mut self) {
        match self {
            Self::Registry(d) => d.poll(),
            Self::DeleteTag(d) => d.poll(),
            Self::Export(d) => d.poll(),
            Self::DeleteLocal(d) => d.poll(),
            Self::Import(d) => d.poll(),
            Self::DeleteMarkedTags(d) => d.poll(),
            Self::Cleanup(d) => d.poll(),
            Self::Copy(_) => {}
        }
    }
}

pub struct BerthApp {
    pub(super) bg: Bg,
    pub(super) credential_paths: CredentialPaths,
    /// Saving and removing stored logins; their failures become the notice.
    pub(super) credential_writes: CredentialWrites,
    pub(super) settings: Settings,
    settings_saver: Saver<Settings>,
    pub(super) marks: Marks,
    marks_saver: Saver<Marks>,
    pub(super) lang: Lang,
    /// The registries in the sidebar, by stable id.
    pub(super) sources: Sources,
    /// Where the window is, and the views that place opened.
    pub(super) nav: Nav,
    /// One repository list per registry host, kept while browsing elsewhere.
    pub(super) repo_lists: HashMap<String, RepoList>,
    pub(super) dialog: Option<Dialog>,
    pub(super) login: LoginForm,
    pub(super) fonts: FontLoader,
    /// A problem to show in the status bar (a failed save, an unreadable settings file).
    pub(super) notice: Option<Notice>,
    pub(super) logo: Option<egui::TextureHandle>,
    pub(super) compare: Option<super::compare::CompareView>,
    /// Local stores: Berth's own, layouts, engines.
    pub(super) local: crate::ui::local::browser::LocalBrowser,
    pub(super) settings_window: Option<crate::ui::shell::settings_window::SettingsWindow>,
    /// Background jobs (pulls) and their panel.
    pub(super) jobs: crate::ui::jobs_panel::Jobs,
    title: String,
    /// The widget that had the keyboard when the last frame ended: Escape that takes the
    /// focus from a field must not also go back.
    pub(super) focus_after_frame: Option<egui::Id>,
    /// Stops the text cursor's blink a few seconds after the last input.
    cursor_blink: crate::ui::kit::cursor_blink::CursorBlink,
}

impl BerthApp {
    /// Builds the app. Reads the settings file once (a few hundred bytes, before the first
    /// frame); everything else happens on `rt`.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        options: AppOptions,
        rt: tokio::runtime::Handle,
    ) -> Self {
        let AppOptions {
            settings_path,
            extra_registries,
            no_default_registries,
            lang,
            fonts,
            credential_paths,
            layer_cache_dir,
            desktop,
        } = options;
        let ctx = cc.egui_ctx.clone();
        let repaint: Repaint = Arc::new(move || ctx.request_repaint());
        let layer_cache = layer_cache_dir.map_or_else(
            || crate::layers::LayerCache::open_default().ok(),
            |dir| Some(crate::layers::LayerCache::new(dir)),
        );
        let bg = Bg {
            rt,
            repaint,
            layer_cache,
            desktop: Arc::new(desktop),
        };
        let (settings, notice) = match Settings::load(&settings_path) {
            Ok(s) => (s, None),
            Err(e) => {
                let text = e.to_string();
                (Settings::default(), Some(Notice::new(move || text.clone())))
            }
        };
        let lang = lang.unwrap_or_else(|| i18n::choose_lang(None, settings.language.as_deref()));
        i18n::set_thread_lang(lang);
        theme::install(&cc.egui_ctx);
        theme::apply(&cc.egui_ctx, settings.theme);
        let marks_path = settings_path.with_file_name("ui-state.toml");
        let marks = Marks::load(&marks_path);
        let mut app = Self {
            settings_saver: Saver::new(&bg, settings_path, persist::save_settings),
            marks_saver: Saver::new(&bg, marks_path, persist::save_marks),
            jobs: crate::ui::jobs_panel::Jobs::new(&bg, &settings, &credential_paths),
            fonts: FontLoader::start(fonts.with_settings(&settings), Arc::clone(&bg.repaint)),
            credential_writes: CredentialWrites::new(&bg, credential_paths.clone()),
            bg,
            credential_paths,
            settings,
            marks,
            lang,
            sources: Sources::default(),
            nav: Nav::default(),
            repo_lists: HashMap::new(),
            dialog: None,
            login: LoginForm::default(),
            notice,
            logo: None,
            compare: None,
            local: crate::ui::local::browser::LocalBrowser::default(),
            settings_window: None,
            title: String::new(),
            focus_after_frame: None,
            cursor_blink: crate::ui::kit::cursor_blink::CursorBlink::default(),
        };
        app.build_sources(&extra_registries, no_default_registries);
        app.build_local_sources();
        app
    }

    fn build_sources(&mut self, extra_registries: &[String], no_default_registries: bool) {
        if !no_default_registries {
            self.sources.add(Source::docker_hub());
        }
        for saved in &self.settings.registries {
            if let Some(s) = Source::from_saved(saved) {
                self.sources.add(s);
            }
        }
        let mut first_extra = None;
        for url in extra_registries {
            let Ok(name) = RegistryName::parse(url) else {
                let url = url.clone();
                self.notice = Some(Notice::new(move || {
                    crate::tr!("notice-bad-registry-url", url = url.as_str())
                }));
                continue;
            };
            let id = self.sources.find_host(&name.host).unwrap_or_else(|| {
                let display = name.host.clone();
                self.sources
                    .add(Source::new(display, name, Origin::CommandLine))
            });
            first_extra.get_or_insert(id);
        }
        // Registries other than Docker Hub are asked at once, so their state shows.
        let others: Vec<SourceId> = self
            .sources
            .iter()
            .filter(|s| !s.is_docker_hub())
            .map(Source::id)
            .collect();
        for id in others {
            self.connect(id);
        }
        if let Some(id) = first_extra {
            self.select_source(id);
        }
    }

    pub(super) fn connect(&mut self, id: SourceId) {
        let Some(source) = self.sources.get_mut(id) else {
            return;
        };
        source.connect(&self.bg, &self.settings, &self.credential_paths);
        self.repo_lists.remove(&source.registry.host);
    }

    /// The settings as they are now (tests read them; the file follows in the background).
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The interface language in use.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the search for fallback fonts has finished (with or without a font).
    #[must_use]
    pub fn fonts_settled(&self) -> bool {
        !matches!(
            self.fonts.status,
            crate::ui::shell::fonts::FontStatus::Loading
        )
    }

    pub(super) fn save_settings(&self) {
        self.settings_saver.save(self.settings.clone());
    }

    pub(super) fn save_marks(&self) {
        self.marks_saver.save(self.marks.clone());
    }

    pub(super) fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        i18n::set_thread_lang(lang);
        self.settings.language = Some(lang.tag().to_owned());
        self.save_settings();
        // Texts made once per detail (raw view titles) follow at the next load.
        if let Some(image) = self.nav.image_mut() {
            image.poll();
        }
    }

    pub(super) fn set_theme(&mut self, ctx: &egui::Context, theme: crate::settings::Theme) {
        self.settings.theme = theme;
        theme::apply(ctx, theme);
        self.save_settings();
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        // Names come from registries and stores: shown escaped and cut, never obeyed.
        let parts: Vec<String> = self
            .location()
            .iter()
            .map(|p| crate::format::display_name(p).into_owned())
            .collect();
        let title = if parts.is_empty() {
            "Berth".to_owned()
        } else {
            format!("{} — Berth", parts.join(" › "))
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Where the window is, as names: registry, repository, tag (or store, image). Tests
    /// read it.
    #[must_use]
    pub fn window_location(&self) -> Vec<String> {
        self.location()
    }

    /// The window title as last set (tests read it).
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    fn poll(&mut self, ctx: &egui::Context) {
        self.fonts.poll(ctx);
        for source in self.sources.iter_mut() {
            source.conn.poll();
        }
        self.after_connect();
        for list in self.repo_lists.values_mut() {
            list.poll();
        }
        self.nav.poll();
        if let Some(dialog) = &mut self.dialog {
            dialog.poll();
        }
        if let Some(compare) = &mut self.compare {
            compare.poll();
        }
        self.poll_local();
        self.poll_jobs();
        if let Some(e) = self
            .settings_saver
            .poll_error()
            .or_else(|| self.marks_saver.poll_error())
        {
            self.notice = Some(Notice::new(move || {
                crate::tr!("notice-save-failed", reason = e.as_str())
            }));
        }
        if let Some(failed) = self.credential_writes.poll() {
            self.notice = Some(failed);
        }
    }

    /// Once a source is connected: save typed credentials, and start its catalog if it is
    /// the one on screen.
    fn after_connect(&mut self) {
        for source in self.sources.iter_mut() {
            if source.store_on_success && source.client().is_some() && !source.conn.is_pending() {
                source.store_on_success = false;
                if let crate::registry::Credentials::Basic { username, password } =
                    source.credentials.clone()
                {
                    (self.credential_writes).save(source.registry.host.clone(), username, password);
                }
            }
        }
        let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id)) else {
            return;
        };
        if source.conn.is_pending() {
            return;
        }
        let Some(client) = source.client() else {
            return;
        };
        let host = source.registry.host.clone();
        if !self.repo_lists.contains_key(&host) {
            let mut list = RepoList::default();
            list.load(&self.bg, client);
            self.repo_lists.insert(host, list);
        }
    }
}

impl eframe::App for BerthApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        i18n::set_thread_lang(self.lang);
        self.poll(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        i18n::set_thread_lang(self.lang);
        self.cursor_blink.apply(ui);
        // Korean needs the fallback font: rather than a frame of boxes, show nothing for
        // the moment it takes to read it (the font thread asks for a repaint when done).
        if self.lang == Lang::Ko && !self.fonts_settled() {
            egui::CentralPanel::default().show(ui, |_| {});
            return;
        }
        self.shortcuts(ui.ctx());
        self.layout(ui);
        self.compare_window(ui.ctx());
        self.update_title(ui.ctx());
        self.focus_after_frame = ui.ctx().memory(egui::Memory::focused);
    }
}
