//! The reports people read — one teacher (or other subject), one kindergarten, the network — as
//! plain structs, built here and nowhere else: the API, the exports and the web pages only map
//! them to their own form.
//!
//! Rules (one constant each, in [`crate::report`] and here):
//! * a row's score is the mean of its valid scores: over the scope's submissions for a subject or
//!   a kindergarten, over kindergartens (each counts once) for the network, whose rows also carry
//!   the pooled mean over submissions; for observations (control cards) each subject's cards are
//!   averaged first, so that a subject counts once ([`ScoreTable::per_subject`]);
//! * a row's level is the level of its score, except that a row made of one subject's scores
//!   keeps that subject's critical cap: a subject with a critical violation in the period is at
//!   the lowest level (its row in a kindergarten report, and its own report, alike);
//! * `critical` on a row: some counted score under it has a critical violation;
//! * `deficit`: the score at 6 decimals is below the instrument's deficit threshold;
//! * dynamics: `score − before` in percentage points, a drop of [`DROP_PP`] or more flagged;
//!   two instrument versions are compared node by node through their crosswalk
//!   ([`check_comparable`]): a node with no comparable earlier node has `comparable = false`
//!   («нет сопоставимых данных») and no delta.

use std::collections::{BTreeMap, HashMap, HashSet};

use vsoko_checklist::{Counting, IndicatorKind, Instrument, InstrumentId, round6};

use crate::error::ScoringError;
use crate::report::aggregate_table;
use crate::report::{DROP_PP, check_comparable, earlier_node};
use crate::submission::NodeKind;
use crate::table::{Key, ScoreTable};

/// A level band as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRef {
    /// Band code (`B1`, `L2`).
    pub code: String,
    /// Russian name («Интегратор», «Допустимый»).
    pub name: String,
}

impl LevelRef {
    fn of(instrument: &Instrument, percent: f64) -> LevelRef {
        let band = instrument.levels().level_of(percent);
        LevelRef {
            code: band.code().to_string(),
            name: band.name().to_owned(),
        }
    }

    fn lowest(instrument: &Instrument) -> LevelRef {
        let band = instrument.levels().lowest();
        LevelRef {
            code: band.code().to_string(),
            name: band.name().to_owned(),
        }
    }
}

/// One area's result of a subject or a kindergarten: a cell of a dashboard's teachers × areas
/// table or kindergartens × areas heat map.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCell {
    /// The area's code.
    pub code: String,
    /// The mean of its valid scores; `None`: «недостаточно данных» (or hidden).
    pub score: Option<f64>,
    /// Its level (a subject's capped at the lowest when one of its scores under the area has a
    /// critical violation).
    pub level: Option<LevelRef>,
    /// Some score under the area has a critical violation.
    pub critical: bool,
}

/// How many subjects or kindergartens are at each level, lowest level first.
pub fn level_counts<'a>(
    instrument: &Instrument,
    levels: impl IntoIterator<Item = &'a LevelRef>,
) -> Vec<(LevelRef, u32)> {
    let mut counts: Vec<(LevelRef, u32)> = instrument
        .levels()
        .bands()
        .iter()
        .map(|band| {
            (
                LevelRef {
                    code: band.code().to_string(),
                    name: band.name().to_owned(),
                },
                0,
            )
        })
        .collect();
    for level in levels {
        if let Some(entry) = counts.iter_mut().find(|(band, _)| band.code == level.code) {
            entry.1 += 1;
        }
    }
    counts
}

/// Whose report it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportScope {
    /// One subject (a teacher, a group): the table holds its submissions only.
    Subject,
    /// One kindergarten: its rows and one row per subject.
    Kindergarten,
    /// The network: its rows (mean of kindergartens, pooled mean) and the kindergartens ranked.
    Network,
}

