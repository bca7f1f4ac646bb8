//! Drafts kept on the server and sending: a draft saved as typed, sent through [`App::submit`] or
//! [`App::correct`] (the API's own checks), a refused form kept as the draft its page shows with
//! the errors, a form sent already keeping what came again as the draft of a correction.

use crate::error::{AppError, AppResult, FieldError};
use crate::submissions::{AnswerInput, SubmissionView, SubmitRequest};
use crate::{App, Principal};
use chrono::NaiveDate;
use vsoko_checklist::Subject;
use vsoko_storage::{Draft, NewDraft, SubjectRef};

use super::*;
use vsoko_domain::{InstrumentVersionId, PeriodId, SubmissionId};

/// Which draft a form is: one per author and form.
pub(super) fn draft_key(
    instrument_id: InstrumentVersionId,
    period_id: PeriodId,
    subject: Option<SubjectRef>,
) -> String {
    match subject {
        Some(subject) => format!(
            "new:{instrument_id}:{period_id}:{}:{}",
            subject.kind(),
            subject.raw_id()
        ),
        None => format!("new:{instrument_id}:{period_id}:chosen"),
    }
}

pub(super) fn correction_key(root: SubmissionId) -> String {
    format!("fix:{root}")
}

/// What sending a form came to (see [`App::send_form`]).
#[derive(Debug)]
pub enum SendOutcome {
    /// Stored — or the same answers were already stored with this form's key
    /// (`SubmissionView::created` is then false).
    Stored(Box<SubmissionView>),
    /// Refused as invalid; `kept`: the fields are the form's draft now, shown again with
    /// [`form_errors`].
    Refused {
        /// Every problem.
        errors: Vec<FieldError>,
        /// Whether the fields were kept as the draft.
        kept: bool,
    },
    /// The form was sent already; `kept`: the new answers are the draft of a correction of
    /// `submission`.
    AlreadySent {
        /// The latest revision of what was sent.
        submission: SubmissionId,
        /// Whether the answers were kept as a correction's draft.
        kept: bool,
    },
    /// The corrected revision was corrected since; `kept`: the answers are the draft of the
    /// correction of `latest`.
    Superseded {
        /// The latest revision.
        latest: SubmissionId,
        /// Whether the answers were kept as a correction's draft.
        kept: bool,
    },
}

/// A form's fields turned into what is sent.
pub(super) struct Prepared {
    answers: Vec<AnswerInput>,
    subject: Option<SubjectRef>,
    observed_on: Option<NaiveDate>,
}

/// Every problem of a form's fields at once — the subject chosen, the observation date, each
/// answer (an unreadable field is its own error only) — or what is sent.
pub(super) fn prepare(context: &FormContext, input: &FormInput) -> AppResult<Prepared> {
    check_fields(&context.instrument.instrument, input)?;
    let mut errors = Vec::new();
    let subject = match &context.subject_choices {
        Some(choices) => match input.subject {
            Some(subject) => match check_choice(choices, subject) {
                Ok(()) => Some(subject),
                Err(AppError::Invalid {
                    errors: mut more, ..
                }) => {
                    errors.append(&mut more);
                    None
                }
                Err(other) => return Err(other),
            },
            None => {
                errors.push(FieldError::new(
                    "subject",
                    "required",
                    match context.instrument.instrument.subject() {
                        Subject::Group => "выберите группу",
                        _ => "выберите педагога",
                    },
                ));
                None
            }
        },
        None => context.subject,
    };
    let observed_on = match input.observed_on.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => match parse_date(text) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    "observed_on",
                    "not_a_date",
                    "дата наблюдения: введите дату, например 14.05.2025",
                ));
                None
            }
        },
        _ if context.asks_date() => {
            errors.push(FieldError::new(
                "observed_on",
                "required",
                "укажите дату наблюдения",
            ));
            None
        }
        _ => None,
    };
    let (answers, mut more) = checked_answers(&context.instrument.instrument, &input.values);
    errors.append(&mut more);
    AppError::check(errors)?;
    Ok(Prepared {
        answers,
        subject,
        observed_on,
    })
}

