//! The network report's index: latest revisions of a period and instrument version in a network,
//! in kindergarten and then submission order.
//!
//! The network report reads one row per kindergarten, its submissions' packed scores concatenated
//! in submission order (`Store::load_score_table`). With the old index on (period, instrument,
//! network, is_latest) SQLite sorted the 10,000 rows of a large network — blobs included — into a
//! temporary B-tree first (27 ms against 7 ms for the scan). This index delivers them in that order;
//! it starts with the old index's columns, so it serves every query the old one did, and replaces
//! it.
//!
//! Expand and contract in one step is safe here: running code never names an index.

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD: [&str; 4] = ["period_id", "instrument_id", "network_id", "is_latest"];
const NEW: [&str; 6] = [
    "period_id",
    "instrument_id",
    "network_id",
    "is_latest",
    "kindergarten_id",
    "id",
];

fn drop(columns: &[&'static str]) -> IndexDropStatement {
    let mut statement = Index::drop();
    statement
        .name(format!("ix_submissions_{}", columns.join("_")))
        .table("submissions");
    statement
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("submissions", &NEW, false))
            .await?;
        manager.drop_index(drop(&OLD)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("submissions", &OLD, false))
            .await?;
        manager.drop_index(drop(&NEW)).await
    }
}
