//! The management cycle (issue 28 §3): an addressed recommendation made from a deficit (of a
//! kindergarten or of a teacher in a node of an instrument in a period), its text prefilled from
//! the instrument; the addressee's answer; the management decisions taken on it; its effect at
//! the next period by the routes' rule (`vsoko_development::effect`); the register of the
//! network with its counts; and the effect of training, trained against untrained teachers
//! (`vsoko_development::training_effect`). The rules are `vsoko_development::cycle`'s.
//!
//! Who: the department makes recommendations and records decisions anywhere in its network; a
//! kindergarten's head reads hers, answers them and records her own decisions; a teacher reads
//! none here (a recommendation addressed to her is her head's to pass on).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
pub use vsoko_development::{
    Effect, GroupEffect, RecommendationState, TrainingEffect, recommendation_state,
};
use vsoko_development::{
    SchoolYear, TeacherChange, effect, recommendation_text, trained_between, training_effect,
};
use vsoko_domain::{Kindergarten, KindergartenId, Person, PersonId, SubjectRef};
use vsoko_scoring::NodeKind;
use vsoko_storage::{
    NewDecision, NewRecommendation, Period, Scope, StoredDecision, StoredRecommendation,
};

use crate::error::{AppError, AppResult, FieldError};
use crate::reports::{ReportOf, ReportRequest};
use crate::{App, Principal};

mod export;

pub use export::{register_document, register_sheets};

/// Who a recommendation is addressed to.
pub const ADDRESSEES: [(&str, &str); 3] = [
    ("head", "заведующий ДОО"),
    ("methodist", "методист управления образования"),
    ("teacher", "педагог"),
];

/// What a decision is.
pub const DECISION_KINDS: [(&str, &str); 5] = [
    ("plan_event", "мероприятие плана повышения квалификации"),
    ("order", "приказ"),
    ("mentoring_pair", "наставническая пара"),
    ("route_row", "строка индивидуального маршрута"),
    ("other", "иное решение"),
];

fn label(all: &[(&'static str, &'static str)], code: &str) -> &'static str {
    all.iter()
        .find(|(known, _)| *known == code)
        .map_or("—", |(_, label)| label)
}

/// A recommendation as typed (the form's or the API's fields).
#[derive(Debug, Clone, Default)]
pub struct RecommendationForm {
    pub kindergarten: String,
    /// A teacher's person id, or empty for the kindergarten's deficit.
    pub person: String,
    pub instrument: String,
    pub node: String,
    pub period: String,
    pub text: String,
    pub addressee: String,
    pub responsible: String,
    /// `2027-05-31` or `31.05.2027`.
    pub due_on: String,
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionForm {
    pub kind: String,
    pub reference: String,
    pub order_number: String,
    pub order_date: String,
    pub text: String,
}

/// The numbers behind a recommendation.
#[derive(Debug, Clone)]
pub struct Numbers {
    /// Whose: the kindergarten, or the teacher and her kindergarten.
    pub subject: String,
    /// The node: code and title.
    pub node: (String, String),
    /// The result in the recommendation's period, and of how many.
    pub score: Option<f64>,
    pub n: u32,
    /// The instrument's deficit threshold.
    pub threshold: f64,
    /// The period in words.
    pub period: String,
    /// Where the numbers are read (a results page).
    pub link: String,
}

/// A decision as people read it.
#[derive(Debug, Clone)]
pub struct DecisionLine {
    pub stored: StoredDecision,
    pub kind: &'static str,
    /// «приказ № 45 от 01.10.2026», when it is an order.
    pub order: Option<String>,
    pub at: String,
}

/// A recommendation as people read it.
#[derive(Debug, Clone)]
pub struct RecommendationLine {
    pub stored: StoredRecommendation,
    pub kindergarten: Kindergarten,
    pub person: Option<Person>,
    pub numbers: Numbers,
    pub addressee: &'static str,
    pub due: String,
    pub state: RecommendationState,
    pub decisions: Vec<DecisionLine>,
    /// The result at the next period with one, and that period in words.
    pub after: Option<f64>,
    pub next_period: Option<String>,
    pub effect: Effect,
    /// Whether the caller answers it / records a decision on it.
    pub may_answer: bool,
    pub may_decide: bool,
}

/// Trained against untrained in one area.
#[derive(Debug, Clone)]
pub struct AreaTraining {
    pub area: (String, String),
    pub effect: TrainingEffect,
    pub sentence: String,
}

/// The effect of training between two periods of a teachers' survey.
#[derive(Debug, Clone)]
pub struct TrainingSection {
    pub instrument: String,
    /// The two periods in words.
    pub periods: (String, String),
    pub areas: Vec<AreaTraining>,
    /// Every area together (a teacher once per area with a deficit), and its sentence.
    pub pooled: TrainingEffect,
    pub pooled_sentence: String,
}

/// What the register is asked for.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub kindergarten: Option<KindergartenId>,
    pub state: Option<RecommendationState>,
    pub effect: Option<String>,
}

