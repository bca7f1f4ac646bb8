//! The network's targets held to what the system holds: coverage figures from the training
//! records, the diagnosis coverage from the surveys; a source not yet connected says
//! «недостаточно данных», never a number.

use vsoko_development::{
    Attainment, Figure, Observed, ScopeCoverage, Source, TargetSet, attainment, default_targets,
    observe_coverage,
};
use vsoko_domain::Period;
use vsoko_storage::Kindergarten;

use crate::error::AppResult;
use crate::reports::{ReportOf, ReportRequest};
use crate::{App, Principal};

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

/// The shipped targets (a network's own file is a later step).
pub fn targets() -> TargetSet {
    default_targets()
}

impl App {
    /// Every target of the network held to the figures of `units` (one kindergarten, or all of
    /// the network) at the date of `coverage`, the diagnosis in `period` (the latest period
    /// starting on or before that date).
    pub(crate) async fn target_lines(
        &self,
        principal: &Principal,
        units: &[Kindergarten],
        coverage: &ScopeCoverage,
        period: Option<&Period>,
    ) -> AppResult<Vec<TargetLine>> {
        let mut lines = Vec::new();
        for target in targets().targets() {
            let (observed, source) = match target.source() {
                Source::Coverage { .. } => (
                    observe_coverage(target, coverage).unwrap_or(Observed::Missing),
                    "записи об обучении сотрудников".to_owned(),
                ),
                Source::SurveyCoverage { instrument } => match period {
                    Some(period) => (
                        self.survey_coverage(principal, units, instrument, period)
                            .await?,
                        format!("анкеты «{instrument}» за период {}", period.code),
                    ),
                    None => (Observed::Missing, "нет периода оценки".to_owned()),
                },
                _ => (
                    Observed::Missing,
                    "источник пока не подключён к расчёту".to_owned(),
                ),
            };
            lines.push(TargetLine {
                code: target.code().to_owned(),
                title: target.title().to_owned(),
                attainment: attainment(target, &observed, None, 1),
                source,
            });
        }
        Ok(lines)
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
            let request = ReportRequest {
                of: ReportOf::Kindergarten(unit.id),
                period: period.code.clone(),
                instrument: instrument.to_owned(),
                version: None,
                compare_period: None,
                compare_version: None,
                items: Some(false),
            };
            whole += 1;
            if let Ok(report) = self.report(principal, &request).await
                && report.body.n_submissions > 0
            {
                part += 1;
            }
        }
        Ok(match whole {
            0 => Observed::Missing,
            _ => Observed::Figure(Figure {
                value: 100.0 * f64::from(part) / f64::from(whole),
                n: whole,
                excluded: 0,
            }),
        })
    }
}