/// One node of a report: the total, an area, an indicator or the variable part.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Total, area, indicator or the variable part.
    pub kind: NodeKind,
    /// A variable indicator or the variable part: the kindergarten's own, outside its area and the
    /// total, and never in a network report.
    pub variable: bool,
    /// Code (the instrument code for the total).
    pub code: String,
    /// Title (the instrument title for the total).
    pub title: String,
    /// The score in percent; `None` when nothing valid was counted («недостаточно данных»).
    pub score: Option<f64>,
    /// Level of the score.
    pub level: Option<LevelRef>,
    /// Valid scores the row is made of: submissions of a subject or a kindergarten, submissions
    /// of the network — for observations, subjects (each the mean of its cards).
    pub n: u32,
    /// The score is below the deficit threshold.
    pub deficit: bool,
    /// A counted score under this node has a critical violation.
    pub critical: bool,
    /// Network: the mean over all submissions.
    pub pooled_score: Option<f64>,
    /// With dynamics: whether the compared period's instrument version has a comparable node
    /// (`false`: «нет сопоставимых данных» — the node is new, split or merged in the crosswalk);
    /// `None` without dynamics.
    pub comparable: Option<bool>,
    /// The score in the compared period.
    pub before: Option<f64>,
    /// `score − before`, percentage points.
    pub delta: Option<f64>,
    /// A drop of [`DROP_PP`] points or more.
    pub drop: bool,
    /// Anonymous instrument: made of fewer than `min_respondents` responses, so not shown
    /// («менее k ответов»): no score, no level, no flags.
    pub suppressed: bool,
    /// Subjects (teachers, groups, kindergartens assessed) with a valid score of this node: the
    /// base of [`ReportRow::subjects_below`].
    pub subjects_scored: u32,
    /// How many of them score below the deficit threshold on their own (each subject's mean of
    /// its scores; observations: of its cards) — the individual deficits a mean hides.
    pub subjects_below: u32,
}

/// One subject in a kindergarten report (a teacher of a survey about teachers).
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectRow<K> {
    /// The subject.
    pub subject: K,
    /// The mean total of its submissions.
    pub score: Option<f64>,
    /// Its level (capped when one of its submissions has a critical violation).
    pub level: Option<LevelRef>,
    /// Its submissions with a valid total.
    pub n: u32,
    /// Below the deficit threshold.
    pub deficit: bool,
    /// One of its submissions has a critical violation.
    pub critical: bool,
    /// Anonymous instrument: hidden («менее k ответов»), or hidden so that a hidden sibling
    /// cannot be recovered from the kindergarten's result.
    pub suppressed: bool,
    /// Its result in each area (instrument order; variable indicators have no area).
    pub areas: Vec<AreaCell>,
}

/// One kindergarten in the network report.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow<K> {
    /// The kindergarten.
    pub kindergarten: K,
    /// Its mean total.
    pub score: f64,
    /// The level of the mean; `None` when its own coverage is too low
    /// ([`crate::withhold_unit_conclusions`]).
    pub level: Option<LevelRef>,
    /// Its submissions with a valid total.
    pub n: u32,
    /// Distinct subjects counted (teachers, groups): the numerator of its coverage.
    pub subjects: u32,
    /// Dense rank by the mean (1 = best); `None` when the instrument gives no places
    /// ([`vsoko_checklist::Instrument::ranks`]: self-assessment surveys).
    pub rank: Option<u32>,
    /// Change against the compared period, percentage points.
    pub delta: Option<f64>,
    /// A drop of [`DROP_PP`] points or more.
    pub drop: bool,
    /// Its result in each area: the mean over its counted scores (instrument order).
    pub areas: Vec<AreaCell>,
}

/// A report of one scope, for one instrument version and period.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeReport<K = i64> {
    /// The instrument version.
    pub instrument: InstrumentId,
    /// Whose report it is.
    pub scope: ReportScope,
    /// Counted submissions (for observations: cards).
    pub n_submissions: u32,
    /// Distinct subjects among them (teachers, groups or kindergartens assessed).
    pub n_subjects: u32,
    /// The total, then each area followed by its indicators, then the variable part (network
    /// reports leave variable indicators and the variable part out).
    pub rows: Vec<ReportRow>,
    /// Kindergarten scope: one row per subject, by subject.
    pub subjects: Vec<SubjectRow<K>>,
    /// Network scope: the kindergartens, best first.
    pub kindergartens: Vec<UnitRow<K>>,
    /// The instrument version of the compared period, when dynamics were added.
    pub compared_with: Option<InstrumentId>,
    /// The subjects counted (teachers, groups, kindergartens assessed), sorted: whom a change
    /// is of.
    pub subject_keys: Vec<K>,
    /// With dynamics: whether the change is of the same people ([`ComparedSubjects`]).
    pub compared_subjects: Option<ComparedSubjects>,
    /// Anonymous instrument: the fewest responses a result is shown for.
    pub min_respondents: Option<u32>,
    /// Network scope, anonymous instrument: kindergartens left out of `kindergartens` — fewer
    /// than `min_respondents` responses, or hidden so that such a one cannot be recovered from
    /// the network result — with their number of responses.
    pub suppressed_kindergartens: Vec<(K, u32)>,
}

