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
//!   two instrument versions are compared only when [`check_comparable`] allows it.

use std::collections::{BTreeMap, HashMap, HashSet};

use vsoko_checklist::{Counting, Instrument, InstrumentId, round6};

use crate::error::ScoringError;
use crate::report::aggregate_table;
use crate::report::{DROP_PP, check_comparable};
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

/// One node of a report: the total, an area or an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Total, area or indicator.
    pub kind: NodeKind,
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
    /// The score in the compared period.
    pub before: Option<f64>,
    /// `score − before`, percentage points.
    pub delta: Option<f64>,
    /// A drop of [`DROP_PP`] points or more.
    pub drop: bool,
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
}

/// One kindergarten in the network report.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow<K> {
    /// The kindergarten.
    pub kindergarten: K,
    /// Its mean total.
    pub score: f64,
    /// The level of the mean.
    pub level: LevelRef,
    /// Its submissions with a valid total.
    pub n: u32,
    /// Dense rank by the mean (1 = best).
    pub rank: u32,
    /// Change against the compared period, percentage points.
    pub delta: Option<f64>,
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
    /// The total, then each area followed by its indicators.
    pub rows: Vec<ReportRow>,
    /// Kindergarten scope: one row per subject, by subject.
    pub subjects: Vec<SubjectRow<K>>,
    /// Network scope: the kindergartens, best first.
    pub kindergartens: Vec<UnitRow<K>>,
    /// The instrument version of the compared period, when dynamics were added.
    pub compared_with: Option<InstrumentId>,
}

/// The nodes of an instrument in report order with their titles.
fn nodes(instrument: &Instrument) -> Vec<(NodeKind, String, String)> {
    let mut nodes = vec![(
        NodeKind::Total,
        instrument.code().to_string(),
        instrument.title().to_owned(),
    )];
    for area in instrument.areas() {
        nodes.push((
            NodeKind::Area,
            area.code().to_string(),
            area.title().to_owned(),
        ));
        for indicator in area.indicators() {
            nodes.push((
                NodeKind::Indicator,
                indicator.code().to_string(),
                indicator.title().to_owned(),
            ));
        }
    }
    nodes
}

fn empty_row(kind: NodeKind, code: String, title: String) -> ReportRow {
    ReportRow {
        kind,
        code,
        title,
        score: None,
        level: None,
        n: 0,
        deficit: false,
        critical: false,
        pooled_score: None,
        before: None,
        delta: None,
        drop: false,
    }
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
    let threshold = instrument.deficit_threshold().get();
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
    };
    let aggregated = if table.is_empty() {
        None
    } else {
        Some(aggregate_table(instrument, table)?)
    };
    for (kind, code, title) in nodes(instrument) {
        let mut row = empty_row(kind, code, title);
        row.critical = table.is_critical(kind, &row.code);
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
                row.deficit = round6(mean) < threshold;
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
            let mut kindergartens: Vec<UnitRow<K>> = aggregated
                .totals
                .iter()
                .map(|total| UnitRow {
                    kindergarten: total.kindergarten.clone(),
                    score: total.mean,
                    level: LevelRef::of(instrument, total.mean),
                    n: total.n,
                    rank: total.rank,
                    delta: None,
                })
                .collect();
            kindergartens.sort_by(|a, b| (a.rank, &a.kindergarten).cmp(&(b.rank, &b.kindergarten)));
            report.kindergartens = kindergartens;
        }
        _ => {}
    }
    Ok(report)
}

/// One row per subject: the mean of its valid totals (summed in row order), critical when any of
/// them is, the level capped then.
fn subject_rows<K: Key>(instrument: &Instrument, table: &ScoreTable<K>) -> Vec<SubjectRow<K>> {
    let threshold = instrument.deficit_threshold().get();
    let Some(total) = table.node_index(NodeKind::Total, instrument.code().as_str()) else {
        return Vec::new();
    };
    let mut by_subject: BTreeMap<&K, (f64, u32, bool)> = BTreeMap::new();
    for (subject, percent, critical) in table.node_rows(total) {
        let entry = by_subject.entry(subject).or_insert((0.0, 0, false));
        if let Some(percent) = percent {
            entry.0 += percent;
            entry.1 += 1;
            entry.2 |= critical;
        }
    }
    by_subject
        .into_iter()
        .map(|(subject, (sum, n, critical))| {
            let score = (n > 0).then(|| sum / f64::from(n));
            SubjectRow {
                subject: subject.clone(),
                score,
                level: score.map(|score| {
                    if critical {
                        LevelRef::lowest(instrument)
                    } else {
                        LevelRef::of(instrument, score)
                    }
                }),
                n,
                deficit: score.is_some_and(|score| round6(score) < threshold),
                critical,
            }
        })
        .collect()
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
    check_comparable(before_instrument, instrument)?;
    let earlier: HashMap<(NodeKind, &str), f64> = before
        .rows
        .iter()
        .filter_map(|row| {
            let code = match row.kind {
                // The total is matched whatever its code: it is the instrument's.
                NodeKind::Total => "",
                _ => row.code.as_str(),
            };
            Some(((row.kind, code), row.score?))
        })
        .collect();
    for row in &mut report.rows {
        let code = match row.kind {
            NodeKind::Total => "",
            _ => row.code.as_str(),
        };
        row.before = earlier.get(&(row.kind, code)).copied();
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
            .map(|before| row.score - before);
    }
    report.compared_with = Some(before_instrument.id().clone());
    Ok(())
}
