//! The import wizard of the web interface: an uploaded file kept between its steps (per account,
//! deleted when imported, or a day later), and the mapping profiles a network saves under a name
//! to reuse for the next export of the same form.

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
                    .table("import_uploads")
                    .col(id())
                    .col(reference("user_id"))
                    .col(text("file_name"))
                    .col(ColumnDef::new("bytes").blob().not_null())
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("import_uploads", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("import_uploads", &["user_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("import_profiles")
                    .col(id())
                    .col(reference("network_id"))
                    .col(text("name"))
                    .col(text("instrument_code"))
                    .col(ColumnDef::new("instrument_version").integer().not_null())
                    .col(ColumnDef::new("profile").text().not_null())
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .col(timestamp("updated_at"))
                    .foreign_key(&mut fk("import_profiles", "network_id", "networks"))
                    .foreign_key(&mut fk("import_profiles", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("import_profiles", &["network_id", "name"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("import_profiles").take())
            .await?;
        manager
            .drop_table(Table::drop().table("import_uploads").take())
            .await
    }
}
