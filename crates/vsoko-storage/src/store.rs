//! The connection: opening SQLite or PostgreSQL by URL, migrations, transactions.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use vsoko_migrations::{Migrator, MigratorTrait};

use crate::error::Result;

/// The most of a SQLite database file each connection maps into memory (256 MiB; the file may be
/// larger, the rest is read with `pread`). Address space, not memory: the pages are the operating
/// system's cache, shared by every connection.
const SQLITE_MMAP_SIZE: u64 = 256 * 1024 * 1024;

/// How long a SQLite connection waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The `synchronous` setting of SQLite databases; see the «Storage» section of `ARCHITECTURE.md`.
///
/// In WAL mode a commit is a `write()` of the transaction's pages to the WAL file. With `NORMAL`
/// that is all: the commit is in the operating system's page cache, so it survives a kill of the
/// process (the requirement, checked by `tests/durability.rs`), and the database can never be
/// corrupted; only a power cut or kernel crash may lose the last commits. `FULL` adds an fsync of
/// the WAL to every commit, which also survives power loss at the cost of the disk's fsync latency
/// on every submission (`docs/benchmarks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteDurability {
    /// `PRAGMA synchronous = NORMAL`: the default.
    #[default]
    Normal,
    /// `PRAGMA synchronous = FULL`: survives power loss too, at an fsync per commit.
    Full,
}

/// What the store reports about its writes (`StoreOptions::observer`): metrics in the server,
/// counters in tests. Every method does nothing by default.
pub trait StoreObserver: Send + Sync + std::fmt::Debug {
    /// A SQLite write transaction began.
    fn write_begun(&self) {}
    /// A group commit of `size` queued submissions committed after `elapsed`; `plain` when it
    /// was written with multi-row statements.
    fn batch_committed(&self, size: usize, plain: bool, elapsed: Duration) {
        let _ = (size, plain, elapsed);
    }
    /// A statement was executed (on any connection or transaction of the store).
    fn statement_executed(&self, statement: &ExecutedStatement<'_>) {
        let _ = statement;
    }
}

/// A statement the store executed, as [`StoreObserver::statement_executed`] sees it.
#[derive(Debug)]
pub struct ExecutedStatement<'a>(&'a sea_orm::metric::Info<'a>);

impl ExecutedStatement<'_> {
    /// How long it took.
    pub fn elapsed(&self) -> Duration {
        self.0.elapsed
    }

    /// Whether it failed.
    pub fn failed(&self) -> bool {
        self.0.failed
    }

    /// Its SQL with the values inlined (built on each call: for tests and debugging).
    pub fn sql(&self) -> String {
        self.0.statement.to_string()
    }
}

/// The connection pool at one moment, with this process's totals ([`Store::pool_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max: u32,
    /// Connections open now, idle or in use.
    pub open: u32,
    /// Open connections idle now.
    pub idle: u32,
    /// Times this process waited for a connection past the acquire timeout (and answered 503).
    pub acquire_timeouts: u64,
    /// Submissions waiting for the SQLite writer now (always 0 on PostgreSQL).
    pub queued_submissions: usize,
}

/// Options of [`Store::connect_with`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Maximum pooled connections (SQLite in-memory databases always use 1).
    pub max_connections: u32,
    /// The SQLite `synchronous` setting; ignored for PostgreSQL.
    pub sqlite_durability: SqliteDurability,
    /// Told about writes, when set.
    pub observer: Option<Arc<dyn StoreObserver>>,
    /// How long a caller waits for a connection — while the database restarts, say — before
    /// the call fails as unavailable.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 8,
            sqlite_durability: SqliteDurability::default(),
            observer: None,
            acquire_timeout: DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

/// The default of [`StoreOptions::acquire_timeout`].
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The vsoko database: a pool of connections to SQLite or PostgreSQL, chosen by URL.
///
/// Cheap to clone (the pool is shared). Holds no cached data: several servers may share one
/// PostgreSQL, so every call reads the database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: DatabaseBackend,
    /// SQLite allows one writer at a time. Queuing this process's writers here is fair and
    /// immediate, where SQLite's busy handler would make them poll with sleeps of up to 100 ms.
    /// (Writers in other processes still queue on the busy timeout.) Not used for PostgreSQL.
    sqlite_writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Submissions waiting for the SQLite writer, written together by one writer task that drains
    /// the queue (see `crate::group`). Not used for PostgreSQL.
    pub(crate) pending: Option<Arc<crate::queue::Pending>>,
    observer: Option<Arc<dyn StoreObserver>>,
}

