//! Where the window is: one `Location` value, changed only through `BerthApp::go`, with the
//! views it opens (the tag table, the image view). Back, Refresh, the breadcrumb and the
//! window title all derive from it, so no view state has to be reset by hand elsewhere
//! (ARCHITECTURE.md).

use crate::oci::Repository;
use crate::oci::reference::DOCKER_HUB_HOST;
use crate::ui::app::BerthApp;
use crate::ui::browse::tags::table::TagTable;
use crate::ui::image::ImageView;
use crate::ui::shell::sidebar::SourceId;
use std::collections::HashMap;
use std::sync::Arc;

/// A place in the window. A tag only exists inside a repository, an image only inside a
/// store, so an impossible place cannot be written down.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Location {
    /// Nothing chosen yet (the welcome page).
    #[default]
    Nowhere,
    Registry {
        source: SourceId,
        open: Option<OpenRepo>,
    },
    /// A local store, by its row in the sidebar (the rows are built once per run).
    Local { store: usize, image: Option<String> },
}

/// A repository of a registry, and the tag open in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenRepo {
    pub repo: Repository,
    pub tag: Option<String>,
}

impl Location {
    #[must_use]
    pub fn registry(source: SourceId) -> Self {
        Self::Registry { source, open: None }
    }

    #[must_use]
    pub fn repo(source: SourceId, repo: Repository, tag: Option<String>) -> Self {
        Self::Registry {
            source,
            open: Some(OpenRepo { repo, tag }),
        }
    }

    /// The registry on screen, if any.
    #[must_use]
    pub fn source(&self) -> Option<SourceId> {
        match self {
            Self::Registry { source, .. } => Some(*source),
            _ => None,
        }
    }

    /// The local store on screen, if any.
    #[must_use]
    pub fn local_store(&self) -> Option<usize> {
        match self {
            Self::Local { store, .. } => Some(*store),
            _ => None,
        }
    }

    /// One step out: tag → repository → registry; image → store. The top stays put.
    #[must_use]
    pub fn parent(&self) -> Self {
        match self {
            Self::Registry {
                source,
                open: Some(OpenRepo { repo, tag: Some(_) }),
            } => Self::repo(*source, repo.clone(), None),
            Self::Registry { source, .. } => Self::registry(*source),
            Self::Local { store, .. } => Self::Local {
                store: *store,
                image: None,
            },
            Self::Nowhere => Self::Nowhere,
        }
    }

    /// How many steps below the top (registry or store) this is.
    #[must_use]
    pub fn depth(&self) -> usize {
        match self {
            Self::Registry {
                open: Some(OpenRepo { tag: Some(_), .. }),
                ..
            } => 2,
            Self::Registry { open: Some(_), .. } | Self::Local { image: Some(_), .. } => 1,
            _ => 0,
        }
    }
}

/// Which list the arrow keys move in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Repos,
    Tags,
}

/// The location and the views it opened. Only `go` (below) changes the location, and it
/// keeps the views in step: a tag table exactly while a repository is open, an image view
/// exactly while a tag or a local image is.
pub struct Nav {
    at: Location,
    tags: Option<TagTable>,
    /// The tags tables' order (name, date or size): a repository opened next keeps it.
    tag_order: crate::registry::tag_facts::SortOrder,
    image: Option<ImageView>,
    /// Which list has the keyboard; clicks move it without changing the location.
    pub pane: Pane,
    /// Where the window last was in each registry, so that choosing it again in the sidebar
    /// comes back to the repository and tag that were open there.
    last: HashMap<SourceId, Location>,
}

impl Default for Nav {
    fn default() -> Self {
        Self {
            at: Location::Nowhere,
            tags: None,
            tag_order: crate::registry::tag_facts::SortOrder::default(),
            image: None,
            pane: Pane::Repos,
            last: HashMap::new(),
        }
    }
}

impl Nav {
    #[must_use]
    pub fn at(&self) -> &Location {
        &self.at
    }

