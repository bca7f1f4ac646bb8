//! Submitting answers, correcting them, reading and listing them — for every caller alike.

use std::sync::Arc;

use chrono::NaiveDate;
use vsoko_checklist::{
    AnswerSheet, AnswerValue, Counting, Instrument, RawAnswer, Respondent, Subject,
};
use vsoko_storage::{
    Correction, NewSubmission, Page, PageRequest, Period, Record, RespondentRef, Scope,
    StorageError, StoredAnswer, SubjectRef, Submission, SubmissionDetail, SubmissionFilter,
};

use crate::error::{AppError, AppResult, FieldError};
use crate::{App, Principal};
use vsoko_domain::{KindergartenId, SubmissionId};

/// One answer as a caller sends it: a value on the item's scale, or «не применимо».
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerInput {
    /// Item code.
    pub item: String,
    /// The chosen option's value or the number entered; `None` with `na`.
    pub value: Option<f64>,
    /// «Не применимо».
    pub na: bool,
    /// Optional comment.
    pub comment: Option<String>,
}

/// A new submission.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    /// Instrument code.
    pub instrument: String,
    /// Instrument version (default: the latest).
    pub version: Option<u32>,
    /// Period code.
    pub period: String,
    /// What is assessed (default for teachers: themselves).
    pub subject: Option<SubjectRef>,
    /// The answers.
    pub answers: Vec<AnswerInput>,
    /// The caller's idempotency key: the same key again returns the submission made first.
    pub idempotency_key: String,
    /// A control card's observation date (default: today, when it falls in the period).
    pub observed_on: Option<NaiveDate>,
}

/// A stored revision with what it needs to be shown: its instrument and its period's code.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    /// The revision, its answers and scores.
    pub detail: SubmissionDetail,
    /// The instrument version it was filled in against.
    pub instrument: Arc<Instrument>,
    /// The period code.
    pub period: String,
    /// `false` when an idempotency key was replayed and the earlier revision is returned.
    pub created: bool,
    /// Whether the caller may correct it: the latest revision, of a form she fills about its
    /// subject (the period's being open is the page's to show).
    pub correctable: bool,
}

/// Filters of a listing; every one optional.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    /// Period code.
    pub period: Option<String>,
    /// Instrument code (its latest version unless `version`).
    pub instrument: Option<String>,
    /// Instrument version.
    pub version: Option<u32>,
    /// Kindergarten id.
    pub kindergarten: Option<KindergartenId>,
    /// Subject.
    pub subject: Option<SubjectRef>,
    /// Superseded revisions too.
    pub include_superseded: bool,
    /// The page.
    pub page: PageRequest,
}

/// Answers checked against their instrument and scored: what a new submission or a correction
/// writes, made one way whatever the channel — a form or the API, a parents' link, an import,
/// the demo.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The checked answers.
    pub sheet: AnswerSheet,
    /// Their scores.
    pub score: vsoko_scoring::SubmissionScore,
}

impl Scored {
    /// Answers as a person sent them: the instrument's own check, then the scores.
    pub fn check(instrument: &Instrument, answers: &[AnswerInput]) -> AppResult<Scored> {
        Scored::of(instrument, check_answers(instrument, answers)?)
    }

    /// Answers checked already (an import's plan, the demo's generated sheet): their scores.
    pub fn of(instrument: &Instrument, sheet: AnswerSheet) -> AppResult<Scored> {
        let score = vsoko_scoring::score_submission(instrument, &sheet)?;
        Ok(Scored { sheet, score })
    }
}

