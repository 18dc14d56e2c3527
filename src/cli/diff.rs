//! `berth diff REF_A REF_B`: how two images differ, in config, layers and files, whichever
//! sources they come from. The comparison is the core's (`crate::inspect::compare`), the
//! same one the Compare window runs.

use super::Context;
use super::files::{LoadArgs, cache, cli_error, place, platform, progress_bar};
use crate::format;
use crate::inspect::{self, BytesRead};
use crate::layers::diff::{ConfigChange, Difference, FileChangeKind, ImageDiff};
use crate::layers::mode_string;
use crate::tr;
use anyhow::Result;
use clap::Args;
use std::io::{BufWriter, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The first image (REF).
    pub a: String,
    /// The second image (REF).
    pub b: String,
    #[command(flatten)]
    pub load: LoadArgs,
}

pub async fn run(ctx: &Context, args: DiffArgs) -> Result<()> {
    let platform = platform(&args.load)?;
    let (a, b) = tokio::try_join!(place(ctx, &args.a), place(ctx, &args.b))?;
    let cache = cache(&args.load);
    let read = Arc::new(BytesRead::default());
    let (bar, moved) = progress_bar(ctx, &read);
    let compared = inspect::compare(a, b, &platform, &ctx.settings, cache.as_ref(), read, moved)
        .await
        .map_err(cli_error);
    bar.finish_and_clear();
    let compared = compared?;
    let diff = &compared.diff;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if ctx.global.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "a": { "reference": compared.name_a, "digest": compared.digest_a },
                "b": { "reference": compared.name_b, "digest": compared.digest_b },
                "config": diff.config,
                "layers": numbered(&diff.layers),
                "files": diff.files,
            }),
        )
        .map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, &compared.name_a, &compared.name_b, diff)?;
    }
    out.flush()?;
    drop(out);
    // The diff covers what could be read; a damaged layer still fails the command.
    match compared.damaged.into_iter().next() {
        Some((_, _, e)) => Err(e.into()),
        None => Ok(()),
    }
}

fn write_human(out: &mut impl Write, name_a: &str, name_b: &str, diff: &ImageDiff) -> Result<()> {
    writeln!(out, "--- {name_a}\n+++ {name_b}")?;
    writeln!(out, "Config: {} differences", diff.config.len())?;
    for change in &diff.config {
        writeln!(out, "  {}", config_line(change))?;
    }
    write_layers(out, &diff.layers)?;
    write_files(out, &diff.files)
}

/// The layer comparison with each layer numbered from 1 (the base layer), as in the window
/// and in `berth files`.
fn numbered(l: &crate::layers::diff::LayerDiff) -> crate::layers::diff::LayerDiff {
    let mut l = l.clone();
    for r in l.only_a.iter_mut().chain(l.only_b.iter_mut()) {
        r.index += 1;
    }
    for (a, b) in &mut l.shared {
        a.index += 1;
        b.index += 1;
    }
    l
}

fn write_layers(out: &mut impl Write, l: &crate::layers::diff::LayerDiff) -> Result<()> {
    let l = &numbered(l);
    writeln!(
        out,
        "Layers: {} shared ({}), {} only in A ({}), {} only in B ({})",
        l.shared.len(),
        format::size(l.shared_bytes),
        l.only_a.len(),
        format::size(l.only_a_bytes),
        l.only_b.len(),
        format::size(l.only_b_bytes)
    )?;
    for r in &l.only_a {
        writeln!(
            out,
            "  - #{} {} {}",
            r.index,
            r.digest,
            format::size(r.size)
        )?;
    }
    for r in &l.only_b {
        writeln!(
            out,
            "  + #{} {} {}",
            r.index,
            r.digest,
            format::size(r.size)
        )?;
    }
    Ok(())
}

fn write_files(out: &mut impl Write, f: &crate::layers::diff::FileDiff) -> Result<()> {
    writeln!(
        out,
        "Files: {} added ({}), {} removed ({}), {} changed ({} → {})",
        f.added,
        format::size(f.added_bytes),
        f.removed,
        format::size(f.removed_bytes),
        f.changed,
        format::size(f.changed_bytes_a),
        format::size(f.changed_bytes_b)
    )?;
    if f.changed > 0 {
        writeln!(out, "  ({})", tr!("compare-changed-means"))?;
    }
    for c in &f.changes {
        match c.change {
            FileChangeKind::Added => {
                let s = c.b.as_ref().map_or(0, |s| s.size);
                writeln!(out, "  + {} ({})", c.path, format::size(s))?;
            }
            FileChangeKind::Removed => {
                let s = c.a.as_ref().map_or(0, |s| s.size);
                writeln!(out, "  - {} ({})", c.path, format::size(s))?;
            }
            FileChangeKind::Changed => {
                let (Some(x), Some(y)) = (&c.a, &c.b) else {
                    continue;
                };
                let parts: Vec<String> = c
                    .differences
                    .iter()
                    .map(|difference| match difference {
                        Difference::Type => format!("type {:?} → {:?}", x.kind, y.kind),
                        Difference::Size => {
                            format!("size {} → {}", format::size(x.size), format::size(y.size))
                        }
                        Difference::Content => format!(
                            "content sha256:{} → sha256:{}",
                            short_hash(x.sha256.as_deref()),
                            short_hash(y.sha256.as_deref())
                        ),
                        Difference::Mode => format!(
                            "mode {} → {}",
                            mode_string(x.kind, x.mode),
                            mode_string(y.kind, y.mode)
                        ),
                        Difference::Owner => {
                            format!("owner {}:{} → {}:{}", x.uid, x.gid, y.uid, y.gid)
                        }
                        Difference::Link => format!(
                            "link {} → {}",
                            x.link_target.as_deref().unwrap_or("-"),
                            y.link_target.as_deref().unwrap_or("-")
                        ),
                    })
                    .collect();
                writeln!(out, "  ~ {} ({})", c.path, parts.join(", "))?;
            }
        }
    }
    Ok(())
}

/// The first 12 hex digits of a file's SHA-256 (as `docker images` shortens digests).
fn short_hash(hex: Option<&str>) -> &str {
    hex.map_or("-", |h| h.get(..12).unwrap_or(h))
}

/// One config change on one line; the values (labels, env, commands) shown escaped.
fn config_line(c: &ConfigChange) -> String {
    let field = match &c.key {
        Some(k) => format!("{} {}", c.field, format::escape(k)),
        None => c.field.to_owned(),
    };
    let a = c.a.as_deref().map(format::escape);
    let b = c.b.as_deref().map(format::escape);
    match (&a, &b) {
        (None, Some(b)) => format!("+ {field}: {b}"),
        (Some(a), None) => format!("- {field}: {a}"),
        (Some(a), Some(b)) => format!("~ {field}: {a} → {b}"),
        (None, None) => format!("~ {field}"),
    }
}
