//! Reports of a teacher, a kindergarten and the network, with dynamics: the scores are read by
//! storage, the report is built by `vsoko-scoring` ([`vsoko_scoring::scope_report`]), and the
//! names people read are added here.

use std::collections::HashMap;
use std::sync::Arc;
/// The scoring vocabulary a report is made of, as the pages and the API read it.
pub use vsoko_scoring::{LevelRef, NodeKind, NodeScore, ReportRow, SubmissionScore};

use vsoko_checklist::{Instrument, Subject};
use vsoko_scoring::{
    ReportScope, ScopeReport, ScoreTable, SubjectRow, UnitRow, compare, scope_report,
};
use vsoko_storage::{ItemAnswers, Period, Record, Scope, ScoreQuery, StorageError, SubjectRef};

use crate::error::{AppError, AppResult};
use crate::{App, Principal, ResolvedInstrument};
use vsoko_domain::PersonId;
use vsoko_domain::{KindergartenId, NetworkId, PeriodId};

/// Whose report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOf {
    /// One teacher (a person id).
    Teacher(PersonId),
    /// One kindergarten.
    Kindergarten(KindergartenId),
    /// The caller's network.
    Network,
}

/// What report to build.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// Whose.
    pub of: ReportOf,
    /// Period code.
    pub period: String,
    /// Instrument code.
    pub instrument: String,
    /// Instrument version (default: the latest).
    pub version: Option<u32>,
    /// A period to compare with.
    pub compare_period: Option<String>,
    /// The instrument version the compared period is read with (default: the report's).
    pub compare_version: Option<u32>,
    /// Add every item with its answers and N/A rate. `None`: yes for a teacher or a kindergarten;
    /// for the network only when asked (it reads every answer of the period: about 70 ms for
    /// 10,000 surveys, three times the rest of the report).
    pub items: Option<bool>,
}

/// What a report is about and who may read it.
pub(crate) struct Whose {
    scope: Scope,
    subject: Option<SubjectRef>,
    scope_id: i64,
    scope_name: String,
    network_id: NetworkId,
    /// The network's row, when finding whose the report is read it already.
    network: Option<vsoko_storage::Network>,
}

/// Subject rows with their names, sorted by name.
fn by_name(
    rows: Vec<SubjectRow<i64>>,
    names: &HashMap<i64, String>,
) -> impl Iterator<Item = (String, SubjectRow<i64>)> {
    let mut named: Vec<(String, SubjectRow<i64>)> = rows
        .into_iter()
        .map(|row| (names.get(&row.subject).cloned().unwrap_or_default(), row))
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named.into_iter()
}

/// A teacher of a kindergarten report, named.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherLine {
    /// Full name.
    pub full_name: String,
    /// Her results.
    pub row: SubjectRow<i64>,
}

/// A group of a kindergarten report (an instrument about groups), named.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLine {
    /// Group name.
    pub name: String,
    /// Its results (hidden under the small-group rule of anonymous instruments).
    pub row: SubjectRow<i64>,
}

/// How one item was answered in a report: its N/A rate (N/A is never counted as 0, so a high rate
/// says the item does not fit many respondents).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    /// Item code.
    pub code: String,
    /// Item text.
    pub text: String,
    /// Whether the item takes part in scores.
    pub scored: bool,
    /// Answers with a value.
    pub answered: u32,
    /// Answers «не применимо».
    pub not_applicable: u32,
    /// Counted submissions that left the item out.
    pub missing: u32,
    /// `not_applicable / (answered + not_applicable)`, 0–1; `None` when nobody answered.
    pub na_share: Option<f64>,
    /// The mean item score, the share on the two lowest options and the population-deficit flag;
    /// `None` when nobody answered with a value.
    pub result: Option<vsoko_scoring::ItemResult>,
    /// How many answered with each value, by value («не применимо» not among them).
    pub values: Vec<(f64, u32)>,
}

/// A kindergarten hidden from the network report of an anonymous instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct SuppressedLine {
    /// i64.
    pub kindergarten: KindergartenId,
    /// Short name.
    pub short_name: String,
    /// Its responses.
    pub n: u32,
}

