//! Reading submissions: one revision with its answers and scores, a submission's history,
//! filtered listings.

use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use vsoko_checklist::AnswerValue;
use vsoko_scoring::SubmissionScore;

use crate::entities::{answer, instrument, submission};
use crate::error::{Record, Result, StorageError};
use crate::model::{
    Id, ListedSubmission, Page, PageRequest, Scope, StoredAnswer, SubjectRef, Submission,
    SubmissionDetail, SubmissionFilter,
};
use crate::model::{
    InstrumentVersionId, KindergartenId, NetworkId, PeriodId, SubmissionId, UserId,
};
use crate::store::{Store, Unique};

pub(crate) fn to_domain(model: submission::Model) -> Result<Submission> {
    let subject =
        SubjectRef::from_parts(&model.subject_kind, model.subject_id).ok_or_else(|| {
            StorageError::Corrupt(format!(
                "submission {} has unknown subject kind {:?}",
                model.id, model.subject_kind
            ))
        })?;
    Ok(Submission {
        id: SubmissionId::new(model.id),
        root_id: SubmissionId::new(model.root_id.unwrap_or(model.id)),
        revision: u32::try_from(model.revision).unwrap_or(0),
        supersedes_id: model.supersedes_id.map(SubmissionId::new),
        is_latest: model.is_latest,
        instrument_id: InstrumentVersionId::new(model.instrument_id),
        period_id: PeriodId::new(model.period_id),
        network_id: NetworkId::new(model.network_id),
        kindergarten_id: KindergartenId::new(model.kindergarten_id),
        subject,
        author_user_id: UserId::new(model.author_user_id),
        idempotency_key: model.idempotency_key,
        answered_at: model.answered_at.unwrap_or(model.submitted_at),
        submitted_at: model.submitted_at,
        respondent: model.respondent,
        observed_on: model.observed_on,
        respondent_email: model.respondent_email,
    })
}

/// A revision with its node scores, decoded from its packed column.
pub(crate) fn listed(model: submission::Model) -> Result<ListedSubmission> {
    let id = model.id;
    let packed = model.packed_scores.clone().ok_or_else(|| {
        StorageError::Corrupt(format!(
            "submission {id} has no packed scores; run `vsoko recompute`"
        ))
    })?;
    let (nodes, critical_items) = crate::packed::unpack(&packed).map_err(|error| {
        StorageError::Corrupt(format!("packed scores of submission {id}: {}", error.0))
    })?;
    Ok(ListedSubmission {
        submission: to_domain(model)?,
        nodes,
        critical_items,
    })
}

pub(crate) fn stored_answer(row: answer::Model) -> StoredAnswer {
    StoredAnswer {
        item: row.item_code,
        value: match (row.not_applicable, row.value) {
            (false, Some(value)) => AnswerValue::Value(value),
            _ => AnswerValue::NotApplicable,
        },
        comment: row.comment,
    }
}

impl Store {
    /// One revision with its answers and scores.
    pub async fn get_submission(&self, id: SubmissionId) -> Result<SubmissionDetail> {
        let model = submission::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Submission, id))?;
        let instrument = instrument::Entity::find_by_id(model.instrument_id)
            .select_only()
            .columns([
                instrument::Column::Id,
                instrument::Column::Code,
                instrument::Column::Version,
            ])
            .into_tuple::<(Id, String, i32)>()
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Instrument, model.instrument_id))?;
        let instrument = crate::instruments::parse_id(instrument.0, &instrument.1, instrument.2)?;
        let answers = answer::Entity::find()
            .filter(answer::Column::SubmissionId.eq(id.get()))
            .order_by_asc(answer::Column::ItemCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(stored_answer)
            .collect();
        let packed = model.packed_scores.as_deref().ok_or_else(|| {
            StorageError::Corrupt(format!(
                "submission {id} has no packed scores; run `vsoko recompute`"
            ))
        })?;
        let (nodes, critical_items) = crate::packed::unpack(packed).map_err(|error| {
            StorageError::Corrupt(format!("packed scores of submission {id}: {}", error.0))
        })?;
        Ok(SubmissionDetail {
            submission: to_domain(model)?,
            score: SubmissionScore {
                instrument: instrument.clone(),
                nodes,
                critical_items,
            },
            instrument,
            answers,
        })
    }

    /// Every revision of the submission `id` belongs to, oldest first.
    pub async fn submission_history(&self, id: SubmissionId) -> Result<Vec<Submission>> {
        let model = submission::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Submission, id))?;
        let root = model.root_id.unwrap_or(model.id);
        submission::Entity::find()
            .filter(
                submission::Column::RootId
                    .eq(root)
                    .or(submission::Column::Id.eq(root)),
            )
            .order_by_asc(submission::Column::Revision)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Submissions matching a filter, ordered by id, one page at a time (2 queries).
    pub async fn list_submissions(
        &self,
        filter: &SubmissionFilter,
        page: PageRequest,
    ) -> Result<Page<Submission>> {
        let (models, total) = self.list_models(filter, page).await?;
        let items = models
            .into_iter()
            .map(to_domain)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    /// Like [`Store::list_submissions`], each revision with its node scores (decoded from the
    /// packed column the listing reads anyway): a list of control cards with their results in
    /// the same 2 queries.
    pub async fn list_scored_submissions(
        &self,
        filter: &SubmissionFilter,
        page: PageRequest,
    ) -> Result<Page<ListedSubmission>> {
        let (models, total) = self.list_models(filter, page).await?;
        let items = models.into_iter().map(listed).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }

    async fn list_models(
        &self,
        filter: &SubmissionFilter,
        page: PageRequest,
    ) -> Result<(Vec<submission::Model>, u64)> {
        let mut query = submission::Entity::find();
        if let Some(scope) = filter.scope {
            query = match scope {
                Scope::Network(id) => query.filter(submission::Column::NetworkId.eq(id.get())),
                Scope::Kindergarten(id) => {
                    query.filter(submission::Column::KindergartenId.eq(id.get()))
                }
            };
        }
        if let Some(id) = filter.period_id {
            query = query.filter(submission::Column::PeriodId.eq(id.get()));
        }
        if let Some(id) = filter.instrument_id {
            query = query.filter(submission::Column::InstrumentId.eq(id.get()));
        }
        if let Some(id) = filter.kindergarten_id {
            query = query.filter(submission::Column::KindergartenId.eq(id.get()));
        }
        if let Some(subject) = filter.subject {
            query = query
                .filter(submission::Column::SubjectKind.eq(subject.kind()))
                .filter(submission::Column::SubjectId.eq(subject.raw_id()));
        }
        if let Some(id) = filter.author_user_id {
            query = query.filter(submission::Column::AuthorUserId.eq(id.get()));
        }
        if !filter.include_superseded {
            query = query.filter(submission::Column::IsLatest.eq(true));
        }
        let total = query.clone().count(&self.db).await?;
        let models = query
            .order_by_asc(submission::Column::Id)
            // Databases count rows in i64; an offset past that is past every row all the same.
            .offset(Ord::min(page.offset, i64::MAX as u64))
            .limit(page.limit.clamp(1, 1000))
            .all(&self.db)
            .await?;
        Ok((models, total))
    }
}