/// The problems of the fields a form shows (its draft): what sending it now would answer. The
/// form page shows them after a refused send, which kept the fields as the draft.
pub fn form_errors(context: &FormContext) -> Vec<FieldError> {
    let input = FormInput {
        values: context.values.clone(),
        subject: context.subject,
        observed_on: context.observed_on.clone(),
        idempotency_key: context.idempotency_key.clone(),
    };
    match prepare(context, &input) {
        Err(AppError::Invalid { errors, .. }) => errors,
        _ => Vec::new(),
    }
}

pub(super) fn draft_values(draft: Option<&Draft>) -> FormValues {
    draft
        .and_then(|draft| serde_json::from_str(&draft.fields).ok())
        .unwrap_or_default()
}

impl App {
    /// Saves the caller's draft of a form (visible to the caller only, never counted). A closed
    /// period takes no drafts.
    pub async fn save_draft(
        &self,
        principal: &Principal,
        target: &FormTarget,
        input: &FormInput,
    ) -> AppResult<Draft> {
        // A draft keeps what was typed; computed values are taken anew when the form opens.
        let context = self.open_form_stored(principal, target).await?;
        if let Some(reason) = &context.read_only {
            return Err(AppError::Conflict {
                code: "period_closed",
                detail: reason.clone(),
                submission: None,
            });
        }
        if let Some(sent) = &context.submitted {
            // A draft of a form sent already would be kept where nobody sees it.
            return Err(AppError::Conflict {
                code: "already_submitted",
                detail:
                    "эта форма за период уже отправлена: ответы исправляют через «Исправить ответы»"
                        .to_owned(),
                submission: Some(sent.id),
            });
        }
        check_fields(&context.instrument.instrument, input)?;
        let subject = match (&context.subject_choices, input.subject) {
            (Some(choices), Some(subject)) => {
                check_choice(choices, subject)?;
                Some(subject)
            }
            (Some(_), None) => None,
            (None, _) => context.subject,
        };
        let key = context.draft_key();
        let corrects = context.corrects.as_ref().map(|earlier| earlier.id);
        let fields = serde_json::to_string(&input.values)
            .map_err(|error| AppError::unexpected(format!("draft fields: {error}")))?;
        let key_to_keep = if input.idempotency_key.is_empty() {
            context.idempotency_key.clone()
        } else {
            input.idempotency_key.clone()
        };
        Ok(self
            .store
            .save_draft(&NewDraft {
                user_id: principal.user.id,
                form_key: &key,
                instrument_id: context.instrument.id,
                period_id: context.period.id,
                subject,
                corrects,
                observed_on: input.observed_on.as_deref().and_then(parse_date),
                idempotency_key: &key_to_keep,
                fields: &fields,
            })
            .await?)
    }

