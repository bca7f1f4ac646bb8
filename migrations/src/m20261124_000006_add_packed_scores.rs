//! `submissions.packed_scores`: every node score and critical item of the revision in one binary
//! value (layout in `vsoko-storage`'s `packed` module), so a report reads one row per submission
//! instead of one per node.
//!
//! Expand only: the column is nullable and the `submission_scores` rows stay the reference. Rows
//! written before this migration have NULL here; the report read falls back to their score rows, and
//! `vsoko recompute` fills the column in.

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
                    .add_column(ColumnDef::new("packed_scores").blob().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("submissions")
                    .drop_column("packed_scores")
                    .take(),
            )
            .await
    }
}
