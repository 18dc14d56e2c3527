//! All referrers, the last section of the Trust tab: every manifest that names this image as
//! its subject (signatures, SBOMs, attestations and any other artifact), grouped by artifact
//! type, with digest, size and annotations, and Open artifact (its Overview and Raw JSON).
//! The section says how the registry was asked (API, fallback tag, or neither), and where it
//! could not tell, offers to look through the repository's tags (`registry::subjects`).

use crate::oci::Digest;
use crate::oci::image::Referrer;
use crate::registry::{LookedBy, ReferrersLookup, SubjectCache, SubjectSearch};
use crate::tr;
use crate::ui::Bg;
use crate::ui::kit::requested::Requested;
use crate::ui::kit::widgets;
use egui::{RichText, Ui};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::ImageOrigin;

/// What a manifest says about its subject is fixed by its digest, so one cache serves every
/// image view of the run: opening another image of the repository reuses what was read.
fn shared_cache() -> Arc<SubjectCache> {
    static CACHE: OnceLock<Arc<SubjectCache>> = OnceLock::new();
    Arc::clone(CACHE.get_or_init(Arc::default))
}

/// The section's reads: the registry's answer, and the search through the tags on request.
#[derive(Default)]
pub struct ReferrersList {
    lookup: Requested<ReferrersLookup>,
    /// The digest `lookup` and `search` belong to.
    subject: Option<Digest>,
    /// Replacing or dropping this cell drops the search's future, which stops it.
    search: Requested<SubjectSearch>,
}

impl ReferrersList {
    /// Forgets both answers (the image was reloaded).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn poll(&mut self) {
        self.lookup.poll();
        self.search.poll();
    }

    /// Asks the registry for the referrers of `subject`, unless that is what is on screen.
    pub fn ensure(&mut self, bg: &Bg, origin: &ImageOrigin, subject: Option<Digest>) {
        if subject == self.subject {
            return;
        }
        self.search = Requested::Idle;
        if let Some(digest) = subject.clone() {
            match origin.clone() {
                ImageOrigin::Registry(client, repo) => {
                    self.lookup.request(&bg.rt, &bg.repaint, async move {
                        client.lookup_referrers(&repo, &digest, None).await
                    });
                }
                // Local stores keep no referrers.
                ImageOrigin::Local(..) => {
                    self.lookup = Requested::Ready(ReferrersLookup {
                        referrers: Vec::new(),
                        looked_by: LookedBy::Api,
                    });
                }
            }
        }
        self.subject = subject;
    }

    fn start_search(&mut self, bg: &Bg, origin: &ImageOrigin) {
        let (ImageOrigin::Registry(client, repo), Some(subject)) = (origin, &self.subject) else {
            return;
        };
        let (client, repo, subject) = (Arc::clone(client), repo.clone(), subject.clone());
        let cache = shared_cache();
        self.search.request(&bg.rt, &bg.repaint, async move {
            client
                .find_referrers_by_subject(&repo, &subject, &cache)
                .await
        });
    }

    /// Draws the section under its heading; returns an artifact the person asked to open.
    pub fn show(&mut self, ui: &mut Ui, bg: &Bg, origin: &ImageOrigin) -> Option<Digest> {
        // A count only where the registry could tell: without the API, none found is not none.
        let heading = match self.lookup.value() {
            Some(l)
                if !self.lookup.is_pending()
                    && (l.looked_by == LookedBy::Api || !l.referrers.is_empty()) =>
            {
                tr!("trust-referrers-count", count = l.referrers.len())
            }
            _ => tr!("trust-referrers"),
        };
        widgets::section(ui, &heading);
        if let Some(e) = self.lookup.error() {
            widgets::error_box(ui, e);
            return None;
        }
        let Some(lookup) = self.lookup.value() else {
            widgets::busy(ui, &tr!("referrers-loading"));
            return None;
        };
        let looked_by = lookup.looked_by;
        if lookup.referrers.is_empty() && looked_by == LookedBy::Api {
            note(ui, &tr!("referrers-none-body"));
            return None;
        }
        match looked_by {
            LookedBy::Api => {}
            LookedBy::FallbackTag => note(ui, &tr!("referrers-by-fallback-tag")),
            LookedBy::NoApiNoFallbackTag => note(ui, &tr!("referrers-no-api")),
        }
        let mut open = list(ui, &lookup.referrers);
        if looked_by != LookedBy::Api {
            open = open.or(self.search_part(ui, bg, origin));
        }
        open
    }

    /// The button that starts the search, its progress, and what it found.
    fn search_part(&mut self, ui: &mut Ui, bg: &Bg, origin: &ImageOrigin) -> Option<Digest> {
        ui.add_space(8.0);
        let label = if self.search.is_idle() {
            tr!("referrers-search")
        } else {
            tr!("referrers-search-again")
        };
        if ui
            .add_enabled(!self.search.is_pending(), egui::Button::new(label))
            .on_hover_text(tr!(
                "referrers-search-hint",
                limit = crate::registry::MAX_SEARCHED_MANIFESTS
            ))
            .clicked()
        {
            self.start_search(bg, origin);
        }
        if self.search.is_pending() {
            widgets::busy(ui, &tr!("referrers-searching"));
        }
        if let Some(e) = self.search.error() {
            widgets::error_box(ui, e);
        }
        let search = self.search.value()?;
        let summary = if search.truncated() {
            tr!(
                "referrers-search-summary-truncated",
                looked = search.looked_at,
                total = search.tags_total,
                found = search.found.len()
            )
        } else {
            tr!(
                "referrers-search-summary",
                looked = search.looked_at,
                found = search.found.len()
            )
        };
        note(ui, &summary);
        let found: Vec<Referrer> = search.found.iter().map(|f| f.referrer.clone()).collect();
        let tags: BTreeMap<&Digest, String> = search
            .found
            .iter()
            .map(|f| (&f.referrer.digest, f.tags.join(", ")))
            .collect();
        list_with(ui, &found, |ui, r| {
            if let Some(t) = tags.get(&r.digest) {
                ui.label(RichText::new(t).monospace());
            }
        })
    }
}

