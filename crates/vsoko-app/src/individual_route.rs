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
}

impl RouteView {
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
        let (diagnosis, nodes, threshold) = match &diagnosis_period {
            Some(period) => match self
                .survey_report(principal, subject, survey, period)
                .await?
            {
                Some(report) => {
                    let threshold = report.instrument.deficit_threshold().get();
                    let (diagnosis, nodes) = diagnosis_of(&report, period.clone());
                    (Some(diagnosis), nodes, threshold)
                }
                None => (None, Vec::new(), 0.0),
            },
            None => (None, Vec::new(), 0.0),
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
        let outcomes = match (&diagnosis_period, &later_period) {
            (Some(before), Some(after)) => {
                let first = self
                    .survey_report(principal, subject, survey, before)
                    .await?;
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
        Ok(RouteView {
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
        if view.version != version {
            return Err(AppError::Conflict {
                code: "route_changed",
                detail: "маршрут изменили, пока он был открыт: откройте его снова".to_owned(),
                submission: None,
            });
        }
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

fn date_text(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

impl RouteView {
    /// Her latest ПК or ПП in words, or that there is none.
    pub fn last_training_text(&self) -> String {
        match &self.last_training {
            Some(record) => format!(
                "{} «{}», {} ак. ч., {}",
                crate::words::capitalized(record.kind.label()),
                record.programme,
                record.hours,
                date_text(record.counted_date())
            ),
            None => "сведений нет".to_owned(),
        }
    }

    /// Where the diagnosis comes from («Самооценка «…», сентябрь 2025»); empty without one.
    pub fn diagnosis_source(&self) -> String {
        self.diagnosis
            .as_ref()
            .map(|diagnosis| {
                format!(
                    "Самооценка «{}», {}.",
                    diagnosis.instrument,
                    crate::words::period_in_words(
                        diagnosis.period.starts_on,
                        diagnosis.period.ends_on
                    )
                )
            })
            .unwrap_or_default()
    }

    /// The observations' deficits, each ««title» — 40,0 %».
    pub fn observed_lines(&self) -> Vec<String> {
        self.observed
            .iter()
            .map(|line| format!("«{}» — {}", line.node, crate::words::percent(line.score)))
            .collect()
    }

    /// Which card and period the observations are from; empty without any.
    pub fn observed_source(&self) -> String {
        self.observed
            .first()
            .map(|line| format!("{}, {}", line.card, line.period))
            .unwrap_or_default()
    }

    /// «Итоги»: where they come from; empty before the next survey.
    pub fn outcome_source(&self) -> String {
        self.outcomes
            .as_ref()
            .map(|(period, _)| {
                format!(
                    "Повторная самооценка, {}.",
                    crate::words::period_in_words(period.starts_on, period.ends_on)
                )
            })
            .unwrap_or_default()
    }

    /// Each row's effect in words («Цифровые ресурсы: дефицит закрыт»).
    pub fn outcome_lines(&self) -> Vec<String> {
        self.outcomes
            .as_ref()
            .map(|(_, effects)| {
                self.rows
                    .iter()
                    .zip(effects)
                    .map(|(row, effect)| format!("{}: {}", row.deficit_title, effect.label()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// «2 из 3 (67 %)» rows done.
    pub fn done_text(&self) -> String {
        let (done, total) = self.done();
        match vsoko_development::route_completion(done, total) {
            Some(share) => format!("{done} из {total} ({})", share.text()),
            None => "нет строк".to_owned(),
        }
    }

    /// The approval in words («утверждён 12.09.2025»); empty before.
    pub fn approved_text(&self) -> String {
        self.approved_at
            .map(|at| format!("утверждён {}", date_text(at.date_naive())))
            .unwrap_or_default()
    }

    /// The route as a document to file (DOCX), in the layout of the page: паспорт, результаты
    /// диагностики, план, итоги, and the signature lines of the teacher and the head.
    pub fn document(&self, network: &str) -> vsoko_exchange::Document {
        use vsoko_exchange::{Block, DocumentTable as Table, Section, TableCell};
        let mut sections = vec![Section {
            heading: "Паспорт".to_owned(),
            blocks: vec![Block::Bullets(vec![
                format!("ФИО: {}", self.person.full_name),
                format!("Должность: {}", self.person.position),
                format!("Детский сад: {}", self.kindergarten.short_name),
                format!(
                    "Последнее повышение квалификации: {}",
                    self.last_training_text()
                ),
                "Тьютор, наставник: не назначен".to_owned(),
                format!("Период: {} учебный год", self.year),
            ])],
        }];
        let mut diagnosis = Vec::new();
        match &self.diagnosis {
            None => diagnosis.push(Block::Paragraph("Самооценка ещё не пройдена.".to_owned())),
            Some(found) => {
                diagnosis.push(Block::Paragraph(self.diagnosis_source()));
                diagnosis.push(Block::Table(Table {
                    caption: "Результаты по областям".to_owned(),
                    header: ["Область", "Результат", "Уровень", "Следующий уровень"]
                        .map(str::to_owned)
                        .to_vec(),
                    rows: found
                        .areas
                        .iter()
                        .map(|area| {
                            vec![
                                TableCell::text(if area.deficit {
                                    format!("{} (дефицит)", area.title)
                                } else {
                                    area.title.clone()
                                }),
                                TableCell::text(
                                    area.score.map(crate::words::percent).unwrap_or_default(),
                                ),
                                TableCell::text(area.level.clone().unwrap_or_default()),
                                TableCell::text(area.next.clone().unwrap_or_default()),
                            ]
                        })
                        .collect(),
                }));
            }
        }
        if !self.observed.is_empty() {
            diagnosis.push(Block::Paragraph(format!(
                "По наблюдению ({}): {}.",
                self.observed_source(),
                self.observed_lines().join("; ")
            )));
        }
        sections.push(Section {
            heading: "Результаты диагностики".to_owned(),
            blocks: diagnosis,
        });
        sections.push(Section {
            heading: "План".to_owned(),
            blocks: vec![Block::Table(Table {
                caption: "План".to_owned(),
                header: [
                    "Дефицит",
                    "Задача",
                    "Мероприятие",
                    "Форма",
                    "Срок",
                    "Результат и форма предъявления",
                    "Отметка о выполнении",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: self
                    .rows
                    .iter()
                    .map(|row| {
                        vec![
                            TableCell::text(row.deficit_title.clone()),
                            TableCell::text(row.task.clone()),
                            TableCell::text(row.activity.clone()),
                            TableCell::text(row.form.label()),
                            TableCell::text(date_text(row.due)),
                            TableCell::text(row.result.clone()),
                            TableCell::text(if row.done { "выполнено" } else { "" }),
                        ]
                    })
                    .collect(),
            })],
        });
        if self.outcomes.is_some() {
            sections.push(Section {
                heading: "Итоги".to_owned(),
                blocks: vec![
                    Block::Paragraph(self.outcome_source()),
                    Block::Bullets(self.outcome_lines()),
                ],
            });
        }
        let name = format!(
            "ИОМ {} {}",
            self.person.full_name,
            self.year.to_string().replace('/', "-")
        );
        vsoko_exchange::Document {
            title: "Индивидуальный образовательный маршрут".to_owned(),
            subtitle: vec![
                format!(
                    "{}, {}",
                    self.person.full_name, self.kindergarten.short_name
                ),
                format!(
                    "{} учебный год · {}{}",
                    self.year,
                    self.status.label(),
                    match self.approved_text() {
                        text if text.is_empty() => String::new(),
                        text => format!(" ({text})"),
                    }
                ),
            ],
            sections,
            signature: vec![
                format!("Педагог ____________________ / {} /", self.person.full_name),
                "Заведующий ____________________ / ____________________ /".to_owned(),
                "Дата «____» ____________ 20___ г.".to_owned(),
            ],
            properties: vsoko_exchange::DocumentProperties {
                file_name: crate::words::file_name(&name, 120),
                ascii_file_name: format!("iom-{}-{}", self.person.id, self.year.start_year()),
                author: network.to_owned(),
                created: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            },
        }
    }
}

/// One teacher's route in a kindergarten's list.
#[derive(Debug, Clone)]
pub struct RouteLine {
    /// The teacher.
    pub person: Person,
    /// Her route's status (`Draft` also when nobody has acted on it yet).
    pub status: RouteStatus,
    /// Whether the route is stored (someone acted on it).
    pub stored: bool,
    /// Rows done, of all (of a stored route).
    pub done: (u32, u32),
    /// A member of the management team (counted apart from teachers).
    pub management: bool,
}

/// The routes of a kindergarten: the municipal indicators «доля педагогов с ИОМ» and
/// «выполнение ИОМ».
#[derive(Debug, Clone)]
pub struct KindergartenRoutes {
    /// The kindergarten.
    pub kindergarten: Kindergarten,
    /// Its active teachers with their routes, by name.
    pub lines: Vec<RouteLine>,
    /// Its active management team with their routes, by name (apart from the teachers' figures).
    pub management: Vec<RouteLine>,
}

impl KindergartenRoutes {
    /// How many routes are in `status` (unstored drafts counted as drafts).
    pub fn count(&self, status: RouteStatus) -> usize {
        self.lines
            .iter()
            .filter(|line| line.status == status)
            .count()
    }

    /// Teachers with an approved (or done) route, of the active teachers.
    pub fn approved_share(&self) -> Option<vsoko_development::Share> {
        let approved = self
            .lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .count();
        vsoko_development::Share::new(
            u32::try_from(approved).unwrap_or(u32::MAX),
            u32::try_from(self.lines.len()).unwrap_or(u32::MAX),
        )
    }

    /// Rows done of rows planned, over the approved and done routes.
    pub fn rows_done(&self) -> (u32, u32) {
        self.lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .fold((0, 0), |(done, total), line| {
                (done + line.done.0, total + line.done.1)
            })
    }

    /// Approved or done routes at least 80 % done, of the approved or done routes.
    pub fn mostly_done(&self) -> (u32, u32) {
        self.lines
            .iter()
            .filter(|line| matches!(line.status, RouteStatus::Approved | RouteStatus::Done))
            .fold((0, 0), |(mostly, all), line| {
                let (done, total) = line.done;
                (
                    mostly + u32::from(vsoko_development::route_mostly_done(done, total)),
                    all + 1,
                )
            })
    }
}

impl App {
    /// The routes of the school year of `today` in each kindergarten of `of` (one kindergarten:
    /// its head and the department; the network: the department), teacher by teacher.
    pub async fn routes_overview(
        &self,
        principal: &Principal,
        of: ReportOf,
        today: NaiveDate,
    ) -> AppResult<Vec<KindergartenRoutes>> {
        let units = match of {
            ReportOf::Kindergarten(id) => {
                let unit = self.kindergarten(principal, id).await?;
                principal.check_manage_training(&unit)?;
                vec![unit]
            }
            ReportOf::Network => {
                principal.check_network_report()?;
                self.kindergartens(principal).await?
            }
            ReportOf::Teacher(_) => return Err(AppError::NotFound(vsoko_storage::Record::Person)),
        };
        let year = SchoolYear::containing(today).start_year();
        let mut overview = Vec::new();
        for unit in units {
            let routes = self
                .store
                .routes(Scope::Kindergarten(unit.id), year)
                .await?;
            let mut lines = Vec::new();
            let mut management = Vec::new();
            let mut people = self.store.people(unit.id).await?;
            people.sort_by(|a, b| a.full_name.cmp(&b.full_name));
            for person in people {
                if !person.active {
                    continue;
                }
                let is_management = crate::training::category_of(&person.position)
                    == vsoko_development::StaffCategory::Management;
                let route = routes.iter().find(|route| route.person_id == person.id);
                let (status, done) = match route {
                    Some(route) => {
                        let rows = from_stored(&route.rows)?;
                        let done = rows.iter().filter(|row| row.done).count();
                        (
                            RouteStatus::parse(&route.status).unwrap_or(RouteStatus::Draft),
                            (
                                u32::try_from(done).unwrap_or(u32::MAX),
                                u32::try_from(rows.len()).unwrap_or(u32::MAX),
                            ),
                        )
                    }
                    None => (RouteStatus::Draft, (0, 0)),
                };
                let line = RouteLine {
                    person,
                    status,
                    stored: route.is_some(),
                    done,
                    management: is_management,
                };
                if is_management {
                    management.push(line);
                } else {
                    lines.push(line);
                }
            }
            overview.push(KindergartenRoutes {
                kindergarten: unit,
                lines,
                management,
            });
        }
        Ok(overview)
    }
}

/// A plan row as a form or the API sends it: every field as typed; `from` is the index of the row
/// it was (its deficit code, training record and mark stay), `None` for a new row.
#[derive(Debug, Clone, Default)]
pub struct RowInput {
    /// The row it was, by index in the route's rows.
    pub from: Option<usize>,
    /// The deficit (a new row's: what the teacher names).
    pub deficit: String,
    /// The task.
    pub task: String,
    /// The activity.
    pub activity: String,
    /// [`RouteForm::code`].
    pub form: String,
    /// The deadline as typed (`2026-05-31` or `31.05.2026`).
    pub due: String,
    /// The result and how it is shown.
    pub result: String,
}

impl App {
    /// Replaces the plan's rows of `person`'s route with `rows` (edited, added, removed), from the
    /// version the caller saw: in a draft she herself or her head, on approval her head. Every
    /// field that cannot be read is an error at its field (`row-N-task`, …), nothing is saved.
    pub async fn save_route_rows(
        &self,
        principal: &Principal,
        person: PersonId,
        version: u32,
        rows: &[RowInput],
        today: NaiveDate,
    ) -> AppResult<RouteView> {
        let view = self.individual_route(principal, person, today).await?;
        if !vsoko_development::may_edit_rows(view.status, view.actor) {
            return Err(AppError::Forbidden(format!(
                "план маршрута в статусе «{}» изменить нельзя",
                view.status.label()
            )));
        }
        if view.version != version {
            return Err(AppError::Conflict {
                code: "route_changed",
                detail: "маршрут изменили, пока он был открыт: откройте его снова".to_owned(),
                submission: None,
            });
        }
        let mut errors = Vec::new();
        let mut plan = Vec::new();
        for (index, input) in rows.iter().enumerate() {
            let field = |name: &str| format!("row-{index}-{name}");
            let required =
                |errors: &mut Vec<crate::error::FieldError>, name: &str, text: &str, what: &str| {
                    if text.trim().is_empty() {
                        errors.push(crate::error::FieldError::new(
                            &field(name),
                            "required",
                            format!("строка {}: {what}", index + 1),
                        ));
                    }
                };
            required(&mut errors, "deficit", &input.deficit, "назовите дефицит");
            required(&mut errors, "task", &input.task, "напишите задачу");
            required(
                &mut errors,
                "activity",
                &input.activity,
                "напишите мероприятие",
            );
            let form = RouteForm::parse(input.form.trim());
            if form.is_none() {
                errors.push(crate::error::FieldError::new(
                    &field("form"),
                    "required",
                    format!("строка {}: выберите форму", index + 1),
                ));
            }
            let due = crate::forms::parse_date(&input.due);
            if due.is_none() {
                errors.push(crate::error::FieldError::new(
                    &field("due"),
                    "not_a_date",
                    format!(
                        "строка {}: «{}» — не дата: введите срок в виде 31.05.2026",
                        index + 1,
                        input.due.trim()
                    ),
                ));
            }
            let before = input.from.and_then(|from| view.rows.get(from));
            if let (Some(form), Some(due)) = (form, due) {
                plan.push(PlanRow {
                    deficit: before.map_or_else(String::new, |row| row.deficit.clone()),
                    deficit_title: input.deficit.trim().to_owned(),
                    task: input.task.trim().to_owned(),
                    activity: input.activity.trim().to_owned(),
                    form,
                    due,
                    result: input.result.trim().to_owned(),
                    training: before.and_then(|row| row.training),
                    done: before.is_some_and(|row| row.done),
                });
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid {
                detail: "план не сохранён: исправьте отмеченные поля".to_owned(),
                errors,
            });
        }
        let stored = self.stored_route(principal, &view).await?;
        self.store
            .change_route(
                principal.user.id,
                stored.id,
                stored.version,
                &RouteChange {
                    rows: Some(&to_stored(&plan)),
                    ..RouteChange::default()
                },
            )
            .await?;
        self.individual_route(principal, person, today).await
    }
}

/// The routes as the files Russian Excel opens: «Маршруты» (each kindergarten: teachers, on
/// approval, approved, rows done of planned, routes done at least 80 %) and, with `named`, «Педагоги»
/// (each teacher and member of the management team: status, rows done).
pub fn routes_sheets(overview: &[KindergartenRoutes], named: bool) -> Vec<vsoko_exchange::Sheet> {
    use vsoko_exchange::{Cell, Column, ColumnKind, Sheet};
    let column = |header: &str, kind: ColumnKind| Column {
        header: header.to_owned(),
        kind,
    };
    let number = |value: usize| Cell::Number(value as f64);
    let mut sheets = vec![Sheet {
        name: "Маршруты".to_owned(),
        columns: vec![
            column("Детский сад", ColumnKind::Text),
            column("Педагогов", ColumnKind::Integer),
            column("На согласовании", ColumnKind::Integer),
            column("Утверждено или выполнено", ColumnKind::Integer),
            column("Строк выполнено", ColumnKind::Integer),
            column("Строк в планах", ColumnKind::Integer),
            column("Маршрутов выполнено на 80 % и более", ColumnKind::Integer),
        ],
        rows: overview
            .iter()
            .map(|unit| {
                let (done, rows) = unit.rows_done();
                vec![
                    Cell::Text(unit.kindergarten.short_name.clone()),
                    number(unit.lines.len()),
                    number(unit.count(RouteStatus::Submitted)),
                    number(unit.count(RouteStatus::Approved) + unit.count(RouteStatus::Done)),
                    Cell::Number(f64::from(done)),
                    Cell::Number(f64::from(rows)),
                    Cell::Number(f64::from(unit.mostly_done().0)),
                ]
            })
            .collect(),
    }];
    if named {
        sheets.push(Sheet {
            name: "Педагоги".to_owned(),
            columns: vec![
                column("ФИО", ColumnKind::Text),
                column("Должность", ColumnKind::Text),
                column("Детский сад", ColumnKind::Text),
                column("Статус маршрута", ColumnKind::Text),
                column("Строк выполнено", ColumnKind::Integer),
                column("Строк в плане", ColumnKind::Integer),
            ],
            rows: overview
                .iter()
                .flat_map(|unit| {
                    unit.lines.iter().chain(&unit.management).map(move |line| {
                        vec![
                            Cell::Text(line.person.full_name.clone()),
                            Cell::Text(line.person.position.clone()),
                            Cell::Text(unit.kindergarten.short_name.clone()),
                            Cell::Text(if line.stored {
                                line.status.label().to_owned()
                            } else {
                                "черновик (не начат)".to_owned()
                            }),
                            Cell::Number(f64::from(line.done.0)),
                            Cell::Number(f64::from(line.done.1)),
                        ]
                    })
                })
                .collect(),
        });
    }
    sheets
}

/// The file name of the routes of a kindergarten (`Some(id)`) or of the network.
pub fn routes_file_name(
    kindergarten: Option<vsoko_domain::KindergartenId>,
    today: NaiveDate,
    format: crate::export::FileFormat,
) -> String {
    let scope =
        kindergarten.map_or_else(|| "network".to_owned(), |id| format!("kindergarten-{id}"));
    format!("vsoko-iom-{scope}-{today}.{}", format.extension())
}
