//! Mentoring pairs across kindergartens: proposed by the department, agreed by the head of each
//! side, withdrawn; every write with its audit entry in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, QueryOrder, QuerySelect, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::mentoring_pair;
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, PersonId, UserId};
use crate::store::Store;

/// A pair as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPair {
    pub id: i64,
    pub network_id: NetworkId,
    /// The school year's first calendar year.
    pub school_year: i32,
    /// The instrument's code and the area's.
    pub instrument: String,
    pub area: String,
    pub mentee_kindergarten_id: KindergartenId,
    pub mentor_kindergarten_id: KindergartenId,
    /// The teachers; `None` for a pair of kindergartens.
    pub mentee_person_id: Option<PersonId>,
    pub mentor_person_id: Option<PersonId>,
    pub proposed_by: UserId,
    pub proposed_at: DateTime<Utc>,
    /// When and by whom each side agreed.
    pub mentee_agreed: Option<(DateTime<Utc>, UserId)>,
    pub mentor_agreed: Option<(DateTime<Utc>, UserId)>,
    /// When and by whom it was withdrawn.
    pub withdrawn: Option<(DateTime<Utc>, UserId)>,
}

fn when(at: Option<DateTime<Utc>>, by: Option<i64>) -> Option<(DateTime<Utc>, UserId)> {
    Some((at?, UserId::new(by?)))
}

impl From<mentoring_pair::Model> for StoredPair {
    fn from(row: mentoring_pair::Model) -> StoredPair {
        StoredPair {
            id: row.id,
            network_id: NetworkId::new(row.network_id),
            school_year: row.school_year,
            instrument: row.instrument,
            area: row.area,
            mentee_kindergarten_id: KindergartenId::new(row.mentee_kindergarten_id),
            mentor_kindergarten_id: KindergartenId::new(row.mentor_kindergarten_id),
            mentee_person_id: row.mentee_person_id.map(PersonId::new),
            mentor_person_id: row.mentor_person_id.map(PersonId::new),
            proposed_by: UserId::new(row.proposed_by),
            proposed_at: row.proposed_at,
            mentee_agreed: when(row.mentee_agreed_at, row.mentee_agreed_by),
            mentor_agreed: when(row.mentor_agreed_at, row.mentor_agreed_by),
            withdrawn: when(row.withdrawn_at, row.withdrawn_by),
        }
    }
}

/// A pair to propose.
#[derive(Debug, Clone)]
pub struct NewPair<'a> {
    pub network: NetworkId,
    pub school_year: i32,
    pub instrument: &'a str,
    pub area: &'a str,
    pub mentee_kindergarten: KindergartenId,
    pub mentor_kindergarten: KindergartenId,
    pub mentee_person: Option<PersonId>,
    pub mentor_person: Option<PersonId>,
}

/// Which side of a pair agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairSide {
    /// The kindergarten (or teacher) mentored.
    Mentee,
    /// The mentoring one.
    Mentor,
}

