//! Decisions about people on the professional-development lists (motivated, tutors, needs
//! training, consultation): one row per decision, never updated — the latest row of a list, school
//! year and person decides, the earlier ones are its history. A row without a person is the
//! agreement (or its withdrawal) of a kindergarten's list, with the agreed names in `detail`.

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
                    .table("list_marks")
                    .col(id())
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(optional_reference("person_id"))
                    .col(text("list"))
                    .col(ColumnDef::new("school_year").integer().not_null())
                    .col(text("mark"))
                    .col(ColumnDef::new("reason").string().null())
                    .col(ColumnDef::new("detail").text().null())
                    .col(reference("marked_by"))
                    .col(timestamp("marked_at"))
                    .foreign_key(&mut fk("list_marks", "network_id", "networks"))
                    .foreign_key(&mut fk("list_marks", "kindergarten_id", "kindergartens"))
                    .foreign_key(&mut fk("list_marks", "person_id", "people"))
                    .foreign_key(&mut fk("list_marks", "marked_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "list_marks",
                &["network_id", "list", "school_year"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "list_marks",
                &["kindergarten_id", "list", "school_year"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("list_marks").take())
            .await
    }
}
