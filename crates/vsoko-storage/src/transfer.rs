//! Whole databases: a consistent copy of a SQLite database into a file while the server runs
//! (`vsoko backup`), and a copy of every row of one database into another, empty one — SQLite to
//! PostgreSQL or back (`vsoko migrate-data`, `vsoko restore` into PostgreSQL).
//!
//! The copy goes table by table through the entities, in an order that satisfies every foreign
//! key, so that each value is converted by the same code that writes it normally; ids are kept
//! and PostgreSQL's sequences moved past them. It is one transaction on the target: a failure
//! leaves it as empty as it was. Before anything is written, both schemas are checked against the
//! entities column by column, so that a column no entity knows cannot be dropped silently.

use std::collections::BTreeSet;
use std::path::Path;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, IntoActiveModel, Iterable,
    PaginatorTrait, PrimaryKeyToColumn, QueryOrder, Statement, TransactionTrait,
};
use vsoko_migrations::{Migrator, MigratorTrait};

use crate::entities::{
    answer, api_token, audit, decision, draft, group, import_profile, import_upload,
    individual_route, instrument, kindergarten, list_mark, login_throttle, mentoring_pair, network,
    pd_plan, pd_plan_agreement, pd_plan_revision, period, person, recommendation, spravka,
    submission, survey_link, training_record, user,
};
use crate::error::{Result, StorageError};
use crate::store::Store;

/// Rows per `SELECT` and per multi-row `INSERT` (well under PostgreSQL's 65,535 parameters for
/// the widest table).
const CHUNK: u64 = 500;

/// The score tables of releases before the packed scores: no longer written or read, but copied
/// while a database still has them.
mod legacy {
    pub(crate) mod submission_score {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "submission_scores")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub submission_id: i64,
            #[sea_orm(primary_key, auto_increment = false)]
            pub position: i32,
            pub node_kind: String,
            pub node_code: String,
            pub percent: Option<f64>,
            pub level: Option<String>,
            pub coverage: f64,
            pub n_items: i32,
            pub n_answered: i32,
            pub critical: bool,
            pub deficit: bool,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    pub(crate) mod submission_critical_item {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "submission_critical_items")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub submission_id: i64,
            #[sea_orm(primary_key, auto_increment = false)]
            pub item_code: String,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }
}

use legacy::{submission_critical_item, submission_score};

/// The rows of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRows {
    /// The table.
    pub table: String,
    /// Its rows.
    pub rows: u64,
}

/// Calls `$visit!(entity_module)` for every table, parents before children.
macro_rules! every_table {
    ($visit:ident) => {
        $visit!(network);
        $visit!(kindergarten);
        $visit!(group);
        $visit!(person);
        $visit!(user);
        $visit!(api_token);
        $visit!(period);
        $visit!(instrument);
        $visit!(submission);
        $visit!(answer);
        $visit!(submission_score);
        $visit!(submission_critical_item);
        $visit!(audit);
        $visit!(login_throttle);
        $visit!(survey_link);
        $visit!(draft);
        $visit!(import_upload);
        $visit!(import_profile);
        $visit!(training_record);
        $visit!(individual_route);
        $visit!(list_mark);
        $visit!(mentoring_pair);
        $visit!(pd_plan);
        $visit!(pd_plan_revision);
        $visit!(pd_plan_agreement);
        $visit!(recommendation);
        $visit!(decision);
        $visit!(spravka);
    };
}

/// The tables the copy knows, in its order.
fn known_tables() -> Vec<&'static str> {
    let mut tables = Vec::new();
    macro_rules! name {
        ($entity:ident) => {
            tables.push(table_name::<$entity::Entity>());
        };
    }
    every_table!(name);
    tables
}

