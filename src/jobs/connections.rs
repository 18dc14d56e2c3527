//! What jobs connect to: registry clients (one per registry, shared by every job so tokens
//! are fetched once), with the credentials they use (engines need them again for
//! `X-Registry-Auth`); Berth's and other layout stores; Docker and Podman.

use super::error::{Error, Result};
use crate::oci::RegistryName;
use crate::registry::credentials::{CredentialPaths, lookup_async};
use crate::registry::{Credentials, RegistryClient};
use crate::settings::{ConnectionOverrides, Settings};
use crate::store::engine::{EngineKind, EngineStore};
use crate::store::{LayoutStore, StoreLocation, berth_store_dir};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A registry client and the credentials it was built with.
#[derive(Clone)]
pub struct Endpoint {
    pub client: Arc<RegistryClient>,
    pub credentials: Credentials,
}

/// Builds and caches connections the way the CLI does: the settings' connection options,
/// the run's overrides, given credentials first, then Docker's and Podman's stores.
pub struct Connections {
    settings: Settings,
    overrides: ConnectionOverrides,
    credential_paths: CredentialPaths,
    given: Option<Credentials>,
    endpoints: Mutex<HashMap<String, Endpoint>>,
}

impl Connections {
    #[must_use]
    pub fn new(
        settings: Settings,
        overrides: ConnectionOverrides,
        credential_paths: CredentialPaths,
    ) -> Self {
        Self {
            settings,
            overrides,
            credential_paths,
            given: None,
            endpoints: Mutex::new(HashMap::new()),
        }
    }

    /// Credentials to use for every registry instead of the stored ones (`--user`).
    #[must_use]
    pub fn with_credentials(mut self, credentials: Option<Credentials>) -> Self {
        self.given = credentials;
        self
    }

    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn endpoints(&self) -> MutexGuard<'_, HashMap<String, Endpoint>> {
        self.endpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn key(name: &RegistryName) -> String {
        format!(
            "{}://{}",
            name.scheme.map_or("", crate::oci::Scheme::as_str),
            name.host
        )
    }

    /// Uses `client` (one the UI already connected and logged in) for `registry`.
    pub fn insert(
        &self,
        registry: &RegistryName,
        client: Arc<RegistryClient>,
        credentials: Credentials,
    ) {
        self.endpoints().insert(
            Self::key(registry),
            Endpoint {
                client,
                credentials,
            },
        );
    }

    /// The client for `registry`, built on first use.
    pub async fn registry(&self, registry: &RegistryName) -> Result<Endpoint> {
        let key = Self::key(registry);
        if let Some(e) = self.endpoints().get(&key) {
            return Ok(e.clone());
        }
        let credentials = match &self.given {
            Some(c) => c.clone(),
            None => lookup_async(self.credential_paths.clone(), registry.host.clone())
                .await
                .map_err(|e| Error::Credentials {
                    registry: registry.host.clone(),
                    reason: e.to_string(),
                })?
                .map(|(c, _)| c)
                .unwrap_or_default(),
        };
        let mut config = self.settings.client_config(registry, &self.overrides);
        config.credentials = credentials.clone();
        let client = Arc::new(RegistryClient::new(&registry.host, config)?);
        let endpoint = Endpoint {
            client,
            credentials,
        };
        Ok(self.endpoints().entry(key).or_insert(endpoint).clone())
    }

    /// Every registry client built so far (for their warnings and rate-limit notices).
    #[must_use]
    pub fn clients(&self) -> Vec<Arc<RegistryClient>> {
        self.endpoints()
            .values()
            .map(|e| e.client.clone())
            .collect()
    }

    /// The layout store at `location`, created when it does not exist yet (as skopeo does
    /// for `oci:DIR`). Engines are not layouts: `None`.
    pub async fn layout(&self, location: &StoreLocation) -> Result<Option<LayoutStore>> {
        let (dir, label) = match location {
            StoreLocation::Berth => (berth_store_dir(&self.settings)?, Some("berth")),
            StoreLocation::Layout(dir) => (dir.clone(), None),
            StoreLocation::Docker | StoreLocation::Podman => return Ok(None),
        };
        let store = tokio::task::spawn_blocking(move || LayoutStore::open_or_create(&dir))
            .await
            .map_err(|e| Error::join(&e))??;
        Ok(Some(match label {
            Some(l) => store.with_label(l),
            None => store,
        }))
    }

    /// The engine, found as the settings and the environment say.
    pub async fn engine(&self, kind: EngineKind) -> Result<EngineStore> {
        Ok(EngineStore::connect(kind, &self.settings).await?)
    }
}
