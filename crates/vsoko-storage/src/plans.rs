//! The network's calendar plan of professional development: one per network and school year.
//! The events are the app's JSON (opaque here). Every write is conditional on the version it was
//! based on (`PlanChanged` otherwise: an `UPDATE … WHERE version = ?`, so two servers cannot both
//! win), bumps it, keeps the new events as a revision with its action and reason, and records an
//! audit entry, in one transaction. An attendance writes its training records in that same
//! transaction: the plan and the records change together or not at all.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::NotSet, QueryOrder, QuerySelect, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::{pd_plan, pd_plan_agreement, pd_plan_revision};
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, TrainingRecordId, UserId};
use crate::store::Store;
use crate::training::NewTrainingRecord;

/// A stored plan.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    pub id: i64,
    pub network_id: NetworkId,
    /// The school year's first calendar year.
    pub school_year: i32,
    /// The instrument (code) and period (code) its proposal read.
    pub instrument: String,
    pub period: String,
    /// The events, the app's JSON.
    pub events: String,
    /// Writes so far (1 when made).
    pub version: u32,
    pub updated_by: UserId,
    pub updated_at: DateTime<Utc>,
}

impl From<pd_plan::Model> for StoredPlan {
    fn from(row: pd_plan::Model) -> StoredPlan {
        StoredPlan {
            id: row.id,
            network_id: NetworkId::new(row.network_id),
            school_year: row.school_year,
            instrument: row.instrument,
            period: row.period,
            events: row.events,
            version: u32::try_from(row.version).unwrap_or(0),
            updated_by: UserId::new(row.updated_by),
            updated_at: row.updated_at,
        }
    }
}

/// One version of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlanRevision {
    pub version: u32,
    /// The events of that version, the app's JSON.
    pub events: String,
    /// What the write did (the app's code: `proposed`, `event_added`, …).
    pub action: String,
    /// Why, when a reason was given.
    pub reason: Option<String>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A head's agreement of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlanAgreement {
    pub kindergarten_id: KindergartenId,
    /// The version she agreed.
    pub version: u32,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A write of a plan's events.
#[derive(Debug, Clone, Copy)]
pub struct PlanWrite<'a> {
    /// The version the write was based on.
    pub version: u32,
    /// The new events (JSON).
    pub events: &'a str,
    /// What it does (`event_added`, `event_changed`, `event_removed`, `attendance`).
    pub action: &'a str,
    /// Why (required by the app after an agreement).
    pub reason: Option<&'a str>,
}

