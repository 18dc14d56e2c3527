//! Config: env, command, entrypoint, working dir, user, ports, volumes and labels, as
//! tables whose values can be copied.

use crate::oci::image::ImageDetail;
use crate::tr;
use crate::ui::kit::widgets;
use egui::{RichText, Ui};

pub fn show(ui: &mut Ui, detail: &ImageDetail) {
    let Some(image) = &detail.image else {
        super::no_image(ui, detail);
        return;
    };
    let Some(config) = &image.config else {
        widgets::empty_state(
            ui,
            &tr!("config-none-title"),
            &tr!(
                "config-none-body",
                media_type = image.config_media_type.as_str()
            ),
        );
        return;
    };
    let c = &config.config;
    let runtime: Vec<(String, String)> = vec![
        (tr!("config-entrypoint"), join_args(&c.entrypoint)),
        (tr!("config-cmd"), join_args(&c.cmd)),
        (tr!("config-workdir"), c.working_dir.clone()),
        (tr!("config-user"), c.user.clone()),
        (tr!("config-ports"), c.exposed_ports.join(", ")),
        (tr!("config-volumes"), c.volumes.join(", ")),
        (tr!("config-stop-signal"), c.stop_signal.clone()),
    ];
    let env: Vec<(String, String)> = c
        .env
        .iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (e.clone(), String::new()),
        })
        .collect();
    let labels: Vec<(String, String)> = c
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // One grid for all sections, so the keys, copy buttons and values line up.
    egui::Grid::new("config")
        .num_columns(3)
        .striped(false)
        .spacing([16.0, 7.0])
        .show(ui, |ui| {
            section_row(ui, &tr!("config-runtime"), None);
            for (key, value) in &runtime {
                ui.label(RichText::new(key).color(ui.visuals().weak_text_color()));
                if value.is_empty() {
                    ui.label("");
                    ui.label(RichText::new("—").color(ui.visuals().weak_text_color()));
                } else {
                    widgets::copy_button(ui, value);
                    let shown = crate::format::escape(value).into_owned();
                    ui.add(egui::Label::new(RichText::new(shown).monospace()).wrap());
                }
                ui.end_row();
            }
            for (title, rows) in [(tr!("config-env"), &env), (tr!("config-labels"), &labels)] {
                section_row(ui, &title, Some(rows.len()));
                if rows.is_empty() {
                    ui.label(
                        RichText::new(tr!("config-empty")).color(ui.visuals().weak_text_color()),
                    );
                    ui.end_row();
                }
                for (k, v) in rows {
                    // Shown escaped (a label cannot fake a row); copied exactly.
                    ui.label(RichText::new(crate::format::escape(k).into_owned()).monospace());
                    widgets::copy_button(ui, &format!("{k}={v}"));
                    ui.add(egui::Label::new(crate::format::escape(v).into_owned()).wrap());
                    ui.end_row();
                }
            }
        });
}

/// A section title as a grid row, with room above it.
fn section_row(ui: &mut Ui, title: &str, count: Option<usize>) {
    let text = match count {
        Some(n) => format!(
            "{title} ({})",
            crate::i18n::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
        ),
        None => title.to_owned(),
    };
    ui.vertical(|ui| {
        ui.add_space(8.0);
        ui.label(RichText::new(text).strong().size(14.5));
    });
    ui.end_row();
}

/// `["sh", "-c", "echo hi"]` as a shell would read it.
fn join_args(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "\"'$`\\".contains(c)) {
                format!("\"{}\"", a.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn args_are_quoted_like_a_shell_reads_them() {
        let args = ["sh".to_owned(), "-c".to_owned(), "echo hi".to_owned()];
        assert_eq!(super::join_args(&args), "sh -c \"echo hi\"");
    }
}
