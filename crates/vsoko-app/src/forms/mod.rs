//! Forms filled in a browser: which forms are open to the caller and where each stands, a form's
//! context (instrument, period, subject, the values to show), drafts kept on the server, and
//! sending — which goes through [`App::submit`] and [`App::correct`], the same checks as the API.
//!
//! A form's fields arrive as typed ([`FieldValue`]: the chosen option's value, `na`, a number with
//! a decimal comma, a comment). They are kept so in drafts, so nothing a person typed is lost, and
//! turned into answers only when the form is sent.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use vsoko_checklist::{Counting, Instrument, Subject};
use vsoko_storage::{
    Draft, Id, Kindergarten, NewDraft, PageRequest, Period, PeriodStatus, Role, Scope, SubjectRef,
    Submission, SubmissionFilter,
};

use crate::error::{AppError, AppResult, FieldError};
use crate::submissions::{AnswerInput, SubmissionView, SubmitRequest, respondent_of};
use crate::{App, Principal, ResolvedInstrument};

/// The longest value a field may hold (an option's value, a number as typed).
const MAX_VALUE_CHARS: usize = 64;

/// One item's field as typed: `value` is an option's value, `na`, a number (`12,5`) or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The chosen option's value, `na`, the number typed, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// The comment typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// A form's fields by item code.
pub type FormValues = BTreeMap<String, FieldValue>;

/// The value of an N/A answer in a form field.
pub const NA: &str = "na";

/// Which form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormTarget {
    /// A new submission of an instrument in a period.
    New {
        /// Instrument code.
        instrument: String,
        /// Its version (default: the latest).
        version: Option<u32>,
        /// Period code.
        period: String,
    },
    /// The correction of a submission (by the id of a revision; the latest is corrected).
    Correction {
        /// The revision.
        submission: Id,
    },
}

/// What a form sends or saves besides its answers.
#[derive(Debug, Clone, Default)]
pub struct FormInput {
    /// The fields.
    pub values: FormValues,
    /// What the form is about, for forms where it is chosen (control cards).
    pub subject: Option<SubjectRef>,
    /// A card's observation date as typed (`2025-05-14` or `14.05.2025`).
    pub observed_on: Option<String>,
    /// The form's idempotency key.
    pub idempotency_key: String,
}

/// Where a form stands for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormState {
    /// Nothing saved yet.
    NotStarted,
    /// A draft is saved.
    Draft,
    /// Sent.
    Submitted,
    /// Sent and corrected since.
    Corrected,
}

impl FormState {
    /// The Russian label.
    pub fn label_ru(self) -> &'static str {
        match self {
            FormState::NotStarted => "не начата",
            FormState::Draft => "черновик",
            FormState::Submitted => "отправлена",
            FormState::Corrected => "исправлена",
        }
    }
}

/// Something a form can be about, offered for choice (a teacher for a lesson card, a group for a
/// walk card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectChoice {
    /// The subject.
    pub subject: SubjectRef,
    /// Its name as people know it.
    pub label: String,
}

/// One form the caller fills in a period, and where it stands.
#[derive(Debug, Clone)]
pub struct FormEntry {
    /// The instrument version (the latest).
    pub instrument: ResolvedInstrument,
    /// The period.
    pub period: Period,
    /// The subject, when the form has one fixed by the caller's account; `None` for forms filled
    /// about a subject chosen each time (control cards).
    pub subject: Option<SubjectRef>,
    /// Where it stands.
    pub state: FormState,
    /// The counted submission, when sent.
    pub submission: Option<Submission>,
    /// The saved draft.
    pub draft: Option<Draft>,
    /// The saved draft of a correction of the sent form, when there is one.
    pub correction_draft: Option<Draft>,
}

