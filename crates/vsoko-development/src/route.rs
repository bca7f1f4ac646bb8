//! A teacher's individual educational route (ИОМ, «индивидуальный образовательный маршрут»): who
//! may move it through its statuses, how its plan is prefilled from her deficits and trainings,
//! what a row achieved at the next survey, and when a route counts as done.
//!
//! # Statuses and actions ([`transition`], [`route_actions`])
//! A route is a [`RouteStatus`]: черновик → на согласовании → утверждён → выполнен → закрыт. Three
//! people act on it ([`RouteActor`]): its owner (the teacher), the head of her kindergarten and the
//! network's methodist. An action ([`RouteAction`]) is accepted exactly when it applies in the
//! current status **and** the actor may take it:
//!
//! | action                    | from                | to              | by              |
//! |---------------------------|---------------------|-----------------|-----------------|
//! | [`RouteAction::Submit`]   | черновик            | на согласовании | owner, head     |
//! | [`RouteAction::Approve`]  | на согласовании     | утверждён       | head            |
//! | [`RouteAction::Return`]   | на согласовании     | черновик        | head            |
//! | [`RouteAction::Complete`] | утверждён           | выполнен        | head, methodist |
//! | [`RouteAction::Close`]    | утверждён, выполнен | закрыт          | head, methodist |
//!
//! * The head may submit a draft herself: a prefilled draft needs nothing from the teacher, who may
//!   equally send it as it is.
//! * Only the head approves. The owner never approves her own route, whatever its status (that is
//!   the point of approval); the methodist does not approve either — the head does (ТК РФ and the
//!   practice of Р-201). Returning for rework goes with approval: the head's, with her remark.
//! * Nothing leaves «закрыт».
//! * **Who edits the plan's rows** ([`may_edit_rows`]): in a draft, the teacher and her head; on
//!   approval, her head (she may correct it before approving); once approved, nobody changes the
//!   rows — only their marks of completion, by the teacher or her head. The methodist reads.
//!
//! A refused action says why ([`TransitionError`]): first whether it applies in the status at all
//! ([`TransitionError::NotFrom`]), only then whether this actor may take it
//! ([`TransitionError::NotBy`]). [`route_actions`] lists what an actor may do now, in the order of the
//! table, so that a page shows exactly the buttons its use case accepts.
//!
//! # The prefilled plan ([`propose_rows`])
//! From the teacher's deficits ([`DeficitNode`], in the order given) and her trainings:
//!
//! * **One row per deficit area.** A deficit indicator whose area is itself a deficit gets no row
//!   of its own: it is folded into the area's row, whose task lists it («Повысить уровень по
//!   области «Речевое развитие», в том числе: «Связная речь», «Словарь»»).
//! * **One row per deficit indicator of an area that is not a deficit**: «Освоить: {title}».
//! * A row is **covered** by a training when the record addresses ([`TrainingRecord::addresses`])
//!   the row's node code or its area code, is a document of ДПО ([`TrainingKind::is_dpo`]) and
//!   counts ([`TrainingRecord::counted_date`]) within 36 months at `today`
//!   ([`within_36_months`]). Of several, the latest by counted date (then by end of study; of equals
//!   the last given) is linked. A covered row is a course (form «КПК»): activity «КПК
//!   «{programme}»», result «Удостоверение о повышении квалификации», due the end of study, done
//!   when study ended on or before `today`. For professional retraining (ПП) the texts name what
//!   it is: «Профессиональная переподготовка «{programme}»», «Диплом о профессиональной
//!   переподготовке».
//! * An uncovered row is planned: form «КПК» for an area, «самообразование» for an indicator;
//!   activity the node's recommendation, or «Изучить методические материалы по теме «{title}» и
//!   применить в работе с детьми»; due 31 May of the school year's second calendar year (the month
//!   of the next survey: 31.05.2026 for 2025/2026); not done. Result: for an area «Удостоверение
//!   о повышении квалификации; самооценка по области не ниже порога дефицита в мае», for an
//!   indicator «Открытое занятие или материалы в портфолио; самооценка не ниже порога дефицита в
//!   мае».
//!
//! # The effect of a row ([`effect`])
//! The node's percent result (0–100) before the route and at the next survey, against the deficit
//! threshold, all compared at 6 decimals (as [`crate::attainment`] does):
//!
//! * [`Effect::NoData`] — either result is missing (or not a number);
//! * [`Effect::Closed`] — it was below the threshold and is now at or above it (exactly at the
//!   threshold is closed);
//! * otherwise [`Effect::Improved`] — it rose by [`EFFECT_PP`] = 5 percentage points or more;
//! * [`Effect::Worse`] — it fell by 5 points or more;
//! * [`Effect::Unchanged`] — it moved by less than 5 points either way.
//!
//! The 5 points are the same the reports call a drop (a fall of 5 п.п. or more), so a row «хуже»
//! here and a drop of the same node in a report always agree.
//!
//! # Completion ([`route_completion`], [`route_mostly_done`])
//! The municipal indicator «выполнение ИОМ» is the completed rows of a route out of its planned
//! rows; «доля ИОМ, выполненных не менее чем на 80 %» counts the routes with completed rows ≥
//! [`ROUTE_DONE_PERCENT`] = 80 % of the planned ones, compared exactly on integers
//! (`done × 100 ≥ 80 × total`: 4 of 5 is done, 3 of 5 is not). A route without rows has no
//! completion and is not done.

