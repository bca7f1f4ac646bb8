//! Submissions: one transaction for a revision, its answers, its scores and its audit entry.
//!
//! Rules (see the «Storage» section of `ARCHITECTURE.md`): a submission is never updated in place
//! or deleted; a correction is a new row with the next revision number, and the only column ever
//! updated is `is_latest` of the revision it supersedes. A closed period refuses both.

use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Value,
};
use serde_json::json;
use vsoko_checklist::{AnswerSheet, AnswerValue, InstrumentId};
use vsoko_scoring::{NodeKind, NodeScore, SubmissionScore};

use crate::audit::record;
use crate::entities::{
    answer, critical_item, instrument, kindergarten, period, submission, submission_score,
};
use crate::error::{Record, Result, StorageError, is_unique_violation};
use crate::instruments::{
    SUMMARY_COLUMNS, SummaryRow, instrument_id, parse_id, summary, unknown_instrument,
};
use crate::model::{
    Correction, Id, Kindergarten, NewSubmission, Page, PageRequest, Scope, StoredAnswer,
    SubjectRef, Submission, SubmissionContext, SubmissionDetail, SubmissionFilter, SubmitOutcome,
};
use crate::org::{subject_owner, subject_record};
use crate::rows::Rows;
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
        id: model.id,
        root_id: model.root_id.unwrap_or(model.id),
        revision: u32::try_from(model.revision).unwrap_or(0),
        supersedes_id: model.supersedes_id,
        is_latest: model.is_latest,
        instrument_id: model.instrument_id,
        period_id: model.period_id,
        network_id: model.network_id,
        kindergarten_id: model.kindergarten_id,
        subject,
        author_user_id: model.author_user_id,
        idempotency_key: model.idempotency_key,
        submitted_at: model.submitted_at,
    })
}

/// The columns of `answers`, in the order of [`answer_rows`]' values.
const ANSWER_COLUMNS: [&str; 5] = [
    "submission_id",
    "item_code",
    "value",
    "not_applicable",
    "comment",
];

/// The columns of `submission_scores`, in the order of [`score_rows`]' values.
const SCORE_COLUMNS: [&str; 11] = [
    "submission_id",
    "position",
    "node_kind",
    "node_code",
    "percent",
    "level",
    "coverage",
    "n_items",
    "n_answered",
    "critical",
    "deficit",
];

/// The columns of `submission_critical_items`, in the order of [`critical_rows`]' values.
const CRITICAL_COLUMNS: [&str; 2] = ["submission_id", "item_code"];

/// The columns of `submissions` but its id, in the order of [`submission_row`]'s values.
const SUBMISSION_COLUMNS: [&str; 15] = [
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
];

/// No `answers` rows yet, room for `capacity`.
pub(crate) fn answers_table(capacity: usize) -> Rows<5> {
    Rows::with_capacity("answers", ANSWER_COLUMNS, capacity)
}

/// No `submission_scores` rows yet, room for `capacity`.
pub(crate) fn scores_table(capacity: usize) -> Rows<11> {
    Rows::with_capacity("submission_scores", SCORE_COLUMNS, capacity)
}

/// No `submission_critical_items` rows yet, room for `capacity`.
pub(crate) fn critical_table(capacity: usize) -> Rows<2> {
    Rows::with_capacity("submission_critical_items", CRITICAL_COLUMNS, capacity)
}

/// No `submissions` rows yet, room for `capacity`.
pub(crate) fn submissions_table(capacity: usize) -> Rows<15> {
    Rows::with_capacity("submissions", SUBMISSION_COLUMNS, capacity)
}

/// The rows of a submission's answers.
pub(crate) fn answer_rows(submission_id: Id, answers: &AnswerSheet) -> Rows<5> {
    let mut rows = answers_table(answers.len());
    for (code, answer) in answers.iter() {
        let (value, not_applicable) = match answer.value {
            AnswerValue::Value(value) => (Some(value), false),
            AnswerValue::NotApplicable => (None, true),
        };
        rows.push([
            submission_id.into(),
            code.to_string().into(),
            value.into(),
            not_applicable.into(),
            answer.comment.clone().into(),
        ]);
    }
    rows
}

