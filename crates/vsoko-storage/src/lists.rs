//! The professional-development lists: decisions about people (append-only rows, the latest of a
//! list, school year and person decides; a row without a person is a kindergarten's agreement or
//! its withdrawal) and the staff's answers the lists are proposed from. Codes of lists and marks are
//! the app's vocabulary, opaque here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, QueryOrder, QuerySelect, QueryTrait, Set};
use serde_json::json;

use crate::audit::record;
use crate::entities::{answer, list_mark, submission};
use crate::error::{Record, Result, StorageError};
use crate::model::{
    InstrumentVersionId, KindergartenId, ListedSubmission, NetworkId, PeriodId, PersonId, Scope,
    StoredAnswer, UserId,
};
use crate::store::Store;

/// A decision as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredListMark {
    /// Id (ascending: later decisions have greater ids).
    pub id: i64,
    /// The network.
    pub network_id: NetworkId,
    /// The kindergarten whose list it is.
    pub kindergarten_id: KindergartenId,
    /// The person; `None` for the agreement of the kindergarten's list.
    pub person_id: Option<PersonId>,
    /// The list's code.
    pub list: String,
    /// The school year's first calendar year.
    pub school_year: i32,
    /// The mark's code.
    pub mark: String,
    /// Why (a dismissal), or a note.
    pub reason: Option<String>,
    /// What an agreement agreed (the app's JSON).
    pub detail: Option<String>,
    /// Who decided.
    pub marked_by: UserId,
    /// When.
    pub marked_at: DateTime<Utc>,
}

impl From<list_mark::Model> for StoredListMark {
    fn from(row: list_mark::Model) -> StoredListMark {
        StoredListMark {
            id: row.id,
            network_id: NetworkId::new(row.network_id),
            kindergarten_id: KindergartenId::new(row.kindergarten_id),
            person_id: row.person_id.map(PersonId::new),
            list: row.list,
            school_year: row.school_year,
            mark: row.mark,
            reason: row.reason,
            detail: row.detail,
            marked_by: UserId::new(row.marked_by),
            marked_at: row.marked_at,
        }
    }
}

/// A decision to store.
#[derive(Debug, Clone)]
pub struct NewListMark<'a> {
    /// The kindergarten whose list it is.
    pub kindergarten: KindergartenId,
    /// The person; `None` for the list's agreement.
    pub person: Option<PersonId>,
    /// The list's code.
    pub list: &'a str,
    /// The school year's first calendar year.
    pub school_year: i32,
    /// The mark's code.
    pub mark: &'a str,
    /// Why, or a note.
    pub reason: Option<&'a str>,
    /// What an agreement agreed.
    pub detail: Option<&'a str>,
    /// The id of the latest decision about the same person (or agreement) the caller saw;
    /// `None`: she saw none. A later one refuses the write (`ListChanged`).
    pub based_on: Option<i64>,
}

/// One latest submission of a staff survey with its node scores and its answers to the items
/// asked for.
#[derive(Debug, Clone)]
pub struct StaffAnswers {
    /// The revision with its node scores.
    pub listed: ListedSubmission,
    /// Its answers to the items asked for.
    pub answers: Vec<StoredAnswer>,
}

