//! Moving around: choosing a registry, a repository and a tag, going back, refreshing, and
//! the keyboard shortcuts that do the same (arrows and Enter in lists, Backspace or Alt+Left
//! back, Ctrl+R refresh, Ctrl+F filter).

use crate::oci::RegistryRef;
use crate::oci::reference::DOCKER_HUB_HOST;
use crate::registry::Credentials;
use crate::ui::app::{BerthApp, Pane};
use crate::ui::browse::registry_dialog::{DialogAction, RegistryDialog};
use crate::ui::browse::repos::list::RepoAction;
use crate::ui::browse::tags::table::{TagAction, TagTable};
use crate::ui::image::ImageView;
use crate::ui::shell::sidebar::{Source, SourceAction};
use egui::{Key, Modifiers};

impl BerthApp {
    pub(in crate::ui) fn select_source(&mut self, i: usize) {
        if i >= self.sources.len() {
            return;
        }
        if self.selected != Some(i) || self.local.selected.is_some() {
            self.tags = None;
            self.image = None;
        }
        self.local.selected = None;
        self.local.list = None;
        self.selected = Some(i);
        self.pane = Pane::Repos;
        if self.sources[i].conn.is_idle() {
            self.connect(i);
        }
    }

    /// Opens a repository of the selected registry. A name typed with a tag
    /// (`alpine:3.19`) opens that image too; bare Docker Hub names get `library/`.
    pub(in crate::ui) fn open_repo(&mut self, typed: &str) {
        let Some(source) = self.selected.and_then(|i| self.sources.get(i)) else {
            return;
        };
        let Some(client) = source.client() else {
            return;
        };
        let Ok(typed) = RegistryRef::parse_in(&source.registry, typed) else {
            return;
        };
        let repo = typed.repository;
        let host = source.registry.host.clone();
        let allow_get = host != DOCKER_HUB_HOST;
        self.marks.visit(&host, repo.as_str());
        self.save_marks();
        if let Some(list) = self.repo_lists.get_mut(&host) {
            list.selected = Some(repo.to_string());
        }
        self.image = None;
        self.tags = Some(TagTable::new(&self.bg, client, repo, allow_get));
        self.pane = Pane::Tags;
        if let Some(tag) = typed.tag {
            self.open_tag(tag);
        }
    }

    pub(in crate::ui) fn open_tag(&mut self, tag: String) {
        let Some(tags) = &mut self.tags else { return };
        let Some(client) = self.selected.and_then(|i| self.sources[i].client()) else {
            return;
        };
        tags.selected = Some(tag.clone());
        self.image = Some(ImageView::new(&self.bg, client, tags.repo.clone(), tag));
        self.pane = Pane::Tags;
    }

    pub(in crate::ui) fn back(&mut self) {
        if self.image.take().is_some() {
            self.pane = Pane::Tags;
        } else if self.tags.take().is_some() {
            self.pane = Pane::Repos;
        }
    }

    /// Ctrl+R: the innermost thing on screen is asked again.
    pub(in crate::ui) fn refresh(&mut self) {
        if self.local.selected.is_some() && self.image.is_none() {
            self.refresh_local();
        } else if let Some(image) = &mut self.image {
            image.reload(&self.bg);
        } else if let Some(tags) = &mut self.tags {
            tags.reload(&self.bg);
        } else if let Some(i) = self.selected {
            let source = &self.sources[i];
            match (
                source.client(),
                self.repo_lists.get_mut(&source.registry.host),
            ) {
                (Some(client), Some(list)) if !source.conn.is_pending() => {
                    list.load(&self.bg, client);
                }
                _ => self.connect(i),
            }
        }
    }

    pub(in crate::ui) fn on_source_action(&mut self, action: SourceAction) {
        match action {
            SourceAction::Select(i) => self.select_source(i),
            SourceAction::SelectLocal(i) => self.select_local(i),
            SourceAction::Add => self.dialog = Some(RegistryDialog::add()),
            SourceAction::Edit(i) => {
                let source = &self.sources[i];
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
                self.dialog = Some(RegistryDialog::from_saved(index, &saved));
            }
            SourceAction::LogOut(i) => self.log_out(i),
        }
    }

    fn log_out(&mut self, i: usize) {
        let source = &mut self.sources[i];
        source.credentials = Credentials::Anonymous;
        source.logged_out = true;
        let (paths, host) = (self.credential_paths.clone(), source.registry.host.clone());
        self.bg.rt.spawn_blocking(move || {
            if let Err(e) = paths.remove(&host) {
                tracing::warn!(%host, error = %e, "cannot remove stored credentials");
            }
        });
        if self.selected == Some(i) {
            self.tags = None;
            self.image = None;
        }
        self.connect(i);
    }