impl Store {
    /// Stores a proposed pair; refused (`Duplicate`) when a pair not withdrawn already has the
    /// same school year, instrument, area and mentee (kindergarten, and teacher for a pair of
    /// teachers). The network's row is locked for the check on PostgreSQL.
    pub async fn add_pair(&self, actor: UserId, new: &NewPair<'_>) -> Result<StoredPair> {
        let txn = self.write().await?;
        let mut network = crate::entities::network::Entity::find_by_id(new.network.get());
        if self.is_postgres() {
            network = network.lock_exclusive();
        }
        if network.one(&*txn).await?.is_none() {
            return Err(StorageError::not_found(Record::Network, new.network));
        }
        let same = mentoring_pair::Entity::find()
            .filter(mentoring_pair::Column::NetworkId.eq(new.network.get()))
            .filter(mentoring_pair::Column::SchoolYear.eq(new.school_year))
            .filter(mentoring_pair::Column::Instrument.eq(new.instrument))
            .filter(mentoring_pair::Column::Area.eq(new.area))
            .filter(mentoring_pair::Column::MenteeKindergartenId.eq(new.mentee_kindergarten.get()))
            .filter(mentoring_pair::Column::WithdrawnAt.is_null());
        let same = match new.mentee_person {
            Some(person) => same.filter(mentoring_pair::Column::MenteePersonId.eq(person.get())),
            None => same.filter(mentoring_pair::Column::MenteePersonId.is_null()),
        };
        if let Some(existing) = same.one(&*txn).await? {
            return Err(StorageError::Duplicate {
                record: Record::MentoringPair,
                detail: format!("pair {} in area {}", existing.id, new.area),
            });
        }
        let id = mentoring_pair::Entity::insert(mentoring_pair::ActiveModel {
            id: NotSet,
            network_id: Set(new.network.get()),
            school_year: Set(new.school_year),
            instrument: Set(new.instrument.to_owned()),
            area: Set(new.area.to_owned()),
            mentee_kindergarten_id: Set(new.mentee_kindergarten.get()),
            mentor_kindergarten_id: Set(new.mentor_kindergarten.get()),
            mentee_person_id: Set(new.mentee_person.map(PersonId::get)),
            mentor_person_id: Set(new.mentor_person.map(PersonId::get)),
            proposed_by: Set(actor.get()),
            proposed_at: Set(crate::store::now()),
            mentee_agreed_by: Set(None),
            mentee_agreed_at: Set(None),
            mentor_agreed_by: Set(None),
            mentor_agreed_at: Set(None),
            withdrawn_by: Set(None),
            withdrawn_at: Set(None),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "mentoring_pair.create",
            "mentoring_pair",
            id,
            json!({
                "school_year": new.school_year,
                "instrument": new.instrument,
                "area": new.area,
                "mentee_kindergarten_id": new.mentee_kindergarten,
                "mentor_kindergarten_id": new.mentor_kindergarten,
                "mentee_person_id": new.mentee_person,
                "mentor_person_id": new.mentor_person,
            }),
        )
        .await?;
        txn.commit().await?;
        self.pair(id).await
    }

    /// One pair.
    pub async fn pair(&self, id: i64) -> Result<StoredPair> {
        mentoring_pair::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(StoredPair::from)
            .ok_or_else(|| StorageError::not_found(Record::MentoringPair, id))
    }

    /// The pairs of `network` for `school_year`, withdrawn ones too, oldest first.
    pub async fn pairs(&self, network: NetworkId, school_year: i32) -> Result<Vec<StoredPair>> {
        Ok(mentoring_pair::Entity::find()
            .filter(mentoring_pair::Column::NetworkId.eq(network.get()))
            .filter(mentoring_pair::Column::SchoolYear.eq(school_year))
            .order_by_asc(mentoring_pair::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredPair::from)
            .collect())
    }

    /// `side` agrees the pair (kept as it is when it agreed already, or the pair was withdrawn:
    /// the caller reads the answer), with its audit entry.
    pub async fn agree_pair(&self, actor: UserId, id: i64, side: PairSide) -> Result<StoredPair> {
        let txn = self.write().await?;
        let now = crate::store::now();
        let (at, by) = match side {
            PairSide::Mentee => (
                mentoring_pair::Column::MenteeAgreedAt,
                mentoring_pair::Column::MenteeAgreedBy,
            ),
            PairSide::Mentor => (
                mentoring_pair::Column::MentorAgreedAt,
                mentoring_pair::Column::MentorAgreedBy,
            ),
        };
        let changed = mentoring_pair::Entity::update_many()
            .col_expr(at, Expr::value(now))
            .col_expr(by, Expr::value(actor.get()))
            .filter(mentoring_pair::Column::Id.eq(id))
            .filter(at.is_null())
            .filter(mentoring_pair::Column::WithdrawnAt.is_null())
            .exec(&*txn)
            .await?
            .rows_affected;
        if changed == 1 {
            record(
                &*txn,
                Some(actor),
                "mentoring_pair.agree",
                "mentoring_pair",
                id,
                json!({ "side": match side { PairSide::Mentee => "mentee", PairSide::Mentor => "mentor" } }),
            )
            .await?;
        }
        txn.commit().await?;
        self.pair(id).await
    }

    /// Withdraws the pair (kept as it is when withdrawn already), with its audit entry.
    pub async fn withdraw_pair(&self, actor: UserId, id: i64) -> Result<StoredPair> {
        let txn = self.write().await?;
        let changed = mentoring_pair::Entity::update_many()
            .col_expr(
                mentoring_pair::Column::WithdrawnAt,
                Expr::value(crate::store::now()),
            )
            .col_expr(
                mentoring_pair::Column::WithdrawnBy,
                Expr::value(actor.get()),
            )
            .filter(mentoring_pair::Column::Id.eq(id))
            .filter(mentoring_pair::Column::WithdrawnAt.is_null())
            .exec(&*txn)
            .await?
            .rows_affected;
        if changed == 1 {
            record(
                &*txn,
                Some(actor),
                "mentoring_pair.withdraw",
                "mentoring_pair",
                id,
                json!({}),
            )
            .await?;
        }
        txn.commit().await?;
        self.pair(id).await
    }
}
