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
//! A batch of *plain* submissions — new keys, open periods, nothing counted yet under the same
//! count key, which is nearly every batch — is written with one multi-row `INSERT` per table
//! (`insert_plain`, `crate::rows`): a few statements per batch rather than several per
//! submission; on a single writer that is what the throughput is made of. Anything else goes one
//! by one, each submission inside a `SAVEPOINT` of its own, so a refused one (closed period, replayed key …) is rolled back alone and answered
//! with its own error while the others commit; so does the batch again, in a new transaction,
//! should one of the multi-row statements fail. The answers are the same either way.
//!
//! The writer is a task of its own, so that dropping one caller's future (a client that
//! disconnects) cannot abandon the others' submissions half-way. If that task ends without an
//! answer (its runtime shut down), the caller submits alone: the idempotency key makes that safe.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Instant;

use sea_orm::{DatabaseTransaction, TransactionTrait};
use tokio::sync::oneshot;

use crate::error::{Result, StorageError};
use crate::model::{Checked, NewSubmission, SubmitOutcome};
use crate::queue::{Job, OwnedSubmission, Pending, Turn, lock};
use crate::store::Store;
use crate::submissions::{Inner, Ready, insert_new, plain};

/// Why a batch failed, told to every caller in it: the message, and whether the database was
/// unavailable (so that the callers are answered «retry later» rather than «failed»).
#[derive(Debug, Clone)]
struct BatchFailure {
    message: String,
    unavailable: bool,
}

impl BatchFailure {
    fn of(error: impl Into<StorageError>) -> BatchFailure {
        BatchFailure::of_ref(&error.into())
    }

    fn of_ref(error: &StorageError) -> BatchFailure {
        BatchFailure {
            unavailable: matches!(error, StorageError::Unavailable(_)),
            message: error
                .source()
                .map_or_else(|| error.to_string(), ToString::to_string),
        }
    }

    fn error(&self) -> StorageError {
        let source = format!("the group commit failed: {}", self.message).into();
        if self.unavailable {
            StorageError::Unavailable(source)
        } else {
            StorageError::Database(source)
        }
    }
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

    /// Waits, up to `timeout`, until the group commit has written everything queued — for a
    /// server that stops: the batch being written finishes, and submissions queued with no writer
    /// left to take them (their worker stopped) are written here. Returns whether the queue is
    /// empty. Nothing to do on PostgreSQL.
    pub async fn flush(&self, timeout: std::time::Duration) -> bool {
        let Some(pending) = &self.pending else {
            return true;
        };
        let deadline = Instant::now() + timeout;
        loop {
            let orphans = {
                let mut queue = lock(&pending.queue);
                if queue.jobs.is_empty() && !queue.writing {
                    return true;
                }
                if queue.writing {
                    Vec::new()
                } else {
                    std::mem::take(&mut queue.jobs)
                }
            };
            if !orphans.is_empty() {
                let slot = self.sqlite_writer_slot().await;
                self.commit_batch(orphans).await;
                drop(slot);
                continue;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// Writes a batch in one transaction and answers every caller: with a few multi-row
    /// statements when every submission in it is plain (`crate::submissions::plain`), otherwise a
    /// savepoint per submission.
    async fn commit_batch(&self, batch: Vec<Job>) {
        let started = Instant::now();
        let size = batch.len();
        let fail_all = |batch: Vec<Job>, failure: BatchFailure| {
            for job in batch {
                let _ = job.reply.send(Err(failure.error()));
            }
        };
        let txn = match self.begin_immediate().await {
            Ok(txn) => txn,
            Err(error) => return fail_all(batch, BatchFailure::of(error)),
        };
        let txn = match self.insert_plain(&txn, &batch).await {
            Ok(Some(outcomes)) => {
                return match txn.commit().await {
                    Ok(()) => {
                        self.observe_batch(size, true, started);
                        for (job, outcome) in batch.into_iter().zip(outcomes) {
                            let _ = job.reply.send(Ok(outcome));
                        }
                    }
                    Err(error) => fail_all(batch, BatchFailure::of(error)),
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
                    Err(error) => return fail_all(batch, BatchFailure::of(error)),
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
                    failed = Some(BatchFailure::of_ref(&error));
                    answered.push((job.reply, Err(error)));
                    break;
                }
            }
        }
        let committed = match failed {
            None => txn.commit().await.map_err(BatchFailure::of),
            Some(failure) => {
                let _ = txn.rollback().await;
                Err(failure)
            }
        };
        match committed {
            Ok(()) => {
                self.observe_batch(size, false, started);
                for (reply, result) in answered {
                    let _ = reply.send(result);
                }
            }
            Err(failure) => {
                for (reply, result) in answered {
                    let _ = reply.send(result.and(Err(failure.error())));
                }
                for job in jobs {
                    let _ = job.reply.send(Err(failure.error()));
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
    /// Writes a batch of *plain* new submissions (see `crate::submissions::plain`) through the
    /// one insert path, or returns `None`, having written nothing, when the batch is not plain:
    /// the caller then writes it one by one, and `submit_in` answers each replayed key or refused
    /// submission as usual.
    async fn insert_plain(
        &self,
        txn: &DatabaseTransaction,
        batch: &[Job],
    ) -> Result<Option<Vec<SubmitOutcome>>> {
        let news: Vec<(NewSubmission<'_>, &Checked)> = batch
            .iter()
            .map(|job| (job.new.borrow(), &job.checked))
            .collect();
        let Some(periods) = plain(txn, &news).await? else {
            return Ok(None);
        };
        let ready: Vec<Ready<'_>> = news
            .into_iter()
            .map(|(new, checked)| Ready {
                period: periods.get(&new.period_id.get()).map_or("", String::as_str),
                new,
                checked,
            })
            .collect();
        match insert_new(txn, &ready).await {
            Ok(outcomes) => Ok(Some(outcomes)),
            Err(Inner::Race(error)) => Err(error.into()),
            Err(Inner::Error(error)) => Err(error),
        }
    }
}
