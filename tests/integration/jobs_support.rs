//! Helpers for the job tests: a [`JobRunner`] in this process with its own Berth store (and,
//! when asked, a Podman engine), run-to-the-end helpers, and image builders for layouts with
//! large random layers.

use crate::support::oci::Layout;
use crate::support::process;
use berth::jobs::{
    Connections, JobConfig, JobEvent, JobEventKind, JobId, JobOutput, JobRunner, JobSpec,
};
use berth::oci::{ImageRef, LocalName};
use berth::registry::credentials::CredentialPaths;
use berth::registry::{Credentials, Secret};
use berth::settings::{ConnectionOverrides, Settings};
use berth::store::LayoutStore;
use rand::RngCore as _;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

pub type Finished = Result<JobOutput, Arc<berth::jobs::Error>>;

/// A runner with a private Berth store, anonymous credentials and (optionally) an engine.
pub struct Jobs {
    pub runner: JobRunner,
    rx: mpsc::Receiver<JobEvent>,
    pub events: HashMap<JobId, Vec<JobEventKind>>,
    pub root: PathBuf,
}

impl Jobs {
    pub fn new() -> Self {
        Self::with_engine(None)
    }

    /// `engine`: an engine address (`unix:///…`) for `docker:` and `podman:`.
    pub fn with_engine(engine: Option<String>) -> Self {
        Self::with_config(engine, JobConfig::default())
    }

    pub fn with_config(engine: Option<String>, config: JobConfig) -> Self {
        Self::build(engine, config, None)
    }

    /// A runner that presents `USER`/`PASS` to every registry (as `--user` does).
    pub fn with_credentials(engine: Option<String>) -> Self {
        let credentials = Credentials::Basic {
            username: crate::support::USER.to_owned(),
            password: Secret::new(crate::support::PASS),
        };
        Self::build(engine, JobConfig::default(), Some(credentials))
    }

    fn build(engine: Option<String>, config: JobConfig, credentials: Option<Credentials>) -> Self {
        let root = process::scratch_dir("jobs-");
        let settings = Settings {
            store_dir: Some(root.join("store")),
            engine_socket: engine,
            ..Settings::default()
        };
        let connections = Connections::new(
            settings,
            ConnectionOverrides::default(),
            CredentialPaths::default(),
        )
        .with_credentials(credentials);
        let (runner, rx) = JobRunner::new(
            tokio::runtime::Handle::current(),
            Arc::new(connections),
            config,
            || {},
        );
        Self {
            runner,
            rx,
            events: HashMap::new(),
            root,
        }
    }

    /// Berth's store of this runner.
    pub fn store(&self) -> LayoutStore {
        LayoutStore::open_or_create(&self.root.join("store")).expect("berth store")
    }

    /// A fresh directory under this runner's root.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Receives events until `id` has finished (other jobs' events are kept too).
    pub async fn wait(&mut self, id: JobId) -> Finished {
        loop {
            if let Some(Some(JobEventKind::Finished(r))) = self.events.get(&id).map(|e| e.last()) {
                return r.clone();
            }
            let event = tokio::time::timeout(Duration::from_mins(2), self.rx.recv())
                .await
                .expect("a job event within 120 s")
                .expect("the runner is alive");
            self.events.entry(event.id).or_default().push(event.kind);
        }
    }

    /// Spawns `spec` and waits for its end.
    pub async fn run(&mut self, spec: JobSpec) -> Finished {
        let id = self.runner.spawn(spec);
        self.wait(id).await
    }

    /// Like [`Jobs::run`], and the job must succeed.
    pub async fn ok(&mut self, spec: JobSpec) -> JobOutput {
        let what = format!("{spec:?}");
        self.run(spec)
            .await
            .unwrap_or_else(|e| panic!("{what} failed: {e} ({})", e.kind()))
    }

