//! `berth cat REF PATH [--layer N]`: one file's bytes on stdout, from the merged filesystem
//! (symlinks followed inside the image, hard links to their target) or from layer N's own
//! version (numbered from 1). The bytes are checked against the listing's per-file SHA-256
//! as they pass; a mismatch ends the command with an error after the stream.

use super::Context;
use super::files::{LoadArgs, load, resolve};
use crate::layers::{EntryKind, FileError, LayerListing, Located, file_read, seek_read};
use anyhow::Result;
use clap::Args;
use std::io::{BufWriter, Write as _};

#[derive(Debug, Clone, Args)]
pub struct CatArgs {
    /// REF: a registry image, berth:NAME or oci:DIR:TAG.
    pub reference: String,
    /// The file's path inside the image, e.g. /etc/os-release.
    pub path: String,
    /// Layer N's own version of the file (1 is the base layer), instead of the merged view.
    #[arg(long, value_name = "N")]
    pub layer: Option<usize>,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Finds what `path` names: a symlink is followed inside the image, a hard link leads to
/// the entry it names.
fn find(
    listings: &[&LayerListing],
    layer: Option<usize>,
    path: &[u8],
) -> Result<Located, FileError> {
    let mut at = match layer {
        None => file_read::resolve(listings, path)?,
        Some(n) => {
            let index = n.checked_sub(1).ok_or(FileError::NoSuchLayer {
                n,
                count: listings.len(),
            })?;
            let at = file_read::locate_in_layer(listings, index, path)?;
            if at.kind == EntryKind::Symlink {
                file_read::resolve(&listings[..=index], path)?
            } else {
                at
            }
        }
    };
    if at.kind == EntryKind::Hardlink {
        at = file_read::hardlink_target(listings, &at)?;
    }
    Ok(at)
}

pub async fn run(ctx: &Context, args: CatArgs) -> Result<()> {
    let image = resolve(ctx, &args.reference, &args.load).await?;
    let reads = load(ctx, &image, None, &args.load).await?;
    if reads.iter().any(|r| r.error.is_some()) {
        return super::files::first_error(reads);
    }
    let listings: Vec<&LayerListing> = reads.iter().map(|r| &r.listing).collect();
    let at = find(&listings, args.layer, args.path.as_bytes())?;
    let Some(layer) = image.info.layers.get(at.layer) else {
        return Err(FileError::NoSuchLayer {
            n: at.layer + 1,
            count: image.info.layers.len(),
        }
        .into());
    };
    let out = BufWriter::with_capacity(256 * 1024, std::io::stdout());
    // With the layer's seek index, only the compressed range that holds the file is read,
    // and the file is checked against its listing's SHA-256 before a byte is written.
    let ranged = match reads.get(at.layer).and_then(|r| r.index.as_ref()) {
        Some(index) => seek_read::copy_checked(&image.source, layer, index, &at, out).await?,
        None => None,
    };
    let mut out = if let Some((_, out)) = ranged {
        out
    } else {
        let out = BufWriter::with_capacity(256 * 1024, std::io::stdout());
        file_read::copy_to(&image.source, layer, &at, out).await?.1
    };
    out.flush().map_err(FileError::Write)?;
    Ok(())
}
