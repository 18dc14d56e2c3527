//! The Compare window: pick two images (a registry the app knows, and `repository:tag` or
//! `repository@digest`, with the repository's tags one click away), then read both images'
//! layers in the background and show how they differ (see `view`).

mod view;

use crate::inspect::{self, BytesRead, Error, Place};
use crate::oci::{ImageRef, Platform, RegistryRef, Repository};
use crate::settings::Settings;
use crate::tr;
use crate::ui::app::BerthApp;
use crate::ui::kit::requested::{Requested, Vanished};
use crate::ui::shell::sidebar::Source;
use crate::ui::{Bg, kit::widgets, shell::theme};
use egui::{RichText, Ui};
use std::sync::Arc;
use view::DiffView;

pub use crate::inspect::Compared;

impl Vanished for Error {
    fn vanished() -> Self {
        Self::Stopped
    }
}

/// One side of the comparison as picked.
struct Side {
    source: usize,
    reference: String,
    tags: Requested<Vec<String>>,
    tags_for: Option<(usize, Repository)>,
}

impl Side {
    /// The side's text as a reference inside its registry; `None` while it names none (or
    /// names a local image).
    fn parsed(&self, sources: &[Source]) -> Option<RegistryRef> {
        let source = sources.get(self.source)?;
        RegistryRef::parse_in(&source.registry, &self.reference).ok()
    }

    fn repository(&self, sources: &[Source]) -> Option<Repository> {
        self.parsed(sources).map(|r| r.repository)
    }
}

pub struct CompareView {
    sides: [Side; 2],
    /// Pick B as the tag after A's once the tags are known.
    guess_b: bool,
    /// Replacing or dropping it stops the comparison (a new one, or the window closed).
    run: Requested<Arc<Compared>, Error>,
    /// Blob bytes read so far and in all, over both images.
    read: Arc<BytesRead>,
    view: DiffView,
}

impl CompareView {
    pub fn poll(&mut self) {
        for side in &mut self.sides {
            side.tags.poll();
        }
        if self.run.poll() {
            self.view = DiffView::default();
        }
    }

    /// Once B's tags are known, B starts as the tag after A's (or before it, for the last).
    fn pick_b(&mut self, sources: &[Source]) {
        if self.guess_b
            && let Some(tags) = self.sides[1].tags.value()
        {
            self.guess_b = false;
            let Some(a) = self.sides[0].parsed(sources) else {
                return;
            };
            let mut sorted = tags.clone();
            crate::natural_sort::sort(&mut sorted);
            let at = sorted.iter().position(|t| a.tag.as_ref() == Some(t));
            let next = at.and_then(|i| {
                sorted
                    .get(i + 1)
                    .or_else(|| i.checked_sub(1).and_then(|j| sorted.get(j)))
            });
            if let Some(next) = next {
                self.sides[1].reference = format!("{}:{next}", a.repository);
            }
        }
    }

    /// Asks for a side's tags when its repository changed (not while it is being typed).
    fn want_tags(&mut self, bg: &Bg, sources: &[Source], i: usize, typing: bool) {
        let side = &mut self.sides[i];
        let Some(repo) = side.repository(sources) else {
            return;
        };
        let key = (side.source, repo);
        if typing || side.tags_for.as_ref() == Some(&key) {
            return;
        }
        let Some(client) = sources.get(side.source).and_then(Source::client) else {
            return;
        };
        let repo = key.1.clone();
        side.tags_for = Some(key);
        side.tags = Requested::Idle;
        side.tags
            .request(&bg.rt, &bg.repaint, async move { client.tags(&repo).await });
    }

