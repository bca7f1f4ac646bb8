//! Saved справки: a справка made into a document — numbered within its network and year, dated,
//! with the methodist's edits of its conclusions and recommendations — whose numbers are frozen
//! (`document`: the whole document as JSON), so that a later correction of answers does not change
//! what was signed.

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
                    .table("spravki")
                    .col(id())
                    .col(reference("network_id"))
                    .col(optional_reference("kindergarten_id"))
                    .col(text("instrument"))
                    .col(text("period"))
                    .col(ColumnDef::new("compare_period").string().null())
                    .col(ColumnDef::new("year").integer().not_null())
                    .col(ColumnDef::new("number").integer().not_null())
                    .col(ColumnDef::new("made_on").date().not_null())
                    .col(text("title"))
                    .col(ColumnDef::new("document").text().not_null())
                    .col(reference("made_by"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("spravki", "network_id", "networks"))
                    .foreign_key(&mut fk("spravki", "kindergarten_id", "kindergartens"))
                    .foreign_key(&mut fk("spravki", "made_by", "users"))
                    .take(),
            )
            .await?;
        // One number once in a network's year: two saved at once cannot share it.
        manager
            .create_index(index("spravki", &["network_id", "year", "number"], true))
            .await?;
        manager
            .create_index(index("spravki", &["network_id", "period"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("spravki").take())
            .await
    }
}
