//! The window's frame: a top bar with the breadcrumb and the theme and language choices,
//! the sources sidebar, the repositories panel, the tags table or image view in the centre
//! with the jobs panel docked under it, and a status bar for notices.

use crate::tr;
use crate::ui::app::{BerthApp, Dialog};
use crate::ui::shell::fonts::FontStatus;
use crate::ui::shell::location::Pane;
use crate::ui::shell::sidebar::{self, Source, State};
use crate::ui::{kit::widgets, shell::theme};
use egui::{RichText, Ui};

impl BerthApp {
    pub(in crate::ui) fn layout(&mut self, ui: &mut Ui) {
        egui::Panel::top("top-bar")
            .frame(
                egui::Frame::side_top_panel(ui.style())
                    .inner_margin(egui::Margin::symmetric(12, 8)),
            )
            .show(ui, |ui| self.top_bar(ui));
        if self.has_status() {
            egui::Panel::bottom("status-bar")
                .frame(
                    egui::Frame::side_top_panel(ui.style())
                        .inner_margin(egui::Margin::symmetric(12, 4)),
                )
                .show(ui, |ui| self.status_bar(ui));
        }
        // The side panels give way on a small window, so the centre keeps room for its
        // columns: each may take only its share of the window's width.
        let window = ui.max_rect().width();
        let share = |part: f32, min: f32, max: f32| min..=(window * part).clamp(min, max);
        egui::Panel::left("sources-panel")
            .default_size(230.0)
            .size_range(share(0.2, 150.0, 360.0))
            .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(6))
            .show(ui, |ui| {
                // A resizable panel keeps the width it is given only if its content fills it.
                ui.set_min_width(ui.available_width());
                if let Some(action) = sidebar::show(
                    ui,
                    &self.sources,
                    self.nav.at().source(),
                    &self.local.sources,
                    self.nav.at().local_store(),
                ) {
                    self.on_source_action(action);
                }
            });
        if self.nav.at().source().is_some() {
            egui::Panel::left("repos-panel")
                .default_size(300.0)
                .size_range(share(0.26, 180.0, 560.0))
                .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(6))
                .show(ui, |ui| self.repos_panel(ui));
        } else if self.nav.at().local_store().is_some() {
            egui::Panel::left("local-images-panel")
                .default_size(320.0)
                .size_range(share(0.26, 180.0, 560.0))
                .frame(egui::Frame::side_top_panel(ui.style()).inner_margin(6))
                .show(ui, |ui| self.local_panel(ui));
        }
        // Under the view, beside the side panels: the view shrinks above it.
        self.jobs.panel(ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(12))
            .show(ui, |ui| self.central(ui));
        if let Some(Dialog::Registry(dialog)) = &mut self.dialog
            && let Some(action) = dialog.show(ui.ctx(), &self.bg)
        {
            self.on_dialog_action(action);
        }
        self.local_dialog(ui.ctx());
        self.settings_window(ui.ctx());
        self.tag_delete_dialog(ui.ctx());
        self.transfer_dialogs(ui.ctx());
    }

    /// Whether the status bar has anything to say (it is hidden otherwise).
    fn has_status(&self) -> bool {
        let font_hint = self.fonts.status == FontStatus::Missing && !self.marks.font_hint_dismissed;
        let notices = self
            .nav
            .at()
            .source()
            .and_then(|id| self.sources.get(id))
            .and_then(Source::client)
            .is_some_and(|c| {
                let n = c.notices();
                n.rate_limit.is_some() || !n.warnings.is_empty()
            });
        self.notice.is_some() || font_hint || notices
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let weak = ui.visuals().weak_text_color();
            if let Some(notice) = &self.notice {
                ui.label(
                    RichText::new(notice.text())
                        .small()
                        .color(theme::tone(ui, theme::Tone::Warn)),
                );
                if ui.small_button(tr!("action-dismiss")).clicked() {
                    self.notice = None;
                }
            } else if let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id))
                && let Some(client) = source.client()
            {
                let notices = client.notices();
                if let Some((limit, remaining)) = &notices.rate_limit {
                    let clean = |s: &str| s.split(';').next().unwrap_or(s).trim().to_owned();
                    ui.label(
                        RichText::new(tr!(
                            "status-rate-limit",
                            remaining = clean(remaining),
                            limit = clean(limit)
                        ))
                        .small()
                        .color(weak),
                    );
                }
                if let Some(w) = notices.warnings.last() {
                    ui.label(
                        RichText::new(w)
                            .small()
                            .color(theme::tone(ui, theme::Tone::Warn)),
                    );
                }
            }
            if self.fonts.status == FontStatus::Missing && !self.marks.font_hint_dismissed {
                // A separator only after something else in the bar.
                if ui.min_rect().width() > 1.0 {
                    ui.separator();
                }
                ui.label(RichText::new(tr!("fonts-missing")).small().color(weak));
                if ui.small_button(tr!("action-dismiss")).clicked() {
                    self.marks.font_hint_dismissed = true;
                    self.save_marks();
                }
            }
        });
    }

    fn repos_panel(&mut self, ui: &mut Ui) {
        ui.set_min_width(ui.available_width());
        let Some(i) = self.nav.at().source() else {
            return;
        };
        let Some(source) = self.sources.get(i) else {
            return;
        };
        let host = source.registry.host.clone();
        match source.state() {
            State::Ok => {}
            State::NotConnected | State::Connecting => {
                ui.add_space(8.0);
                widgets::busy(ui, &tr!("repos-connecting", registry = host.as_str()));
                return;
            }
            State::NeedsLogin => {
                let error = (!source.credentials.is_anonymous()).then(|| tr!("login-refused"));
                ui.add_space(8.0);
                if let Some(credentials) = self.login.show(ui, &host, error) {
                    self.on_login(credentials);
                }
                return;
            }
            State::Unreachable(_) | State::Failed(_) => {
                ui.add_space(8.0);
                if let Some(e) = source.conn.error()
                    && let Some(action) = widgets::error_box(ui, e)
                {
                    match action {
                        widgets::ErrorAction::Retry => self.connect(i),
                        widgets::ErrorAction::LogIn | widgets::ErrorAction::EditRegistry => {
                            self.on_source_action(sidebar::SourceAction::Edit(i));
                        }
                        widgets::ErrorAction::CopyToBerth => {}
                    }
                }
                return;
            }
        }
        let pinned = self.marks.pinned.get(&host).cloned().unwrap_or_default();
        let recent = self.marks.recent.get(&host).cloned().unwrap_or_default();
        let Some(list) = self.repo_lists.get_mut(&host) else {
            return;
        };
        let action = list.show(ui, &pinned, &recent);
        if ui.rect_contains_pointer(ui.max_rect()) && ui.input(|i| i.pointer.any_click()) {
            self.nav.pane = Pane::Repos;
        }
        if let Some(action) = action {
            self.on_repo_action(action);
        }
    }

    fn central(&mut self, ui: &mut Ui) {
        if ui.rect_contains_pointer(ui.max_rect()) && ui.input(|i| i.pointer.any_click()) {
            self.nav.pane = Pane::Tags;
        }
        let at_registry = self.nav.at().source();
        // A manifest opened by digest has no tag to pull, copy or delete by.
        let tag = at_registry.and_then(|_| self.current_tag()).filter(|t| {
            matches!(
                crate::oci::Reference::parse(t),
                Ok(crate::oci::Reference::Tag(_))
            )
        });
        let mut tag_action = None;
        if let Some(image) = self.nav.image_mut() {
            let shown = image.show_with(ui, &self.bg, |ui| {
                if let Some(tag) = tag {
                    tag_action = tag_buttons(ui, tag);
                }
            });
            if let Some(action) = tag_action {
                self.on_tag_action(action);
                return;
            }
            if let Some(digest) = image.take_open() {
                self.open_digest(&digest);
                return;
            }
            if let Some(save) = image.take_save() {
                self.start_save(save);
                return;
            }
            if let Some(action) = shown {
                match action {
                    widgets::ErrorAction::Retry => image.reload(&self.bg),
                    widgets::ErrorAction::LogIn | widgets::ErrorAction::EditRegistry => {
                        if let Some(i) = at_registry {
                            self.on_source_action(sidebar::SourceAction::Edit(i));
                        }
                    }
                    widgets::ErrorAction::CopyToBerth => self.copy_open_local_image_to_berth(),
                }
            }
            return;
        }
        let host = at_registry
            .and_then(|id| self.sources.get(id))
            .map(|s| s.registry.host.clone())
            .unwrap_or_default();
        if let Some(tags) = self.nav.tags_mut() {
            let pinned = self.marks.is_pinned(&host, tags.repo.as_str());
            if let Some(action) = tags.show(ui, &self.bg, pinned) {
                self.on_tag_action(action);
            }
            return;
        }
        if self.nav.at().local_store().is_some() {
            widgets::empty_state(ui, &tr!("local-choose-title"), &tr!("local-choose-body"));
            return;
        }
        match at_registry.and_then(|id| self.sources.get(id)) {
            None if self.sources.is_empty() => {
                widgets::empty_state(ui, &tr!("welcome-empty-title"), &tr!("welcome-empty-body"));
                ui.vertical_centered(|ui| {
                    if ui.button(tr!("sources-add-tooltip")).clicked() {
                        self.on_source_action(sidebar::SourceAction::Add);
                    }
                });
            }
            None => widgets::empty_state(ui, &tr!("welcome-title"), &tr!("welcome-body")),
            // Until the registry answers, the repositories panel says what is going on.
            Some(source) if source.state() != State::Ok => {}
            Some(_) => {
                widgets::empty_state(ui, &tr!("choose-repo-title"), &tr!("choose-repo-body"));
            }
        }
    }
}

/// Pull, Copy, Export and Delete for the open registry tag, left to right.
fn tag_buttons(ui: &mut Ui, tag: String) -> Option<crate::ui::browse::tags::table::TagAction> {
    use crate::ui::browse::tags::table::TagAction;
    let buttons: [(&str, &str, crate::ui::browse::tags::table::MakeAction); 4] = [
        ("tag-pull", "tag-pull-tooltip", TagAction::Pull),
        ("tag-copy-open", "tag-copy-open-tooltip", TagAction::Copy),
        (
            "tag-export-open",
            "tag-export-open-tooltip",
            TagAction::Export,
        ),
        (
            "tag-delete-open",
            "tag-delete-open-tooltip",
            TagAction::Delete,
        ),
    ];
    for (text, tooltip, make) in buttons {
        if ui
            .button(crate::i18n::t(text))
            .on_hover_text(crate::i18n::t(tooltip))
            .clicked()
        {
            return Some(make(tag));
        }
    }
    None
}