/// A kindergarten of the network report, named.
#[derive(Debug, Clone, PartialEq)]
pub struct KindergartenLine {
    /// Short name.
    pub short_name: String,
    /// How many of its own active teachers (groups) its result is made of, where the coverage
    /// rule applies; when not enough, its row has no level, area levels, change or place.
    pub coverage: Option<vsoko_scoring::Coverage>,
    /// Its results.
    pub row: UnitRow<i64>,
}

/// A report as people read it.
#[derive(Debug, Clone)]
pub struct Report {
    /// Whose.
    pub of: ReportOf,
    /// Person, kindergarten or network id.
    pub scope_id: i64,
    /// Who or what the report is about.
    pub scope_name: String,
    /// The instrument version.
    pub instrument: Arc<Instrument>,
    /// Period code.
    pub period: String,
    /// The period compared with.
    pub compare_period: Option<String>,
    /// The numbers.
    pub body: ScopeReport<i64>,
    /// Kindergarten report of an instrument about teachers, for roles that may see names.
    pub teachers: Vec<TeacherLine>,
    /// Kindergarten report of an instrument about groups: the groups, by name.
    pub groups: Vec<GroupLine>,
    /// Every item in instrument order with its answers and N/A rate (left out when an anonymous
    /// instrument's scope has fewer responses than its `min_respondents`).
    pub items: Vec<ItemLine>,
    /// Network report: the kindergartens, best first.
    pub kindergartens: Vec<KindergartenLine>,
    /// Network report of an anonymous instrument: kindergartens hidden by the small-group rule.
    pub suppressed_kindergartens: Vec<SuppressedLine>,
    /// How many are at each level, lowest first: a kindergarten's subjects (teachers, groups), or
    /// the network's kindergartens — each at its own level, whatever the coverage of the whole.
    /// Hidden subjects and kindergartens are not counted.
    pub distribution: Vec<(LevelRef, u32)>,
    /// How many of the scope's active subjects the result is made of, where the coverage rule
    /// applies ([`vsoko_scoring::coverage_applies`]); when it is not enough, the rows have no
    /// level, change or deficit.
    pub coverage: Option<vsoko_scoring::Coverage>,
    /// Whether the period is still open: its data are incomplete.
    pub period_open: bool,
}

impl Report {
    /// Why the result has no level, change or conclusion, in Russian — `None` when it may have
    /// them: «в оценке участвовали 1 из 12 педагогов (8 %) — нужно не менее 50 % и не менее 3»
    /// (whole percentages, a decimal only where rounding would reach the minimum).
    pub fn insufficient_reason(&self) -> Option<String> {
        let coverage = self.coverage.filter(|coverage| !coverage.enough)?;
        let (one, few, many) = match self.instrument.subject() {
            Subject::Teacher => ("педагога", "педагогов", "педагогов"),
            Subject::Group => ("группы", "групп", "групп"),
            Subject::Kindergarten => ("детского сада", "детских садов", "детских садов"),
        };
        let noun = crate::words::plural(coverage.base as usize, one, few, many);
        Some(match coverage.percent {
            None => "участников этой категории в учёте нет".to_owned(),
            Some(percent) => format!(
                "в оценке участвовали {} из {} {noun} ({}) — нужно не менее {} {}",
                coverage.counted,
                coverage.base,
                crate::words::percent_whole(percent, &[coverage.min_percent]),
                crate::words::percent_whole(coverage.min_percent, &[]),
                if self.instrument.subject() == Subject::Kindergarten {
                    String::new()
                } else {
                    format!("и не менее {}", vsoko_scoring::MIN_COVERAGE_SUBJECTS)
                }
            )
            .trim_end()
            .to_owned(),
        })
    }
}

impl Report {
    /// `teacher`, `kindergarten` or `network`.
    pub fn scope(&self) -> &'static str {
        match self.of {
            ReportOf::Teacher(_) => "teacher",
            ReportOf::Kindergarten(_) => "kindergarten",
            ReportOf::Network => "network",
        }
    }

    /// The main table: the total, then each area followed by its indicators.
    pub fn rows(&self) -> &[ReportRow] {
        &self.body.rows
    }
}

/// Runs CPU work (polars) on a thread of its own: polars blocks on its own async runtime and must
/// not see a caller's single-threaded tokio runtime (an actix worker's).
async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("vsoko-report".into())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|error| AppError::Unexpected(Box::new(error)))?;
    receiver
        .await
        .map_err(|_| AppError::unexpected("the report thread failed"))
}