/// Writes a submission's cached scores (the caller has removed any old ones).
pub(crate) async fn insert_scores(
    conn: &impl ConnectionTrait,
    submission_id: Id,
    score: &SubmissionScore,
) -> Result<()> {
    score_rows(submission_id, score)?.insert(conn).await?;
    critical_rows(submission_id, score).insert(conn).await?;
    Ok(())
}

/// The `submission_scores` rows of a submission, in instrument order.
pub(crate) fn score_rows(submission_id: Id, score: &SubmissionScore) -> Result<Rows<11>> {
    let mut rows = scores_table(score.nodes.len());
    for (position, node) in score.nodes.iter().enumerate() {
        rows.push([
            submission_id.into(),
            to_i32(position, "node position")?.into(),
            node.kind.as_str().into(),
            node.code.clone().into(),
            node.percent.into(),
            node.level.clone().into(),
            node.coverage.into(),
            to_i32(node.n_items, "n_items")?.into(),
            to_i32(node.n_answered, "n_answered")?.into(),
            node.critical.into(),
            node.deficit.into(),
        ]);
    }
    Ok(rows)
}

/// The `submission_critical_items` rows of a submission.
pub(crate) fn critical_rows(submission_id: Id, score: &SubmissionScore) -> Rows<2> {
    let mut rows = critical_table(score.critical_items.len());
    for item in &score.critical_items {
        rows.push([submission_id.into(), item.clone().into()]);
    }
    rows
}

/// The values of a revision's row, its id left to the database.
pub(crate) fn submission_row(model: &submission::Model) -> [Value; 15] {
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
    ]
}

/// Inserts one revision and returns its id. The error is sea-orm's, so that the caller can tell a
/// unique violation (a concurrent request with the same idempotency key).
async fn insert_submission(
    conn: &impl ConnectionTrait,
    model: &submission::Model,
) -> std::result::Result<Id, sea_orm::DbErr> {
    let mut rows = submissions_table(1);
    rows.push(submission_row(model));
    let returned = rows.insert_returning(conn, "\"id\"").await?;
    returned
        .first()
        .ok_or_else(|| sea_orm::DbErr::RecordNotInserted)?
        .try_get_by_index(0)
}

/// The packed form of a revision's scores for `submissions.packed_scores` (see `crate::packed`).
pub(crate) fn packed_scores(score: &SubmissionScore) -> Result<Vec<u8>> {
    crate::packed::pack(score).map_err(|error| StorageError::Invalid(error.0))
}

fn to_i32<T: TryInto<i32>>(value: T, what: &str) -> Result<i32> {
    value
        .try_into()
        .map_err(|_| StorageError::Invalid(format!("{what} is too large")))
}

pub(crate) fn node_from_row(row: submission_score::Model) -> Result<NodeScore> {
    let kind = NodeKind::parse(&row.node_kind).ok_or_else(|| {
        StorageError::Corrupt(format!(
            "score of submission {} has unknown node kind {:?}",
            row.submission_id, row.node_kind
        ))
    })?;
    Ok(NodeScore {
        kind,
        code: row.node_code,
        percent: row.percent,
        level: row.level,
        coverage: row.coverage,
        n_items: u32::try_from(row.n_items).unwrap_or(0),
        n_answered: u32::try_from(row.n_answered).unwrap_or(0),
        critical: row.critical,
        deficit: row.deficit,
    })
}

