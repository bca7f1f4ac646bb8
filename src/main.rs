//! `vsoko`: the command line of the ВСОКО module — the server, the database, instruments, batch
//! scoring, import and export, one subcommand each (`src/cli/`), every one a thin adapter over the
//! use cases of `vsoko-app`.
//!
//! The commands print to the terminal and return `anyhow` errors; the library crates below return
//! typed errors (the HTTP crate also uses `anyhow`, for startup and for the hidden cause of a 500).

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