/// The register of recommendations.
#[derive(Debug, Clone)]
pub struct Register {
    pub lines: Vec<RecommendationLine>,
    /// Every recommendation the caller sees (before the filter), by state and by effect.
    pub by_state: Vec<(RecommendationState, usize)>,
    pub by_effect: Vec<(Effect, usize)>,
    pub training: Vec<TrainingSection>,
    /// The kindergartens to filter by (the department's).
    pub kindergartens: Vec<Kindergarten>,
    /// Whether the caller makes recommendations.
    pub may_create: bool,
}

/// Every effect, in the register's order.
pub const EFFECTS: [Effect; 5] = [
    Effect::Closed,
    Effect::Improved,
    Effect::Unchanged,
    Effect::Worse,
    Effect::NoData,
];

/// The score and `n` of a node in a report.
fn node_in(report: &crate::reports::Report, node: &str) -> Option<(Option<f64>, u32, String)> {
    report
        .body
        .rows
        .iter()
        .find(|row| row.code == node)
        .map(|row| (row.score, row.n, row.title.clone()))
}

/// A kindergarten's head as a responsible person is named: «Иванова Мария Петровна, заведующий
/// МДОУ № 18» (the first active member of staff whose position is заведующий), or the position
/// alone when there is none.
pub(crate) fn head_words(people: &[Person], unit: &Kindergarten) -> String {
    head_of(people).map_or_else(
        || format!("заведующий {}", unit.short_name),
        |head| format!("{}, заведующий {}", head.full_name, unit.short_name),
    )
}

/// A kindergarten's head among its staff: the first active person whose position is заведующий.
pub(crate) fn head_of(people: &[Person]) -> Option<&Person> {
    people
        .iter()
        .find(|person| person.active && person.position.to_lowercase().contains("заведующ"))
}

/// The due date a recommendation is proposed with: the next 31 May not before `today` (the end of
/// the school year, when its last assessment is held; in June–August, the next year's).
pub fn default_due(today: NaiveDate) -> NaiveDate {
    let year = SchoolYear::containing(today);
    let may = |year: i32| NaiveDate::from_ymd_opt(year, 5, 31).unwrap_or(today);
    let due = may(year.start_year() + 1);
    if due < today {
        may(year.start_year() + 2)
    } else {
        due
    }
}

impl App {
    /// The report of `of` for an instrument and period, or none when it cannot be read (no
    /// data, no such period).
    async fn cycle_report(
        &self,
        principal: &Principal,
        of: ReportOf,
        instrument: &str,
        period: &str,
        cache: &mut HashMap<(String, String, String), Option<crate::reports::Report>>,
    ) -> AppResult<Option<crate::reports::Report>> {
        let key = (format!("{of:?}"), instrument.to_owned(), period.to_owned());
        if let Some(found) = cache.get(&key) {
            return Ok(found.clone());
        }
        let request = ReportRequest {
            of,
            period: period.to_owned(),
            instrument: instrument.to_owned(),
            version: None,
            compare_period: None,
            compare_version: None,
            items: Some(false),
        };
        let report = match self.report(principal, &request).await {
            Ok(report) => Some(report),
            Err(error @ (AppError::Unavailable(_) | AppError::Unexpected(_))) => {
                return Err(error);
            }
            Err(_) => None,
        };
        cache.insert(key, report.clone());
        Ok(report)
    }

