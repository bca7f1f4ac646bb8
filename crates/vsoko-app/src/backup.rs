//! Backup, restore and moving the data to another database: what `vsoko backup`, `vsoko restore`
//! and `vsoko migrate-data` do.
//!
//! - A SQLite database is backed up online into a new file (`Store::backup_sqlite`, a snapshot
//!   of one moment); PostgreSQL with `pg_dump`.
//! - A backup file is restored into a SQLite database by replacing the file (the one replaced is
//!   kept beside it), or into an empty PostgreSQL database by copying its rows.
//! - `migrate-data` copies every row into an empty database in one transaction, then checks that
//!   both hold the same rows per table and give the same network reports.

use std::path::{Path, PathBuf};

use chrono::Utc;
use vsoko_storage::{Role, Scope, Store, TableRows, User};

use crate::reports::{ReportOf, ReportRequest};
use crate::{App, AppError, AppResult, Principal};

/// What `migrate_data` did and checked.
#[derive(Debug, Clone)]
pub struct Migrated {
    /// The rows copied, per table.
    pub tables: Vec<TableRows>,
    /// Network reports built on both databases and found equal.
    pub reports_compared: usize,
}

/// What `restore_file` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The database file written.
    pub database: PathBuf,
    /// Where the file it replaced was kept, if there was one.
    pub kept: Option<PathBuf>,
}

/// The file of a SQLite URL (`sqlite://vsoko.db?mode=rwc` → `vsoko.db`); `None` for another
/// database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// The URL a backup file is opened with, read-only.
fn read_only_url(path: &Path) -> String {
    format!("sqlite://{}?mode=ro", path.display())
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::invalid("database", "invalid", message)
}

/// A refusal of the store (a non-empty target, an existing file) names the database.
fn refused(error: vsoko_storage::StorageError) -> AppError {
    match error {
        vsoko_storage::StorageError::Invalid(message) => invalid(message),
        other => other.into(),
    }
}

/// Opens a backup file read-only and checks that it is a whole vsoko database.
async fn open_backup(path: &Path) -> AppResult<Store> {
    if !path.is_file() {
        return Err(invalid(format!("{}: no such file", path.display())));
    }
    let store = Store::connect(&read_only_url(path))
        .await
        .map_err(|error| {
            invalid(format!(
                "{}: not a SQLite database ({error})",
                path.display()
            ))
        })?;
    store.check_integrity().await?;
    if store.table_rows().await.is_err() {
        return Err(invalid(format!(
            "{}: not a vsoko database (its tables are missing)",
            path.display()
        )));
    }
    Ok(store)
}

/// Writes an online backup of the SQLite database `store` to `out`.
pub async fn backup(store: &Store, out: &Path) -> AppResult<Vec<TableRows>> {
    store.backup_sqlite(out).await.map_err(refused)?;
    let copy = open_backup(out).await?;
    let rows = copy.table_rows().await?;
    copy.close().await?;
    Ok(rows)
}