/// Wire answers → a checked sheet; every problem is reported, each named by its item code.
pub fn check_answers(instrument: &Instrument, answers: &[AnswerInput]) -> AppResult<AnswerSheet> {
    let mut comments = crate::validate::Checks::new();
    for answer in answers {
        if let Some(comment) = &answer.comment {
            comments.comment(&format!("answers.{}", answer.item), comment);
        }
    }
    comments.done()?;
    let mut shape_errors = Vec::new();
    let mut raw = Vec::with_capacity(answers.len());
    for answer in answers {
        let field = format!("answers.{}", answer.item);
        let value = match (answer.value, answer.na) {
            (Some(value), false) => AnswerValue::Value(value),
            (None, true) => AnswerValue::NotApplicable,
            (Some(_), true) => {
                shape_errors.push(FieldError::new(
                    &field,
                    "value_and_na",
                    format!(
                        "пункт «{}»: укажите либо значение, либо «не применимо»",
                        answer.item
                    ),
                ));
                continue;
            }
            (None, false) => {
                shape_errors.push(FieldError::new(
                    &field,
                    "value_missing",
                    format!("пункт «{}»: нет значения", answer.item),
                ));
                continue;
            }
        };
        raw.push(RawAnswer {
            item: answer.item.clone(),
            value,
            comment: answer.comment.clone(),
        });
    }
    if !shape_errors.is_empty() {
        return Err(AppError::Invalid {
            detail: format!("{} invalid answer(s)", shape_errors.len()),
            errors: shape_errors,
        });
    }
    Ok(instrument.validate_answers(raw)?)
}

/// 422 unless `subject` is of the kind `instrument` assesses.
pub(crate) fn check_subject_kind(instrument: &Instrument, subject: SubjectRef) -> AppResult<()> {
    if subject.kind() == instrument.subject().as_str() {
        return Ok(());
    }
    Err(AppError::invalid(
        "subject.kind",
        "wrong_subject",
        format!(
            "{} assesses a {}, not a {}",
            instrument.id(),
            instrument.subject().as_str(),
            subject.kind()
        ),
    ))
}

/// Who answers a form: the subject of a teacher's survey about herself (so that her answers over
/// the API and from an imported form are one respondent), else the author's person, else the
/// account.
pub fn respondent_of(
    instrument: &Instrument,
    principal: &Principal,
    subject: SubjectRef,
) -> RespondentRef {
    match (instrument.respondent(), instrument.subject(), subject) {
        (Respondent::Teacher, Subject::Teacher, SubjectRef::Teacher(person)) => {
            RespondentRef::Person(person)
        }
        _ => match principal.user.person_id {
            Some(person) => RespondentRef::Person(person),
            None => RespondentRef::User(principal.user.id),
        },
    }
}

/// The observation date of a control card: the one given, which must fall in the period, or
/// today when today does; other instruments take a date only when given (in the period too).
fn observation_date(
    instrument: &Instrument,
    period: &Period,
    given: Option<NaiveDate>,
) -> AppResult<Option<NaiveDate>> {
    let in_period = |date: NaiveDate| (period.starts_on..=period.ends_on).contains(&date);
    let outside = || {
        AppError::invalid(
            "observed_on",
            "outside_period",
            format!(
                "дата наблюдения должна входить в период {}: с {} по {}",
                period.code,
                period.starts_on.format("%d.%m.%Y"),
                period.ends_on.format("%d.%m.%Y")
            ),
        )
    };
    match given {
        Some(date) if in_period(date) => Ok(Some(date)),
        Some(_) => Err(outside()),
        None if instrument.counting() == Counting::Observations => {
            let today = chrono::Utc::now().date_naive();
            if in_period(today) {
                Ok(Some(today))
            } else {
                Err(AppError::invalid(
                    "observed_on",
                    "required",
                    format!(
                        "укажите дату наблюдения в пределах периода {}: с {} по {}",
                        period.code,
                        period.starts_on.format("%d.%m.%Y"),
                        period.ends_on.format("%d.%m.%Y")
                    ),
                ))
            }
        }
        None => Ok(None),
    }
}

