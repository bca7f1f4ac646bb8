//! Who counts in a report: each revision's respondent and counting key, the instrument's counting
//! rule, a card's observation date, when the answers were given and the respondent's contact.
//!
//! * `instruments.counting`: `one_per_respondent`, `one_per_subject` or `observations`;
//! * `submissions.respondent`: who answered (`p:<person id>`, `u:<user id>`, `n:<name as
//!   written in an import>`);
//! * `submissions.count_key`: instrument version, period, subject (and respondent) for instruments
//!   that count one answer per key; NULL for observations. A unique index on the latest revisions
//!   makes a second counted submission with the same key impossible, whatever races;
//! * `submissions.observed_on`: the date of a control card's observation;
//! * `submissions.answered_at`: when the answers were given (a form's timestamp on import);
//! * `submissions.respondent_email`: the e-mail a form export gave for the respondent.
//!
//! Expand only: every column is nullable. The store fills them in for rows written before this
//! migration, once, at server start or `vsoko migrate` (`Store::repair_counting`): that is also
//! where earlier answers of the same person stop counting.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 5] = [
    "respondent",
    "count_key",
    "observed_on",
    "answered_at",
    "respondent_email",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("instruments")
                    .add_column(ColumnDef::new("counting").string().null())
                    .take(),
            )
            .await?;
        for column in COLUMNS {
            let mut definition = ColumnDef::new(column);
            match column {
                "observed_on" => definition.date(),
                "answered_at" => definition.timestamp_with_time_zone(),
                _ => definition.string(),
            };
            manager
                .alter_table(
                    Table::alter()
                        .table("submissions")
                        .add_column(definition.null().take())
                        .take(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_submissions_count_key_latest")
                    .table("submissions")
                    .col("count_key")
                    .unique()
                    .and_where(Expr::col("is_latest").eq(true))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut drop = Index::drop();
        drop.name("ux_submissions_count_key_latest")
            .table("submissions");
        manager.drop_index(drop).await?;
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("submissions")
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("instruments")
                    .drop_column("counting")
                    .take(),
            )
            .await
    }
}
