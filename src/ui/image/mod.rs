//! The image view: one reference in detail, in tabs (overview, config, history, layers,
//! files, trust with every referrer, raw). For an index, a platform picker chooses which image the tabs describe.

mod config;
mod files;
mod files_layers;
mod files_tree;
mod history;
pub mod layer_reads;
mod layers;
mod overview;
mod raw;
mod referrers;
pub mod signatures;
mod trust;
mod trust_sbom;

use crate::oci::Platform;
use crate::oci::image::ImageDetail;
use crate::registry::RegistryClient;
use crate::tr;
use crate::ui::kit::requested::Requested;
use crate::ui::{Bg, kit::widgets};
use egui::{RichText, Ui};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Config,
    History,
    Layers,
    Files,
    Trust,
    Raw,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Config,
        Tab::History,
        Tab::Layers,
        Tab::Files,
        Tab::Trust,
        Tab::Raw,
    ];

    fn title(self) -> String {
        tr!(match self {
            Tab::Overview => crate::msg!("tab-overview"),
            Tab::Config => crate::msg!("tab-config"),
            Tab::History => crate::msg!("tab-history"),
            Tab::Layers => crate::msg!("tab-layers"),
            Tab::Files => crate::msg!("tab-files"),
            Tab::Trust => crate::msg!("tab-trust"),
            Tab::Raw => crate::msg!("tab-raw"),
        })
    }
}

/// Where the image lives: a registry repository, or a local store (whose inspect gives the
/// same detail model, so every tab is shared).
#[derive(Clone)]
pub enum ImageOrigin {
    Registry(Arc<RegistryClient>, crate::oci::Repository),
    /// The store, and the image's name in it, parsed once when the view opens.
    Local(Arc<dyn crate::store::LocalStore>, crate::oci::LocalName),
}

/// Why an image's detail could not be read: the registry's error or the local store's,
/// each kept whole so the view words it (and offers next steps) as its source does.
#[derive(Debug)]
pub enum DetailError {
    Registry(crate::registry::Error),
    Local(crate::store::Error),
}

impl crate::ui::kit::requested::Vanished for DetailError {
    fn vanished() -> Self {
        Self::Registry(crate::registry::Error::Cancelled)
    }
}

pub struct ImageView {
    pub repo: String,
    pub tag: String,
    origin: ImageOrigin,
    pub detail: Requested<ImageDetail, DetailError>,
    /// Every referrer of the image, listed at the end of the Trust tab.
    referrers: referrers::ReferrersList,
    /// The trust badge's and the signature list's reads (issue 20).
    signatures: signatures::Signatures,
    trust: trust::TrustTab,
    /// A manifest of the same repository the person asked to open (an artifact's subject,
    /// or a referrer): the app takes it and navigates there.
    open: Option<crate::oci::Digest>,
    pub tab: Tab,
    /// The platform asked for; the host's until the person picks another.
    platform: Platform,
    raw: raw::RawText,
    files: files::FilesView,
    /// Engines keep no blobs Berth can read, so their images have no Files tab content.
    files_available: bool,
    /// What a pull of each platform of an index moves (registry images), and the index
    /// they were read for.
    platform_sizes: Requested<Vec<crate::oci::image::PlatformSize>>,
    sizes_for: Option<crate::oci::Digest>,
}

impl ImageView {
    pub fn new(
        bg: &Bg,
        client: Arc<RegistryClient>,
        repo: crate::oci::Repository,
        tag: String,
    ) -> Self {
        let files = files::FilesView::new(crate::layers::BlobSource::Registry {
            client: Arc::clone(&client),
            repository: repo.clone(),
        });
        let text = repo.to_string();
        Self::with_origin(bg, ImageOrigin::Registry(client, repo), text, tag, files)
    }