impl App {
    /// Builds a report the caller may read: a teacher's (the teacher, her head, the network's
    /// managers), a kindergarten's (its head, managers) or the network's (managers).
    pub async fn report(
        &self,
        principal: &Principal,
        request: &ReportRequest,
    ) -> AppResult<Report> {
        let Whose {
            scope,
            subject,
            scope_id,
            scope_name,
            network_id,
            network,
        } = self.whose(principal, request.of).await?;
        // Each period is looked up once, here, and read by its id from then on. An unknown
        // period is refused after the instrument's own checks, as before it was looked up.
        let period = self
            .report_period(network_id, "period", &request.period)
            .await;
        let version = match (request.version, &period) {
            (Some(version), _) => Some(version),
            (None, Ok(period)) => {
                self.period_version(scope, subject, period.id, &request.instrument)
                    .await?
            }
            (None, Err(_)) => None,
        };
        let stored = self
            .instrument_named("instrument", &request.instrument, version)
            .await?;
        let instrument = Arc::clone(&stored.instrument);
        if subject.is_some() && instrument.subject() != Subject::Teacher {
            return Err(AppError::invalid(
                "instrument",
                "not_about_teachers",
                format!("{} does not assess teachers", instrument.id()),
            ));
        }
        if request.compare_period.as_deref() == Some(request.period.as_str())
            && request
                .compare_version
                .is_none_or(|v| v == instrument.version())
        {
            return Err(AppError::invalid(
                "compare_period",
                "same_period",
                "compare_period must differ from period",
            ));
        }
        let report_scope = match request.of {
            ReportOf::Teacher(_) => ReportScope::Subject,
            ReportOf::Kindergarten(_) => ReportScope::Kindergarten,
            ReportOf::Network => ReportScope::Network,
        };
        let period = period?;
        let period_id = period.id;
        let period_open = period.status == vsoko_storage::PeriodStatus::Open;
        let before = match &request.compare_period {
            Some(code) => {
                let period = self
                    .report_period(network_id, "compare_period", code)
                    .await?;
                let version = match request.compare_version {
                    Some(version) => Some(version),
                    None => {
                        self.period_version(scope, subject, period.id, &request.instrument)
                            .await?
                    }
                };
                let before = match version {
                    Some(version) if version != instrument.version() => {
                        self.instrument_named("compare_version", &request.instrument, Some(version))
                            .await?
                    }
                    _ => stored.clone(),
                };
                Some((period, before))
            }
            None => None,
        };
        // Each period is read and aggregated in a pipeline of its own, both at once: two database
        // connections, then two aggregation threads.
        let build = |period: Period, stored: ResolvedInstrument| async move {
            let _slot = self.reports.enter().await?;
            let table: ScoreTable<i64> = self
                .store
                .load_score_table(
                    &ScoreQuery {
                        scope,
                        subject,
                        period: period.id,
                    },
                    &stored.instrument,
                )
                .await?;
            let instrument = Arc::clone(&stored.instrument);
            off_runtime(move || scope_report(&instrument, &table, report_scope))
                .await?
                .map_err(AppError::from)
        };
        let mut body: ScopeReport<i64> = match before {
            Some((before_period, before_stored)) => {
                let before_instrument = Arc::clone(&before_stored.instrument);
                let (current, earlier) = tokio::join!(
                    build(period, stored.clone()),
                    build(before_period, before_stored)
                );
                let mut current = current?;
                compare(&mut current, &instrument, &earlier?, &before_instrument)?;
                current
            }
            None => build(period, stored.clone()).await?,
        };
        // The coverage rule: a result of too few of the scope's active subjects keeps its scores
        // but has no level, change or conclusion.
        // The network's own minimum, read only for reports the coverage rule applies to (the
        // kindergartens of a network report are held to it exactly when the network is).
        let min_percent = if vsoko_scoring::coverage_applies(&instrument, report_scope) {
            let network = match network {
                Some(network) => network,
                None => self.store.network(network_id).await?,
            };
            network
                .min_coverage_percent
                .map_or(vsoko_scoring::MIN_COVERAGE_PERCENT, f64::from)
        } else {
            vsoko_scoring::MIN_COVERAGE_PERCENT
        };
        let coverage = if vsoko_scoring::coverage_applies(&instrument, report_scope) {
            let base = match instrument.subject() {
                Subject::Teacher => self.store.staff_counts(scope).await?.teachers,
                Subject::Group => self.store.staff_counts(scope).await?.groups,
                Subject::Kindergarten => self.store.kindergartens(scope).await?.len() as u32,
            };
            let coverage = vsoko_scoring::coverage(
                body.n_subjects,
                base,
                instrument.subject() == Subject::Kindergarten,
                min_percent,
            );
            if !coverage.enough {
                vsoko_scoring::withhold_conclusions(&mut body);
            }
            Some(coverage)
        } else {
            None
        };
        let subjects = std::mem::take(&mut body.subjects);
        let mut units = std::mem::take(&mut body.kindergartens);
        // Each kindergarten of a network report by the same rule, against its own staff or
        // groups: made of too few of them, it keeps its scores and loses its level and place.
        let mut unit_coverage: HashMap<i64, vsoko_scoring::Coverage> = HashMap::new();
        if request.of == ReportOf::Network
            && vsoko_scoring::coverage_applies(&instrument, report_scope)
            && instrument.subject() != Subject::Kindergarten
        {
            let counts = self.store.staff_counts_per_kindergarten(network_id).await?;
            for unit in &mut units {
                let staff = counts.get(&unit.kindergarten).copied().unwrap_or_default();
                let base = match instrument.subject() {
                    Subject::Group => staff.groups,
                    _ => staff.teachers,
                };
                let coverage = vsoko_scoring::coverage(unit.subjects, base, false, min_percent);
                if !coverage.enough {
                    vsoko_scoring::withhold_unit_conclusions(unit);
                }
                unit_coverage.insert(unit.kindergarten, coverage);
            }
            vsoko_scoring::rerank(&mut units);
            // Those without a place go after those with one, in their order.
            units.sort_by_key(|unit| unit.rank.is_none() && instrument.ranks());
        }
        let distribution = match request.of {
            ReportOf::Network => vsoko_scoring::level_counts(
                &instrument,
                units.iter().filter_map(|unit| unit.level.as_ref()),
            ),
            _ => vsoko_scoring::level_counts(
                &instrument,
                subjects.iter().filter_map(|subject| subject.level.as_ref()),
            ),
        };
        let mut report = Report {
            of: request.of,
            scope_id,
            scope_name,
            instrument: Arc::clone(&instrument),
            period: request.period.clone(),
            compare_period: request.compare_period.clone(),
            body,
            teachers: Vec::new(),
            groups: Vec::new(),
            items: Vec::new(),
            kindergartens: Vec::new(),
            suppressed_kindergartens: Vec::new(),
            distribution,
            coverage,
            period_open,
        };
        let hidden = report
            .body
            .min_respondents
            .is_some_and(|k| report.body.n_submissions < k);
        let items = request
            .items
            .unwrap_or(!matches!(request.of, ReportOf::Network));
        if items && !hidden {
            let counted: HashMap<String, ItemAnswers> = self
                .store
                .item_answers(
                    &ScoreQuery {
                        scope,
                        subject,
                        period: period_id,
                    },
                    instrument.code().as_str(),
                    instrument.version(),
                )
                .await?
                .into_iter()
                .map(|answers| (answers.item.clone(), answers))
                .collect();
            let n = report.body.n_submissions;
            report.items = instrument
                .items()
                .map(|entry| {
                    let code = entry.item.code().to_string();
                    let (answered, not_applicable) = counted
                        .get(&code)
                        .map_or((0, 0), |c| (c.answered, c.not_applicable));
                    let result = counted
                        .get(&code)
                        .and_then(|c| vsoko_scoring::item_result(&instrument, &code, &c.values));
                    let given = answered + not_applicable;
                    ItemLine {
                        text: entry.item.text().to_owned(),
                        scored: entry.item.is_scored(),
                        answered,
                        not_applicable,
                        missing: n.saturating_sub(given),
                        na_share: (given > 0).then(|| f64::from(not_applicable) / f64::from(given)),
                        result,
                        values: counted
                            .get(&code)
                            .map(|c| c.values.clone())
                            .unwrap_or_default(),
                        code,
                    }
                })
                .collect();
        }
        match request.of {
            ReportOf::Kindergarten(id)
                if instrument.subject() == Subject::Teacher
                    && principal.may_see_teacher_names() =>
            {
                let names: HashMap<i64, String> = self
                    .store
                    .people(id)
                    .await?
                    .into_iter()
                    .map(|person| (person.id.get(), person.full_name))
                    .collect();
                let teachers = by_name(subjects, &names)
                    .map(|(full_name, row)| TeacherLine { full_name, row })
                    .collect();
                report.teachers = teachers;
            }
            // Group names are no personal data: every role that reads the report sees them.
            ReportOf::Kindergarten(id) if instrument.subject() == Subject::Group => {
                let names: HashMap<i64, String> = self
                    .store
                    .groups(id)
                    .await?
                    .into_iter()
                    .map(|group| (group.id.get(), group.name))
                    .collect();
                let groups = by_name(subjects, &names)
                    .map(|(name, row)| GroupLine { name, row })
                    .collect();
                report.groups = groups;
            }
            ReportOf::Network => {
                let all = self.store.kindergartens(scope).await?;
                let order: HashMap<i64, u64> = all
                    .iter()
                    .map(|kindergarten| {
                        let digits: String = kindergarten
                            .number
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        (kindergarten.id.get(), digits.parse().unwrap_or(u64::MAX))
                    })
                    .collect();
                let names: HashMap<i64, String> = all
                    .into_iter()
                    .map(|kindergarten| (kindergarten.id.get(), kindergarten.short_name))
                    .collect();
                report.kindergartens = units
                    .into_iter()
                    .map(|row| KindergartenLine {
                        short_name: names.get(&row.kindergarten).cloned().unwrap_or_default(),
                        coverage: unit_coverage.get(&row.kindergarten).copied(),
                        row,
                    })
                    .collect();
                // Without places (self-assessment), kindergartens are listed by their number
                // (№ 7 before № 18), then name.
                if !report.instrument.ranks() {
                    let number = |line: &KindergartenLine| {
                        order
                            .get(&line.row.kindergarten)
                            .copied()
                            .unwrap_or(u64::MAX)
                    };
                    report.kindergartens.sort_by(|a, b| {
                        (number(a), &a.short_name).cmp(&(number(b), &b.short_name))
                    });
                }
                report.suppressed_kindergartens =
                    std::mem::take(&mut report.body.suppressed_kindergartens)
                        .into_iter()
                        .map(|(kindergarten, n)| SuppressedLine {
                            kindergarten: KindergartenId::new(kindergarten),
                            short_name: names.get(&kindergarten).cloned().unwrap_or_default(),
                            n,
                        })
                        .collect();
            }
            _ => {}
        }
        Ok(report)
    }

