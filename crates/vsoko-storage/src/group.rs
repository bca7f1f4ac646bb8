//! Group commit of submissions on SQLite.
//!
//! SQLite has one writer, so this process's submissions queue for it anyway. Rather than one
//! transaction each, a caller puts its submission on the queue and waits for its answer. The
//! first caller to find no writer running starts one: a task that takes the writer slot and every
//! queued submission, writes them in **one** transaction, answers their callers, and goes on with
//! whatever was queued meanwhile until it finds the queue empty. Every caller is answered only
//! after the transaction holding its submission has committed: an acknowledged submission is
//! exactly as durable as before (see the «Storage» section of `ARCHITECTURE.md`).
//!
//! A batch of *plain* submissions — new keys, open periods, which is nearly every batch — is
//! written with one multi-row `INSERT` per table (`insert_plain`, `crate::rows`): a few
//! statements per batch rather than ~8 per submission; on a single writer that is what the
//! throughput is made of. Anything else goes one by one, each submission inside a `SAVEPOINT` of
//! its own, so a refused one (closed period, replayed key …) is rolled back alone and answered
//! with its own error while the others commit; so does the batch again, in a new transaction,
//! should one of the multi-row statements fail. The answers are the same either way.
//!
//! The writer is a task of its own, so that dropping one caller's future (a client that
//! disconnects) cannot abandon the others' submissions half-way. If that task ends without an
//! answer (its runtime shut down), the caller submits alone: the idempotency key makes that safe.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use tokio::sync::oneshot;
use vsoko_checklist::AnswerSheet;
use vsoko_scoring::SubmissionScore;

use crate::entities::{period, submission};
use crate::error::{Result, StorageError};
use crate::model::{Id, NewSubmission, SubjectRef, SubmitOutcome};
use crate::rows::MAX_PARAMETERS;
use crate::store::{Store, Unique};
use crate::submissions::{
    Checked, Inner, answer_rows, answers_table, created_entry, critical_rows, critical_table,
    new_model, request_hash, score_rows, scores_table, submission_row, submissions_table,
    to_domain,
};

/// Submissions waiting for this process's SQLite writer.
#[derive(Default)]
pub(crate) struct Pending {
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    /// Whether a writer task is running: it takes every job queued, batch after batch, until it
    /// finds the queue empty.
    writing: bool,
}

impl Pending {
    pub(crate) fn len(&self) -> usize {
        lock(&self.queue).jobs.len()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let queue = lock(&self.queue);
        f.debug_struct("Pending")
            .field("queued", &queue.jobs.len())
            .field("writing", &queue.writing)
            .finish()
    }
}

/// The writer task's turn. Should the task be dropped mid-way (its runtime shut down), the turn
/// ends with it and the jobs still queued are dropped, so that their callers submit alone
/// instead of waiting for a writer that will not come.
struct Turn {
    pending: Arc<Pending>,
    finished: bool,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if !self.finished {
            let mut queue = lock(&self.pending.queue);
            queue.writing = false;
            queue.jobs.clear();
        }
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
    /// by then.
    ///
    /// The first caller to find no writer running starts one; the others only wait for their
    /// answer. The writer takes the writer slot and every queued job, commits them, and goes on
    /// until the queue is empty. (When every caller waited for the slot in turn instead, each
    /// turn committed the one or two jobs that arrived during the previous commit: under load the
    /// batches stayed at one or two submissions, and throughput at one commit's worth.)
    pub(crate) async fn submit_grouped(
        &self,
        pending: &Arc<Pending>,
        new: &NewSubmission<'_>,
        checked: Checked,
    ) -> Result<SubmitOutcome> {
        let (reply, outcome) = oneshot::channel();
        let lead = {
            let mut queue = lock(&pending.queue);
            queue.jobs.push(Job {
                new: OwnedSubmission::of(new),
                checked: checked.clone(),
                reply,
            });
            !std::mem::replace(&mut queue.writing, true)
        };
        if lead {
            let store = self.clone();
            let pending = Arc::clone(pending);
            tokio::spawn(async move {
                let mut turn = Turn {
                    pending: Arc::clone(&pending),
                    finished: false,
                };
                loop {
                    let slot = store.sqlite_writer_slot().await;
                    let batch = {
                        let mut queue = lock(&pending.queue);
                        if queue.jobs.is_empty() {
                            // Under the lock `push` takes: a job queued after this starts a
                            // writer of its own.
                            queue.writing = false;
                            turn.finished = true;
                            break;
                        }
                        std::mem::take(&mut queue.jobs)
                    };
                    store.commit_batch(batch).await;
                    drop(slot);
                }
            });
        }
        match outcome.await {
            Ok(result) => result,
            Err(_) => self.submit_alone(new, &checked).await,
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
        for chunk in keys.chunks(MAX_PARAMETERS / 2) {
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
        let mut rows = submissions_table(batch.len());
        for job in batch {
            let new = job.new.borrow();
            let model = new_model(&new, &job.checked, request_hash(&new))?;
            rows.push(submission_row(&model));
            models.push(model);
        }
        let mut ids = HashMap::with_capacity(batch.len());
        for row in rows
            .insert_returning(txn, "\"id\", \"author_user_id\", \"idempotency_key\"")
            .await?
        {
            let (id, author, key): (Id, Id, String) = row.try_get_many_by_index()?;
            ids.insert((author, key), id);
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        let answer_count = batch.iter().map(|job| job.new.answers.len()).sum();
        let node_count = batch.iter().map(|job| job.new.score.nodes.len()).sum();
        let mut answers = answers_table(answer_count);
        let mut scores = scores_table(node_count);
        let mut critical = critical_table(0);
        let mut audit = crate::audit::table(batch.len());
        for (job, model) in batch.iter().zip(models) {
            let new = job.new.borrow();
            let key = (new.author_user_id, new.idempotency_key.to_owned());
            let id = ids.remove(&key).ok_or_else(|| {
                StorageError::Database(
                    format!("the insert returned no row for key {}", new.idempotency_key).into(),
                )
            })?;
            answers.append(answer_rows(id, new.answers));
            scores.append(score_rows(id, new.score)?);
            critical.append(critical_rows(id, new.score));
            let period = &periods[&new.period_id];
            audit.push(created_entry(&new, &job.checked, &period.code, id));
            outcomes.push(SubmitOutcome {
                submission: to_domain(submission::Model { id, ..model })?,
                created: true,
            });
        }
        answers.insert(txn).await?;
        scores.insert(txn).await?;
        critical.insert(txn).await?;
        audit.insert(txn).await?;
        Ok(Some(outcomes))
    }
}
