//! What can be done to a registry tag: pull it into Berth's store (a background job shown in
//! the jobs panel) or delete it (after the confirmation in `delete`), and Clean up… on the
//! repository (`cleanup`). Finished jobs leave
//! a notice in the status bar and refresh the views they changed.

use crate::jobs::{JobKind, JobSpec, Platforms};
use crate::oci::{ImageRef, RegistryRef};
use crate::ui::app::{BerthApp, Dialog};
use crate::ui::browse::tags::cleanup::{CleanupDialog, CleanupResult};
use crate::ui::browse::tags::delete::{TagDeleteDialog, TagDeleteResult};
use crate::ui::browse::tags::delete_many::{MarkedDeleteDialog, MarkedDeleteResult};
use std::sync::Arc;

impl BerthApp {
    /// Starts a pull of `tag` of the open repository into Berth's store.
    pub(in crate::ui) fn pull_tag(&mut self, tag: &str) {
        let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id)) else {
            return;
        };
        let (Some(client), Some(tags)) = (source.client(), self.nav.tags()) else {
            return;
        };
        self.jobs
            .conns
            .insert(&source.registry, client, source.credentials.clone());
        let source_ref = RegistryRef {
            registry: source.registry.clone(),
            repository: tags.repo.clone(),
            tag: Some(tag.to_owned()),
            digest: None,
        };
        let dest = ImageRef::Berth {
            name: crate::oci::LocalName::Default,
        };
        self.jobs
            .spawn(JobSpec::pull(source_ref, Some(dest), Platforms::Host));
    }

    /// Opens the delete confirmation for `tag` of the open repository.
    pub(in crate::ui) fn ask_delete_tag(&mut self, tag: String) {
        let Some(client) = self
            .nav
            .at()
            .source()
            .and_then(|id| self.sources.get(id))
            .and_then(crate::ui::shell::sidebar::Source::client)
        else {
            return;
        };
        let Some(tags) = self.nav.tags() else { return };
        self.dialog = Some(Dialog::DeleteTag(TagDeleteDialog::new(
            &self.bg,
            client,
            tags.repo.clone(),
            tag,
        )));
    }

    /// Opens the one confirmation for the marked `tags` of the open repository; it plans the
    /// delete before it offers it.
    pub(in crate::ui) fn ask_delete_marked(&mut self, tags: Vec<String>) {
        let Some((client, registry, repo)) = self.open_repository_for_jobs() else {
            return;
        };
        self.dialog = Some(Dialog::DeleteMarkedTags(MarkedDeleteDialog::new(
            &self.bg, client, registry, repo, tags,
        )));
    }

    /// The open repository's client, registry and name, once the jobs know its connection:
    /// a job deletes through the same connection as the window (its scheme, its login).
    fn open_repository_for_jobs(
        &mut self,
    ) -> Option<(
        Arc<crate::registry::RegistryClient>,
        crate::oci::RegistryName,
        crate::oci::Repository,
    )> {
        let source = self.nav.at().source().and_then(|id| self.sources.get(id))?;
        let (Some(client), Some(open)) = (source.client(), self.nav.tags()) else {
            return None;
        };
        self.jobs.conns.insert(
            &source.registry,
            Arc::clone(&client),
            source.credentials.clone(),
        );
        Some((client, source.registry.clone(), open.repo.clone()))
    }

    /// Opens Clean up… on the open repository.
    pub(in crate::ui) fn ask_cleanup(&mut self) {
        let Some((client, registry, repo)) = self.open_repository_for_jobs() else {
            return;
        };
        self.dialog = Some(Dialog::Cleanup(Box::new(CleanupDialog::new(
            client, registry, repo,
        ))));
    }

    fn cleanup_dialog(&mut self, ctx: &egui::Context) {
        let Some(Dialog::Cleanup(dialog)) = &mut self.dialog else {
            return;
        };
        match dialog.show(ctx, &self.bg) {
            None => {}
            Some(CleanupResult::Cancelled) => self.dialog = None,
            Some(CleanupResult::Delete(targets)) => {
                self.dialog = None;
                self.jobs.spawn(JobSpec::Delete { targets });
            }
        }
    }

    fn marked_delete_dialog(&mut self, ctx: &egui::Context) {
        let Some(Dialog::DeleteMarkedTags(dialog)) = &mut self.dialog else {
            return;
        };
        match dialog.show(ctx) {
            None => {}
            Some(MarkedDeleteResult::Cancelled) => self.dialog = None,
            Some(MarkedDeleteResult::Untag(plans)) => {
                self.dialog = None;
                if let Some(tags) = self.nav.tags_mut() {
                    tags.marks.tags.clear();
                }
                self.spawn_untag(plans);
            }
            Some(MarkedDeleteResult::Delete(targets)) => {
                self.dialog = None;
                if let Some(tags) = self.nav.tags_mut() {
                    tags.marks.tags.clear();
                }
                self.jobs.spawn(JobSpec::Delete { targets });
            }
        }
    }

    /// Runs confirmed untag plans of the open registry as one background job, through the
    /// registry's connection (its scheme, its login).
    fn spawn_untag(&mut self, plans: Vec<crate::registry::UntagPlan>) {
        let Some(source) = self.nav.at().source().and_then(|id| self.sources.get(id)) else {
            return;
        };
        let Some(client) = source.client() else {
            return;
        };
        self.jobs
            .conns
            .insert(&source.registry, client, source.credentials.clone());
        let targets = plans
            .into_iter()
            .map(|plan| crate::jobs::DeleteTarget::Untag {
                registry: source.registry.clone(),
                plan,
            })
            .collect();
        self.jobs.spawn(JobSpec::Delete { targets });
    }

    /// The tag that tag actions apply to: the open one, else the one under the cursor.
    pub(in crate::ui) fn current_tag(&self) -> Option<String> {
        let tags = self.nav.tags()?;
        if self.nav.image().is_some() {
            return tags.selected.clone();
        }
        tags.cursor_tag()
    }

    pub(in crate::ui) fn tag_delete_dialog(&mut self, ctx: &egui::Context) {
        self.marked_delete_dialog(ctx);
        self.cleanup_dialog(ctx);
        let Some(Dialog::DeleteTag(dialog)) = &mut self.dialog else {
            return;
        };
        match dialog.show(ctx, &self.bg) {
            None => {}
            Some(TagDeleteResult::Cancelled) => self.dialog = None,
            Some(TagDeleteResult::Untag(plan)) => {
                self.dialog = None;
                // The removed tag's image closes, as after a delete.
                let at = self.nav.at().clone();
                if at.depth() == 2 {
                    self.go(at.parent());
                }
                self.spawn_untag(vec![plan]);
            }
            Some(TagDeleteResult::Deleted) => {
                self.dialog = None;
                // The deleted tag's image closes; its repository stays open.
                let at = self.nav.at().clone();
                if at.depth() == 2 {
                    self.go(at.parent());
                }
                if let Some(tags) = self.nav.tags_mut() {
                    tags.selected = None;
                    tags.reload(&self.bg);
                }
            }
        }
    }

    /// Drains job events: a notice for each job that ended, and refreshed views.
    pub(in crate::ui) fn poll_jobs(&mut self) {
        for done in self.jobs.poll() {
            self.notice = Some(done.notice);
            // A copy to a registry may have made a repository there: its list follows.
            if done.ok
                && let Some(host) = &done.dest_registry
            {
                self.reload_repo_list(host);
            }
            if done.kind == JobKind::Delete
                && let Some(tags) = self.nav.tags_mut()
            {
                // Even a partly failed delete changed the table.
                tags.reload(&self.bg);
            }
            if done.ok && matches!(done.kind, JobKind::Pull | JobKind::Load | JobKind::Copy) {
                // The sidebar's counts and an open image list follow.
                for source in &mut self.local.sources {
                    source.open(&self.bg, &self.settings);
                }
                if let Some(list) = &mut self.local.list {
                    list.load(&self.bg);
                }
            }
        }
    }
}
