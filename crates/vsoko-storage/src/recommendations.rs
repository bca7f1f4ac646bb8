//! The management cycle's records: addressed recommendations and the decisions taken on them.
//! Every write with its audit entry in the same transaction; an answer is kept once given (a
//! later answer replaces it, the audit log keeps both).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, QueryOrder, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::{decision, recommendation};
use crate::error::{Record, Result, StorageError};
use crate::model::{KindergartenId, NetworkId, PersonId, UserId};
use crate::store::Store;

/// A stored recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecommendation {
    pub id: i64,
    pub network_id: NetworkId,
    pub kindergarten_id: KindergartenId,
    /// The teacher of a teacher's deficit.
    pub person_id: Option<PersonId>,
    /// The instrument's code, the node's code, the period's code.
    pub instrument: String,
    pub node: String,
    pub period: String,
    pub text: String,
    /// `head`, `methodist` or `teacher`.
    pub addressee: String,
    /// «ответственный» in words.
    pub responsible: String,
    pub due_on: NaiveDate,
    /// The addressee's answer: its text, when, by whom.
    pub answer: Option<(String, DateTime<Utc>, UserId)>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl From<recommendation::Model> for StoredRecommendation {
    fn from(row: recommendation::Model) -> StoredRecommendation {
        let answer = match (row.answer, row.answered_at, row.answered_by) {
            (Some(text), Some(at), Some(by)) => Some((text, at, UserId::new(by))),
            _ => None,
        };
        StoredRecommendation {
            id: row.id,
            network_id: NetworkId::new(row.network_id),
            kindergarten_id: KindergartenId::new(row.kindergarten_id),
            person_id: row.person_id.map(PersonId::new),
            instrument: row.instrument,
            node: row.node,
            period: row.period,
            text: row.body,
            addressee: row.addressee,
            responsible: row.responsible,
            due_on: row.due_on,
            answer,
            created_by: UserId::new(row.created_by),
            created_at: row.created_at,
        }
    }
}

