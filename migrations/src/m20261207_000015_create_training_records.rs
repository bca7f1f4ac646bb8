//! Training records (курсы повышения квалификации, переподготовка, семинары, стажировки): one row
//! per revision of a record about one person. A correction inserts the next revision (`root_id`
//! names the first, `supersedes_id` the one corrected, `is_latest` marks the one that counts);
//! withdrawing a record entered by mistake is a revision with `withdrawn` set. Nothing is updated
//! in place but `is_latest`, and every write has an audit entry.
//!
//! `import_key` makes a file import idempotent: the same row of the same file twice adds nothing.

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
                    .table("training_records")
                    .col(id())
                    .col(optional_reference("root_id"))
                    .col(ColumnDef::new("revision").integer().not_null())
                    .col(optional_reference("supersedes_id"))
                    .col(ColumnDef::new("is_latest").boolean().not_null())
                    .col(ColumnDef::new("withdrawn").boolean().not_null())
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(reference("person_id"))
                    .col(text("kind"))
                    .col(text("programme"))
                    .col(text("provider"))
                    .col(text("provider_type"))
                    .col(ColumnDef::new("in_federal_register").boolean().not_null())
                    .col(ColumnDef::new("hours").integer().not_null())
                    .col(ColumnDef::new("starts_on").date().not_null())
                    .col(ColumnDef::new("ends_on").date().not_null())
                    .col(ColumnDef::new("enrolled_on").date().null())
                    .col(text("form"))
                    .col(ColumnDef::new("distance").boolean().not_null())
                    .col(ColumnDef::new("document_number").string().null())
                    .col(ColumnDef::new("registration_number").string().null())
                    .col(ColumnDef::new("issued_on").date().null())
                    .col(ColumnDef::new("areas").text().not_null())
                    .col(ColumnDef::new("import_key").string().null())
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("training_records", "network_id", "networks"))
                    .foreign_key(&mut fk(
                        "training_records",
                        "kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk("training_records", "person_id", "people"))
                    .foreign_key(&mut fk("training_records", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "training_records",
                &["kindergarten_id", "is_latest"],
                false,
            ))
            .await?;
        manager
            .create_index(index("training_records", &["person_id"], false))
            .await?;
        manager
            .create_index(index(
                "training_records",
                &["network_id", "import_key"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("training_records").take())
            .await
    }
}
