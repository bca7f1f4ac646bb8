//! Writing submissions: the one insert path (one revision or a batch, with multi-row statements),
//! the checks around it, corrections, and imports in one transaction.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde_json::json;
use vsoko_checklist::Counting;

use crate::entities::{instrument, period, submission};
use crate::error::{Record, Result, StorageError, is_unique_violation};
use crate::instruments::instrument_id;
use crate::model::{Correction, Id, NewSubmission, RespondentRef, SubjectRef, SubmitOutcome};
use crate::rows::MAX_PARAMETERS;
use crate::store::{Store, Unique};

use super::hash::{correction_hash, request_hash};
use super::read::to_domain;
use super::tables::{
    answer_rows, answers_table, created_entry, packed_scores, submission_row, submissions_table,
};
use super::{Checked, Inner, check_instrument};
use crate::model::SubmissionId;
use crate::model::UserId;

/// The counting key of a new submission: the identity of «one answer» under the instrument's
/// counting rule (`vsoko_checklist::Counting`); `None` for observations, each of which counts.
pub(crate) fn count_key(new: &NewSubmission<'_>, counting: Counting) -> Option<String> {
    key_of(
        (new.instrument_id.get(), new.period_id.get()),
        new.subject,
        new.respondent,
        counting,
    )
}

/// The counting key of a submission of instrument version and period `(instrument, period)`.
pub(crate) fn key_of(
    (instrument, period): (Id, Id),
    subject: SubjectRef,
    respondent: &RespondentRef,
    counting: Counting,
) -> Option<String> {
    let base = format!(
        "{instrument}:{period}:{}:{}",
        subject.kind(),
        subject.raw_id()
    );
    match counting {
        Counting::OnePerRespondent => Some(format!("{base}:{}", respondent.key())),
        Counting::OnePerSubject => Some(base),
        Counting::Observations => None,
    }
}

/// The first revision of a new submission, to be inserted (its `id` is the database's to give).
/// The caller has checked that `new.period_id` is open and in `checked.network_id`.
fn new_model(new: &NewSubmission<'_>, checked: &Checked) -> Result<submission::Model> {
    let now = crate::store::now();
    Ok(submission::Model {
        id: 0,
        root_id: None,
        revision: 1,
        supersedes_id: None,
        is_latest: true,
        instrument_id: new.instrument_id.get(),
        period_id: new.period_id.get(),
        network_id: checked.network_id.get(),
        kindergarten_id: new.kindergarten_id.get(),
        subject_kind: new.subject.kind().to_owned(),
        subject_id: new.subject.raw_id(),
        author_user_id: new.author_user_id.get(),
        idempotency_key: Some(new.idempotency_key.to_owned()),
        submitted_at: now,
        packed_scores: Some(packed_scores(new.score)?),
        request_hash: Some(request_hash(new)),
        respondent: Some(new.respondent.key()),
        count_key: count_key(new, checked.counting),
        observed_on: new.observed_on,
        answered_at: Some(new.answered_at.unwrap_or(now)),
        respondent_email: new.respondent_email.map(str::to_owned),
    })
}

/// The answer to a repeated idempotency key: the stored revision, unless it was made of other
/// content (rows stored before `request_hash` existed are taken as equal).
pub(crate) fn replayed(
    existing: submission::Model,
    key: &str,
    request_hash: &str,
) -> Result<SubmitOutcome> {
    if existing
        .request_hash
        .as_deref()
        .is_some_and(|stored| stored != request_hash)
    {
        return Err(StorageError::IdempotencyKeyReused {
            key: key.to_owned(),
            submission: SubmissionId::new(existing.id),
        });
    }
    Ok(SubmitOutcome {
        submission: to_domain(existing)?,
        created: false,
    })
}

pub(crate) async fn by_idempotency_key(
    conn: &impl ConnectionTrait,
    author: UserId,
    key: &str,
) -> Result<Option<submission::Model>> {
    submission::Entity::find()
        .filter(submission::Column::AuthorUserId.eq(author.get()))
        .filter(submission::Column::IdempotencyKey.eq(key))
        .unique(conn)
        .await
}