impl App {
    /// Submits answers about a subject: the teacher herself by default. The same idempotency key
    /// again returns the first result (`created: false`).
    pub async fn submit(
        &self,
        principal: &Principal,
        request: SubmitRequest,
    ) -> AppResult<SubmissionView> {
        let mut checks = crate::validate::Checks::new();
        checks.idempotency_key("idempotency_key", &request.idempotency_key);
        checks.done()?;
        crate::validate::lookup("instrument", &request.instrument, "instrument or version")?;
        crate::validate::lookup("period", &request.period, "period")?;
        // What the system knows is not asked: a teacher's own survey is about her, and an
        // instrument about the kindergarten filled by its head is about her kindergarten.
        let own_kindergarten = match (
            request.subject,
            principal.default_subject(),
            principal.scope(),
        ) {
            (None, None, Scope::Kindergarten(unit)) => self
                .instrument_named("instrument", &request.instrument, request.version)
                .await?
                .instrument
                .subject()
                .eq(&Subject::Kindergarten)
                .then_some(SubjectRef::Kindergarten(unit)),
            _ => None,
        };
        let subject = request
            .subject
            .or_else(|| principal.default_subject())
            .or(own_kindergarten)
            .ok_or_else(|| {
                AppError::invalid(
                    "subject",
                    "required",
                    "say what is assessed: a teacher, a group or the kindergarten",
                )
            })?;
        // The instrument, the period and the subject's kindergarten in one query.
        let context = self
            .store
            .submission_context(
                principal.network_id(),
                &request.instrument,
                request.version,
                &request.period,
                subject,
            )
            .await
            .map_err(|error| match error {
                StorageError::NotFound {
                    record: Record::Instrument,
                    ..
                } => AppError::invalid("instrument", "unknown", "unknown instrument or version"),
                StorageError::NotFound {
                    record: Record::Period,
                    ..
                } => AppError::invalid("period", "unknown", "unknown period"),
                other => other.into(),
            })?;
        let stored = self.resolve(context.instrument()).await?;
        let instrument = &stored.instrument;
        let period = context.period();
        check_subject_kind(instrument, subject)?;
        let kindergarten = context.kindergarten()?;
        principal.check_kindergarten(kindergarten)?;
        principal.check_submit(instrument, subject)?;
        // What the system computes is written by the server, whatever the request says.
        let computed = self
            .with_computed(
                principal,
                instrument,
                kindergarten,
                period,
                &request.answers,
            )
            .await?;
        let answers = computed.as_deref().unwrap_or(&request.answers);
        let Scored { sheet, score } = Scored::check(instrument, answers)?;
        let observed_on = observation_date(instrument, period, request.observed_on)?;
        let respondent = respondent_of(instrument, principal, subject);
        let outcome = self
            .store
            .submit_in_context(
                &context,
                &NewSubmission {
                    instrument_id: stored.id,
                    period_id: period.id,
                    kindergarten_id: kindergarten.id,
                    subject,
                    author_user_id: principal.user.id,
                    respondent: &respondent,
                    idempotency_key: &request.idempotency_key,
                    answers: &sheet,
                    score: &score,
                    observed_on,
                    answered_at: None,
                    respondent_email: None,
                },
            )
            .await?;
        if outcome.created {
            self.observe(|observer| {
                observer.submissions_accepted(instrument.kind(), crate::Channel::Account, 1);
            });
        }
        // A new submission is answered from memory; a replayed key from what was stored then.
        let detail = if outcome.created {
            SubmissionDetail {
                submission: outcome.submission.clone(),
                instrument: instrument.id().clone(),
                answers: sheet
                    .iter()
                    .map(|(item, answer)| StoredAnswer {
                        item: item.to_string(),
                        value: answer.value,
                        comment: answer.comment.clone(),
                    })
                    .collect(),
                score,
            }
        } else {
            self.store.get_submission(outcome.submission.id).await?
        };
        Ok(SubmissionView {
            correctable: detail.submission.is_latest,
            detail,
            instrument: Arc::clone(instrument),
            period: period.code.clone(),
            created: outcome.created,
        })
    }

    /// Corrects a submission: the full new set of answers becomes its next revision. An optional
    /// idempotency key makes retries safe.
    pub async fn correct(
        &self,
        principal: &Principal,
        id: SubmissionId,
        answers: &[AnswerInput],
        idempotency_key: Option<&str>,
    ) -> AppResult<SubmissionView> {
        if let Some(key) = idempotency_key {
            let mut checks = crate::validate::Checks::new();
            checks.idempotency_key("idempotency_key", key);
            checks.done()?;
        }
        let earlier = self.store.get_submission(id).await?;
        principal.check_submission(&earlier.submission)?;
        let stored = self
            .instrument_by_id(earlier.submission.instrument_id)
            .await?;
        principal.check_submit(&stored.instrument, earlier.submission.subject)?;
        let computed = if stored
            .instrument
            .items()
            .any(|entry| entry.item.computed().is_some())
        {
            let kindergarten = self
                .store
                .kindergarten(earlier.submission.kindergarten_id)
                .await?;
            let period = self.store.period(earlier.submission.period_id).await?;
            self.with_computed(
                principal,
                &stored.instrument,
                &kindergarten,
                &period,
                answers,
            )
            .await?
        } else {
            None
        };
        let answers = computed.as_deref().unwrap_or(answers);
        let Scored { sheet, score } = Scored::check(&stored.instrument, answers)?;
        let outcome = self
            .store
            .correct(&Correction {
                supersedes: earlier.submission.id,
                author_user_id: principal.user.id,
                idempotency_key,
                answers: &sheet,
                score: &score,
                answered_at: None,
            })
            .await?;
        let mut view = self.view(outcome.submission.id, stored.instrument).await?;
        view.created = outcome.created;
        Ok(view)
    }