/// Everything a form page shows.
#[derive(Debug, Clone)]
pub struct FormContext {
    /// Which form.
    pub target: FormTarget,
    /// The instrument version.
    pub instrument: ResolvedInstrument,
    /// The period.
    pub period: Period,
    /// The kindergarten the form is filled in.
    pub kindergarten: Option<Kindergarten>,
    /// The subject, when known (fixed, chosen in a draft, or of the corrected submission).
    pub subject: Option<SubjectRef>,
    /// Whether the subject is chosen in the form, and from what.
    pub subject_choices: Option<Vec<SubjectChoice>>,
    /// The corrected revision, for a correction.
    pub corrects: Option<Submission>,
    /// The submission that already counts for this form (one answer per period): the form is
    /// then not filled again but corrected.
    pub submitted: Option<Submission>,
    /// The values to show: the draft's, or the corrected submission's answers.
    pub values: FormValues,
    /// The observation date to show (as typed).
    pub observed_on: Option<String>,
    /// The idempotency key the form is sent with.
    pub idempotency_key: String,
    /// When the draft shown was saved.
    pub draft_saved_at: Option<DateTime<Utc>>,
    /// Why the form cannot be sent (a closed period), in Russian; `None` when it can.
    pub read_only: Option<String>,
}

impl FormContext {
    /// Which of the caller's drafts this form is.
    fn draft_key(&self) -> String {
        match &self.corrects {
            Some(earlier) => correction_key(earlier.root_id),
            None => draft_key(
                self.instrument.id,
                self.period.id,
                self.subject_choices
                    .is_none()
                    .then_some(self.subject)
                    .flatten(),
            ),
        }
    }

    /// Whether the form asks for an observation date (control cards).
    pub fn asks_date(&self) -> bool {
        self.instrument.instrument.counting() == Counting::Observations && self.corrects.is_none()
    }
}

