//! Mentoring pairs across kindergartens: of kindergartens (no people) or of teachers, in an area
//! of an instrument, for a school year. The department proposes a pair; the head of each
//! kindergarten agrees her side (who and when); a pair agreed by both is confirmed. A withdrawn
//! pair keeps its row, with who withdrew it and when.

use sea_orm_migration::prelude::*;

use crate::util::{fk, id, index, optional_reference, reference, text, timestamp};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn optional_timestamp(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .null()
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("mentoring_pairs")
                    .col(id())
                    .col(reference("network_id"))
                    .col(ColumnDef::new("school_year").integer().not_null())
                    .col(text("instrument"))
                    .col(text("area"))
                    .col(reference("mentee_kindergarten_id"))
                    .col(reference("mentor_kindergarten_id"))
                    .col(optional_reference("mentee_person_id"))
                    .col(optional_reference("mentor_person_id"))
                    .col(reference("proposed_by"))
                    .col(timestamp("proposed_at"))
                    .col(optional_reference("mentee_agreed_by"))
                    .col(optional_timestamp("mentee_agreed_at"))
                    .col(optional_reference("mentor_agreed_by"))
                    .col(optional_timestamp("mentor_agreed_at"))
                    .col(optional_reference("withdrawn_by"))
                    .col(optional_timestamp("withdrawn_at"))
                    .foreign_key(&mut fk("mentoring_pairs", "network_id", "networks"))
                    .foreign_key(&mut fk(
                        "mentoring_pairs",
                        "mentee_kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk(
                        "mentoring_pairs",
                        "mentor_kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk("mentoring_pairs", "mentee_person_id", "people"))
                    .foreign_key(&mut fk("mentoring_pairs", "mentor_person_id", "people"))
                    .foreign_key(&mut fk("mentoring_pairs", "proposed_by", "users"))
                    .foreign_key(&mut fk("mentoring_pairs", "mentee_agreed_by", "users"))
                    .foreign_key(&mut fk("mentoring_pairs", "mentor_agreed_by", "users"))
                    .foreign_key(&mut fk("mentoring_pairs", "withdrawn_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "mentoring_pairs",
                &["network_id", "school_year"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("mentoring_pairs").take())
            .await
    }
}
