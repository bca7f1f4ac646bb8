//! Networks (муниципальные сети), kindergartens, their groups and staff.

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
                    .table("networks")
                    .col(id())
                    .col(text("name").unique_key())
                    .col(timestamp("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("kindergartens")
                    .col(id())
                    .col(reference("network_id"))
                    .col(text("number"))
                    .col(text("full_name"))
                    .col(text("short_name"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("kindergartens", "network_id", "networks"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("kindergartens", &["network_id", "number"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("groups")
                    .col(id())
                    .col(reference("kindergarten_id"))
                    .col(text("name"))
                    .col(text("age_group"))
                    .col(ColumnDef::new("active").boolean().not_null())
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("groups", "kindergarten_id", "kindergartens"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("groups", &["kindergarten_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("people")
                    .col(id())
                    .col(reference("kindergarten_id"))
                    .col(text("full_name"))
                    .col(text("position"))
                    .col(ColumnDef::new("active").boolean().not_null())
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("people", "kindergarten_id", "kindergartens"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("people", &["kindergarten_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["people", "groups", "kindergartens", "networks"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