    /// An image in a local store: `prefix` is the store's CLI prefix (`berth`, `oci:DIR`),
    /// `reference` the name within it; `blob_dir` the layout the Files tab reads.
    pub fn new_local(
        bg: &Bg,
        store: Arc<dyn crate::store::LocalStore>,
        prefix: String,
        reference: String,
        blob_dir: Option<std::path::PathBuf>,
    ) -> Self {
        let files_available = blob_dir.is_some();
        let files = files::FilesView::new(crate::layers::BlobSource::Layout {
            dir: blob_dir.unwrap_or_default(),
        });
        let name = crate::oci::LocalName::parse(&reference);
        let origin = ImageOrigin::Local(store, name);
        let mut view = Self::with_origin(bg, origin, prefix, reference, files);
        view.files_available = files_available;
        view
    }

    fn with_origin(
        bg: &Bg,
        origin: ImageOrigin,
        repo: String,
        tag: String,
        files: files::FilesView,
    ) -> Self {
        let mut view = Self {
            repo,
            tag,
            origin,
            detail: Requested::Idle,
            referrers: referrers::ReferrersList::default(),
            signatures: signatures::Signatures::default(),
            trust: trust::TrustTab::default(),
            open: None,
            tab: Tab::Overview,
            platform: Platform::host(),
            raw: raw::RawText::default(),
            files,
            files_available: true,
            platform_sizes: Requested::Idle,
            sizes_for: None,
        };
        view.reload(bg);
        view
    }

    /// Fetches the detail again. Once an index is known, its digest is asked for (not the
    /// tag), so switching platforms shows the same index even if the tag moved meanwhile.
    pub fn reload(&mut self, bg: &Bg) {
        let reference = self
            .detail
            .value()
            .filter(|d| !d.platforms.is_empty())
            .map_or_else(
                // A manifest opened by digest (an artifact's subject) has a digest for a tag.
                || {
                    crate::oci::Reference::parse(&self.tag)
                        .unwrap_or_else(|_| crate::oci::Reference::Tag(self.tag.clone()))
                },
                |d| crate::oci::Reference::Digest(d.digest.clone()),
            );
        let platform = self.platform.clone();
        match self.origin.clone() {
            ImageOrigin::Registry(client, repo) => {
                self.detail.request(&bg.rt, &bg.repaint, async move {
                    client
                        .inspect(&repo, &reference, &platform)
                        .await
                        .map_err(DetailError::Registry)
                });
            }
            ImageOrigin::Local(store, reference) => {
                // A local store names an index by its ref; its digest is not a name there.
                self.detail.request(&bg.rt, &bg.repaint, async move {
                    store
                        .inspect(&reference, &platform)
                        .await
                        .map_err(DetailError::Local)
                });
            }
        }
        self.referrers.reset();
        self.signatures.reset();
        self.trust.reset();
    }

    /// The public key files signatures are checked with (the settings' for this registry).
    #[must_use]
    pub fn with_signing_keys(mut self, keys: Vec<std::path::PathBuf>) -> Self {
        self.signatures.keys = keys;
        self
    }

    /// Starts the signature look-up of the manifest on screen (registry images only).
    fn ensure_signatures(&mut self, bg: &Bg) {
        let (ImageOrigin::Registry(client, repo), Some(d)) = (&self.origin, self.detail.value())
        else {
            return;
        };
        let (digest, entries) = (d.digest.clone(), d.platforms.clone());
        self.signatures.ensure(bg, client, repo, &digest, &entries);
    }

    pub fn poll(&mut self) {
        if self.detail.poll()
            && let Some(d) = self.detail.value()
        {
            self.raw.update(d);
        }
        self.referrers.poll();
        self.signatures.poll();
        self.trust.poll();
        self.files.poll();
        self.platform_sizes.poll();
    }

