//! Group commit of submissions on SQLite.
//!
//! SQLite has one writer, so this process's submissions queue for it anyway. Rather than one
//! transaction each, a caller puts its submission on the queue and waits for the writer slot; the
//! caller that gets it takes every queued submission and writes them in **one** transaction, each
//! inside a `SAVEPOINT` of its own, so a refused submission (closed period, foreign subject …) is
//! rolled back alone and answered with its own error while the others commit. Every caller is
//! answered only after the transaction holding its submission has committed: an acknowledged
//! submission is exactly as durable as before (see the «Storage» section of `ARCHITECTURE.md`).
//!
//! A batch of *plain* submissions — new keys, open periods, which is nearly every batch — is
//! written with one multi-row `INSERT` per table instead (`insert_plain`), a few statements per
//! batch rather than ~8 per submission: on a single writer that is what the throughput is made
//! of. Anything else goes one by one as above; so does the batch again, in a new transaction,
//! should one of those statements fail. The answers are the same either way.
//!
//! The batch is written by a task of its own, so that dropping one caller's future (a client that
//! disconnects) cannot abandon the others' submissions half-way. If that task ends without an
//! answer (its runtime shut down), the caller submits alone: the idempotency key makes that safe.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, Iterable,
    QueryFilter, QuerySelect, TransactionTrait,
};
use tokio::sync::oneshot;
use vsoko_checklist::AnswerSheet;
use vsoko_scoring::SubmissionScore;

use crate::entities::{answer, audit, critical_item, period, submission, submission_score};
use crate::error::{Result, StorageError};
use crate::model::{Id, NewSubmission, SubjectRef, SubmitOutcome};
use crate::store::{Store, Unique};
use crate::submissions::{
    Checked, Inner, active, answer_rows, created_entry, critical_rows, new_model, request_hash,
    score_rows, to_domain,
};

/// Submissions waiting for this process's SQLite writer.
#[derive(Default)]
pub(crate) struct Pending {
    queue: Mutex<Vec<Job>>,
}

impl Pending {
    pub(crate) fn len(&self) -> usize {
        lock(&self.queue).len()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("queued", &lock(&self.queue).len())
            .finish()
    }
}

struct Job {
    new: OwnedSubmission,
    checked: Checked,
    reply: oneshot::Sender<Result<SubmitOutcome>>,
}

/// A [`NewSubmission`] that can wait on the queue.
struct OwnedSubmission {
    instrument_id: Id,
    period_id: Id,
    kindergarten_id: Id,
    subject: SubjectRef,
    author_user_id: Id,
    idempotency_key: String,
    answers: AnswerSheet,
    score: SubmissionScore,
}

impl OwnedSubmission {
    fn of(new: &NewSubmission<'_>) -> OwnedSubmission {
        OwnedSubmission {
            instrument_id: new.instrument_id,
            period_id: new.period_id,
            kindergarten_id: new.kindergarten_id,
            subject: new.subject,
            author_user_id: new.author_user_id,
            idempotency_key: new.idempotency_key.to_owned(),
            answers: new.answers.clone(),
            score: new.score.clone(),
        }
    }

