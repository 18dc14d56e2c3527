//! Moving around: choosing a registry, a repository and a tag, going back, refreshing, and
//! the keyboard shortcuts that do the same (arrows and Enter in lists, Backspace, Escape or
//! Alt+Left back, Ctrl+R refresh, Ctrl+F filter).

use crate::oci::RegistryRef;
use crate::registry::Credentials;
use crate::ui::app::{BerthApp, Dialog};
use crate::ui::browse::registry_dialog::{DialogAction, RegistryDialog};
use crate::ui::browse::repos::list::RepoAction;
use crate::ui::browse::tags::table::TagAction;
use crate::ui::shell::location::{Location, OpenRepo, Pane};
use crate::ui::shell::sidebar::{Source, SourceAction, SourceId};
use egui::{Key, Modifiers};

impl BerthApp {
    /// A registry in the sidebar: its repositories. Choosing the registry already on screen
    /// keeps the open repository and tag; choosing another comes back to where the window
    /// last was in it.
    pub(in crate::ui) fn select_source(&mut self, id: SourceId) {
        if self.sources.get(id).is_none() {
            return;
        }
        let to = if self.nav.at().source() == Some(id) {
            self.nav.at().clone()
        } else {
            self.nav.last_in(id)
        };
        self.go(to);
        self.nav.pane = Pane::Repos;
    }

    /// Opens a repository of the selected registry. A name typed with a tag
    /// (`alpine:3.19`) opens that image too; bare Docker Hub names get `library/`.
    pub(in crate::ui) fn open_repo(&mut self, typed: &str) {
        let Some(id) = self.nav.at().source() else {
            return;
        };
        let Some(source) = self.sources.get(id) else {
            return;
        };
        let Ok(typed) = RegistryRef::parse_in(&source.registry, typed) else {
            return;
        };
        self.go(Location::repo(id, typed.repository, typed.tag));
    }

    pub(in crate::ui) fn open_tag(&mut self, tag: String) {
        if let Location::Registry {
            source,
            open: Some(OpenRepo { repo, .. }),
        } = self.nav.at().clone()
        {
            self.go(Location::repo(source, repo, Some(tag)));
        }
    }

    pub(in crate::ui) fn on_source_action(&mut self, action: SourceAction) {
        match action {
            SourceAction::Select(i) => self.select_source(i),
            SourceAction::SelectLocal(i) => self.select_local(i),
            SourceAction::Add => self.dialog = Some(Dialog::Registry(RegistryDialog::add())),
            SourceAction::Edit(id) => {
                let Some(source) = self.sources.get(id) else {
                    return;
                };
                let saved = self
                    .settings
                    .find_registry(&source.registry.host)
                    .cloned()
                    .unwrap_or_else(|| crate::settings::SavedRegistry {
                        name: source.name.clone(),
                        url: source.registry.host.clone(),
                        plain_http: source.registry.scheme == Some(crate::oci::Scheme::Http),
                        ..Default::default()
                    });
                let index = self
                    .settings
                    .registries
                    .iter()
                    .position(|r| r.host().as_deref() == Some(source.registry.host.as_str()));
                self.dialog = Some(Dialog::Registry(RegistryDialog::from_saved(index, &saved)));
            }
            SourceAction::LogOut(i) => self.log_out(i),
        }
    }

    fn log_out(&mut self, id: SourceId) {
        let Some(source) = self.sources.get_mut(id) else {
            return;
        };
        source.credentials = Credentials::Anonymous;
        source.logged_out = true;
        self.credential_writes.remove(source.registry.host.clone());
        if self.nav.at().source() == Some(id) {
            self.go(Location::registry(id));
        }
        self.connect(id);
    }

    pub(in crate::ui) fn on_login(&mut self, credentials: Credentials) {
        let Some(id) = self.nav.at().source() else {
            return;
        };
        let Some(source) = self.sources.get_mut(id) else {
            return;
        };
        source.credentials = credentials;
        source.logged_out = false;
        source.store_on_success = true;
        self.connect(id);
    }

    pub(in crate::ui) fn on_repo_action(&mut self, action: RepoAction) {
        match action {
            RepoAction::Open(repo) => self.open_repo(&repo),
            RepoAction::TogglePin(repo) => self.toggle_pin(&repo),
            RepoAction::Reload => self.refresh(),
        }
    }

