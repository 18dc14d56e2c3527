//! Human text for `berth inspect`: aligned sections in the interface language, sizes in
//! decimal units. Config values (env, labels, commands, history) and everything else the
//! registry wrote are shown through [`crate::format::escape`]: a label cannot recolour the
//! terminal or fake a line.

use crate::format::{escape, size};
use crate::oci::image::{ImageDetail, ImageInfo};
use crate::tr;
use std::fmt::Write as _;

/// Terminal columns a string takes: Hangul, Han and Kana are two columns wide.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60 => 2,
            _ => 1,
        })
        .sum()
}

/// `Label:` padded so values line up, whatever the language.
fn field(s: &mut String, key: &str, value: impl std::fmt::Display) {
    let label = format!("{}:", crate::i18n::t(key));
    let pad = 13usize.saturating_sub(columns(&label)).max(1);
    let value = value.to_string();
    let _ = writeln!(s, "{label}{:pad$}{}", "", escape(&value));
}

pub fn render(d: &ImageDetail) -> String {
    let mut s = String::new();
    field(&mut s, "cli-inspect-reference", &d.reference);
    field(&mut s, "cli-inspect-digest", &d.digest);
    field(&mut s, "cli-inspect-media-type", &d.media_type);
    field(
        &mut s,
        "cli-inspect-size",
        format!("{} ({} B)", size(d.size), d.size),
    );
    for (k, v) in &d.annotations {
        field(&mut s, "cli-inspect-annotation", format!("{k}={v}"));
    }
    if !d.platforms.is_empty() {
        // Attestation manifests are no platform: the trust summary lists them.
        let real: Vec<_> = d.platforms.iter().filter(|e| !e.is_attestation()).collect();
        let _ = writeln!(s, "\n{}", tr!("cli-inspect-platforms", count = real.len()));
        let shown = d.image.as_ref().map(|i| &i.digest);
        for e in real {
            let platform = e
                .platform
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string);
            let mark = if Some(&e.digest) == shown {
                format!("  {}", tr!("cli-inspect-shown-below"))
            } else {
                String::new()
            };
            let platform = escape(&platform);
            let _ = writeln!(s, "  {platform:<16} {}  {}{mark}", e.digest, size(e.size));
        }
    }
    match &d.image {
        Some(image) => render_image(&mut s, image, !d.platforms.is_empty()),
        None => {
            if let Some(p) = &d.missing_platform {
                let _ = writeln!(
                    s,
                    "\n{}",
                    tr!("cli-inspect-no-host-platform", platform = p.to_string())
                );
            }
        }
    }
    if !d.referrers.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            tr!("cli-inspect-referrers", count = d.referrers.len())
        );
        for r in &d.referrers {
            let kind = r.artifact_type.as_deref().unwrap_or(&r.media_type);
            let kind = escape(kind);
            let _ = writeln!(s, "  {}  {:>9}  {kind}", r.digest, size(r.size));
        }
    }
    if let Some(e) = &d.referrers_error {
        let _ = writeln!(
            s,
            "\n{}",
            tr!(
                "cli-inspect-referrers-failed",
                reason = crate::format::one_line(e, 500).into_owned()
            )
        );
    }
    s
}

fn render_image(s: &mut String, i: &ImageInfo, from_index: bool) {
    let _ = writeln!(s);
    if from_index {
        field(s, "cli-inspect-image", &i.digest);
        field(s, "cli-inspect-media-type", &i.media_type);
    }
    if let Some(p) = &i.platform {
        field(s, "cli-inspect-platform", p);
    }
    if let Some(a) = &i.artifact_type {
        field(s, "cli-inspect-artifact", a);
    }
    field(
        s,
        "cli-inspect-config-blob",
        format!("{} ({})", i.config_digest, i.config_media_type),
    );
    field(
        s,
        "cli-inspect-total-size",
        format!("{} ({} B)", size(i.total_size), i.total_size),
    );
    let Some(c) = &i.config else {
        render_layers(s, i);
        return;
    };
    if let Some(created) = &c.created {
        field(s, "cli-inspect-created", created);
    }
    let rc = &c.config;
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            escape(&serde_json::to_string(v).unwrap_or_default()).into_owned()
        }
    };
    let or_dash = |v: &str| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            escape(v).into_owned()
        }
    };
    // Config keys are the image format's own words (as `docker inspect` shows them).
    let _ = writeln!(s, "\n{}", tr!("cli-inspect-config"));
    let _ = writeln!(s, "  Entrypoint:  {}", list(&rc.entrypoint));
    let _ = writeln!(s, "  Cmd:         {}", list(&rc.cmd));
    let _ = writeln!(s, "  WorkingDir:  {}", or_dash(&rc.working_dir));
    let _ = writeln!(s, "  User:        {}", or_dash(&rc.user));
    let _ = writeln!(
        s,
        "  Ports:       {}",
        or_dash(&rc.exposed_ports.join(", "))
    );
    let _ = writeln!(s, "  Volumes:     {}", or_dash(&rc.volumes.join(", ")));
    let _ = writeln!(s, "  Env:");
    for e in &rc.env {
        let _ = writeln!(s, "    {}", escape(e));
    }
    let _ = writeln!(s, "  Labels:");
    for (k, v) in &rc.labels {
        let _ = writeln!(s, "    {}={}", escape(k), escape(v));
    }
    let _ = writeln!(
        s,
        "\n{}",
        tr!("cli-inspect-history", count = c.history.len())
    );
    for h in &c.history {
        let empty = if h.empty_layer {
            format!(" {}", tr!("cli-inspect-empty-layer"))
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  {}  {}{empty}",
            or_dash(&h.created),
            escape(&h.created_by)
        );
    }
    render_layers(s, i);
}

fn render_layers(s: &mut String, i: &ImageInfo) {
    let _ = writeln!(s, "\n{}", tr!("cli-inspect-layers", count = i.layers.len()));
    for l in &i.layers {
        let _ = writeln!(
            s,
            "  {}  {:>9}  {}",
            l.digest,
            size(l.size),
            escape(&l.media_type)
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(super::columns("Digest:"), 7);
        assert_eq!(super::columns("다이제스트:"), 11);
    }
}