/// A new random idempotency key for a form.
pub fn new_form_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Whether `text` has the shape of a key [`new_form_key`] makes (a key kept in a cookie is
/// checked before it is used).
pub fn is_form_key(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Whether an instrument is filled about a subject chosen each time (control cards, anything
/// about a group) rather than one the caller's account fixes.
fn subject_is_chosen(instrument: &Instrument) -> bool {
    instrument.counting() == Counting::Observations || instrument.subject() == Subject::Group
}

/// The subject a caller's account fixes for an instrument: a teacher's own person for an
/// instrument about teachers, the caller's own kindergarten for one about the kindergarten.
pub(crate) fn fixed_subject(principal: &Principal, instrument: &Instrument) -> Option<SubjectRef> {
    match (instrument.subject(), principal.scope()) {
        (Subject::Teacher, _) => principal.default_subject(),
        (Subject::Kindergarten, Scope::Kindergarten(unit)) => Some(SubjectRef::Kindergarten(unit)),
        _ => None,
    }
}

/// Which draft a form is: one per author and form.
fn draft_key(instrument_id: Id, period_id: Id, subject: Option<SubjectRef>) -> String {
    match subject {
        Some(subject) => format!(
            "new:{instrument_id}:{period_id}:{}:{}",
            subject.kind(),
            subject.id()
        ),
        None => format!("new:{instrument_id}:{period_id}:chosen"),
    }
}

fn correction_key(root: Id) -> String {
    format!("fix:{root}")
}

/// The fields as typed → answers; a number that is not one, or a comment without an answer, is an
/// error naming its item. Empty fields are not answers (a required one is then reported missing
/// by the instrument's own check).
pub fn answers_of(values: &FormValues) -> AppResult<Vec<AnswerInput>> {
    let (answers, errors) = read_fields(values);
    AppError::check(errors)?;
    Ok(answers)
}

/// The fields as typed → the answers that could be read, and an error for each field that could
/// not: one unreadable field never hides the others.
pub fn read_fields(values: &FormValues) -> (Vec<AnswerInput>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for (item, field) in values {
        let value = field.value.trim();
        let comment = field.comment.trim();
        let comment = (!comment.is_empty()).then(|| comment.to_owned());
        if value.is_empty() {
            if comment.is_some() {
                errors.push(FieldError::new(
                    &format!("answers.{item}"),
                    "comment_without_answer",
                    "выберите ответ — комментарий сохраняется вместе с ответом",
                ));
            }
            continue;
        }
        if value == NA {
            answers.push(AnswerInput {
                item: item.clone(),
                value: None,
                na: true,
                comment,
            });
            continue;
        }
        match parse_number(value) {
            Some(number) => answers.push(AnswerInput {
                item: item.clone(),
                value: Some(number),
                na: false,
                comment,
            }),
            None => errors.push(FieldError::new(
                &format!("answers.{item}"),
                "not_a_number",
                format!("«{value}» — не число: введите число, например 12 или 12,5"),
            )),
        }
    }
    (answers, errors)
}

/// Every field of a form checked at once: the fields that could be read go through the
/// instrument's own check (a required item left empty, a value off the scale), and each field's
/// error is its own — an unreadable field is reported once, for what it holds, and never makes
/// the other fields «unanswered».
pub fn checked_answers(
    instrument: &Instrument,
    values: &FormValues,
) -> (Vec<AnswerInput>, Vec<FieldError>) {
    let (answers, mut errors) = read_fields(values);
    if let Err(AppError::Invalid { errors: more, .. }) =
        crate::submissions::check_answers(instrument, &answers)
    {
        for error in more {
            if !errors.iter().any(|known| known.field == error.field) {
                errors.push(error);
            }
        }
    }
    (answers, errors)
}

/// A number as Russian users type it: `12`, `12,5`, `12.5`, ` 1 200 `, `12 %` (a percent sign
/// after the number says what the number is, not another number).
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text);
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// An observation date as typed: `2025-05-14` (a date field) or `14.05.2025` (a text field on an
/// old browser).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

/// Why a closed period's forms are read-only, in Russian.
pub fn closed_reason(period: &Period) -> String {
    let when = period
        .closed_at
        .map(|at| format!(" {}", at.format("%d.%m.%Y")))
        .unwrap_or_default();
    format!(
        "Период оценки «{}» закрыт{when}: ответы и исправления больше не принимаются. Ответы, отправленные до закрытия, учтены в отчётах.",
        period.code
    )
}

impl App {
    /// The forms open to the caller in every open period: the latest version of each instrument
    /// their role fills, with its state, those waiting for the caller first. Forms about a subject chosen each time (control cards)
    /// are listed once per period, with the state of their draft.
    pub async fn my_forms(&self, principal: &Principal) -> AppResult<Vec<FormEntry>> {
        let periods: Vec<Period> = self
            .periods(principal)
            .await?
            .into_iter()
            .filter(|period| period.status == PeriodStatus::Open)
            .collect();
        let instruments = self.fillable_instruments(principal).await?;
        let drafts = self.store.drafts(principal.user.id).await?;
        let mut entries = Vec::new();
        for period in &periods {
            for instrument in &instruments {
                let subject = if subject_is_chosen(&instrument.instrument) {
                    None
                } else {
                    match fixed_subject(principal, &instrument.instrument) {
                        Some(subject) => Some(subject),
                        // An account without the person or kindergarten the form is about.
                        None => continue,
                    }
                };
                let submission = match subject {
                    Some(subject) => {
                        self.counted_submission(principal, instrument, period, subject)
                            .await?
                    }
                    None => None,
                };
                let key = draft_key(instrument.id, period.id, subject);
                let draft = drafts.iter().find(|draft| draft.form_key == key).cloned();
                let correction_draft = submission.as_ref().and_then(|sent| {
                    let key = correction_key(sent.root_id);
                    drafts.iter().find(|draft| draft.form_key == key).cloned()
                });
                let state = match (&submission, &draft) {
                    (Some(submission), _) if submission.revision > 1 => FormState::Corrected,
                    (Some(_), _) => FormState::Submitted,
                    (None, Some(_)) => FormState::Draft,
                    (None, None) => FormState::NotStarted,
                };
                entries.push(FormEntry {
                    instrument: instrument.clone(),
                    period: period.clone(),
                    subject,
                    state,
                    submission,
                    draft,
                    correction_draft,
                });
            }
        }
        // What waits for the caller comes first (a draft, then what is not started), then what
        // was sent; otherwise in period and title order.
        entries.sort_by_key(|entry| match entry.state {
            FormState::Draft => 0,
            FormState::NotStarted => 1,
            FormState::Submitted | FormState::Corrected => 2,
        });
        Ok(entries)
    }

    /// The latest version of every instrument the caller's role fills in a browser (anonymous
    /// questionnaires are answered through links, not listed), by title.
    async fn fillable_instruments(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<ResolvedInstrument>> {
        let respondent = match principal.role() {
            Role::Teacher => vsoko_checklist::Respondent::Teacher,
            Role::Head => vsoko_checklist::Respondent::Head,
            Role::Manager => vsoko_checklist::Respondent::Manager,
            Role::Admin => return Ok(Vec::new()),
        };
        let mut resolved = Vec::new();
        for summary in self.latest_versions().await? {
            if summary.respondent == respondent.as_str() {
                resolved.push(self.resolve(&summary).await?);
            }
        }
        resolved.sort_by(|a, b| {
            (a.instrument.kind().as_str(), a.instrument.title())
                .cmp(&(b.instrument.kind().as_str(), b.instrument.title()))
        });
        Ok(resolved)
    }

    /// The submission that counts for a one-answer form of the caller (their own survey, their
    /// kindergarten's indicator set) in a period, if sent.
    async fn counted_submission(
        &self,
        principal: &Principal,
        instrument: &ResolvedInstrument,
        period: &Period,
        subject: SubjectRef,
    ) -> AppResult<Option<Submission>> {
        let counting = instrument.instrument.counting();
        if counting == Counting::Observations {
            return Ok(None);
        }
        let respondent = respondent_of(&instrument.instrument, principal, subject).key();
        let page = self
            .store
            .list_submissions(
                &SubmissionFilter {
                    period_id: Some(period.id),
                    instrument_id: Some(instrument.id),
                    subject: Some(subject),
                    ..SubmissionFilter::default()
                },
                PageRequest {
                    offset: 0,
                    limit: 1000,
                },
            )
            .await?;
        Ok(page.items.into_iter().rev().find(|submission| {
            counting == Counting::OnePerSubject
                || submission.respondent.as_deref() == Some(respondent.as_str())
        }))
    }

    /// The subjects a form about a chosen subject offers in the caller's kindergarten: its
    /// active staff for an instrument about teachers, its active groups for one about groups.
    pub async fn subject_choices(
        &self,
        principal: &Principal,
        instrument: &Instrument,
    ) -> AppResult<Vec<SubjectChoice>> {
        let Some(kindergarten) = principal.own_kindergarten() else {
            return Ok(Vec::new());
        };
        Ok(match instrument.subject() {
            Subject::Teacher => self
                .store
                .people(kindergarten)
                .await?
                .into_iter()
                .filter(|person| person.active)
                .map(|person| SubjectChoice {
                    subject: SubjectRef::Teacher(person.id),
                    label: person_label(&person),
                })
                .collect(),
            Subject::Group => self
                .store
                .groups(kindergarten)
                .await?
                .into_iter()
                .filter(|group| group.active)
                .map(|group| SubjectChoice {
                    subject: SubjectRef::Group(group.id),
                    label: group_label(&group),
                })
                .collect(),
            Subject::Kindergarten => Vec::new(),
        })
    }

    /// The name of a subject as people know it: a person's full name, a group's name with its
    /// age group, a kindergarten's short name; 404 when the caller may not see the subject.
    pub async fn subject_label(
        &self,
        principal: &Principal,
        subject: SubjectRef,
    ) -> AppResult<String> {
        Ok(match subject {
            SubjectRef::Teacher(id) => {
                let person = self.store.person(id).await?;
                let kindergarten = self.store.kindergarten(person.kindergarten_id).await?;
                principal.check_person(&person, &kindergarten)?;
                person_label(&person)
            }
            SubjectRef::Group(id) => {
                let group = self.store.group(id).await?;
                let kindergarten = self.store.kindergarten(group.kindergarten_id).await?;
                principal.check_kindergarten(&kindergarten)?;
                group_label(&group)
            }
            SubjectRef::Kindergarten(id) => {
                let kindergarten = self.store.kindergarten(id).await?;
                principal.check_kindergarten(&kindergarten)?;
                kindergarten.short_name
            }
        })
    }

    /// Everything a form page needs: the instrument, the period, the subject or the choices,
    /// the values of the caller's draft (or of the corrected submission), the idempotency key,
    /// and whether the form is read-only.
    pub async fn open_form(
        &self,
        principal: &Principal,
        target: &FormTarget,
    ) -> AppResult<FormContext> {
        match target {
            FormTarget::New {
                instrument,
                version,
                period,
            } => {
                let instrument = self
                    .instrument_named("instrument", instrument, *version)
                    .await?;
                principal.check_fill(&instrument.instrument)?;
                let period = self.period_named(principal, "period", period).await?;
                let chosen = subject_is_chosen(&instrument.instrument);
                let fixed = if chosen {
                    None
                } else {
                    Some(
                        fixed_subject(principal, &instrument.instrument).ok_or_else(|| {
                            AppError::forbidden(
                                "this account has no person or kindergarten this form is about",
                            )
                        })?,
                    )
                };
                let key = draft_key(instrument.id, period.id, fixed);
                let draft = self.store.draft(principal.user.id, &key).await?;
                let subject = fixed.or_else(|| draft.as_ref().and_then(|draft| draft.subject));
                if let Some(subject) = subject {
                    principal.check_submit(&instrument.instrument, subject)?;
                }
                let submitted = match fixed {
                    Some(subject) => {
                        self.counted_submission(principal, &instrument, &period, subject)
                            .await?
                    }
                    None => None,
                };
                let subject_choices = if chosen {
                    Some(
                        self.subject_choices(principal, &instrument.instrument)
                            .await?,
                    )
                } else {
                    None
                };
                let kindergarten = match principal.own_kindergarten() {
                    Some(id) => Some(self.store.kindergarten(id).await?),
                    None => None,
                };
                let read_only =
                    (period.status == PeriodStatus::Closed).then(|| closed_reason(&period));
                Ok(FormContext {
                    target: target.clone(),
                    values: draft_values(draft.as_ref()),
                    observed_on: draft
                        .as_ref()
                        .and_then(|draft| draft.observed_on)
                        .map(|date| date.format("%Y-%m-%d").to_string()),
                    idempotency_key: draft
                        .as_ref()
                        .map(|draft| draft.idempotency_key.clone())
                        .unwrap_or_else(new_form_key),
                    draft_saved_at: draft.as_ref().map(|draft| draft.updated_at),
                    instrument,
                    period,
                    kindergarten,
                    subject,
                    subject_choices,
                    corrects: None,
                    submitted,
                    read_only,
                })
            }
            FormTarget::Correction { submission } => {
                let view = self.submission(principal, *submission).await?;
                let earlier = view.detail.submission;
                if !earlier.is_latest {
                    return Err(AppError::Conflict {
                        code: "not_latest_revision",
                        detail: "эти ответы уже исправлены; исправляйте последнюю редакцию"
                            .to_owned(),
                        submission: None,
                    });
                }
                let instrument = self.instrument_by_id(earlier.instrument_id).await?;
                principal.check_submit(&instrument.instrument, earlier.subject)?;
                let period = self.store.period(earlier.period_id).await?;
                let draft = self
                    .store
                    .draft(principal.user.id, &correction_key(earlier.root_id))
                    .await?;
                let values = match &draft {
                    Some(_) => draft_values(draft.as_ref()),
                    None => view
                        .detail
                        .answers
                        .iter()
                        .map(|answer| {
                            let value = match answer.value {
                                vsoko_checklist::AnswerValue::Value(value) => format_number(value),
                                vsoko_checklist::AnswerValue::NotApplicable => NA.to_owned(),
                            };
                            (
                                answer.item.clone(),
                                FieldValue {
                                    value,
                                    comment: answer.comment.clone().unwrap_or_default(),
                                },
                            )
                        })
                        .collect(),
                };
                let kindergarten = Some(self.store.kindergarten(earlier.kindergarten_id).await?);
                let read_only =
                    (period.status == PeriodStatus::Closed).then(|| closed_reason(&period));
                Ok(FormContext {
                    target: target.clone(),
                    values,
                    observed_on: earlier
                        .observed_on
                        .map(|date| date.format("%Y-%m-%d").to_string()),
                    idempotency_key: draft
                        .as_ref()
                        .map(|draft| draft.idempotency_key.clone())
                        .unwrap_or_else(new_form_key),
                    draft_saved_at: draft.as_ref().map(|draft| draft.updated_at),
                    subject: Some(earlier.subject),
                    subject_choices: None,
                    corrects: Some(earlier),
                    submitted: None,
                    instrument,
                    period,
                    kindergarten,
                    read_only,
                })
            }
        }
    }

    /// Saves the caller's draft of a form (visible to the caller only, never counted). A closed
    /// period takes no drafts.
    pub async fn save_draft(
        &self,
        principal: &Principal,
        target: &FormTarget,
        input: &FormInput,
    ) -> AppResult<Draft> {
        let context = self.open_form(principal, target).await?;
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
        let keep_for_correction = |submission: Id| {
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
                let sent = context.submitted.as_ref().map_or(0, |sent| sent.id);
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

    /// Deletes the caller's draft of a form.
    pub async fn discard_draft(&self, principal: &Principal, target: &FormTarget) -> AppResult<()> {
        let context = self.open_form(principal, target).await?;
        self.store
            .delete_draft(principal.user.id, &context.draft_key())
            .await?;
        Ok(())
    }

    /// The control cards of a kindergarten in a period, newest observation first, each with its
    /// total score (heads of it, managers, admins): the head's list of what she observed. Other
    /// instruments that count every response (parents' questionnaires) are not listed.
    pub async fn kindergarten_cards(
        &self,
        principal: &Principal,
        kindergarten: Id,
        period: &str,
    ) -> AppResult<Vec<CardRow>> {
        let kindergarten = self.kindergarten(principal, kindergarten).await?;
        principal.check_kindergarten_report(&kindergarten)?;
        let period = self.period_named(principal, "period", period).await?;
        let people: BTreeMap<Id, String> = self
            .store
            .people(kindergarten.id)
            .await?
            .into_iter()
            .map(|person| (person.id, person.full_name))
            .collect();
        let groups: BTreeMap<Id, String> = self
            .store
            .groups(kindergarten.id)
            .await?
            .into_iter()
            .map(|group| (group.id, group.name))
            .collect();
        let mut rows = Vec::new();
        for summary in self.store.instruments().await? {
            // Control cards only: a parents' questionnaire counts every response too, but its
            // responses are anonymous and never listed one by one.
            if summary.kind != vsoko_checklist::InstrumentKind::ControlCard.as_str() {
                continue;
            }
            let instrument = self.resolve(&summary).await?;
            let filter = SubmissionFilter {
                period_id: Some(period.id),
                instrument_id: Some(instrument.id),
                kindergarten_id: Some(kindergarten.id),
                ..SubmissionFilter::default()
            };
            let mut offset = 0;
            loop {
                let page = self
                    .store
                    .list_scored_submissions(
                        &filter,
                        PageRequest {
                            offset,
                            limit: 1000,
                        },
                    )
                    .await?;
                let count = page.items.len() as u64;
                for listed in page.items {
                    let subject = match listed.submission.subject {
                        SubjectRef::Teacher(id) => people.get(&id).cloned(),
                        SubjectRef::Group(id) => groups.get(&id).cloned(),
                        SubjectRef::Kindergarten(_) => Some(kindergarten.short_name.clone()),
                    }
                    .unwrap_or_else(|| "—".to_owned());
                    let total = listed.nodes.first().cloned();
                    rows.push(CardRow {
                        instrument: Arc::clone(&instrument.instrument),
                        submission: listed.submission,
                        subject,
                        total,
                        critical_items: listed.critical_items,
                    });
                }
                offset += count;
                if count == 0 || offset >= page.total {
                    break;
                }
            }
        }
        rows.sort_by(|a, b| {
            (b.submission.observed_on, b.submission.id)
                .cmp(&(a.submission.observed_on, a.submission.id))
        });
        Ok(rows)
    }
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
        submission: Id,
        /// Whether the answers were kept as a correction's draft.
        kept: bool,
    },
    /// The corrected revision was corrected since; `kept`: the answers are the draft of the
    /// correction of `latest`.
    Superseded {
        /// The latest revision.
        latest: Id,
        /// Whether the answers were kept as a correction's draft.
        kept: bool,
    },
}

/// A form's fields turned into what is sent.
struct Prepared {
    answers: Vec<AnswerInput>,
    subject: Option<SubjectRef>,
    observed_on: Option<NaiveDate>,
}

/// Every problem of a form's fields at once — the subject chosen, the observation date, each
/// answer (an unreadable field is its own error only) — or what is sent.
fn prepare(context: &FormContext, input: &FormInput) -> AppResult<Prepared> {
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

/// One control card in a kindergarten's list.
#[derive(Debug, Clone)]
pub struct CardRow {
    /// The card's instrument version.
    pub instrument: Arc<Instrument>,
    /// The latest revision.
    pub submission: Submission,
    /// Who or what was observed.
    pub subject: String,
    /// The card's total score.
    pub total: Option<vsoko_scoring::NodeScore>,
    /// Critical items answered with their lowest option.
    pub critical_items: Vec<String>,
}

/// A member of staff as a form names her: `Иванова Анна Петровна, воспитатель`.
fn person_label(person: &vsoko_storage::Person) -> String {
    format!("{}, {}", person.full_name, person.position)
}

/// A group as a form names it: `Радуга (старшая)`.
fn group_label(group: &vsoko_storage::Group) -> String {
    format!("{} ({})", group.name, group.age_group)
}

fn draft_values(draft: Option<&Draft>) -> FormValues {
    draft
        .and_then(|draft| serde_json::from_str(&draft.fields).ok())
        .unwrap_or_default()
}

/// A number as a Russian form shows it: `12`, `12,5`.
pub fn format_number(value: f64) -> String {
    let text = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    };
    text.replace('.', ",")
}

/// Limits on what a draft or a form may hold: only the instrument's items, fields of bounded
/// length (nothing else is written anywhere).
fn check_fields(instrument: &Instrument, input: &FormInput) -> AppResult<()> {
    let mut checks = crate::validate::Checks::new();
    for (item, field) in &input.values {
        let name = format!("answers.{item}");
        if instrument.item(item).is_none() {
            checks.fail(
                &name,
                "unknown_item",
                format!("пункт «{item}» отсутствует в этой форме; обновите страницу"),
            );
        }
        if field.value.chars().count() > MAX_VALUE_CHARS || field.value.contains('\0') {
            checks.fail(
                &name,
                "invalid",
                format!("пункт «{item}»: введите число или выберите вариант ответа"),
            );
        }
        checks.comment(&name, &field.comment);
    }
    let key = &input.idempotency_key;
    if !key.is_empty() && !crate::validate::is_key(key) {
        checks.fail(
            "idempotency_key",
            "invalid",
            "форма повреждена: обновите страницу".to_owned(),
        );
    }
    checks.done()
}

fn check_choice(choices: &[SubjectChoice], subject: SubjectRef) -> AppResult<()> {
    if choices.iter().any(|choice| choice.subject == subject) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "subject",
            "unknown",
            "выберите педагога или группу из списка",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_russian_users_type_them() {
        assert_eq!(parse_number("12"), Some(12.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("двенадцать"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("12%"), Some(12.0));
        assert_eq!(parse_number(" 12 % "), Some(12.0));
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("12%%"), None);
        assert_eq!(parse_number("%"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(12.5), "12,5");
    }

    #[test]
    fn dates_are_read_from_date_fields_and_from_text_fields() {
        let may = NaiveDate::from_ymd_opt(2025, 5, 14);
        assert_eq!(parse_date("2025-05-14"), may);
        assert_eq!(parse_date("14.05.2025"), may);
        assert_eq!(parse_date("14 мая"), None);
    }

    #[test]
    fn fields_become_answers_and_bad_ones_name_their_item() {
        let mut values = FormValues::new();
        values.insert(
            "A1".into(),
            FieldValue {
                value: "3".into(),
                comment: String::new(),
            },
        );
        values.insert(
            "A2".into(),
            FieldValue {
                value: NA.into(),
                comment: " нет детей с ОВЗ ".into(),
            },
        );
        values.insert("A3".into(), FieldValue::default());
        let answers = answers_of(&values).unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].value, Some(3.0));
        assert!(answers[1].na);
        assert_eq!(answers[1].comment.as_deref(), Some("нет детей с ОВЗ"));

        values.insert(
            "A4".into(),
            FieldValue {
                value: "много".into(),
                comment: String::new(),
            },
        );
        values.insert(
            "A5".into(),
            FieldValue {
                value: String::new(),
                comment: "забыла ответить".into(),
            },
        );
        let Err(AppError::Invalid { errors, .. }) = answers_of(&values) else {
            panic!("invalid fields must be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["answers.A4", "answers.A5"]);
    }

    /// Issue 23 §3: in the indicator set, one field holding «abc» is that field's error alone;
    /// «12%», «12,5» and « 12 » are the numbers they mean, and no other field is «не отвечен».
    #[test]
    fn one_unreadable_number_is_its_own_error_and_hides_no_other_answer() {
        use vsoko_checklist::ScaleKind;
        let catalog = vsoko_checklist::Catalog::shipped().unwrap();
        let instrument = catalog.get("vsoko-kindergarten", Some(2)).unwrap();
        let mut values = FormValues::new();
        let mut numeric = Vec::new();
        for item in instrument.items() {
            let value = match item.scale.kind() {
                ScaleKind::Options(options) => format_number(options[0].value()),
                ScaleKind::Numeric { .. } => {
                    numeric.push(item.item.code().to_string());
                    "50".to_owned()
                }
            };
            values.insert(
                item.item.code().to_string(),
                FieldValue {
                    value,
                    comment: String::new(),
                },
            );
        }
        assert!(numeric.len() >= 4, "{numeric:?}");
        let (answers, errors) = checked_answers(instrument, &values);
        assert!(errors.is_empty(), "{errors:?}");
        let all = answers.len();
        for (code, typed) in numeric.iter().zip(["12%", "12,5", " 12 ", "abc"]) {
            values.get_mut(code).unwrap().value = typed.to_owned();
        }
        let (answers, errors) = checked_answers(instrument, &values);
        assert_eq!(answers.len(), all - 1, "every readable field is an answer");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, [format!("answers.{}", numeric[3])], "{errors:?}");
        assert_eq!(errors[0].code, "not_a_number");
        assert!(errors[0].message.contains("«abc» — не число"), "{errors:?}");
        let value_of = |code: &str| {
            answers
                .iter()
                .find(|answer| answer.item == code)
                .and_then(|answer| answer.value)
        };
        assert_eq!(value_of(&numeric[0]), Some(12.0));
        assert_eq!(value_of(&numeric[1]), Some(12.5));
        assert_eq!(value_of(&numeric[2]), Some(12.0));
    }
}
