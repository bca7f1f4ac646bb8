//! Command-line arguments and dispatch to one module per subcommand.

mod checklists;
mod data;
mod db;
mod export;
mod import;
mod openapi;
mod score;
mod serve;
mod training;
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
    /// Apply database migrations, register the instruments (built-in and `--checklists`) and finish
    /// an upgrade (counting rule, missing cached scores).
    Migrate(db::MigrateArgs),
    /// Apply the counting rule to every stored submission and recompute every cached score from
    /// its answers; prints how many changed.
    Recompute(db::RecomputeArgs),
    /// Run the server: the web interface and the REST API.
    Serve(serve::Args),
    /// Write an online backup of a SQLite database to a new file (PostgreSQL: pg_dump).
    Backup(data::BackupArgs),
    /// Restore a backup file: over a SQLite database (stopped server, --replace), or into an
    /// empty PostgreSQL database.
    Restore(data::RestoreArgs),
    /// Copy every row of one database into another, empty one (SQLite → PostgreSQL or back) in
    /// one transaction, and check the copy.
    MigrateData(data::MigrateDataArgs),
    /// Print the OpenAPI document of the REST API.
    Openapi(openapi::Args),
    /// Manage accounts (create the first administrator).
    Users(users::Args),
    /// Import answers from a Google Forms / Yandex Forms / Excel export (dry run with --dry-run).
    Import(import::Args),
    /// Export a report or raw submissions as XLSX, CSV or CSV-RU (Russian Excel).
    Export(export::Args),
    /// Score a CSV of answers (batch) or generate benchmark answers: `vsoko score --help`.
    Score(score::Args),
    /// Training records of the staff: import a kindergarten's list or a ФИС ФРДО export.
    Training(training::Args),
}

/// A use case's error for the terminal: invalid fields listed, anything else with its causes.
pub(crate) fn app_error(error: vsoko_app::AppError) -> anyhow::Error {
    match error {
        vsoko_app::AppError::Invalid { errors, .. } => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|error| format!("{}: {}", error.field, error.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::Error::new(other),
    }
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Checklists(args) => checklists::run(args),
        Command::Migrate(args) => db::migrate(args),
        Command::Recompute(args) => db::recompute(args),
        Command::Serve(args) => serve::run(args),
        Command::Backup(args) => data::backup(args),
        Command::Restore(args) => data::restore(args),
        Command::MigrateData(args) => data::migrate_data(args),
        Command::Openapi(args) => openapi::run(args),
        Command::Users(args) => users::run(args),
        Command::Score(args) => score::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Training(args) => training::run(args),
    }
}