    /// One revision with its answers and scores, if the caller may see it (404 otherwise).
    pub async fn submission(
        &self,
        principal: &Principal,
        id: SubmissionId,
    ) -> AppResult<SubmissionView> {
        let detail = self.store.get_submission(id).await?;
        principal.check_submission(&detail.submission)?;
        let stored = self
            .instrument_by_id(detail.submission.instrument_id)
            .await?;
        let period = self.store.period(detail.submission.period_id).await?;
        let correctable = detail.submission.is_latest
            && principal
                .check_submit(&stored.instrument, detail.submission.subject)
                .is_ok();
        Ok(SubmissionView {
            correctable,
            detail,
            instrument: stored.instrument,
            period: period.code,
            created: false,
        })
    }

    /// Every revision of the submission a revision belongs to, oldest first, if the caller may
    /// see it.
    pub async fn submission_history(
        &self,
        principal: &Principal,
        id: SubmissionId,
    ) -> AppResult<Vec<Submission>> {
        let history = self.store.submission_history(id).await?;
        for revision in &history {
            principal.check_submission(revision)?;
        }
        Ok(history)
    }

    async fn view(
        &self,
        id: SubmissionId,
        instrument: Arc<Instrument>,
    ) -> AppResult<SubmissionView> {
        let detail = self.store.get_submission(id).await?;
        let period = self.store.period(detail.submission.period_id).await?;
        Ok(SubmissionView {
            correctable: detail.submission.is_latest,
            detail,
            instrument,
            period: period.code,
            created: true,
        })
    }

    /// Submissions visible to the caller (latest revisions unless `include_superseded`), by id.
    pub async fn list_submissions(
        &self,
        principal: &Principal,
        request: ListRequest,
    ) -> AppResult<Page<Submission>> {
        let mut filter = SubmissionFilter {
            scope: principal.listing_scope(),
            include_superseded: request.include_superseded,
            subject: request.subject,
            ..SubmissionFilter::default()
        };
        if let Some(code) = &request.period {
            filter.period_id = Some(self.period_named(principal, "period", code).await?.id);
        }
        if let Some(code) = &request.instrument {
            filter.instrument_id = Some(
                self.instrument_named("instrument", code, request.version)
                    .await?
                    .id,
            );
        }
        if let Some(id) = request.kindergarten {
            filter.kindergarten_id = Some(self.kindergarten(principal, id).await?.id);
        }
        if let Some(own) = principal.own_subject(request.subject)? {
            filter.subject = own;
            if own.is_none() {
                filter.author_user_id = Some(principal.user.id);
            }
        }
        let page = PageRequest {
            offset: request.page.offset,
            limit: request.page.limit.clamp(1, 1000),
        };
        let mut result = self.store.list_submissions(&filter, page).await?;
        result
            .items
            .retain(|submission| principal.sees_submission(submission));
        Ok(result)
    }
}

/// Every submission a filter selects, page after page.
pub(crate) async fn every(
    store: &vsoko_storage::Store,
    filter: &SubmissionFilter,
) -> AppResult<Vec<Submission>> {
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .list_submissions(
                filter,
                PageRequest {
                    offset,
                    limit: 1000,
                },
            )
            .await?;
        let count = page.items.len() as u64;
        all.extend(page.items);
        offset += count;
        if count == 0 || offset >= page.total {
            return Ok(all);
        }
    }
}
