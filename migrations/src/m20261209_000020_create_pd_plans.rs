//! The network's calendar plan of professional development: one plan per network and school
//! year, its events the application's JSON with a version bumped by every write; every version
//! kept as a revision (with the reason of a change made after an agreement); one agreement per
//! kindergarten's head, of the version she read.

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
                    .table("pd_plans")
                    .col(id())
                    .col(reference("network_id"))
                    .col(ColumnDef::new("school_year").integer().not_null())
                    .col(text("instrument"))
                    .col(text("period"))
                    .col(ColumnDef::new("events").text().not_null())
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .col(reference("updated_by"))
                    .col(timestamp("updated_at"))
                    .foreign_key(&mut fk("pd_plans", "network_id", "networks"))
                    .foreign_key(&mut fk("pd_plans", "created_by", "users"))
                    .foreign_key(&mut fk("pd_plans", "updated_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("pd_plans", &["network_id", "school_year"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pd_plan_revisions")
                    .col(id())
                    .col(reference("plan_id"))
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(ColumnDef::new("events").text().not_null())
                    .col(text("action"))
                    .col(ColumnDef::new("reason").string().null())
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("pd_plan_revisions", "plan_id", "pd_plans"))
                    .foreign_key(&mut fk("pd_plan_revisions", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("pd_plan_revisions", &["plan_id", "version"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pd_plan_agreements")
                    .col(id())
                    .col(reference("plan_id"))
                    .col(reference("kindergarten_id"))
                    .col(ColumnDef::new("version").integer().not_null())
                    .col(reference("agreed_by"))
                    .col(timestamp("agreed_at"))
                    .foreign_key(&mut fk("pd_plan_agreements", "plan_id", "pd_plans"))
                    .foreign_key(&mut fk(
                        "pd_plan_agreements",
                        "kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk("pd_plan_agreements", "agreed_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "pd_plan_agreements",
                &["plan_id", "kindergarten_id"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["pd_plan_agreements", "pd_plan_revisions", "pd_plans"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
