//! The management cycle: addressed recommendations (a deficit of a kindergarten or of a teacher
//! in a node of an instrument in a period, a text, an addressee, a responsible person, a due
//! date, the addressee's answer) and the management decisions taken on them (a plan event, an
//! order with its number and date, a mentoring pair, a route's row: what, by whom, when).

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
                    .table("recommendations")
                    .col(id())
                    .col(reference("network_id"))
                    .col(reference("kindergarten_id"))
                    .col(optional_reference("person_id"))
                    .col(text("instrument"))
                    .col(text("node"))
                    .col(text("period"))
                    .col(ColumnDef::new("body").text().not_null())
                    .col(text("addressee"))
                    .col(text("responsible"))
                    .col(ColumnDef::new("due_on").date().not_null())
                    .col(ColumnDef::new("answer").text().null())
                    .col(optional_reference("answered_by"))
                    .col(
                        ColumnDef::new("answered_at")
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(reference("created_by"))
                    .col(timestamp("created_at"))
                    .foreign_key(&mut fk("recommendations", "network_id", "networks"))
                    .foreign_key(&mut fk(
                        "recommendations",
                        "kindergarten_id",
                        "kindergartens",
                    ))
                    .foreign_key(&mut fk("recommendations", "person_id", "people"))
                    .foreign_key(&mut fk("recommendations", "answered_by", "users"))
                    .foreign_key(&mut fk("recommendations", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("recommendations", &["network_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("decisions")
                    .col(id())
                    .col(reference("recommendation_id"))
                    .col(text("kind"))
                    .col(ColumnDef::new("reference").string().null())
                    .col(ColumnDef::new("order_number").string().null())
                    .col(ColumnDef::new("order_date").date().null())
                    .col(ColumnDef::new("body").text().not_null())
                    .col(reference("decided_by"))
                    .col(timestamp("decided_at"))
                    .foreign_key(&mut fk("decisions", "recommendation_id", "recommendations"))
                    .foreign_key(&mut fk("decisions", "decided_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("decisions", &["recommendation_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["decisions", "recommendations"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
