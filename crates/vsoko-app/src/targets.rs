//! The network's targets held to what the system holds: coverage figures from the training
//! records; a node's result, the share of answers with a value and the share at or above a level
//! from the period's reports; the diagnosis coverage from the surveys. A source without data, or
//! with a result withheld by the coverage rule, says «недостаточно данных», never a number.
//!
//! The targets are the deployment's `targets.toml` in its folder of instruments, or the shipped
//! one; both are checked against the catalog at start.

use std::path::Path;

use vsoko_checklist::Catalog;
use vsoko_development::{
    Attainment, Observed, ScopeCoverage, Source, TARGETS_FILE_NAME, TargetSet, TargetsError, Unit,
    attainment, item_value_figure, level_share_figure, load_targets, observe_coverage,
};
use vsoko_domain::Period;
use vsoko_scoring::MIN_COVERAGE_SUBJECTS;
use vsoko_storage::Kindergarten;

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::{App, Principal};

/// The JSON Schema of targets files (committed as `checklists/targets.schema.json`).
pub fn json_schema() -> String {
    vsoko_development::targets_json_schema()
}

/// A target with its attainment in a scope.
#[derive(Debug, Clone)]
pub struct TargetLine {
    /// The target's code.
    pub code: String,
    /// Its Russian title.
    pub title: String,
    /// Held to the figure.
    pub attainment: Attainment,
    /// Where the figure comes from, in words (or why there is none).
    pub source: String,
}

/// The targets of a deployment: `targets.toml` in `dir` (its folder of instruments) when there is
/// one, else the shipped file; either checked against `catalog` (every problem at its line).
pub fn load(dir: Option<&Path>, catalog: &Catalog) -> Result<TargetSet, TargetsError> {
    let own = dir
        .map(|dir| dir.join(TARGETS_FILE_NAME))
        .filter(|path| path.is_file());
    match own {
        Some(path) => {
            let label = path.display().to_string();
            let source = std::fs::read_to_string(&path).map_err(|error| TargetsError {
                file: label.clone(),
                diagnostics: vec![vsoko_development::Diagnostic {
                    file: label.clone(),
                    line: None,
                    location: String::new(),
                    message: format!("cannot read the file: {error}"),
                    help: Some("check that the file is readable by the server".to_owned()),
                }],
            })?;
            load_targets(&source, &label, catalog)
        }
        None => load_targets(
            vsoko_development::DEFAULT_TARGETS_TOML,
            "checklists/targets.toml",
            catalog,
        ),
    }
}

/// The figure of a target and the words for where it comes from.
struct Measured {
    observed: Observed,
    compared: Option<Observed>,
    source: String,
}

impl Measured {
    fn missing(source: impl Into<String>) -> Measured {
        Measured {
            observed: Observed::Missing,
            compared: None,
            source: source.into(),
        }
    }
}

/// The figures an instrument's report gives a target.
fn from_report(source: &Source, unit: Unit, report: &Report) -> Observed {
    if report.insufficient_reason().is_some() {
        return Observed::Missing;
    }
    match source {
        Source::Node { node, .. } => report
            .rows()
            .iter()
            .find(|row| row.code == *node)
            .map_or(Observed::Missing, |row| Observed::mean(row.score, row.n)),
        Source::ItemValue { item, value, .. } => report
            .items
            .iter()
            .find(|line| line.code == *item)
            .map_or(Observed::Missing, |line| {
                item_value_figure(&line.values, line.not_applicable, *value, unit)
            }),
        Source::LevelShare { area, level, .. } => {
            let bands = report.instrument.levels().bands();
            let Some(min_level) = bands.iter().position(|band| band.code().as_str() == level)
            else {
                return Observed::Missing;
            };
            let index = |code: &str| bands.iter().position(|band| band.code().as_str() == code);
            let levels: Vec<Option<usize>> = report
                .body
                .subjects
                .iter()
                .map(|subject| {
                    let level = if report.instrument.code().as_str() == area {
                        subject.level.as_ref()
                    } else {
                        subject
                            .areas
                            .iter()
                            .find(|cell| cell.code == *area)
                            .and_then(|cell| cell.level.as_ref())
                    };
                    level.and_then(|level| index(&level.code))
                })
                .collect();
            level_share_figure(&levels, min_level, unit)
        }
        _ => Observed::Missing,
    }
}