fn note(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).color(ui.visuals().weak_text_color()));
    ui.add_space(4.0);
}

fn list(ui: &mut Ui, referrers: &[Referrer]) -> Option<Digest> {
    list_with(ui, referrers, |_, _| {})
}

/// The referrers grouped by artifact type: for each, a line with its digest (whole in the
/// tooltip), Copy, Open artifact, its size and `extra`, then its annotations, wrapped
/// below (a narrow tab keeps every fact readable); returns one the person asked to open.
fn list_with(
    ui: &mut Ui,
    referrers: &[Referrer],
    extra: impl Fn(&mut Ui, &Referrer),
) -> Option<Digest> {
    let mut open = None;
    let mut by_type: BTreeMap<String, Vec<&Referrer>> = BTreeMap::new();
    for r in referrers {
        let key = r
            .artifact_type
            .clone()
            .unwrap_or_else(|| tr!("referrers-untyped"));
        by_type.entry(key).or_default().push(r);
    }
    for (artifact_type, items) in by_type {
        ui.add_space(4.0);
        let artifact_type = crate::format::escape(&artifact_type);
        ui.label(RichText::new(format!("{artifact_type} ({})", items.len())).strong());
        for r in items {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(r.digest.short()).monospace())
                    .on_hover_text(r.digest.as_str());
                widgets::copy_button(ui, r.digest.as_str());
                if ui
                    .small_button(tr!("referrers-open"))
                    .on_hover_text(r.digest.as_str())
                    .clicked()
                {
                    open = Some(r.digest.clone());
                }
                widgets::size_label(ui, r.size);
                extra(ui, r);
            });
            let notes: Vec<String> = r
                .annotations
                .iter()
                .map(|(k, v)| crate::format::escape(&format!("{k}={v}")).into_owned())
                .collect();
            if !notes.is_empty() {
                ui.add(
                    egui::Label::new(
                        RichText::new(notes.join("  "))
                            .small()
                            .color(ui.visuals().weak_text_color()),
                    )
                    .wrap(),
                );
            }
            ui.add_space(2.0);
        }
    }
    open
}
