//! Individual routes (ИОМ): one per person and school year. The plan rows are the app's JSON
//! (opaque here); every write checks the version it was based on (`RouteChanged` otherwise), bumps
//! it, and records an audit entry with what changed, in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, QueryOrder, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::individual_route as route;
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, PersonId, RouteId, Scope, UserId};
use crate::store::Store;

/// A stored route.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRoute {
    /// Id.
    pub id: RouteId,
    /// The network.
    pub network_id: NetworkId,
    /// The person's kindergarten when the route was made.
    pub kindergarten_id: KindergartenId,
    /// Whose route.
    pub person_id: PersonId,
    /// The school year's first calendar year (2025 for 2025/2026).
    pub school_year: i32,
    /// The status code (the app's vocabulary).
    pub status: String,
    /// The plan rows, the app's JSON.
    pub rows: String,
    /// The head's remark when she returned it.
    pub remark: Option<String>,
    /// When it was last sent for approval.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When it was approved, and by whom.
    pub approved: Option<(DateTime<Utc>, UserId)>,
    /// Writes so far (1 when made).
    pub version: u32,
    /// When it was last written.
    pub updated_at: DateTime<Utc>,
}

impl From<route::Model> for StoredRoute {
    fn from(row: route::Model) -> StoredRoute {
        StoredRoute {
            id: RouteId::new(row.id),
            network_id: NetworkId::new(row.network_id),
            kindergarten_id: KindergartenId::new(row.kindergarten_id),
            person_id: PersonId::new(row.person_id),
            school_year: row.school_year,
            status: row.status,
            rows: row.plan_rows,
            remark: row.remark,
            submitted_at: row.submitted_at,
            approved: row.approved_at.zip(row.approved_by.map(UserId::new)),
            version: u32::try_from(row.version).unwrap_or(0),
            updated_at: row.updated_at,
        }
    }
}

/// A change of a route: its rows, its status, or both; what is `None` stays.
#[derive(Debug, Clone, Default)]
pub struct RouteChange<'a> {
    /// New plan rows (JSON).
    pub rows: Option<&'a str>,
    /// New status, with the remark to keep (`None` clears it).
    pub status: Option<(&'a str, Option<&'a str>)>,
    /// The status is «на согласовании»: stamp `submitted_at`.
    pub submitted: bool,
    /// The status is «утверждён»: stamp `approved_at` and `approved_by` (the actor).
    pub approved: bool,
}

impl Store {
    /// Makes the route of `person` for `school_year` with `rows` and `status` (version 1); a
    /// route already there for that person and year is a `Duplicate`.
    pub async fn create_route(
        &self,
        actor: UserId,
        person: PersonId,
        school_year: i32,
        status: &str,
        rows: &str,
    ) -> Result<StoredRoute> {
        let txn = self.write().await?;
        let found = crate::entities::person::Entity::find_by_id(person.get())
            .one(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Person, person))?;
        let unit = crate::entities::kindergarten::Entity::find_by_id(found.kindergarten_id)
            .one(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Kindergarten, found.kindergarten_id))?;
        let exists = route::Entity::find()
            .filter(route::Column::PersonId.eq(person.get()))
            .filter(route::Column::SchoolYear.eq(school_year))
            .one(&*txn)
            .await?;
        if exists.is_some() {
            return Err(StorageError::Duplicate {
                record: Record::Route,
                detail: format!("person {person}, school year {school_year}"),
            });
        }
        let now = crate::store::now();
        let id = route::Entity::insert(route::ActiveModel {
            id: NotSet,
            network_id: Set(unit.network_id),
            kindergarten_id: Set(unit.id),
            person_id: Set(person.get()),
            school_year: Set(school_year),
            status: Set(status.to_owned()),
            plan_rows: Set(rows.to_owned()),
            remark: Set(None),
            submitted_at: Set(None),
            approved_at: Set(None),
            approved_by: Set(None),
            version: Set(1),
            created_by: Set(actor.get()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "individual_route.create",
            "individual_route",
            id,
            json!({ "person_id": person, "school_year": school_year, "status": status,
                    "rows": serde_json::from_str::<serde_json::Value>(rows).unwrap_or_default() }),
        )
        .await?;
        txn.commit().await?;
        self.route(RouteId::new(id)).await
    }

    /// Applies `change` to the route at `version` (`RouteChanged` when it moved on since).
    pub async fn change_route(
        &self,
        actor: UserId,
        id: RouteId,
        version: u32,
        change: &RouteChange<'_>,
    ) -> Result<StoredRoute> {
        let txn = self.write().await?;
        let old = route::Entity::find_by_id(id.get())
            .one(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Route, id))?;
        if u32::try_from(old.version).ok() != Some(version) {
            return Err(StorageError::RouteChanged { route: id, version });
        }
        let now = crate::store::now();
        let mut row: route::ActiveModel = old.clone().into();
        row.version = Set(old.version + 1);
        row.updated_at = Set(now);
        if let Some(rows) = change.rows {
            row.plan_rows = Set(rows.to_owned());
        }
        if let Some((status, remark)) = change.status {
            row.status = Set(status.to_owned());
            row.remark = Set(remark.map(str::to_owned));
        }
        if change.submitted {
            row.submitted_at = Set(Some(now));
        }
        if change.approved {
            row.approved_at = Set(Some(now));
            row.approved_by = Set(Some(actor.get()));
        }
        row.update(&*txn).await?;
        let parse =
            |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap_or_default();
        record(
            &*txn,
            Some(actor),
            "individual_route.change",
            "individual_route",
            id.get(),
            json!({
                "version": old.version + 1,
                "status": change.status.map(|(status, _)| json!({"from": old.status, "to": status})),
                "remark": change.status.and_then(|(_, remark)| remark),
                "rows": change.rows.map(|rows| json!({"from": parse(&old.plan_rows), "to": parse(rows)})),
            }),
        )
        .await?;
        txn.commit().await?;
        self.route(id).await
    }

    /// A route by id.
    pub async fn route(&self, id: RouteId) -> Result<StoredRoute> {
        route::Entity::find_by_id(id.get())
            .one(&self.db)
            .await?
            .map(StoredRoute::from)
            .ok_or_else(|| StorageError::not_found(Record::Route, id))
    }

    /// The route of a person for a school year, if made.
    pub async fn route_of(
        &self,
        person: PersonId,
        school_year: i32,
    ) -> Result<Option<StoredRoute>> {
        Ok(route::Entity::find()
            .filter(route::Column::PersonId.eq(person.get()))
            .filter(route::Column::SchoolYear.eq(school_year))
            .one(&self.db)
            .await?
            .map(StoredRoute::from))
    }

    /// The routes of a scope for a school year.
    pub async fn routes(&self, scope: Scope, school_year: i32) -> Result<Vec<StoredRoute>> {
        let query = route::Entity::find().filter(route::Column::SchoolYear.eq(school_year));
        let query = match scope {
            Scope::Network(network) => query.filter(route::Column::NetworkId.eq(network.get())),
            Scope::Kindergarten(unit) => query.filter(route::Column::KindergartenId.eq(unit.get())),
        };
        Ok(query
            .order_by_asc(route::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredRoute::from)
            .collect())
    }
}
