//! `networks.min_coverage_percent`: the share of a kindergarten's or the network's active
//! teachers (groups) below which a result has no level, change or conclusion — the network's own
//! setting.
//!
//! Expand only: nullable; NULL is the default rule (50 %).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("networks")
                    .add_column(ColumnDef::new("min_coverage_percent").integer().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("networks")
                    .drop_column("min_coverage_percent")
                    .take(),
            )
            .await
    }
}
