//! "Copy to…" for a registry tag or a local image: one destination in the CLI's reference
//! grammar (`HOST/REPO:TAG`, `berth:NAME`, `oci:DIR:TAG`, `docker:NAME`, `podman:NAME`),
//! checked as it is typed, with one-click suggestions (Berth's store, the engines, the
//! registries in the sidebar); "Copy" starts a copy job in the jobs panel.

use crate::oci::{ImageName, ImageRef, RegistryRef, tag_or_default};
use crate::tr;
use crate::ui::shell::theme::{self, Tone};
use egui::RichText;

pub struct CopyDialog {
    pub source: ImageRef,
    dest: String,
    /// (button text, destination it fills in)
    suggestions: Vec<(String, String)>,
}

pub enum CopyResult {
    Cancelled,
    Copy(ImageRef),
}

impl CopyDialog {
    /// `registries` are the hosts (with `http://` where needed) offered as destinations.
    pub fn new(source: ImageRef, registries: &[String]) -> Self {
        let suggestions = suggestions(&source, registries);
        Self {
            source,
            dest: String::new(),
            suggestions,
        }
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<CopyResult> {
        let mut result = None;
        let parsed = match self.dest.trim() {
            "" => None,
            text => Some(ImageRef::parse(text)),
        };
        let modal = egui::Modal::new(egui::Id::unique("tag-copy")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(tr!("tag-copy-title", reference = self.source.to_string()));
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(tr!("tag-copy-suggest"));
                for (text, dest) in &self.suggestions {
                    if ui.button(text).on_hover_text(dest.as_str()).clicked() {
                        self.dest.clone_from(dest);
                    }
                }
            });
            let label = ui.label(tr!("tag-copy-dest"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.dest)
                        .hint_text(tr!("tag-copy-dest-hint"))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            ui.label(
                RichText::new(tr!("tag-copy-grammar"))
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
            if let Some(Err(e)) = &parsed {
                ui.label(
                    RichText::new(tr!("tag-copy-invalid", reason = e.reason.as_str()))
                        .color(theme::tone(ui, Tone::Error)),
                );
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                let ok = matches!(parsed, Some(Ok(_)));
                let go = ui
                    .add_enabled(ok, egui::Button::new(tr!("tag-copy-confirm")))
                    .clicked();
                if (go || (enter && ok))
                    && let Some(Ok(dest)) = &parsed
                {
                    result = Some(CopyResult::Copy(dest.clone()));
                }
                if ui.button(tr!("tag-copy-cancel")).clicked() {
                    result = Some(CopyResult::Cancelled);
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(CopyResult::Cancelled);
        }
        result
    }
}

/// `REPO:TAG` of the source, without its registry host (an OCI directory's image is
/// `DIR:TAG`).
fn repo_and_tag(source: &ImageRef) -> String {
    let name = match source {
        ImageRef::Registry(r) => {
            return format!("{}:{}", r.repository, tag_or_default(r.tag.as_deref()));
        }
        ImageRef::OciDir { dir, name } => {
            let dir = dir.file_name().map_or_else(
                || "image".to_owned(),
                |d| d.to_string_lossy().to_lowercase(),
            );
            let tag = (!name.is_default()).then(|| name.to_string());
            return format!("{dir}:{}", tag_or_default(tag.as_deref()));
        }
        ImageRef::Berth { name } | ImageRef::Docker { name } | ImageRef::Podman { name } => {
            name.to_string()
        }
    };
    // `HOST/REPO:TAG` loses its host; `alpine:3` and `team/app:v1` stay as they are.
    match RegistryRef::parse(&name) {
        Ok(r) if ImageName::parse(&name).has_host() => {
            format!("{}:{}", r.repository, tag_or_default(r.tag.as_deref()))
        }
        _ => name,
    }
}

fn suggestions(source: &ImageRef, registries: &[String]) -> Vec<(String, String)> {
    let name = repo_and_tag(source);
    let full = match source {
        ImageRef::Registry(r) => r.to_string(),
        ImageRef::Berth { name } | ImageRef::Docker { name } | ImageRef::Podman { name } => {
            name.to_string()
        }
        ImageRef::OciDir { .. } => name.clone(),
    };
    let mut out = vec![
        (tr!("tag-copy-to-berth"), format!("berth:{full}")),
        ("Podman".to_owned(), format!("podman:{full}")),
        ("Docker".to_owned(), format!("docker:{full}")),
    ];
    for host in registries {
        out.push((host.clone(), format!("{host}/{name}")));
    }
    // Copying onto itself is no copy.
    let own = source.to_string();
    out.retain(|(_, dest)| {
        let dest = dest
            .trim_start_matches("http://")
            .trim_start_matches("https://");
        dest != own
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dests(source: &str) -> Vec<String> {
        let registries = ["http://127.0.0.1:5000".to_owned(), "ghcr.io".to_owned()];
        suggestions(&ImageRef::parse(source).unwrap(), &registries)
            .into_iter()
            .map(|(_, d)| d)
            .collect()
    }

    #[test]
    fn suggestions_keep_the_name_and_drop_the_source_itself() {
        assert_eq!(
            dests("http://127.0.0.1:5000/team/app:v1"),
            [
                "berth:127.0.0.1:5000/team/app:v1",
                "podman:127.0.0.1:5000/team/app:v1",
                "docker:127.0.0.1:5000/team/app:v1",
                "ghcr.io/team/app:v1",
            ]
        );
        assert_eq!(
            dests("berth:127.0.0.1:5000/team/app:v1"),
            [
                "podman:127.0.0.1:5000/team/app:v1",
                "docker:127.0.0.1:5000/team/app:v1",
                "http://127.0.0.1:5000/team/app:v1",
                "ghcr.io/team/app:v1",
            ]
        );
        assert_eq!(dests("oci:/tmp/Lay:api")[0], "berth:lay:api");
        assert_eq!(dests("podman:alpine:3")[3], "ghcr.io/alpine:3");
        for d in dests("podman:docker.io/library/alpine:3.19") {
            assert!(ImageRef::parse(&d).is_ok(), "{d}");
        }
    }
}
