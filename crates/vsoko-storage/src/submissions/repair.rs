//! Rows written before migration 9 brought under the counting rule: each revision gets its
//! respondent and counting key, and where a person answered the same survey twice in a period
//! only the later answer keeps counting. Nothing is deleted: the earlier answer's latest revision
//! stops being `is_latest`, with an audit entry naming the one that counts.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use vsoko_checklist::Counting;

use crate::entities::{instrument, submission, user};
use crate::error::Result;
use crate::instruments::{counting_of, rebuild};
use crate::model::{CountingRepair, Id, RespondentRef, SubjectRef};
use crate::store::Store;

use super::write::key_of;
use crate::model::{PersonId, UserId};

/// What the repair needs of an instrument version.
struct Rule {
    counting: Counting,
    /// A teacher's survey about herself: the respondent is the subject.
    self_assessment: bool,
}

impl Store {
    /// Whether rows from before migration 9 still lack their respondent and counting key (or an
    /// instrument its counting rule): [`Store::repair_counting`] is due.
    pub async fn needs_repair(&self) -> Result<bool> {
        let instruments = instrument::Entity::find()
            .select_only()
            .column(instrument::Column::Id)
            .filter(instrument::Column::Counting.is_null())
            .limit(1)
            .into_tuple::<Id>()
            .all(&self.db)
            .await?;
        let submissions = submission::Entity::find()
            .select_only()
            .column(submission::Column::Id)
            .filter(submission::Column::Respondent.is_null())
            .limit(1)
            .into_tuple::<Id>()
            .all(&self.db)
            .await?;
        Ok(!instruments.is_empty() || !submissions.is_empty())
    }

    /// Brings rows written before the counting rule under it, in one transaction: each revision
    /// gets its respondent (the subject of a teacher's survey about herself, else the author's
    /// person or account) and counting key; among the latest revisions with one key, the most
    /// recent (highest id) keeps counting and the others stop (`is_latest = false`, an audit
    /// entry `submission.superseded` each). Running it again changes nothing.
    pub async fn repair_counting(&self) -> Result<CountingRepair> {
        let txn = self.write().await?;
        let mut repair = CountingRepair::default();
        for model in instrument::Entity::find()
            .filter(instrument::Column::Counting.is_null())
            .all(&*txn)
            .await?
        {
            let counting = rebuild(&model)?.counting();
            instrument::Entity::update_many()
                .col_expr(instrument::Column::Counting, Expr::value(counting.as_str()))
                .filter(instrument::Column::Id.eq(model.id))
                .exec(&*txn)
                .await?;
        }
        let mut rules = HashMap::new();
        type InstrumentRow = (Id, String, String, String, Option<String>);
        let instruments: Vec<InstrumentRow> = instrument::Entity::find()
            .select_only()
            .columns([
                instrument::Column::Id,
                instrument::Column::Kind,
                instrument::Column::Respondent,
                instrument::Column::Subject,
                instrument::Column::Counting,
            ])
            .into_tuple()
            .all(&*txn)
            .await?;
        for (id, kind, respondent, subject, counting) in instruments {
            rules.insert(
                id,
                Rule {
                    counting: counting_of(id, &kind, counting.as_deref())?,
                    self_assessment: respondent == "teacher" && subject == "teacher",
                },
            );
        }
        let persons: HashMap<Id, Option<Id>> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::PersonId])
            .into_tuple::<(Id, Option<Id>)>()
            .all(&*txn)
            .await?
            .into_iter()
            .collect();
        type Row = (Id, Id, Id, Id, String, Id, Id, bool);
        let rows: Vec<Row> = submission::Entity::find()
            .select_only()
            .columns([
                submission::Column::Id,
                submission::Column::InstrumentId,
                submission::Column::PeriodId,
                submission::Column::KindergartenId,
                submission::Column::SubjectKind,
                submission::Column::SubjectId,
                submission::Column::AuthorUserId,
                submission::Column::IsLatest,
            ])
            .filter(submission::Column::Respondent.is_null())
            .order_by_asc(submission::Column::Id)
            .into_tuple()
            .all(&*txn)
            .await?;
        // Every row's respondent and key first, in memory …
        let mut filled = Vec::with_capacity(rows.len());
        for (id, instrument_id, period_id, _, kind, subject_id, author, latest) in rows {
            let Some(rule) = rules.get(&instrument_id) else {
                continue;
            };
            let subject = SubjectRef::from_parts(&kind, subject_id).ok_or_else(|| {
                crate::StorageError::Corrupt(format!("submission {id} has subject kind {kind:?}"))
            })?;
            let respondent = match (rule.self_assessment, subject) {
                (true, SubjectRef::Teacher(person)) => RespondentRef::Person(person),
                _ => match persons.get(&author).copied().flatten() {
                    Some(person) => RespondentRef::Person(PersonId::new(person)),
                    None => RespondentRef::User(UserId::new(author)),
                },
            };
            let key = key_of(
                (instrument_id, period_id),
                subject,
                &respondent,
                rule.counting,
            );
            filled.push((id, latest, respondent.key(), key));
        }
        // … then the latest revisions that share a key, with those that already carry one
        // (written by this version): the most recent (highest id) counts.
        let mut by_key: HashMap<String, Vec<Id>> = HashMap::new();
        for (key, id) in submission::Entity::find()
            .select_only()
            .columns([submission::Column::CountKey, submission::Column::Id])
            .filter(submission::Column::CountKey.is_not_null())
            .filter(submission::Column::IsLatest.eq(true))
            .into_tuple::<(String, Id)>()
            .all(&*txn)
            .await?
        {
            by_key.entry(key).or_default().push(id);
        }
        for (id, latest, _, key) in &filled {
            if let (true, Some(key)) = (latest, key) {
                by_key.entry(key.clone()).or_default().push(*id);
            }
        }
        for ids in by_key.values() {
            let Some(&winner) = ids.iter().max() else {
                continue;
            };
            for &loser in ids.iter().filter(|&&id| id != winner) {
                submission::Entity::update_many()
                    .col_expr(submission::Column::IsLatest, false.into())
                    .filter(submission::Column::Id.eq(loser))
                    .exec(&*txn)
                    .await?;
                crate::audit::record(
                    &*txn,
                    None,
                    "submission.superseded",
                    "submission",
                    loser,
                    json!({
                        "counted": winner,
                        "reason": "an earlier answer of the same respondent in the period; the later one counts",
                    }),
                )
                .await?;
                repair.superseded += 1;
            }
        }
        for (id, _, respondent, key) in filled {
            submission::Entity::update_many()
                .col_expr(submission::Column::Respondent, Expr::value(respondent))
                .col_expr(submission::Column::CountKey, Expr::value(key))
                .filter(submission::Column::Id.eq(id))
                .exec(&*txn)
                .await?;
            repair.filled += 1;
        }
        txn.commit().await?;
        Ok(repair)
    }
}