/// Rule «кто сравнивается»: a change between two periods is a change of the same people only
/// when the same subjects are counted in both; otherwise it is a change of the group's mean,
/// and the report says so with the three numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComparedSubjects {
    /// Subjects counted in the report's period.
    pub now: u32,
    /// Subjects counted in the compared period.
    pub before: u32,
    /// Subjects counted in both.
    pub both: u32,
}

impl ComparedSubjects {
    /// Of two sorted lists of subjects.
    pub fn of<K: Ord>(now: &[K], before: &[K]) -> ComparedSubjects {
        let both = now
            .iter()
            .filter(|key| before.binary_search(key).is_ok())
            .count();
        ComparedSubjects {
            now: now.len() as u32,
            before: before.len() as u32,
            both: both as u32,
        }
    }

    /// The same subjects in both periods: the change is theirs («изменение»), not only of
    /// the mean of two different groups.
    pub fn same(&self) -> bool {
        self.now == self.both && self.before == self.both
    }
}

/// A node of an instrument in report order: kind, code, title, whether it is variable.
type NodeRef = (NodeKind, String, String, bool);

/// The nodes of an instrument in report order with their titles: the total, each area followed by
/// its indicators, then the variable part when there are variable indicators.
fn nodes(instrument: &Instrument) -> Vec<NodeRef> {
    let mut nodes = vec![(
        NodeKind::Total,
        instrument.code().to_string(),
        instrument.title().to_owned(),
        false,
    )];
    for area in instrument.areas() {
        nodes.push((
            NodeKind::Area,
            area.code().to_string(),
            area.title().to_owned(),
            false,
        ));
        for indicator in area.indicators() {
            nodes.push((
                NodeKind::Indicator,
                indicator.code().to_string(),
                indicator.title().to_owned(),
                indicator.kind() == IndicatorKind::Variable,
            ));
        }
    }
    if instrument.has_variable_indicators() {
        nodes.push((
            NodeKind::Variable,
            NodeKind::Variable.as_str().to_owned(),
            VARIABLE_PART_TITLE.to_owned(),
            true,
        ));
    }
    nodes
}

/// Title of the variable part in a report.
pub const VARIABLE_PART_TITLE: &str = "Вариативная часть (в сравнении по сети не учитывается)";

fn empty_row(kind: NodeKind, code: String, title: String, variable: bool) -> ReportRow {
    ReportRow {
        kind,
        variable,
        code,
        title,
        score: None,
        level: None,
        n: 0,
        deficit: false,
        critical: false,
        pooled_score: None,
        comparable: None,
        before: None,
        delta: None,
        drop: false,
        suppressed: false,
        subjects_scored: 0,
        subjects_below: 0,
    }
}

/// Rule «индивидуальные дефициты»: of the subjects with a valid score of node `n`, how many there
/// are and how many score below `threshold` (each subject's mean, rounded as every comparison
/// with the threshold is).
fn subjects_below<K: Key>(table: &ScoreTable<K>, n: usize, instrument: &Instrument) -> (u32, u32) {
    subject_means(table, n)
        .values()
        .filter(|(_, count, _)| *count > 0)
        .fold((0, 0), |(scored, below), (sum, count, _)| {
            let mean = sum / f64::from(*count);
            (scored + 1, below + u32::from(instrument.is_deficit(mean)))
        })
}

/// The valid scores of a node in a table: how many subjects they belong to, and whether any of
/// them has a critical violation.
struct Valid {
    subjects: usize,
    critical: bool,
}

fn valid<K: Key>(table: &ScoreTable<K>, kind: NodeKind, code: &str) -> Valid {
    let mut subjects: HashSet<&K> = HashSet::new();
    let mut critical = false;
    if let Some(n) = table.node_index(kind, code) {
        for (subject, percent, flag) in table.node_rows(n) {
            if percent.is_some() {
                subjects.insert(subject);
                critical |= flag;
            }
        }
    }
    Valid {
        subjects: subjects.len(),
        critical,
    }
}

/// The level of a row: the level of its score, but a row made of one subject's scores keeps that
/// subject's critical cap.
fn row_level(instrument: &Instrument, score: f64, valid: &Valid) -> LevelRef {
    if valid.subjects == 1 && valid.critical {
        LevelRef::lowest(instrument)
    } else {
        LevelRef::of(instrument, score)
    }
}

