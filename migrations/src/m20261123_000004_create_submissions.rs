//! Submissions (every revision is a row), their answers and their cached scores.
//!
//! A correction inserts a new row with `revision + 1`, `root_id` of the first revision (NULL on the
//! first revision itself, which is its own root) and `supersedes_id` of the corrected one, and flips
//! `is_latest` of the corrected one: that flag is the only column ever updated. `network_id` is denormalised from the kindergarten so the report read
//! («every latest submission of a period and instrument in a network») is one index range.

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
                    .table("submissions")
                    .col(id())
                    .col(optional_reference("root_id"))
                    .col(ColumnDef::new("revision").integer().not_null())
                    .col(optional_reference("supersedes_id"))
                    .col(ColumnDef::new("is_latest").boolean().not_null())
                    .col(reference("instrument_id"))
                    .col(reference("period_id"))
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(text("subject_kind"))
                    .col(reference("subject_id"))
                    .col(reference("author_user_id"))
                    .col(ColumnDef::new("idempotency_key").string().null())
                    .col(timestamp("submitted_at"))
                    .foreign_key(&mut fk("submissions", "root_id", "submissions"))
                    .foreign_key(&mut fk("submissions", "supersedes_id", "submissions"))
                    .foreign_key(&mut fk("submissions", "instrument_id", "instruments"))
                    .foreign_key(&mut fk("submissions", "period_id", "periods"))
                    .foreign_key(&mut fk("submissions", "network_id", "networks"))
                    .foreign_key(&mut fk("submissions", "kindergarten_id", "kindergartens"))
                    .foreign_key(&mut fk("submissions", "author_user_id", "users"))
                    .take(),
            )
            .await?;
        // Idempotency: one key per author (NULL keys — corrections without one — never collide).
        manager
            .create_index(index(
                "submissions",
                &["author_user_id", "idempotency_key"],
                true,
            ))
            .await?;
        // One row per revision of a submission: two concurrent corrections cannot both win.
        manager
            .create_index(index("submissions", &["root_id", "revision"], true))
            .await?;
        // Report reads for a network and for a kindergarten, and the scoped listings.
        manager
            .create_index(index(
                "submissions",
                &["period_id", "instrument_id", "network_id", "is_latest"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "submissions",
                &["kindergarten_id", "period_id", "instrument_id", "is_latest"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "submissions",
                &["subject_kind", "subject_id", "period_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index("submissions", &["supersedes_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("answers")
                    .col(reference("submission_id"))
                    .col(text("item_code"))
                    .col(ColumnDef::new("value").double().null())
                    .col(ColumnDef::new("not_applicable").boolean().not_null())
                    .col(ColumnDef::new("comment").text().null())
                    .primary_key(Index::create().col("submission_id").col("item_code"))
                    .foreign_key(&mut fk("answers", "submission_id", "submissions"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("submission_scores")
                    .col(reference("submission_id"))
                    .col(ColumnDef::new("position").integer().not_null())
                    .col(text("node_kind"))
                    .col(text("node_code"))
                    .col(ColumnDef::new("percent").double().null())
                    .col(ColumnDef::new("level").string().null())
                    .col(ColumnDef::new("coverage").double().not_null())
                    .col(ColumnDef::new("n_items").integer().not_null())
                    .col(ColumnDef::new("n_answered").integer().not_null())
                    .col(ColumnDef::new("critical").boolean().not_null())
                    .col(ColumnDef::new("deficit").boolean().not_null())
                    .primary_key(Index::create().col("submission_id").col("position"))
                    .foreign_key(&mut fk("submission_scores", "submission_id", "submissions"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("submission_critical_items")
                    .col(reference("submission_id"))
                    .col(text("item_code"))
                    .primary_key(Index::create().col("submission_id").col("item_code"))
                    .foreign_key(&mut fk(
                        "submission_critical_items",
                        "submission_id",
                        "submissions",
                    ))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "submission_critical_items",
            "submission_scores",
            "answers",
            "submissions",
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