    pub(in crate::ui) fn on_login(&mut self, credentials: Credentials) {
        let Some(i) = self.selected else { return };
        let source = &mut self.sources[i];
        source.credentials = credentials;
        source.logged_out = false;
        source.store_on_success = true;
        self.connect(i);
    }

    pub(in crate::ui) fn on_repo_action(&mut self, action: RepoAction) {
        match action {
            RepoAction::Open(repo) => self.open_repo(&repo),
            RepoAction::TogglePin(repo) => self.toggle_pin(&repo),
            RepoAction::Reload => self.refresh(),
        }
    }

    fn toggle_pin(&mut self, repo: &str) {
        let Some(source) = self.selected.and_then(|i| self.sources.get(i)) else {
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
            TagAction::DeleteMany(tags) => self.tag_delete_many = Some(tags),
            TagAction::Copy(tag) => self.ask_copy_tag(&tag),
            TagAction::Export(tag) => self.ask_export_tag(&tag),
            TagAction::TogglePin => {
                if let Some(repo) = self.tags.as_ref().map(|t| t.repo.to_string()) {
                    self.toggle_pin(&repo);
                }
            }
        }
    }

    pub(in crate::ui) fn on_dialog_action(&mut self, action: DialogAction) {
        match action {
            DialogAction::Close => self.dialog = None,
            DialogAction::Remove(index) => {
                if index < self.settings.registries.len() {
                    let removed = self.settings.registries.remove(index);
                    self.save_settings();
                    if let Some(host) = removed.host()
                        && let Some(i) = self.sources.iter().position(|s| s.registry.host == host)
                    {
                        self.sources.remove(i);
                        self.repo_lists.remove(&host);
                        if self.selected == Some(i) {
                            self.selected = None;
                            self.tags = None;
                            self.image = None;
                        } else if let Some(sel) = self.selected.filter(|&s| s > i) {
                            self.selected = Some(sel - 1);
                        }
                    }
                }
                self.dialog = None;
            }
            DialogAction::Save { saved, credentials } => {
                let editing = self.dialog.as_ref().and_then(|d| d.editing);
                self.dialog = None;
                let Some(mut source) = Source::from_saved(&saved) else {
                    return;
                };
                let old_host = editing
                    .and_then(|i| self.settings.registries.get(i))
                    .and_then(crate::settings::SavedRegistry::host);
                if let Some(i) = editing.filter(|&i| i < self.settings.registries.len()) {
                    self.settings.registries[i] = saved;
                } else {
                    self.settings
                        .registries
                        .retain(|r| r.host() != saved.host());
                    self.settings.registries.push(saved);
                }
                self.save_settings();
                if let Some(c) = credentials {
                    source.credentials = c;
                    source.store_on_success = true;
                }
                let host = source.registry.host.clone();
                let at = self.sources.iter().position(|s| {
                    Some(&s.registry.host) == old_host.as_ref() || s.registry.host == host
                });
                let i = if let Some(i) = at {
                    if source.credentials.is_anonymous() {
                        source.credentials = self.sources[i].credentials.clone();
                    }
                    self.sources[i] = source;
                    i
                } else {
                    self.sources.push(source);
                    self.sources.len() - 1
                };
                self.connect(i);
                self.select_source(i);
            }
        }
    }

    /// Global keys. Arrows and Enter work in the focused list, also while its filter field
    /// has focus; Backspace goes back only when no text field has focus.
    pub(in crate::ui) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some()
            || self.local.delete.is_some()
            || self.tag_delete.is_some()
            || self.tag_copy.is_some()
            || self.tag_export.is_some()
            || self.tag_delete_many.is_some()
        {
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
            match (&mut self.tags, self.pane) {
                (Some(tags), Pane::Tags) if self.image.is_none() => tags.focus_filter = true,
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
        if alt_back || back {
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
        if let (Pane::Tags, Some(tags)) = (self.pane, &mut self.tags) {
            if delta != 0 {
                tags.move_cursor(delta);
            }
            if enter && let Some(action) = tags.activate_cursor() {
                self.on_tag_action(action);
            }
            let delete = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete));
            let marked = self.tags.as_ref().map(|t| t.marks.tags.clone());
            if delete && let Some(marked) = marked.filter(|m| !m.is_empty()) {
                self.tag_delete_many = Some(marked);
            } else if delete && let Some(tag) = self.current_tag() {
                self.ask_delete_tag(tag);
            }
        } else if self.local.selected.is_some() {
            let delete = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Delete));
            self.local_keys(delta, delete);
        } else if let Some(list) = self.current_list() {
            if delta != 0 {
                list.move_cursor(delta);
            }
            if enter && let Some(action) = list.activate_cursor() {
                self.on_repo_action(action);
            }
        }
    }

    fn current_list(&mut self) -> Option<&mut crate::ui::browse::repos::list::RepoList> {
        let host = self.sources.get(self.selected?)?.registry.host.clone();
        self.repo_lists.get_mut(&host)
    }
}
