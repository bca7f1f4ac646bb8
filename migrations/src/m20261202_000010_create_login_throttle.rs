//! Failed logins per account and per client address, so that guessing passwords is slowed down
//! for every server sharing the database alike (nothing of it is kept in a server's memory).

use sea_orm_migration::prelude::*;

use crate::util::{text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(text("key").primary_key())
                    .col(ColumnDef::new("failures").integer().not_null())
                    .col(timestamp("first_failure_at"))
                    .col(
                        ColumnDef::new("blocked_until")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("login_throttle").take())
            .await
    }
}