use std::fmt;

use chrono::NaiveDate;
use vsoko_checklist::round6;

use crate::calendar::{SchoolYear, within_36_months};
use crate::record::{TrainingKind, TrainingRecord};
use crate::share::Share;

/// A form of professional development a row of the route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteForm {
    /// Курсы повышения квалификации (КПК).
    Course,
    /// Стажировка.
    Internship,
    /// Методическое объединение, сетевое сообщество.
    Community,
    /// Наставничество.
    Mentoring,
    /// Самообразование.
    SelfStudy,
}

impl RouteForm {
    /// Every form, in display order.
    pub const ALL: [RouteForm; 5] = [
        RouteForm::Course,
        RouteForm::Internship,
        RouteForm::Community,
        RouteForm::Mentoring,
        RouteForm::SelfStudy,
    ];

    /// The stored code: `course`, `internship`, `community`, `mentoring`, `self_study`.
    pub fn code(self) -> &'static str {
        match self {
            RouteForm::Course => "course",
            RouteForm::Internship => "internship",
            RouteForm::Community => "community",
            RouteForm::Mentoring => "mentoring",
            RouteForm::SelfStudy => "self_study",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            RouteForm::Course => "КПК",
            RouteForm::Internship => "стажировка",
            RouteForm::Community => "методическое объединение, сетевое сообщество",
            RouteForm::Mentoring => "наставничество",
            RouteForm::SelfStudy => "самообразование",
        }
    }

    /// The form with the stored `code`.
    pub fn parse(code: &str) -> Option<RouteForm> {
        RouteForm::ALL.into_iter().find(|form| form.code() == code)
    }
}

/// Where a route is in its life (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteStatus {
    /// Черновик: being written (or prefilled), not yet sent.
    Draft,
    /// На согласовании: sent to the head.
    Submitted,
    /// Утверждён by the head.
    Approved,
    /// Выполнен.
    Done,
    /// Закрыт: final.
    Closed,
}

impl RouteStatus {
    /// Every status, in the order of a route's life.
    pub const ALL: [RouteStatus; 5] = [
        RouteStatus::Draft,
        RouteStatus::Submitted,
        RouteStatus::Approved,
        RouteStatus::Done,
        RouteStatus::Closed,
    ];

    /// The stored code: `draft`, `submitted`, `approved`, `done`, `closed`.
    pub fn code(self) -> &'static str {
        match self {
            RouteStatus::Draft => "draft",
            RouteStatus::Submitted => "submitted",
            RouteStatus::Approved => "approved",
            RouteStatus::Done => "done",
            RouteStatus::Closed => "closed",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            RouteStatus::Draft => "черновик",
            RouteStatus::Submitted => "на согласовании",
            RouteStatus::Approved => "утверждён",
            RouteStatus::Done => "выполнен",
            RouteStatus::Closed => "закрыт",
        }
    }

    /// The status with the stored `code`.
    pub fn parse(code: &str) -> Option<RouteStatus> {
        RouteStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }
}

/// What someone does to a route (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteAction {
    /// Send a draft for approval.
    Submit,
    /// Approve a submitted route.
    Approve,
    /// Return a submitted route to draft, with the head's remark.
    Return,
    /// Mark an approved route done.
    Complete,
    /// Close an approved or done route.
    Close,
}

impl RouteAction {
    /// Every action, in the order of the module's table (the order of [`route_actions`]).
    pub const ALL: [RouteAction; 5] = [
        RouteAction::Submit,
        RouteAction::Approve,
        RouteAction::Return,
        RouteAction::Complete,
        RouteAction::Close,
    ];

