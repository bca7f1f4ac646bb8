//! `submissions.request_hash`: SHA-256 of what a submission was made of (instrument version,
//! period, kindergarten, subject and every answer), so that an idempotency key used again for
//! *different* content is refused instead of silently returning the first submission.
//!
//! Expand only: nullable; rows written before this migration have NULL and a repeated key still
//! returns them as before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("submissions")
                    .add_column(ColumnDef::new("request_hash").string().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("submissions")
                    .drop_column("request_hash")
                    .take(),
            )
            .await
    }
}
