//! What every command needs: settings, the run's flags, and a client per registry with the
//! right scheme, TLS trust and credentials (flags first, then Docker's and Podman's stores).

use super::GlobalArgs;
use crate::jobs::{Connections, DeleteTarget, JobSpec};
use crate::oci::{ImageRef, RegistryName};
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
    /// Credentials given on the command line (`--user`); they win over stored ones, for the
    /// one registry the command talks to.
    pub given: Option<Credentials>,
    /// `--src-user` and `--dest-user`: each for its own end of a copy, never the other.
    pub src_given: Option<Credentials>,
    pub dest_given: Option<Credentials>,
    /// The registry `--user` went to first; a second one is refused, so one registry's
    /// secret never reaches another (ARCHITECTURE.md, "Credentials").
    given_to: Mutex<Option<String>>,
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
        let stdin_readers = [
            global.password_stdin,
            global.src_password_stdin,
            global.dest_password_stdin,
        ];
        if stdin_readers.iter().filter(|b| **b).count() > 1 {
            bail!(
                "only one of --password-stdin, --src-password-stdin and --dest-password-stdin can read standard input"
            );
        }
        if global.user.is_some() && (global.src_user.is_some() || global.dest_user.is_some()) {
            bail!("--user names one registry; with --src-user or --dest-user, name each end");
        }
        let given = given_credentials("--user", global.user.as_ref(), global.password_stdin)?;
        let src_given = given_credentials(
            "--src-user",
            global.src_user.as_ref(),
            global.src_password_stdin,
        )?;
        let dest_given = given_credentials(
            "--dest-user",
            global.dest_user.as_ref(),
            global.dest_password_stdin,
        )?;
        Ok(Self {
            global: global.clone(),
            settings,
            credential_paths: CredentialPaths::from_env(),
            given,
            src_given,
            dest_given,
            given_to: Mutex::new(None),
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
            Some(c) => {
                self.bind_given(name)?;
                c.clone()
            }
            None => lookup_async(self.credential_paths.clone(), name.host.clone())
                .await?
                .map(|(c, _)| c)
                .unwrap_or_default(),
        };
        self.client_with(name, credentials)
    }

    /// Records that `--user` goes to `name`; an error when it already went to another
    /// registry.
    fn bind_given(&self, name: &RegistryName) -> Result<()> {
        let mut to = self
            .given_to
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match to.as_deref() {
            Some(first) if first != name.host => bail!(
                "--user names one registry, but this command talks to {first} and {}; use --src-user and --dest-user",
                name.host
            ),
            Some(_) => Ok(()),
            None => {
                *to = Some(name.host.clone());
                Ok(())
            }
        }
    }

    /// The connections a job uses: `--src-user` for its source registry, `--dest-user` for
    /// its destination, `--user` only when the job has exactly one registry, and stored
    /// credentials for everything else.
    pub fn job_connections(&self, spec: &JobSpec) -> Result<Connections> {
        let connections = Connections::new(
            self.settings.clone(),
            self.overrides(),
            self.credential_paths.clone(),
        );
        let (source, dest) = match spec {
            JobSpec::Copy { source, dest, .. } => (registry_of(source), registry_of(dest)),
            JobSpec::Save { source, .. } => (registry_of(source), None),
            JobSpec::Load { dest, .. } => (None, registry_of(dest)),
            JobSpec::Delete { .. } => (None, None),
            JobSpec::Extract(e) => (registry_of(&e.source), None),
        };
        if let (Some(s), Some(d), Some(_), Some(_)) =
            (source, dest, &self.src_given, &self.dest_given)
            && s.host == d.host
        {
            // One registry has one client; which of the two secrets it would use is a guess.
            bail!("the source and destination are the same registry; give --user once");
        }
        let ends = [
            ("--src-user", "source", &self.src_given, source),
            ("--dest-user", "destination", &self.dest_given, dest),
        ];
        for (flag, end, given, registry) in ends {
            let Some(credentials) = given else { continue };
            let Some(registry) = registry else {
                bail!("{flag} is for a registry {end}, and this {end} is not a registry");
            };
            let client = self.client_with(registry, credentials.clone())?;
            connections.insert(registry, client, credentials.clone());
        }
        if let Some(credentials) = &self.given {
            let mut registries: Vec<&RegistryName> = source.into_iter().chain(dest).collect();
            if let JobSpec::Delete { targets } = spec {
                registries.extend(targets.iter().filter_map(|t| match t {
                    DeleteTarget::Registry { registry, .. }
                    | DeleteTarget::Untag { registry, .. } => Some(registry),
                    DeleteTarget::Local { .. } => None,
                }));
            }
            let Some(first) = registries.first() else {
                bail!("--user is for a registry, and this command names none");
            };
            for registry in &registries {
                self.bind_given(registry)?;
            }
            let client = self.client_with(first, credentials.clone())?;
            connections.insert(first, client, credentials.clone());
        }
        Ok(connections)
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
        // Pretty JSON has a newline per value: unbuffered, a write per line.
        let mut out = super::buffered_stdout();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }
}

fn registry_of(image: &ImageRef) -> Option<&RegistryName> {
    match image {
        ImageRef::Registry(r) => Some(&r.registry),
        _ => None,
    }
}

/// Credentials from a user flag and its password source (standard input, or a prompt on a
/// terminal).
fn given_credentials(
    flag: &str,
    user: Option<&String>,
    stdin: bool,
) -> Result<Option<Credentials>> {
    let password_flag = format!("{}-password-stdin", flag.trim_end_matches("-user"));
    Ok(match (user, stdin) {
        (Some(user), true) => Some(Credentials::Basic {
            username: user.clone(),
            password: read_password_stdin(&password_flag)?,
        }),
        (Some(_), false) if !std::io::stdin().is_terminal() => {
            bail!("{flag} needs {password_flag} (the password is read from standard input)")
        }
        (Some(user), false) => Some(Credentials::Basic {
            username: user.clone(),
            password: prompt_password(user)?,
        }),
        (None, true) => bail!("{password_flag} needs {flag}"),
        (None, false) => None,
    })
}

fn read_password_stdin(flag: &str) -> Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("{flag} got an empty password");
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
