//! Persisted settings shared by the GUI and the CLI: saved registries, extra layout stores,
//! the engine socket, theme and language. Stored as `settings.toml` in the `directories`
//! config dir. Never holds a secret: credentials live in Docker's or Podman's stores.

use crate::oci::{RegistryName, Scheme};
use crate::registry::ClientConfig;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub registries: Vec<SavedRegistry>,
    /// Extra OCI layout directories shown as local stores.
    pub layout_stores: Vec<PathBuf>,
    /// Where Berth's own layout store lives; the data dir when unset.
    pub store_dir: Option<PathBuf>,
    /// A Docker or Podman API socket (`unix:///run/podman/podman.sock`); found by search when unset.
    pub engine_socket: Option<String>,
    pub theme: Theme,
    /// `en` or `ko`; the system locale when unset.
    pub language: Option<String>,
    /// A font file for Korean, Chinese and Japanese text; with `font_dirs`, replaces the
    /// system's fonts (`BERTH_FONT_DIRS` wins over both).
    pub font_file: Option<PathBuf>,
    /// Directories searched for such fonts instead of the system's.
    pub font_dirs: Vec<PathBuf>,
    /// How long Berth waits on a registry that sends slowly or not at all.
    pub transport: TransportSettings,
    /// Public keys (PEM files) that verify signatures on every registry (issue 20).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<PathBuf>,
}

/// The `[transport]` table: the bounds of `registry::limits`, in whole units so the file
/// stays readable. Unset fields keep the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransportSettings {
    /// A transfer slower than this many bytes a second over `low_speed_time_secs` is stopped.
    pub low_speed_limit: u64,
    pub low_speed_time_secs: u64,
    /// The whole of one manifest, token, listing page or error answer, in seconds.
    pub deadline_secs: u64,
}

impl Default for TransportSettings {
    fn default() -> Self {
        let d = crate::registry::TransportLimits::default();
        Self {
            low_speed_limit: d.low_speed_bytes,
            low_speed_time_secs: d.low_speed_time.as_secs(),
            deadline_secs: d.deadline.as_secs(),
        }
    }
}

