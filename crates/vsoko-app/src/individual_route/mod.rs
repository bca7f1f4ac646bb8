//! Each teacher's individual route (ИОМ) for a school year: prefilled from her self-assessment
//! and training records so that she writes nothing, sent for approval, approved by her head,
//! marked done row by row, and its «итоги» read from the next survey. The rules (statuses and who
//! moves them, the rows proposed, the effect classes, completion) are `vsoko_development`'s; this
//! module reads what they need and keeps the route.
//!
//! Until someone acts on it the route is not stored: every reader sees it prefilled from the data
//! of the moment. The first action (sending it, marking a row, changing rows) stores it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use vsoko_checklist::Instrument;
use vsoko_development::{
    DeficitNode, SchoolYear, TrainingRecord, effect, propose_rows, transition,
};
/// The vocabulary of routes, as the adapters read it.
pub use vsoko_development::{
    EFFECT_PP, Effect, PlanRow, RouteAction, RouteActor, RouteForm, RouteStatus,
};
use vsoko_domain::{Kindergarten, Period, Person, PersonId, RouteId, TrainingRecordId};
use vsoko_scoring::NodeKind;
use vsoko_storage::{RouteChange, Scope, StoredRoute};

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::{App, Principal};

/// The survey a teacher's route is prefilled from.
pub const ROUTE_SURVEY: &str = "dc-teacher";

/// The survey a member of the management team's route is prefilled from (the head's
/// self-assessment of the team's digital competences).
pub const MANAGEMENT_ROUTE_SURVEY: &str = "dc-management";

/// The survey `person`'s route rests on, by her position.
fn route_survey(person: &Person) -> &'static str {
    match crate::training::category_of(&person.position) {
        vsoko_development::StaffCategory::Management => MANAGEMENT_ROUTE_SURVEY,
        vsoko_development::StaffCategory::Teacher => ROUTE_SURVEY,
    }
}

/// The control card whose observations stand beside her own view.
pub const ROUTE_CARD: &str = "card-ood";

/// One row of the plan as stored (the JSON of `individual_routes.plan_rows`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRow {
    deficit: String,
    deficit_title: String,
    task: String,
    activity: String,
    form: String,
    due: NaiveDate,
    result: String,
    training: Option<i64>,
    done: bool,
}

