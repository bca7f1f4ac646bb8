//! Individual routes (ИОМ).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::individual_route::{KindergartenRoutes, RouteView};

/// A teacher's result in one area of the survey her route rests on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteAreaDto {
    /// The area's code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Her result, percent.
    pub score: Option<f64>,
    /// Her level («B1 «Интегратор»»).
    pub level: Option<String>,
    /// The next level; `null` at the highest.
    pub next: Option<String>,
    /// Whether the area is a deficit.
    pub deficit: bool,
}

/// One row of a route's plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteRowDto {
    /// The deficit node's code.
    pub deficit: String,
    /// Its title.
    pub deficit_title: String,
    /// The task.
    pub task: String,
    /// The activity.
    pub activity: String,
    /// `course`, `internship`, `community`, `mentoring` or `self_study`.
    pub form: String,
    /// The form in words.
    pub form_label: String,
    /// The deadline.
    pub due: NaiveDate,
    /// The result and how it is shown.
    pub result: String,
    /// The training record (its first revision's id) the row is, once it exists.
    pub training_record_id: Option<i64>,
    /// Whether the row is done.
    pub done: bool,
    /// At the next survey: `closed`, `improved`, `unchanged`, `worse` or `no_data`; `null` before.
    pub effect: Option<String>,
    /// The effect in words.
    pub effect_label: Option<String>,
}

/// A teacher's individual route for the current school year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteDto {
    /// Whose.
    pub person_id: i64,
    /// Her full name.
    pub person_name: String,
    /// Her kindergarten.
    pub kindergarten_id: i64,
    /// The school year («2026/2027»).
    pub school_year: String,
    /// The stored route's id; `null` while nobody has acted on it (prefilled).
    pub id: Option<i64>,
    /// The version a change must name (0 before the route is stored).
    pub version: u32,
    /// `draft`, `submitted`, `approved`, `done` or `closed`.
    pub status: String,
    /// The status in words.
    pub status_label: String,
    /// The head's remark when she returned it.
    pub remark: Option<String>,
    /// When it was sent for approval.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When it was approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// Her latest ПК or ПП in words.
    pub last_training: String,
    /// Her tutor or mentor by a mentoring pair both heads confirmed, `null` without one.
    pub mentor: Option<String>,
    /// The period of the survey the route rests on; `null` before she took one.
    pub diagnosis_period: Option<String>,
    /// Her areas in that survey.
    pub areas: Vec<RouteAreaDto>,
    /// What observations (control cards about her) found, in words.
    pub observed: Vec<String>,
    /// The plan.
    pub rows: Vec<RouteRowDto>,
    /// The period of the «итоги» (her next survey of the school year); `null` before.
    pub outcomes_period: Option<String>,
    /// The status changes the caller may make now (`submit`, `approve`, `return`, `complete`,
    /// `close`).
    pub actions: Vec<String>,
    /// Whether the caller may mark rows done.
    pub marks_done: bool,
}

impl From<&RouteView> for RouteDto {
    fn from(view: &RouteView) -> RouteDto {
        let effects = view.outcomes.as_ref().map(|(_, effects)| effects);
        RouteDto {
            person_id: view.person.id.get(),
            person_name: view.person.full_name.clone(),
            kindergarten_id: view.kindergarten.id.get(),
            school_year: view.year.to_string(),
            id: view.id.map(|id| id.get()),
            version: view.version,
            status: view.status.code().to_owned(),
            status_label: view.status.label().to_owned(),
            remark: view.remark.clone(),
            submitted_at: view.submitted_at,
            approved_at: view.approved_at,
            last_training: view.last_training_text(),
            mentor: view.mentor.clone(),
            diagnosis_period: view
                .diagnosis
                .as_ref()
                .map(|diagnosis| diagnosis.period.code.clone()),
            areas: view
                .diagnosis
                .iter()
                .flat_map(|diagnosis| &diagnosis.areas)
                .map(|area| RouteAreaDto {
                    code: area.code.clone(),
                    title: area.title.clone(),
                    score: area.score,
                    level: area.level.clone(),
                    next: area.next.clone(),
                    deficit: area.deficit,
                })
                .collect(),
            observed: view.observed_lines(),
            rows: view
                .rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let effect = effects.and_then(|effects| effects.get(index));
                    RouteRowDto {
                        deficit: row.deficit.clone(),
                        deficit_title: row.deficit_title.clone(),
                        task: row.task.clone(),
                        activity: row.activity.clone(),
                        form: row.form.code().to_owned(),
                        form_label: row.form.label().to_owned(),
                        due: row.due,
                        result: row.result.clone(),
                        training_record_id: row.training.map(|id| id.get()),
                        done: row.done,
                        effect: effect.map(|effect| effect.code().to_owned()),
                        effect_label: effect.map(|effect| effect.label().to_owned()),
                    }
                })
                .collect(),
            outcomes_period: view
                .outcomes
                .as_ref()
                .map(|(period, _)| period.code.clone()),
            actions: view
                .actions
                .iter()
                .map(|action| action.code().to_owned())
                .collect(),
            marks_done: view.marks_done,
        }
    }
}

