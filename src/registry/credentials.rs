//! Where credentials come from and where `login` puts them: Docker's `config.json` (`auths`,
//! `identitytoken`, `credsStore`, `credHelpers`) and Podman's `auth.json`. Every function here
//! blocks (files, helper processes): call them through `spawn_blocking`.

use super::auth::{Credentials, Secret};
use crate::oci::reference::DOCKER_HUB_HOST;
use base64::Engine as _;
use docker_credential::{CredentialRetrievalError, DockerCredential};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The files Berth reads, resolved once from the environment (or given by tests).
#[derive(Debug, Clone, Default)]
pub struct CredentialPaths {
    /// Docker's `config.json`.
    pub docker_config: Option<PathBuf>,
    /// Podman's `auth.json` candidates, in lookup order; the first is where `login` writes.
    pub podman_auth: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("credential helper docker-credential-{helper} failed: {reason}")]
    Helper { helper: String, reason: String },
    #[error("no place to store credentials (set HOME or REGISTRY_AUTH_FILE)")]
    NoStore,
}

/// Where a credential was found or stored, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    DockerConfig(PathBuf),
    Helper(String),
    PodmanAuth(PathBuf),
}

impl std::fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DockerConfig(p) | Self::PodmanAuth(p) => write!(f, "{}", p.display()),
            Self::Helper(h) => write!(f, "docker-credential-{h}"),
        }
    }
}

impl CredentialPaths {
    /// The search order (ARCHITECTURE.md): `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`;
    /// `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
    /// `~/.config/containers/auth.json`.
    #[must_use]
    pub fn from_env() -> Self {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = var("HOME");
        let docker_dir = var("DOCKER_CONFIG").or_else(|| home.as_ref().map(|h| h.join(".docker")));
        let mut podman_auth = Vec::new();
        if let Some(p) = var("REGISTRY_AUTH_FILE") {
            podman_auth.push(p);
        } else {
            if let Some(run) = var("XDG_RUNTIME_DIR") {
                podman_auth.push(run.join("containers/auth.json"));
            }
            if let Some(h) = &home {
                podman_auth.push(h.join(".config/containers/auth.json"));
            }
        }
        Self {
            docker_config: docker_dir.map(|d| d.join("config.json")),
            podman_auth,
        }
    }

    /// Credentials stored for `host`, and where they came from. Docker's config is asked
    /// first, then Podman's auth files.
    pub fn lookup(
        &self,
        host: &str,
    ) -> Result<Option<(Credentials, CredentialSource)>, CredentialError> {
        if let Some(path) = &self.docker_config
            && let Some(found) = read_from(path, &docker_key(host), true)?
        {
            return Ok(Some(found));
        }
        for path in &self.podman_auth {
            if let Some(found) = read_from(path, &podman_key(host), false)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The helper Docker's config names for `host` (`credHelpers`, then `credsStore`).
    pub fn helper_for(&self, host: &str) -> Result<Option<String>, CredentialError> {
        let Some(path) = &self.docker_config else {
            return Ok(None);
        };
        let Some(cfg) = read_json(path)? else {
            return Ok(None);
        };
        let key = docker_key(host);
        let specific = cfg
            .get("credHelpers")
            .and_then(|h| h.get(&key).or_else(|| h.get(host)))
            .and_then(|v| v.as_str());
        let store = cfg.get("credsStore").and_then(|v| v.as_str());
        Ok(specific
            .or(store)
            .filter(|s| !s.is_empty())
            .map(str::to_owned))
    }

    /// Saves credentials the way ARCHITECTURE.md says: through Docker's configured helper when
    /// there is one, else into Podman's `auth.json` (as `podman login` does).
    pub fn store(
        &self,
        host: &str,
        username: &str,
        password: &Secret,
    ) -> Result<CredentialSource, CredentialError> {
        if let Some(helper) = self.helper_for(host)? {
            let input = serde_json::json!({
                "ServerURL": docker_key(host),
                "Username": username,
                "Secret": password.expose(),
            });
            run_helper(&helper, "store", &input.to_string())?;
            return Ok(CredentialSource::Helper(helper));
        }
        let path = self.podman_auth.first().ok_or(CredentialError::NoStore)?;
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose()));
        edit_auths(path, |auths| {
            auths.insert(podman_key(host), serde_json::json!({ "auth": auth }));
        })?;
        Ok(CredentialSource::PodmanAuth(path.clone()))
    }

