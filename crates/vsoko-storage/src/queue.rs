//! The queue of submissions waiting for this process's SQLite writer (see `crate::group`, which
//! drains it): plain data, shared by every clone of a `Store`.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::oneshot;
use vsoko_checklist::AnswerSheet;
use vsoko_scoring::SubmissionScore;

use crate::error::Result;
use crate::model::{Checked, NewSubmission, RespondentRef, SubjectRef, SubmitOutcome};
use crate::model::{InstrumentVersionId, KindergartenId, PeriodId, UserId};

/// Submissions waiting for this process's SQLite writer.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) queue: Mutex<Queue>,
}

#[derive(Default)]
pub(crate) struct Queue {
    pub(crate) jobs: Vec<Job>,
    /// Whether a writer task is running: it takes every job queued, batch after batch, until it
    /// finds the queue empty.
    pub(crate) writing: bool,
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
pub(crate) struct Turn {
    pub(crate) pending: Arc<Pending>,
    pub(crate) finished: bool,
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

pub(crate) struct Job {
    pub(crate) new: OwnedSubmission,
    pub(crate) checked: Checked,
    pub(crate) reply: oneshot::Sender<Result<SubmitOutcome>>,
}

/// A [`NewSubmission`] that can wait on the queue.
pub(crate) struct OwnedSubmission {
    instrument_id: InstrumentVersionId,
    period_id: PeriodId,
    kindergarten_id: KindergartenId,
    subject: SubjectRef,
    author_user_id: UserId,
    respondent: RespondentRef,
    idempotency_key: String,
    answers: AnswerSheet,
    score: SubmissionScore,
    observed_on: Option<NaiveDate>,
    answered_at: Option<DateTime<Utc>>,
    respondent_email: Option<String>,
}

impl OwnedSubmission {
    pub(crate) fn of(new: &NewSubmission<'_>) -> OwnedSubmission {
        OwnedSubmission {
            instrument_id: new.instrument_id,
            period_id: new.period_id,
            kindergarten_id: new.kindergarten_id,
            subject: new.subject,
            author_user_id: new.author_user_id,
            respondent: new.respondent.clone(),
            idempotency_key: new.idempotency_key.to_owned(),
            answers: new.answers.clone(),
            score: new.score.clone(),
            observed_on: new.observed_on,
            answered_at: new.answered_at,
            respondent_email: new.respondent_email.map(str::to_owned),
        }
    }

    pub(crate) fn borrow(&self) -> NewSubmission<'_> {
        NewSubmission {
            instrument_id: self.instrument_id,
            period_id: self.period_id,
            kindergarten_id: self.kindergarten_id,
            subject: self.subject,
            author_user_id: self.author_user_id,
            respondent: &self.respondent,
            idempotency_key: &self.idempotency_key,
            answers: &self.answers,
            score: &self.score,
            observed_on: self.observed_on,
            answered_at: self.answered_at,
            respondent_email: self.respondent_email.as_deref(),
        }
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
