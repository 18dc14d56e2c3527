//! The CLI over the core: the reference grammar (ARCHITECTURE.md), human output or `--json`, one human line on
//! stderr per failure (printed by `main`).

/// `println!` that hands back the write's error instead of panicking: a closed pipe
/// (`berth rm … | head -1`) then ends the command quietly in `main`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)
    }};
}

/// Standard output, locked and buffered: one `write` per 64 KiB rather than one per line
/// (std's stdout flushes at every newline; `berth tags` of 100,000 tags made 100,000 writes).
/// Call `flush` at the end, so that a write error (a closed pipe, which `main` ends quietly)
/// reaches the caller: dropping the writer unflushed would swallow it.
pub(crate) fn buffered_stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// A failure whose `--json` document is printed already, with the failure inside it (as
/// `fsck` does): `main` prints its line on stderr and no second JSON value.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReportedInJson(pub String);

/// Whether `e`'s `--json` document is out already ([`ReportedInJson`], `verify`'s report).
#[must_use]
pub fn already_reported(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ReportedInJson>().is_some()
        || e.downcast_ref::<verify::NotVerified>().is_some()
}

mod cat;
mod context;
mod diff;
mod extract;
mod files;
mod images;
mod inspect_text;
pub mod job_view;
mod login;
mod pull;
mod read;
mod retain;
mod rm;
mod save;
mod sbom;
mod store_cmds;
mod tag_sort;
mod untag;
pub mod verify;

pub use context::Context;

use anyhow::{Result, bail};
use clap::{Args as ClapArgs, Parser, Subcommand};
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
    /// Without a command, the window opens. Add this registry to it for this run
    /// (repeatable; http://HOST:PORT for plain HTTP).
    #[arg(long, value_name = "URL")]
    pub registry: Vec<String>,
    /// Without a command: leave Docker Hub out of the window's sources.
    #[arg(long)]
    pub no_default_registries: bool,
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
    /// `cp`, `pull --to`: username for the source registry (password from
    /// --src-password-stdin). Never sent to the destination.
    #[arg(long, global = true, value_name = "U")]
    pub src_user: Option<String>,
    /// Read the source registry's password (or token) from standard input.
    #[arg(long, global = true)]
    pub src_password_stdin: bool,
    /// `cp`, `pull --to`: username for the destination registry (password from
    /// --dest-password-stdin). Never sent to the source.
    #[arg(long, global = true, value_name = "U")]
    pub dest_user: Option<String>,
    /// Read the destination registry's password (or token) from standard input.
    #[arg(long, global = true)]
    pub dest_password_stdin: bool,
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
    /// List the tags of a repository, in natural order (or by created date or size).
    Tags {
        /// HOST[:PORT]/REPO
        repository: String,
        /// Sort by name (natural order), created date or size; unknown dates and sizes last.
        #[arg(long, value_enum, default_value = "name")]
        sort: tag_sort::TagSort,
        /// Turn the order around (newest or largest first).
        #[arg(long)]
        reverse: bool,
    },
    /// Show an image: digest, platforms, config, history, layers and referrers.
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
    /// Delete an image. Lists everything that goes with it first.
    Rm {
        /// REF…: tags or digests of repositories in one registry, or images of one local
        /// store (berth:NAME, oci:DIR:TAG, docker:NAME, podman:NAME).
        #[arg(required = true)]
        references: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Only print what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove tags while the other tags on the same image stay. Lists the plan first.
    Untag {
        /// REF…: tags of repositories in one registry.
        #[arg(required = true)]
        references: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Only print what would be removed and how.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete a repository's old tags by rule (keep the newest N, by date or semantic
    /// version). Prints the plan first; protected digests stay.
    Retain(retain::RetainArgs),
    /// Check credentials against a registry and save them.
    Login {
        /// HOST[:PORT]
        registry: String,
    },
    /// Remove saved credentials for a registry.
    Logout {
        /// HOST[:PORT]
        registry: String,
    },
    /// List the files in an image's layers: per layer, or the merged filesystem.
    Files(files::FilesArgs),
    /// Print one file of an image: from the merged filesystem, or layer N's version.
    Cat(cat::CatArgs),
    /// Compare two images: config, layers and files.
    Diff(diff::DiffArgs),
    /// List the images of a local store: berth: (the default), oci:DIR, docker: or podman:.
    Images {
        /// STORE: berth:, oci:DIR, docker: or podman:
        store: Option<String>,
    },
    /// Give a local image another name in the same store.
    Tag {
        /// SRC: berth:NAME, oci:DIR:TAG, docker:NAME or podman:NAME
        source: String,
        /// DST: a name in the same store (the store prefix may be left out)
        target: String,
    },
    /// Check a layout store: every blob's digest, every reference's blobs, no leftovers.
    Fsck {
        /// STORE: berth: (the default) or oci:DIR
        store: Option<String>,
    },
    /// Remove what no image needs: unreferenced blobs, or an engine's dangling images.
    Prune {
        /// STORE: berth: (the default), oci:DIR, docker: or podman:
        store: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Only print what would be freed.
        #[arg(long)]
        dry_run: bool,
    },
    /// Pull an image into Berth's store (the default), an OCI layout, Docker or Podman.
    Pull(pull::PullArgs),
    /// Check an image's signatures against public keys; exit 0 only when one is verified.
    Verify(verify::VerifyArgs),
    /// Copy an image between any two places: registries, layouts, Docker, Podman.
    Cp(pull::CpArgs),
    /// Write an image to a docker-archive or oci-archive tar.
    Save(save::SaveArgs),
    /// Read a docker-archive or oci-archive tar into a local store.
    Load(save::LoadArgs),
    /// List the packages of an image's SBOM (SPDX or `CycloneDX`), wherever it is attached.
    Sbom(sbom::SbomArgs),
    /// Write a file or a folder of an image into a directory or a tar, safely.
    Extract(extract::ExtractArgs),
}

/// The one human line for a failure, in the interface language: the core error as a sentence
/// from the catalog (`crate::i18n::describe`, the window's words too) plus what to do next on
/// the command line, after any context around it.
#[must_use]
pub fn error_line(e: &anyhow::Error) -> String {
    crate::format::one_line(&described_line(e), MAX_ERROR_CHARS).into_owned()
}

/// An error line is cut here: a registry's error page is quoted, never printed whole.
const MAX_ERROR_CHARS: usize = 1000;

fn described_line(e: &anyhow::Error) -> String {
    let mut context = Vec::new();
    for cause in e.chain() {
        if let Some(core) = crate::i18n::core_error(cause) {
            let mut line = core.describe();
            let hint = format!("cli-hint-{}", core.kind_name().replace('_', "-"));
            if crate::i18n::has_message(crate::i18n::Lang::En, &hint) {
                line.push(' ');
                line.push_str(&crate::i18n::t(&hint));
            }
            context.push(line);
            return context.join(": ");
        }
        context.push(cause.to_string());
    }
    error_text(e)
}

/// The whole chain of `e` on one line, each cause once: a core error's text often holds its
/// source's already (`… failed verification: expected digest …`), which `{e:#}` would
/// repeat.
#[must_use]
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// The stable `--json` name of a failure: the kind of the first core error in the chain
/// (registry, store, layers, jobs, inspect, credentials), or `error` for the rest.
#[must_use]
pub fn error_kind(e: &anyhow::Error) -> &'static str {
    e.chain()
        .find_map(|c| crate::i18n::core_error(c).map(crate::i18n::Describe::kind_name))
        .unwrap_or("error")
}

