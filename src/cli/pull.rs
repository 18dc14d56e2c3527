//! `pull REF [--to DEST]` and `cp SRC DST`: one copy job each, shown by `job_view`.
//! `pull` takes the host's platform of an index unless told otherwise; `cp` keeps the whole
//! index (every platform) unless told otherwise, so a copy keeps its digest.

use super::Context;
use super::job_view::{run_job, summary};
use crate::jobs::{JobSpec, Platforms};
use crate::oci::{ImageRef, Platform};
use anyhow::{Context as _, Result, bail};

/// `--platform` and `--all-platforms`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PlatformArgs {
    /// For an index: the platform to take (os/arch[/variant]).
    #[arg(long, value_name = "OS/ARCH", conflicts_with = "all_platforms")]
    pub platform: Option<String>,
    /// For an index: take every platform, and the index itself.
    #[arg(long)]
    pub all_platforms: bool,
}

impl PlatformArgs {
    /// The choice, or `default` when neither flag was given.
    pub fn choice(&self, default: Platforms) -> Result<Platforms> {
        if self.all_platforms {
            return Ok(Platforms::All);
        }
        match &self.platform {
            Some(p) => Platform::parse(p)
                .map(Platforms::One)
                .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]")),
            None => Ok(default),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// REF: HOST[:PORT]/REPO[:TAG|@DIGEST], or a bare Docker Hub name.
    pub reference: String,
    /// Where to: berth: (the default), oci:DIR[:TAG], docker: or podman:, optionally with a
    /// name (berth:NAME, docker:NAME).
    #[arg(long, value_name = "DEST")]
    pub to: Option<String>,
    #[command(flatten)]
    pub platforms: PlatformArgs,
}

#[derive(Debug, clap::Args)]
pub struct CpArgs {
    /// SRC: a registry image, berth:NAME, oci:DIR[:TAG], docker:NAME or podman:NAME.
    pub source: String,
    /// DST: the same forms; a missing name or tag is the source's.
    pub dest: String,
    #[command(flatten)]
    pub platforms: PlatformArgs,
}

/// Parses a destination; `berth`, `docker` and `podman` may leave out the colon.
pub fn parse_dest(text: &str) -> Result<ImageRef> {
    let text = match text {
        "berth" | "docker" | "podman" => format!("{text}:"),
        other => other.to_owned(),
    };
    Ok(ImageRef::parse(&text)?)
}

pub async fn pull(ctx: &Context, args: PullArgs) -> Result<()> {
    let source = ImageRef::parse(&args.reference)?;
    if !matches!(source, ImageRef::Registry(_)) {
        bail!(
            "pull takes a registry image; use cp to copy from {}",
            args.reference
        );
    }
    let dest = match &args.to {
        Some(t) => parse_dest(t)?,
        None => ImageRef::Berth {
            name: crate::oci::LocalName::Default,
        },
    };
    let spec = JobSpec::Copy {
        source,
        dest,
        platforms: args.platforms.choice(Platforms::Host)?,
    };
    finish(ctx, spec).await
}

pub async fn cp(ctx: &Context, args: CpArgs) -> Result<()> {
    let spec = JobSpec::Copy {
        source: ImageRef::parse(&args.source)?,
        dest: parse_dest(&args.dest)?,
        platforms: args.platforms.choice(Platforms::All)?,
    };
    finish(ctx, spec).await
}

/// Runs the job; a human summary line on success (`--json` already printed every event).
pub(super) async fn finish(ctx: &Context, spec: JobSpec) -> Result<()> {
    let out = run_job(ctx, spec).await?;
    if !ctx.global.json {
        outln!("{}", summary(&out))?;
    }
    Ok(())
}