    /// Removes credentials for `host` from every place Berth reads them. Returns where they
    /// were removed from; empty if there were none.
    pub fn remove(&self, host: &str) -> Result<Vec<CredentialSource>, CredentialError> {
        let mut removed = Vec::new();
        if let Some(helper) = self.helper_for(host)? {
            // Helpers answer "not found" with a failure; that just means nothing to erase.
            if run_helper(&helper, "erase", &docker_key(host)).is_ok() {
                removed.push(CredentialSource::Helper(helper));
            }
        }
        if let Some(path) = &self.docker_config
            && path.exists()
        {
            let key = docker_key(host);
            let mut hit = false;
            edit_auths(path, |auths| {
                hit = auths.remove(&key).is_some() | auths.remove(host).is_some();
            })?;
            if hit {
                removed.push(CredentialSource::DockerConfig(path.clone()));
            }
        }
        for path in self.podman_auth.iter().filter(|p| p.exists()) {
            let key = podman_key(host);
            let mut hit = false;
            edit_auths(path, |auths| hit = auths.remove(&key).is_some())?;
            if hit {
                removed.push(CredentialSource::PodmanAuth(path.clone()));
            }
        }
        Ok(removed)
    }
}

/// Docker's config keys Docker Hub as its v1 index URL.
fn docker_key(host: &str) -> String {
    if host == DOCKER_HUB_HOST {
        "https://index.docker.io/v1/".to_owned()
    } else {
        host.to_owned()
    }
}

/// Podman keys Docker Hub as `docker.io`.
fn podman_key(host: &str) -> String {
    if host == DOCKER_HUB_HOST {
        "docker.io".to_owned()
    } else {
        host.to_owned()
    }
}

