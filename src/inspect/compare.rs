//! Two images compared: both read (in parallel), each merged into its filesystem, then
//! config, layers and files diffed. Layers that could not be read to their end are named,
//! and the diff covers what was read of them.

use super::{BytesRead, Error, Place, ResolvedImage, resolve};
use crate::layers::{self, ImageDiff, LayerCache, LayerProgress, LayerRead};
use crate::oci::{Digest, Platform};
use crate::settings::Settings;
use std::sync::Arc;

/// Two images compared.
pub struct Compared {
    pub name_a: String,
    pub digest_a: Digest,
    pub name_b: String,
    pub digest_b: Digest,
    pub diff: ImageDiff,
    /// Layers that could not be read to their end: (image name, layer index, error).
    pub damaged: Vec<(String, usize, layers::Error)>,
}

/// Resolves both places for `platform`, reads both images' layers, and diffs them. Progress
/// goes into `read` (over both images' layers, A's first), and `on_progress` is called
/// after each report (a repaint, a progress bar).
pub async fn compare(
    a: Place,
    b: Place,
    platform: &Platform,
    settings: &Settings,
    cache: Option<&LayerCache>,
    read: Arc<BytesRead>,
    on_progress: Arc<dyn Fn() + Send + Sync>,
) -> Result<Compared, Error> {
    let (a, b) = tokio::try_join!(
        resolve(a, platform, settings),
        resolve(b, platform, settings)
    )?;
    read.expect(a.info.layers.iter().chain(&b.info.layers));
    let progress = |offset: usize| -> layers::ProgressFn {
        let (read, on_progress) = (Arc::clone(&read), Arc::clone(&on_progress));
        Arc::new(move |p: LayerProgress| {
            read.report(offset + p.layer, &p);
            on_progress();
        })
    };
    let (reads_a, reads_b) = tokio::join!(
        a.load(cache, progress(0)),
        b.load(cache, progress(a.info.layers.len()))
    );
    Ok(diff(a, reads_a, b, reads_b))
}

/// Merges each image's layer reads into its filesystem and diffs the two.
#[must_use]
pub fn diff(
    a: ResolvedImage,
    reads_a: Vec<LayerRead>,
    b: ResolvedImage,
    reads_b: Vec<LayerRead>,
) -> Compared {
    let mut damaged = Vec::new();
    let mut merge = |name: &str, reads: Vec<LayerRead>| {
        let mut listings = Vec::with_capacity(reads.len());
        for (i, r) in reads.into_iter().enumerate() {
            if let Some(e) = r.error {
                damaged.push((name.to_owned(), i, e));
            }
            listings.push(r.listing);
        }
        layers::merge(&listings).tree
    };
    let tree_a = merge(&a.name, reads_a);
    let tree_b = merge(&b.name, reads_b);
    let diff = layers::diff_images(
        a.info.config.as_ref(),
        &a.info.layers,
        &tree_a,
        b.info.config.as_ref(),
        &b.info.layers,
        &tree_b,
    );
    Compared {
        name_a: a.name,
        digest_a: a.info.digest,
        name_b: b.name,
        digest_b: b.info.digest,
        diff,
        damaged,
    }
}