impl TransportSettings {
    /// The limits a client applies (a zero window or deadline is taken as one second).
    #[must_use]
    pub fn limits(&self) -> crate::registry::TransportLimits {
        let secs = |s: u64| std::time::Duration::from_secs(s.max(1));
        crate::registry::TransportLimits {
            low_speed_bytes: self.low_speed_limit,
            low_speed_time: secs(self.low_speed_time_secs),
            deadline: secs(self.deadline_secs),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Dark,
    Light,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedRegistry {
    pub name: String,
    /// `host[:port]`, optionally with `http://` or `https://`.
    pub url: String,
    pub plain_http: bool,
    pub insecure: bool,
    pub ca_file: Option<PathBuf>,
    /// Public keys (PEM files) that verify signatures on this registry only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<PathBuf>,
}

impl SavedRegistry {
    /// The host and scheme this entry names; `None` if the URL is not a registry host.
    #[must_use]
    pub fn registry_name(&self) -> Option<RegistryName> {
        RegistryName::parse(&self.url).ok()
    }

    #[must_use]
    pub fn host(&self) -> Option<String> {
        self.registry_name().map(|n| n.host)
    }

    /// The scheme this entry asks for: the URL's own, else plain HTTP if ticked, else HTTPS.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        match self.registry_name().and_then(|n| n.scheme) {
            Some(s) => s,
            None if self.plain_http => Scheme::Http,
            None => Scheme::Https,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("settings {path} are invalid: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("cannot write settings {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no config directory (is HOME set?)")]
    NoConfigDir,
}

/// Connection flags given for one run (`--plain-http`, `--insecure`, `--ca`), which win
/// over a saved entry.
#[derive(Debug, Clone, Default)]
pub struct ConnectionOverrides {
    pub plain_http: bool,
    pub insecure: bool,
    pub ca_file: Option<PathBuf>,
}

impl Settings {
    /// `settings.toml` in the platform config dir (`$XDG_CONFIG_HOME/berth` on Linux).
    pub fn default_path() -> Result<PathBuf, SettingsError> {
        directories::ProjectDirs::from("", "", "berth")
            .map(|d| d.config_dir().join("settings.toml"))
            .ok_or(SettingsError::NoConfigDir)
    }

    /// Loads settings; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|source| SettingsError::Parse {
                path: path.to_owned(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(SettingsError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }

    /// Writes atomically, so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let write_err = |source| SettingsError::Write {
            path: path.to_owned(),
            source,
        };
        let text = toml::to_string_pretty(self)
            .map_err(|e| write_err(std::io::Error::other(e.to_string())))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        crate::atomic_file::write_atomic(path, text.as_bytes(), None).map_err(write_err)
    }

    /// The signature keys for a host: those for every registry, then the host's own.
    #[must_use]
    pub fn signing_keys_for(&self, host: &str) -> Vec<PathBuf> {
        let mut keys = self.signing_keys.clone();
        if let Some(r) = self.find_registry(host) {
            keys.extend(r.signing_keys.iter().cloned());
        }
        keys
    }

    /// The saved entry for a host, if any.
    #[must_use]
    pub fn find_registry(&self, host: &str) -> Option<&SavedRegistry> {
        self.registries
            .iter()
            .find(|r| r.host().as_deref() == Some(host))
    }

    /// How to connect to `name`: an explicit scheme in the name wins, then the run's flags,
    /// then the saved entry, then HTTPS with the system roots. Credentials are left anonymous;
    /// the caller fills them in.
    #[must_use]
    pub fn client_config(&self, name: &RegistryName, run: &ConnectionOverrides) -> ClientConfig {
        let saved = self.find_registry(&name.host);
        let scheme = name.scheme.unwrap_or(if run.plain_http {
            Scheme::Http
        } else {
            saved.map_or(Scheme::Https, SavedRegistry::scheme)
        });
        ClientConfig {
            scheme: Some(scheme),
            insecure: run.insecure || saved.is_some_and(|s| s.insecure),
            ca_file: run
                .ca_file
                .clone()
                .or_else(|| saved.and_then(|s| s.ca_file.clone())),
            credentials: crate::registry::Credentials::Anonymous,
            limits: self.transport.limits(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `settings.toml` as the first release wrote it (every field set): it must keep loading
    /// as the house moves around it.
    const FIRST_RELEASE: &str = r#"layout_stores = ["/srv/layouts/a"]
store_dir = "/srv/berth"
engine_socket = "unix:///run/podman/podman.sock"
theme = "light"
language = "ko"
font_file = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
font_dirs = ["/usr/share/fonts"]

[[registries]]
name = "local"
url = "127.0.0.1:5000"
plain_http = true
insecure = false
ca_file = "/etc/ca.pem"

[[registries]]
name = "GHCR"
url = "https://ghcr.io"
plain_http = false
insecure = true
"#;

    #[test]
    fn a_first_release_settings_file_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, FIRST_RELEASE).unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(s.registries.len(), 2);
        assert_eq!(s.registries[0].name, "local");
        assert!(s.registries[0].plain_http);
        assert_eq!(
            s.registries[0].ca_file.as_deref(),
            Some(Path::new("/etc/ca.pem"))
        );
        assert_eq!(s.registries[1].url, "https://ghcr.io");
        assert!(s.registries[1].insecure);
        assert_eq!(s.layout_stores, [PathBuf::from("/srv/layouts/a")]);
        assert_eq!(s.store_dir.as_deref(), Some(Path::new("/srv/berth")));
        assert_eq!(
            s.engine_socket.as_deref(),
            Some("unix:///run/podman/podman.sock")
        );
        assert_eq!(s.theme, Theme::Light);
        assert_eq!(s.language.as_deref(), Some("ko"));
        assert_eq!(s.font_dirs, [PathBuf::from("/usr/share/fonts")]);
        // And what this version writes back reads the same.
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), s);
    }

    #[test]
    fn round_trip_and_resolution() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/settings.toml");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let settings = Settings {
            registries: vec![SavedRegistry {
                name: "local".into(),
                url: "127.0.0.1:5000".into(),
                plain_http: true,
                insecure: false,
                ca_file: Some("/etc/ca.pem".into()),
                signing_keys: vec!["/etc/keys/team.pub".into()],
            }],
            signing_keys: vec!["/etc/keys/all.pub".into()],
            ..Settings::default()
        };
        settings.save(&path).unwrap();
        let loaded = Settings::load(&path).unwrap();
        assert_eq!(loaded, settings);

        let name = RegistryName::parse("127.0.0.1:5000").unwrap();
        let cfg = loaded.client_config(&name, &ConnectionOverrides::default());
        assert_eq!(cfg.scheme, Some(Scheme::Http));
        assert_eq!(cfg.ca_file.as_deref(), Some(Path::new("/etc/ca.pem")));
        // Signature keys: every registry's, then the host's own.
        assert_eq!(
            loaded.signing_keys_for("127.0.0.1:5000"),
            vec![
                PathBuf::from("/etc/keys/all.pub"),
                PathBuf::from("/etc/keys/team.pub")
            ]
        );
        assert_eq!(
            loaded.signing_keys_for("ghcr.io"),
            vec![PathBuf::from("/etc/keys/all.pub")]
        );

        let forced = RegistryName::parse("https://127.0.0.1:5000").unwrap();
        assert_eq!(
            loaded
                .client_config(&forced, &ConnectionOverrides::default())
                .scheme,
            Some(Scheme::Https)
        );
        let other = RegistryName::parse("ghcr.io").unwrap();
        assert_eq!(
            loaded
                .client_config(&other, &ConnectionOverrides::default())
                .scheme,
            Some(Scheme::Https)
        );
    }

    #[test]
    fn invalid_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "registries = 3").unwrap();
        let err = Settings::load(&path).unwrap_err();
        assert!(err.to_string().contains("settings.toml"), "{err}");
    }
}