    /// Where the window last was in registry `id`: that place, or the registry's top.
    #[must_use]
    pub fn last_in(&self, id: SourceId) -> Location {
        self.last
            .get(&id)
            .cloned()
            .unwrap_or_else(|| Location::registry(id))
    }

    #[must_use]
    pub fn tags(&self) -> Option<&TagTable> {
        self.tags.as_ref()
    }

    pub fn tags_mut(&mut self) -> Option<&mut TagTable> {
        self.tags.as_mut()
    }

    #[must_use]
    pub fn image(&self) -> Option<&ImageView> {
        self.image.as_ref()
    }

    pub fn image_mut(&mut self) -> Option<&mut ImageView> {
        self.image.as_mut()
    }

    /// Polls the open views (once per frame, from `logic`).
    pub fn poll(&mut self) {
        if let Some(tags) = &mut self.tags {
            tags.poll();
        }
        if let Some(image) = &mut self.image {
            image.poll();
        }
    }
}

impl BerthApp {
    /// Moves the window to `to`. Views that `to` still shows are kept (a tag table keeps
    /// its scroll and marks while images open and close); views it does not show are
    /// dropped. A place that cannot be reached yet (a registry that has not connected) is
    /// not entered: the window stays where it was, or stops at the deepest part it reached.
    pub(in crate::ui) fn go(&mut self, to: Location) {
        let from = std::mem::take(&mut self.nav.at);
        if let Some(tags) = &self.nav.tags {
            self.nav.tag_order = tags.sorter.order;
        }
        if from.source() != to.source() || from.local_store() != to.local_store() {
            self.nav.tags = None;
            self.nav.image = None;
            self.local.list = None;
        }
        match to {
            Location::Nowhere => {
                self.nav.tags = None;
                self.nav.image = None;
            }
            Location::Registry { source, open } => self.go_registry(source, open),
            Location::Local { store, image } => self.go_local(store, image),
        }
        self.nav.pane = if self.nav.at.depth() == 0 {
            Pane::Repos
        } else {
            Pane::Tags
        };
        if let Some(id) = self.nav.at.source() {
            self.nav.last.insert(id, self.nav.at.clone());
        }
    }

    fn go_registry(&mut self, id: SourceId, open: Option<OpenRepo>) {
        let Some(source) = self.sources.get(id) else {
            self.nav.tags = None;
            self.nav.image = None;
            return;
        };
        self.nav.at = Location::registry(id);
        if source.conn.is_idle() {
            self.connect(id);
        }
        let (Some(OpenRepo { repo, tag }), Some(source)) = (open, self.sources.get(id)) else {
            self.nav.tags = None;
            self.nav.image = None;
            return;
        };
        let Some(client) = source.client() else {
            self.nav.tags = None;
            self.nav.image = None;
            return;
        };
        let host = source.registry.host.clone();
        if self.nav.tags.as_ref().is_none_or(|t| t.repo != repo) {
            self.marks.visit(&host, repo.as_str());
            self.save_marks();
            if let Some(list) = self.repo_lists.get_mut(&host) {
                list.selected = Some(repo.to_string());
            }
            self.nav.image = None;
            // Docker Hub counts every manifest GET against the pull limit; HEAD is free.
            let allow_get = host != DOCKER_HUB_HOST;
            let mut table = TagTable::new(&self.bg, Arc::clone(&client), repo.clone(), allow_get);
            table.sorter.order = self.nav.tag_order;
            self.nav.tags = Some(table);
        }
        self.nav.at = Location::repo(id, repo.clone(), None);
        let Some(tag) = tag else {
            self.nav.image = None;
            return;
        };
        if let Some(tags) = &mut self.nav.tags {
            tags.selected = Some(tag.clone());
        }
        if self.nav.image.as_ref().is_none_or(|i| i.tag != tag) {
            let keys = self.settings.signing_keys_for(&host);
            self.nav.image = Some(
                ImageView::new(&self.bg, client, repo.clone(), tag.clone()).with_signing_keys(keys),
            );
        }
        self.nav.at = Location::repo(id, repo, Some(tag));
    }

