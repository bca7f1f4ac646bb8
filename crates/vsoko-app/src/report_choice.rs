//! Which report a results page opens on: the instruments a report of its subject may be about,
//! the version, the period (unless asked, the latest with enough data) and the compared period
//! (the one before it with data, unless asked) — then the report itself. Pages draw the choices;
//! every choice is made here.

use std::sync::Arc;

use vsoko_checklist::{Instrument, Respondent, Subject};
use vsoko_storage::Period;

use crate::error::{AppError, AppResult};
use crate::reports::{Report, ReportOf, ReportRequest};
use crate::{App, Principal};

/// What a page's address asks for; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ReportAsk {
    /// Instrument code.
    pub instrument: Option<String>,
    /// Instrument version as typed (empty or unreadable: each period in the version it was
    /// filled in).
    pub version: Option<String>,
    /// Period code.
    pub period: Option<String>,
    /// Compared period code; `Some("")` for no comparison.
    pub compare: Option<String>,
    /// Whether the items were asked for (a network report adds them only then).
    pub items: bool,
}

/// The choices of a results page and the report they give.
#[derive(Debug, Clone, Default)]
pub struct ReportChoice {
    /// The latest version of every instrument a report of this subject may be about: a
    /// teacher's results only the surveys about teachers; the teachers' instruments first, then
    /// by title.
    pub instruments: Vec<Arc<Instrument>>,
    /// The instrument chosen (`None`: no instrument at all).
    pub instrument: Option<Arc<Instrument>>,
    /// Its versions, oldest first.
    pub versions: Vec<u32>,
    /// The version asked for, when it exists.
    pub version: Option<u32>,
    /// The periods with data in scope, oldest first.
    pub periods: Vec<Period>,
    /// The period chosen (`None`: no data yet).
    pub period: Option<Period>,
    /// The compared period chosen.
    pub compare: Option<Period>,
    /// The report of the chosen period (`None` without one).
    pub report: Option<Report>,
    /// The comparison asked for was dropped: the two versions are not comparable.
    pub compare_dropped: bool,
}

/// Whether a report of `of` may be about `instrument`: a teacher's results are her surveys.
pub fn reportable(of: ReportOf, instrument: &Instrument) -> bool {
    match of {
        ReportOf::Teacher(_) => {
            instrument.subject() == Subject::Teacher
                && instrument.respondent() == Respondent::Teacher
        }
        ReportOf::Kindergarten(_) | ReportOf::Network => true,
    }
}

impl App {
    /// Chooses what a results page shows from what its address asks, and reads the report:
    /// the report's own check first (404 outside the caller's unit, 403 without the right).
    pub async fn choose_report(
        &self,
        principal: &Principal,
        of: ReportOf,
        ask: &ReportAsk,
    ) -> AppResult<ReportChoice> {
        let whose = self.whose(principal, of).await?;
        let mut instruments: Vec<Arc<Instrument>> = self
            .latest_instruments()
            .await?
            .into_iter()
            .map(|resolved| resolved.instrument)
            .filter(|instrument| reportable(of, instrument))
            .collect();
        instruments.sort_by(|a, b| {
            (a.respondent() != Respondent::Teacher, a.title())
                .cmp(&(b.respondent() != Respondent::Teacher, b.title()))
        });
        let instrument = ask
            .instrument
            .as_deref()
            .and_then(|code| {
                instruments
                    .iter()
                    .find(|instrument| instrument.code().as_str() == code)
            })
            .or_else(|| instruments.first())
            .cloned();
        let Some(instrument) = instrument else {
            return Ok(ReportChoice::default());
        };
        let code = instrument.code().to_string();
        let mut versions: Vec<u32> = self
            .instruments()
            .await?
            .into_iter()
            .filter(|summary| summary.instrument.code.as_str() == code)
            .map(|summary| summary.instrument.version)
            .collect();
        versions.sort_unstable();
        // A version asked for; without one, each period is read in the version it was filled in.
        let version = ask
            .version
            .as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| text.parse().ok())
            .filter(|asked| versions.contains(asked));
        let periods = self.periods_with_data(&whose, &code).await?;
        let asked = ask
            .period
            .as_deref()
            .and_then(|asked| periods.iter().find(|period| period.code == asked))
            .cloned();
        let period = match asked {
            Some(period) => Some(period),
            None => {
                self.default_report_period(principal, of, &code, &periods)
                    .await?
            }
        };
        let compare = match (ask.compare.as_deref(), &period) {
            (Some(""), _) | (_, None) => None,
            (Some(asked), Some(period)) => periods
                .iter()
                .find(|other| other.code == asked && other.id != period.id),
            (None, Some(period)) => periods
                .iter()
                .rfind(|other| other.starts_on < period.starts_on),
        }
        .cloned();
        let mut choice = ReportChoice {
            instruments,
            instrument: Some(instrument),
            versions,
            version,
            periods,
            period: period.clone(),
            compare: compare.clone(),
            report: None,
            compare_dropped: false,
        };
        let Some(period) = period else {
            return Ok(choice);
        };
        let request = |compare: Option<&Period>| ReportRequest {
            of,
            period: period.code.clone(),
            instrument: code.clone(),
            version,
            compare_period: compare.map(|compare| compare.code.clone()),
            compare_version: None,
            items: Some(!matches!(of, ReportOf::Network) || ask.items),
        };
        choice.report = Some(
            match self.report(principal, &request(compare.as_ref())).await {
                Ok(report) => report,
                // Two versions no crosswalk relates: the report without the comparison, saying so.
                Err(AppError::Invalid { errors, .. })
                    if errors.iter().any(|error| error.field == "compare_period") =>
                {
                    choice.compare_dropped = true;
                    self.report(principal, &request(None)).await?
                }
                Err(other) => return Err(other),
            },
        );
        Ok(choice)
    }
}
