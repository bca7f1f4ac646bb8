//! Schema migrations of the vsoko database, for SQLite and PostgreSQL alike.
//!
//! One file per migration, named `mYYYYMMDD_NNNNNN_<verb>_<noun>.rs` and listed in order in
//! [`Migrator`]. Every table is described with sea-query schema builders, never raw SQL, so the same
//! migration runs on both backends. Migrations are expand/contract: see `migrations/README.md`.
//!
//! The storage crate (`vsoko-storage`) runs [`Migrator`] from `Store::migrate`; the `vsoko migrate`
//! command and server start call that.

use sea_orm_migration::prelude::*;

pub use sea_orm_migration::MigratorTrait;

mod m20261123_000001_create_organisation;
mod m20261123_000002_create_users;
mod m20261123_000003_create_periods_and_instruments;
mod m20261123_000004_create_submissions;
mod m20261123_000005_create_audit_log;
mod m20261124_000006_add_packed_scores;
mod m20261124_000007_add_request_hash;
mod m20261201_000008_index_reports_by_kindergarten;
mod m20261202_000009_count_submissions;
mod m20261202_000010_create_login_throttle;
mod m20261203_000011_create_survey_links;
mod m20261204_000012_create_drafts;
mod m20261204_000013_create_import_staging;
mod m20261206_000014_add_network_min_coverage;
mod m20261207_000015_create_training_records;
mod m20261207_000016_add_snils;
mod m20261207_000017_create_individual_routes;
mod m20261208_000018_create_list_marks;
mod m20261208_000019_create_mentoring_pairs;
mod m20261209_000020_create_pd_plans;
mod m20261209_000021_create_recommendations;
mod m20261210_000022_add_period_basis;
mod m20261210_000023_create_spravki;
mod m20261211_000024_add_kindergarten_district;

/// Every migration of the vsoko schema, in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_organisation::Migration),
            Box::new(m20261123_000002_create_users::Migration),
            Box::new(m20261123_000003_create_periods_and_instruments::Migration),
            Box::new(m20261123_000004_create_submissions::Migration),
            Box::new(m20261123_000005_create_audit_log::Migration),
            Box::new(m20261124_000006_add_packed_scores::Migration),
            Box::new(m20261124_000007_add_request_hash::Migration),
            Box::new(m20261201_000008_index_reports_by_kindergarten::Migration),
            Box::new(m20261202_000009_count_submissions::Migration),
            Box::new(m20261202_000010_create_login_throttle::Migration),
            Box::new(m20261203_000011_create_survey_links::Migration),
            Box::new(m20261204_000012_create_drafts::Migration),
            Box::new(m20261204_000013_create_import_staging::Migration),
            Box::new(m20261206_000014_add_network_min_coverage::Migration),
            Box::new(m20261207_000015_create_training_records::Migration),
            Box::new(m20261207_000016_add_snils::Migration),
            Box::new(m20261207_000017_create_individual_routes::Migration),
            Box::new(m20261208_000018_create_list_marks::Migration),
            Box::new(m20261208_000019_create_mentoring_pairs::Migration),
            Box::new(m20261209_000020_create_pd_plans::Migration),
            Box::new(m20261209_000021_create_recommendations::Migration),
            Box::new(m20261210_000022_add_period_basis::Migration),
            Box::new(m20261210_000023_create_spravki::Migration),
            Box::new(m20261211_000024_add_kindergarten_district::Migration),
        ]
    }
}

/// Small helpers shared by the migrations: every id is a 64-bit integer, every foreign key is
/// `RESTRICT` on delete (the application never deletes; a manual delete must not cascade silently).
pub(crate) mod util {
    use sea_orm_migration::prelude::*;

    /// An auto-incremented 64-bit primary key (`INTEGER PRIMARY KEY` on SQLite, `bigserial` on
    /// PostgreSQL).
    pub fn id() -> ColumnDef {
        ColumnDef::new("id")
            .big_integer()
            .not_null()
            .auto_increment()
            .primary_key()
            .take()
    }

    /// A non-null reference column.
    pub fn reference(name: &'static str) -> ColumnDef {
        ColumnDef::new(name).big_integer().not_null().take()
    }

    /// A nullable reference column.
    pub fn optional_reference(name: &'static str) -> ColumnDef {
        ColumnDef::new(name).big_integer().null().take()
    }

    /// A foreign key from `table.column` to `target.id`.
    pub fn fk(
        table: &'static str,
        column: &'static str,
        target: &'static str,
    ) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .name(format!("fk_{table}_{column}"))
            .from(table, column)
            .to(target, "id")
            .on_delete(ForeignKeyAction::Restrict)
            .on_update(ForeignKeyAction::Restrict)
            .take()
    }

    /// A (possibly unique) index named after its table and columns.
    pub fn index(
        table: &'static str,
        columns: &[&'static str],
        unique: bool,
    ) -> IndexCreateStatement {
        let prefix = if unique { "ux" } else { "ix" };
        let mut index = Index::create();
        index
            .name(format!("{prefix}_{table}_{}", columns.join("_")))
            .table(table);
        for column in columns {
            index.col(*column);
        }
        if unique {
            index.unique();
        }
        index.take()
    }

    /// A `timestamp with time zone` column.
    pub fn timestamp(name: &'static str) -> ColumnDef {
        ColumnDef::new(name)
            .timestamp_with_time_zone()
            .not_null()
            .take()
    }

    /// A non-null text column.
    pub fn text(name: &'static str) -> ColumnDef {
        ColumnDef::new(name).string().not_null().take()
    }
}