/// What the targets are held to, besides the coverage: the scope's kindergartens, its staff, the
/// periods ended by the date (latest first: the targets on instruments are measured in the
/// first, their change is since the second) and each teacher's deficit areas.
pub(crate) struct TargetInputs<'a> {
    pub(crate) units: &'a [Kindergarten],
    pub(crate) staff: &'a [vsoko_development::StaffMember<
        vsoko_domain::PersonId,
        vsoko_domain::KindergartenId,
    >],
    pub(crate) periods: &'a [Period],
    pub(crate) deficits:
        &'a std::collections::BTreeMap<vsoko_domain::PersonId, std::collections::BTreeSet<String>>,
}

/// The targets of a report's period: at its last day, or today while it runs.
#[derive(Debug, Clone)]
pub struct PeriodTargets {
    /// The date of the figures.
    pub at: chrono::NaiveDate,
    /// Each target.
    pub lines: Vec<TargetLine>,
}

impl App {
    /// The network's targets beside a report of `of` in the period `period`, at the period's last
    /// day (today while it runs, and today without a period); `None` for a caller who does not
    /// read targets (a teacher).
    pub async fn period_targets(
        &self,
        principal: &Principal,
        of: ReportOf,
        period: Option<&str>,
        today: chrono::NaiveDate,
    ) -> AppResult<Option<PeriodTargets>> {
        if !principal.may_read_targets() {
            return Ok(None);
        }
        let ends_on = match period {
            None => None,
            Some(code) => self
                .periods(principal)
                .await?
                .into_iter()
                .find(|candidate| candidate.code == code)
                .map(|found| found.ends_on),
        };
        let at = ends_on.map_or(today, |ends_on| ends_on.min(today));
        Ok(Some(PeriodTargets {
            at,
            lines: self.targets(principal, of, at).await?,
        }))
    }

    /// Every target of the network held to the figures of `of` at `at` (the date of
    /// `coverage`); the figures of instruments in the latest period of `inputs` (ended by `at`),
    /// their change since the period before it.
    pub(crate) async fn target_lines(
        &self,
        principal: &Principal,
        of: ReportOf,
        inputs: &TargetInputs<'_>,
        coverage: &ScopeCoverage,
        at: chrono::NaiveDate,
    ) -> AppResult<Vec<TargetLine>> {
        let units = inputs.units;
        let (period, compared) = (inputs.periods.first(), inputs.periods.get(1));
        let titles: std::collections::HashMap<String, String> = self
            .latest_versions()
            .await?
            .into_iter()
            .map(|summary| (summary.instrument.code.to_string(), summary.title))
            .collect();
        // «анкеты «Уровень …» за май 2025», never codes.
        let of_instrument = |code: &str, period: &Period| {
            format!(
                "«{}» за {}",
                titles.get(code).map_or(code, String::as_str),
                crate::words::period_in_words(period.starts_on, period.ends_on)
            )
        };
        let mut lines = Vec::new();
        for target in self.targets.targets() {
            let measured = match target.source() {
                Source::Coverage { .. } => Measured {
                    observed: observe_coverage(target, coverage).unwrap_or(Observed::Missing),
                    compared: None,
                    source: "записи об обучении сотрудников".to_owned(),
                },
                Source::IndividualPlans => Measured {
                    observed: self.individual_plans(inputs, at).await?,
                    compared: None,
                    source: format!(
                        "маршруты {} учебного года, педагоги с дефицитами по последней самооценке",
                        vsoko_development::SchoolYear::containing(at)
                    ),
                },
                Source::SurveyCoverage { instrument } => match period {
                    None => Measured::missing("нет периода оценки"),
                    Some(period) => Measured {
                        observed: self
                            .survey_coverage(principal, units, instrument, period)
                            .await?,
                        compared: match compared {
                            Some(before) => Some(
                                self.survey_coverage(principal, units, instrument, before)
                                    .await?,
                            ),
                            None => None,
                        },
                        source: format!("заполнившие анкету {}", of_instrument(instrument, period)),
                    },
                },
                Source::Node { instrument, .. }
                | Source::ItemValue { instrument, .. }
                | Source::LevelShare { instrument, .. } => match period {
                    None => Measured::missing("нет периода оценки"),
                    Some(period) => {
                        let now = self
                            .target_report(principal, of, instrument, period)
                            .await?;
                        let before = match compared {
                            Some(before) => {
                                self.target_report(principal, of, instrument, before)
                                    .await?
                            }
                            None => None,
                        };
                        let reason = now.as_ref().and_then(Report::insufficient_reason);
                        Measured {
                            observed: now.as_ref().map_or(Observed::Missing, |report| {
                                from_report(target.source(), target.unit(), report)
                            }),
                            compared: before
                                .as_ref()
                                .map(|report| from_report(target.source(), target.unit(), report)),
                            source: match reason {
                                Some(reason) => {
                                    format!("«{instrument}» за период {}: {reason}", period.code)
                                }
                                None => format!("«{instrument}» за период {}", period.code),
                            },
                        }
                    }
                },
            };
            let min_n = match target.source() {
                Source::ItemValue { .. } | Source::LevelShare { .. } => MIN_COVERAGE_SUBJECTS,
                _ => 1,
            };
            lines.push(TargetLine {
                code: target.code().to_owned(),
                title: target.title().to_owned(),
                attainment: attainment(
                    target,
                    &measured.observed,
                    measured.compared.as_ref(),
                    min_n,
                ),
                source: measured.source,
            });
        }
        Ok(lines)
    }