    /// What a new recommendation is prefilled with for a deficit: its text from the instrument,
    /// the addressee (the head for a kindergarten's deficit, the teacher for hers), the
    /// responsible (the head), the due date (the end of May of the school year), and the numbers.
    pub async fn recommendation_draft(
        &self,
        principal: &Principal,
        form: &RecommendationForm,
        today: NaiveDate,
    ) -> AppResult<(RecommendationForm, Numbers)> {
        let (form, numbers, _) = self.draft(principal, form, today).await?;
        Ok((form, numbers))
    }

    /// The draft, with the kindergarten (and teacher) it is about.
    async fn draft(
        &self,
        principal: &Principal,
        form: &RecommendationForm,
        today: NaiveDate,
    ) -> AppResult<(RecommendationForm, Numbers, (Kindergarten, Option<Person>))> {
        principal.check_recommend()?;
        let (unit, person) = self.recommendation_subject(principal, form).await?;
        let resolved = self
            .instrument_named("instrument", form.instrument.trim(), None)
            .await?;
        let numbers = self
            .numbers(principal, &unit, person.as_ref(), form, &mut HashMap::new())
            .await?;
        let head = head_words(&self.store.people(unit.id).await?, &unit);
        let due = default_due(today);
        let text = recommendation_text(
            resolved.instrument.recommendation(form.node.trim()),
            &numbers.node.0,
            &numbers.node.1,
        );
        Ok((
            RecommendationForm {
                text: if form.text.trim().is_empty() {
                    text
                } else {
                    form.text.clone()
                },
                addressee: if form.addressee.trim().is_empty() {
                    if person.is_some() { "teacher" } else { "head" }.to_owned()
                } else {
                    form.addressee.clone()
                },
                responsible: if form.responsible.trim().is_empty() {
                    head
                } else {
                    form.responsible.clone()
                },
                due_on: if form.due_on.trim().is_empty() {
                    due.format("%Y-%m-%d").to_string()
                } else {
                    form.due_on.clone()
                },
                ..form.clone()
            },
            numbers,
            (unit, person),
        ))
    }

