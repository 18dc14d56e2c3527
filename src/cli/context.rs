//! What every command needs: settings, the run's flags, and a client per registry with the
//! right scheme, TLS trust and credentials (flags first, then Docker's and Podman's stores).

use super::GlobalArgs;
use crate::oci::RegistryName;
use crate::registry::credentials::{CredentialPaths, lookup_async};
use crate::registry::{Credentials, RegistryClient, Secret};
use crate::settings::{ConnectionOverrides, Settings};
use anyhow::{Context as _, Result, bail};
use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};

pub struct Context {
    pub global: GlobalArgs,
    pub settings: Settings,
    pub credential_paths: CredentialPaths,
    /// Credentials given on the command line; they win over stored ones.
    pub given: Option<Credentials>,
    clients: Mutex<Vec<Arc<RegistryClient>>>,
}

impl Context {
    pub fn new(global: &GlobalArgs) -> Result<Self> {
        let path = match &global.settings {
            Some(p) => p.clone(),
            None => Settings::default_path()?,
        };
        let settings = Settings::load(&path)?;
        crate::i18n::set_default_lang(crate::i18n::choose_lang(
            global.lang.as_deref(),
            settings.language.as_deref(),
        ));
        let given = match (&global.user, global.password_stdin) {
            (Some(user), true) => Some(Credentials::Basic {
                username: user.clone(),
                password: read_password_stdin()?,
            }),
            (Some(_), false) if !std::io::stdin().is_terminal() => {
                bail!("--user needs --password-stdin (the password is read from standard input)")
            }
            (Some(user), false) => Some(Credentials::Basic {
                username: user.clone(),
                password: prompt_password(user)?,
            }),
            (None, true) => bail!("--password-stdin needs --user"),
            (None, false) => None,
        };
        Ok(Self {
            global: global.clone(),
            settings,
            credential_paths: CredentialPaths::from_env(),
            given,
            clients: Mutex::new(Vec::new()),
        })
    }

    pub fn overrides(&self) -> ConnectionOverrides {
        ConnectionOverrides {
            plain_http: self.global.plain_http,
            insecure: self.global.insecure,
            ca_file: self.global.ca.clone(),
        }
    }

    /// A client for `name` with the given credentials, else the stored ones, else anonymous.
    pub async fn client(&self, name: &RegistryName) -> Result<Arc<RegistryClient>> {
        let credentials = match &self.given {
            Some(c) => c.clone(),
            None => lookup_async(self.credential_paths.clone(), name.host.clone())
                .await?
                .map(|(c, _)| c)
                .unwrap_or_default(),
        };
        self.client_with(name, credentials)
    }

    pub fn client_with(
        &self,
        name: &RegistryName,
        credentials: Credentials,
    ) -> Result<Arc<RegistryClient>> {
        let mut config = self.settings.client_config(name, &self.overrides());
        config.credentials = credentials;
        let client = Arc::new(RegistryClient::new(&name.host, config)?);
        self.clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(client.clone());
        Ok(client)
    }

    /// Prints the registries' `Warning` headers and rate-limit state on stderr.
    pub fn print_notices(&self) {
        let clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut err = std::io::stderr().lock();
        for c in clients.iter() {
            let n = c.notices();
            for w in &n.warnings {
                let text = crate::tr!(
                    "cli-warning-from",
                    registry = c.host().to_owned(),
                    text = w.clone()
                );
                let _ = writeln!(err, "berth: {text}");
            }
            if let Some((limit, remaining)) = &n.rate_limit {
                let text = crate::tr!(
                    "cli-rate-limit",
                    registry = c.host().to_owned(),
                    remaining = remaining.clone(),
                    limit = limit.clone()
                );
                let _ = writeln!(err, "berth: {text}");
            }
        }
    }

    pub fn print_json(&self, value: &impl serde::Serialize) -> Result<()> {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        Ok(())
    }
}

fn read_password_stdin() -> Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("--password-stdin got an empty password");
    }
    Ok(Secret::new(password))
}

fn prompt_password(user: &str) -> Result<Secret> {
    let password = rpassword::prompt_password(format!("Password for {user}: "))
        .context("cannot read the password")?;
    if password.is_empty() {
        bail!("empty password");
    }
    Ok(Secret::new(password))
}
