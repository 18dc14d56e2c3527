//! Bytes read over the layers of one or two images, summed from layer progress reports
//! (each report gives one layer's count so far), for a progress bar or a label that polls it.

use crate::layers::{LayerProgress, LayerState};
use crate::oci::image::LayerInfo;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Shared between the readers (which report) and whoever shows progress (which polls
/// [`BytesRead::read`] and [`BytesRead::total`] without waiting on anything).
#[derive(Debug, Default)]
pub struct BytesRead {
    /// Each layer's last count, so a new report replaces it instead of adding to it.
    per_layer: Mutex<Vec<u64>>,
    read: AtomicU64,
    total: AtomicU64,
}

impl BytesRead {
    /// Starts counting for `layers` (reports name them by position in this list).
    pub fn expect<'a>(&self, layers: impl IntoIterator<Item = &'a LayerInfo>) {
        let sizes: Vec<u64> = layers.into_iter().map(|l| l.size).collect();
        self.total.store(sizes.iter().sum(), Ordering::Relaxed);
        self.read.store(0, Ordering::Relaxed);
        *self.lock() = vec![0; sizes.len()];
    }

    /// Takes one report for the layer at `index`; a layer taken from the cache counts whole.
    pub fn report(&self, index: usize, p: &LayerProgress) {
        let bytes = if p.state == LayerState::Cached {
            p.total
        } else {
            p.bytes_read
        };
        let mut per_layer = self.lock();
        if let Some(count) = per_layer.get_mut(index) {
            *count = bytes;
            self.read.store(per_layer.iter().sum(), Ordering::Relaxed);
        }
    }

    /// Bytes read so far, never more than the total.
    #[must_use]
    pub fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed).min(self.total())
    }

    /// Bytes to read in all (0 until [`BytesRead::expect`]).
    #[must_use]
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u64>> {
        // A panicking reporter leaves only counts behind; they stay usable.
        self.per_layer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::Digest;

    fn layer(size: u64) -> LayerInfo {
        LayerInfo {
            digest: Digest::of(b""),
            media_type: crate::oci::media::OCI_LAYER_GZIP.to_owned(),
            size,
            annotations: std::collections::BTreeMap::new(),
        }
    }

    fn progress(layer: usize, bytes_read: u64, total: u64, state: LayerState) -> LayerProgress {
        LayerProgress {
            layer,
            bytes_read,
            total,
            state,
        }
    }

    #[test]
    fn reports_replace_a_layers_count_and_cached_layers_count_whole() {
        let count = BytesRead::default();
        count.expect(&[layer(100), layer(50)]);
        assert_eq!((count.read(), count.total()), (0, 150));
        count.report(0, &progress(0, 40, 100, LayerState::Reading));
        count.report(0, &progress(0, 70, 100, LayerState::Reading));
        assert_eq!(count.read(), 70, "the second report replaces the first");
        count.report(1, &progress(1, 0, 50, LayerState::Cached));
        assert_eq!(count.read(), 120);
        count.report(7, &progress(7, 999, 999, LayerState::Done));
        assert_eq!(count.read(), 120, "an unknown layer is ignored");
    }
}
