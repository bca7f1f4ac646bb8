//! Command-line arguments and dispatch to one module per subcommand.

mod checklists;
mod openapi;
mod serve;
mod users;

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
    /// Run the REST API server.
    Serve(serve::Args),
    /// Print the OpenAPI document of the REST API.
    Openapi(openapi::Args),
    /// Manage accounts (create the first administrator).
    Users(users::Args),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Checklists(args) => checklists::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Openapi(args) => openapi::run(args),
        Command::Users(args) => users::run(args),
    }
}
