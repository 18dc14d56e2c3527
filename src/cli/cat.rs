//! `berth cat REF PATH [--layer N]`: one file's bytes on stdout, from the merged filesystem
//! (symlinks followed inside the image, hard links to their target) or from layer N's own
//! version (numbered from 1). The bytes are checked against the listing's per-file SHA-256
//! as they pass; a mismatch ends the command with an error after the stream.
//!
//! Layers are listed from the top down, a few at a time, and the listing stops at the
//! layer that answers for the path ([`answered`]): a file the top layer holds needs only
//! that layer's listing. Whatever the layers read so far cannot settle (a symlink, a folder
//! on the way that no layer read declares) loads the rest.

use super::Context;
use super::files::{LoadArgs, load_indexes, resolve};
use crate::layers::{EntryKind, FileError, LayerListing, LayerRead, Located, file_read, seek_read};
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

/// What the layers read so far say about `path` when it cannot change with the layers not
/// read (`loaded(i)`; `None` otherwise): in the merged view, the path's entry in the
/// top-most layer read that has it (a file, a hard link's target, or its removal), with
/// every folder above it declared as a folder by the layers read; with `--layer N`, that
/// layer's own entry unless it is a symlink.
fn answered(
    listings: &[&LayerListing],
    loaded: impl Fn(usize) -> bool,
    layer: Option<usize>,
    path: &[u8],
) -> Option<Result<Located, FileError>> {
    if (0..listings.len()).all(&loaded) {
        return Some(find(listings, layer, path));
    }
    let final_entry = |at: Located| match at.kind {
        EntryKind::Symlink => None,
        EntryKind::Hardlink => Some(file_read::hardlink_target(listings, &at)),
        _ => Some(Ok(at)),
    };
    if let Some(n) = layer {
        let index = n.checked_sub(1).filter(|&i| loaded(i))?;
        return match file_read::locate_in_layer(listings, index, path) {
            Ok(at) => final_entry(at),
            Err(e) => Some(Err(e)),
        };
    }
    let path = file_read::normalize(path);
    let folders = path.iter().enumerate().filter(|(_, b)| **b == b'/');
    for (end, _) in folders {
        match file_read::locate_merged(listings, &path[..end]) {
            Err(FileError::IsDirectory { .. }) => {}
            _ => return None,
        }
    }
    match file_read::locate_merged(listings, &path) {
        Ok(at) => final_entry(at),
        Err(e @ (FileError::WhitedOut { .. } | FileError::IsDirectory { .. })) => Some(Err(e)),
        Err(_) => None,
    }
}

/// Which layers to list, in turn: the top one, then three at a time downwards; with
/// `--layer N`, layer N, then the others.
fn batches(count: usize, layer: Option<usize>) -> Vec<Vec<usize>> {
    if let Some(i) = layer.and_then(|n| n.checked_sub(1)).filter(|&i| i < count) {
        return vec![vec![i], (0..count).filter(|&j| j != i).collect()];
    }
    let mut below: Vec<usize> = (0..count).rev().collect();
    let mut out = Vec::new();
    if !below.is_empty() {
        out.push(vec![below.remove(0)]);
    }
    out.extend(below.chunks(3).map(<[usize]>::to_vec));
    out
}

pub async fn run(ctx: &Context, args: CatArgs) -> Result<()> {
    let image = resolve(ctx, &args.reference, &args.load).await?;
    let count = image.info.layers.len();
    let mut reads: Vec<Option<LayerRead>> = (0..count).map(|_| None).collect();
    let empty = LayerListing::default();
    let mut found = None;
    for batch in batches(count, args.layer) {
        let loaded = load_indexes(ctx, &image, &batch, &args.load).await?;
        for (&i, read) in batch.iter().zip(loaded) {
            reads[i] = Some(read);
        }
        if reads.iter().flatten().any(|r| r.error.is_some()) {
            return super::files::first_error(reads.into_iter().flatten().collect());
        }
        let listings: Vec<&LayerListing> = reads
            .iter()
            .map(|r| r.as_ref().map_or(&empty, |r| &r.listing))
            .collect();
        found = answered(
            &listings,
            |i| reads.get(i).is_some_and(Option::is_some),
            args.layer,
            args.path.as_bytes(),
        );
        if found.is_some() {
            break;
        }
    }
    let at = match found {
        Some(answer) => answer?,
        // No layers at all.
        None => find(&[], args.layer, args.path.as_bytes())?,
    };
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
    let ranged = match reads.get(at.layer).and_then(|r| r.as_ref()?.index.as_ref()) {
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

#[cfg(test)]
mod tests {
    use super::batches;

    #[test]
    fn layers_are_listed_from_the_top_down() {
        assert_eq!(batches(5, None), [vec![4], vec![3, 2, 1], vec![0]]);
        assert_eq!(batches(1, None), [vec![0]]);
        assert!(batches(0, None).is_empty());
        assert_eq!(batches(3, Some(2)), [vec![1], vec![0, 2]]);
        // A layer number out of range: all of them, so the error names the layers there are.
        assert_eq!(batches(2, Some(7)), [vec![1], vec![0]]);
    }
}
