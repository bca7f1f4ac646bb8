//! A kindergarten's district (`kindergartens.district`: район or микрорайон), set by the
//! department: the mentoring pairs prefer, among equally strong kindergartens, one of the same
//! district.
//!
//! Expand only: nullable; a kindergarten without one is paired by strength and load alone.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("kindergartens")
                    .add_column(ColumnDef::new("district").text().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("kindergartens")
                    .drop_column("district")
                    .take(),
            )
            .await
    }
}
