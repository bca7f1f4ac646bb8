//! Submissions: one transaction for a revision, its answers, its scores and its audit entry.
//!
//! Rules (see the «Storage» section of `ARCHITECTURE.md`): a submission is never updated in place
//! or deleted; a correction is a new row with the next revision number, and the only column ever
//! updated is `is_latest` of the revision it supersedes (and `packed_scores`, a cache, by
//! `recompute`). A closed period refuses both. Under the instrument's counting rule at most one
//! latest revision holds each counting key.
//!
//! * `context` — what a new submission names, read in one query before the write;
//! * `write` — the one insert path, submit, correct and the import batch;
//! * `read` — one revision, a history, listings;
//! * `tables` — the rows written, as plain values; `hash` — what a submission is made of;
//! * `repair` — rows of earlier versions brought under the counting rule.

mod context;
mod hash;
mod read;
mod repair;
mod tables;
mod write;

pub(crate) use read::{listed, stored_answer};
pub(crate) use tables::packed_scores;
pub use write::BatchWrite;
pub(crate) use write::{Ready, insert_new, plain};

use vsoko_checklist::{AnswerSheet, InstrumentId};
use vsoko_scoring::SubmissionScore;

use crate::error::{Result, StorageError};
pub(crate) use crate::model::Checked;
use crate::model::{NewSubmission, SubmissionContext, SubmitOutcome};
use crate::store::Store;

/// Failure inside a submit transaction: a unique violation of the idempotency or counting key (a
/// concurrent request won) or any other error.
pub(crate) enum Inner {
    Race(sea_orm::DbErr),
    Error(StorageError),
}

impl<E: Into<StorageError>> From<E> for Inner {
    fn from(error: E) -> Self {
        Inner::Error(error.into())
    }
}

/// Checks that answers and scores were made against the submission's instrument version.
pub(crate) fn check_instrument(
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

impl Store {
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
        context::made_for(&instrument.instrument, instrument.subject.as_str(), new)?;
        let checked = Checked {
            instrument: instrument.instrument.clone(),
            network_id: kindergarten.network_id,
            counting: instrument.counting,
        };
        self.submit_checked(new, checked).await
    }
}