/// Checks that answers and scores were made against the submission's instrument version.
fn check_instrument(
    expected: &InstrumentId,
    answers: &AnswerSheet,
    score: &SubmissionScore,
) -> Result<()> {
    if answers.instrument() != expected {
        return Err(StorageError::Invalid(format!(
            "answers were checked against {}, but the submission is for {expected}",
            answers.instrument()
        )));
    }
    if &score.instrument != expected {
        return Err(StorageError::Invalid(format!(
            "scores were computed for {}, but the submission is for {expected}",
            score.instrument
        )));
    }
    if score.nodes.is_empty() {
        return Err(StorageError::Invalid(
            "scores have no nodes (the total is missing)".to_owned(),
        ));
    }
    Ok(())
}

/// Reads a period inside a write transaction and refuses a closed one. On PostgreSQL the row is
/// share-locked, so a concurrent `close_period` waits for this transaction (and vice versa).
async fn open_period(store: &Store, txn: &DatabaseTransaction, id: Id) -> Result<period::Model> {
    let mut query = period::Entity::find_by_id(id);
    if store.is_postgres() {
        query = query.lock_shared();
    }
    let period = query
        .unique(txn)
        .await?
        .ok_or_else(|| StorageError::not_found(Record::Period, id))?;
    if period.status != "open" {
        return Err(StorageError::PeriodClosed {
            period: period.code,
        });
    }
    Ok(period)
}

/// SHA-256 (hex) of what a new submission is made of: instrument version, period, kindergarten,
/// subject and every answer with its comment, in the sheet's (item code) order. Two requests with
/// equal content hash equally, whatever their JSON looked like.
pub(crate) fn request_hash(new: &NewSubmission<'_>) -> String {
    content_hash(
        b"vsoko-submission-v1",
        &[
            new.instrument_id,
            new.period_id,
            new.kindergarten_id,
            new.subject.id(),
        ],
        Some(new.subject.kind()),
        new.answers,
    )
}

/// SHA-256 (hex) of what a correction is made of: the corrected revision and the new answers.
fn correction_hash(correction: &Correction<'_>) -> String {
    content_hash(
        b"vsoko-correction-v1",
        &[correction.supersedes],
        None,
        correction.answers,
    )
}

fn content_hash(
    tag: &[u8],
    ids: &[Id],
    subject_kind: Option<&str>,
    answers: &AnswerSheet,
) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(tag);
    for id in ids {
        field(&id.to_le_bytes());
    }
    if let Some(kind) = subject_kind {
        field(kind.as_bytes());
    }
    for (item, answer) in answers.iter() {
        field(item.as_str().as_bytes());
        match answer.value {
            AnswerValue::Value(value) => field(&value.to_le_bytes()),
            AnswerValue::NotApplicable => field(b"n/a"),
        }
        match &answer.comment {
            Some(comment) => {
                field(b"comment");
                field(comment.as_bytes());
            }
            None => field(b"no comment"),
        }
    }
    crate::users::hex(&hasher.finalize())
}

/// The answer to a repeated idempotency key: the stored revision, unless it was made of other
/// content (rows stored before `request_hash` existed are taken as equal).
fn replayed(existing: submission::Model, key: &str, request_hash: &str) -> Result<SubmitOutcome> {
    if existing
        .request_hash
        .as_deref()
        .is_some_and(|stored| stored != request_hash)
    {
        return Err(StorageError::IdempotencyKeyReused {
            key: key.to_owned(),
            submission: existing.id,
        });
    }
    Ok(SubmitOutcome {
        submission: to_domain(existing)?,
        created: false,
    })
}

async fn by_idempotency_key(
    conn: &impl ConnectionTrait,
    author: Id,
    key: &str,
) -> Result<Option<submission::Model>> {
    submission::Entity::find()
        .filter(submission::Column::AuthorUserId.eq(author))
        .filter(submission::Column::IdempotencyKey.eq(key))
        .unique(conn)
        .await
}