    /// Who may read a report, and what it is about.
    pub(crate) async fn whose(&self, principal: &Principal, of: ReportOf) -> AppResult<Whose> {
        Ok(match of {
            ReportOf::Teacher(person) => {
                let person = self.store.person(person).await?;
                let kindergarten = self.store.kindergarten(person.kindergarten_id).await?;
                principal.check_person(&person, &kindergarten)?;
                Whose {
                    scope: Scope::Kindergarten(kindergarten.id),
                    subject: Some(SubjectRef::Teacher(person.id)),
                    scope_id: person.id.get(),
                    scope_name: person.full_name,
                    network_id: kindergarten.network_id,
                    network: None,
                }
            }
            ReportOf::Kindergarten(id) => {
                let kindergarten = self.store.kindergarten(id).await?;
                principal.check_kindergarten_report(&kindergarten)?;
                Whose {
                    scope: Scope::Kindergarten(kindergarten.id),
                    subject: None,
                    scope_id: kindergarten.id.get(),
                    scope_name: kindergarten.short_name,
                    network_id: kindergarten.network_id,
                    network: None,
                }
            }
            ReportOf::Network => {
                principal.check_network_report()?;
                let network = self.store.network(principal.network_id()).await?;
                Whose {
                    scope: Scope::Network(network.id),
                    subject: None,
                    scope_id: network.id.get(),
                    scope_name: network.name.clone(),
                    network_id: network.id,
                    network: Some(network),
                }
            }
        })
    }