    async fn recommendation_subject(
        &self,
        principal: &Principal,
        form: &RecommendationForm,
    ) -> AppResult<(Kindergarten, Option<Person>)> {
        const UNKNOWN: &str = "такого детского сада нет в сети: выберите из списка";
        let id = form
            .kindergarten
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("kindergarten", "unknown", UNKNOWN))?;
        let unit = self
            .kindergarten(principal, KindergartenId::new(id))
            .await
            .map_err(AppError::reference("kindergarten", UNKNOWN))?;
        let person = match form.person.trim() {
            "" => None,
            text => {
                let found = match text.parse::<i64>() {
                    Ok(id) => self.store.person(PersonId::new(id)).await.ok(),
                    Err(_) => None,
                };
                match found {
                    Some(person) if person.kindergarten_id == unit.id => Some(person),
                    _ => {
                        return Err(AppError::invalid(
                            "person",
                            "unknown",
                            format!("этот сотрудник не работает в {}", unit.short_name),
                        ));
                    }
                }
            }
        };
        Ok((unit, person))
    }

    async fn numbers(
        &self,
        principal: &Principal,
        unit: &Kindergarten,
        person: Option<&Person>,
        form: &RecommendationForm,
        cache: &mut HashMap<(String, String, String), Option<crate::reports::Report>>,
    ) -> AppResult<Numbers> {
        let resolved = self
            .instrument_named("instrument", form.instrument.trim(), None)
            .await?;
        let instrument = &resolved.instrument;
        let node = form.node.trim();
        let title = instrument
            .areas()
            .iter()
            .find(|area| area.code().as_str() == node)
            .map(|area| area.title().to_owned())
            .or_else(|| {
                instrument.areas().iter().find_map(|area| {
                    area.indicators()
                        .iter()
                        .find(|indicator| indicator.code().as_str() == node)
                        .map(|indicator| indicator.title().to_owned())
                })
            })
            .ok_or_else(|| {
                AppError::invalid(
                    "node",
                    "unknown",
                    format!("в инструменте нет области или показателя «{node}»"),
                )
            })?;
        let periods = self.store.periods(principal.network_id()).await?;
        let period = periods
            .iter()
            .find(|period| period.code == form.period.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "period",
                    "unknown",
                    "такого периода нет: выберите из списка",
                )
            })?;
        let of = match person {
            Some(person) => ReportOf::Teacher(person.id),
            None => ReportOf::Kindergarten(unit.id),
        };
        let report = self
            .cycle_report(
                principal,
                of,
                instrument.code().as_str(),
                &period.code,
                cache,
            )
            .await?;
        let found = report.as_ref().and_then(|report| node_in(report, node));
        let link = match person {
            Some(person) => format!(
                "/teachers/{}/results?instrument={}&period={}",
                person.id,
                instrument.code(),
                period.code
            ),
            None => format!(
                "/kindergartens/{}/dashboard?instrument={}&period={}",
                unit.id,
                instrument.code(),
                period.code
            ),
        };
        Ok(Numbers {
            subject: match person {
                Some(person) => format!("{} ({})", person.full_name, unit.short_name),
                None => unit.short_name.clone(),
            },
            node: (node.to_owned(), title),
            score: found.as_ref().and_then(|(score, _, _)| *score),
            n: found.as_ref().map_or(0, |(_, n, _)| *n),
            threshold: instrument.deficit_threshold().get(),
            period: crate::words::period_in_words(period.starts_on, period.ends_on),
            link,
        })
    }

    /// The department makes a recommendation.
    pub async fn add_recommendation(
        &self,
        principal: &Principal,
        form: &RecommendationForm,
        today: NaiveDate,
    ) -> AppResult<RecommendationLine> {
        // What is left blank is prefilled as the form would be (the node and the period are
        // checked by reading their numbers).
        let (form, _, (unit, person)) = self.draft(principal, form, today).await?;
        let form = &form;
        let mut errors = Vec::new();
        let text = form.text.trim();
        if text.is_empty() {
            errors.push(FieldError::new(
                "text",
                "required",
                "напишите рекомендацию: что сделать",
            ));
        }
        if !ADDRESSEES
            .iter()
            .any(|(code, _)| *code == form.addressee.trim())
        {
            errors.push(FieldError::new(
                "addressee",
                "unknown",
                "выберите адресата из списка",
            ));
        }
        if form.responsible.trim().is_empty() {
            errors.push(FieldError::new(
                "responsible",
                "required",
                "укажите ответственного: должность и ФИО",
            ));
        }
        let due = crate::forms::parse_date(form.due_on.trim());
        match due {
            None => errors.push(FieldError::new(
                "due_on",
                "invalid",
                "срок — дата, например 31.05.2027",
            )),
            Some(due) if due < today => errors.push(FieldError::new(
                "due_on",
                "past",
                "срок уже прошёл: укажите дату не раньше сегодняшней",
            )),
            Some(_) => {}
        }
        AppError::check(errors)?;
        let stored = self
            .store
            .add_recommendation(
                principal.user.id,
                &NewRecommendation {
                    network: principal.network_id(),
                    kindergarten: unit.id,
                    person: person.as_ref().map(|person| person.id),
                    instrument: form.instrument.trim(),
                    node: form.node.trim(),
                    period: form.period.trim(),
                    text,
                    addressee: form.addressee.trim(),
                    responsible: form.responsible.trim(),
                    due_on: due.unwrap_or(today),
                },
            )
            .await?;
        self.recommendation_view(principal, stored.id, today).await
    }

    /// A recommendation the caller sees (the department; the head of its kindergarten).
    async fn visible_recommendation(
        &self,
        principal: &Principal,
        id: i64,
    ) -> AppResult<StoredRecommendation> {
        let stored = self.store.recommendation(id).await?;
        if stored.network_id != principal.network_id()
            || !principal.sees_recommendation(stored.kindergarten_id)
        {
            return Err(AppError::NotFound(vsoko_storage::Record::Recommendation));
        }
        Ok(stored)
    }

    /// One recommendation with its numbers, decisions and effect.
    pub async fn recommendation_view(
        &self,
        principal: &Principal,
        id: i64,
        today: NaiveDate,
    ) -> AppResult<RecommendationLine> {
        let stored = self.visible_recommendation(principal, id).await?;
        let decisions = self
            .store
            .decisions(principal.network_id(), Some(id))
            .await?;
        let periods = self.store.periods(principal.network_id()).await?;
        self.line(
            principal,
            stored,
            decisions,
            &periods,
            today,
            &mut HashMap::new(),
        )
        .await
    }

    async fn line(
        &self,
        principal: &Principal,
        stored: StoredRecommendation,
        decisions: Vec<StoredDecision>,
        periods: &[Period],
        today: NaiveDate,
        cache: &mut HashMap<(String, String, String), Option<crate::reports::Report>>,
    ) -> AppResult<RecommendationLine> {
        let unit = self.store.kindergarten(stored.kindergarten_id).await?;
        let person = match stored.person_id {
            Some(id) => Some(self.store.person(id).await?),
            None => None,
        };
        let form = RecommendationForm {
            instrument: stored.instrument.clone(),
            node: stored.node.clone(),
            period: stored.period.clone(),
            ..RecommendationForm::default()
        };
        let numbers = self
            .numbers(principal, &unit, person.as_ref(), &form, cache)
            .await?;
        // The next period with a result of the same subject in the node.
        let start = periods
            .iter()
            .find(|period| period.code == stored.period)
            .map(|period| period.starts_on);
        let of = match &person {
            Some(person) => ReportOf::Teacher(person.id),
            None => ReportOf::Kindergarten(unit.id),
        };
        let mut after = None;
        let mut next_period = None;
        for period in periods
            .iter()
            .filter(|period| start.is_some_and(|start| period.starts_on > start))
        {
            let report = self
                .cycle_report(principal, of, &stored.instrument, &period.code, cache)
                .await?;
            if let Some(score) = report
                .as_ref()
                .and_then(|report| node_in(report, &stored.node))
                .and_then(|(score, _, _)| score)
            {
                after = Some(score);
                next_period = Some(crate::words::period_in_words(
                    period.starts_on,
                    period.ends_on,
                ));
                break;
            }
        }
        let effect = effect(numbers.score, after, numbers.threshold);
        let state = recommendation_state(
            stored.answer.is_some(),
            decisions.len(),
            stored.due_on,
            today,
        );
        Ok(RecommendationLine {
            may_answer: principal.may_answer_recommendation(stored.kindergarten_id),
            may_decide: principal.sees_recommendation(stored.kindergarten_id)
                && principal.role() != vsoko_domain::Role::Teacher,
            addressee: label(&ADDRESSEES, &stored.addressee),
            due: crate::words::date_text(stored.due_on),
            decisions: decisions
                .into_iter()
                .map(|decision| DecisionLine {
                    kind: label(&DECISION_KINDS, &decision.kind),
                    order: decision
                        .order_number
                        .as_ref()
                        .map(|number| match decision.order_date {
                            Some(date) => {
                                format!("приказ № {number} от {}", crate::words::date_text(date))
                            }
                            None => format!("приказ № {number}"),
                        }),
                    at: crate::words::date_text(decision.at.date_naive()),
                    stored: decision,
                })
                .collect(),
            kindergarten: unit,
            person,
            numbers,
            state,
            after,
            next_period,
            effect,
            stored,
        })
    }

    /// The addressee's head answers.
    pub async fn answer_recommendation(
        &self,
        principal: &Principal,
        id: i64,
        answer: &str,
        today: NaiveDate,
    ) -> AppResult<RecommendationLine> {
        let stored = self.visible_recommendation(principal, id).await?;
        if !principal.may_answer_recommendation(stored.kindergarten_id) {
            return Err(AppError::Forbidden(
                "на рекомендацию отвечает заведующий детского сада".to_owned(),
            ));
        }
        let answer = answer.trim();
        if answer.is_empty() {
            return Err(AppError::invalid(
                "answer",
                "required",
                "напишите ответ: что сделано или будет сделано",
            ));
        }
        self.store
            .answer_recommendation(principal.user.id, id, answer)
            .await?;
        self.recommendation_view(principal, id, today).await
    }

    /// The department or the kindergarten's head records a decision taken on it.
    pub async fn add_decision(
        &self,
        principal: &Principal,
        id: i64,
        form: &DecisionForm,
        today: NaiveDate,
    ) -> AppResult<RecommendationLine> {
        let stored = self.visible_recommendation(principal, id).await?;
        if principal.role() == vsoko_domain::Role::Teacher {
            return Err(AppError::Forbidden(
                "решения записывают методист и заведующий".to_owned(),
            ));
        }
        let mut errors = Vec::new();
        let kind = form.kind.trim();
        if !DECISION_KINDS.iter().any(|(code, _)| *code == kind) {
            errors.push(FieldError::new(
                "kind",
                "unknown",
                "выберите вид решения из списка",
            ));
        }
        if form.text.trim().is_empty() {
            errors.push(FieldError::new(
                "text",
                "required",
                "опишите решение: что решено",
            ));
        }
        let number = form.order_number.trim();
        let date = match form.order_date.trim() {
            "" => None,
            text => {
                let parsed = crate::forms::parse_date(text);
                if parsed.is_none() {
                    errors.push(FieldError::new(
                        "order_date",
                        "invalid",
                        "дата приказа — например 01.10.2026",
                    ));
                }
                parsed
            }
        };
        if kind == "order" && (number.is_empty() || date.is_none()) {
            errors.push(FieldError::new(
                "order_number",
                "required",
                "у приказа есть номер и дата: укажите оба",
            ));
        }
        AppError::check(errors)?;
        let reference = form.reference.trim();
        self.store
            .add_decision(
                principal.user.id,
                stored.id,
                &NewDecision {
                    kind,
                    reference: (!reference.is_empty()).then_some(reference),
                    order_number: (!number.is_empty()).then_some(number),
                    order_date: date,
                    text: form.text.trim(),
                },
            )
            .await?;
        self.recommendation_view(principal, id, today).await
    }

    /// The register: the recommendations the caller sees (the department: the network's; a
    /// head: her kindergarten's), filtered, with the counts of all by state and effect, and the
    /// effect of training for each teachers' survey and period recommended on.
    pub async fn register(
        &self,
        principal: &Principal,
        filter: &RegisterFilter,
        today: NaiveDate,
    ) -> AppResult<Register> {
        principal.check_read_register()?;
        let own = principal.own_kindergarten();
        let stored = self
            .store
            .recommendations(principal.network_id(), own)
            .await?;
        let mut decisions: BTreeMap<i64, Vec<StoredDecision>> = BTreeMap::new();
        for decision in self.store.decisions(principal.network_id(), None).await? {
            decisions
                .entry(decision.recommendation_id)
                .or_default()
                .push(decision);
        }
        let periods = self.store.periods(principal.network_id()).await?;
        let mut cache = HashMap::new();
        let mut all = Vec::new();
        for recommendation in stored {
            let id = recommendation.id;
            all.push(
                self.line(
                    principal,
                    recommendation,
                    decisions.remove(&id).unwrap_or_default(),
                    &periods,
                    today,
                    &mut cache,
                )
                .await?,
            );
        }
        let by_state = RecommendationState::ALL
            .into_iter()
            .map(|state| (state, all.iter().filter(|line| line.state == state).count()))
            .collect();
        let by_effect = EFFECTS
            .into_iter()
            .map(|effect| {
                (
                    effect,
                    all.iter().filter(|line| line.effect == effect).count(),
                )
            })
            .collect();
        // Training, for each teachers' survey and period recommended on.
        let mut surveys: BTreeSet<(String, String)> = BTreeSet::new();
        for line in &all {
            surveys.insert((line.stored.instrument.clone(), line.stored.period.clone()));
        }
        let mut training = Vec::new();
        for (instrument, period) in surveys {
            if let Some(section) = self
                .training_section(principal, &instrument, &period, &periods)
                .await?
            {
                training.push(section);
            }
        }
        let lines = all
            .into_iter()
            .filter(|line| {
                filter
                    .kindergarten
                    .is_none_or(|id| line.kindergarten.id == id)
                    && filter.state.is_none_or(|state| line.state == state)
                    && filter
                        .effect
                        .as_deref()
                        .is_none_or(|code| line.effect.code() == code)
            })
            .collect();
        Ok(Register {
            lines,
            by_state,
            by_effect,
            training,
            kindergartens: self.kindergartens(principal).await?,
            may_create: principal.check_recommend().is_ok(),
        })
    }

    /// Trained against untrained teachers, area by area, between `period` and the next period
    /// of the same teachers' survey with submissions (see `vsoko_development::cycle`); none for
    /// an instrument not about teachers, or without a next period.
    async fn training_section(
        &self,
        principal: &Principal,
        code: &str,
        period: &str,
        periods: &[Period],
    ) -> AppResult<Option<TrainingSection>> {
        let versions: Vec<_> = self
            .store
            .instruments()
            .await?
            .into_iter()
            .filter(|summary| {
                summary.instrument.code.as_str() == code
                    && summary.subject == vsoko_checklist::Subject::Teacher
            })
            .collect();
        let Some(latest) = versions.last() else {
            return Ok(None);
        };
        let instrument = self.resolve(latest).await?.instrument;
        let ids: Vec<_> = versions.iter().map(|summary| summary.id).collect();
        let Some(first) = periods.iter().find(|p| p.code == period) else {
            return Ok(None);
        };
        let scope = Scope::Network(principal.network_id());
        // Each teacher's own area scores in a period (her latest submission about herself).
        let scores = |rows: Vec<vsoko_storage::StaffAnswers>| {
            let mut found: HashMap<(PersonId, String), f64> = HashMap::new();
            for row in rows {
                let SubjectRef::Teacher(person) = row.listed.submission.subject else {
                    continue;
                };
                for node in &row.listed.nodes {
                    if let (NodeKind::Area, Some(percent)) = (node.kind, node.percent) {
                        found.insert((person, node.code.clone()), percent);
                    }
                }
            }
            found
        };
        let before = scores(
            self.store
                .staff_answers(scope, &ids, &[first.id], &[])
                .await?,
        );
        let mut next = None;
        for candidate in periods.iter().filter(|p| p.starts_on > first.starts_on) {
            let found = scores(
                self.store
                    .staff_answers(scope, &ids, &[candidate.id], &[])
                    .await?,
            );
            if !found.is_empty() {
                next = Some((candidate, found));
                break;
            }
        }
        let Some((second, after)) = next else {
            return Ok(None);
        };
        let records = self.store.training_records(scope, None).await?;
        let levels = instrument.levels();
        let threshold = instrument.deficit_threshold().get();
        let mut areas = Vec::new();
        let mut all: Vec<TeacherChange> = Vec::new();
        for area in instrument.areas() {
            let code = area.code().to_string();
            let changes: Vec<TeacherChange> = before
                .iter()
                .filter(|((_, node), score)| *node == code && instrument.is_deficit(**score))
                .filter_map(|((person, _), before)| {
                    let after = *after.get(&(*person, code.clone()))?;
                    let trained = records.iter().any(|record| {
                        record.person_id == *person
                            && record.record.addresses(&code)
                            && trained_between(
                                record.record.counted_date(),
                                first.starts_on,
                                second.ends_on,
                            )
                    });
                    Some(TeacherChange {
                        trained,
                        before: *before,
                        after,
                        level_before: levels.level_index(*before),
                        level_after: levels.level_index(after),
                        effect: effect(Some(*before), Some(after), threshold),
                    })
                })
                .collect();
            if changes.is_empty() {
                continue;
            }
            let result = training_effect(&changes);
            all.extend(&changes);
            areas.push(AreaTraining {
                sentence: result.sentence(&code),
                area: (code, area.title().to_owned()),
                effect: result,
            });
        }
        Ok(Some(TrainingSection {
            instrument: instrument.title().to_owned(),
            periods: (
                crate::words::period_in_words(first.starts_on, first.ends_on),
                crate::words::period_in_words(second.starts_on, second.ends_on),
            ),
            areas,
            pooled_sentence: training_effect(&all).pooled_sentence(),
            pooled: training_effect(&all),
        }))
    }
}