/// The first revision of a new submission, to be inserted (its `id` is the database's to give).
/// The caller has checked that `new.period_id` is open and in `checked.network_id`.
pub(crate) fn new_model(
    new: &NewSubmission<'_>,
    checked: &Checked,
    request_hash: String,
) -> Result<submission::Model> {
    Ok(submission::Model {
        id: 0,
        root_id: None,
        revision: 1,
        supersedes_id: None,
        is_latest: true,
        instrument_id: new.instrument_id,
        period_id: new.period_id,
        network_id: checked.network_id,
        kindergarten_id: new.kindergarten_id,
        subject_kind: new.subject.kind().to_owned(),
        subject_id: new.subject.id(),
        author_user_id: new.author_user_id,
        idempotency_key: Some(new.idempotency_key.to_owned()),
        submitted_at: crate::store::now(),
        packed_scores: Some(packed_scores(new.score)?),
        request_hash: Some(request_hash),
    })
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
            "instrument": checked.instrument,
            "period": period_code,
            "kindergarten_id": new.kindergarten_id,
            "subject": { "kind": new.subject.kind(), "id": new.subject.id() },
            "idempotency_key": new.idempotency_key,
            "answers": new.answers.len(),
        }),
    )
}

impl Store {
    /// What a new submission names, in one query: version `version` of instrument `code` (its
    /// latest when `None`), the period `period` of network `network_id`, and the kindergarten of
    /// `subject`. [`StorageError::NotFound`] for an unknown instrument version (checked first) or
    /// period; an unknown subject is only reported by [`SubmissionContext::kindergarten`], so
    /// that a caller can first check that the subject is of the instrument's kind.
    pub async fn submission_context(
        &self,
        network_id: Id,
        code: &str,
        version: Option<u32>,
        period: &str,
        subject: SubjectRef,
    ) -> Result<SubmissionContext> {
        use sea_orm::sea_query::{Alias, Condition, JoinType, Order, Query};
        let unknown_instrument = || unknown_instrument(code, version);
        let mut select = Query::select();
        select
            .from(instrument::Entity)
            .columns(SUMMARY_COLUMNS.map(|column| (instrument::Entity, column)));
        for column in period::Column::iter() {
            select.expr_as(
                Expr::col((period::Entity, column)),
                Alias::new(format!("p_{}", column.as_str())),
            );
        }
        for column in kindergarten::Column::iter() {
            select.expr_as(
                Expr::col((kindergarten::Entity, column)),
                Alias::new(format!("k_{}", column.as_str())),
            );
        }
        let owner = match subject_owner(subject) {
            Some(owner) => sub_query(owner),
            None => Expr::val(subject.id()),
        };
        select
            .join(
                JoinType::LeftJoin,
                period::Entity,
                Condition::all()
                    .add(Expr::col((period::Entity, period::Column::NetworkId)).eq(network_id))
                    .add(Expr::col((period::Entity, period::Column::Code)).eq(period)),
            )
            .join(
                JoinType::LeftJoin,
                kindergarten::Entity,
                Expr::col((kindergarten::Entity, kindergarten::Column::Id)).eq(owner),
            )
            .and_where(Expr::col((instrument::Entity, instrument::Column::Code)).eq(code));
        if let Some(version) = version {
            let version = i32::try_from(version).map_err(|_| unknown_instrument())?;
            select.and_where(
                Expr::col((instrument::Entity, instrument::Column::Version)).eq(version),
            );
        }
        // One row per version of the instrument (few); the latest first. No `LIMIT` (see `Unique`).
        select.order_by(
            (instrument::Entity, instrument::Column::Version),
            Order::Desc,
        );
        let rows = self
            .db
            .query_all_raw(self.db.get_database_backend().build(&select))
            .await?;
        let row = rows.first().ok_or_else(unknown_instrument)?;
        let instrument = summary(row.try_get_many_by_index::<SummaryRow>()?)?;
        let period = period::Model::from_query_result_optional(row, "p_")?
            .ok_or_else(|| StorageError::not_found(Record::Period, period))?;
        let kindergarten = kindergarten::Model::from_query_result_optional(row, "k_")?;
        Ok(SubmissionContext {
            instrument,
            period: crate::periods::to_domain(period)?,
            subject,
            kindergarten: kindergarten.map(Kindergarten::from),
        })
    }