    /// The periods with counted submissions of an instrument in a report's scope, earliest
    /// first: what a dashboard offers to read and to compare with.
    pub async fn report_periods(
        &self,
        principal: &Principal,
        of: ReportOf,
        instrument: &str,
    ) -> AppResult<Vec<Period>> {
        let whose = self.whose(principal, of).await?;
        self.periods_with_data(&whose, instrument).await
    }

    /// The periods with counted submissions of an instrument in a scope already checked.
    pub(crate) async fn periods_with_data(
        &self,
        whose: &Whose,
        instrument: &str,
    ) -> AppResult<Vec<Period>> {
        if !crate::validate::lookable(instrument) {
            return Ok(Vec::new());
        }
        let ids = self
            .store
            .periods_with_submissions(whose.scope, whose.subject, instrument)
            .await?;
        let mut periods: Vec<Period> = self
            .store
            .periods(whose.network_id)
            .await?
            .into_iter()
            .filter(|period| ids.contains(&period.id.get()))
            .collect();
        periods.sort_by_key(|period| (period.starts_on, period.id));
        Ok(periods)
    }

    /// The period a report opens on when none is asked for: the latest of `periods` (those with
    /// data, oldest first) whose result has enough coverage — not the current period a few
    /// forms into its survey week — and the latest of them when none has.
    pub async fn default_report_period(
        &self,
        principal: &Principal,
        of: ReportOf,
        instrument: &str,
        periods: &[Period],
    ) -> AppResult<Option<Period>> {
        for period in periods.iter().rev() {
            let report = self
                .report(
                    principal,
                    &ReportRequest {
                        of,
                        period: period.code.clone(),
                        instrument: instrument.to_owned(),
                        version: None,
                        compare_period: None,
                        compare_version: None,
                        items: Some(false),
                    },
                )
                .await?;
            if report.coverage.is_none_or(|coverage| coverage.enough) {
                return Ok(Some(period.clone()));
            }
        }
        Ok(periods.last().cloned())
    }