    fn go_local(&mut self, store: usize, image: Option<String>) {
        self.nav.tags = None;
        let Some(source) = self.local.sources.get_mut(store) else {
            self.nav.image = None;
            return;
        };
        self.nav.at = Location::Local { store, image: None };
        if source.conn.error().is_some() || source.conn.is_idle() {
            source.open(&self.bg, &self.settings);
        }
        let (Some(reference), Some(list)) = (image, &mut self.local.list) else {
            self.nav.image = None;
            return;
        };
        list.selected = Some(reference.clone());
        if self.nav.image.as_ref().is_none_or(|i| i.tag != reference) {
            self.nav.image = Some(ImageView::new_local(
                &self.bg,
                Arc::clone(&list.store),
                source.prefix(),
                reference.clone(),
                source.blob_dir(&self.settings),
            ));
        }
        self.nav.at = Location::Local {
            store,
            image: Some(reference),
        };
    }

    /// Opens a manifest of the repository on screen by its digest (an artifact's subject,
    /// a referrer the Referrers tab found): the digest stands where a tag would.
    pub(in crate::ui) fn open_digest(&mut self, digest: &crate::oci::Digest) {
        if let Location::Registry {
            source,
            open: Some(OpenRepo { repo, .. }),
        } = &self.nav.at
        {
            let to = Location::repo(*source, repo.clone(), Some(digest.to_string()));
            self.go(to);
        }
    }

    /// Back: one step out of the current location.
    pub(in crate::ui) fn back(&mut self) {
        let to = self.nav.at.parent();
        self.go(to);
    }

    /// The location as names, for the window title and the breadcrumb: registry ›
    /// repository › tag, or store › image.
    pub(in crate::ui) fn location(&self) -> Vec<String> {
        match &self.nav.at {
            Location::Nowhere => Vec::new(),
            Location::Registry { source, open } => {
                let Some(source) = self.sources.get(*source) else {
                    return Vec::new();
                };
                let mut parts = vec![source.name.clone()];
                if let Some(OpenRepo { repo, tag }) = open {
                    parts.push(repo.to_string());
                    parts.extend(tag.clone());
                }
                parts
            }
            Location::Local { store, image } => {
                let Some(source) = self.local.sources.get(*store) else {
                    return Vec::new();
                };
                let mut parts = vec![source.name.clone()];
                parts.extend(image.clone());
                parts
            }
        }
    }

    /// Goes to the breadcrumb's part `depth` (0: the registry or store).
    pub(in crate::ui) fn go_up_to(&mut self, depth: usize) {
        let mut to = self.nav.at.clone();
        while to.depth() > depth {
            to = to.parent();
        }
        self.go(to);
    }

    /// Ctrl+R: the innermost thing on screen is asked again.
    pub(in crate::ui) fn refresh(&mut self) {
        match self.nav.at.clone() {
            Location::Nowhere => {}
            Location::Local { image: None, .. } => self.refresh_local(),
            Location::Local { .. }
            | Location::Registry {
                open: Some(OpenRepo { tag: Some(_), .. }),
                ..
            } => {
                if let Some(image) = &mut self.nav.image {
                    image.reload(&self.bg);
                }
            }
            Location::Registry { open: Some(_), .. } => {
                if let Some(tags) = &mut self.nav.tags {
                    tags.reload(&self.bg);
                }
            }
            Location::Registry { source, open: None } => {
                let Some(s) = self.sources.get(source) else {
                    return;
                };
                match (s.client(), self.repo_lists.get_mut(&s.registry.host)) {
                    (Some(client), Some(list)) if !s.conn.is_pending() => {
                        list.load(&self.bg, client);
                    }
                    _ => self.connect(source),
                }
            }
        }
    }
}
