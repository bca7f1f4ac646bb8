//! Saved справки: numbered within their network and calendar year, dated, the document kept as
//! it was saved (JSON), so that what was signed never changes with later corrections of answers.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, QueryOrder, QuerySelect, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::{network, spravka};
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, UserId};
use crate::store::{Store, Unique};

/// A saved справка.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSpravka {
    pub id: i64,
    pub network_id: NetworkId,
    /// The kindergarten's; `None` for the network's.
    pub kindergarten_id: Option<KindergartenId>,
    pub instrument: String,
    pub period: String,
    pub compare_period: Option<String>,
    /// Its number within the network's calendar year of `made_on`.
    pub number: u32,
    pub made_on: NaiveDate,
    /// What it is, for lists («МДОУ № 18 — Карта анализа занятия»).
    pub title: String,
    /// The document as it was saved (JSON of `vsoko_exchange::Document`).
    pub document: String,
    pub made_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl From<spravka::Model> for StoredSpravka {
    fn from(model: spravka::Model) -> Self {
        StoredSpravka {
            id: model.id,
            network_id: NetworkId::new(model.network_id),
            kindergarten_id: model.kindergarten_id.map(KindergartenId::new),
            instrument: model.instrument,
            period: model.period,
            compare_period: model.compare_period,
            number: u32::try_from(model.number).unwrap_or_default(),
            made_on: model.made_on,
            title: model.title,
            document: model.document,
            made_by: UserId::new(model.made_by),
            created_at: model.created_at,
        }
    }
}

/// A справка to save; its number is the next in its network's year.
#[derive(Debug, Clone, Copy)]
pub struct NewSpravka<'a> {
    pub network: NetworkId,
    pub kindergarten: Option<KindergartenId>,
    pub instrument: &'a str,
    pub period: &'a str,
    pub compare_period: Option<&'a str>,
    pub made_on: NaiveDate,
    pub title: &'a str,
    /// The document's JSON (its number and date are the row's, put in when it is shown).
    pub document: &'a str,
}

impl Store {
    /// Saves a справка under the next number of its network's year (the network row locked on
    /// PostgreSQL, so that two saved at once take two numbers; the unique index holds it too).
    pub async fn save_spravka(&self, actor: UserId, new: &NewSpravka<'_>) -> Result<StoredSpravka> {
        let txn = self.write().await?;
        let mut network = network::Entity::find_by_id(new.network);
        if self.is_postgres() {
            network = network.lock_exclusive();
        }
        if network.unique(&*txn).await?.is_none() {
            return Err(StorageError::not_found(Record::Network, new.network));
        }
        let year = new.made_on.year();
        let last: Option<i32> = spravka::Entity::find()
            .select_only()
            .column_as(spravka::Column::Number.max(), "number")
            .filter(spravka::Column::NetworkId.eq(new.network.get()))
            .filter(spravka::Column::Year.eq(year))
            .into_tuple::<Option<i32>>()
            .one(&*txn)
            .await?
            .flatten();
        let number = last.unwrap_or(0) + 1;
        let id = spravka::Entity::insert(spravka::ActiveModel {
            id: NotSet,
            network_id: Set(new.network.get()),
            kindergarten_id: Set(new.kindergarten.map(KindergartenId::get)),
            instrument: Set(new.instrument.to_owned()),
            period: Set(new.period.to_owned()),
            compare_period: Set(new.compare_period.map(ToOwned::to_owned)),
            year: Set(year),
            number: Set(number),
            made_on: Set(new.made_on),
            title: Set(new.title.to_owned()),
            document: Set(new.document.to_owned()),
            made_by: Set(actor.get()),
            created_at: Set(crate::store::now()),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "spravka.save",
            "spravka",
            id,
            json!({ "kindergarten_id": new.kindergarten, "instrument": new.instrument,
                    "period": new.period, "compare_period": new.compare_period,
                    "year": year, "number": number }),
        )
        .await?;
        txn.commit().await?;
        self.saved_spravka(id).await
    }

    /// One saved справка.
    pub async fn saved_spravka(&self, id: i64) -> Result<StoredSpravka> {
        spravka::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(StoredSpravka::from)
            .ok_or_else(|| StorageError::not_found(Record::Spravka, id))
    }

    /// A network's saved справки, of one period when given, newest first.
    pub async fn saved_spravki(
        &self,
        network: NetworkId,
        period: Option<&str>,
    ) -> Result<Vec<StoredSpravka>> {
        let mut query =
            spravka::Entity::find().filter(spravka::Column::NetworkId.eq(network.get()));
        if let Some(period) = period {
            query = query.filter(spravka::Column::Period.eq(period));
        }
        Ok(query
            .order_by_desc(spravka::Column::Year)
            .order_by_desc(spravka::Column::Number)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredSpravka::from)
            .collect())
    }
}