    /// The code a form posts: `submit`, `approve`, `return`, `complete`, `close`.
    pub fn code(self) -> &'static str {
        match self {
            RouteAction::Submit => "submit",
            RouteAction::Approve => "approve",
            RouteAction::Return => "return",
            RouteAction::Complete => "complete",
            RouteAction::Close => "close",
        }
    }

    /// The Russian label of its button.
    pub fn label(self) -> &'static str {
        match self {
            RouteAction::Submit => "Отправить на согласование",
            RouteAction::Approve => "Утвердить",
            RouteAction::Return => "Вернуть на доработку",
            RouteAction::Complete => "Отметить выполненным",
            RouteAction::Close => "Закрыть",
        }
    }

    /// The action with the `code`.
    pub fn parse(code: &str) -> Option<RouteAction> {
        RouteAction::ALL
            .into_iter()
            .find(|action| action.code() == code)
    }

    /// The status it leads to from `status`, when it applies there.
    fn target(self, status: RouteStatus) -> Option<RouteStatus> {
        match (self, status) {
            (RouteAction::Submit, RouteStatus::Draft) => Some(RouteStatus::Submitted),
            (RouteAction::Approve, RouteStatus::Submitted) => Some(RouteStatus::Approved),
            (RouteAction::Return, RouteStatus::Submitted) => Some(RouteStatus::Draft),
            (RouteAction::Complete, RouteStatus::Approved) => Some(RouteStatus::Done),
            (RouteAction::Close, RouteStatus::Approved | RouteStatus::Done) => {
                Some(RouteStatus::Closed)
            }
            _ => None,
        }
    }

    /// Whether `actor` may take it.
    fn allowed(self, actor: RouteActor) -> bool {
        match self {
            RouteAction::Submit => matches!(actor, RouteActor::Owner | RouteActor::Head),
            RouteAction::Approve | RouteAction::Return => actor == RouteActor::Head,
            RouteAction::Complete | RouteAction::Close => {
                matches!(actor, RouteActor::Head | RouteActor::Methodist)
            }
        }
    }

    /// The action as an infinitive with the route: «утвердить маршрут».
    fn phrase(self) -> &'static str {
        match self {
            RouteAction::Submit => "отправить маршрут на согласование",
            RouteAction::Approve => "утвердить маршрут",
            RouteAction::Return => "вернуть маршрут на доработку",
            RouteAction::Complete => "отметить маршрут выполненным",
            RouteAction::Close => "закрыть маршрут",
        }
    }

    /// The action as an infinitive: «отправить на согласование».
    fn verb(self) -> &'static str {
        match self {
            RouteAction::Submit => "отправить на согласование",
            RouteAction::Approve => "утвердить",
            RouteAction::Return => "вернуть на доработку",
            RouteAction::Complete => "отметить выполненным",
            RouteAction::Close => "закрыть",
        }
    }

    /// Who may take it, for a refusal: «заведующий или методист».
    fn who(self) -> &'static str {
        match self {
            RouteAction::Submit => "сам педагог или заведующий",
            RouteAction::Approve | RouteAction::Return => "заведующий",
            RouteAction::Complete | RouteAction::Close => "заведующий или методист",
        }
    }
}

/// Who acts on a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteActor {
    /// The teacher whose route it is.
    Owner,
    /// The head of her kindergarten.
    Head,
    /// The network's department (методист).
    Methodist,
}

impl RouteActor {
    /// Every actor.
    pub const ALL: [RouteActor; 3] = [RouteActor::Owner, RouteActor::Head, RouteActor::Methodist];
}

/// Why an action on a route was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransitionError {
    /// The action does not apply in this status.
    NotFrom {
        /// The action.
        action: RouteAction,
        /// The route's status.
        status: RouteStatus,
    },
    /// This actor may not take the action.
    NotBy {
        /// The action.
        action: RouteAction,
        /// Who tried.
        actor: RouteActor,
    },
}

impl fmt::Display for TransitionError {
    /// «маршрут в статусе «утверждён» нельзя отправить на согласование», «утвердить маршрут может
    /// только заведующий».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TransitionError::NotFrom { action, status } => {
                write!(
                    f,
                    "маршрут в статусе «{}» нельзя {}",
                    status.label(),
                    action.verb()
                )
            }
            TransitionError::NotBy { action, .. } => {
                write!(f, "{} может только {}", action.phrase(), action.who())
            }
        }
    }
}

impl std::error::Error for TransitionError {}

