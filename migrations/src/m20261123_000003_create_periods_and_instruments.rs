//! Assessment periods of a network and the registered instrument versions.
//!
//! An instrument version is stored with its canonical JSON definition (as text, byte for byte, so
//! its content hash can be re-checked) and is unique by code + version.

use sea_orm_migration::prelude::*;

use crate::util::{fk, id, index, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("periods")
                    .col(id())
                    .col(reference("network_id"))
                    .col(text("code"))
                    .col(ColumnDef::new("starts_on").date().not_null())
                    .col(ColumnDef::new("ends_on").date().not_null())
                    .col(text("status"))
                    .col(timestamp("created_at"))
                    .col(
                        ColumnDef::new("closed_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk("periods", "network_id", "networks"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("periods", &["network_id", "code"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("instruments")
                    .col(id())
                    .col(text("code"))
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(text("content_hash"))
                    .col(text("title"))
                    .col(text("kind"))
                    .col(text("respondent"))
                    .col(text("subject"))
                    .col(ColumnDef::new("definition").text().not_null())
                    .col(text("source"))
                    .col(timestamp("registered_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("instruments", &["code", "version"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["instruments", "periods"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