/// A write transaction; on SQLite it also holds this process's writer slot until it ends.
pub(crate) struct WriteTxn {
    txn: DatabaseTransaction,
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl Store {
    /// Opens the database at `url` with default options: `sqlite://vsoko.db?mode=rwc` or
    /// `postgres://user@host/db`.
    ///
    /// SQLite connections use WAL, foreign keys on, a busy timeout and `synchronous = NORMAL`.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// Opens the database at `url` with explicit options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store> {
        let mut connect = ConnectOptions::new(url.to_owned());
        connect
            .sqlx_logging(false)
            .connect_timeout(options.acquire_timeout)
            .acquire_timeout(options.acquire_timeout);
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
            // A file opened read-only (a backup being checked) is left exactly as it is.
            let read_only = url.contains("mode=ro");
            connect.map_sqlx_sqlite_opts(move |sqlite| {
                if read_only {
                    return sqlite.read_only(true).foreign_keys(true);
                }
                sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .synchronous(synchronous)
                    // Pages are read through a memory map of the file rather than a `pread` each
                    // (7 % of the SQLite threads' time under submission load).
                    .pragma("mmap_size", SQLITE_MMAP_SIZE.to_string())
            });
        } else {
            connect.max_connections(options.max_connections);
        }
        let mut db = Database::connect(connect).await?;
        if let Some(observer) = &options.observer {
            let observer = Arc::clone(observer);
            db.set_metric_callback(move |info| {
                observer.statement_executed(&ExecutedStatement(info));
            });
        }
        let backend = db.get_database_backend();
        let sqlite_writer =
            (backend == DatabaseBackend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
        let pending = sqlite_writer.is_some().then(Arc::default);
        Ok(Store {
            db,
            backend,
            sqlite_writer,
            pending,
            observer: options.observer,
        })
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

    /// The connection pool now: how many connections are open and idle.
    pub fn pool_status(&self) -> PoolStatus {
        let (open, idle, max) = match self.backend {
            DatabaseBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => {
                let pool = self.db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        PoolStatus {
            max,
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            acquire_timeouts: crate::error::acquire_timeouts(),
            queued_submissions: self.queued_submissions(),
        }
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

    /// The value of a SQLite pragma on one of the pool's connections (tests check the connection
    /// settings with it).
    #[doc(hidden)]
    pub async fn sqlite_pragma(&self, name: &str) -> Result<String> {
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.backend,
                format!("PRAGMA {name}"),
            ))
            .await?
            .ok_or_else(|| {
                crate::StorageError::Corrupt(format!("PRAGMA {name} returned no row"))
            })?;
        let value = row
            .try_get_by_index::<String>(0)
            .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))?;
        Ok(value)
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: it takes the write lock at
    /// once, so two writers queue on the busy timeout instead of failing when a read lock would have
    /// to be upgraded.
    pub(crate) async fn write(&self) -> Result<WriteTxn> {
        let Some(writer) = &self.sqlite_writer else {
            let txn = self
                .db
                .begin_with_options(TransactionOptions::default())
                .await?;
            return Ok(WriteTxn { txn, _writer: None });
        };
        let guard = Arc::clone(writer).lock_owned().await;
        let txn = self.begin_immediate().await?;
        Ok(WriteTxn {
            txn,
            _writer: Some(guard),
        })
    }

    /// This process's SQLite writer slot (`None` on PostgreSQL); whoever holds it may begin a
    /// write transaction with [`Store::begin_immediate`].
    pub(crate) async fn sqlite_writer_slot(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &self.sqlite_writer {
            Some(writer) => Some(Arc::clone(writer).lock_owned().await),
            None => None,
        }
    }

    /// Tells the observer that a group commit of `size` submissions committed.
    pub(crate) fn observe_batch(&self, size: usize, plain: bool, started: Instant) {
        if let Some(observer) = &self.observer {
            observer.batch_committed(size, plain, started.elapsed());
        }
    }

    /// Holds this process's SQLite writer slot until the guard is dropped, so that a test can
    /// queue submissions into one batch. `None` on PostgreSQL.
    #[doc(hidden)]
    pub async fn hold_sqlite_writer(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        self.sqlite_writer_slot().await
    }

    /// Submissions queued for the SQLite writer right now.
    #[doc(hidden)]
    pub fn queued_submissions(&self) -> usize {
        self.pending.as_ref().map_or(0, |pending| pending.len())
    }

    /// `BEGIN IMMEDIATE` on SQLite (the caller holds the writer slot).
    pub(crate) async fn begin_immediate(&self) -> Result<DatabaseTransaction> {
        if let Some(observer) = &self.observer {
            observer.write_begun();
        }
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
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

/// A lookup by a unique key: [`Unique::unique`] instead of sea-orm's `one`.
///
/// `one` adds `LIMIT ?` with the limit as a bound parameter, and SQLite's planner looks at the value
/// bound to a `LIMIT`, so it marks the prepared statement to be compiled again whenever that
/// parameter is bound — at every execution, which defeats the driver's statement cache: under
/// submission load, re-preparing took a third of the SQLite threads' time. A query on a unique key
/// matches at most one row anyway, so `unique` reads them all, with no `LIMIT`.
pub(crate) trait Unique {
    type Row;
    /// The row, if any (the first, should the key not be unique after all).
    async fn unique(self, conn: &impl sea_orm::ConnectionTrait) -> Result<Option<Self::Row>>;
}

impl<E: sea_orm::EntityTrait> Unique for sea_orm::Select<E> {
    type Row = E::Model;
    async fn unique(self, conn: &impl sea_orm::ConnectionTrait) -> Result<Option<E::Model>> {
        Ok(self.all(conn).await?.into_iter().next())
    }
}

impl<S: sea_orm::SelectorTrait> Unique for sea_orm::Selector<S> {
    type Row = S::Item;
    async fn unique(self, conn: &impl sea_orm::ConnectionTrait) -> Result<Option<S::Item>> {
        Ok(self.all(conn).await?.into_iter().next())
    }
}