    /// [`Store::submit`] of a submission whose references were read by
    /// [`Store::submission_context`]: the same checks, without reading them again. Refused
    /// ([`StorageError::Invalid`]) when `new` names other rows than `context`.
    pub async fn submit_in_context(
        &self,
        context: &SubmissionContext,
        new: &NewSubmission<'_>,
    ) -> Result<SubmitOutcome> {
        let kindergarten = context.kindergarten()?;
        let instrument = &context.instrument;
        if new.instrument_id != instrument.id
            || new.period_id != context.period.id
            || new.kindergarten_id != kindergarten.id
            || new.subject != context.subject
        {
            return Err(StorageError::Invalid(
                "the submission names other rows than the context it was checked in".to_owned(),
            ));
        }
        made_for(&instrument.instrument, &instrument.subject, new)?;
        let checked = Checked {
            instrument: instrument.instrument.to_string(),
            network_id: kindergarten.network_id,
        };
        self.submit_checked(new, checked).await
    }
}

impl Store {
    /// Stores a new submission with its answers and scores in one transaction, with an audit entry.
    ///
    /// The same author and idempotency key again returns the submission stored the first time
    /// (`created: false`) and writes nothing. Refused: a closed period ([`StorageError::PeriodClosed`]);
    /// answers or scores for another instrument version, a subject of another kind than the
    /// instrument's or from another kindergarten, a period of another network
    /// ([`StorageError::Invalid`]); unknown ids ([`StorageError::NotFound`]).
    ///
    /// On SQLite, submissions that arrive while the writer is busy are committed together in one
    /// transaction (see `crate::group`); each caller is answered after that commit, with its own
    /// outcome.
    pub async fn submit(&self, new: &NewSubmission<'_>) -> Result<SubmitOutcome> {
        let checked = check_new(&self.db, new).await?;
        self.submit_checked(new, checked).await
    }

    async fn submit_checked(
        &self,
        new: &NewSubmission<'_>,
        checked: Checked,
    ) -> Result<SubmitOutcome> {
        match &self.pending {
            Some(pending) => self.submit_grouped(pending, new, checked).await,
            None => self.submit_alone(new, &checked).await,
        }
    }

    /// [`Store::submit`] in a transaction of its own.
    pub(crate) async fn submit_alone(
        &self,
        new: &NewSubmission<'_>,
        checked: &Checked,
    ) -> Result<SubmitOutcome> {
        let txn = self.write().await?;
        match self.submit_in(&txn, new, checked).await {
            Ok(outcome) => {
                txn.commit().await?;
                Ok(outcome)
            }
            Err(Inner::Race(error)) => {
                // A concurrent request with the same key won the race (PostgreSQL): answer with
                // what it stored.
                drop(txn);
                let existing =
                    by_idempotency_key(&self.db, new.author_user_id, new.idempotency_key)
                        .await?
                        .ok_or_else(|| StorageError::from(error))?;
                replayed(existing, new.idempotency_key, &request_hash(new))
            }
            Err(Inner::Error(error)) => Err(error),
        }
    }

