//! Config: env, command, entrypoint, working dir, user, ports, volumes and labels, as
//! tables whose values can be copied.

use super::super::widgets;
use crate::oci::image::{ImageConfig, ImageDetail};
use crate::tr;
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
    runtime(ui, config);
    let c = &config.config;
    let env: Vec<(String, String)> = c
        .env
        .iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (e.clone(), String::new()),
        })
        .collect();
    table(ui, "env", &tr!("config-env"), &env);
    let labels: Vec<(String, String)> = c
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    table(ui, "labels", &tr!("config-labels"), &labels);
}

fn runtime(ui: &mut Ui, config: &ImageConfig) {
    let c = &config.config;
    let rows: [(String, String); 7] = [
        (tr!("config-entrypoint"), join_args(&c.entrypoint)),
        (tr!("config-cmd"), join_args(&c.cmd)),
        (tr!("config-workdir"), c.working_dir.clone()),
        (tr!("config-user"), c.user.clone()),
        (tr!("config-ports"), c.exposed_ports.join(", ")),
        (tr!("config-volumes"), c.volumes.join(", ")),
        (tr!("config-stop-signal"), c.stop_signal.clone()),
    ];
    widgets::section(ui, &tr!("config-runtime"));
    egui::Grid::new("runtime")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 6.0])
        .min_col_width(40.0)
        .show(ui, |ui| {
            for (key, value) in rows {
                ui.label(RichText::new(key).color(ui.visuals().weak_text_color()));
                if value.is_empty() {
                    ui.label("");
                    ui.label(RichText::new("—").color(ui.visuals().weak_text_color()));
                } else {
                    widgets::copy_button(ui, &value);
                    ui.add(egui::Label::new(RichText::new(&value).monospace()).wrap());
                }
                ui.end_row();
            }
        });
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

fn table(ui: &mut Ui, id: &str, title: &str, rows: &[(String, String)]) {
    widgets::section(
        ui,
        &format!(
            "{title} ({})",
            crate::i18n::group_thousands(i64::try_from(rows.len()).unwrap_or(i64::MAX))
        ),
    );
    if rows.is_empty() {
        ui.label(RichText::new(tr!("config-empty")).color(ui.visuals().weak_text_color()));
        return;
    }
    egui::Grid::new(id)
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 6.0])
        .min_col_width(40.0)
        .show(ui, |ui| {
            for (k, v) in rows {
                ui.label(RichText::new(k).monospace());
                widgets::copy_button(ui, &format!("{k}={v}"));
                ui.add(egui::Label::new(v.as_str()).wrap());
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    #[test]
    fn args_are_quoted_like_a_shell_reads_them() {
        let args = ["sh".to_owned(), "-c".to_owned(), "echo hi".to_owned()];
        assert_eq!(super::join_args(&args), "sh -c \"echo hi\"");
    }
}