/// Restores the backup file `from` as the SQLite database file `to`. The server must be stopped.
/// An existing `to` is replaced only with `replace`, and kept beside it as
/// `<name>.replaced-<time>`; its `-wal` and `-shm` files go with it. The new file is written
/// beside `to` first and moved over it in one rename.
pub async fn restore_file(from: &Path, to: &Path, replace: bool) -> AppResult<Restored> {
    let backup = open_backup(from).await?;
    backup.close().await?;
    let exists = to.exists();
    if exists && !replace {
        return Err(invalid(format!(
            "{} exists: stop the server and repeat with --replace (the file replaced is kept beside it)",
            to.display()
        )));
    }
    let with_suffix = |suffix: &str| {
        let mut name = to.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let staged = with_suffix(".restoring");
    std::fs::copy(from, &staged).map_err(|error| io_error(&staged, &error))?;
    std::fs::File::open(&staged)
        .and_then(|file| file.sync_all())
        .map_err(|error| io_error(&staged, &error))?;
    let kept = if exists {
        let kept = with_suffix(&format!(".replaced-{}", Utc::now().format("%Y%m%dT%H%M%S")));
        std::fs::rename(to, &kept).map_err(|error| io_error(to, &error))?;
        for suffix in ["-wal", "-shm"] {
            let side = with_suffix(suffix);
            if side.exists() {
                let mut moved = kept.as_os_str().to_owned();
                moved.push(suffix);
                std::fs::rename(&side, PathBuf::from(moved))
                    .map_err(|error| io_error(&side, &error))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&staged, to).map_err(|error| io_error(to, &error))?;
    Ok(Restored {
        database: to.to_owned(),
        kept,
    })
}

fn io_error(path: &Path, error: &std::io::Error) -> AppError {
    AppError::unexpected(format!("{}: {error}", path.display()))
}

/// Restores the backup file `from` into the empty database `target` (PostgreSQL, typically)
/// by copying its rows: the backup is brought to this version's schema in a temporary copy
/// first, so that a backup of an earlier version can be restored too.
pub async fn restore_into(
    from: &Path,
    target: &Store,
    on_table: &mut (dyn FnMut(&TableRows) + Send),
) -> AppResult<Migrated> {
    open_backup(from).await?.close().await?;
    let dir = std::env::temp_dir().join(format!("vsoko-restore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|error| io_error(&dir, &error))?;
    let copy = dir.join("backup.db");
    let result = async {
        std::fs::copy(from, &copy).map_err(|error| io_error(&copy, &error))?;
        let source = Store::connect(&format!("sqlite://{}?mode=rw", copy.display())).await?;
        source.migrate().await?;
        let migrated = migrate_data(&source, target, on_table).await;
        source.close().await?;
        migrated
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Copies every row of `source` into the empty database `target` (one transaction, ids kept),
/// then checks that the two give the same network report for every instrument and period with
/// answers. On a difference the copy stays in `target` and the error says so.
pub async fn migrate_data(
    source: &Store,
    target: &Store,
    on_table: &mut (dyn FnMut(&TableRows) + Send),
) -> AppResult<Migrated> {
    let tables = source.copy_into(target, on_table).await.map_err(refused)?;
    let reports_compared =
        compare_reports(&App::new(source.clone()), &App::new(target.clone())).await?;
    Ok(Migrated {
        tables,
        reports_compared,
    })
}

/// Builds the network report of every instrument and period with answers on both, and compares
/// them; the number compared.
async fn compare_reports(source: &App, target: &App) -> AppResult<usize> {
    let mut compared = 0;
    let instruments = source.store.instruments().await?;
    let mut codes: Vec<String> = instruments
        .iter()
        .map(|summary| summary.instrument.code.to_string())
        .collect();
    codes.dedup();
    for network in source.store.networks().await? {
        let principal = Principal {
            user: User {
                id: vsoko_domain::UserId::new(0),
                login: "migrate-data".into(),
                role: Role::Admin,
                scope: Scope::Network(network.id),
                network_id: network.id,
                person_id: None,
                active: true,
                created_at: network.created_at,
            },
        };
        for code in &codes {
            for period in source
                .report_periods(&principal, ReportOf::Network, code)
                .await?
            {
                let request = ReportRequest {
                    of: ReportOf::Network,
                    period: period.code.clone(),
                    instrument: code.clone(),
                    version: None,
                    compare_period: None,
                    compare_version: None,
                    items: Some(true),
                };
                let before = source.report(&principal, &request).await?;
                let after = target.report(&principal, &request).await?;
                if format!("{:?}", before.body) != format!("{:?}", after.body)
                    || format!("{:?}", before.items) != format!("{:?}", after.items)
                {
                    return Err(AppError::unexpected(format!(
                        "the copy's network report differs from the source's (network {}, {code}, period {}): \
                         do not use the copy; drop that database and repeat",
                        network.id, period.code
                    )));
                }
                compared += 1;
            }
        }
    }
    Ok(compared)
}