fn to_stored(rows: &[PlanRow<TrainingRecordId>]) -> String {
    let stored: Vec<StoredRow> = rows
        .iter()
        .map(|row| StoredRow {
            deficit: row.deficit.clone(),
            deficit_title: row.deficit_title.clone(),
            task: row.task.clone(),
            activity: row.activity.clone(),
            form: row.form.code().to_owned(),
            due: row.due,
            result: row.result.clone(),
            training: row.training.map(TrainingRecordId::get),
            done: row.done,
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

fn from_stored(text: &str) -> AppResult<Vec<PlanRow<TrainingRecordId>>> {
    let stored: Vec<StoredRow> = serde_json::from_str(text)
        .map_err(|error| AppError::unexpected(format!("a route's rows do not read: {error}")))?;
    Ok(stored
        .into_iter()
        .map(|row| PlanRow {
            deficit: row.deficit,
            deficit_title: row.deficit_title,
            task: row.task,
            activity: row.activity,
            form: RouteForm::parse(&row.form).unwrap_or(RouteForm::SelfStudy),
            due: row.due,
            result: row.result,
            training: row.training.map(TrainingRecordId::new),
            done: row.done,
        })
        .collect())
}

/// Her result in one area of the survey.
#[derive(Debug, Clone)]
pub struct AreaResult {
    /// The area's code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Her result, percent.
    pub score: Option<f64>,
    /// Her level («B1 «Интегратор»»).
    pub level: Option<String>,
    /// The next level («B2 «Эксперт»»), when there is one.
    pub next: Option<String>,
    /// Whether the area is a deficit.
    pub deficit: bool,
}

/// The diagnosis a route rests on: her survey of a period.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The period.
    pub period: Period,
    /// The instrument's title.
    pub instrument: String,
    /// Her areas.
    pub areas: Vec<AreaResult>,
    /// Her deficit indicators: (code, title, result).
    pub indicators: Vec<(String, String, f64)>,
}

/// A deficit an observation (a control card about her) found.
#[derive(Debug, Clone)]
pub struct ObservedDeficit {
    /// The card's title.
    pub card: String,
    /// The period, in words.
    pub period: String,
    /// The node's title.
    pub node: String,
    /// Its result, percent.
    pub score: f64,
}

/// The route as its readers see it.
#[derive(Debug, Clone)]
pub struct RouteView {
    /// Whose.
    pub person: Person,
    /// Her kindergarten.
    pub kindergarten: Kindergarten,
    /// The school year.
    pub year: SchoolYear,
    /// The stored route; `None` while nobody has acted on it (prefilled).
    pub id: Option<RouteId>,
    /// The version the next write is based on (0 before it is stored).
    pub version: u32,
    /// Its status.
    pub status: RouteStatus,
    /// The head's remark when she returned it.
    pub remark: Option<String>,
    /// When it was sent for approval.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When it was approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// The plan.
    pub rows: Vec<PlanRow<TrainingRecordId>>,
    /// The programme of each row's training record (aligned with `rows`).
    pub row_trainings: Vec<Option<String>>,
    /// Her latest ПК or ПП.
    pub last_training: Option<TrainingRecord>,
    /// Her self-assessment the route rests on; `None` before she has taken the survey.
    pub diagnosis: Option<Diagnosis>,
    /// What observations found.
    pub observed: Vec<ObservedDeficit>,
    /// «Итоги»: the later survey of the school year and each row's effect (aligned with `rows`).
    pub outcomes: Option<(Period, Vec<Effect>)>,
    /// Who the caller is to the route.
    pub actor: RouteActor,
    /// The status changes the caller may make now.
    pub actions: Vec<RouteAction>,
    /// Whether the caller may mark rows done (an approved route, her or her head).
    pub marks_done: bool,
    /// Whether the caller may edit, add or remove rows (`vsoko_development::may_edit_rows`).
    pub edits_rows: bool,
    /// Her mentor by a mentoring pair both heads confirmed: «ФИО (детский сад)».
    pub mentor: Option<String>,
}

impl RouteView {
    /// Refuses a write based on another version than the one shown (409 `route_changed`).
    fn check_version(&self, version: u32) -> AppResult<()> {
        if self.version == version {
            return Ok(());
        }
        Err(AppError::Conflict {
            code: "route_changed",
            detail: "маршрут изменили, пока он был открыт: откройте его снова".to_owned(),
            submission: None,
        })
    }

    /// Rows done, of all.
    pub fn done(&self) -> (u32, u32) {
        let done = self.rows.iter().filter(|row| row.done).count();
        (
            u32::try_from(done).unwrap_or(u32::MAX),
            u32::try_from(self.rows.len()).unwrap_or(u32::MAX),
        )
    }
}

/// A level band in words: «B1 «Интегратор»».
fn band_text(instrument: &Instrument, index: usize) -> Option<String> {
    instrument
        .levels()
        .bands()
        .get(index)
        .map(|band| format!("{} «{}»", band.code(), band.name()))
}

fn diagnosis_of(report: &Report, period: Period) -> (Diagnosis, Vec<DeficitNode>) {
    let instrument = &report.instrument;
    let bands = instrument.levels().bands();
    let mut areas = Vec::new();
    let mut indicators = Vec::new();
    let mut nodes = Vec::new();
    let area_of = |code: &str| {
        instrument
            .areas()
            .iter()
            .find(|area| {
                area.indicators()
                    .iter()
                    .any(|indicator| indicator.code().as_str() == code)
            })
            .map(|area| area.code().to_string())
            .unwrap_or_default()
    };
    for row in report.rows() {
        let deficit = row.score.is_some_and(|score| instrument.is_deficit(score));
        match row.kind {
            NodeKind::Area => {
                let index = row.level.as_ref().and_then(|level| {
                    bands
                        .iter()
                        .position(|band| band.code().as_str() == level.code)
                });
                areas.push(AreaResult {
                    code: row.code.clone(),
                    title: row.title.clone(),
                    score: row.score,
                    level: index.and_then(|index| band_text(instrument, index)),
                    next: index.and_then(|index| band_text(instrument, index + 1)),
                    deficit,
                });
            }
            NodeKind::Indicator if deficit => {
                indicators.push((
                    row.code.clone(),
                    row.title.clone(),
                    row.score.unwrap_or(0.0),
                ));
            }
            _ => {}
        }
        if deficit && matches!(row.kind, NodeKind::Area | NodeKind::Indicator) {
            let is_area = row.kind == NodeKind::Area;
            nodes.push(DeficitNode {
                code: row.code.clone(),
                title: row.title.clone(),
                is_area,
                area: if is_area {
                    row.code.clone()
                } else {
                    area_of(&row.code)
                },
                score: row.score.unwrap_or(0.0),
                recommendation: instrument.recommendation(&row.code).map(str::to_owned),
            });
        }
    }
    (
        Diagnosis {
            period,
            instrument: instrument.title().to_owned(),
            areas,
            indicators,
        },
        nodes,
    )
}

impl App {
    async fn route_subject(
        &self,
        principal: &Principal,
        person: PersonId,
    ) -> AppResult<(Person, Kindergarten, RouteActor)> {
        let person = self.store.person(person).await?;
        let kindergarten = self.store.kindergarten(person.kindergarten_id).await?;
        let actor = principal.route_actor(&person, &kindergarten)?;
        Ok((person, kindergarten, actor))
    }

    async fn survey_report(
        &self,
        principal: &Principal,
        of: ReportOf,
        instrument: &str,
        period: &Period,
    ) -> AppResult<Option<Report>> {
        let request = ReportRequest {
            of,
            period: period.code.clone(),
            instrument: instrument.to_owned(),
            version: None,
            compare_period: None,
            compare_version: None,
            items: Some(false),
        };
        match self.report(principal, &request).await {
            Ok(report) if report.body.n_submissions > 0 => Ok(Some(report)),
            Ok(_)
            | Err(AppError::Invalid { .. } | AppError::NotFound(_) | AppError::Forbidden(_)) => {
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// The individual route of `person` for the school year of `today`: hers, her head's and
    /// the department's to read (anybody else: not found). Prefilled while nobody has acted on it.
    pub async fn individual_route(
        &self,
        principal: &Principal,
        person: PersonId,
        today: NaiveDate,
    ) -> AppResult<RouteView> {
        let (person, kindergarten, actor) = self.route_subject(principal, person).await?;
        let survey = route_survey(&person);
        // A teacher's own survey; a management team's is the kindergarten's.
        let subject = if survey == ROUTE_SURVEY {
            ReportOf::Teacher(person.id)
        } else {
            ReportOf::Kindergarten(kindergarten.id)
        };
        let year = SchoolYear::containing(today);
        let stored = self.store.route_of(person.id, year.start_year()).await?;
        // The diagnosis: her first survey of the school year, else her last one before it; the
        // «итоги»: her last survey of the year after that.
        let periods = match self.report_periods(principal, subject, survey).await {
            Err(AppError::Forbidden(_)) => Vec::new(),
            other => other?,
        };
        let diagnosis_period = periods
            .iter()
            .find(|period| year.range().contains(period.starts_on))
            .or_else(|| {
                periods
                    .iter()
                    .rev()
                    .find(|period| period.starts_on < year.start())
            })
            .cloned();
        let later_period = diagnosis_period.as_ref().and_then(|first| {
            periods
                .iter()
                .rev()
                .find(|period| {
                    year.range().contains(period.starts_on) && period.starts_on > first.starts_on
                })
                .cloned()
        });
        let mut trainings: Vec<(TrainingRecordId, TrainingRecord)> = self
            .store
            .training_records(Scope::Kindergarten(kindergarten.id), Some(person.id))
            .await?
            .into_iter()
            .map(|stored| (stored.root_id, stored.record))
            .collect();
        trainings.sort_by_key(|(_, record)| record.counted_date());
        let last_training = trainings
            .iter()
            .rev()
            .find(|(_, record)| record.kind.is_dpo())
            .map(|(_, record)| record.clone());
        // Her survey of the diagnosis period: read once, for the diagnosis and the «итоги».
        let first = match &diagnosis_period {
            Some(period) => {
                self.survey_report(principal, subject, survey, period)
                    .await?
            }
            None => None,
        };
        let (diagnosis, nodes, threshold) = match (&first, &diagnosis_period) {
            (Some(report), Some(period)) => {
                let threshold = report.instrument.deficit_threshold().get();
                let (diagnosis, nodes) = diagnosis_of(report, period.clone());
                (Some(diagnosis), nodes, threshold)
            }
            _ => (None, Vec::new(), 0.0),
        };
        let (rows, status) = match &stored {
            Some(route) => {
                // A course taken since the plan was made shows in its row.
                let mut rows = from_stored(&route.rows)?;
                vsoko_development::link_trainings(&mut rows, &trainings, today);
                (
                    rows,
                    RouteStatus::parse(&route.status).unwrap_or(RouteStatus::Draft),
                )
            }
            None => (
                propose_rows(&nodes, &trainings, year, today),
                RouteStatus::Draft,
            ),
        };
        let row_trainings = rows
            .iter()
            .map(|row| {
                row.training.and_then(|id| {
                    trainings
                        .iter()
                        .find(|(key, _)| *key == id)
                        .map(|(_, record)| record.programme.clone())
                })
            })
            .collect();
        let outcomes = match &later_period {
            Some(after) if first.is_some() => {
                let next = self
                    .survey_report(principal, subject, survey, after)
                    .await?;
                let score = |report: &Option<Report>, code: &str| {
                    report.as_ref().and_then(|report| {
                        report
                            .rows()
                            .iter()
                            .find(|row| row.code == code)
                            .and_then(|row| row.score)
                    })
                };
                next.as_ref().map(|_| {
                    (
                        after.clone(),
                        rows.iter()
                            .map(|row| {
                                effect(
                                    score(&first, &row.deficit),
                                    score(&next, &row.deficit),
                                    threshold,
                                )
                            })
                            .collect(),
                    )
                })
            }
            _ => None,
        };
        let observed = self.observed_deficits(principal, person.id).await?;
        let actions = vsoko_development::route_actions(status, actor);
        let mentor = self
            .confirmed_mentor(&person, kindergarten.network_id, year)
            .await?
            .map(|(mentor, unit)| format!("{} ({unit})", mentor.full_name));
        Ok(RouteView {
            mentor,
            edits_rows: vsoko_development::may_edit_rows(status, actor),
            marks_done: status == RouteStatus::Approved
                && matches!(actor, RouteActor::Owner | RouteActor::Head),
            person,
            kindergarten,
            year,
            id: stored.as_ref().map(|route| route.id),
            version: stored.as_ref().map_or(0, |route| route.version),
            status,
            remark: stored.as_ref().and_then(|route| route.remark.clone()),
            submitted_at: stored.as_ref().and_then(|route| route.submitted_at),
            approved_at: stored
                .as_ref()
                .and_then(|route| route.approved.map(|(at, _)| at)),
            rows,
            row_trainings,
            last_training,
            diagnosis,
            observed,
            outcomes,
            actor,
            actions,
        })
    }

    /// The deficits of the latest control card about her (the card's report of her, latest
    /// period with one).
    async fn observed_deficits(
        &self,
        principal: &Principal,
        person: PersonId,
    ) -> AppResult<Vec<ObservedDeficit>> {
        let periods = self
            .report_periods(principal, ReportOf::Teacher(person), ROUTE_CARD)
            .await?;
        let Some(period) = periods.last() else {
            return Ok(Vec::new());
        };
        let Some(report) = self
            .survey_report(principal, ReportOf::Teacher(person), ROUTE_CARD, period)
            .await?
        else {
            return Ok(Vec::new());
        };
        Ok(report
            .rows()
            .iter()
            .filter(|row| matches!(row.kind, NodeKind::Area | NodeKind::Indicator))
            .filter_map(|row| {
                let score = row.score?;
                report
                    .instrument
                    .is_deficit(score)
                    .then(|| ObservedDeficit {
                        card: report.instrument.title().to_owned(),
                        period: crate::words::period_in_words(period.starts_on, period.ends_on),
                        node: row.title.clone(),
                        score,
                    })
            })
            .collect())
    }

    /// Stores a prefilled route (the first action on it), or answers the stored one.
    async fn stored_route(
        &self,
        principal: &Principal,
        view: &RouteView,
    ) -> AppResult<StoredRoute> {
        match view.id {
            Some(id) => Ok(self.store.route(id).await?),
            None => Ok(self
                .store
                .create_route(
                    principal.user.id,
                    view.person.id,
                    view.year.start_year(),
                    RouteStatus::Draft.code(),
                    &to_stored(&view.rows),
                )
                .await?),
        }
    }

    /// Moves the route of `person` by `action` (send, approve, return with a remark, mark done,
    /// close), from the version the caller saw; refused when her role may not, or the route moved
    /// on since (409).
    pub async fn route_action(
        &self,
        principal: &Principal,
        person: PersonId,
        version: u32,
        action: RouteAction,
        remark: Option<String>,
        today: NaiveDate,
    ) -> AppResult<RouteView> {
        let view = self.individual_route(principal, person, today).await?;
        view.check_version(version)?;
        let next = transition(view.status, action, view.actor).map_err(|error| match error {
            vsoko_development::TransitionError::NotBy { .. } => {
                AppError::Forbidden(error.to_string())
            }
            vsoko_development::TransitionError::NotFrom { .. } => AppError::Conflict {
                code: "route_status",
                detail: error.to_string(),
                submission: None,
            },
        })?;
        let remark = remark
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty());
        if action == RouteAction::Return && remark.is_none() {
            return Err(AppError::invalid(
                "remark",
                "required",
                "напишите, что исправить в маршруте: замечание увидит педагог",
            ));
        }
        let stored = self.stored_route(principal, &view).await?;
        self.store
            .change_route(
                principal.user.id,
                stored.id,
                stored.version,
                &RouteChange {
                    rows: None,
                    status: Some((next.code(), remark.as_deref())),
                    submitted: next == RouteStatus::Submitted,
                    approved: next == RouteStatus::Approved,
                },
            )
            .await?;
        self.individual_route(principal, person, today).await
    }

    /// Marks rows of an approved route done or not (`done`: the indexes of the rows done), from
    /// the version the caller saw: she herself or her head.
    pub async fn mark_route_rows(
        &self,
        principal: &Principal,
        person: PersonId,
        version: u32,
        done: &[usize],
        today: NaiveDate,
    ) -> AppResult<RouteView> {
        let view = self.individual_route(principal, person, today).await?;
        if !view.marks_done {
            return Err(AppError::Forbidden(
                "отмечать выполнение можно в утверждённом маршруте — педагогу и заведующему"
                    .to_owned(),
            ));
        }
        let Some(id) = view.id else {
            return Err(AppError::unexpected("an approved route is stored"));
        };
        if let Some(past) = done.iter().find(|index| **index >= view.rows.len()) {
            return Err(AppError::invalid(
                "done",
                "unknown_row",
                format!(
                    "строки {} в плане нет: в нём {}",
                    past + 1,
                    crate::words::counted(view.rows.len(), "строка", "строки", "строк")
                ),
            ));
        }
        let mut rows = view.rows.clone();
        for (index, row) in rows.iter_mut().enumerate() {
            row.done = done.contains(&index);
        }
        self.store
            .change_route(
                principal.user.id,
                id,
                version,
                &RouteChange {
                    rows: Some(&to_stored(&rows)),
                    ..RouteChange::default()
                },
            )
            .await?;
        self.individual_route(principal, person, today).await
    }
}

mod document;
mod overview;
mod plan;

pub use overview::{
    KindergartenRoutes, RouteLine, routes_file_name, routes_section, routes_sheets,
};
pub use plan::RowInput;