/// The report of `scope` over `table` (latest submissions of one period; for a subject or a
/// kindergarten, only theirs).
pub fn scope_report<K: Key>(
    instrument: &Instrument,
    table: &ScoreTable<K>,
    scope: ReportScope,
) -> Result<ScopeReport<K>, ScoringError> {
    let n_submissions = table.len() as u32;
    // Subject rows (a teacher's mean over her cards, n = her cards) read every submission.
    let submissions = table;
    // Observations count each subject once: its cards are averaged first.
    let per_subject;
    let table = match instrument.counting() {
        Counting::Observations => {
            per_subject = table.per_subject(instrument);
            &per_subject
        }
        Counting::OnePerRespondent | Counting::OnePerSubject => table,
    };
    let mut report = ScopeReport {
        instrument: instrument.id().clone(),
        scope,
        n_submissions,
        n_subjects: table.subjects().len() as u32,
        rows: Vec::new(),
        subjects: Vec::new(),
        kindergartens: Vec::new(),
        compared_with: None,
        subject_keys: table.subjects(),
        compared_subjects: None,
        min_respondents: instrument.min_respondents(),
        suppressed_kindergartens: Vec::new(),
    };
    let aggregated = if table.is_empty() {
        None
    } else {
        Some(aggregate_table(instrument, table)?)
    };
    for (kind, code, title, variable) in nodes(instrument) {
        // Network comparisons use invariant indicators only: the variable part is each
        // kindergarten's own.
        if variable && scope == ReportScope::Network {
            continue;
        }
        let mut row = empty_row(kind, code, title, variable);
        row.critical = table.is_critical(kind, &row.code);
        if let Some(n) = table.node_index(kind, &row.code) {
            (row.subjects_scored, row.subjects_below) = subjects_below(table, n, instrument);
        }
        if let Some(aggregated) = &aggregated {
            let mean = match scope {
                ReportScope::Network => aggregated
                    .network
                    .iter()
                    .find(|node| node.kind == kind && node.code == row.code)
                    .map(|node| {
                        row.pooled_score = Some(node.pooled_mean);
                        row.n = node.n_submissions;
                        node.mean_of_kindergartens
                    }),
                // One kindergarten in the table: its statistics are the scope's.
                ReportScope::Subject | ReportScope::Kindergarten => aggregated
                    .network
                    .iter()
                    .find(|node| node.kind == kind && node.code == row.code)
                    .map(|node| {
                        row.n = node.n_submissions;
                        node.pooled_mean
                    }),
            };
            if let Some(mean) = mean {
                row.score = Some(mean);
                row.deficit = instrument.is_deficit(mean);
                row.level = Some(match scope {
                    ReportScope::Network => LevelRef::of(instrument, mean),
                    _ => row_level(instrument, mean, &valid(table, kind, &row.code)),
                });
            }
        }
        report.rows.push(row);
    }
    match (scope, &aggregated) {
        (ReportScope::Kindergarten, Some(_)) => {
            report.subjects = subject_rows(instrument, submissions)
        }
        (ReportScope::Network, Some(aggregated)) => {
            let critical = critical_areas(instrument, table);
            let subjects = table.subjects_per_kindergarten();
            let mut kindergartens: Vec<UnitRow<K>> = aggregated
                .totals
                .iter()
                .map(|total| UnitRow {
                    kindergarten: total.kindergarten.clone(),
                    score: total.mean,
                    level: Some(LevelRef::of(instrument, total.mean)),
                    n: total.n,
                    subjects: subjects.get(&total.kindergarten).copied().unwrap_or(0),
                    rank: instrument.ranks().then_some(total.rank),
                    delta: None,
                    drop: false,
                    areas: instrument
                        .areas()
                        .iter()
                        .map(|area| {
                            let code = area.code().as_str();
                            let score = aggregated
                                .kindergartens
                                .iter()
                                .find(|node| {
                                    node.kindergarten == total.kindergarten
                                        && node.kind == NodeKind::Area
                                        && node.code == code
                                })
                                .map(|node| node.mean);
                            AreaCell {
                                code: code.to_owned(),
                                score,
                                level: score.map(|score| LevelRef::of(instrument, score)),
                                critical: critical.contains(&(&total.kindergarten, code)),
                            }
                        })
                        .collect(),
                })
                .collect();
            kindergartens.sort_by(|a, b| (a.rank, &a.kindergarten).cmp(&(b.rank, &b.kindergarten)));
            report.kindergartens = kindergartens;
        }
        _ => {}
    }
    if let Some(k) = instrument.min_respondents() {
        suppress(&mut report, k, &submissions.rows_per_kindergarten());
    }
    Ok(report)
}