/// The latest ДПО record within 36 months before `today` that addresses one of `codes`.
fn covering<'a, R>(
    trainings: &'a [(R, TrainingRecord)],
    codes: &[&str],
    today: NaiveDate,
) -> Option<&'a (R, TrainingRecord)> {
    trainings
        .iter()
        .filter(|(_, record)| {
            codes.iter().any(|code| record.addresses(code))
                && record.kind.is_dpo()
                && within_36_months(record.counted_date(), today)
        })
        .max_by_key(|(_, record)| (record.counted_date(), record.end))
}

/// Links each КПК row of a stored plan that has no training record yet to the record that now
/// covers its deficit (the rule of [`propose_rows`]: ДПО, addressing the row's node, within 36
/// months before `today`), so that a course taken after the plan was made shows in its row. The
/// row's other fields and its mark stay: whether it is done is for the teacher or her head to say.
pub fn link_trainings<R: Clone>(
    rows: &mut [PlanRow<R>],
    trainings: &[(R, TrainingRecord)],
    today: NaiveDate,
) {
    for row in rows.iter_mut().filter(|row| {
        row.form == RouteForm::Course && row.training.is_none() && !row.deficit.is_empty()
    }) {
        if let Some((key, _)) = covering(trainings, &[&row.deficit], today) {
            row.training = Some(key.clone());
        }
    }
}

/// Whether `actor` may edit, add or remove the plan's rows in `status` (see the module).
pub fn may_edit_rows(status: RouteStatus, actor: RouteActor) -> bool {
    matches!(
        (status, actor),
        (RouteStatus::Draft, RouteActor::Owner | RouteActor::Head)
            | (RouteStatus::Submitted, RouteActor::Head)
    )
}

/// The status `action` by `actor` leads to from `status`, or why it is refused: first whether it
/// applies in `status`, then whether `actor` may take it (see the module's table).
pub fn transition(
    status: RouteStatus,
    action: RouteAction,
    actor: RouteActor,
) -> Result<RouteStatus, TransitionError> {
    let target = action
        .target(status)
        .ok_or(TransitionError::NotFrom { action, status })?;
    if action.allowed(actor) {
        Ok(target)
    } else {
        Err(TransitionError::NotBy { action, actor })
    }
}

/// The actions `actor` may take in `status`, in the order of [`RouteAction::ALL`].
pub fn route_actions(status: RouteStatus, actor: RouteActor) -> Vec<RouteAction> {
    RouteAction::ALL
        .into_iter()
        .filter(|&action| transition(status, action, actor).is_ok())
        .collect()
}

/// A node of the teacher's self-assessment found a deficit: an area or an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct DeficitNode {
    /// The node's code.
    pub code: String,
    /// The node's title.
    pub title: String,
    /// Whether it is an area (otherwise an indicator).
    pub is_area: bool,
    /// The code of the area the node belongs to (its own code for an area).
    pub area: String,
    /// Its percent result (0–100).
    pub score: f64,
    /// What the instrument recommends for it, when it says.
    pub recommendation: Option<String>,
}

/// One row of a route's plan. `R` is the key of a training record.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow<R> {
    /// The code of the deficit node the row is about.
    pub deficit: String,
    /// Its title.
    pub deficit_title: String,
    /// «Задача».
    pub task: String,
    /// «Содержание деятельности».
    pub activity: String,
    /// The form.
    pub form: RouteForm,
    /// «Срок».
    pub due: NaiveDate,
    /// «Планируемый результат».
    pub result: String,
    /// The training record the row is linked to.
    pub training: Option<R>,
    /// Whether the row is done.
    pub done: bool,
}