    fn start(&mut self, bg: &Bg, sources: &[Source], settings: &Settings) {
        let places = match (
            place(&self.sides[0], sources),
            place(&self.sides[1], sources),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(error), _) | (_, Err(error)) => {
                self.run = Requested::Failed {
                    error,
                    previous: None,
                };
                return;
            }
        };
        self.read = Arc::new(BytesRead::default());
        let (read, cache, repaint, settings) = (
            Arc::clone(&self.read),
            bg.layer_cache.clone(),
            Arc::clone(&bg.repaint),
            settings.clone(),
        );
        self.run.request(&bg.rt, &bg.repaint, async move {
            let (a, b) = places;
            let platform = Platform::host();
            inspect::compare(a, b, &platform, &settings, cache.as_ref(), read, repaint)
                .await
                .map(Arc::new)
        });
    }

    /// The pickers, the Compare button, progress, and the result. Returns false once closed.
    fn show(&mut self, ui: &mut Ui, bg: &Bg, sources: &[Source], settings: &Settings) {
        // Fill the window, so the file list below can take the height left.
        ui.set_min_size(ui.available_size());
        self.pick_b(sources);
        for i in 0..2 {
            let typing = ui.horizontal(|ui| self.side_row(ui, sources, i)).inner;
            self.want_tags(bg, sources, i, typing);
        }
        ui.horizontal(|ui| {
            let running = self.run.is_pending();
            if ui
                .add_enabled(!running, egui::Button::new(tr!("compare-run")))
                .clicked()
            {
                self.start(bg, sources, settings);
            }
            if ui
                .button(tr!("compare-swap"))
                .on_hover_text(tr!("compare-swap-tooltip"))
                .clicked()
            {
                self.sides.swap(0, 1);
            }
            if running {
                let (read, total) = (self.read.read(), self.read.total());
                ui.add(egui::Spinner::new().size(13.0));
                ui.label(
                    RichText::new(tr!(
                        "compare-reading",
                        read = crate::format::size(read),
                        total = crate::format::size(total)
                    ))
                    .color(ui.visuals().weak_text_color()),
                );
            }
        });
        if let Some(e) = self.run.error() {
            ui.label(
                RichText::new(crate::i18n::describe(e)).color(theme::tone(ui, theme::Tone::Error)),
            );
        }
        ui.separator();
        match self.run.value().cloned() {
            Some(done) => {
                if self.run.is_pending() {
                    ui.multiply_opacity(0.6);
                }
                self.view.show(ui, &done);
            }
            None if !self.run.is_pending() => {
                widgets::empty_state(ui, &tr!("compare-empty-title"), &tr!("compare-empty-body"));
            }
            None => {}
        }
    }

    /// One side: registry, reference, and a menu of the repository's tags. Returns whether
    /// the reference is being typed.
    fn side_row(&mut self, ui: &mut Ui, sources: &[Source], i: usize) -> bool {
        let side = &mut self.sides[i];
        let title = tr!(if i == 0 {
            "compare-image-a"
        } else {
            "compare-image-b"
        });
        let (rect, _) = ui.allocate_exact_size(egui::vec2(64.0, 20.0), egui::Sense::hover());
        let label = ui.put(rect, egui::Label::new(RichText::new(title).strong()));
        let current = sources.get(side.source).map_or("", |s| s.name.as_str());
        egui::ComboBox::from_id_salt(("compare-source", i))
            .selected_text(current)
            .width(180.0)
            .show_ui(ui, |ui| {
                for (j, s) in sources.iter().enumerate() {
                    ui.selectable_value(&mut side.source, j, s.name.as_str());
                }
            });
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut side.reference)
                    .hint_text(tr!("compare-reference-hint"))
                    .desired_width((ui.available_width() - 110.0).clamp(200.0, 460.0)),
            )
            .labelled_by(label.id);
        if field.changed() && i == 1 {
            self.guess_b = false;
        }
        let repo = self.sides[i].repository(sources);
        let side = &mut self.sides[i];
        let mut picked = None;
        ui.add_enabled_ui(side.tags.value().is_some(), |ui| {
            ui.menu_button(
                tr!(if i == 0 {
                    "compare-tags-a"
                } else {
                    "compare-tags-b"
                }),
                |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for tag in side.tags.value().map(Vec::as_slice).unwrap_or_default() {
                                if ui.button(tag).clicked() {
                                    picked = Some(tag.clone());
                                    ui.close();
                                }
                            }
                        });
                },
            );
        });
        if let (Some(tag), Some(repo)) = (picked, repo) {
            side.reference = format!("{repo}:{tag}");
            if i == 1 {
                self.guess_b = false;
            }
        }
        field.has_focus()
    }
}

/// Where a side's image lives: `berth:NAME` or `oci:DIR:TAG` names a local image whatever
/// registry is picked; anything else is a reference inside the side's registry.
fn place(side: &Side, sources: &[Source]) -> Result<Place, Error> {
    let text = side.reference.trim();
    if let Some(local) = ImageRef::parse(text).ok().as_ref().and_then(Place::local) {
        return Ok(local);
    }
    let source = sources.get(side.source);
    let Some(reference) = side.parsed(sources) else {
        return Err(Error::BadReference {
            reference: text.to_owned(),
        });
    };
    let Some(client) = source.and_then(Source::client) else {
        return Err(Error::NotConnected {
            registry: source.map(|s| s.name.clone()).unwrap_or_default(),
        });
    };
    Ok(Place::Registry { client, reference })
}

impl BerthApp {
    /// Opens the Compare window: A is the image on screen (or the repository), B starts as
    /// the next tag of the same repository.
    pub(super) fn open_compare(&mut self) {
        if self.compare.is_some() {
            return;
        }
        let source = (self.nav.at().source())
            .and_then(|id| self.sources.position(id))
            .unwrap_or(0);
        let repo = self.nav.tags().map(|t| t.repo.clone());
        let tag = self.nav.image().map(|i| i.tag.clone());
        let reference_a = match (&repo, &tag) {
            (Some(repo), Some(t)) => format!("{repo}:{t}"),
            (Some(repo), None) => repo.to_string(),
            (None, _) => String::new(),
        };
        let known = (self.nav.tags()).and_then(|t| t.tags.value().map(|v| Vec::clone(v)));
        let side = |reference: String| Side {
            source,
            tags: known.clone().map_or(Requested::Idle, Requested::Ready),
            tags_for: known.as_ref().zip(repo.clone()).map(|(_, r)| (source, r)),
            reference,
        };
        self.compare = Some(CompareView {
            sides: [side(reference_a.clone()), side(reference_a)],
            guess_b: tag.is_some(),
            run: Requested::Idle,
            read: Arc::new(BytesRead::default()),
            view: DiffView::default(),
        });
    }

    /// Draws the Compare window while it is open.
    pub(super) fn compare_window(&mut self, ctx: &egui::Context) {
        let Some(compare) = &mut self.compare else {
            return;
        };
        let mut open = true;
        let area = ctx.content_rect();
        egui::Window::new(tr!("compare-title"))
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(egui::pos2(area.center().x, area.top() + 56.0))
            .id(egui::Id::unique("compare-window"))
            .open(&mut open)
            .default_size([1000.0, 680.0])
            .min_size([640.0, 360.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                compare.show(ui, &self.bg, self.sources.as_slice(), &self.settings);
            });
        if !open {
            self.compare = None;
        }
    }
}
