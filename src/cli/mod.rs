//! The CLI over the core: DESIGN.md's grammar, human output or `--json`, one human line on
//! stderr per failure (printed by `main`).

mod inspect_text;

use crate::oci::{Platform, RegistryName, RegistryRef};
use crate::registry::{Credentials, RegistryClient, Secret};
use crate::settings::{ConnectionOverrides, Settings};
use anyhow::{Context as _, Result, bail};
use clap::{Args as ClapArgs, Parser, Subcommand};
use futures_util::TryStreamExt as _;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "berth",
    version,
    about = "Browse, inspect and move container images."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, ClapArgs, Default)]
pub struct GlobalArgs {
    /// Machine-readable output with stable field names.
    #[arg(long, global = true)]
    pub json: bool,
    /// Use plain HTTP for registries given without a scheme.
    #[arg(long, global = true)]
    pub plain_http: bool,
    /// Skip TLS certificate verification.
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Trust this CA certificate (PEM) for the registry.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Username for the registry (password from --password-stdin).
    #[arg(long, global = true, value_name = "U")]
    pub user: Option<String>,
    /// Read the password (or token) from standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Interface language (en, ko).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Use this settings file instead of the one in the config dir.
    #[arg(long, global = true, value_name = "FILE", hide = true)]
    pub settings: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the repositories of a registry (its catalog), page by page.
    Repos {
        /// HOST[:PORT], or http://HOST:PORT for plain HTTP.
        registry: String,
    },
    /// List the tags of a repository, in natural order.
    Tags {
        /// HOST[:PORT]/REPO
        repository: String,
    },
    /// Show an image: digest, platforms, config, history and layers.
    Inspect {
        /// REF, e.g. registry.example.com/team/app:1.0
        reference: String,
        /// For an index: the platform to show (os/arch[/variant]); the host's by default.
        #[arg(long, value_name = "OS/ARCH")]
        platform: Option<String>,
        /// Print the manifest exactly as the registry sent it.
        #[arg(long)]
        raw: bool,
    },
}

/// Runs one subcommand.
pub async fn run(global: GlobalArgs, command: Command) -> Result<()> {
    let ctx = Context::new(&global)?;
    match command {
        Command::Repos { registry } => repos(&ctx, &registry).await,
        Command::Tags { repository } => tags(&ctx, &repository).await,
        Command::Inspect {
            reference,
            platform,
            raw,
        } => inspect(&ctx, &reference, platform.as_deref(), raw).await,
    }
}

struct Context {
    global: GlobalArgs,
    settings: Settings,
    credentials: Credentials,
}

impl Context {
    fn new(global: &GlobalArgs) -> Result<Self> {
        let path = match &global.settings {
            Some(p) => p.clone(),
            None => Settings::default_path()?,
        };
        let settings = Settings::load(&path)?;
        let credentials = match (&global.user, global.password_stdin) {
            (Some(user), true) => Credentials::Basic {
                username: user.clone(),
                password: read_password_stdin()?,
            },
            (Some(_), false) => {
                bail!("--user needs --password-stdin (the password is read from standard input)")
            }
            (None, true) => bail!("--password-stdin needs --user"),
            (None, false) => Credentials::Anonymous,
        };
        Ok(Self {
            global: global.clone(),
            settings,
            credentials,
        })
    }

    fn client(&self, name: &RegistryName) -> Result<RegistryClient> {
        let overrides = ConnectionOverrides {
            plain_http: self.global.plain_http,
            insecure: self.global.insecure,
            ca_file: self.global.ca.clone(),
        };
        let mut config = self.settings.client_config(name, &overrides);
        config.credentials = self.credentials.clone();
        Ok(RegistryClient::new(&name.host, config)?)
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

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

async fn repos(ctx: &Context, registry: &str) -> Result<()> {
    let name = RegistryName::parse(registry)?;
    let client = ctx.client(&name)?;
    let mut pages = std::pin::pin!(client.catalog());
    let mut all = Vec::new();
    let mut out = std::io::stdout().lock();
    // Human output streams page by page; JSON needs the whole list.
    while let Some(page) = pages.try_next().await? {
        if !ctx.global.json {
            for repo in &page {
                writeln!(out, "{repo}")?;
            }
            out.flush()?;
        }
        all.extend(page);
    }
    drop(out);
    if ctx.global.json {
        print_json(&serde_json::json!({ "registry": name.host, "repositories": all }))?;
    }
    Ok(())
}

async fn tags(ctx: &Context, repository: &str) -> Result<()> {
    let r = RegistryRef::parse(repository)?;
    if r.tag.is_some() || r.digest.is_some() {
        bail!("`tags` takes a repository without a tag or digest: {repository}");
    }
    let client = ctx.client(&r.registry)?;
    let tags = client.tags(&r.repository).await?;
    if ctx.global.json {
        print_json(&serde_json::json!({
            "registry": r.registry.host,
            "repository": r.repository,
            "tags": tags,
        }))
    } else {
        let mut out = std::io::stdout().lock();
        for t in tags {
            writeln!(out, "{t}")?;
        }
        Ok(())
    }
}

async fn inspect(ctx: &Context, reference: &str, platform: Option<&str>, raw: bool) -> Result<()> {
    let r = RegistryRef::parse(reference)?;
    let client = ctx.client(&r.registry)?;
    let wanted = match platform {
        Some(p) => Platform::parse(p)
            .with_context(|| format!("invalid platform {p:?}: expected os/arch[/variant]"))?,
        None => Platform::host(),
    };
    if raw {
        let m = client.manifest(&r.repository, r.reference()).await?;
        std::io::stdout().lock().write_all(&m.bytes)?;
        return Ok(());
    }
    let detail = client
        .inspect(&r.repository, r.reference(), &wanted)
        .await?;
    if ctx.global.json {
        return print_json(&detail);
    }
    let text = inspect_text::render(&detail);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    if detail.image.is_none() && platform.is_some() {
        let available: Vec<String> = detail
            .platforms
            .iter()
            .filter_map(|e| e.platform.as_ref().map(ToString::to_string))
            .collect();
        return Err(crate::registry::Error::PlatformNotFound { wanted, available }.into());
    }
    Ok(())
}
