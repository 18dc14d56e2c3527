//! `save REF FILE [--format docker|oci]` and `load FILE [--to DEST]`: image tars, as jobs.

use super::Context;
use super::pull::{PlatformArgs, finish, parse_dest};
use crate::jobs::{ArchiveFormat, JobSpec, Platforms};
use crate::oci::ImageRef;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// docker-archive, as `docker save` writes it (one platform).
    Docker,
    /// oci-archive: an OCI image layout in a tar.
    Oci,
}

#[derive(Debug, clap::Args)]
pub struct SaveArgs {
    /// REF: a registry image, berth:NAME, oci:DIR[:TAG], docker:NAME or podman:NAME.
    pub reference: String,
    /// The tar to write (replaced if it exists).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "docker")]
    pub format: FormatArg,
    #[command(flatten)]
    pub platforms: PlatformArgs,
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// A docker-archive or oci-archive tar.
    pub file: PathBuf,
    /// Where to: berth: (the default), oci:DIR[:TAG], docker: or podman:, optionally with a
    /// name; without one the image keeps the name in the tar.
    #[arg(long, value_name = "DEST")]
    pub to: Option<String>,
}

pub async fn save(ctx: &Context, args: SaveArgs) -> Result<()> {
    let spec = JobSpec::Save {
        source: ImageRef::parse(&args.reference)?,
        file: args.file,
        format: match args.format {
            FormatArg::Docker => ArchiveFormat::Docker,
            FormatArg::Oci => ArchiveFormat::Oci,
        },
        platforms: args.platforms.choice(Platforms::Host)?,
    };
    finish(ctx, spec).await
}

pub async fn load(ctx: &Context, args: LoadArgs) -> Result<()> {
    let dest = match &args.to {
        Some(t) => parse_dest(t)?,
        None => ImageRef::Berth {
            name: crate::oci::LocalName::Default,
        },
    };
    finish(
        ctx,
        JobSpec::Load {
            file: args.file,
            dest,
        },
    )
    .await
}
