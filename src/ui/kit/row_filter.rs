//! Filtering a long list off the UI thread (issue 19, the benchmark's row 4): a keystroke in
//! the filter of 100,000 tags must not cost the frame it lands in. Lists from
//! [`OFF_THREAD_FROM`] names up are filtered on tokio's blocking pool through a
//! [`Requested`] cell, so the rows on screen stay until the new ones are ready; a newer
//! keystroke replaces the request, which stops the old filter between chunks. Shorter lists
//! are filtered in the frame, where they cost less than a task would.

use super::requested::Requested;
use crate::ui::Bg;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Lists this long and longer are filtered off the UI thread.
pub const OFF_THREAD_FROM: usize = 10_000;

/// How many names are filtered between two looks at the cancellation token.
const CHUNK: usize = 4096;

/// Whether `name` contains `needle` (already lowercase), ignoring case. Names are ASCII in
/// practice (OCI allows nothing else in tags and repositories), compared without allocating.
#[must_use]
pub fn matches(name: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if name.is_ascii() && needle.is_ascii() {
        let (haystack, needle) = (name.as_bytes(), needle.as_bytes());
        haystack.len() >= needle.len()
            && haystack
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        name.to_lowercase().contains(needle)
    }
}

/// The indices of the names in `names[from..]` that match `needle` (lowercase), or `None`
/// when `cancel` fired first.
#[must_use]
pub fn filter_rows(
    names: &[String],
    from: usize,
    needle: &str,
    cancel: &CancellationToken,
) -> Option<Vec<usize>> {
    let mut rows = Vec::new();
    let rest = names.get(from..).unwrap_or_default();
    for (n, chunk) in rest.chunks(CHUNK).enumerate() {
        if cancel.is_cancelled() {
            return None;
        }
        let start = from + n * CHUNK;
        rows.extend(
            (chunk.iter().enumerate())
                .filter(|(_, name)| matches(name, needle))
                .map(|(i, _)| start + i),
        );
    }
    Some(rows)
}

/// A finished filter: for which text, over how many names (a list that grows, as the catalog
/// does, filters the names past `upto` in the frame), and the matching indices.
pub struct Filtered {
    pub text: String,
    /// Which list the rows index (the caller's count of lists it has seen).
    pub generation: u64,
    pub upto: usize,
    pub rows: Vec<usize>,
}

/// One filter running off the UI thread, and what it is for.
#[derive(Default)]
pub struct FilterJob {
    cell: Requested<Filtered, String>,
    /// The text and list generation of the filter in `cell`.
    wanted: Option<(String, u64)>,
}

impl FilterJob {
    /// Starts filtering `names` for `text`, unless that filter is already running or done;
    /// a filter for anything else is replaced, which stops it.
    pub fn want(&mut self, bg: &Bg, names: &Arc<Vec<String>>, text: &str, generation: u64) {
        if self
            .wanted
            .as_ref()
            .is_some_and(|(t, g)| t == text && *g == generation)
            && !matches!(self.cell, Requested::Idle | Requested::Failed { .. })
        {
            return;
        }
        self.wanted = Some((text.to_owned(), generation));
        let names = Arc::clone(names);
        let text = text.to_owned();
        self.cell.request(&bg.rt, &bg.repaint, async move {
            let needle = text.to_lowercase();
            let cancel = CancellationToken::new();
            // Dropping the future (the cell let go of it) stops the filter at its next chunk.
            let _stop = cancel.clone().drop_guard();
            let upto = names.len();
            let work =
                tokio::task::spawn_blocking(move || filter_rows(&names, 0, &needle, &cancel));
            match work.await {
                Ok(Some(rows)) => Ok(Filtered {
                    text,
                    generation,
                    upto,
                    rows,
                }),
                Ok(None) => Err("cancelled".to_owned()),
                Err(e) => Err(e.to_string()),
            }
        });
    }

    /// The finished filter if it is for `text` over list `generation`, taken out; never
    /// blocks.
    pub fn take_done(&mut self, text: &str, generation: u64) -> Option<Filtered> {
        self.cell.poll();
        let done = matches!(&self.cell, Requested::Ready(f) if f.text == text && f.generation == generation);
        if !done {
            return None;
        }
        self.wanted = None;
        match std::mem::take(&mut self.cell) {
            Requested::Ready(f) => Some(f),
            _ => None,
        }
    }

    /// Whether a filter is running (the rows on screen are for an older text).
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.cell.is_pending()
    }

    /// Stops a running filter: the list it was for is gone, or a short list was filtered in
    /// the frame.
    pub fn stop(&mut self) {
        self.cell = Requested::Idle;
        self.wanted = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_as_lowercasing_did() {
        let names = ["Alpine", "team/APP", "v1.10", "한글-Tag", "x", ""];
        for needle in ["", "a", "app", "1.1", "tag", "한", "xy", "alpine"] {
            for name in names {
                assert_eq!(
                    matches(name, needle),
                    name.to_lowercase().contains(needle),
                    "{name:?} / {needle:?}"
                );
            }
        }
    }

    #[test]
    fn filtering_covers_every_chunk_and_stops_when_cancelled() {
        let names: Vec<String> = (0..10_000).map(|i| format!("tag-{i}")).collect();
        let cancel = CancellationToken::new();
        let rows = filter_rows(&names, 0, "99", &cancel).expect("not cancelled");
        let expected: Vec<usize> = (0..names.len())
            .filter(|&i| names[i].contains("99"))
            .collect();
        assert_eq!(rows, expected);
        let later = filter_rows(&names, 9_000, "99", &cancel).expect("not cancelled");
        assert_eq!(
            later,
            expected
                .into_iter()
                .filter(|&i| i >= 9_000)
                .collect::<Vec<_>>()
        );
        cancel.cancel();
        assert_eq!(filter_rows(&names, 0, "99", &cancel), None);
    }
}
