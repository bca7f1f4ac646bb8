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
//! The batch is written by a task of its own, so that dropping one caller's future (a client that
//! disconnects) cannot abandon the others' submissions half-way. If that task ends without an
//! answer (its runtime shut down), the caller submits alone: the idempotency key makes that safe.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sea_orm::{DatabaseTransaction, TransactionTrait};
use tokio::sync::oneshot;
use vsoko_checklist::AnswerSheet;
use vsoko_scoring::SubmissionScore;

use crate::error::{Result, StorageError};
use crate::model::{Id, NewSubmission, SubjectRef, SubmitOutcome};
use crate::store::Store;
use crate::submissions::{Checked, Inner};

/// Submissions waiting for this process's SQLite writer.
#[derive(Default)]
pub(crate) struct Pending {
    queue: Mutex<Vec<Job>>,
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

    /// Writes a batch in one transaction, a savepoint per submission, and answers every caller.
    async fn commit_batch(&self, batch: Vec<Job>) {
        let txn = match self.begin_immediate().await {
            Ok(txn) => txn,
            Err(error) => {
                let message = error.to_string();
                for job in batch {
                    let _ = job.reply.send(Err(batch_failed(&message)));
                }
                return;
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
