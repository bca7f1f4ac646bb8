//! `vsoko`: the command line of the ВСОКО module — instrument tools now; scoring, storage and the
//! server arrive as their own subcommands.
//!
//! This binary is the only place that uses `anyhow` and prints to the terminal: library crates return
//! typed errors and the commands here turn them into messages and exit codes.

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("ошибка: {error:#}");
            ExitCode::FAILURE
        }
    }
}
