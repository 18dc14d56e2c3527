//! Berth's entry point: parse the arguments, build the tokio runtime, then run a CLI
//! command, or (with no subcommand) print help until the window lands.

use berth::cli::{Cli, run};
use clap::{CommandFactory as _, Parser as _};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("BERTH_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let Some(command) = cli.command else {
        let _ = Cli::command().print_help();
        return ExitCode::SUCCESS;
    };
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
    let json = cli.global.json;
    match runtime.block_on(run(cli.global, command)) {
        Ok(()) => ExitCode::SUCCESS,
        // `berth tags … | head` closes the pipe early; that is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("berth: {e:#}");
            if json {
                let kind = e
                    .downcast_ref::<berth::registry::Error>()
                    .map_or("error", berth::registry::Error::kind);
                println!(
                    "{}",
                    serde_json::json!({ "error": { "kind": kind, "message": format!("{e:#}") } })
                );
            }
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