/// Runs one subcommand.
pub async fn run(global: GlobalArgs, command: Command) -> Result<()> {
    let two_ends = matches!(command, Command::Cp(_) | Command::Pull(_));
    if !two_ends && (global.src_user.is_some() || global.dest_user.is_some()) {
        bail!("--src-user and --dest-user are for cp and pull; use --user");
    }
    let ctx = Context::new(&global)?;
    let result = match command {
        Command::Repos { registry } => read::repos(&ctx, &registry).await,
        Command::Tags {
            repository,
            sort,
            reverse,
        } => read::tags(&ctx, &repository, sort, reverse).await,
        Command::Inspect {
            reference,
            platform,
            raw,
        } => read::inspect(&ctx, &reference, platform.as_deref(), raw).await,
        Command::Rm {
            references,
            yes,
            dry_run,
        } => rm::rm(&ctx, &references, yes, dry_run).await,
        Command::Untag {
            references,
            yes,
            dry_run,
        } => untag::untag(&ctx, &references, yes, dry_run).await,
        Command::Retain(args) => retain::retain(&ctx, args).await,
        Command::Login { registry } => login::login(&ctx, &registry).await,
        Command::Logout { registry } => login::logout(&ctx, &registry).await,
        Command::Files(args) => files::run(&ctx, args).await,
        Command::Cat(args) => cat::run(&ctx, args).await,
        Command::Diff(args) => diff::run(&ctx, args).await,
        Command::Images { store } => images::images(&ctx, store.as_deref()).await,
        Command::Tag { source, target } => images::tag(&ctx, &source, &target).await,
        Command::Fsck { store } => store_cmds::fsck(&ctx, store.as_deref()).await,
        Command::Prune {
            store,
            yes,
            dry_run,
        } => store_cmds::prune(&ctx, store.as_deref(), yes, dry_run).await,
        Command::Pull(args) => pull::pull(&ctx, args).await,
        Command::Verify(args) => verify::run(&ctx, args).await,
        Command::Cp(args) => pull::cp(&ctx, args).await,
        Command::Save(args) => save::save(&ctx, args).await,
        Command::Extract(args) => extract::run(&ctx, args).await,
        Command::Load(args) => save::load(&ctx, args).await,
        Command::Sbom(args) => sbom::run(&ctx, args).await,
    };
    ctx.print_notices();
    result
}