    /// Waits for the next event of `id` that `pred` accepts.
    pub async fn until(&mut self, id: JobId, mut pred: impl FnMut(&JobEventKind) -> bool) {
        let mut seen = self.events.get(&id).map_or(0, Vec::len);
        if self
            .events
            .get(&id)
            .is_some_and(|e| e.iter().any(&mut pred))
        {
            return;
        }
        loop {
            let event = tokio::time::timeout(Duration::from_mins(1), self.rx.recv())
                .await
                .expect("an event within 60 s")
                .expect("the runner is alive");
            let hit = event.id == id && pred(&event.kind);
            let done = matches!(event.kind, JobEventKind::Finished(_)) && event.id == id;
            self.events.entry(event.id).or_default().push(event.kind);
            seen += 1;
            if hit {
                return;
            }
            assert!(
                !done,
                "job {id} finished before the awaited event ({seen} seen): {:?}",
                self.events[&id]
            );
        }
    }
}

/// `http://HOST/NAME` as an image reference (test registries speak plain HTTP).
pub fn reg(host: &str, name: &str) -> ImageRef {
    ImageRef::parse(&format!("http://{host}/{name}")).expect("registry reference")
}

pub fn oci_ref(dir: &Path, tag: &str) -> ImageRef {
    ImageRef::OciDir {
        dir: dir.to_owned(),
        name: LocalName::parse(tag),
    }
}

/// The digest a finished copy, save or load reports.
pub fn digest_of(out: &JobOutput) -> String {
    match out {
        JobOutput::Copied { digest, .. }
        | JobOutput::Saved { digest, .. }
        | JobOutput::Loaded { digest, .. } => digest.to_string(),
        JobOutput::Deleted { .. } | JobOutput::Extracted { .. } => {
            panic!("a delete or an extraction has no digest")
        }
    }
}

/// Writes an OCI layout at `dir` with one image tagged `tag`: uncompressed layers of random
/// bytes, of the given sizes. Returns the manifest digest and the layer digests.
pub fn random_image(dir: &Path, tag: &str, layer_sizes: &[usize]) -> (String, Vec<String>) {
    let mut layout = Layout::create(dir);
    let mut rng = rand::rng();
    let layers: Vec<_> = layer_sizes
        .iter()
        .map(|&size| {
            let mut bytes = vec![0u8; size];
            rng.fill_bytes(&mut bytes);
            layout.put_blob("application/vnd.oci.image.layer.v1.tar", &bytes)
        })
        .collect();
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| l.digest.clone()).collect::<Vec<_>>()},
    });
    let config = layout.put_json("application/vnd.oci.image.config.v1+json", &config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config.to_json(),
        "layers": layers.iter().map(crate::support::oci::Descriptor::to_json).collect::<Vec<_>>(),
    });
    let m = layout.put_json("application/vnd.oci.image.manifest.v1+json", &manifest);
    layout.tag(tag, &m);
    layout.finish();
    (
        m.digest.clone(),
        layers.iter().map(|l| l.digest.clone()).collect(),
    )
}

/// fsck of a layout: clean (no corrupt blob, broken reference or leftover temporary file).
pub fn assert_fsck_clean(dir: &Path) {
    let report = LayoutStore::open(dir)
        .expect("layout")
        .fsck()
        .expect("fsck");
    assert!(
        report.is_clean() && report.temp_files.is_empty(),
        "fsck of {}: {report:?}",
        dir.display()
    );
}

/// A fresh registry holding `reference` (`REPO:TAG`): one image of uncompressed random
/// layers of the given sizes, pushed with skopeo with its digests. Returns the registry, the
/// manifest digest and the layer digests.
pub fn registry_with_random_image(
    reference: &str,
    layer_sizes: &[usize],
) -> (crate::support::TestRegistry, String, Vec<String>) {
    let fresh = crate::support::fresh_registry(
        crate::support::FreshOptions::new(crate::support::Auth::Anonymous).empty(),
    );
    let src = crate::support::process::scratch_dir("random-src-");
    let (manifest, layers) = random_image(&src, "v1", layer_sizes);
    crate::support::TestEnv::new().skopeo(&[
        "copy",
        "--quiet",
        "--preserve-digests",
        &format!("oci:{}:v1", src.display()),
        &fresh.docker_ref(reference),
    ]);
    (fresh, manifest, layers)
}