/// A status change.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteActionCode {
    /// Send for approval (the teacher or her head).
    Submit,
    /// Approve (her head).
    Approve,
    /// Return for rework, with a remark (her head).
    Return,
    /// Mark done (her head or the department).
    Complete,
    /// Close (her head or the department).
    Close,
}

impl From<RouteActionCode> for vsoko_app::individual_route::RouteAction {
    fn from(code: RouteActionCode) -> Self {
        use vsoko_app::individual_route::RouteAction;
        match code {
            RouteActionCode::Submit => RouteAction::Submit,
            RouteActionCode::Approve => RouteAction::Approve,
            RouteActionCode::Return => RouteAction::Return,
            RouteActionCode::Complete => RouteAction::Complete,
            RouteActionCode::Close => RouteAction::Close,
        }
    }
}

/// A status change of a route.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteActionRequest {
    /// The version the caller saw (409 `route_changed` when it moved on).
    pub version: u32,
    /// The change (`return` needs a `remark`).
    pub action: RouteActionCode,
    /// The head's remark when she returns the route.
    #[serde(default)]
    pub remark: Option<String>,
}

/// The rows of an approved route that are done.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteDoneRequest {
    /// The version the caller saw.
    pub version: u32,
    /// The indexes (from 0) of the rows done; the others are not. An index past the last row is
    /// an error (422).
    pub done: Vec<usize>,
}

/// One teacher's route in a kindergarten's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RouteLineDto {
    /// The teacher.
    pub person_id: i64,
    /// Her name.
    pub person_name: String,
    /// The status (`draft` also when nobody has acted on it).
    pub status: String,
    /// Whether someone acted on it (it is stored).
    pub started: bool,
    /// Rows done.
    pub rows_done: u32,
    /// Rows planned.
    pub rows: u32,
    /// A member of the management team (not counted in the teachers' figures).
    pub management: bool,
}

/// The routes of one kindergarten.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindergartenRoutesDto {
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// Its short name.
    pub kindergarten: String,
    /// Active teachers.
    pub teachers: usize,
    /// Routes on approval.
    pub submitted: usize,
    /// Routes approved or done («доля педагогов с ИОМ» is this of `teachers`).
    pub approved: usize,
    /// Rows done of the approved and done routes.
    pub rows_done: u32,
    /// Rows planned in them.
    pub rows: u32,
    /// Approved and done routes at least 80 % done.
    pub mostly_done: u32,
    /// Each teacher, then the management team (the kindergarten's own view; empty in the
    /// network's).
    pub lines: Vec<RouteLineDto>,
}

impl KindergartenRoutesDto {
    /// The summary of `unit`, with its teachers when `named`.
    pub fn of(unit: &KindergartenRoutes, named: bool) -> KindergartenRoutesDto {
        use vsoko_app::individual_route::RouteStatus;
        let (rows_done, rows) = unit.rows_done();
        KindergartenRoutesDto {
            kindergarten_id: unit.kindergarten.id.get(),
            kindergarten: unit.kindergarten.short_name.clone(),
            teachers: unit.lines.len(),
            submitted: unit.count(RouteStatus::Submitted),
            approved: unit.count(RouteStatus::Approved) + unit.count(RouteStatus::Done),
            rows_done,
            rows,
            mostly_done: unit.mostly_done().0,
            lines: if named {
                unit.lines
                    .iter()
                    .chain(&unit.management)
                    .map(|line| RouteLineDto {
                        person_id: line.person.id.get(),
                        person_name: line.person.full_name.clone(),
                        status: line.status.code().to_owned(),
                        started: line.stored,
                        rows_done: line.done.0,
                        rows: line.done.1,
                        management: line.management,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// A plan row to save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRowInput {
    /// The index of the row it was (its deficit code, training record and mark stay); absent
    /// for a new row.
    #[serde(default)]
    pub from: Option<usize>,
    /// The deficit.
    pub deficit: String,
    /// The task.
    pub task: String,
    /// The activity.
    pub activity: String,
    /// `course`, `internship`, `community`, `mentoring` or `self_study`.
    pub form: String,
    /// The deadline, `YYYY-MM-DD`.
    pub due: String,
    /// The result and how it is shown.
    #[serde(default)]
    pub result: String,
}

/// The plan's rows, replacing the route's.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRowsRequest {
    /// The version the caller saw.
    pub version: u32,
    /// The rows, in order (a row left out is removed).
    pub rows: Vec<RouteRowInput>,
}

/// The format of a routes list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoutesQuery {
    /// `json` (the default), `csv`, `csv-ru` (for Russian Excel) or `xlsx`: each kindergarten's
    /// routes and (a kindergarten's own list) each teacher's, with Russian headers.
    #[param(inline)]
    pub format: Option<crate::dto::reports::ReportFormat>,
    /// With `format=csv-ru`: write numbers with a decimal comma.
    pub decimal_comma: Option<bool>,
}
