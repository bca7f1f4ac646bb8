//! The rows a submission writes, built as plain bind values in column order (`crate::rows`): the
//! revision, its answers, its audit entry. Each column list sits next to its row builder; a test
//! checks every list against its sea-orm entity.

use sea_orm::Value;
use serde_json::json;
use vsoko_checklist::{AnswerSheet, AnswerValue};
use vsoko_scoring::SubmissionScore;

use crate::entities::submission;
use crate::error::{Result, StorageError};
use crate::model::{Id, NewSubmission};
use crate::rows::Rows;

use super::Checked;
use crate::model::SubmissionId;

/// The columns of `answers`, in the order of [`answer_rows`]' values.
const ANSWER_COLUMNS: [&str; 5] = [
    "submission_id",
    "item_code",
    "value",
    "not_applicable",
    "comment",
];

/// The columns of `submissions` but its id, in the order of [`submission_row`]'s values.
const SUBMISSION_COLUMNS: [&str; 20] = [
    "root_id",
    "revision",
    "supersedes_id",
    "is_latest",
    "instrument_id",
    "period_id",
    "network_id",
    "kindergarten_id",
    "subject_kind",
    "subject_id",
    "author_user_id",
    "idempotency_key",
    "submitted_at",
    "packed_scores",
    "request_hash",
    "respondent",
    "count_key",
    "observed_on",
    "answered_at",
    "respondent_email",
];

/// No `answers` rows yet, room for `capacity`.
pub(crate) fn answers_table(capacity: usize) -> Rows<5> {
    Rows::with_capacity("answers", ANSWER_COLUMNS, capacity)
}

/// No `submissions` rows yet, room for `capacity`.
pub(crate) fn submissions_table(capacity: usize) -> Rows<20> {
    Rows::with_capacity("submissions", SUBMISSION_COLUMNS, capacity)
}

/// The rows of a submission's answers.
pub(crate) fn answer_rows(rows: &mut Rows<5>, submission_id: SubmissionId, answers: &AnswerSheet) {
    for (code, answer) in answers.iter() {
        let (value, not_applicable) = match answer.value {
            AnswerValue::Value(value) => (Some(value), false),
            AnswerValue::NotApplicable => (None, true),
        };
        rows.push([
            submission_id.get().into(),
            code.to_string().into(),
            value.into(),
            not_applicable.into(),
            answer.comment.clone().into(),
        ]);
    }
}

/// The values of a revision's row, its id left to the database.
pub(crate) fn submission_row(model: &submission::Model) -> [Value; 20] {
    [
        model.root_id.into(),
        model.revision.into(),
        model.supersedes_id.into(),
        model.is_latest.into(),
        model.instrument_id.into(),
        model.period_id.into(),
        model.network_id.into(),
        model.kindergarten_id.into(),
        model.subject_kind.clone().into(),
        model.subject_id.into(),
        model.author_user_id.into(),
        model.idempotency_key.clone().into(),
        model.submitted_at.into(),
        model.packed_scores.clone().into(),
        model.request_hash.clone().into(),
        model.respondent.clone().into(),
        model.count_key.clone().into(),
        model.observed_on.into(),
        model.answered_at.into(),
        model.respondent_email.clone().into(),
    ]
}

/// The packed form of a revision's scores for `submissions.packed_scores` (see `crate::packed`):
/// the only copy of a revision's scores.
pub(crate) fn packed_scores(score: &SubmissionScore) -> Result<Vec<u8>> {
    crate::packed::pack(score).map_err(|error| StorageError::Invalid(error.0))
}

/// The audit entry of a new submission stored as `id`.
pub(crate) fn created_entry(
    new: &NewSubmission<'_>,
    checked: &Checked,
    period_code: &str,
    id: Id,
) -> [Value; 6] {
    crate::audit::entry(
        Some(new.author_user_id),
        "submission.create",
        "submission",
        id,
        json!({
            "instrument": checked.instrument.to_string(),
            "period": period_code,
            "kindergarten_id": new.kindergarten_id,
            "subject": { "kind": new.subject.kind(), "id": new.subject.raw_id() },
            "respondent": new.respondent.key(),
            "idempotency_key": new.idempotency_key,
            "answers": new.answers.len(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::*;
    use crate::entities::{answer, audit};

    /// The column names of an entity, but an auto-increment `id`.
    fn entity_columns<E: EntityTrait>(entity: E) -> (String, Vec<String>) {
        let columns = E::Column::iter()
            .map(|column| column.as_str().to_owned())
            .filter(|column| column != "id")
            .collect();
        (entity.table_name().to_owned(), columns)
    }

    fn listed<const N: usize>(rows: &Rows<N>) -> (String, Vec<String>) {
        let columns = rows.columns().iter().map(|&column| column.to_owned());
        (rows.table().to_owned(), columns.collect())
    }

    #[test]
    fn every_row_list_names_its_entitys_columns_in_order() {
        assert_eq!(listed(&answers_table(0)), entity_columns(answer::Entity));
        assert_eq!(
            listed(&submissions_table(0)),
            entity_columns(submission::Entity)
        );
        assert_eq!(
            listed(&crate::audit::table(0)),
            entity_columns(audit::Entity)
        );
    }
}
