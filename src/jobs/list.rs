//! Every job as its events describe it, for a jobs panel: one row per job with its spec (to
//! retry), progress, speed and time left, messages, and how it ended. Rows stay until they
//! are cleared. Plain data with no UI toolkit in it: the panel draws rows, and feeds every
//! event it drains from the runner's channel to [`JobList::apply`].

use super::events::{JobEvent, JobEventKind, JobMessage, JobOutput, Progress};
use super::{Error, JobId, JobKind, JobSpec};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Speed is measured over this much recent time.
const RATE_WINDOW: Duration = Duration::from_secs(3);

/// Where a job is.
#[derive(Debug, Clone)]
pub enum RowState {
    Running,
    Succeeded(JobOutput),
    Failed(Arc<Error>),
    Cancelled,
}

/// One job.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: JobId,
    pub spec: JobSpec,
    pub kind: JobKind,
    /// What it reads from and writes to, as the user would type them.
    pub source: String,
    pub dest: String,
    pub progress: Progress,
    pub messages: Vec<JobMessage>,
    pub state: RowState,
    pub started: Instant,
    pub finished: Option<Instant>,
    samples: VecDeque<(Instant, u64)>,
}

impl JobRow {
    fn new(id: JobId, spec: JobSpec, now: Instant) -> Self {
        Self {
            id,
            kind: spec.kind(),
            source: spec.source_text(),
            dest: spec.dest_text(),
            spec,
            progress: Progress::default(),
            messages: Vec::new(),
            state: RowState::Running,
            started: now,
            finished: None,
            samples: VecDeque::new(),
        }
    }

    #[must_use]
    pub fn is_running(&self) -> bool {
        matches!(self.state, RowState::Running)
    }

    /// Done over total, when the total is known.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        (self.progress.total > 0).then(|| self.progress.done as f32 / self.progress.total as f32)
    }

    /// Bytes a second over the last few seconds (while running).
    #[must_use]
    pub fn bytes_per_second(&self) -> Option<f64> {
        let (first, last) = (self.samples.front()?, self.samples.back()?);
        let secs = last.0.duration_since(first.0).as_secs_f64();
        (secs > 0.2 && self.is_running()).then(|| last.1.saturating_sub(first.1) as f64 / secs)
    }

    /// Time left at the current speed.
    #[must_use]
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.bytes_per_second().filter(|r| *r > 0.0)?;
        let left = self.progress.total.saturating_sub(self.progress.done) as f64;
        Some(Duration::from_secs_f64(left / rate))
    }

    /// The spec to spawn again, for a job that failed or was cancelled.
    #[must_use]
    pub fn retry_spec(&self) -> Option<JobSpec> {
        matches!(self.state, RowState::Failed(_) | RowState::Cancelled).then(|| self.spec.clone())
    }

    fn sample(&mut self, now: Instant) {
        self.samples.push_back((now, self.progress.done));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > RATE_WINDOW)
        {
            self.samples.pop_front();
        }
    }
}

/// Every job seen, oldest first.
#[derive(Debug, Default)]
pub struct JobList {
    rows: Vec<JobRow>,
}

impl JobList {
    /// Applies one event. Returns the row when the event finished its job (for a toast, and
    /// to refresh the views the job changed).
    pub fn apply(&mut self, event: JobEvent) -> Option<&JobRow> {
        self.apply_at(event, Instant::now())
    }

    /// [`JobList::apply`] with the time given (for tests).
    pub fn apply_at(&mut self, event: JobEvent, now: Instant) -> Option<&JobRow> {
        let JobEvent { id, kind } = event;
        if let JobEventKind::Started(spec) = kind {
            self.rows.push(JobRow::new(id, spec, now));
            return None;
        }
        let row = self.rows.iter_mut().find(|r| r.id == id)?;
        match kind {
            JobEventKind::Started(_) => None,
            JobEventKind::Progress(p) => {
                row.progress = p;
                row.sample(now);
                None
            }
            JobEventKind::Message(m) => {
                row.messages.push(m);
                None
            }
            JobEventKind::Finished(result) => {
                // A destination given without a name (`berth:`) now has one.
                if let Ok(JobOutput::Copied { dest, .. } | JobOutput::Loaded { dest, .. }) = &result
                {
                    row.dest.clone_from(dest);
                }
                row.state = match result {
                    Ok(out) => RowState::Succeeded(out),
                    Err(e) if matches!(e.as_ref(), Error::Cancelled) => RowState::Cancelled,
                    Err(e) => RowState::Failed(e),
                };
                row.finished = Some(now);
                Some(row)
            }
        }
    }

    #[must_use]
    pub fn rows(&self) -> &[JobRow] {
        &self.rows
    }

    #[must_use]
    pub fn get(&self, id: JobId) -> Option<&JobRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// Jobs still running (for the toggle button's count).
    #[must_use]
    pub fn running(&self) -> usize {
        self.rows.iter().filter(|r| r.is_running()).count()
    }

    /// Removes the rows of jobs that have ended.
    pub fn clear_finished(&mut self) {
        self.rows.retain(JobRow::is_running);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jobs::events::{ItemKind, ItemProgress, ItemState};

    fn ev(id: u64, kind: JobEventKind) -> JobEvent {
        JobEvent {
            id: JobId(id),
            kind,
        }
    }

    fn progress(done: u64, total: u64) -> JobEventKind {
        JobEventKind::Progress(Progress {
            done,
            total,
            items: vec![ItemProgress {
                id: "a".into(),
                kind: ItemKind::Layer,
                done,
                total,
                state: ItemState::Active,
            }],
        })
    }

    #[test]
    fn rows_follow_events_with_speed_eta_and_retry() {
        let spec = JobSpec::Delete {
            targets: Vec::new(),
        };
        let t0 = Instant::now();
        let mut list = JobList::default();
        list.apply_at(ev(1, JobEventKind::Started(spec.clone())), t0);
        list.apply_at(ev(2, JobEventKind::Started(spec.clone())), t0);
        list.apply_at(ev(1, progress(0, 1000)), t0);
        list.apply_at(ev(1, progress(500, 1000)), t0 + Duration::from_secs(1));
        let row = list.get(JobId(1)).unwrap();
        assert_eq!(row.fraction(), Some(0.5));
        assert_eq!(row.bytes_per_second(), Some(500.0));
        assert_eq!(row.eta(), Some(Duration::from_secs(1)));
        assert_eq!(list.running(), 2);

        let done = list
            .apply_at(
                ev(1, JobEventKind::Finished(Err(Arc::new(Error::Cancelled)))),
                t0 + Duration::from_secs(2),
            )
            .unwrap();
        assert!(matches!(done.state, RowState::Cancelled));
        assert_eq!(done.retry_spec(), Some(spec));
        assert_eq!(done.eta(), None);
        list.clear_finished();
        assert_eq!(list.rows().len(), 1);
        assert_eq!(list.rows()[0].id, JobId(2));
    }
}
