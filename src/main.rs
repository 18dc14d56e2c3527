//! Berth's entry point: parse the arguments, build the tokio runtime, then open the window
//! (no subcommand) or run a CLI command.

use berth::cli::{Cli, GlobalArgs, run};
use berth::i18n::{self, Lang};
use berth::registry::credentials::CredentialPaths;
use berth::settings::Settings;
use clap::Parser as _;
use std::io::Write as _;
use std::process::ExitCode;

/// mimalloc keeps freed network buffers for reuse; glibc's malloc returned them to the kernel
/// and faulted fresh pages in for every chunk of a pull (about a tenth of its time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        // Quiet unless asked: errors reach the user once, as the one line `main` prints.
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BERTH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Some(tag) = cli.global.lang.as_deref()
        && Lang::from_tag(tag).is_none()
    {
        eprintln!("berth: unknown language {tag:?}: use en or ko");
        return ExitCode::FAILURE;
    }
    i18n::set_default_lang(i18n::choose_lang(cli.global.lang.as_deref(), None));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("berth-worker")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("berth: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(command) = cli.command else {
        return open_window(
            &cli.global,
            cli.registry,
            cli.no_default_registries,
            &runtime,
        );
    };
    let json = cli.global.json;
    match runtime.block_on(run(cli.global, command)) {
        Ok(()) => ExitCode::SUCCESS,
        // `berth tags … | head` closes the pipe early; that is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("berth: {}", berth::cli::error_line(&e));
            // `verify --json` and `fsck --json` have printed their report already, with the
            // failure inside it; the line above says why.
            let reported = berth::cli::already_reported(&e);
            if json && !reported {
                let kind = berth::cli::error_kind(&e);
                // The reader may be gone (a closed pipe); stderr has the message already.
                let _ = writeln!(
                    std::io::stdout(),
                    "{}",
                    serde_json::json!({ "error": { "kind": kind, "message": berth::cli::error_text(&e) } })
                );
            }
            ExitCode::FAILURE
        }
    }
}

fn open_window(
    global: &GlobalArgs,
    extra_registries: Vec<String>,
    no_default_registries: bool,
    runtime: &tokio::runtime::Runtime,
) -> ExitCode {
    let settings_path = match global
        .settings
        .clone()
        .map_or_else(Settings::default_path, Ok)
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("berth: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = berth::ui::AppOptions {
        settings_path,
        extra_registries,
        no_default_registries,
        lang: global.lang.as_deref().and_then(Lang::from_tag),
        fonts: berth::ui::FontSource::from_env(),
        credential_paths: CredentialPaths::from_env(),
        layer_cache_dir: None,
        desktop: berth::ui::Desktop::from_env(),
    };
    match berth::ui::run(options, runtime.handle().clone()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("berth: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}