/// The small-group rule of anonymous instruments (k = `min_respondents`), counted in responses:
/// * every row of the report is hidden when the scope has fewer than k responses;
/// * a subject (group) or a kindergarten with fewer than k responses is hidden;
/// * complementary suppression: when exactly one of the siblings is hidden and their parent is
///   shown, the parent's mean and the visible siblings would give it away, so the smallest
///   visible sibling is hidden too;
/// * the ranking is over the visible kindergartens.
fn suppress<K: Key>(report: &mut ScopeReport<K>, k: u32, responses: &HashMap<K, u32>) {
    let parent_shown = report.n_submissions >= k;
    if !parent_shown {
        report.rows.iter_mut().for_each(hide_row);
    }
    let hidden = complementary(report.subjects.iter().map(|s| s.n), k, parent_shown);
    for (subject, hide) in report.subjects.iter_mut().zip(hidden) {
        if hide {
            subject.score = None;
            subject.level = None;
            subject.deficit = false;
            subject.critical = false;
            subject.suppressed = true;
            for area in &mut subject.areas {
                area.score = None;
                area.level = None;
                area.critical = false;
            }
        }
    }
    let count = |unit: &K| responses.get(unit).copied().unwrap_or(0);
    let hidden = complementary(
        report.kindergartens.iter().map(|u| count(&u.kindergarten)),
        k,
        parent_shown,
    );
    let units = std::mem::take(&mut report.kindergartens);
    for (unit, hide) in units.into_iter().zip(hidden) {
        if hide {
            let n = count(&unit.kindergarten);
            report.suppressed_kindergartens.push((unit.kindergarten, n));
        } else {
            report.kindergartens.push(unit);
        }
    }
    rerank(&mut report.kindergartens);
}

/// Dense places (1 = best, equal means share a place) among the kindergartens that have one:
/// those hidden by the small-group rule or without enough coverage of their own take no place
/// and leave no gap.
pub fn rerank<K>(kindergartens: &mut [UnitRow<K>]) {
    let mut distinct: Vec<f64> = kindergartens
        .iter()
        .filter(|unit| unit.rank.is_some())
        .map(|unit| round6(unit.score))
        .collect();
    distinct.sort_by(|a, b| b.total_cmp(a));
    distinct.dedup();
    for unit in kindergartens.iter_mut() {
        if unit.rank.is_some() {
            let key = round6(unit.score);
            unit.rank = Some(distinct.iter().position(|m| *m == key).unwrap_or(0) as u32 + 1);
        }
    }
}

fn hide_row(row: &mut ReportRow) {
    row.score = None;
    row.level = None;
    row.deficit = false;
    row.critical = false;
    row.pooled_score = None;
    row.before = None;
    row.delta = None;
    row.drop = false;
    row.suppressed = true;
    row.subjects_scored = 0;
    row.subjects_below = 0;
}

/// Which of the siblings with these response counts are hidden: fewer than `k`, plus the smallest
/// visible one when exactly one is hidden and the parent is shown (ties: the first).
fn complementary(counts: impl Iterator<Item = u32>, k: u32, parent_shown: bool) -> Vec<bool> {
    let counts: Vec<u32> = counts.collect();
    let mut hidden: Vec<bool> = counts.iter().map(|&n| !parent_shown || n < k).collect();
    if parent_shown
        && hidden.iter().filter(|&&h| h).count() == 1
        && let Some(smallest) = (0..counts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| counts[i])
    {
        hidden[smallest] = true;
    }
    hidden
}

/// A subject's mean over its rows of one node (summed in row order), and whether one of them is
/// critical.
type Mean = (f64, u32, bool);

/// Per subject, the mean of its valid scores of node `n` (summed in row order), critical when any
/// of them is.
fn subject_means<K: Key>(table: &ScoreTable<K>, n: usize) -> BTreeMap<&K, Mean> {
    let mut by_subject: BTreeMap<&K, Mean> = BTreeMap::new();
    for (subject, percent, critical) in table.node_rows(n) {
        let entry = by_subject.entry(subject).or_insert((0.0, 0, false));
        if let Some(percent) = percent {
            entry.0 += percent;
            entry.1 += 1;
            entry.2 |= critical;
        }
    }
    by_subject
}