fn table_name<E: EntityTrait + Default>() -> &'static str {
    E::default().table_name()
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `out` (which must not exist) while
    /// the server may keep running: `VACUUM INTO`, a snapshot as of one moment, compacted. Then
    /// checks the copy's integrity.
    pub async fn backup_sqlite(&self, out: &Path) -> Result<()> {
        if self.is_postgres() {
            return Err(StorageError::Invalid(
                "a PostgreSQL database is backed up with pg_dump (see the README)".into(),
            ));
        }
        if out.exists() {
            return Err(StorageError::Invalid(format!(
                "{} already exists: give a new file name",
                out.display()
            )));
        }
        let target = out.to_str().ok_or_else(|| {
            StorageError::Invalid(format!("{}: the path is not valid UTF-8", out.display()))
        })?;
        self.db
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await?;
        let copy = Store::connect(&format!("sqlite://{target}?mode=ro")).await?;
        let checked = copy.check_integrity().await;
        copy.close().await?;
        checked
    }

    /// Checks a SQLite database file page by page (`PRAGMA integrity_check`); PostgreSQL keeps
    /// its own integrity, so nothing is checked there.
    pub async fn check_integrity(&self) -> Result<()> {
        if self.is_postgres() {
            return Ok(());
        }
        let rows = self
            .db
            .query_all_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await?;
        let findings: Vec<String> = rows
            .iter()
            .filter_map(|row| row.try_get_by_index::<String>(0).ok())
            .filter(|line| line != "ok")
            .collect();
        if findings.is_empty() {
            Ok(())
        } else {
            Err(StorageError::Corrupt(format!(
                "the database file is damaged: {}",
                findings.join("; ")
            )))
        }
    }

    /// Whether every migration this version knows has been applied, and no other.
    pub async fn is_current(&self) -> Result<bool> {
        let applied: BTreeSet<String> = Migrator::get_applied_migrations(&self.db)
            .await?
            .iter()
            .map(|migration| migration.name().to_owned())
            .collect();
        let known: BTreeSet<String> = Migrator::migrations()
            .iter()
            .map(|migration| migration.name().to_owned())
            .collect();
        Ok(applied == known)
    }

    /// The rows of every table, in the copy's order.
    pub async fn table_rows(&self) -> Result<Vec<TableRows>> {
        let mut counts = Vec::new();
        macro_rules! count {
            ($entity:ident) => {
                counts.push(TableRows {
                    table: table_name::<$entity::Entity>().to_owned(),
                    rows: $entity::Entity::find().count(&self.db).await?,
                });
            };
        }
        every_table!(count);
        Ok(counts)
    }

    /// Copies every row of this database into `target`, which must be empty; applies the
    /// target's migrations first. One transaction on the target; this database is read in one
    /// transaction too, so the copy is of one moment even while a server writes. Verifies the
    /// row counts before committing. `on_table` is told each table as it is done.
    pub async fn copy_into(
        &self,
        target: &Store,
        on_table: &mut (dyn FnMut(&TableRows) + Send),
    ) -> Result<Vec<TableRows>> {
        if !self.is_current().await? {
            return Err(StorageError::Invalid(
                "the source database is not at this version's schema: run `vsoko migrate` on it first"
                    .into(),
            ));
        }
        target.migrate().await?;
        self.check_columns().await?;
        target.check_columns().await?;
        let occupied: Vec<String> = target
            .table_rows()
            .await?
            .into_iter()
            .filter(|table| table.rows > 0)
            .map(|table| format!("{} ({} rows)", table.table, table.rows))
            .collect();
        if !occupied.is_empty() {
            return Err(StorageError::Invalid(format!(
                "the target database is not empty: {}. Give a new, empty database (the copy \
                 applies the migrations itself, so do not run `vsoko migrate` or `vsoko serve` on it first)",
                occupied.join(", ")
            )));
        }
        let source = self.db.begin().await?;
        let txn = target.db.begin().await?;
        let mut copied = Vec::new();
        macro_rules! copy {
            ($entity:ident) => {
                let rows = copy_table::<$entity::Entity>(&source, &txn).await?;
                let table = TableRows {
                    table: table_name::<$entity::Entity>().to_owned(),
                    rows,
                };
                on_table(&table);
                copied.push(table);
            };
        }
        every_table!(copy);
        if target.is_postgres() {
            reset_sequences(&txn).await?;
        }
        let mut written = Vec::new();
        macro_rules! count {
            ($entity:ident) => {
                written.push(TableRows {
                    table: table_name::<$entity::Entity>().to_owned(),
                    rows: $entity::Entity::find().count(&txn).await?,
                });
            };
        }
        every_table!(count);
        if written != copied {
            return Err(StorageError::Invalid(format!(
                "the copy does not hold the rows read (read {copied:?}, written {written:?}); nothing was written"
            )));
        }
        txn.commit().await?;
        source.commit().await?;
        Ok(copied)
    }

    /// Checks that every table this version has holds exactly the columns its entity knows.
    async fn check_columns(&self) -> Result<()> {
        let mut problems = Vec::new();
        let present = self.tables().await?;
        macro_rules! check {
            ($entity:ident) => {
                let table = table_name::<$entity::Entity>();
                let known: BTreeSet<String> = <$entity::Entity as EntityTrait>::Column::iter()
                    .map(|column| sea_orm::IdenStatic::as_str(&column).to_owned())
                    .collect();
                let actual = self.columns(table).await?;
                if actual != known {
                    problems.push(format!(
                        "{table}: the database has {actual:?}, the copy knows {known:?}"
                    ));
                }
            };
        }
        every_table!(check);
        let known: BTreeSet<&str> = known_tables().into_iter().collect();
        for table in &present {
            if !known.contains(table.as_str()) && table != "seaql_migrations" {
                problems.push(format!("{table}: a table the copy does not know"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StorageError::Invalid(format!(
                "the schema differs from what this version copies: {}",
                problems.join("; ")
            )))
        }
    }

    /// The tables of the database.
    async fn tables(&self) -> Result<Vec<String>> {
        let sql = if self.is_postgres() {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        };
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| row.try_get_by_index::<String>(0).ok())
            .collect())
    }

    /// The columns of a table.
    async fn columns(&self, table: &str) -> Result<BTreeSet<String>> {
        let backend = self.db.get_database_backend();
        let statement = if self.is_postgres() {
            Statement::from_sql_and_values(
                backend,
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
                [table.into()],
            )
        } else {
            Statement::from_sql_and_values(
                backend,
                "SELECT name FROM pragma_table_info(?)",
                [table.into()],
            )
        };
        let rows = self.db.query_all_raw(statement).await?;
        Ok(rows
            .iter()
            .filter_map(|row| row.try_get_by_index::<String>(0).ok())
            .collect())
    }
}

/// Copies one table in chunks, in primary-key order; the rows copied.
async fn copy_table<E>(source: &DatabaseTransaction, target: &DatabaseTransaction) -> Result<u64>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Sync,
{
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    let mut pages = query.paginate(source, CHUNK);
    let mut rows = 0;
    while let Some(models) = pages.fetch_and_next().await? {
        rows += models.len() as u64;
        E::insert_many(models.into_iter().map(IntoActiveModel::into_active_model))
            .exec_without_returning(target)
            .await?;
    }
    Ok(rows)
}

/// Moves every PostgreSQL sequence past the ids copied, so that the next row gets a new one.
async fn reset_sequences(txn: &DatabaseTransaction) -> Result<()> {
    let rows = txn
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT c.table_name::text, c.column_name::text \
             FROM information_schema.columns c \
             WHERE c.table_schema = current_schema() \
               AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL",
        ))
        .await?;
    for row in rows {
        let table: String = row.try_get_by_index(0)?;
        let column: String = row.try_get_by_index(1)?;
        txn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
            ),
        ))
        .await?;
    }
    Ok(())
}