    fn toggle_pin(&mut self, repo: &str) {
        let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id)) else {
            return;
        };
        let host = source.registry.host.clone();
        self.marks.toggle_pin(&host, repo);
        self.save_marks();
    }

    pub(in crate::ui) fn on_tag_action(&mut self, action: TagAction) {
        match action {
            TagAction::Open(tag) => self.open_tag(tag),
            TagAction::Pull(tag) => self.pull_tag(&tag),
            TagAction::Delete(tag) => self.ask_delete_tag(tag),
            TagAction::DeleteMany(tags) => self.ask_delete_marked(tags),
            TagAction::Copy(tag) => self.ask_copy_tag(&tag),
            TagAction::Export(tag) => self.ask_export_tag(&tag),
            TagAction::CleanUp => self.ask_cleanup(),
            TagAction::FindEveryTag => {
                if let Some(tags) = self.nav.tags_mut() {
                    tags.find_every_tag(&self.bg);
                }
            }
            TagAction::TogglePin => {
                if let Some(repo) = self.nav.tags().map(|t| t.repo.clone()) {
                    self.toggle_pin(repo.as_str());
                }
            }
        }
    }

    pub(in crate::ui) fn on_dialog_action(&mut self, action: DialogAction) {
        let editing = match &self.dialog {
            Some(Dialog::Registry(d)) => d.editing,
            _ => None,
        };
        if let DialogAction::Save { saved, .. } = &action
            && let Some(index) = self.same_address(editing, saved)
        {
            // Saving would replace another saved entry: the dialog stays open and says so.
            let name = self.settings.registries[index].name.clone();
            if let Some(Dialog::Registry(d)) = &mut self.dialog {
                d.refuse_duplicate(index, name);
            }
            return;
        }
        self.dialog = None;
        match action {
            DialogAction::Close => {}
            DialogAction::Remove(index) => self.remove_registry(index),
            DialogAction::EditExisting(index) => {
                if let Some(saved) = self.settings.registries.get(index) {
                    let dialog = RegistryDialog::from_saved(Some(index), saved);
                    self.dialog = Some(Dialog::Registry(dialog));
                }
            }
            DialogAction::Save { saved, credentials } => {
                self.save_registry(editing, saved, credentials);
            }
        }
    }

    /// The saved entry, other than the one being edited, whose address is `saved`'s.
    fn same_address(
        &self,
        editing: Option<usize>,
        saved: &crate::settings::SavedRegistry,
    ) -> Option<usize> {
        let host = saved.host()?;
        self.settings
            .registries
            .iter()
            .enumerate()
            .find(|(i, r)| Some(*i) != editing && r.host().as_deref() == Some(host.as_str()))
            .map(|(i, _)| i)
    }

    /// Removes the saved registry `index`. Other registries keep their ids, so the one on
    /// screen stays there.
    fn remove_registry(&mut self, index: usize) {
        if index >= self.settings.registries.len() {
            return;
        }
        let removed = self.settings.registries.remove(index);
        self.save_settings();
        let Some(host) = removed.host() else { return };
        let Some(id) = self.sources.find_host(&host) else {
            return;
        };
        self.sources.remove(id);
        self.repo_lists.remove(&host);
        if self.nav.at().source() == Some(id) {
            self.go(Location::Nowhere);
        }
    }

    /// Saves a registry from the dialog: a new one is added, an edited one keeps its place
    /// and id.
    fn save_registry(
        &mut self,
        editing: Option<usize>,
        saved: crate::settings::SavedRegistry,
        credentials: Option<Credentials>,
    ) {
        let Some(mut source) = Source::from_saved(&saved) else {
            return;
        };
        let old_host = editing
            .and_then(|i| self.settings.registries.get(i))
            .and_then(crate::settings::SavedRegistry::host);
        if let Some(i) = editing.filter(|&i| i < self.settings.registries.len()) {
            self.settings.registries[i] = saved;
        } else {
            // `on_dialog_action` refused an address that is already saved, so nothing is
            // replaced here.
            self.settings.registries.push(saved);
        }
        self.save_settings();
        if let Some(c) = credentials {
            source.credentials = c;
            source.store_on_success = true;
        }
        let host = source.registry.host.clone();
        let at = old_host
            .and_then(|old| self.sources.find_host(&old))
            .or_else(|| self.sources.find_host(&host));
        let id = if let Some(id) = at {
            if source.credentials.is_anonymous()
                && let Some(old) = self.sources.get(id)
            {
                source.credentials = old.credentials.clone();
            }
            self.sources.replace(id, source);
            id
        } else {
            self.sources.add(source)
        };
        self.connect(id);
        self.select_source(id);
    }

    /// Closes the Settings window, else the Compare window; whether one was open.
    fn close_top_window(&mut self) -> bool {
        self.settings_window.take().is_some() || self.compare.take().is_some()
    }

    /// Global keys. Arrows and Enter work in the focused list, also while its filter field
    /// has focus; Backspace goes back only when no text field has focus.
    pub(in crate::ui) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let (find, refresh, alt_back) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::COMMAND, Key::F),
                i.consume_key(Modifiers::COMMAND, Key::R),
                i.consume_key(Modifiers::ALT, Key::ArrowLeft),
            )
        });
        if find {
            let no_image = self.nav.image().is_none();
            let pane = self.nav.pane;
            match (self.nav.tags_mut(), pane) {
                (Some(tags), Pane::Tags) if no_image => tags.focus_filter = true,
                _ => {
                    if let Some(list) = self.current_list() {
                        list.focus_filter = true;
                    }
                }
            }
        }
        if refresh {
            self.refresh();
        }
        let focused = ctx.memory(egui::Memory::focused);
        let filter_focused = focused.is_some_and(|id| {
            id == egui::Id::unique("repo-filter") || id == egui::Id::unique("tag-filter")
        });
        let typing = ctx.egui_wants_keyboard_input() && !filter_focused;
        let back = !ctx.egui_wants_keyboard_input()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Backspace));
        // Escape in a field clears or leaves the field (egui drops the focus before this
        // frame's widgets run, so the field that had it last frame is what tells).
        let escape = self.focus_after_frame.is_none()
            && !ctx.egui_wants_keyboard_input()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        // Escape closes the Settings or Compare window first; only then does it go back.
        if escape && self.close_top_window() {
            return;
        }
        if alt_back || back || escape {
            self.back();
            return;
        }
        if typing {
            return;
        }
        let (up, down, enter) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::Enter),
            )
        });
        let delta = isize::from(down) - isize::from(up);
        let jump = Jump::read(ctx);
        let pane = self.nav.pane;
        if let (Pane::Tags, Some(tags)) = (pane, self.nav.tags_mut()) {
            let delta = delta + jump.rows(tags.page_rows());
            if delta != 0 {
                tags.move_cursor(delta);
            }
            if enter && let Some(action) = tags.activate_cursor() {
                self.on_tag_action(action);
            }
            let delete = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete));
            let marked = self.nav.tags().map(|t| t.marks.tags.clone());
            if delete && let Some(marked) = marked.filter(|m| !m.is_empty()) {
                self.ask_delete_marked(marked);
            } else if delete && let Some(tag) = self.current_tag() {
                self.ask_delete_tag(tag);
            }
        } else if self.nav.at().local_store().is_some() {
            let delete = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete));
            self.local_keys(delta, delete);
        } else if let Some(list) = self.current_list() {
            let delta = delta + jump.rows(list.page_rows());
            if delta != 0 {
                list.move_cursor(delta);
            }
            if enter && let Some(action) = list.activate_cursor() {
                self.on_repo_action(action);
            }
        }
    }

    /// Asks `host`'s repository list again, when it has one and the registry is connected.
    pub(in crate::ui) fn reload_repo_list(&mut self, host: &str) {
        let Some(client) = self
            .sources
            .find_host(host)
            .and_then(|id| self.sources.get(id))
            .and_then(Source::client)
        else {
            return;
        };
        if let Some(list) = self.repo_lists.get_mut(host) {
            list.load(&self.bg, client);
        }
    }

    fn current_list(&mut self) -> Option<&mut crate::ui::browse::repos::list::RepoList> {
        let host = self
            .sources
            .get(self.nav.at().source()?)?
            .registry
            .host
            .clone();
        self.repo_lists.get_mut(&host)
    }
}

/// Page Up/Down (also in a list's filter field), Home and End (with or without Ctrl, not while
/// a text field has the keyboard, where they move the text cursor).
#[derive(Default)]
struct Jump {
    pages: isize,
    end: Option<bool>,
}

impl Jump {
    fn read(ctx: &egui::Context) -> Self {
        let in_text = ctx.egui_wants_keyboard_input();
        ctx.input_mut(|i| {
            let pages = isize::from(i.consume_key(Modifiers::NONE, Key::PageDown))
                - isize::from(i.consume_key(Modifiers::NONE, Key::PageUp));
            let mut end = None;
            if !in_text {
                for m in [Modifiers::NONE, Modifiers::COMMAND] {
                    if i.consume_key(m, Key::Home) {
                        end = Some(false);
                    }
                    if i.consume_key(m, Key::End) {
                        end = Some(true);
                    }
                }
            }
            Self { pages, end }
        })
    }

    /// The rows to move in a list whose page is `page` rows; the ends are far enough that
    /// the list stops at its first or last row.
    fn rows(&self, page: isize) -> isize {
        match self.end {
            Some(true) => isize::MAX / 2,
            Some(false) => -(isize::MAX / 2),
            None => self.pages * page,
        }
    }
}