/// A recommendation to add.
#[derive(Debug, Clone)]
pub struct NewRecommendation<'a> {
    pub network: NetworkId,
    pub kindergarten: KindergartenId,
    pub person: Option<PersonId>,
    pub instrument: &'a str,
    pub node: &'a str,
    pub period: &'a str,
    pub text: &'a str,
    pub addressee: &'a str,
    pub responsible: &'a str,
    pub due_on: NaiveDate,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDecision {
    pub id: i64,
    pub recommendation_id: i64,
    /// `plan_event`, `order`, `mentoring_pair`, `route_row` or `other`.
    pub kind: String,
    /// What it names (an event's number, a pair's id), when it names one.
    pub reference: Option<String>,
    /// An order's number and date.
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
    pub text: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

impl From<decision::Model> for StoredDecision {
    fn from(row: decision::Model) -> StoredDecision {
        StoredDecision {
            id: row.id,
            recommendation_id: row.recommendation_id,
            kind: row.kind,
            reference: row.reference,
            order_number: row.order_number,
            order_date: row.order_date,
            text: row.body,
            by: UserId::new(row.decided_by),
            at: row.decided_at,
        }
    }
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub kind: &'a str,
    pub reference: Option<&'a str>,
    pub order_number: Option<&'a str>,
    pub order_date: Option<NaiveDate>,
    pub text: &'a str,
}

impl Store {
    /// Adds a recommendation.
    pub async fn add_recommendation(
        &self,
        actor: UserId,
        new: &NewRecommendation<'_>,
    ) -> Result<StoredRecommendation> {
        let txn = self.write().await?;
        let id = recommendation::Entity::insert(recommendation::ActiveModel {
            id: NotSet,
            network_id: Set(new.network.get()),
            kindergarten_id: Set(new.kindergarten.get()),
            person_id: Set(new.person.map(PersonId::get)),
            instrument: Set(new.instrument.to_owned()),
            node: Set(new.node.to_owned()),
            period: Set(new.period.to_owned()),
            body: Set(new.text.to_owned()),
            addressee: Set(new.addressee.to_owned()),
            responsible: Set(new.responsible.to_owned()),
            due_on: Set(new.due_on),
            answer: Set(None),
            answered_by: Set(None),
            answered_at: Set(None),
            created_by: Set(actor.get()),
            created_at: Set(crate::store::now()),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "recommendation.create",
            "recommendation",
            id,
            json!({ "kindergarten_id": new.kindergarten, "person_id": new.person,
                    "instrument": new.instrument, "node": new.node, "period": new.period,
                    "addressee": new.addressee, "due_on": new.due_on }),
        )
        .await?;
        txn.commit().await?;
        self.recommendation(id).await
    }

    /// One recommendation.
    pub async fn recommendation(&self, id: i64) -> Result<StoredRecommendation> {
        recommendation::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(StoredRecommendation::from)
            .ok_or_else(|| StorageError::not_found(Record::Recommendation, id))
    }

    /// The recommendations of a network (of one kindergarten when given), oldest first.
    pub async fn recommendations(
        &self,
        network: NetworkId,
        kindergarten: Option<KindergartenId>,
    ) -> Result<Vec<StoredRecommendation>> {
        let mut query = recommendation::Entity::find()
            .filter(recommendation::Column::NetworkId.eq(network.get()));
        if let Some(unit) = kindergarten {
            query = query.filter(recommendation::Column::KindergartenId.eq(unit.get()));
        }
        Ok(query
            .order_by_asc(recommendation::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredRecommendation::from)
            .collect())
    }

    /// The addressee's answer.
    pub async fn answer_recommendation(
        &self,
        actor: UserId,
        id: i64,
        answer: &str,
    ) -> Result<StoredRecommendation> {
        let txn = self.write().await?;
        let changed = recommendation::Entity::update_many()
            .col_expr(recommendation::Column::Answer, Expr::value(answer))
            .col_expr(recommendation::Column::AnsweredBy, Expr::value(actor.get()))
            .col_expr(
                recommendation::Column::AnsweredAt,
                Expr::value(crate::store::now()),
            )
            .filter(recommendation::Column::Id.eq(id))
            .exec(&*txn)
            .await?
            .rows_affected;
        if changed != 1 {
            return Err(StorageError::not_found(Record::Recommendation, id));
        }
        record(
            &*txn,
            Some(actor),
            "recommendation.answer",
            "recommendation",
            id,
            json!({ "answer": answer }),
        )
        .await?;
        txn.commit().await?;
        self.recommendation(id).await
    }

    /// Records a decision on a recommendation.
    pub async fn add_decision(
        &self,
        actor: UserId,
        recommendation_id: i64,
        new: &NewDecision<'_>,
    ) -> Result<StoredDecision> {
        let txn = self.write().await?;
        if recommendation::Entity::find_by_id(recommendation_id)
            .one(&*txn)
            .await?
            .is_none()
        {
            return Err(StorageError::not_found(
                Record::Recommendation,
                recommendation_id,
            ));
        }
        let id = decision::Entity::insert(decision::ActiveModel {
            id: NotSet,
            recommendation_id: Set(recommendation_id),
            kind: Set(new.kind.to_owned()),
            reference: Set(new.reference.map(str::to_owned)),
            order_number: Set(new.order_number.map(str::to_owned)),
            order_date: Set(new.order_date),
            body: Set(new.text.to_owned()),
            decided_by: Set(actor.get()),
            decided_at: Set(crate::store::now()),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "recommendation.decision",
            "recommendation",
            recommendation_id,
            json!({ "decision_id": id, "kind": new.kind, "reference": new.reference,
                    "order_number": new.order_number, "order_date": new.order_date,
                    "text": new.text }),
        )
        .await?;
        txn.commit().await?;
        decision::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(StoredDecision::from)
            .ok_or_else(|| StorageError::Corrupt(format!("decision {id} vanished")))
    }

    /// The decisions on the recommendations of a network (on one of them, when given), oldest
    /// first.
    pub async fn decisions(
        &self,
        network: NetworkId,
        recommendation: Option<i64>,
    ) -> Result<Vec<StoredDecision>> {
        use sea_orm::sea_query::Query;
        let of_network = Query::select()
            .column(recommendation::Column::Id)
            .from(recommendation::Entity)
            .and_where(recommendation::Column::NetworkId.eq(network.get()))
            .to_owned();
        let mut query = decision::Entity::find()
            .filter(decision::Column::RecommendationId.in_subquery(of_network));
        if let Some(id) = recommendation {
            query = query.filter(decision::Column::RecommendationId.eq(id));
        }
        Ok(query
            .order_by_asc(decision::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredDecision::from)
            .collect())
    }
}
