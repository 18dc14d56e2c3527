//! Finding the engine: the socket in settings first, then the environment (`DOCKER_HOST` for
//! Docker, `CONTAINER_HOST` for Podman), then the well-known sockets: Docker's
//! `/var/run/docker.sock`, Podman's rootless `$XDG_RUNTIME_DIR/podman/podman.sock` and
//! rootful `/run/podman/podman.sock`. The first socket that answers wins, and the API
//! version is negotiated with it.

use super::EngineKind;
use crate::settings::Settings;
use crate::store::{Error, Result};
use bollard::{API_DEFAULT_VERSION, Docker};

/// Seconds a single engine request may take.
const TIMEOUT_SECS: u64 = 120;

/// A place an engine may answer, and where Berth heard of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `unix:///path` or `tcp://host:port`.
    pub address: String,
    /// `settings`, `DOCKER_HOST`, `CONTAINER_HOST` or `default`.
    pub source: &'static str,
}

/// Where to look for `kind`, in order. `env` reads an environment variable.
#[must_use]
pub fn candidates(
    kind: EngineKind,
    settings: &Settings,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |address: String, source| {
        if !address.is_empty() && !out.iter().any(|c: &Candidate| c.address == address) {
            out.push(Candidate { address, source });
        }
    };
    if let Some(s) = &settings.engine_socket {
        push(normalize(s), "settings");
    }
    match kind {
        EngineKind::Docker => {
            if let Some(h) = env("DOCKER_HOST") {
                push(normalize(&h), "DOCKER_HOST");
            }
            push("unix:///var/run/docker.sock".to_owned(), "default");
        }
        EngineKind::Podman => {
            if let Some(h) = env("CONTAINER_HOST") {
                push(normalize(&h), "CONTAINER_HOST");
            }
            if let Some(run) = env("XDG_RUNTIME_DIR").filter(|r| !r.is_empty()) {
                push(format!("unix://{run}/podman/podman.sock"), "default");
            }
            push("unix:///run/podman/podman.sock".to_owned(), "default");
        }
    }
    out
}

/// A bare path means a unix socket.
fn normalize(address: &str) -> String {
    if address.starts_with('/') {
        format!("unix://{address}")
    } else {
        address.to_owned()
    }
}

/// A connected engine.
pub(crate) struct Connected {
    pub docker: Docker,
    pub address: String,
    pub api_version: String,
    pub flavor: EngineKind,
    pub version: String,
}

/// Connects to the first candidate that answers.
pub(crate) async fn connect(kind: EngineKind, settings: &Settings) -> Result<Connected> {
    let env = |k: &str| std::env::var(k).ok();
    let mut tried = Vec::new();
    for c in candidates(kind, settings, &env) {
        match connect_one(&c.address).await {
            Ok(conn) => return Ok(conn),
            Err(reason) => {
                tracing::debug!(address = %c.address, %reason, "engine candidate skipped");
                tried.push(format!("{} ({reason})", c.address));
            }
        }
    }
    Err(Error::EngineNotFound {
        engine: kind.to_string(),
        tried,
    })
}

/// Connects to one address and negotiates the API version.
pub(crate) async fn connect_one(address: &str) -> std::result::Result<Connected, String> {
    let docker = if let Some(path) = address.strip_prefix("unix://") {
        if !std::path::Path::new(path).exists() {
            return Err("no such socket".to_owned());
        }
        Docker::connect_with_unix(path, TIMEOUT_SECS, API_DEFAULT_VERSION)
    } else if address.starts_with("tcp://") || address.starts_with("http://") {
        Docker::connect_with_http(address, TIMEOUT_SECS, API_DEFAULT_VERSION)
    } else {
        return Err("only unix:// and tcp:// addresses are supported".to_owned());
    }
    .map_err(|e| e.to_string())?;
    let docker = docker
        .negotiate_version()
        .await
        .map_err(|e| e.to_string())?;
    let info = docker.version().await.map_err(|e| e.to_string())?;
    let podman = info
        .components
        .iter()
        .flatten()
        .find(|c| c.name.contains("Podman"));
    let flavor = if podman.is_some() {
        EngineKind::Podman
    } else {
        EngineKind::Docker
    };
    let version = podman
        .map(|c| c.version.clone())
        .or(info.version)
        .unwrap_or_default();
    Ok(Connected {
        api_version: docker.client_version().to_string(),
        docker,
        address: address.to_owned(),
        flavor,
        version,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn search_order_per_engine() {
        let env = |k: &str| match k {
            "DOCKER_HOST" => Some("tcp://127.0.0.1:2375".to_owned()),
            "XDG_RUNTIME_DIR" => Some("/run/user/1000".to_owned()),
            _ => None,
        };
        let settings = Settings::default();
        let docker: Vec<_> = candidates(EngineKind::Docker, &settings, &env)
            .into_iter()
            .map(|c| c.address)
            .collect();
        assert_eq!(
            docker,
            ["tcp://127.0.0.1:2375", "unix:///var/run/docker.sock"]
        );
        let podman: Vec<_> = candidates(EngineKind::Podman, &settings, &env)
            .into_iter()
            .map(|c| c.address)
            .collect();
        assert_eq!(
            podman,
            [
                "unix:///run/user/1000/podman/podman.sock",
                "unix:///run/podman/podman.sock"
            ]
        );
        let pinned = Settings {
            engine_socket: Some("/tmp/engine.sock".to_owned()),
            ..Settings::default()
        };
        let first = &candidates(EngineKind::Podman, &pinned, &env)[0];
        assert_eq!(first.address, "unix:///tmp/engine.sock");
        assert_eq!(first.source, "settings");
    }
}
