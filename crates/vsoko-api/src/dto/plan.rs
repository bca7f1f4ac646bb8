//! The network's calendar plan of professional development.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::plan::{AttendanceOutcome, EventForm, EventLine, PlanView};

/// The form of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum PlanFormat {
    /// JSON (the default).
    #[serde(rename = "json")]
    Json,
    /// CSV for programs.
    #[serde(rename = "csv")]
    Csv,
    /// CSV for Russian Excel.
    #[serde(rename = "csv-ru")]
    CsvRu,
    /// XLSX.
    #[serde(rename = "xlsx")]
    Xlsx,
    /// The Word document (the plan as filed).
    #[serde(rename = "docx")]
    Docx,
}

/// How the plan (or a calendar) is asked for.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// `json` (default), `csv`, `csv-ru`, `xlsx` or `docx`.
    #[param(inline)]
    pub format: Option<PlanFormat>,
    /// The school year's first calendar year (`2024` for 2024/2025; default: the current one).
    /// A past year's plan is read only.
    #[param(minimum = 2000, maximum = 2100)]
    pub school_year: Option<i32>,
}

/// What the proposal reads (default: the first teachers' instrument and its latest period with
/// enough data).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeDto {
    pub instrument: Option<String>,
    pub period: Option<String>,
}

/// Seats of a kindergarten.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatsDto {
    pub kindergarten_id: i64,
    pub seats: u32,
}

/// A person present, with the hours attended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendedDto {
    pub person_id: i64,
    /// 1 to the event's hours.
    pub hours: u32,
}

/// An event held.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeldDto {
    pub on: NaiveDate,
    pub attended: Vec<AttendedDto>,
}

/// An event of the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEventDto {
    /// Its number in the plan, kept across revisions.
    pub id: u32,
    pub topic: String,
    /// `course_module`, `seminar`, `master_class`, `workshop`, `internship` or `mentoring`.
    pub format: String,
    pub format_label: String,
    /// `2026-10`.
    pub month: String,
    pub date: Option<NaiveDate>,
    /// «сроки» in words.
    pub when: String,
    pub host_kindergarten_id: Option<i64>,
    /// «место проведения».
    pub place: String,
    pub leaders: Vec<i64>,
    /// «ответственный»: the leaders' names and the responsible in words.
    pub responsible: String,
    pub areas: Vec<String>,
    pub hours: u32,
    pub seats: Vec<SeatsDto>,
    pub participants: Vec<i64>,
    pub planned_result: String,
    /// Why it was proposed.
    pub reasoning: String,
    /// «отметка о согласовании».
    pub agreement: String,
    pub held: Option<HeldDto>,
    /// «результат» in words.
    pub result: String,
}

impl From<&EventLine> for PlanEventDto {
    fn from(line: &EventLine) -> Self {
        let event = &line.event;
        PlanEventDto {
            id: event.id,
            topic: event.topic.clone(),
            format: event.format.code().to_owned(),
            format_label: event.format.label().to_owned(),
            month: event.month.format("%Y-%m").to_string(),
            date: event.date,
            when: line.when.clone(),
            host_kindergarten_id: event.host.map(|id| id.get()),
            place: line.place.clone(),
            leaders: event.leaders.iter().map(|id| id.get()).collect(),
            responsible: line.responsible.clone(),
            areas: event.areas.clone(),
            hours: event.hours,
            seats: event
                .seats
                .iter()
                .map(|seats| SeatsDto {
                    kindergarten_id: seats.kindergarten.get(),
                    seats: seats.seats,
                })
                .collect(),
            participants: event.participants.iter().map(|id| id.get()).collect(),
            planned_result: event.planned_result.clone(),
            reasoning: event.reasoning.clone(),
            agreement: line.agreement.clone(),
            held: event.held.as_ref().map(|held| HeldDto {
                on: held.on,
                attended: held
                    .attended
                    .iter()
                    .map(|a| AttendedDto {
                        person_id: a.person.get(),
                        hours: a.hours,
                    })
                    .collect(),
            }),
            result: line.result.clone(),
        }
    }
}

/// A head's agreement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanAgreementDto {
    pub kindergarten_id: i64,
    pub kindergarten_name: String,
    /// `not_agreed`, `agreed` or `changed_since` (agreed an earlier version).
    pub state: String,
    pub text: String,
}

/// A version of the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRevisionDto {
    pub version: u32,
    pub action: String,
    pub reason: Option<String>,
    pub at: String,
}

