//! Human text for `berth inspect`: aligned sections, sizes in decimal units.

use crate::format::size;
use crate::oci::image::{ImageDetail, ImageInfo};
use std::fmt::Write as _;

pub fn render(d: &ImageDetail) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Reference:   {}", d.reference);
    let _ = writeln!(s, "Digest:      {}", d.digest);
    let _ = writeln!(s, "Media type:  {}", d.media_type);
    let _ = writeln!(s, "Size:        {} ({} bytes)", size(d.size), d.size);
    for (k, v) in &d.annotations {
        let _ = writeln!(s, "Annotation:  {k}={v}");
    }
    if !d.platforms.is_empty() {
        let _ = writeln!(s, "\nPlatforms ({}):", d.platforms.len());
        let shown = d.image.as_ref().map(|i| &i.digest);
        for e in &d.platforms {
            let platform = e
                .platform
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string);
            let mark = if Some(&e.digest) == shown {
                "  (shown below)"
            } else {
                ""
            };
            let _ = writeln!(s, "  {platform:<16} {}  {}{mark}", e.digest, size(e.size));
        }
    }
    match &d.image {
        Some(image) => render_image(&mut s, image, !d.platforms.is_empty()),
        None => {
            if let Some(p) = &d.missing_platform {
                let _ = writeln!(
                    s,
                    "\nNo image for this machine's platform ({p}). Use --platform with one of the platforms above."
                );
            }
        }
    }
    if !d.referrers.is_empty() {
        let _ = writeln!(s, "\nReferrers ({}):", d.referrers.len());
        for r in &d.referrers {
            let kind = r.artifact_type.as_deref().unwrap_or(&r.media_type);
            let _ = writeln!(s, "  {}  {:>9}  {kind}", r.digest, size(r.size));
        }
    }
    if let Some(e) = &d.referrers_error {
        let _ = writeln!(s, "\nReferrers could not be listed: {e}");
    }
    s
}

fn render_image(s: &mut String, i: &ImageInfo, from_index: bool) {
    let _ = writeln!(s);
    if from_index {
        let _ = writeln!(s, "Image:       {}", i.digest);
        let _ = writeln!(s, "Media type:  {}", i.media_type);
    }
    if let Some(p) = &i.platform {
        let _ = writeln!(s, "Platform:    {p}");
    }
    if let Some(a) = &i.artifact_type {
        let _ = writeln!(s, "Artifact:    {a}");
    }
    let _ = writeln!(
        s,
        "Config:      {} ({})",
        i.config_digest, i.config_media_type
    );
    let _ = writeln!(
        s,
        "Total size:  {} ({} bytes)",
        size(i.total_size),
        i.total_size
    );
    if let Some(c) = &i.config {
        if let Some(created) = &c.created {
            let _ = writeln!(s, "Created:     {created}");
        }
        let rc = &c.config;
        let _ = writeln!(s, "\nConfig:");
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_owned()
            } else {
                serde_json::to_string(v).unwrap_or_default()
            }
        };
        let or_dash = |v: &str| {
            if v.is_empty() {
                "-".to_owned()
            } else {
                v.to_owned()
            }
        };
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
            let _ = writeln!(s, "    {e}");
        }
        let _ = writeln!(s, "  Labels:");
        for (k, v) in &rc.labels {
            let _ = writeln!(s, "    {k}={v}");
        }
        let _ = writeln!(s, "\nHistory ({}):", c.history.len());
        for h in &c.history {
            let empty = if h.empty_layer { " (empty layer)" } else { "" };
            let _ = writeln!(s, "  {}  {}{empty}", or_dash(&h.created), h.created_by);
        }
    }
    let _ = writeln!(s, "\nLayers ({}):", i.layers.len());
    for l in &i.layers {
        let _ = writeln!(s, "  {}  {:>9}  {}", l.digest, size(l.size), l.media_type);
    }
}
