//! `berth extract REF PATH (--to DIR | --tar FILE) [--layer N]`: a file or a folder (`/` for
//! everything) of an image's merged filesystem, or of layer N (numbered from 1), written
//! safely (`layers::extract`) by an Extract job. Every skipped entry is named with its reason;
//! `--json` prints the job's event lines, the last holding the report.

use super::Context;
use super::files::{LoadArgs, cache, platform};
use super::job_view::{run_job, summary};
use crate::jobs::{ExtractSpec, JobOutput, JobSpec};
use crate::layers::extract::Destination;
use crate::oci::ImageRef;
use anyhow::{Result, anyhow};
use clap::Args;
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    /// REF: a registry image, berth:NAME or oci:DIR[:TAG].
    pub reference: String,
    /// The file or folder in the image (`/` for everything).
    pub path: std::ffi::OsString,
    /// The directory to write into (it must exist).
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "tar",
        conflicts_with = "tar"
    )]
    pub to: Option<PathBuf>,
    /// Write a tar file instead of a directory tree.
    #[arg(long, value_name = "FILE")]
    pub tar: Option<PathBuf>,
    /// Take layer N's version (1 is the base layer) instead of the merged filesystem.
    #[arg(long, value_name = "N")]
    pub layer: Option<usize>,
    #[command(flatten)]
    pub load: LoadArgs,
}

pub async fn run(ctx: &Context, args: ExtractArgs) -> Result<()> {
    let dest = match (args.to, args.tar) {
        (Some(dir), None) => Destination::Dir(dir),
        (None, Some(file)) => Destination::Tar(file),
        _ => return Err(anyhow!("give either --to DIR or --tar FILE")),
    };
    let layer = match args.layer {
        Some(0) => return Err(anyhow!("layers are numbered from 1")),
        Some(n) => Some(n - 1),
        None => None,
    };
    let spec = ExtractSpec {
        source: ImageRef::parse(&args.reference)?,
        platform: platform(&args.load)?,
        path: args.path.as_bytes().to_vec(),
        layer,
        dest,
        layer_cache: cache(&args.load).map(|c| c.dir().to_path_buf()),
    };
    let out = run_job(ctx, JobSpec::Extract(spec)).await?;
    if !ctx.global.json {
        outln!("{}", summary(&out))?;
        if let JobOutput::Extracted { report, .. } = &out {
            for skipped in &report.skipped {
                outln!(
                    "{}",
                    crate::tr!(
                        "extract-skipped-line",
                        path = skipped.path.as_str(),
                        reason = crate::i18n::describe_skip_reason(skipped.reason)
                    )
                )?;
            }
        }
    }
    Ok(())
}
