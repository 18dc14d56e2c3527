//! `berth sbom REF [--platform OS/ARCH]`: the packages of an image's SBOM in one shape
//! whatever its format, and the trust summary `berth inspect` prints (attestations with their
//! predicate types, provenance, SBOMs found).

use super::Context;
use crate::oci::{Platform, RegistryRef};
use crate::tr;
use crate::trust::{self, TrustSummary};
use anyhow::{Context as _, Result};
use std::fmt::Write as _;
use std::io::Write as _;

#[derive(Debug, clap::Args)]
pub struct SbomArgs {
    /// REF, e.g. registry.example.com/team/app:1.0
    reference: String,
    /// For an index: the platform whose SBOM to read (os/arch[/variant]); the host's by default.
    #[arg(long, value_name = "OS/ARCH")]
    platform: Option<String>,
}

/// The platform asked for, or the host's.
pub fn wanted_platform(platform: Option<&str>) -> Result<Platform> {
    match platform {
        Some(p) => Platform::parse(p)
            .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]")),
        None => Ok(Platform::host()),
    }
}

pub async fn run(ctx: &Context, args: SbomArgs) -> Result<()> {
    let wanted = wanted_platform(args.platform.as_deref())?;
    let r = RegistryRef::parse(&args.reference)?;
    let client = ctx.client(&r.registry).await?;
    let detail = client
        .inspect(&r.repository, &r.reference(), &wanted)
        .await?;
    if detail.image.is_none() {
        let (available, nested) = crate::oci::image::offered_platforms(&detail.platforms);
        return Err(crate::registry::Error::PlatformNotFound {
            wanted: Box::new(wanted),
            available,
            nested,
        }
        .into());
    }
    let mut summary = trust::collect(&client, &r.repository, &detail).await;
    if summary.sboms.is_empty() && !summary.problems.is_empty() {
        return Err(summary.problems.swap_remove(0).into());
    }
    let loaded = trust::first_sbom(&client, &r.repository, &summary).await?;
    if ctx.global.json {
        return ctx.print_json(&serde_json::json!({
            "format": loaded.sbom.format.as_str(),
            "packages": loaded.sbom.packages,
        }));
    }
    let mut out = super::buffered_stdout();
    writeln!(
        out,
        "{}",
        tr!(
            "cli-sbom-heading",
            format = format_name(&loaded.sbom),
            count = loaded.sbom.packages.len()
        )
    )?;
    let dash = || "-".to_owned();
    for p in &loaded.sbom.packages {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            crate::format::escape(&p.name),
            crate::format::escape(&p.version.clone().unwrap_or_else(dash)),
            crate::format::escape(&p.kind.clone().unwrap_or_else(dash)),
            crate::format::escape(&p.license.clone().unwrap_or_else(dash)),
            crate::format::escape(&p.purl.clone().unwrap_or_else(dash)),
        )?;
    }
    out.flush()?;
    Ok(())
}

/// `SPDX 2.3`, `CycloneDX 1.5`.
fn format_name(sbom: &trust::sbom::Sbom) -> String {
    let name = match sbom.format {
        trust::sbom::SbomFormat::Spdx => "SPDX",
        trust::sbom::SbomFormat::CycloneDx => "CycloneDX",
    };
    let version = sbom.spec_version.trim_start_matches("SPDX-");
    crate::format::escape(&format!("{name} {version}")).into_owned()
}

/// The trust summary `berth inspect` prints after the image.
#[must_use]
pub fn render_summary(summary: &TrustSummary) -> String {
    let esc = |t: &str| crate::format::escape(t).into_owned();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n{}",
        tr!("cli-trust-attestations", count = summary.attestations.len())
    );
    for a in &summary.attestations {
        let found = match a.found {
            trust::attestations::Found::BuildKit => "buildkit",
            trust::attestations::Found::CosignTag => "cosign .att",
            trust::attestations::Found::Referrer => "referrer",
        };
        let _ = writeln!(s, "  {}  ({found}, {})", esc(&a.predicate_type), a.blob);
    }
    let _ = writeln!(s, "{}", tr!("cli-trust-sboms", count = summary.sboms.len()));
    if let Some(p) = &summary.provenance {
        let none = || "-".to_owned();
        let _ = writeln!(s, "{}", tr!("cli-trust-provenance"));
        let mut row = |key: &str, value: &Option<String>| {
            let _ = writeln!(
                s,
                "  {:<14} {}",
                tr!(key),
                esc(&value.clone().unwrap_or_else(none))
            );
        };
        row(crate::msg!("trust-builder"), &p.builder);
        row(crate::msg!("trust-source"), &p.source);
        row(crate::msg!("trust-revision"), &p.revision);
        row(crate::msg!("trust-entry-point"), &p.entry_point);
        for (k, v) in &p.build_args {
            let _ = writeln!(s, "  {:<14} {}={}", tr!("trust-build-arg"), esc(k), esc(v));
        }
    }
    for e in &summary.problems {
        let _ = writeln!(
            s,
            "{}",
            tr!("cli-trust-problem", reason = crate::i18n::describe(e))
        );
    }
    s
}
