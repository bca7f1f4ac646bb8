//! Command-line arguments and dispatch to one module per subcommand.

mod checklists;
mod score;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// ВСОКО: internal system of education-quality assessment for kindergarten networks.
#[derive(Debug, Parser)]
#[command(name = "vsoko", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Instrument definitions: validate files, show an instrument, print the JSON Schema.
    Checklists(checklists::Args),
    /// Score a CSV of answers (batch) or generate benchmark answers: `vsoko score --help`.
    Score(score::Args),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Checklists(args) => checklists::run(args),
        Command::Score(args) => score::run(args),
    }
}
