//! Forms filled in a browser: which forms are open to the caller and where each stands, a form's
//! context (instrument, period, subject, the values to show), drafts kept on the server, and
//! sending — which goes through [`App::submit`] and [`App::correct`], the same checks as the API.
//!
//! A form's fields arrive as typed ([`FieldValue`]: the chosen option's value, `na`, a number with
//! a decimal comma, a comment). They are kept so in drafts, so nothing a person typed is lost, and
//! turned into answers only when the form is sent.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vsoko_checklist::{Counting, Instrument, Subject};
use vsoko_storage::{
    Draft, Kindergarten, PageRequest, Period, PeriodStatus, Role, Scope, SubjectRef, Submission,
    SubmissionFilter,
};

use crate::error::{AppError, AppResult};
use crate::submissions::respondent_of;
use crate::{App, Principal, ResolvedInstrument};

mod cards;
mod computed;
mod fields;
mod send;

pub use cards::CardRow;
pub use computed::ComputedValue;
use fields::check_fields;
pub use fields::{
    answers_of, checked_answers, format_number, parse_date, parse_number, read_fields,
};
pub use send::{SendOutcome, form_errors};
use send::{correction_key, draft_key, draft_values};
use vsoko_domain::SubmissionId;

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
        submission: SubmissionId,
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
    /// The values of the computed items, written into `values` too: shown read-only with their
    /// source, never typed.
    pub computed: Vec<ComputedValue>,
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
pub(super) fn subject_is_chosen(instrument: &Instrument) -> bool {
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
            if summary.respondent == respondent {
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

    /// Everything a form page needs (see [`App::open_form_stored`]), with the computed items'
    /// values taken from the kindergarten's results of the period, in place of anything stored.
    pub async fn open_form(
        &self,
        principal: &Principal,
        target: &FormTarget,
    ) -> AppResult<FormContext> {
        let mut context = self.open_form_stored(principal, target).await?;
        context.computed = self
            .computed_values(
                principal,
                &context.instrument.instrument,
                context.kindergarten.as_ref(),
                &context.period,
            )
            .await?;
        computed::write_into(&mut context.values, &context.computed);
        Ok(context)
    }

    /// Everything a form page needs: the instrument, the period, the subject or the choices,
    /// the values of the caller's draft (or of the corrected submission), the idempotency key,
    /// and whether the form is read-only.
    pub(super) async fn open_form_stored(
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
                    computed: Vec::new(),
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
                    computed: Vec::new(),
                })
            }
        }
    }
}

/// A member of staff as a form names her: `Иванова Анна Петровна, воспитатель`.
pub(super) fn person_label(person: &vsoko_storage::Person) -> String {
    format!("{}, {}", person.full_name, person.position)
}

/// A group as a form names it: `Радуга (старшая)`.
pub(super) fn group_label(group: &vsoko_storage::Group) -> String {
    format!("{} ({})", group.name, group.age_group)
}

pub(super) fn check_choice(choices: &[SubjectChoice], subject: SubjectRef) -> AppResult<()> {
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
