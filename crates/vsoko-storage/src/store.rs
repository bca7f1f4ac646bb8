//! The connection: opening SQLite or PostgreSQL by URL, migrations, transactions.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use vsoko_migrations::{Migrator, MigratorTrait};

use crate::error::Result;

/// How long a SQLite connection waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The `synchronous` setting of SQLite databases; see the «Storage» section of `ARCHITECTURE.md`.
///
/// `FULL` in WAL mode fsyncs the WAL on every commit: an acknowledged submission survives a process
/// kill *and* a power cut or kernel crash. `NORMAL` survives a process kill as well (the commit is in
/// the OS page cache) but may lose the last commits on power loss; it is offered for benchmarks only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteDurability {
    /// `PRAGMA synchronous = FULL`: the default.
    #[default]
    Full,
    /// `PRAGMA synchronous = NORMAL`.
    Normal,
}

/// Options of [`Store::connect_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// Maximum pooled connections (SQLite in-memory databases always use 1).
    pub max_connections: u32,
    /// The SQLite `synchronous` setting; ignored for PostgreSQL.
    pub sqlite_durability: SqliteDurability,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 8,
            sqlite_durability: SqliteDurability::default(),
        }
    }
}

/// The vsoko database: a pool of connections to SQLite or PostgreSQL, chosen by URL.
///
/// Cheap to clone (the pool is shared). Holds no cached data: several servers may share one
/// PostgreSQL, so every call reads the database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: DatabaseBackend,
}

impl Store {
    /// Opens the database at `url` with default options: `sqlite://vsoko.db?mode=rwc` or
    /// `postgres://user@host/db`.
    ///
    /// SQLite connections use WAL, foreign keys on, a busy timeout and `synchronous = FULL`.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// Opens the database at `url` with explicit options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store> {
        let mut connect = ConnectOptions::new(url.to_owned());
        connect
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        if url.starts_with("sqlite:") {
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            connect.max_connections(if in_memory {
                1
            } else {
                options.max_connections
            });
            let synchronous = match options.sqlite_durability {
                SqliteDurability::Full => SqliteSynchronous::Full,
                SqliteDurability::Normal => SqliteSynchronous::Normal,
            };
            connect.map_sqlx_sqlite_opts(move |sqlite| {
                sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .synchronous(synchronous)
            });
        } else {
            connect.max_connections(options.max_connections);
        }
        let db = Database::connect(connect).await?;
        let backend = db.get_database_backend();
        Ok(Store { db, backend })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<()> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Checks that the database answers (for readiness probes).
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Whether this is PostgreSQL (otherwise SQLite).
    pub fn is_postgres(&self) -> bool {
        self.backend == DatabaseBackend::Postgres
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<()> {
        self.db.close().await?;
        Ok(())
    }

    /// Counts every statement executed from now on through this handle (tests use it to prove a
    /// read takes a bounded number of queries).
    #[doc(hidden)]
    pub fn count_queries(&mut self) -> Arc<AtomicU64> {
        let counter = Arc::new(AtomicU64::new(0));
        let inner = Arc::clone(&counter);
        self.db.set_metric_callback(move |_| {
            inner.fetch_add(1, Ordering::Relaxed);
        });
        counter
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: it takes the write lock at
    /// once, so two writers queue on the busy timeout instead of failing when a read lock would have
    /// to be upgraded.
    pub(crate) async fn write(&self) -> Result<DatabaseTransaction> {
        let options = if self.is_postgres() {
            TransactionOptions::default()
        } else {
            TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            }
        };
        Ok(self.db.begin_with_options(options).await?)
    }
}

/// The current time at the precision both databases keep (microseconds), so a value written and
/// read back compares equal.
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