    /// Stores several new submissions in one transaction: all of them or none (an import). Each
    /// is checked as by [`Store::submit`]; keys used before return the earlier submission.
    pub async fn submit_many(&self, batch: &[NewSubmission<'_>]) -> Result<Vec<SubmitOutcome>> {
        let txn = self.write().await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for new in batch {
            let checked = check_new(&*txn, new).await?;
            match self.submit_in(&txn, new, &checked).await {
                Ok(outcome) => outcomes.push(outcome),
                Err(Inner::Race(_)) => {
                    return Err(StorageError::Duplicate {
                        record: Record::Submission,
                        detail: format!(
                            "idempotency key {} was used concurrently; retry the import",
                            new.idempotency_key
                        ),
                    });
                }
                Err(Inner::Error(error)) => return Err(error),
            }
        }
        txn.commit().await?;
        Ok(outcomes)
    }

    pub(crate) async fn submit_in(
        &self,
        txn: &DatabaseTransaction,
        new: &NewSubmission<'_>,
        checked: &Checked,
    ) -> std::result::Result<SubmitOutcome, Inner> {
        let request_hash = request_hash(new);
        if let Some(existing) =
            by_idempotency_key(txn, new.author_user_id, new.idempotency_key).await?
        {
            return Ok(replayed(existing, new.idempotency_key, &request_hash)?);
        }
        let period = open_period(self, txn, new.period_id).await?;
        if period.network_id != checked.network_id {
            return Err(StorageError::Invalid(format!(
                "period {} belongs to another network than kindergarten {}",
                period.code, new.kindergarten_id
            ))
            .into());
        }

        let model = new_model(new, checked, request_hash)?;
        let id = match insert_submission(txn, &model).await {
            Ok(id) => id,
            Err(error) if is_unique_violation(&error) => return Err(Inner::Race(error)),
            Err(error) => return Err(error.into()),
        };
        answer_rows(id, new.answers).insert(txn).await?;
        insert_scores(txn, id, new.score).await?;
        let mut audit = crate::audit::table(1);
        audit.push(created_entry(new, checked, &period.code, id));
        audit.insert(txn).await?;
        Ok(SubmitOutcome {
            submission: to_domain(submission::Model { id, ..model })?,
            created: true,
        })
    }

    /// Stores a correction as the next revision of a submission, in one transaction: the corrected
    /// revision stays, marked superseded (`is_latest = false`), and an audit entry records both.
    ///
    /// Refused: a revision that is not the latest ([`StorageError::NotLatest`]), a closed period
    /// ([`StorageError::PeriodClosed`]), answers or scores for another instrument version
    /// ([`StorageError::Invalid`]). With an idempotency key already used by the author, the revision
    /// stored then is returned (`created: false`) — unless that revision was made of other content
    /// ([`StorageError::IdempotencyKeyReused`]).
    pub async fn correct(&self, correction: &Correction<'_>) -> Result<SubmitOutcome> {
        let request_hash = correction_hash(correction);
        let txn = self.write().await?;
        if let Some(key) = correction.idempotency_key
            && let Some(existing) =
                by_idempotency_key(&*txn, correction.author_user_id, key).await?
        {
            return replayed(existing, key, &request_hash);
        }
        let old = submission::Entity::find_by_id(correction.supersedes)
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Submission, correction.supersedes))?;
        let instrument = instrument::Entity::find_by_id(old.instrument_id)
            .unique(&*txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Instrument, old.instrument_id))?;
        check_instrument(
            &instrument_id(&instrument)?,
            correction.answers,
            correction.score,
        )?;
        let period = open_period(self, &txn, old.period_id).await?;
        // The one in-place change the schema allows: the corrected revision stops being the latest.
        // The `is_latest = true` condition makes two concurrent corrections of one revision
        // conflict instead of both succeeding.
        let marked = submission::Entity::update_many()
            .col_expr(submission::Column::IsLatest, false.into())
            .filter(submission::Column::Id.eq(old.id))
            .filter(submission::Column::IsLatest.eq(true))
            .exec(&*txn)
            .await?;
        if marked.rows_affected != 1 {
            let root = old.root_id.unwrap_or(old.id);
            let latest = submission::Entity::find()
                .filter(
                    submission::Column::RootId
                        .eq(root)
                        .or(submission::Column::Id.eq(root)),
                )
                .filter(submission::Column::IsLatest.eq(true))
                .one(&*txn)
                .await?
                .map_or(old.id, |latest| latest.id);
            return Err(StorageError::NotLatest {
                submission: old.id,
                latest,
            });
        }
        let model = submission::Model {
            id: 0,
            root_id: Some(old.root_id.unwrap_or(old.id)),
            revision: old.revision + 1,
            supersedes_id: Some(old.id),
            is_latest: true,
            author_user_id: correction.author_user_id,
            idempotency_key: correction.idempotency_key.map(str::to_owned),
            submitted_at: crate::store::now(),
            packed_scores: Some(packed_scores(correction.score)?),
            request_hash: correction.idempotency_key.map(|_| request_hash.clone()),
            ..old.clone()
        };
        let id = match insert_submission(&*txn, &model).await {
            Ok(id) => id,
            Err(error) if is_unique_violation(&error) => {
                drop(txn);
                if let Some(key) = correction.idempotency_key
                    && let Some(existing) =
                        by_idempotency_key(&self.db, correction.author_user_id, key).await?
                {
                    return replayed(existing, key, &request_hash);
                }
                return Err(StorageError::NotLatest {
                    submission: old.id,
                    latest: old.id,
                });
            }
            Err(error) => return Err(error.into()),
        };
        answer_rows(id, correction.answers).insert(&*txn).await?;
        insert_scores(&*txn, id, correction.score).await?;
        record(
            &*txn,
            Some(correction.author_user_id),
            "submission.correct",
            "submission",
            id,
            json!({
                "supersedes": old.id,
                "root": model.root_id,
                "revision": model.revision,
                "period": period.code,
                "idempotency_key": correction.idempotency_key,
                "answers": correction.answers.len(),
            }),
        )
        .await?;
        txn.commit().await?;
        Ok(SubmitOutcome {
            submission: to_domain(submission::Model { id, ..model })?,
            created: true,
        })
    }

    /// One revision with its answers and cached scores.
    pub async fn get_submission(&self, id: Id) -> Result<SubmissionDetail> {
        let model = submission::Entity::find_by_id(id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Submission, id))?;
        let instrument = instrument::Entity::find_by_id(model.instrument_id)
            .unique(&self.db)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Instrument, model.instrument_id))?;
        let instrument = instrument_id(&instrument)?;
        let answers = answer::Entity::find()
            .filter(answer::Column::SubmissionId.eq(id))
            .order_by_asc(answer::Column::ItemCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(stored_answer)
            .collect();
        let nodes = submission_score::Entity::find()
            .filter(submission_score::Column::SubmissionId.eq(id))
            .order_by_asc(submission_score::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(node_from_row)
            .collect::<Result<Vec<_>>>()?;
        let critical_items = critical_item::Entity::find()
            .filter(critical_item::Column::SubmissionId.eq(id))
            .order_by_asc(critical_item::Column::ItemCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.item_code)
            .collect();
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
    pub async fn submission_history(&self, id: Id) -> Result<Vec<Submission>> {
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
        let mut query = submission::Entity::find();
        if let Some(scope) = filter.scope {
            query = match scope {
                Scope::Network(id) => query.filter(submission::Column::NetworkId.eq(id)),
                Scope::Kindergarten(id) => query.filter(submission::Column::KindergartenId.eq(id)),
            };
        }
        if let Some(id) = filter.period_id {
            query = query.filter(submission::Column::PeriodId.eq(id));
        }
        if let Some(id) = filter.instrument_id {
            query = query.filter(submission::Column::InstrumentId.eq(id));
        }
        if let Some(id) = filter.kindergarten_id {
            query = query.filter(submission::Column::KindergartenId.eq(id));
        }
        if let Some(subject) = filter.subject {
            query = query
                .filter(submission::Column::SubjectKind.eq(subject.kind()))
                .filter(submission::Column::SubjectId.eq(subject.id()));
        }
        if let Some(id) = filter.author_user_id {
            query = query.filter(submission::Column::AuthorUserId.eq(id));
        }
        if !filter.include_superseded {
            query = query.filter(submission::Column::IsLatest.eq(true));
        }
        let total = query.clone().count(&self.db).await?;
        let items = query
            .order_by_asc(submission::Column::Id)
            .offset(page.offset)
            .limit(page.limit.clamp(1, 1000))
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total })
    }
}