    /// Reads the sizes of the index's platforms once per index (a registry's only: a local
    /// store's detail says only the chosen one's).
    fn ensure_platform_sizes(&mut self, bg: &Bg) {
        let ImageOrigin::Registry(client, repo) = &self.origin else {
            return;
        };
        let Some(detail) = self.detail.value().filter(|d| !d.platforms.is_empty()) else {
            return;
        };
        if self.sizes_for.as_ref() == Some(&detail.digest) {
            return;
        }
        self.sizes_for = Some(detail.digest.clone());
        let (client, repo, entries) = (Arc::clone(client), repo.clone(), detail.platforms.clone());
        self.platform_sizes
            .request(&bg.rt, &bg.repaint, async move {
                Ok(client.platform_sizes(&repo, &entries).await)
            });
    }

    fn sizes(&self) -> overview::PlatformSizes<'_> {
        match (&self.origin, self.platform_sizes.value()) {
            (ImageOrigin::Local(..), _) => overview::PlatformSizes::Unknown,
            (_, Some(sizes)) if !self.platform_sizes.is_pending() => {
                overview::PlatformSizes::Known(sizes)
            }
            _ if self.platform_sizes.error().is_some() => overview::PlatformSizes::Unknown,
            _ => overview::PlatformSizes::Reading,
        }
    }

    /// A digest of this repository the person asked to open, once.
    pub fn take_open(&mut self) -> Option<crate::oci::Digest> {
        self.open.take()
    }

    fn choose_platform(&mut self, bg: &Bg, platform: Platform) {
        if platform != self.platform {
            self.platform = platform;
            self.reload(bg);
        }
    }

    /// The digest the referrers belong to: the chosen image, else the reference's own.
    fn subject(&self) -> Option<crate::oci::Digest> {
        let d = self.detail.value()?;
        Some(
            d.image
                .as_ref()
                .map_or_else(|| d.digest.clone(), |i| i.digest.clone()),
        )
    }

    /// The image, with `actions` (buttons for the tag) at the right end of the heading row.
    pub fn show_with(
        &mut self,
        ui: &mut Ui,
        bg: &Bg,
        actions: impl FnOnce(&mut Ui),
    ) -> Option<widgets::ErrorAction> {
        let mut action = None;
        self.ensure_signatures(bg);
        self.heading(ui);
        // The actions get their own row: beside a long reference they would not fit. Both
        // rows wrap on a narrow window rather than cut a button off.
        ui.horizontal_wrapped(actions);
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            // A little tighter than other buttons, so the seven tabs stay on one line at
            // 800×600 in English and Korean (`ui_layout_image_tabs_stay_on_one_line_at_800x600`).
            ui.spacing_mut().item_spacing.x = 4.0;
            ui.spacing_mut().button_padding.x = 5.0;
            for tab in Tab::ALL {
                if ui.selectable_label(self.tab == tab, tab.title()).clicked() {
                    self.tab = tab;
                }
            }
        });
        ui.separator();
        if let Some(e) = self.detail.error() {
            action = match e {
                DetailError::Registry(e) => widgets::error_box(ui, e),
                DetailError::Local(e) => widgets::store_error_box(ui, e),
            };
            ui.add_space(6.0);
        }
        if self.tab == Tab::Overview {
            self.ensure_platform_sizes(bg);
        }
        let Some(detail) = self.detail.value() else {
            if self.detail.is_pending() {
                widgets::busy(ui, &tr!("image-loading"));
            }
            return action;
        };
        let detail = detail.clone();
        if self.tab == Tab::Trust {
            // Like Files, the tab scrolls its own parts (the package table draws only the
            // rows on screen), so it is not put in the shared scroll area.
            let subject = self.subject();
            self.referrers.ensure(bg, &self.origin, subject);
            self.trust.ensure(bg, &self.origin, &detail);
            let mut parts = trust::Parts {
                signatures: &self.signatures,
                referrers: &mut self.referrers,
            };
            if let Some(d) = self.trust.show(ui, bg, &self.origin, &detail, &mut parts) {
                self.open = Some(d);
            }
            return action;
        }
        if self.tab == Tab::Files {
            if self.files_available {
                self.files.show(ui, bg, &detail);
            } else {
                widgets::empty_state(
                    ui,
                    &tr!("local-files-engine-title"),
                    &tr!("local-files-engine-body"),
                );
                ui.vertical_centered(|ui| {
                    if ui.button(tr!("local-files-engine-copy")).clicked() {
                        action = Some(widgets::ErrorAction::CopyToBerth);
                    }
                });
            }
            return action;
        }
        let faded = self.detail.is_pending();
        egui::ScrollArea::vertical()
            .id_salt(("image", self.tab as u8))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if faded {
                    ui.multiply_opacity(0.6);
                }
                match self.tab {
                    Tab::Overview => {
                        let can_open = matches!(self.origin, ImageOrigin::Registry(..));
                        let sizes = self.sizes();
                        match overview::show(ui, &detail, &self.platform, can_open, sizes) {
                            Some(overview::OverviewAction::Platform(p)) => {
                                self.choose_platform(bg, p);
                            }
                            Some(overview::OverviewAction::OpenSubject(d)) => self.open = Some(d),
                            None => {}
                        }
                    }
                    Tab::Config => config::show(ui, &detail),
                    Tab::History => history::show(ui, &detail),
                    Tab::Layers => layers::show(ui, &detail),
                    Tab::Files | Tab::Trust => {}
                    Tab::Raw => self.raw.show(ui),
                }
            });
        action
    }
}