    /// The version of an instrument a period is read in when none is asked for: the one its
    /// submissions in scope were made with (the latest of them), `None` when it has none yet.
    async fn period_version(
        &self,
        scope: Scope,
        subject: Option<SubjectRef>,
        period: PeriodId,
        instrument: &str,
    ) -> AppResult<Option<u32>> {
        // A code no stored record can have (a NUL, say) is refused by the report itself.
        if !crate::validate::lookable(instrument) {
            return Ok(None);
        }
        let query = ScoreQuery {
            scope,
            subject,
            period,
        };
        match self.store.versions_in_period(&query, instrument).await {
            Ok(versions) => Ok(versions.last().copied()),
            Err(StorageError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }

    /// A period of the network by code; unknown is invalid input naming `field`.
    async fn report_period(
        &self,
        network_id: NetworkId,
        field: &str,
        code: &str,
    ) -> AppResult<Period> {
        crate::validate::lookup(field, code, &format!("period {code}"))?;
        self.store
            .period_by_code(network_id, code)
            .await
            .map_err(|error| match error {
                StorageError::NotFound {
                    record: Record::Period,
                    ..
                } => AppError::invalid(field, "unknown", format!("unknown period {code}")),
                other => other.into(),
            })
    }
}

/// The next level of a total and what it takes, in words; `None` at the highest level or
/// without a valid total.
pub fn next_level(report: &Report) -> Option<String> {
    let total = report.rows().first()?;
    let score = total.score?;
    let bands = report.instrument.levels().bands();
    let level = total.level.as_ref()?;
    let index = bands
        .iter()
        .position(|band| band.code().as_str() == level.code)?;
    if total.critical {
        return Some(format!(
            "Уровень ограничен уровнем {} «{}»: по критическому пункту выставлена низшая оценка. Следующий уровень станет доступен, когда критический пункт будет выполнен.",
            level.code, level.name
        ));
    }
    let next = bands.get(index + 1)?;
    Some(crate::words::sentence(&format!(
        "Следующий уровень — {} «{}» — от {}: не хватает {}",
        next.code(),
        next.name(),
        crate::words::percent(next.from()),
        crate::words::points(next.from() - score)
    )))
}
