//! The runner: spawns jobs on the tokio runtime, keeps their cancellation tokens, samples
//! their progress boards, and guarantees each job's last event is `Finished`, whether the
//! job returned, was cancelled or panicked.

use super::connections::Connections;
use super::error::{Error, Result};
use super::events::{JobEvent, JobEventKind, JobMessage, JobOutput, Progress};
use super::flights::{Flight, Flights};
use super::progress::Board;
use super::{JobId, JobSpec};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

/// How the runner behaves.
#[derive(Debug, Clone, Copy)]
pub struct JobConfig {
    /// Blob transfers at once, across all jobs.
    pub max_blobs: usize,
    /// Capacity of the event channel. A full channel makes jobs wait (backpressure).
    pub channel_capacity: usize,
    /// How often progress is sampled; a `Progress` event goes out only when it changed.
    pub progress_interval: Duration,
}

impl Default for JobConfig {
    fn default() -> Self {
        Self {
            max_blobs: 6,
            channel_capacity: 1024,
            progress_interval: Duration::from_millis(100),
        }
    }
}

type Repaint = Arc<dyn Fn() + Send + Sync>;

/// Sends a job's events and asks for a repaint after each.
#[derive(Clone)]
pub(crate) struct Events {
    tx: mpsc::Sender<JobEvent>,
    repaint: Repaint,
}

impl Events {
    pub(crate) async fn send(&self, id: JobId, kind: JobEventKind) {
        // A receiver that went away (the window closed) no longer cares.
        if self.tx.send(JobEvent { id, kind }).await.is_ok() {
            (self.repaint)();
        }
    }
}

/// What every job shares.
pub(crate) struct Shared {
    pub connections: Arc<Connections>,
    pub permits: Arc<Semaphore>,
    pub flights: Arc<Flights>,
    pub config: JobConfig,
    events: Events,
    jobs: Mutex<HashMap<JobId, CancellationToken>>,
    next: AtomicU64,
    rt: tokio::runtime::Handle,
}

/// What a running job holds: its id and token, its progress board, and the shared parts.
#[derive(Clone)]
pub(crate) struct JobCtx {
    pub id: JobId,
    pub cancel: CancellationToken,
    pub board: Arc<Board>,
    pub shared: Arc<Shared>,
    joined: Arc<Mutex<Vec<Arc<Flight>>>>,
}

impl JobCtx {
    pub(crate) async fn message(&self, message: JobMessage) {
        self.shared
            .events
            .send(self.id, JobEventKind::Message(message))
            .await;
    }

    /// Sends a message without waiting (from code that cannot await); dropped when the
    /// channel is full.
    pub(crate) fn message_now(&self, message: JobMessage) {
        let events = &self.shared.events;
        let event = JobEvent {
            id: self.id,
            kind: JobEventKind::Message(message),
        };
        if events.tx.try_send(event).is_ok() {
            (events.repaint)();
        }
    }

    /// Remembers a flight this job waits for, so that a cancel can wait for its cleanup.
    pub(crate) fn joined(&self, flight: Arc<Flight>) {
        self.joined
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(flight);
    }

    /// Waits until the transfers this job alone wanted have stopped and removed their
    /// temporary files, so that `Finished` means the store is settled.
    async fn settle(&self) {
        let orphaned: Vec<Arc<Flight>> = self
            .joined
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
            .filter(|f| f.orphaned())
            .collect();
        for f in orphaned {
            let _ = tokio::time::timeout(Duration::from_secs(30), f.wait()).await;
        }
    }

    pub(crate) fn connections(&self) -> &Connections {
        &self.shared.connections
    }
}

/// Runs jobs in the background. Cheap to clone; every clone feeds the same channel.
#[derive(Clone)]
pub struct JobRunner {
    shared: Arc<Shared>,
}

