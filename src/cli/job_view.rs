//! Runs one job for the CLI and shows its events: indicatif bars on a terminal, one JSON
//! object per event line with `--json`, and only the result otherwise. Ctrl-C cancels the
//! job, which cleans up before the command exits.

use super::Context;
use crate::format;
use crate::jobs::{
    ErrorJson, ItemState, JobConfig, JobEvent, JobEventKind, JobMessage, JobOutput, JobRunner,
    JobSpec, Progress,
};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;

/// Runs `spec` to its end; its output, or its error.
pub async fn run_job(ctx: &Context, spec: JobSpec) -> Result<JobOutput> {
    run_job_with(ctx, spec, ctx.global.json).await
}

/// [`run_job`], printing its events as JSON lines only if `json_events` (a command whose
/// `--json` is one object of its own runs its job without them).
pub async fn run_job_with(ctx: &Context, spec: JobSpec, json_events: bool) -> Result<JobOutput> {
    let connections = ctx.job_connections(&spec)?;
    let (runner, mut rx) = JobRunner::new(
        tokio::runtime::Handle::current(),
        Arc::new(connections),
        JobConfig::default(),
        || {},
    );
    let id = runner.spawn(spec);
    let mut view = View::new(json_events);
    let mut interrupted = false;
    let result = loop {
        tokio::select! {
            event = rx.recv() => {
                let Some(event) = event else {
                    anyhow::bail!("the job runner stopped");
                };
                view.show(&event)?;
                if let JobEventKind::Finished(result) = event.kind {
                    break result;
                }
            }
            _ = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                runner.cancel(id);
            }
        }
    };
    view.done();
    for client in runner.connections().clients() {
        let notices = client.notices();
        for w in &notices.warnings {
            let w = crate::format::one_line(w, 300);
            eprintln!("berth: warning from {}: {w}", client.host());
        }
    }
    result.map_err(anyhow::Error::new)
}

enum View {
    Json,
    Bar(ProgressBar),
    Quiet,
}

impl View {
    fn new(json: bool) -> Self {
        if json {
            return Self::Json;
        }
        if !std::io::stderr().is_terminal() {
            return Self::Quiet;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(10));
        let style = ProgressStyle::with_template(
            "{spinner} {msg:30!} [{bar:30}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        Self::Bar(bar)
    }

    fn show(&mut self, event: &JobEvent) -> Result<()> {
        match self {
            Self::Json => {
                let line = event_json(event);
                let mut out = std::io::stdout().lock();
                serde_json::to_writer(&mut out, &line)?;
                writeln!(out)?;
                out.flush()?;
            }
            Self::Bar(bar) => match &event.kind {
                JobEventKind::Started(spec) => bar.set_message(spec.source_text()),
                JobEventKind::Progress(p) => show_progress(bar, p),
                JobEventKind::Message(m) => {
                    if let Some(line) = message_text(m) {
                        bar.println(line);
                    }
                }
                JobEventKind::Finished(_) => bar.finish_and_clear(),
            },
            Self::Quiet => {}
        }
        Ok(())
    }

    fn done(&self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn show_progress(bar: &ProgressBar, p: &Progress) {
    bar.set_length(p.total);
    bar.set_position(p.done);
    let finished = p
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.state,
                ItemState::Done | ItemState::Present | ItemState::Mounted
            )
        })
        .count();
    if !p.items.is_empty() {
        bar.set_message(format!("{finished}/{} blobs", p.items.len()));
    }
}

/// A human line for the messages worth one.
fn message_text(m: &JobMessage) -> Option<String> {
    match m {
        JobMessage::Resolved {
            reference, digest, ..
        } => Some(format!("{}: {digest}", crate::format::escape(reference))),
        JobMessage::PlatformChosen { platform, digest } => {
            Some(format!("platform {platform}: {digest}"))
        }
        JobMessage::Retrying {
            digest,
            attempt,
            reason,
        } => Some(format!(
            "retrying {digest} (attempt {attempt}): {}",
            crate::format::one_line(reason, 300)
        )),
        JobMessage::Resumed { digest, bytes } => Some(format!(
            "resuming {digest} after the {} already on disk",
            crate::format::size(*bytes)
        )),
        JobMessage::StaleTempFilesRemoved { count } => Some(format!(
            "removed {count} temporary files of an interrupted pull"
        )),
        JobMessage::Engine { .. } => None,
        JobMessage::RegistryGcNeeded { registry } => Some(format!(
            "{registry} frees the space only after its garbage collection runs"
        )),
    }
}

/// One `--json` line: `{"event": …, "job": N, …}` with stable field names.
fn event_json(event: &JobEvent) -> serde_json::Value {
    let id = event.id;
    match &event.kind {
        JobEventKind::Started(spec) => json!({
            "event": "started",
            "job": id,
            "kind": spec.kind(),
            "source": spec.source_text(),
            "dest": spec.dest_text(),
        }),
        JobEventKind::Progress(p) => json!({
            "event": "progress",
            "job": id,
            "done": p.done,
            "total": p.total,
            "items": p.items,
        }),
        JobEventKind::Message(m) => {
            let mut v = json!({ "event": "message", "job": id });
            if let (Some(obj), Ok(serde_json::Value::Object(m))) =
                (v.as_object_mut(), serde_json::to_value(m))
            {
                obj.extend(m);
            }
            v
        }
        JobEventKind::Finished(Ok(out)) => json!({
            "event": "finished",
            "job": id,
            "ok": true,
            "result": out,
        }),
        JobEventKind::Finished(Err(e)) => json!({
            "event": "finished",
            "job": id,
            "ok": false,
            "error": ErrorJson::from(e.as_ref()),
        }),
    }
}

/// The one-line human summary of a job's output.
#[must_use]
pub fn summary(out: &JobOutput) -> String {
    match out {
        JobOutput::Copied {
            dest,
            digest,
            blobs,
            ..
        } => {
            let mut line = format!("{dest}: {digest}");
            if blobs.fetched + blobs.present + blobs.mounted > 0 {
                let _ = write!(
                    line,
                    " ({} blobs copied, {}; {} already there; {} mounted)",
                    blobs.fetched,
                    format::size(blobs.bytes),
                    blobs.present,
                    blobs.mounted
                );
            }
            line
        }
        JobOutput::Saved {
            file,
            digest,
            bytes,
        } => format!("{}: {digest} ({})", file.display(), format::size(*bytes)),
        JobOutput::Loaded { dest, digest, .. } => format!("{dest}: {digest}"),
        JobOutput::Extracted { dest, report } => crate::tr!(
            "extract-summary",
            dest = dest.display().to_string(),
            files = report.files,
            bytes = format::size(report.bytes),
            skipped = report.skipped.len()
        ),
        JobOutput::Deleted { items } => items
            .iter()
            .map(|i| match &i.result {
                Ok(d) => format!("{}: deleted {}", i.reference, d.digest),
                Err(e) => format!("{}: {e}", i.reference),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
