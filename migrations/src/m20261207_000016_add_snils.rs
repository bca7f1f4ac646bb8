//! The СНИЛС of a training record's recipient, kept only where the network asks for it:
//! `networks.store_snils` (off unless set) and `training_records.snils` (NULL unless the setting
//! was on when the record was imported).
//!
//! Expand only: a column with a default and a nullable one.

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
                    .add_column(
                        ColumnDef::new("store_snils")
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("training_records")
                    .add_column(ColumnDef::new("snils").string().null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("training_records")
                    .drop_column("snils")
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("networks")
                    .drop_column("store_snils")
                    .take(),
            )
            .await
    }
}
