//! `vsoko migrate` and `vsoko recompute`: the database schema, the shipped instruments and the
//! cached scores.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use vsoko_storage::Store;

/// The database used when neither `--database-url` nor `VSOKO_DATABASE_URL` is given.
const DEFAULT_DATABASE_URL: &str = "sqlite://vsoko.db?mode=rwc";

/// Where the database is.
#[derive(Debug, clap::Args)]
pub struct Database {
    /// Database URL: `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`. Default: the
    /// environment variable VSOKO_DATABASE_URL, else `sqlite://vsoko.db?mode=rwc`.
    #[arg(long)]
    pub(super) database_url: Option<String>,
}

impl Database {
    pub(super) fn url(&self) -> String {
        self.database_url
            .clone()
            .or_else(|| std::env::var("VSOKO_DATABASE_URL").ok())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned())
    }

    pub(super) async fn open(&self) -> anyhow::Result<Store> {
        let url = self.url();
        Store::connect(&url)
            .await
            .with_context(|| format!("cannot open the database {url}"))
    }
}

/// Arguments of `vsoko migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    database: Database,
    /// A directory of your own instrument files (`<code>/v<version>.toml`) to register besides
    /// the shipped ones.
    #[arg(long, env = "VSOKO_CHECKLISTS")]
    checklists: Option<PathBuf>,
}

/// Arguments of `vsoko recompute`.
#[derive(Debug, clap::Args)]
pub struct RecomputeArgs {
    #[command(flatten)]
    database: Database,
}

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Applies pending migrations, then registers the shipped instruments and those under
/// `--checklists` (new versions are added; a changed file under a registered version is refused,
/// naming it).
pub fn migrate(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        store.migrate().await.context("migration failed")?;
        println!("schema up to date");
        let (_, registration) =
            vsoko_api::instruments::register(&store, args.checklists.as_deref()).await?;
        for id in &registration.added {
            println!("registered {id}");
        }
        println!(
            "instruments: {} added, {} already registered",
            registration.added.len(),
            registration.unchanged.len()
        );
        let app = vsoko_app::App::new(store.clone());
        let upgrade = app
            .finish_upgrade()
            .await
            .map_err(super::app_error)?;
        if let Some(repair) = upgrade.counting {
            println!(
                "counting rule applied to stored submissions: {} filled in, {} earlier answers no longer counted",
                repair.filled, repair.superseded
            );
        }
        if let Some(report) = upgrade.recompute {
            println!(
                "cached scores recomputed after the upgrade: {} submissions, {} changed",
                report.scanned, report.changed
            );
        }
        store.close().await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Recomputes every submission's cached scores from its stored answers with the current scoring
/// code and prints how many changed.
pub fn recompute(args: RecomputeArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let (counting, report) = vsoko_app::App::new(store.clone())
            .recompute()
            .await
            .map_err(super::app_error)?;
        if counting.filled > 0 || counting.superseded > 0 {
            println!(
                "counting rule: {} submissions filled in, {} earlier answers no longer counted",
                counting.filled, counting.superseded
            );
        }
        println!(
            "recomputed {} submissions; {} changed",
            report.scanned, report.changed
        );
        store.close().await?;
        Ok(ExitCode::SUCCESS)
    })
}