    /// Teachers with an approved (or done) individual route in the school year of `at`, of the
    /// active teachers with a deficit in their latest self-assessment («доля педагогов с ИОМ»).
    async fn individual_plans(
        &self,
        inputs: &TargetInputs<'_>,
        at: chrono::NaiveDate,
    ) -> AppResult<Observed> {
        use vsoko_development::{RouteStatus, StaffCategory};
        let year = vsoko_development::SchoolYear::containing(at).start_year();
        let mut with_route = std::collections::BTreeSet::new();
        for unit in inputs.units {
            for route in self
                .store
                .routes(vsoko_storage::Scope::Kindergarten(unit.id), year)
                .await?
            {
                if matches!(
                    RouteStatus::parse(&route.status),
                    Some(RouteStatus::Approved | RouteStatus::Done)
                ) {
                    with_route.insert(route.person_id);
                }
            }
        }
        let with_deficits: Vec<_> = inputs
            .staff
            .iter()
            .filter(|member| member.active && member.category == StaffCategory::Teacher)
            .filter(|member| {
                inputs
                    .deficits
                    .get(&member.person)
                    .is_some_and(|areas| !areas.is_empty())
            })
            .collect();
        let part = with_deficits
            .iter()
            .filter(|member| with_route.contains(&member.person))
            .count();
        Ok(Observed::counted(
            u32::try_from(part).unwrap_or(u32::MAX),
            u32::try_from(with_deficits.len()).unwrap_or(u32::MAX),
            0,
            Unit::Percent,
        ))
    }

    /// The report of `instrument` in `period` over `of`, with its items; `None` when there is no
    /// such report (no instrument of that code in the period).
    async fn target_report(
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
            items: Some(true),
        };
        match self.report(principal, &request).await {
            Ok(report) => Ok(Some(report)),
            Err(AppError::Invalid { .. } | AppError::NotFound(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The share of staff (a survey teachers fill about themselves) or of kindergartens (any other
    /// survey) with a sent form of `instrument` in `period`.
    async fn survey_coverage(
        &self,
        principal: &Principal,
        units: &[Kindergarten],
        instrument: &str,
        period: &Period,
    ) -> AppResult<Observed> {
        let mut part = 0u32;
        let mut whole = 0u32;
        for unit in units {
            let completion = self
                .kindergarten_completion(principal, unit.id, period)
                .await?;
            if let Some(index) = completion
                .surveys
                .iter()
                .position(|survey| survey.code == instrument)
            {
                let counts = completion.counts[index];
                part += counts.sent as u32;
                whole += counts.total() as u32;
                continue;
            }
            whole += 1;
            let report = self
                .target_report(
                    principal,
                    ReportOf::Kindergarten(unit.id),
                    instrument,
                    period,
                )
                .await?;
            if report.is_some_and(|report| report.body.n_submissions > 0) {
                part += 1;
            }
        }
        Ok(Observed::counted(part, whole, 0, Unit::Percent))
    }
}