fn read_json(path: &Path) -> Result<Option<serde_json::Value>, CredentialError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| CredentialError::Read {
                path: path.to_owned(),
                reason: e.to_string(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialError::Read {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}

fn read_from(
    path: &Path,
    key: &str,
    is_docker: bool,
) -> Result<Option<(Credentials, CredentialSource)>, CredentialError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CredentialError::Read {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    let helper = if is_docker {
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|cfg| {
                cfg.get("credHelpers")
                    .and_then(|h| h.get(key))
                    .or_else(|| cfg.get("credsStore"))
                    .and_then(|v| v.as_str().map(str::to_owned))
            })
    } else {
        None
    };
    match docker_credential::get_credential_from_reader(&bytes[..], key) {
        Ok(cred) => {
            let source = match helper {
                Some(h) => CredentialSource::Helper(h),
                None if is_docker => CredentialSource::DockerConfig(path.to_owned()),
                None => CredentialSource::PodmanAuth(path.to_owned()),
            };
            let creds = match cred {
                DockerCredential::IdentityToken(t) => Credentials::IdentityToken(Secret::new(t)),
                DockerCredential::UsernamePassword(u, p) => Credentials::Basic {
                    username: u,
                    password: Secret::new(p),
                },
            };
            Ok(Some((creds, source)))
        }
        Err(CredentialRetrievalError::NoCredentialConfigured) => Ok(None),
        // A credsStore that does not know this host is "no credentials", not an error.
        Err(CredentialRetrievalError::HelperFailure { stdout, stderr, .. })
            if format!("{stdout}{stderr}").contains("credentials not found") =>
        {
            Ok(None)
        }
        Err(e) => Err(CredentialError::Read {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}

fn run_helper(helper: &str, verb: &str, input: &str) -> Result<(), CredentialError> {
    let fail = |reason: String| CredentialError::Helper {
        helper: helper.to_owned(),
        reason,
    };
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg(verb)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(fail(
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
                + String::from_utf8_lossy(&out.stderr).trim(),
        ))
    }
}

/// Reads, edits and atomically rewrites the `auths` map of a config file, keeping every
/// other key as it was. The file is created with mode 0600: it holds secrets.
fn edit_auths(
    path: &Path,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Result<(), CredentialError> {
    let werr = |e: &dyn std::fmt::Display| CredentialError::Write {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut doc = read_json(path)?.unwrap_or_else(|| serde_json::json!({}));
    let Some(obj) = doc.as_object_mut() else {
        return Err(werr(&"not a JSON object"));
    };
    let auths = obj.entry("auths").or_insert_with(|| serde_json::json!({}));
    let Some(map) = auths.as_object_mut() else {
        return Err(werr(&"`auths` is not an object"));
    };
    edit(map);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| werr(&e))?;
    }
    let text = serde_json::to_vec_pretty(&doc).map_err(|e| werr(&e))?;
    crate::atomic_file::write_atomic(path, &text, Some(0o600)).map_err(|e| werr(&e))
}

/// Looks up stored credentials from a blocking task.
pub async fn lookup_async(
    paths: CredentialPaths,
    host: String,
) -> Result<Option<(Credentials, CredentialSource)>, CredentialError> {
    tokio::task::spawn_blocking(move || paths.lookup(&host))
        .await
        .unwrap_or_else(|e| {
            Err(CredentialError::Read {
                path: PathBuf::new(),
                reason: e.to_string(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(dir: &Path) -> CredentialPaths {
        CredentialPaths {
            docker_config: Some(dir.join("docker/config.json")),
            podman_auth: vec![dir.join("run/containers/auth.json")],
        }
    }

    #[test]
    fn docker_hub_keys_differ_per_tool() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::create_dir_all(dir.path().join("docker")).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("hubuser:hubpass");
        std::fs::write(
            p.docker_config.as_ref().unwrap(),
            format!(r#"{{"auths":{{"https://index.docker.io/v1/":{{"auth":"{auth}"}}}}}}"#),
        )
        .unwrap();
        let (creds, source) = p.lookup(DOCKER_HUB_HOST).unwrap().unwrap();
        assert_eq!(
            creds,
            Credentials::Basic {
                username: "hubuser".into(),
                password: Secret::new("hubpass")
            }
        );
        assert!(matches!(source, CredentialSource::DockerConfig(_)));
        assert!(p.lookup("ghcr.io").unwrap().is_none());
    }

    #[test]
    fn store_then_remove_in_podman_auth() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        let src = p.store(DOCKER_HUB_HOST, "u", &Secret::new("pw")).unwrap();
        assert!(matches!(src, CredentialSource::PodmanAuth(_)));
        let text = std::fs::read_to_string(&p.podman_auth[0]).unwrap();
        assert!(text.contains("\"docker.io\""), "{text}");
        let (creds, _) = p.lookup(DOCKER_HUB_HOST).unwrap().unwrap();
        assert!(matches!(creds, Credentials::Basic { ref username, .. } if username == "u"));
        assert_eq!(p.remove(DOCKER_HUB_HOST).unwrap().len(), 1);
        assert!(p.lookup(DOCKER_HUB_HOST).unwrap().is_none());
    }

    #[test]
    fn identity_token_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::create_dir_all(dir.path().join("docker")).unwrap();
        std::fs::write(
            p.docker_config.as_ref().unwrap(),
            r#"{"auths":{"reg.example:5000":{"identitytoken":"refresh-xyz"}}}"#,
        )
        .unwrap();
        let (creds, _) = p.lookup("reg.example:5000").unwrap().unwrap();
        assert_eq!(
            creds,
            Credentials::IdentityToken(Secret::new("refresh-xyz"))
        );
    }
}