impl ImageView {
    /// The heading row: the reference (elided, whole in its tooltip), the spinner while it
    /// loads, and for a registry image its pull commands.
    fn heading(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            // The reference is elided (whole in its tooltip) so the spinner and the pull
            // menu after it stay on screen.
            let registry = matches!(self.origin, ImageOrigin::Registry(..));
            let room = ui.available_width() - heading_tail_width(ui, registry);
            let title = self.title();
            ui.scope(|ui| {
                ui.set_max_width(room.max(60.0));
                ui.add(egui::Label::new(RichText::new(title).strong().size(16.0)).truncate());
            });
            if self.detail.is_pending() {
                ui.add(egui::Spinner::new().size(13.0));
            }
            if let ImageOrigin::Registry(client, repo) = &self.origin {
                let tag = match crate::oci::Reference::parse(&self.tag) {
                    Ok(crate::oci::Reference::Tag(t)) => Some(t),
                    _ => None,
                };
                let digest = self.detail.value().map(|d| &d.digest);
                crate::ui::browse::tags::pull_menu::show(ui, client, repo, tag.as_deref(), digest);
            }
        });
        if matches!(self.origin, ImageOrigin::Registry(..)) {
            ui.horizontal(|ui| self.signatures.show_badge(ui));
        }
    }

    /// `repo:tag`, or `repo@digest` for a manifest opened by digest; escaped (the names
    /// come from the registry), the heading elides it.
    fn title(&self) -> String {
        let sep = crate::oci::Reference::parse(&self.tag).map_or(':', |r| r.separator());
        crate::format::escape(&format!("{}{sep}{}", self.repo, self.tag)).into_owned()
    }
}

/// How much of the heading row the spinner and, for a registry image, the pull menu take.
fn heading_tail_width(ui: &Ui, registry: bool) -> f32 {
    let spacing = ui.spacing();
    let spinner = 13.0 + spacing.item_spacing.x;
    if !registry {
        return spinner;
    }
    let text = ui
        .painter()
        .layout_no_wrap(
            tr!("tag-copy-pull"),
            egui::TextStyle::Button.resolve(ui.style()),
            egui::Color32::WHITE,
        )
        .size()
        .x;
    spinner + text + 2.0 * spacing.button_padding.x + spacing.item_spacing.x + 4.0
}

/// The message shown in tabs that need a single image when an index has none for the
/// chosen platform.
pub(super) fn no_image(ui: &mut Ui, detail: &ImageDetail) {
    let wanted = detail
        .missing_platform
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    widgets::empty_state(
        ui,
        &tr!("image-no-platform-title", platform = wanted),
        &tr!("image-no-platform-body"),
    );
}
