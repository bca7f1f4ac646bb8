//! Links to an anonymous questionnaire (parents): one per group or kindergarten, instrument
//! version and period, opened by a head or a manager. Only the SHA-256 of the link's token is
//! kept; a withdrawn link keeps its row with `closed_at` set.

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
                    .table("survey_links")
                    .col(id())
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(optional_reference("group_id"))
                    .col(reference("instrument_id"))
                    .col(reference("period_id"))
                    .col(text("token_hash"))
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .col(
                        ColumnDef::new("closed_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk("survey_links", "network_id", "networks"))
                    .foreign_key(&mut fk("survey_links", "kindergarten_id", "kindergartens"))
                    .foreign_key(&mut fk("survey_links", "group_id", "groups"))
                    .foreign_key(&mut fk("survey_links", "instrument_id", "instruments"))
                    .foreign_key(&mut fk("survey_links", "period_id", "periods"))
                    .foreign_key(&mut fk("survey_links", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("survey_links", &["token_hash"], true))
            .await?;
        manager
            .create_index(index(
                "survey_links",
                &["kindergarten_id", "period_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("survey_links").take())
            .await
    }
}
