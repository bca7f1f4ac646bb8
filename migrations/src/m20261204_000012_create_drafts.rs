//! Drafts of half-filled forms, kept on the server so that a form can be resumed on another
//! device. A draft belongs to one account (`user_id`) and one form (`form_key`: a new form of an
//! instrument version, period and subject, or the correction of a submission); it holds the raw
//! field values as typed, is never read by a report, and is deleted when the form is sent — the
//! only rows the application deletes, since a draft is its author's scratch, not a record.

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
                    .table("drafts")
                    .col(id())
                    .col(reference("user_id"))
                    .col(text("form_key"))
                    .col(reference("instrument_id"))
                    .col(reference("period_id"))
                    .col(ColumnDef::new("subject_kind").string().null())
                    .col(optional_reference("subject_id"))
                    .col(optional_reference("corrects_id"))
                    .col(ColumnDef::new("observed_on").date().null())
                    .col(text("idempotency_key"))
                    .col(ColumnDef::new("fields").text().not_null())
                    .col(timestamp("created_at"))
                    .col(timestamp("updated_at"))
                    .foreign_key(&mut fk("drafts", "user_id", "users"))
                    .foreign_key(&mut fk("drafts", "instrument_id", "instruments"))
                    .foreign_key(&mut fk("drafts", "period_id", "periods"))
                    .foreign_key(&mut fk("drafts", "corrects_id", "submissions"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("drafts", &["user_id", "form_key"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("drafts").take())
            .await
    }
}