    fn borrow(&self) -> NewSubmission<'_> {
        NewSubmission {
            instrument_id: self.instrument_id,
            period_id: self.period_id,
            kindergarten_id: self.kindergarten_id,
            subject: self.subject,
            author_user_id: self.author_user_id,
            idempotency_key: &self.idempotency_key,
            answers: &self.answers,
            score: &self.score,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn batch_failed(message: &str) -> StorageError {
    StorageError::Database(format!("the group commit failed: {message}").into())
}

impl Store {
    /// [`Store::submit`] on SQLite: queued, then committed together with whatever else is queued
    /// when the writer slot comes free.
    pub(crate) async fn submit_grouped(
        &self,
        pending: &Arc<Pending>,
        new: &NewSubmission<'_>,
        checked: Checked,
    ) -> Result<SubmitOutcome> {
        let (reply, outcome) = oneshot::channel();
        lock(&pending.queue).push(Job {
            new: OwnedSubmission::of(new),
            checked,
            reply,
        });
        let slot = self.sqlite_writer_slot().await;
        let batch = std::mem::take(&mut *lock(&pending.queue));
        if batch.is_empty() {
            // An earlier holder of the slot took ours and has answered it already.
            drop(slot);
        } else {
            let store = self.clone();
            tokio::spawn(async move {
                store.commit_batch(batch).await;
                drop(slot);
            });
        }
        match outcome.await {
            Ok(result) => result,
            Err(_) => self.submit_alone(new).await,
        }
    }

    /// Writes a batch in one transaction and answers every caller: with a few multi-row
    /// statements when every submission in it is plain (see [`Store::insert_plain`]), otherwise a
    /// savepoint per submission.
    async fn commit_batch(&self, batch: Vec<Job>) {
        let fail_all = |batch: Vec<Job>, message: &str| {
            for job in batch {
                let _ = job.reply.send(Err(batch_failed(message)));
            }
        };
        let txn = match self.begin_immediate().await {
            Ok(txn) => txn,
            Err(error) => return fail_all(batch, &error.to_string()),
        };
        let txn = match self.insert_plain(&txn, &batch).await {
            Ok(Some(outcomes)) => {
                return match txn.commit().await {
                    Ok(()) => {
                        self.plain_batches.fetch_add(1, Ordering::Relaxed);
                        for (job, outcome) in batch.into_iter().zip(outcomes) {
                            let _ = job.reply.send(Ok(outcome));
                        }
                    }
                    Err(error) => fail_all(batch, &error.to_string()),
                };
            }
            // Not plain; nothing was written.
            Ok(None) => txn,
            // A multi-row statement failed (a constraint one of the submissions breaks, say). No
            // savepoint guards them — journalling one cost more than this rare case saves — so
            // the whole transaction is undone and the batch written one by one in a new one,
            // where the failing submission gets its own error.
            Err(error) => {
                tracing::debug!(%error, "a multi-row write failed; writing the batch one by one");
                let _ = txn.rollback().await;
                match self.begin_immediate().await {
                    Ok(txn) => txn,
                    Err(error) => return fail_all(batch, &error.to_string()),
                }
            }
        };
        let mut answered = Vec::with_capacity(batch.len());
        let mut jobs = batch.into_iter();
        let mut failed = None;
        for job in jobs.by_ref() {
            match self
                .submit_in_savepoint(&txn, &job.new.borrow(), &job.checked)
                .await
            {
                Ok(result) => answered.push((job.reply, result)),
                Err(error) => {
                    failed = Some(error.to_string());
                    answered.push((job.reply, Err(error)));
                    break;
                }
            }
        }
        let committed = match failed {
            None => txn.commit().await.map_err(|error| error.to_string()),
            Some(message) => {
                let _ = txn.rollback().await;
                Err(message)
            }
        };
        match committed {
            Ok(()) => {
                for (reply, result) in answered {
                    let _ = reply.send(result);
                }
            }
            Err(message) => {
                for (reply, result) in answered {
                    let _ = reply.send(result.and(Err(batch_failed(&message))));
                }
                for job in jobs {
                    let _ = job.reply.send(Err(batch_failed(&message)));
                }
            }
        }
    }

    /// One submission of a batch inside its own savepoint. The outer `Err` means the transaction
    /// itself is unusable; the inner result is this submission's.
    async fn submit_in_savepoint(
        &self,
        txn: &DatabaseTransaction,
        new: &NewSubmission<'_>,
        checked: &Checked,
    ) -> Result<Result<SubmitOutcome>> {
        let savepoint = txn.begin().await?;
        match self.submit_in(&savepoint, new, checked).await {
            Ok(outcome) => {
                savepoint.commit().await?;
                Ok(Ok(outcome))
            }
            Err(inner) => {
                savepoint.rollback().await?;
                Ok(Err(match inner {
                    Inner::Error(error) => error,
                    Inner::Race(error) => error.into(),
                }))
            }
        }
    }
}

/// Bind parameters per statement at most: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMETERS: usize = 30_000;

/// Rows of `columns` columns that fit in one statement.
fn rows_per_statement(columns: usize) -> usize {
    MAX_PARAMETERS / columns
}

impl Store {
    /// Writes a batch of *plain* new submissions — keys neither used before nor repeated in the
    /// batch, periods open and of the submission's network — with one multi-row `INSERT` per table
    /// (chunked under the bind-parameter limit), instead of ~8 statements per submission; the
    /// rows written are exactly those [`Store::submit_in`] writes. Returns `None`, having written
    /// nothing, when the batch is not plain: the caller then writes it one by one, and
    /// `submit_in` answers each replayed key or refused submission as usual.
    async fn insert_plain(
        &self,
        txn: &DatabaseTransaction,
        batch: &[Job],
    ) -> Result<Option<Vec<SubmitOutcome>>> {
        let mut keys = HashSet::with_capacity(batch.len());
        for job in batch {
            if !keys.insert((job.new.author_user_id, job.new.idempotency_key.as_str())) {
                return Ok(None);
            }
        }
        let keys: Vec<_> = keys.into_iter().collect();
        for chunk in keys.chunks(rows_per_statement(2)) {
            let used = chunk.iter().fold(Condition::any(), |any, (author, key)| {
                any.add(
                    Condition::all()
                        .add(submission::Column::AuthorUserId.eq(*author))
                        .add(submission::Column::IdempotencyKey.eq(*key)),
                )
            });
            let any_used = submission::Entity::find()
                .select_only()
                .column(submission::Column::Id)
                .filter(used)
                .into_tuple::<Id>()
                .unique(txn)
                .await?;
            if any_used.is_some() {
                return Ok(None);
            }
        }
        let period_ids: HashSet<Id> = batch.iter().map(|job| job.new.period_id).collect();
        let periods: HashMap<Id, period::Model> = period::Entity::find()
            .filter(period::Column::Id.is_in(period_ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|period| (period.id, period))
            .collect();
        let plain = batch.iter().all(|job| {
            periods.get(&job.new.period_id).is_some_and(|period| {
                period.status == "open" && period.network_id == job.checked.network_id
            })
        });
        if !plain {
            return Ok(None);
        }

        let mut models = Vec::with_capacity(batch.len());
        for job in batch {
            let new = job.new.borrow();
            models.push(active(&new_model(&new, &job.checked, request_hash(&new))?));
        }
        let mut stored = HashMap::with_capacity(batch.len());
        for chunk in models.chunks(rows_per_statement(submission::Column::iter().count())) {
            for model in submission::Entity::insert_many(chunk.iter().cloned())
                .exec_with_returning(txn)
                .await?
            {
                let key = (model.author_user_id, model.idempotency_key.clone());
                stored.insert(key, model);
            }
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        let (mut answers, mut scores, mut critical, mut audit) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for job in batch {
            let new = job.new.borrow();
            let key = (new.author_user_id, Some(new.idempotency_key.to_owned()));
            let model = stored.remove(&key).ok_or_else(|| {
                StorageError::Database(
                    format!("the insert returned no row for key {}", new.idempotency_key).into(),
                )
            })?;
            let id = model.id;
            answers.extend(answer_rows(id, new.answers));
            scores.extend(score_rows(id, new.score)?);
            critical.extend(critical_rows(id, new.score));
            let period = &periods[&new.period_id];
            audit.push(created_entry(&new, &job.checked, &period.code, id));
            outcomes.push(SubmitOutcome {
                submission: to_domain(model)?,
                created: true,
            });
        }
        insert_chunked(txn, answers, answer::Column::iter().count()).await?;
        insert_chunked(txn, scores, submission_score::Column::iter().count()).await?;
        insert_chunked(txn, critical, critical_item::Column::iter().count()).await?;
        insert_chunked(txn, audit, audit::Column::iter().count()).await?;
        Ok(Some(outcomes))
    }
}

/// Inserts `rows` with as few statements as the bind-parameter limit allows.
async fn insert_chunked<A>(txn: &DatabaseTransaction, rows: Vec<A>, columns: usize) -> Result<()>
where
    A: ActiveModelTrait + Clone,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(rows_per_statement(columns)).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