/// Failure inside a submit transaction: a unique violation of the idempotency key (a concurrent
/// request won) or any other error.
pub(crate) enum Inner {
    Race(sea_orm::DbErr),
    Error(StorageError),
}

impl<E: Into<StorageError>> From<E> for Inner {
    fn from(error: E) -> Self {
        Inner::Error(error.into())
    }
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

/// What [`check_new`] established about a new submission.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// `code@version` of the instrument.
    pub(crate) instrument: String,
    /// The kindergarten's network.
    pub(crate) network_id: Id,
}

/// Checks a new submission against rows that never change once written — the instrument version
/// (answers and scores made for it, its subject kind), the kindergarten and its network, the
/// subject's kindergarten (people and groups are only ever deactivated, never moved or deleted).
/// So it needs no write transaction: concurrent submitters make these reads in parallel on the
/// read pool instead of one after another on the single SQLite writer. What can change — the
/// idempotency key, the period's status — is checked inside the write transaction.
pub(crate) async fn check_new(
    conn: &impl ConnectionTrait,
    new: &NewSubmission<'_>,
) -> Result<Checked> {
    // One query (it runs on every submission): the instrument's columns, the kindergarten's
    // network and the subject's kindergarten, the last two as sub-queries that are NULL when the
    // row does not exist.
    let network = kindergarten::Entity::find_by_id(new.kindergarten_id)
        .select_only()
        .column(kindergarten::Column::NetworkId)
        .into_query();
    let owner = match subject_owner(new.subject) {
        Some(owner) => sub_query(owner),
        None => Expr::val(new.subject.id()),
    };
    /// Instrument id, code, version and subject kind; the kindergarten's network; the subject's
    /// kindergarten.
    type Row = (Id, String, i32, String, Option<Id>, Option<Id>);
    let row: Option<Row> = instrument::Entity::find_by_id(new.instrument_id)
        .select_only()
        .columns([
            instrument::Column::Id,
            instrument::Column::Code,
            instrument::Column::Version,
            instrument::Column::Subject,
        ])
        .expr(sub_query(network))
        .expr(owner)
        .into_tuple()
        .unique(conn)
        .await?;
    let (id, code, version, subject, network_id, owner) =
        row.ok_or_else(|| StorageError::not_found(Record::Instrument, new.instrument_id))?;
    let instrument = parse_id(id, &code, version)?;
    made_for(&instrument, &subject, new)?;
    let network_id = network_id
        .ok_or_else(|| StorageError::not_found(Record::Kindergarten, new.kindergarten_id))?;
    let owner = owner
        .ok_or_else(|| StorageError::not_found(subject_record(new.subject), new.subject.id()))?;
    if owner != new.kindergarten_id {
        return Err(StorageError::Invalid(format!(
            "{} {} does not belong to kindergarten {}",
            new.subject.kind(),
            new.subject.id(),
            new.kindergarten_id
        )));
    }
    Ok(Checked {
        instrument: instrument.to_string(),
        network_id,
    })
}

/// Checks that a new submission's answers and scores were made for `instrument`, whose subjects
/// are of kind `subject_kind`, and that its subject is of that kind.
fn made_for(instrument: &InstrumentId, subject_kind: &str, new: &NewSubmission<'_>) -> Result<()> {
    check_instrument(instrument, new.answers, new.score)?;
    if subject_kind != new.subject.kind() {
        return Err(StorageError::Invalid(format!(
            "{instrument} assesses a {subject_kind}, not a {}",
            new.subject.kind()
        )));
    }
    Ok(())
}

/// `(SELECT …)` as a value.
fn sub_query(select: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(select.into()))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::entities::audit;

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
            listed(&scores_table(0)),
            entity_columns(submission_score::Entity)
        );
        assert_eq!(
            listed(&critical_table(0)),
            entity_columns(critical_item::Entity)
        );
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