    /// Sends a form: a new submission ([`App::submit`]) or a correction ([`App::correct`]), with
    /// the same checks as the API. Nothing typed is lost and nothing is kept where the person
    /// cannot see it:
    /// * stored: the draft is deleted;
    /// * refused as invalid: the fields are kept as the form's draft, which the form shows again
    ///   with its errors ([`form_errors`]);
    /// * the form was sent already (one answer a period, or this form's key sent with other
    ///   answers, as after «Назад»): the new answers become the draft of a correction of what
    ///   was sent, which the list of forms shows, and the new form keeps no draft;
    /// * a correction of a revision corrected since: the answers become the draft of the
    ///   correction of the latest one.
    pub async fn send_form(
        &self,
        principal: &Principal,
        target: &FormTarget,
        input: FormInput,
    ) -> AppResult<SendOutcome> {
        let context = self.open_form(principal, target).await?;
        // What the system computes is written by the server, whatever the browser sent.
        let mut input = input;
        computed::write_into(&mut input.values, &context.computed);
        if let Some(reason) = &context.read_only {
            return Err(AppError::Conflict {
                code: "period_closed",
                detail: reason.clone(),
                submission: None,
            });
        }
        let drop_draft = || async {
            let key = context.draft_key();
            if let Err(error) = self.store.delete_draft(principal.user.id, &key).await {
                tracing::warn!(%error, "a form's draft was not deleted");
            }
        };
        let keep_for_correction = |submission: SubmissionId| {
            let input = FormInput {
                // The correction is sent with a key of its own.
                idempotency_key: String::new(),
                ..input.clone()
            };
            async move {
                let target = FormTarget::Correction { submission };
                match self.save_draft(principal, &target, &input).await {
                    Ok(_) => true,
                    Err(error) => {
                        tracing::info!(%error, "answers sent again were not kept as a correction");
                        false
                    }
                }
            }
        };
        match self.send_checked(principal, &context, &input).await {
            Ok(view) => {
                drop_draft().await;
                Ok(SendOutcome::Stored(Box::new(view)))
            }
            Err(AppError::Invalid { .. }) if context.submitted.is_some() => {
                // A stale page of a form sent since (another tab, «Назад»): what it holds is
                // kept for a correction, never shown as errors of a form that cannot be sent.
                let sent = context
                    .submitted
                    .as_ref()
                    .map_or(SubmissionId::new(0), |sent| sent.id);
                let kept = keep_for_correction(sent).await;
                drop_draft().await;
                Ok(SendOutcome::AlreadySent {
                    submission: sent,
                    kept,
                })
            }
            Err(AppError::Invalid { errors, .. }) => {
                let kept = match self.save_draft(principal, target, &input).await {
                    Ok(_) => true,
                    Err(error) => {
                        tracing::info!(%error, "a refused form could not be kept as a draft");
                        false
                    }
                };
                Ok(SendOutcome::Refused { errors, kept })
            }
            Err(AppError::Conflict {
                code: "already_submitted" | "idempotency_key_reused",
                submission: Some(submission),
                ..
            }) => {
                let kept = keep_for_correction(submission).await;
                drop_draft().await;
                Ok(SendOutcome::AlreadySent { submission, kept })
            }
            Err(AppError::Conflict {
                code: "not_latest_revision",
                submission: Some(latest),
                ..
            }) => {
                let kept = keep_for_correction(latest).await;
                Ok(SendOutcome::Superseded { latest, kept })
            }
            Err(other) => Err(other),
        }
    }

    /// Deletes the caller's draft of a form.
    pub async fn discard_draft(&self, principal: &Principal, target: &FormTarget) -> AppResult<()> {
        let context = self.open_form(principal, target).await?;
        self.store
            .delete_draft(principal.user.id, &context.draft_key())
            .await?;
        Ok(())
    }

    async fn send_checked(
        &self,
        principal: &Principal,
        context: &FormContext,
        input: &FormInput,
    ) -> AppResult<SubmissionView> {
        let ready = prepare(context, input)?;
        match &context.corrects {
            Some(earlier) => {
                self.correct(
                    principal,
                    earlier.id,
                    &ready.answers,
                    Some(&input.idempotency_key),
                )
                .await
            }
            None => {
                let subject = ready.subject.ok_or_else(|| {
                    AppError::invalid("subject", "required", "выберите, о ком или о чём эта форма")
                })?;
                self.submit(
                    principal,
                    SubmitRequest {
                        instrument: context.instrument.instrument.code().to_string(),
                        version: Some(context.instrument.instrument.version()),
                        period: context.period.code.clone(),
                        subject: Some(subject),
                        answers: ready.answers,
                        idempotency_key: input.idempotency_key.clone(),
                        observed_on: ready.observed_on,
                    },
                )
                .await
            }
        }
    }
}
