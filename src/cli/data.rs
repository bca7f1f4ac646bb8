//! `vsoko backup`, `vsoko restore` and `vsoko migrate-data`: the data as a whole.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use vsoko_storage::{Store, TableRows};

use super::db::{Database, runtime};

/// Arguments of `vsoko backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    database: Database,
    /// The backup file to write (must not exist).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `vsoko restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file (written by `vsoko backup`).
    #[arg(long)]
    from: PathBuf,
    #[command(flatten)]
    database: Database,
    /// Replace an existing SQLite database file (stop the server first); the file replaced is
    /// kept beside it.
    #[arg(long)]
    replace: bool,
}

/// Arguments of `vsoko migrate-data`.
#[derive(Debug, clap::Args)]
pub struct MigrateDataArgs {
    /// The database to copy from, e.g. `sqlite:///var/lib/vsoko/vsoko.db`.
    #[arg(long)]
    from: String,
    /// The empty database to copy into, e.g. `postgres://vsoko@db.city.local/vsoko`.
    #[arg(long)]
    to: String,
}

fn print_table(table: &TableRows) {
    println!("  {:<28} {:>9} rows", table.table, table.rows);
}

fn total(tables: &[TableRows]) -> u64 {
    tables.iter().map(|table| table.rows).sum()
}

/// `vsoko backup`: an online backup of the SQLite database.
pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let url = args.database.url();
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "{url} is not SQLite: back up PostgreSQL with pg_dump, e.g. \
             `pg_dump --format=custom --file=vsoko.dump DBNAME` (see the README)"
        );
    }
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let tables = vsoko_app::backup::backup(&store, &args.out)
            .await
            .map_err(super::app_error)?;
        store.close().await?;
        println!("backup written to {}:", args.out.display());
        tables.iter().for_each(print_table);
        println!(
            "  {} rows in all; the copy's integrity is checked",
            total(&tables)
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `vsoko restore`: a backup file back into a SQLite file, or into an empty PostgreSQL.
pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let url = args.database.url();
    runtime()?.block_on(async {
        if let Some(path) = vsoko_app::backup::sqlite_path(&url) {
            let restored = vsoko_app::backup::restore_file(&args.from, &path, args.replace)
                .await
                .map_err(super::app_error)?;
            println!(
                "{} restored from {}",
                restored.database.display(),
                args.from.display()
            );
            if let Some(kept) = restored.kept {
                println!("the database it replaced is kept as {}", kept.display());
            }
            println!("start the server: it applies the migrations of this version, if any");
        } else {
            let target = Store::connect(&url)
                .await
                .with_context(|| format!("cannot open the database {url}"))?;
            println!("copying {} into {url}:", args.from.display());
            let migrated = vsoko_app::backup::restore_into(&args.from, &target, &mut print_table)
                .await
                .map_err(super::app_error)?;
            target.close().await?;
            println!(
                "restored {} rows; {} network reports compared equal",
                total(&migrated.tables),
                migrated.reports_compared
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `vsoko migrate-data`: every row into an empty database, checked.
pub fn migrate_data(args: MigrateDataArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let source = Store::connect(&args.from)
            .await
            .with_context(|| format!("cannot open the database {}", args.from))?;
        let target = Store::connect(&args.to)
            .await
            .with_context(|| format!("cannot open the database {}", args.to))?;
        println!("copying {} into {} (one transaction):", args.from, args.to);
        let migrated = vsoko_app::backup::migrate_data(&source, &target, &mut print_table)
            .await
            .map_err(super::app_error)?;
        source.close().await?;
        target.close().await?;
        println!(
            "copied {} rows; row counts equal; {} network reports compared equal",
            total(&migrated.tables),
            migrated.reports_compared
        );
        Ok(ExitCode::SUCCESS)
    })
}