/// The latest revision counted under `key`, if any.
pub(crate) async fn by_count_key(conn: &impl ConnectionTrait, key: &str) -> Result<Option<Id>> {
    submission::Entity::find()
        .select_only()
        .column(submission::Column::Id)
        .filter(submission::Column::CountKey.eq(key))
        .filter(submission::Column::IsLatest.eq(true))
        .into_tuple::<Id>()
        .unique(conn)
        .await
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

/// A new submission, checked, with the code of its (open) period.
pub(crate) struct Ready<'a> {
    pub(crate) new: NewSubmission<'a>,
    pub(crate) checked: &'a Checked,
    pub(crate) period: &'a str,
}

/// Whether a batch of new submissions is *plain*: keys neither used before nor repeated in the
/// batch, periods open and of the submission's network, counting keys neither counted already
/// nor repeated. Such a batch is written by [`insert_new`] at once; anything else goes one by one
/// through [`Store::submit_in`], which answers each replayed key or refused submission. Three
/// queries, whatever the batch size. The period codes, when plain.
pub(crate) async fn plain(
    txn: &DatabaseTransaction,
    batch: &[(NewSubmission<'_>, &Checked)],
) -> Result<Option<HashMap<Id, String>>> {
    let mut keys = HashSet::with_capacity(batch.len());
    let mut counted = HashSet::new();
    for (new, checked) in batch {
        if !keys.insert((new.author_user_id, new.idempotency_key)) {
            return Ok(None);
        }
        if let Some(key) = count_key(new, checked.counting)
            && !counted.insert(key)
        {
            return Ok(None);
        }
    }
    let keys: Vec<_> = keys.into_iter().collect();
    for chunk in keys.chunks(MAX_PARAMETERS / 2) {
        let used = chunk.iter().fold(Condition::any(), |any, (author, key)| {
            any.add(
                Condition::all()
                    .add(submission::Column::AuthorUserId.eq((*author).get()))
                    .add(submission::Column::IdempotencyKey.eq(*key)),
            )
        });
        if any_row(txn, used).await? {
            return Ok(None);
        }
    }
    let counted: Vec<String> = counted.into_iter().collect();
    for chunk in counted.chunks(MAX_PARAMETERS / 2) {
        let used = Condition::all()
            .add(submission::Column::CountKey.is_in(chunk.iter().cloned()))
            .add(submission::Column::IsLatest.eq(true));
        if any_row(txn, used).await? {
            return Ok(None);
        }
    }
    let period_ids: HashSet<Id> = batch.iter().map(|(new, _)| new.period_id.get()).collect();
    let periods: HashMap<Id, period::Model> = period::Entity::find()
        .filter(period::Column::Id.is_in(period_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|period| (period.id, period))
        .collect();
    let open = batch.iter().all(|(new, checked)| {
        periods.get(&new.period_id.get()).is_some_and(|period| {
            period.status == "open" && period.network_id == checked.network_id.get()
        })
    });
    Ok(open.then(|| {
        periods
            .into_values()
            .map(|period| (period.id, period.code))
            .collect()
    }))
}

async fn any_row(txn: &DatabaseTransaction, condition: Condition) -> Result<bool> {
    Ok(submission::Entity::find()
        .select_only()
        .column(submission::Column::Id)
        .filter(condition)
        .into_tuple::<Id>()
        .unique(txn)
        .await?
        .is_some())
}

/// The one insert path: writes new submissions (their revision rows, answers and audit entries)
/// with one multi-row `INSERT` per table, chunked under the bind-parameter limit. The caller has
/// checked everything [`plain`] checks. A unique violation of the revisions' insert (a
/// concurrent request with the same idempotency or counting key) is [`Inner::Race`].
pub(crate) async fn insert_new(
    txn: &DatabaseTransaction,
    batch: &[Ready<'_>],
) -> std::result::Result<Vec<SubmitOutcome>, Inner> {
    let mut models = Vec::with_capacity(batch.len());
    let mut rows = submissions_table(batch.len());
    for ready in batch {
        let model = new_model(&ready.new, ready.checked)?;
        rows.push(submission_row(&model));
        models.push(model);
    }
    let returned = match rows
        .insert_returning(txn, "\"id\", \"author_user_id\", \"idempotency_key\"")
        .await
    {
        Ok(returned) => returned,
        Err(error) if is_unique_violation(&error) => return Err(Inner::Race(error)),
        Err(error) => return Err(error.into()),
    };
    let mut ids = HashMap::with_capacity(batch.len());
    for row in returned {
        let (id, author, key): (Id, Id, String) =
            row.try_get_many_by_index().map_err(StorageError::from)?;
        ids.insert((author, key), id);
    }
    let answer_count = batch.iter().map(|ready| ready.new.answers.len()).sum();
    let mut answers = answers_table(answer_count);
    let mut audit = crate::audit::table(batch.len());
    let mut outcomes = Vec::with_capacity(batch.len());
    for (ready, model) in batch.iter().zip(models) {
        let new = &ready.new;
        let id = ids
            .remove(&(new.author_user_id.get(), new.idempotency_key.to_owned()))
            .ok_or_else(|| {
                StorageError::Database(
                    format!("the insert returned no row for key {}", new.idempotency_key).into(),
                )
            })?;
        answer_rows(&mut answers, SubmissionId::new(id), new.answers);
        audit.push(created_entry(new, ready.checked, ready.period, id));
        outcomes.push(SubmitOutcome {
            submission: to_domain(submission::Model { id, ..model })?,
            created: true,
        });
    }
    answers.insert(txn).await.map_err(StorageError::from)?;
    audit.insert(txn).await.map_err(StorageError::from)?;
    Ok(outcomes)
}

/// One change of an import, written with the others in one transaction.
#[derive(Debug, Clone, Copy)]
pub enum BatchWrite<'a> {
    /// A new submission.
    Create(NewSubmission<'a>),
    /// A new revision of a counted one (a newer answer of the same respondent).
    Correct(Correction<'a>),
}

impl Store {
    /// Stores a new submission with its answers and scores in one transaction, with an audit entry.
    ///
    /// The same author and idempotency key again returns the submission stored the first time
    /// (`created: false`) and writes nothing. Refused: a second counted answer under the
    /// instrument's counting rule ([`StorageError::AlreadySubmitted`], naming the one to correct),
    /// a closed period ([`StorageError::PeriodClosed`]); answers or scores for another instrument
    /// version, a subject of another kind than the instrument's or from another kindergarten, a
    /// period of another network ([`StorageError::Invalid`]); unknown ids
    /// ([`StorageError::NotFound`]).
    ///
    /// On SQLite, submissions that arrive while the writer is busy are committed together in one
    /// transaction (see `crate::group`); each caller is answered after that commit, with its own
    /// outcome.
    pub async fn submit(&self, new: &NewSubmission<'_>) -> Result<SubmitOutcome> {
        let checked = super::context::check_new(&self.db, new).await?;
        self.submit_checked(new, checked).await
    }

    pub(crate) async fn submit_checked(
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
                drop(txn);
                self.lost_race(new, checked, error).await
            }
            Err(Inner::Error(error)) => Err(error),
        }
    }

    /// The answer to a submission whose insert lost a race with a concurrent one (PostgreSQL):
    /// the winner's row for the same idempotency key, or the counted submission it duplicates.
    async fn lost_race(
        &self,
        new: &NewSubmission<'_>,
        checked: &Checked,
        error: sea_orm::DbErr,
    ) -> Result<SubmitOutcome> {
        if let Some(existing) =
            by_idempotency_key(&self.db, new.author_user_id, new.idempotency_key).await?
        {
            return replayed(existing, new.idempotency_key, &request_hash(new));
        }
        if let Some(key) = count_key(new, checked.counting)
            && let Some(submission) = by_count_key(&self.db, &key).await?
        {
            return Err(StorageError::AlreadySubmitted {
                submission: SubmissionId::new(submission),
            });
        }
        Err(error.into())
    }

    /// One new submission inside the caller's transaction: the key replayed, the period checked,
    /// the counting key checked, then [`insert_new`].
    pub(crate) async fn submit_in(
        &self,
        txn: &DatabaseTransaction,
        new: &NewSubmission<'_>,
        checked: &Checked,
    ) -> std::result::Result<SubmitOutcome, Inner> {
        if let Some(existing) =
            by_idempotency_key(txn, new.author_user_id, new.idempotency_key).await?
        {
            return Ok(replayed(existing, new.idempotency_key, &request_hash(new))?);
        }
        let period = open_period(self, txn, new.period_id.get()).await?;
        if period.network_id != checked.network_id.get() {
            return Err(StorageError::Invalid(format!(
                "period {} belongs to another network than kindergarten {}",
                period.code, new.kindergarten_id
            ))
            .into());
        }
        if let Some(key) = count_key(new, checked.counting)
            && let Some(submission) = by_count_key(txn, &key).await?
        {
            // On PostgreSQL each statement reads what was committed before it: a concurrent
            // request with the same key (a double click) may have committed since the key was
            // looked up. Its submission is the answer to this one too, not a second answer.
            if let Some(existing) =
                by_idempotency_key(txn, new.author_user_id, new.idempotency_key).await?
            {
                return Ok(replayed(existing, new.idempotency_key, &request_hash(new))?);
            }
            return Err(StorageError::AlreadySubmitted {
                submission: SubmissionId::new(submission),
            }
            .into());
        }
        let mut outcomes = insert_new(
            txn,
            &[Ready {
                new: *new,
                checked,
                period: &period.code,
            }],
        )
        .await?;
        outcomes
            .pop()
            .ok_or_else(|| StorageError::Database("the insert returned no row".into()).into())
    }

    /// Writes an import in one transaction: all of it or nothing. New submissions are checked as
    /// by [`Store::submit`] (keys used before return the earlier submission), corrections as by
    /// [`Store::correct`].
    pub async fn write_batch(&self, batch: &[BatchWrite<'_>]) -> Result<Vec<SubmitOutcome>> {
        let txn = self.write().await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for write in batch {
            let outcome = match write {
                BatchWrite::Create(new) => {
                    let checked = super::context::check_new(&*txn, new).await?;
                    self.submit_in(&txn, new, &checked).await
                }
                BatchWrite::Correct(correction) => self.correct_in(&txn, correction).await,
            };
            match outcome {
                Ok(outcome) => outcomes.push(outcome),
                Err(Inner::Race(_)) => {
                    return Err(StorageError::Duplicate {
                        record: Record::Submission,
                        detail:
                            "a submission of this file was written concurrently; retry the import"
                                .to_owned(),
                    });
                }
                Err(Inner::Error(error)) => return Err(error),
            }
        }
        txn.commit().await?;
        Ok(outcomes)
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
        let txn = self.write().await?;
        match self.correct_in(&txn, correction).await {
            Ok(outcome) => {
                txn.commit().await?;
                Ok(outcome)
            }
            Err(Inner::Race(_)) => {
                drop(txn);
                let request_hash = correction_hash(correction);
                if let Some(key) = correction.idempotency_key
                    && let Some(existing) =
                        by_idempotency_key(&self.db, correction.author_user_id, key).await?
                {
                    return replayed(existing, key, &request_hash);
                }
                Err(StorageError::NotLatest {
                    submission: correction.supersedes,
                    latest: correction.supersedes,
                })
            }
            Err(Inner::Error(error)) => Err(error),
        }
    }

    async fn correct_in(
        &self,
        txn: &DatabaseTransaction,
        correction: &Correction<'_>,
    ) -> std::result::Result<SubmitOutcome, Inner> {
        let request_hash = correction_hash(correction);
        if let Some(key) = correction.idempotency_key
            && let Some(existing) = by_idempotency_key(txn, correction.author_user_id, key).await?
        {
            return Ok(replayed(existing, key, &request_hash)?);
        }
        let old = submission::Entity::find_by_id(correction.supersedes)
            .unique(txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Submission, correction.supersedes))?;
        let instrument = instrument::Entity::find_by_id(old.instrument_id)
            .unique(txn)
            .await?
            .ok_or_else(|| StorageError::not_found(Record::Instrument, old.instrument_id))?;
        check_instrument(
            &instrument_id(&instrument)?,
            correction.answers,
            correction.score,
        )?;
        let period = open_period(self, txn, old.period_id).await?;
        // The one in-place change the schema allows: the corrected revision stops being the latest.
        // The `is_latest = true` condition makes two concurrent corrections of one revision
        // conflict instead of both succeeding.
        let marked = submission::Entity::update_many()
            .col_expr(submission::Column::IsLatest, false.into())
            .filter(submission::Column::Id.eq(old.id))
            .filter(submission::Column::IsLatest.eq(true))
            .exec(txn)
            .await?;
        if marked.rows_affected != 1 {
            // A concurrent correction with the same key committed in between (the update waits
            // for it on PostgreSQL): its revision is the answer to this one too.
            if let Some(key) = correction.idempotency_key
                && let Some(existing) =
                    by_idempotency_key(txn, correction.author_user_id, key).await?
            {
                return Ok(replayed(existing, key, &request_hash)?);
            }
            return Err(StorageError::NotLatest {
                submission: SubmissionId::new(old.id),
                latest: SubmissionId::new(latest_of(txn, &old).await?),
            }
            .into());
        }
        let now = crate::store::now();
        let model = submission::Model {
            id: 0,
            root_id: Some(old.root_id.unwrap_or(old.id)),
            revision: old.revision + 1,
            supersedes_id: Some(old.id),
            is_latest: true,
            author_user_id: correction.author_user_id.get(),
            idempotency_key: correction.idempotency_key.map(str::to_owned),
            submitted_at: now,
            packed_scores: Some(packed_scores(correction.score)?),
            request_hash: correction.idempotency_key.map(|_| request_hash.clone()),
            answered_at: Some(correction.answered_at.unwrap_or(now)),
            ..old.clone()
        };
        let mut rows = submissions_table(1);
        rows.push(submission_row(&model));
        let id: Id = match rows.insert_returning(txn, "\"id\"").await {
            Ok(returned) => returned
                .first()
                .ok_or_else(|| StorageError::Database("the insert returned no row".into()))?
                .try_get_by_index(0)
                .map_err(StorageError::from)?,
            Err(error) if is_unique_violation(&error) => return Err(Inner::Race(error)),
            Err(error) => return Err(error.into()),
        };
        let mut answers = answers_table(correction.answers.len());
        answer_rows(&mut answers, SubmissionId::new(id), correction.answers);
        answers.insert(txn).await.map_err(StorageError::from)?;
        crate::audit::record(
            txn,
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
        Ok(SubmitOutcome {
            submission: to_domain(submission::Model { id, ..model })?,
            created: true,
        })
    }
}

/// The latest revision of the submission `old` belongs to; when its chain has none (an earlier
/// answer that stopped counting), the revision counted under its counting key instead.
async fn latest_of(conn: &impl ConnectionTrait, old: &submission::Model) -> Result<Id> {
    let root = old.root_id.unwrap_or(old.id);
    let in_chain = submission::Entity::find()
        .select_only()
        .column(submission::Column::Id)
        .filter(
            submission::Column::RootId
                .eq(root)
                .or(submission::Column::Id.eq(root)),
        )
        .filter(submission::Column::IsLatest.eq(true))
        .into_tuple::<Id>()
        .all(conn)
        .await?;
    if let Some(&latest) = in_chain.first() {
        return Ok(latest);
    }
    match &old.count_key {
        Some(key) => Ok(by_count_key(conn, key).await?.unwrap_or(old.id)),
        None => Ok(old.id),
    }
}