impl Store {
    /// Stores a decision, with its audit entry, in one transaction; refused (`ListChanged`) when
    /// the latest decision about the same person on the list (or the latest agreement) is not the
    /// one it was based on. The kindergarten's row is locked for the check on PostgreSQL (SQLite
    /// writes one at a time), so two decisions based on the same one cannot both pass.
    pub async fn add_list_mark(
        &self,
        actor: UserId,
        new: &NewListMark<'_>,
    ) -> Result<StoredListMark> {
        let txn = self.write().await?;
        let mut unit = crate::entities::kindergarten::Entity::find_by_id(new.kindergarten.get());
        if self.is_postgres() {
            unit = unit.lock_exclusive();
        }
        let unit = unit
            .one(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Kindergarten, new.kindergarten))?;
        let same = list_mark::Entity::find()
            .filter(list_mark::Column::KindergartenId.eq(unit.id))
            .filter(list_mark::Column::List.eq(new.list))
            .filter(list_mark::Column::SchoolYear.eq(new.school_year));
        let same = match new.person {
            Some(person) => same.filter(list_mark::Column::PersonId.eq(person.get())),
            None => same.filter(list_mark::Column::PersonId.is_null()),
        };
        let latest = same
            .order_by_desc(list_mark::Column::Id)
            .one(&*txn)
            .await?
            .map(|row| row.id);
        if latest != new.based_on {
            return Err(StorageError::ListChanged {
                list: new.list.to_owned(),
            });
        }
        let id = list_mark::Entity::insert(list_mark::ActiveModel {
            id: NotSet,
            network_id: Set(unit.network_id),
            kindergarten_id: Set(unit.id),
            person_id: Set(new.person.map(PersonId::get)),
            list: Set(new.list.to_owned()),
            school_year: Set(new.school_year),
            mark: Set(new.mark.to_owned()),
            reason: Set(new.reason.map(str::to_owned)),
            detail: Set(new.detail.map(str::to_owned)),
            marked_by: Set(actor.get()),
            marked_at: Set(crate::store::now()),
        })
        .exec(&*txn)
        .await?
        .last_insert_id;
        record(
            &*txn,
            Some(actor),
            "list_mark.create",
            "list_mark",
            id,
            json!({
                "kindergarten_id": unit.id,
                "person_id": new.person,
                "list": new.list,
                "school_year": new.school_year,
                "mark": new.mark,
                "reason": new.reason,
                "detail": new.detail
                    .map(|text| serde_json::from_str::<serde_json::Value>(text).unwrap_or_default()),
            }),
        )
        .await?;
        txn.commit().await?;
        let row = list_mark::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StorageError::Corrupt(format!("list mark {id} vanished")))?;
        Ok(row.into())
    }

    /// Every decision on `list` in `scope` for `school_year`, oldest first.
    pub async fn list_marks(
        &self,
        scope: Scope,
        list: &str,
        school_year: i32,
    ) -> Result<Vec<StoredListMark>> {
        let query = list_mark::Entity::find()
            .filter(list_mark::Column::List.eq(list))
            .filter(list_mark::Column::SchoolYear.eq(school_year));
        let query = match scope {
            Scope::Network(id) => query.filter(list_mark::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => query.filter(list_mark::Column::KindergartenId.eq(id.get())),
        };
        Ok(query
            .order_by_asc(list_mark::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(StoredListMark::from)
            .collect())
    }

    /// The latest submissions in `scope` of the instrument versions `instruments` in the periods
    /// `periods`, each with its node scores and its answers to `items` (2 queries).
    pub async fn staff_answers(
        &self,
        scope: Scope,
        instruments: &[InstrumentVersionId],
        periods: &[PeriodId],
        items: &[String],
    ) -> Result<Vec<StaffAnswers>> {
        if instruments.is_empty() || periods.is_empty() {
            return Ok(Vec::new());
        }
        let query = submission::Entity::find()
            .filter(submission::Column::IsLatest.eq(true))
            .filter(submission::Column::InstrumentId.is_in(instruments.iter().map(|id| id.get())))
            .filter(submission::Column::PeriodId.is_in(periods.iter().map(|id| id.get())));
        let query = match scope {
            Scope::Network(id) => query.filter(submission::Column::NetworkId.eq(id.get())),
            Scope::Kindergarten(id) => {
                query.filter(submission::Column::KindergartenId.eq(id.get()))
            }
        };
        let ids = query
            .clone()
            .select_only()
            .column(submission::Column::Id)
            .into_query();
        let mut answers: HashMap<i64, Vec<StoredAnswer>> = HashMap::new();
        if !items.is_empty() {
            for row in answer::Entity::find()
                .filter(answer::Column::SubmissionId.in_subquery(ids))
                .filter(answer::Column::ItemCode.is_in(items.iter().map(String::as_str)))
                .all(&self.db)
                .await?
            {
                answers
                    .entry(row.submission_id)
                    .or_default()
                    .push(crate::submissions::stored_answer(row));
            }
        }
        query
            .order_by_asc(submission::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|model| {
                let id = model.id;
                Ok(StaffAnswers {
                    listed: crate::submissions::listed(model)?,
                    answers: answers.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }
}