/// The score and level of a subject's mean: the level capped at the lowest when critical.
fn capped(instrument: &Instrument, (sum, n, critical): Mean) -> (Option<f64>, Option<LevelRef>) {
    let score = (n > 0).then(|| sum / f64::from(n));
    let level = score.map(|score| {
        if critical {
            LevelRef::lowest(instrument)
        } else {
            LevelRef::of(instrument, score)
        }
    });
    (score, level)
}

/// One row per subject: the mean of its valid totals (summed in row order), critical when any of
/// them is, the level capped then; and the same per area.
fn subject_rows<K: Key>(instrument: &Instrument, table: &ScoreTable<K>) -> Vec<SubjectRow<K>> {
    let Some(total) = table.node_index(NodeKind::Total, instrument.code().as_str()) else {
        return Vec::new();
    };
    let areas: Vec<(String, BTreeMap<&K, Mean>)> = instrument
        .areas()
        .iter()
        .map(|area| {
            let code = area.code().to_string();
            let means = table
                .node_index(NodeKind::Area, &code)
                .map(|n| subject_means(table, n))
                .unwrap_or_default();
            (code, means)
        })
        .collect();
    subject_means(table, total)
        .into_iter()
        .map(|(subject, mean)| {
            let (score, level) = capped(instrument, mean);
            SubjectRow {
                subject: subject.clone(),
                score,
                level,
                n: mean.1,
                deficit: score.is_some_and(|score| instrument.is_deficit(score)),
                critical: mean.2,
                suppressed: false,
                areas: areas
                    .iter()
                    .map(|(code, means)| {
                        let mean = means.get(subject).copied().unwrap_or((0.0, 0, false));
                        let (score, level) = capped(instrument, mean);
                        AreaCell {
                            code: code.clone(),
                            score,
                            level,
                            critical: mean.2,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The (kindergarten, area) pairs with a critical violation in some counted score.
fn critical_areas<'t, K: Key>(
    instrument: &'t Instrument,
    table: &'t ScoreTable<K>,
) -> HashSet<(&'t K, &'t str)> {
    let mut critical = HashSet::new();
    for area in instrument.areas() {
        let code = area.code().as_str();
        if let Some(n) = table.node_index(NodeKind::Area, code) {
            for (unit, flag) in table.unit_critical(n) {
                if flag {
                    critical.insert((unit, code));
                }
            }
        }
    }
    critical
}

/// Adds the dynamics against `before` (the same scope in another period, scored with
/// `before_instrument`) to `report` (scored with `instrument`): `before`, `delta` and `drop` on
/// every row valid in both, `delta` on every kindergarten present in both. Refused
/// ([`ScoringError::VersionMismatch`]) when the two versions are not comparable.
pub fn compare<K: Key>(
    report: &mut ScopeReport<K>,
    instrument: &Instrument,
    before: &ScopeReport<K>,
    before_instrument: &Instrument,
) -> Result<(), ScoringError> {
    let correspondence = check_comparable(before_instrument, instrument)?;
    let same_version = before_instrument.id() == instrument.id();
    let earlier: HashMap<(NodeKind, &str), Option<f64>> = before
        .rows
        .iter()
        .map(|row| ((row.kind, row.code.as_str()), row.score))
        .collect();
    let mut total_comparable = false;
    for row in &mut report.rows {
        let code = earlier_node(&correspondence, same_version, row.kind, &row.code);
        let found = code.and_then(|code| earlier.get(&(row.kind, code)));
        // Comparable when the earlier version has the node, even with no valid score there
        // (then `before` is absent: «недостаточно данных», not «нет сопоставимых данных»).
        let comparable = code.is_some();
        row.comparable = Some(comparable);
        if row.kind == NodeKind::Total {
            total_comparable = comparable;
        }
        row.before = found.copied().flatten();
        if let (Some(after), Some(before)) = (row.score, row.before) {
            let delta = after - before;
            row.delta = Some(delta);
            row.drop = round6(delta) <= -DROP_PP;
        }
    }
    let earlier: HashMap<&K, f64> = before
        .kindergartens
        .iter()
        .map(|row| (&row.kindergarten, row.score))
        .collect();
    for row in &mut report.kindergartens {
        row.delta = earlier
            .get(&row.kindergarten)
            .filter(|_| total_comparable)
            .map(|before| row.score - before);
        row.drop = row.delta.is_some_and(|delta| round6(delta) <= -DROP_PP);
    }
    report.compared_with = Some(before_instrument.id().clone());
    report.compared_subjects = Some(ComparedSubjects::of(
        &report.subject_keys,
        &before.subject_keys,
    ));
    Ok(())
}
