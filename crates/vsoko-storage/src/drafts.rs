//! Drafts of half-filled forms: one per author and form, replaced on every save, deleted when the
//! form is sent. Reports never read this table.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::draft;
use crate::error::{Result, StorageError};
use crate::model::{Draft, Id, NewDraft, SubjectRef};
use crate::model::{InstrumentVersionId, PeriodId, SubmissionId, UserId};
use crate::store::{Store, Unique};

fn to_domain(model: draft::Model) -> Result<Draft> {
    let subject = match (model.subject_kind.as_deref(), model.subject_id) {
        (Some(kind), Some(id)) => Some(SubjectRef::from_parts(kind, id).ok_or_else(|| {
            StorageError::Corrupt(format!(
                "draft {} has an unknown subject kind {kind:?}",
                model.id
            ))
        })?),
        _ => None,
    };
    Ok(Draft {
        id: model.id,
        user_id: UserId::new(model.user_id),
        form_key: model.form_key,
        instrument_id: InstrumentVersionId::new(model.instrument_id),
        period_id: PeriodId::new(model.period_id),
        subject,
        corrects: model.corrects_id.map(SubmissionId::new),
        observed_on: model.observed_on,
        idempotency_key: model.idempotency_key,
        fields: model.fields,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

impl Store {
    /// Saves the author's draft of a form, replacing an earlier one (whose idempotency key and
    /// creation time are kept).
    pub async fn save_draft(&self, new: &NewDraft<'_>) -> Result<Draft> {
        let now = crate::store::now();
        let txn = self.write().await?;
        draft::Entity::insert(draft::ActiveModel {
            id: NotSet,
            user_id: Set(new.user_id.get()),
            form_key: Set(new.form_key.to_owned()),
            instrument_id: Set(new.instrument_id.get()),
            period_id: Set(new.period_id.get()),
            subject_kind: Set(new.subject.map(|subject| subject.kind().to_owned())),
            subject_id: Set(new.subject.map(SubjectRef::raw_id)),
            corrects_id: Set(new.corrects.map(SubmissionId::get)),
            observed_on: Set(new.observed_on),
            idempotency_key: Set(new.idempotency_key.to_owned()),
            fields: Set(new.fields.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([draft::Column::UserId, draft::Column::FormKey])
                .update_columns([
                    draft::Column::InstrumentId,
                    draft::Column::PeriodId,
                    draft::Column::SubjectKind,
                    draft::Column::SubjectId,
                    draft::Column::CorrectsId,
                    draft::Column::ObservedOn,
                    draft::Column::Fields,
                    draft::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        txn.commit().await?;
        self.draft(new.user_id, new.form_key)
            .await?
            .ok_or_else(|| StorageError::Corrupt("a saved draft is missing".to_owned()))
    }

    /// The author's draft of a form, if there is one.
    pub async fn draft(&self, user_id: UserId, form_key: &str) -> Result<Option<Draft>> {
        draft::Entity::find()
            .filter(draft::Column::UserId.eq(user_id.get()))
            .filter(draft::Column::FormKey.eq(form_key))
            .unique(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// Every draft of an author, the most recently saved first.
    pub async fn drafts(&self, user_id: UserId) -> Result<Vec<Draft>> {
        draft::Entity::find()
            .filter(draft::Column::UserId.eq(user_id.get()))
            .order_by_desc(draft::Column::UpdatedAt)
            .order_by_desc(draft::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Who has a draft of a new form of a period about themselves or another subject: the
    /// instrument version and the subject of every such draft about one of `subjects` (not the
    /// drafts of corrections). What a completion list reads; nothing of the drafts' contents.
    pub async fn draft_subjects(
        &self,
        period_id: PeriodId,
        subjects: &[SubjectRef],
    ) -> Result<Vec<(Id, SubjectRef)>> {
        let mut found = Vec::new();
        for kind in ["teacher", "group", "kindergarten"] {
            let ids: Vec<Id> = subjects
                .iter()
                .filter(|subject| subject.kind() == kind)
                .map(|subject| subject.raw_id())
                .collect();
            // Bounded chunks: SQLite binds at most 32,766 parameters to a statement.
            for chunk in ids.chunks(1000) {
                let rows: Vec<(Id, Id)> = draft::Entity::find()
                    .select_only()
                    .column(draft::Column::InstrumentId)
                    .column(draft::Column::SubjectId)
                    .filter(draft::Column::PeriodId.eq(period_id.get()))
                    .filter(draft::Column::CorrectsId.is_null())
                    .filter(draft::Column::SubjectKind.eq(kind))
                    .filter(draft::Column::SubjectId.is_in(chunk.iter().copied()))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                for (instrument, id) in rows {
                    let subject = SubjectRef::from_parts(kind, id).ok_or_else(|| {
                        StorageError::Corrupt(format!("unknown subject kind {kind:?}"))
                    })?;
                    found.push((instrument, subject));
                }
            }
        }
        Ok(found)
    }

    /// Deletes the author's draft of a form (the form was sent or discarded). Returns whether
    /// there was one.
    pub async fn delete_draft(&self, user_id: UserId, form_key: &str) -> Result<bool> {
        let txn = self.write().await?;
        let result = draft::Entity::delete_many()
            .filter(draft::Column::UserId.eq(user_id.get()))
            .filter(draft::Column::FormKey.eq(form_key))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
        Ok(result.rows_affected > 0)
    }
}