/// The plan of a school year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: i64,
    /// The version a change or an agreement is based on.
    pub version: u32,
    /// What the proposal read.
    pub source: String,
    pub events: Vec<PlanEventDto>,
    /// What the proposal could not place.
    pub notes: Vec<String>,
    pub agreements: Vec<PlanAgreementDto>,
    /// The newest first.
    pub revisions: Vec<PlanRevisionDto>,
    /// Whether a change needs its reason (a head has agreed).
    pub needs_reason: bool,
}

/// The plan of the current school year, and what the caller may do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PdPlanDto {
    /// `2026/2027`.
    pub school_year: String,
    /// `null` until the department makes it.
    pub plan: Option<PlanDto>,
    pub may_propose: bool,
    pub may_edit: bool,
    pub may_agree: bool,
    /// A past school year's plan: read only.
    pub read_only: bool,
    /// The school years with a plan, and the current one (`2024/2025`).
    pub years: Vec<String>,
}

impl From<&PlanView> for PdPlanDto {
    fn from(view: &PlanView) -> Self {
        PdPlanDto {
            school_year: view.year.to_string(),
            plan: view.plan.as_ref().map(|plan| PlanDto {
                id: plan.id,
                version: plan.version,
                source: plan.source.clone(),
                events: plan.events.iter().map(PlanEventDto::from).collect(),
                notes: plan.notes.clone(),
                agreements: plan
                    .agreements
                    .iter()
                    .map(|line| PlanAgreementDto {
                        kindergarten_id: line.kindergarten.id.get(),
                        kindergarten_name: line.kindergarten.short_name.clone(),
                        state: line.state.code().to_owned(),
                        text: line.text.clone(),
                    })
                    .collect(),
                revisions: plan
                    .revisions
                    .iter()
                    .map(|revision| PlanRevisionDto {
                        version: revision.version,
                        action: revision.action.to_owned(),
                        reason: revision.reason.clone(),
                        at: revision.at.clone(),
                    })
                    .collect(),
                needs_reason: plan.needs_reason,
            }),
            may_propose: view.may_propose,
            may_edit: view.may_edit,
            may_agree: view.may_agree.is_some(),
            read_only: view.read_only,
            years: view.years.iter().map(ToString::to_string).collect(),
        }
    }
}

/// An event to add or the new state of one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequestDto {
    /// The plan's version the change is based on (409 `plan_changed` when it moved on).
    pub version: u32,
    /// Why: required once a head has agreed (422 `reason`).
    #[serde(default)]
    pub reason: Option<String>,
    pub topic: String,
    /// `course_module`, `seminar`, `master_class`, `workshop`, `internship` or `mentoring`.
    pub format: String,
    /// `2026-10`: a month of the plan's school year.
    pub month: String,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The hosting kindergarten; none: the department.
    #[serde(default)]
    pub host_kindergarten_id: Option<i64>,
    /// The responsible in words.
    #[serde(default)]
    pub responsible: Option<String>,
    /// People who lead it.
    #[serde(default)]
    pub leaders: Vec<i64>,
    /// Target area codes of the plan's instrument.
    #[serde(default)]
    pub areas: Vec<String>,
    pub hours: u32,
    #[serde(default)]
    pub seats: Vec<SeatsDto>,
    #[serde(default)]
    pub planned_result: Option<String>,
}

impl From<&EventRequestDto> for EventForm {
    fn from(dto: &EventRequestDto) -> Self {
        EventForm {
            version: dto.version.to_string(),
            reason: dto.reason.clone().unwrap_or_default(),
            topic: dto.topic.clone(),
            format: dto.format.clone(),
            month: dto.month.clone(),
            date: dto
                .date
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            host: dto
                .host_kindergarten_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            responsible: dto.responsible.clone().unwrap_or_default(),
            leaders: dto.leaders.iter().map(ToString::to_string).collect(),
            areas: dto.areas.clone(),
            hours: dto.hours.to_string(),
            seats: dto
                .seats
                .iter()
                .map(|seats| (seats.kindergarten_id.to_string(), seats.seats.to_string()))
                .collect(),
            planned_result: dto.planned_result.clone().unwrap_or_default(),
        }
    }
}

/// An event removed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalDto {
    pub version: u32,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A head agrees the version she read.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanAgreementRequestDto {
    pub version: u32,
}

/// Who attended an event held.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequestDto {
    pub version: u32,
    /// The day it was held (in the plan's school year, not after today).
    pub held_on: NaiveDate,
    pub attended: Vec<AttendedDto>,
}

/// What an attendance wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceOutcomeDto {
    /// Training records added.
    pub added: usize,
    /// People credited before, left as they were.
    pub kept: usize,
}

impl From<AttendanceOutcome> for AttendanceOutcomeDto {
    fn from(outcome: AttendanceOutcome) -> Self {
        AttendanceOutcomeDto {
            added: outcome.added,
            kept: outcome.kept,
        }
    }
}