/// The plan prefilled from `deficits` (in their order) and the teacher's `trainings` (each with
/// its key), for `year`, as known `today` (see the module).
pub fn propose_rows<R: Clone>(
    deficits: &[DeficitNode],
    trainings: &[(R, TrainingRecord)],
    year: SchoolYear,
    today: NaiveDate,
) -> Vec<PlanRow<R>> {
    let is_deficit_area = |code: &str| {
        deficits
            .iter()
            .any(|node| node.is_area && node.code == code)
    };
    let may_31 = NaiveDate::from_ymd_opt(year.start_year() + 1, 5, 31).unwrap_or(year.end());
    deficits
        .iter()
        .filter(|node| node.is_area || !is_deficit_area(&node.area))
        .map(|node| {
            let mut task = if node.is_area {
                format!("Повысить уровень по области «{}»", node.title)
            } else {
                format!("Освоить: {}", node.title)
            };
            if node.is_area {
                let folded: Vec<String> = deficits
                    .iter()
                    .filter(|other| !other.is_area && other.area == node.code)
                    .map(|other| format!("«{}»", other.title))
                    .collect();
                if !folded.is_empty() {
                    task.push_str(", в том числе: ");
                    task.push_str(&folded.join(", "));
                }
            }
            let covering = covering(trainings, &[&node.code, &node.area], today);
            match covering {
                Some((key, record)) => {
                    let (activity, result) = if record.kind == TrainingKind::Retraining {
                        (
                            format!("Профессиональная переподготовка «{}»", record.programme),
                            "Диплом о профессиональной переподготовке",
                        )
                    } else {
                        (
                            format!("КПК «{}»", record.programme),
                            "Удостоверение о повышении квалификации",
                        )
                    };
                    PlanRow {
                        deficit: node.code.clone(),
                        deficit_title: node.title.clone(),
                        task,
                        activity,
                        form: RouteForm::Course,
                        due: record.end,
                        result: result.to_owned(),
                        training: Some(key.clone()),
                        done: record.end <= today,
                    }
                }
                None => PlanRow {
                    deficit: node.code.clone(),
                    deficit_title: node.title.clone(),
                    task,
                    activity: node.recommendation.clone().unwrap_or_else(|| {
                        format!(
                            "Изучить методические материалы по теме «{}» и применить в работе \
                             с детьми",
                            node.title
                        )
                    }),
                    form: if node.is_area {
                        RouteForm::Course
                    } else {
                        RouteForm::SelfStudy
                    },
                    due: may_31,
                    result: if node.is_area {
                        "Удостоверение о повышении квалификации; самооценка по области не ниже \
                         порога дефицита в мае"
                    } else {
                        "Открытое занятие или материалы в портфолио; самооценка не ниже порога \
                         дефицита в мае"
                    }
                    .to_owned(),
                    training: None,
                    done: false,
                },
            }
        })
        .collect()
}

/// A rise or fall of this many percentage points or more is an improvement or a worsening: the
/// same 5 points the reports call a drop, so that «ухудшение» here and a drop there agree.
pub const EFFECT_PP: f64 = 5.0;

/// What a row achieved at the next survey (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Below the threshold before, at or above it after.
    Closed,
    /// Up by [`EFFECT_PP`] points or more.
    Improved,
    /// Moved by less than [`EFFECT_PP`] points.
    Unchanged,
    /// Down by [`EFFECT_PP`] points or more.
    Worse,
    /// A result is missing.
    NoData,
}

impl Effect {
    /// The code the API uses: `closed`, `improved`, `unchanged`, `worse`, `no_data`.
    pub fn code(self) -> &'static str {
        match self {
            Effect::Closed => "closed",
            Effect::Improved => "improved",
            Effect::Unchanged => "unchanged",
            Effect::Worse => "worse",
            Effect::NoData => "no_data",
        }
    }

    /// The Russian label.
    pub fn label(self) -> &'static str {
        match self {
            Effect::Closed => "дефицит закрыт",
            Effect::Improved => "улучшение",
            Effect::Unchanged => "без изменений",
            Effect::Worse => "ухудшение",
            Effect::NoData => "нет данных",
        }
    }
}

/// The effect of a row: the node's percent result `before` and `after` against the deficit
/// `threshold`, at 6 decimals (see the module).
pub fn effect(before: Option<f64>, after: Option<f64>, threshold: f64) -> Effect {
    let (Some(before), Some(after)) = (before, after) else {
        return Effect::NoData;
    };
    if !before.is_finite() || !after.is_finite() {
        return Effect::NoData;
    }
    let threshold = round6(threshold);
    if round6(before) < threshold && round6(after) >= threshold {
        return Effect::Closed;
    }
    let change = round6(after - before);
    if change >= EFFECT_PP {
        Effect::Improved
    } else if change <= -EFFECT_PP {
        Effect::Worse
    } else {
        Effect::Unchanged
    }
}

/// The least share of completed rows, in percent, of a route done «не менее чем на 80 %».
pub const ROUTE_DONE_PERCENT: u32 = 80;

/// «Выполнение ИОМ»: `done` completed rows of `total` planned; none without rows.
pub fn route_completion(done: u32, total: u32) -> Option<Share> {
    Share::new(done, total)
}

/// Whether a route is done «не менее чем на 80 %»: `done × 100 ≥ 80 × total`, exactly; never
/// without rows.
pub fn route_mostly_done(done: u32, total: u32) -> bool {
    total > 0 && u64::from(done) * 100 >= u64::from(ROUTE_DONE_PERCENT) * u64::from(total)
}

#[cfg(test)]
mod tests;
