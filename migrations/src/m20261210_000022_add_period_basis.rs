//! The основание of a period's assessment — the order or the ВСОКО plan it is held under, with
//! its number and date (`periods.basis_title`, `basis_number`, `basis_date`) — set by the
//! methodist and printed at the head of every справка of the period.
//!
//! Expand only: nullable; a period without it prints «основание не указано».

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One column per statement: SQLite adds one at a time.
const COLUMNS: [&str; 3] = ["basis_title", "basis_number", "basis_date"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            let mut definition = ColumnDef::new(column);
            if column == "basis_date" {
                definition.date();
            } else {
                definition.text();
            }
            manager
                .alter_table(
                    Table::alter()
                        .table("periods")
                        .add_column(definition.null())
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS.into_iter().rev() {
            manager
                .alter_table(Table::alter().table("periods").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