impl Store {
    /// Makes the plan of `network` for `school_year` (version 1, its first revision
    /// `proposed`); a plan already there is a `Duplicate`.
    pub async fn create_plan(
        &self,
        actor: UserId,
        network: NetworkId,
        school_year: i32,
        source: (&str, &str),
        events: &str,
    ) -> Result<StoredPlan> {
        let txn = self.write().await?;
        let exists = pd_plan::Entity::find()
            .filter(pd_plan::Column::NetworkId.eq(network.get()))
            .filter(pd_plan::Column::SchoolYear.eq(school_year))
            .one(&*txn)
            .await?;
        if let Some(plan) = exists {
            return Err(StorageError::Duplicate {
                record: Record::Plan,
                detail: format!("plan {} of school year {school_year}", plan.id),
            });
        }
        let now = crate::store::now();
        let id = pd_plan::Entity::insert(pd_plan::ActiveModel {
            id: NotSet,
            network_id: Set(network.get()),
            school_year: Set(school_year),
            instrument: Set(source.0.to_owned()),
            period: Set(source.1.to_owned()),
            events: Set(events.to_owned()),
            version: Set(1),
            created_by: Set(actor.get()),
            created_at: Set(now),
            updated_by: Set(actor.get()),
            updated_at: Set(now),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        revise(&*txn, actor, id, 1, events, "proposed", None).await?;
        record(
            &*txn,
            Some(actor),
            "pd_plan.create",
            "pd_plan",
            id,
            json!({ "school_year": school_year, "instrument": source.0, "period": source.1 }),
        )
        .await?;
        txn.commit().await?;
        self.plan(id).await
    }

    /// A plan by id.
    pub async fn plan(&self, id: i64) -> Result<StoredPlan> {
        pd_plan::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(StoredPlan::from)
            .ok_or_else(|| StorageError::not_found(Record::Plan, id))
    }

    /// The plan of a network for a school year, if made.
    pub async fn plan_of(
        &self,
        network: NetworkId,
        school_year: i32,
    ) -> Result<Option<StoredPlan>> {
        Ok(pd_plan::Entity::find()
            .filter(pd_plan::Column::NetworkId.eq(network.get()))
            .filter(pd_plan::Column::SchoolYear.eq(school_year))
            .one(&self.db)
            .await?
            .map(StoredPlan::from))
    }

    /// The school years (first calendar years) the network has a plan of, the earliest first.
    pub async fn plan_years(&self, network: NetworkId) -> Result<Vec<i32>> {
        Ok(pd_plan::Entity::find()
            .filter(pd_plan::Column::NetworkId.eq(network.get()))
            .order_by_asc(pd_plan::Column::SchoolYear)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|plan| plan.school_year)
            .collect())
    }

    /// Writes the plan's events at `write.version` (`PlanChanged` when it moved on since), with
    /// the training records of an attendance, in one transaction. Answers the plan and, for
    /// each record, its root id and whether it was added (an import key used before adds none).
    pub async fn write_plan(
        &self,
        actor: UserId,
        id: i64,
        write: &PlanWrite<'_>,
        records: &[NewTrainingRecord<'_>],
    ) -> Result<(StoredPlan, Vec<(TrainingRecordId, bool)>)> {
        let txn = self.write().await?;
        let next = i32::try_from(write.version).unwrap_or(i32::MAX - 1) + 1;
        let changed = pd_plan::Entity::update_many()
            .col_expr(pd_plan::Column::Events, Expr::value(write.events))
            .col_expr(pd_plan::Column::Version, Expr::value(next))
            .col_expr(pd_plan::Column::UpdatedBy, Expr::value(actor.get()))
            .col_expr(pd_plan::Column::UpdatedAt, Expr::value(crate::store::now()))
            .filter(pd_plan::Column::Id.eq(id))
            .filter(pd_plan::Column::Version.eq(write.version))
            .exec(&*txn)
            .await?
            .rows_affected;
        if changed != 1 {
            if pd_plan::Entity::find_by_id(id).one(&*txn).await?.is_none() {
                return Err(StorageError::not_found(Record::Plan, id));
            }
            return Err(StorageError::PlanChanged {
                plan: id,
                version: write.version,
            });
        }
        revise(
            &*txn,
            actor,
            id,
            next,
            write.events,
            write.action,
            write.reason,
        )
        .await?;
        let mut added = Vec::with_capacity(records.len());
        for new in records {
            added.push(crate::training::insert_record(&*txn, actor, new).await?);
        }
        record(
            &*txn,
            Some(actor),
            "pd_plan.change",
            "pd_plan",
            id,
            json!({ "version": next, "action": write.action, "reason": write.reason,
                    "records": added.iter().filter(|(_, new)| *new).count() }),
        )
        .await?;
        txn.commit().await?;
        Ok((self.plan(id).await?, added))
    }

    /// The head of `kindergarten` agrees version `version` of the plan (`PlanChanged` when the
    /// plan moved on since she read it); an earlier agreement of hers is replaced.
    pub async fn agree_plan(
        &self,
        actor: UserId,
        id: i64,
        kindergarten: KindergartenId,
        version: u32,
    ) -> Result<()> {
        let txn = self.write().await?;
        // Locked for the check on PostgreSQL: a write between the check and the agreement waits.
        let mut plan = pd_plan::Entity::find_by_id(id);
        if self.is_postgres() {
            plan = plan.lock_exclusive();
        }
        let plan = plan
            .one(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Plan, id))?;
        if u32::try_from(plan.version).ok() != Some(version) {
            return Err(StorageError::PlanChanged { plan: id, version });
        }
        pd_plan_agreement::Entity::insert(pd_plan_agreement::ActiveModel {
            id: NotSet,
            plan_id: Set(id),
            kindergarten_id: Set(kindergarten.get()),
            version: Set(plan.version),
            agreed_by: Set(actor.get()),
            agreed_at: Set(crate::store::now()),
        })
        .on_conflict(
            OnConflict::columns([
                pd_plan_agreement::Column::PlanId,
                pd_plan_agreement::Column::KindergartenId,
            ])
            .update_columns([
                pd_plan_agreement::Column::Version,
                pd_plan_agreement::Column::AgreedBy,
                pd_plan_agreement::Column::AgreedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        record(
            &*txn,
            Some(actor),
            "pd_plan.agree",
            "pd_plan",
            id,
            json!({ "kindergarten_id": kindergarten, "version": version }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The agreements of a plan.
    pub async fn plan_agreements(&self, id: i64) -> Result<Vec<StoredPlanAgreement>> {
        Ok(pd_plan_agreement::Entity::find()
            .filter(pd_plan_agreement::Column::PlanId.eq(id))
            .order_by_asc(pd_plan_agreement::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| StoredPlanAgreement {
                kindergarten_id: KindergartenId::new(row.kindergarten_id),
                version: u32::try_from(row.version).unwrap_or(0),
                by: UserId::new(row.agreed_by),
                at: row.agreed_at,
            })
            .collect())
    }

    /// The versions of a plan, the first first.
    pub async fn plan_revisions(&self, id: i64) -> Result<Vec<StoredPlanRevision>> {
        Ok(pd_plan_revision::Entity::find()
            .filter(pd_plan_revision::Column::PlanId.eq(id))
            .order_by_asc(pd_plan_revision::Column::Version)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| StoredPlanRevision {
                version: u32::try_from(row.version).unwrap_or(0),
                events: row.events,
                action: row.action,
                reason: row.reason,
                by: UserId::new(row.created_by),
                at: row.created_at,
            })
            .collect())
    }
}

async fn revise(
    txn: &impl ConnectionTrait,
    actor: UserId,
    plan: i64,
    version: i32,
    events: &str,
    action: &str,
    reason: Option<&str>,
) -> Result<()> {
    pd_plan_revision::Entity::insert(pd_plan_revision::ActiveModel {
        id: NotSet,
        plan_id: Set(plan),
        version: Set(version),
        events: Set(events.to_owned()),
        action: Set(action.to_owned()),
        reason: Set(reason.map(str::to_owned)),
        created_by: Set(actor.get()),
        created_at: Set(crate::store::now()),
    })
    .exec(txn)
    .await?;
    Ok(())
}
