//! Individual routes of professional development (ИОМ): one per person and school year, its
//! status (черновик → на согласовании → утверждён → выполнен / закрыт), its plan rows as a JSON
//! array (the app's shape; each write replaces them whole with an audit entry holding both), who
//! approved it and when. `version` counts the writes, so that two people editing one route do not
//! overwrite each other silently.

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
                    .table("individual_routes")
                    .col(id())
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(reference("person_id"))
                    .col(ColumnDef::new("school_year").integer().not_null())
                    .col(text("status"))
                    .col(ColumnDef::new("plan_rows").text().not_null())
                    .col(ColumnDef::new("remark").string().null())
                    .col(
                        ColumnDef::new("submitted_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new("approved_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(optional_reference("approved_by"))
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .col(timestamp("updated_at"))
                    .foreign_key(&mut fk("individual_routes", "network_id", "networks"))
                    .foreign_key(&mut fk(
                        "individual_routes",
                        "kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk("individual_routes", "person_id", "people"))
                    .foreign_key(&mut fk("individual_routes", "approved_by", "users"))
                    .foreign_key(&mut fk("individual_routes", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "individual_routes",
                &["person_id", "school_year"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "individual_routes",
                &["kindergarten_id", "school_year"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("individual_routes").take())
            .await
    }
}