impl JobRunner {
    /// A runner on `rt` and the receiving end of its event channel. `repaint` is called
    /// after every event (the UI passes `egui::Context::request_repaint`).
    pub fn new(
        rt: tokio::runtime::Handle,
        connections: Arc<Connections>,
        config: JobConfig,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> (Self, mpsc::Receiver<JobEvent>) {
        let (tx, rx) = mpsc::channel(config.channel_capacity.max(1));
        let shared = Arc::new(Shared {
            connections,
            permits: Arc::new(Semaphore::new(config.max_blobs.max(1))),
            flights: Arc::new(Flights::default()),
            config,
            events: Events {
                tx,
                repaint: Arc::new(repaint),
            },
            jobs: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            rt,
        });
        (Self { shared }, rx)
    }

    fn jobs(&self) -> MutexGuard<'_, HashMap<JobId, CancellationToken>> {
        self.shared
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts `spec` in the background. Never blocks: callable from the UI thread.
    #[must_use = "the id is how the job's events and cancel are matched"]
    pub fn spawn(&self, spec: JobSpec) -> JobId {
        self.spawn_with(spec, |ctx, spec| {
            Box::pin(async move { run(&ctx, spec).await })
        })
    }

    /// Spawns `job` in place of what `spec` says (tests drive the runner with it).
    fn spawn_with(&self, spec: JobSpec, job: JobFn) -> JobId {
        let id = JobId(self.shared.next.fetch_add(1, Ordering::Relaxed));
        let cancel = CancellationToken::new();
        self.jobs().insert(id, cancel.clone());
        let shared = self.shared.clone();
        self.shared.rt.spawn(drive(shared, id, spec, cancel, job));
        id
    }

    /// Asks a job to stop; `false` when it is not running. Its `Finished(Err(Cancelled))`
    /// follows once it has cleaned up.
    #[allow(clippy::must_use_candidate)] // callers often do not care whether it still ran
    pub fn cancel(&self, id: JobId) -> bool {
        match self.jobs().get(&id) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    pub fn cancel_all(&self) {
        for t in self.jobs().values() {
            t.cancel();
        }
    }

    /// Jobs that have not sent `Finished` yet.
    #[must_use]
    pub fn running(&self) -> usize {
        self.jobs().len()
    }

    #[must_use]
    pub fn connections(&self) -> &Arc<Connections> {
        &self.shared.connections
    }
}

type JobFn = fn(JobCtx, JobSpec) -> futures_util::future::BoxFuture<'static, Result<JobOutput>>;

async fn drive(
    shared: Arc<Shared>,
    id: JobId,
    spec: JobSpec,
    cancel: CancellationToken,
    job_fn: JobFn,
) {
    let events = shared.events.clone();
    events.send(id, JobEventKind::Started(spec.clone())).await;
    let ctx = JobCtx {
        id,
        cancel,
        board: Arc::new(Board::default()),
        shared: shared.clone(),
        joined: Arc::default(),
    };
    let job = ctx.clone();
    let mut task = tokio::spawn(async move {
        let token = job.cancel.clone();
        tokio::select! {
            biased;
            () = token.cancelled() => Err(Error::Cancelled),
            r = job_fn(job.clone(), spec) => r,
        }
    });
    let mut tick = tokio::time::interval(shared.config.progress_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last = Progress::default();
    let result = loop {
        tokio::select! {
            r = &mut task => break r.unwrap_or_else(|e| Err(panicked(e))),
            _ = tick.tick() => {
                let p = ctx.board.snapshot();
                if p != last {
                    events.send(id, JobEventKind::Progress(p.clone())).await;
                    last = p;
                }
            }
        }
    };
    ctx.settle().await;
    let p = ctx.board.snapshot();
    if p != last {
        events.send(id, JobEventKind::Progress(p)).await;
    }
    shared
        .jobs
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
    if let Err(e) = &result {
        tracing::debug!(job = %id, error = %e, "job failed");
    }
    events
        .send(id, JobEventKind::Finished(result.map_err(Arc::new)))
        .await;
}

fn panicked(e: tokio::task::JoinError) -> Error {
    if e.is_cancelled() {
        return Error::Cancelled;
    }
    let payload = e.into_panic();
    let reason = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Error::Panicked { reason }
}

async fn run(ctx: &JobCtx, spec: JobSpec) -> Result<JobOutput> {
    match spec {
        JobSpec::Copy {
            source,
            dest,
            platforms,
        } => super::copy::run(ctx, source, dest, platforms).await,
        JobSpec::Save {
            source,
            file,
            format,
            platforms,
        } => super::archive_write::save(ctx, source, file, format, platforms).await,
        JobSpec::Load { file, dest } => super::archive_read::load(ctx, file, dest).await,
        JobSpec::Delete { targets } => super::delete::run(ctx, targets).await,
        JobSpec::Extract(spec) => super::extract::run(ctx, spec).await,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jobs::events::ItemKind;

    fn runner() -> (JobRunner, mpsc::Receiver<JobEvent>) {
        let connections = Arc::new(Connections::new(
            crate::settings::Settings::default(),
            crate::settings::ConnectionOverrides::default(),
            crate::registry::credentials::CredentialPaths::default(),
        ));
        let config = JobConfig {
            progress_interval: Duration::from_millis(10),
            ..JobConfig::default()
        };
        JobRunner::new(
            tokio::runtime::Handle::current(),
            connections,
            config,
            || {},
        )
    }

    fn spec() -> JobSpec {
        JobSpec::Delete {
            targets: Vec::new(),
        }
    }

    async fn events_of(rx: &mut mpsc::Receiver<JobEvent>) -> Vec<JobEventKind> {
        let mut out = Vec::new();
        while let Some(e) = rx.recv().await {
            let last = matches!(e.kind, JobEventKind::Finished(_));
            out.push(e.kind);
            if last {
                break;
            }
        }
        out
    }

    #[tokio::test]
    async fn a_panic_still_finishes() {
        let (runner, mut rx) = runner();
        let id = runner.spawn_with(spec(), |_ctx, _spec| Box::pin(async { panic!("boom") }));
        let events = events_of(&mut rx).await;
        assert!(matches!(events[0], JobEventKind::Started(_)));
        let Some(JobEventKind::Finished(Err(e))) = events.last() else {
            panic!("{events:?}");
        };
        assert!(matches!(e.as_ref(), Error::Panicked { reason } if reason == "boom"));
        assert_eq!(runner.running(), 0);
        assert!(!runner.cancel(id));
    }

    #[tokio::test]
    async fn cancel_finishes_with_cancelled_and_progress_is_throttled() {
        let (runner, mut rx) = runner();
        let id = runner.spawn_with(spec(), |ctx, _spec| {
            Box::pin(async move {
                let item = ctx.board.add("a", ItemKind::Layer, 1_000_000, None);
                loop {
                    item.add_done(1);
                    tokio::task::yield_now().await;
                }
            })
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(runner.running(), 1);
        assert!(runner.cancel(id));
        let events = events_of(&mut rx).await;
        let progress = events
            .iter()
            .filter(|e| matches!(e, JobEventKind::Progress(_)))
            .count();
        // ~20 ticks in 200 ms at a 10 ms interval, not one per byte.
        assert!((1..=40).contains(&progress), "{progress} progress events");
        assert!(matches!(
            events.last(),
            Some(JobEventKind::Finished(Err(e))) if matches!(e.as_ref(), Error::Cancelled)
        ));
    }
}
