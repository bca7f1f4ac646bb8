//! The append-only audit log: who did what to which record, and when.

use sea_orm_migration::prelude::*;

use crate::util::{fk, id, index, optional_reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(id())
                    .col(timestamp("at"))
                    .col(optional_reference("actor_user_id"))
                    .col(text("action"))
                    .col(text("entity"))
                    .col(text("entity_id"))
                    .col(ColumnDef::new("details").text().not_null())
                    .foreign_key(&mut fk("audit_log", "actor_user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("audit_log", &["entity", "entity_id"], false))
            .await?;
        manager
            .create_index(index("audit_log", &["actor_user_id", "at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("audit_log").take())
            .await
    }
}
