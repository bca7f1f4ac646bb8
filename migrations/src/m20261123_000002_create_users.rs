//! Accounts and their API tokens.
//!
//! A user's scope is its network (`kindergarten_id` NULL) or one kindergarten of it; `network_id` is
//! always set so scoped queries need no join. Tokens are stored only as a SHA-256 hash.

use sea_orm_migration::prelude::*;

use crate::util::{fk, id, index, optional_reference, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(id())
                    .col(text("login").unique_key())
                    .col(text("password_hash"))
                    .col(text("role"))
                    .col(reference("network_id"))
                    .col(optional_reference("kindergarten_id"))
                    .col(optional_reference("person_id"))
                    .col(ColumnDef::new("active").boolean().not_null())
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("users", "network_id", "networks"))
                    .foreign_key(&mut fk("users", "kindergarten_id", "kindergartens"))
                    .foreign_key(&mut fk("users", "person_id", "people"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("users", &["network_id", "kindergarten_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .col(id())
                    .col(text("token_hash").unique_key())
                    .col(reference("user_id"))
                    .col(timestamp("created_at"))
                    .col(timestamp("expires_at"))
                    .col(
                        ColumnDef::new("revoked_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk("api_tokens", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("api_tokens", &["user_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["api_tokens", "users"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
