//! [`ScoreTable`]: the stored scores of many submissions of one instrument version, one column per
//! node — the input of a network report, without a string per node.

use std::collections::HashMap;
use std::hash::Hash;

use polars::prelude::*;
use vsoko_checklist::{Instrument, InstrumentId};

use crate::columns::{KINDERGARTEN, wide};
use crate::pipeline::Meta;
use crate::submission::{NodeKind, NodeScore, ScoredSubmission};

/// What a key of a kindergarten or a subject in a [`ScoreTable`] must be: a database id (`i64`)
/// in the API, a name (`String`) in tests.
pub trait Key: Clone + Eq + Hash + Ord + std::fmt::Debug + Send + Sync + 'static {}
impl<K: Clone + Eq + Hash + Ord + std::fmt::Debug + Send + Sync + 'static> Key for K {}

/// Node scores of many submissions (latest revisions, one period) of one instrument version,
/// stored column by column in the instrument's node order (the total, the areas, the indicators),
/// with the kindergarten and the subject of each row.
///
/// Filled row by row with [`ScoreTable::push_row`]; aggregated by [`crate::aggregate_table`] exactly as
/// [`crate::aggregate`] aggregates the same scores as [`ScoredSubmission`]s.
#[derive(Debug, Clone)]
pub struct ScoreTable<K: Key = i64> {
    instrument: InstrumentId,
    /// `(kind, code)` of every node, in column order.
    nodes: Vec<(NodeKind, String)>,
    /// The column of the node at each position of a [`crate::SubmissionScore`].
    order: Vec<usize>,
    index: HashMap<(NodeKind, String), usize>,
    /// Level band codes, lowest first (a handful: searched, not hashed).
    levels: Vec<String>,
    /// Distinct kindergartens in the order first seen; rows refer to them by position.
    units: Vec<K>,
    unit_of: HashMap<K, u32>,
    /// Per row: the position of its kindergarten in `units`, and its subject.
    unit: Vec<u32>,
    subject: Vec<K>,
    percent: Vec<Vec<Option<f64>>>,
    level: Vec<Vec<Option<u32>>>,
    deficit: Vec<Vec<bool>>,
    critical: Vec<Vec<bool>>,
}

/// One node score as [`ScoreTable::push_row`] takes it (borrowed: no allocation per node).
#[derive(Debug, Clone, Copy)]
pub struct NodeCell<'a> {
    /// Total, area or indicator.
    pub kind: NodeKind,
    /// The node's code (the instrument code for the total).
    pub code: &'a str,
    /// Percent; `None` when not valid.
    pub percent: Option<f64>,
    /// Level band code; `None` when not valid.
    pub level: Option<&'a str>,
    /// Below the deficit threshold.
    pub deficit: bool,
    /// Capped by a critical item.
    pub critical: bool,
}

impl<'a> From<&'a NodeScore> for NodeCell<'a> {
    fn from(node: &'a NodeScore) -> NodeCell<'a> {
        NodeCell {
            kind: node.kind,
            code: &node.code,
            percent: node.percent,
            level: node.level.as_deref(),
            deficit: node.deficit,
            critical: node.critical,
        }
    }
}

impl<K: Key> ScoreTable<K> {
    /// An empty table for the instrument's nodes.
    pub fn new(instrument: &Instrument) -> ScoreTable<K> {
        let meta = Meta::new(instrument);
        let nodes: Vec<(NodeKind, String)> = meta
            .nodes
            .iter()
            .map(|node| (node.kind, node.code.clone()))
            .collect();
        let n = nodes.len();
        ScoreTable {
            instrument: instrument.id().clone(),
            index: nodes
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, key)| (key, i))
                .collect(),
            levels: meta.level_codes.clone(),
            order: meta.submission_order(),
            nodes,
            units: Vec::new(),
            unit_of: HashMap::new(),
            unit: Vec::new(),
            subject: Vec::new(),
            percent: vec![Vec::new(); n],
            level: vec![Vec::new(); n],
            deficit: vec![Vec::new(); n],
            critical: vec![Vec::new(); n],
        }
    }

    /// The instrument version of the table.
    pub fn instrument(&self) -> &InstrumentId {
        &self.instrument
    }

    /// Number of submissions.
    pub fn len(&self) -> usize {
        self.unit.len()
    }

    /// Whether there are no submissions.
    pub fn is_empty(&self) -> bool {
        self.unit.is_empty()
    }

    /// Rows (submissions) per kindergarten.
    pub fn rows_per_kindergarten(&self) -> HashMap<K, u32> {
        let mut counts = vec![0u32; self.units.len()];
        for &unit in &self.unit {
            counts[unit as usize] += 1;
        }
        self.units.iter().cloned().zip(counts).collect()
    }

    /// Distinct subjects per kindergarten: the numerator of each kindergarten's coverage.
    pub fn subjects_per_kindergarten(&self) -> HashMap<K, u32> {
        let mut seen: Vec<std::collections::HashSet<&K>> =
            vec![std::collections::HashSet::new(); self.units.len()];
        for (&unit, subject) in self.unit.iter().zip(&self.subject) {
            seen[unit as usize].insert(subject);
        }
        self.units
            .iter()
            .cloned()
            .zip(seen.iter().map(|subjects| subjects.len() as u32))
            .collect()
    }

    /// The distinct subjects of the rows, sorted.
    pub fn subjects(&self) -> Vec<K> {
        let mut subjects = self.subject.clone();
        subjects.sort();
        subjects.dedup();
        subjects
    }

    /// Adds one submission: its kindergarten, its subject and its node scores. Nodes are matched
    /// by kind and code (in the order of a [`crate::SubmissionScore`] that is one comparison per
    /// node); nodes the instrument does not have are ignored, nodes the submission lacks stay
    /// «not valid».
    pub fn push_row<'a>(
        &mut self,
        kindergarten: &K,
        subject: &K,
        cells: impl IntoIterator<Item = NodeCell<'a>>,
    ) {
        let row = self.start_row(kindergarten, subject);
        for (position, cell) in cells.into_iter().enumerate() {
            let expected = self.order.get(position).copied();
            let n = match expected.map(|n| (n, &self.nodes[n])) {
                Some((n, (kind, code))) if *kind == cell.kind && code == cell.code => n,
                _ if cell.kind == NodeKind::Total => 0,
                _ => match self.index.get(&(cell.kind, cell.code.to_owned())) {
                    Some(&n) => n,
                    None => continue,
                },
            };
            self.percent[n][row] = cell.percent;
            self.level[n][row] = cell.level.and_then(|l| self.level_index(l));
            self.deficit[n][row] = cell.deficit;
            self.critical[n][row] = cell.critical;
        }
    }

    /// Appends a row with every node «not valid»; its index.
    fn start_row(&mut self, kindergarten: &K, subject: &K) -> usize {
        let row = self.unit.len();
        let unit = match self.units.last() {
            // Rows usually come grouped by kindergarten.
            Some(last) if last == kindergarten => self.units.len() as u32 - 1,
            _ => match self.unit_of.get(kindergarten) {
                Some(&unit) => unit,
                None => {
                    let unit = self.units.len() as u32;
                    self.units.push(kindergarten.clone());
                    self.unit_of.insert(kindergarten.clone(), unit);
                    unit
                }
            },
        };
        self.unit.push(unit);
        self.subject.push(subject.clone());
        for n in 0..self.nodes.len() {
            self.percent[n].push(None);
            self.level[n].push(None);
            self.deficit[n].push(false);
            self.critical[n].push(false);
        }
        row
    }

    /// The nodes in the order of a [`crate::SubmissionScore`] (the total, then each area followed
    /// by its indicators): what a stored row lists position by position.
    pub fn submission_layout(&self) -> impl Iterator<Item = (NodeKind, &str)> + '_ {
        self.order
            .iter()
            .map(|&n| (self.nodes[n].0, self.nodes[n].1.as_str()))
    }

    /// The index of a level band code (lowest band 0), as [`ScoreTable::push_positional`] takes it.
    pub fn level_index(&self, code: &str) -> Option<u32> {
        self.levels
            .iter()
            .position(|level| level == code)
            .map(|k| k as u32)
    }

    /// Adds one submission whose nodes come in [`ScoreTable::submission_layout`] order, each as
    /// (percent, level index, deficit, critical) — the caller has checked the layout. Extra cells
    /// are ignored; missing ones stay «not valid».
    pub fn push_positional(
        &mut self,
        kindergarten: &K,
        subject: &K,
        cells: impl IntoIterator<Item = (Option<f64>, Option<u32>, bool, bool)>,
    ) {
        let row = self.start_row(kindergarten, subject);
        for (&n, (percent, level, deficit, critical)) in self.order.iter().zip(cells) {
            self.percent[n][row] = percent;
            self.level[n][row] = level;
            self.deficit[n][row] = deficit;
            self.critical[n][row] = critical;
        }
    }

    /// Whether the node (kind, code) is critical in any submission.
    pub fn is_critical(&self, kind: NodeKind, code: &str) -> bool {
        self.index
            .get(&(kind, code.to_owned()))
            .is_some_and(|&n| self.critical[n].iter().any(|&critical| critical))
    }

    /// The column of node (kind, code).
    pub(crate) fn node_index(&self, kind: NodeKind, code: &str) -> Option<usize> {
        self.index.get(&(kind, code.to_owned())).copied()
    }

    /// Per row of node `n`: (subject, percent, critical).
    pub(crate) fn node_rows(&self, n: usize) -> impl Iterator<Item = (&K, Option<f64>, bool)> {
        self.subject
            .iter()
            .zip(&self.percent[n])
            .zip(&self.critical[n])
            .map(|((subject, percent), critical)| (subject, *percent, *critical))
    }

    /// Per row of node `n`: (kindergarten, critical).
    pub(crate) fn unit_critical(&self, n: usize) -> impl Iterator<Item = (&K, bool)> {
        self.unit
            .iter()
            .zip(&self.critical[n])
            .map(|(&unit, &critical)| (&self.units[unit as usize], critical))
    }

    /// Room for `rows` more submissions.
    pub fn reserve(&mut self, rows: usize) {
        self.unit.reserve(rows);
        self.subject.reserve(rows);
        for n in 0..self.nodes.len() {
            self.percent[n].reserve(rows);
            self.level[n].reserve(rows);
            self.deficit[n].reserve(rows);
            self.critical[n].reserve(rows);
        }
    }

    /// The table of already scored submissions (what [`crate::aggregate`] reads).
    pub fn of_submissions(
        instrument: &Instrument,
        submissions: &[ScoredSubmission<K>],
    ) -> ScoreTable<K> {
        let mut table = ScoreTable::new(instrument);
        table.reserve(submissions.len());
        for submission in submissions {
            table.push_row(
                &submission.kindergarten,
                &submission.subject,
                submission.score.nodes.iter().map(NodeCell::from),
            );
        }
        table
    }

    /// The scored submission table of stage 2: `KINDERGARTEN` (the position of the row's
    /// kindergarten in `units`) and per node percent, level and deficit.
    pub(crate) fn frame(&self) -> PolarsResult<DataFrame> {
        let mut columns = vec![Column::new(KINDERGARTEN.into(), &self.unit)];
        for n in 0..self.nodes.len() {
            columns.push(Column::new(wide::percent(n).into(), &self.percent[n]));
            columns.push(Column::new(wide::level(n).into(), &self.level[n]));
            columns.push(Column::new(wide::deficit(n).into(), &self.deficit[n]));
        }
        DataFrame::new_infer_height(columns)
    }

    /// One row per subject of each kindergarten instead of one per submission: for each node the
    /// mean of the subject's valid percents (summed in row order), critical when one of them is
    /// (the level then capped at the lowest band, as for one submission), the level and deficit
    /// those of the mean. Subjects keep the order of their first row. This is how observations
    /// (control cards) aggregate: each subject counts once, whatever its number of cards.
    pub fn per_subject(&self, instrument: &Instrument) -> ScoreTable<K> {
        let levels = instrument.levels();
        let mut groups: Vec<(u32, K, Vec<usize>)> = Vec::new();
        let mut index: HashMap<(u32, &K), usize> = HashMap::new();
        for (row, (&unit, subject)) in self.unit.iter().zip(&self.subject).enumerate() {
            match index.get(&(unit, subject)) {
                Some(&group) => groups[group].2.push(row),
                None => {
                    index.insert((unit, subject), groups.len());
                    groups.push((unit, subject.clone(), vec![row]));
                }
            }
        }
        let mut table = ScoreTable {
            instrument: self.instrument.clone(),
            nodes: self.nodes.clone(),
            order: self.order.clone(),
            index: self.index.clone(),
            levels: self.levels.clone(),
            units: Vec::new(),
            unit_of: HashMap::new(),
            unit: Vec::new(),
            subject: Vec::new(),
            percent: vec![Vec::new(); self.nodes.len()],
            level: vec![Vec::new(); self.nodes.len()],
            deficit: vec![Vec::new(); self.nodes.len()],
            critical: vec![Vec::new(); self.nodes.len()],
        };
        table.reserve(groups.len());
        for (unit, subject, rows) in groups {
            let kindergarten = self.units[unit as usize].clone();
            let row = table.start_row(&kindergarten, &subject);
            for n in 0..self.nodes.len() {
                let (mut sum, mut count, mut critical) = (0.0, 0u32, false);
                for &r in &rows {
                    if let Some(percent) = self.percent[n][r] {
                        sum += percent;
                        count += 1;
                        critical |= self.critical[n][r];
                    }
                }
                if count == 0 {
                    continue;
                }
                let mean = sum / f64::from(count);
                table.percent[n][row] = Some(mean);
                table.level[n][row] = Some(if critical {
                    0
                } else {
                    levels.level_index(mean) as u32
                });
                table.deficit[n][row] = instrument.is_deficit(mean);
                table.critical[n][row] = critical;
            }
        }
        table
    }

    /// The kindergarten at a position of `units`.
    pub(crate) fn unit(&self, position: u32) -> Option<&K> {
        self.units.get(position as usize)
    }
}

impl ScoreTable<String> {
    /// The nodes of the batch's scored submission frame (`KINDERGARTEN`, `SUBJECT`, per node
    /// `wide::percent`, `wide::level`, `wide::deficit`, `wide::critical`), as a table.
    pub(crate) fn of_scored_frame(
        instrument: &Instrument,
        scored: &DataFrame,
    ) -> PolarsResult<ScoreTable<String>> {
        let text = |name: &str| -> PolarsResult<Vec<String>> {
            Ok(scored
                .column(name)?
                .cast(&DataType::String)?
                .str()?
                .iter()
                .map(|v| v.unwrap_or_default().to_owned())
                .collect())
        };
        let kindergartens = text(KINDERGARTEN)?;
        let subjects = text(crate::columns::SUBJECT)?;
        let mut table = ScoreTable::new(instrument);
        table.reserve(kindergartens.len());
        let n = table.nodes.len();
        let mut percent = Vec::with_capacity(n);
        let mut level = Vec::with_capacity(n);
        let mut deficit = Vec::with_capacity(n);
        let mut critical = Vec::with_capacity(n);
        for node in 0..n {
            percent.push(scored.column(&wide::percent(node))?.f64()?.clone());
            level.push(
                scored
                    .column(&wide::level(node))?
                    .cast(&DataType::UInt32)?
                    .u32()?
                    .clone(),
            );
            deficit.push(scored.column(&wide::deficit(node))?.bool()?.clone());
            critical.push(scored.column(&wide::critical(node))?.bool()?.clone());
        }
        for (row, (kindergarten, subject)) in kindergartens.iter().zip(&subjects).enumerate() {
            let r = table.start_row(kindergarten, subject);
            for node in 0..n {
                table.percent[node][r] = percent[node].get(row);
                table.level[node][r] = level[node].get(row);
                table.deficit[node][r] = deficit[node].get(row).unwrap_or(false);
                table.critical[node][r] = critical[node].get(row).unwrap_or(false);
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::aggregate_table;
    use vsoko_checklist::{AnswerValue, RawAnswer};

    const CARD: &str = include_str!("../tests/fixtures/card.toml");

    fn scored(instrument: &Instrument, kindergarten: &str, value: f64) -> ScoredSubmission {
        let sheet = instrument
            .validate_answers(instrument.items().filter_map(|item| {
                let value = match item.scale.options() {
                    Some(options) => options[(value as usize) % options.len()].value(),
                    None => value,
                };
                vsoko_checklist::check_value(&item, AnswerValue::Value(value)).ok()?;
                Some(RawAnswer {
                    item: item.item.code().to_string(),
                    value: AnswerValue::Value(value),
                    comment: None,
                })
            }))
            .unwrap();
        ScoredSubmission {
            submission: format!("{kindergarten}-{value}"),
            kindergarten: kindergarten.to_owned(),
            respondent: format!("r{value}"),
            subject: format!("r{value}"),
            period: "p".to_owned(),
            score: crate::score_submission(instrument, &sheet).unwrap(),
        }
    }

    #[test]
    fn stored_node_order_is_the_columns_submission_order() {
        let instrument = vsoko_checklist::parse_toml(CARD, "card.toml").unwrap();
        let table: ScoreTable<String> = ScoreTable::new(&instrument);
        let score = scored(&instrument, "kg", 1.0).score;
        let expected: Vec<(NodeKind, &str)> = table
            .order
            .iter()
            .map(|&n| (table.nodes[n].0, table.nodes[n].1.as_str()))
            .collect();
        let stored: Vec<(NodeKind, &str)> = score
            .nodes
            .iter()
            .map(|node| (node.kind, node.code.as_str()))
            .collect();
        assert_eq!(stored, expected);
    }

    #[test]
    fn nodes_in_any_order_or_unknown_give_the_same_report() {
        let instrument = vsoko_checklist::parse_toml(CARD, "card.toml").unwrap();
        let submissions: Vec<ScoredSubmission> = (0..12)
            .map(|i| scored(&instrument, ["kg1", "kg2", "kg3"][i % 3], i as f64))
            .collect();
        let in_order = ScoreTable::of_submissions(&instrument, &submissions);
        let mut shuffled = ScoreTable::new(&instrument);
        for submission in &submissions {
            let mut nodes: Vec<NodeScore> = submission.score.nodes.clone();
            nodes.reverse();
            nodes.push(NodeScore {
                code: "NOT-A-NODE".to_owned(),
                ..nodes[0].clone()
            });
            shuffled.push_row(
                &submission.kindergarten,
                &submission.subject,
                nodes.iter().map(NodeCell::from),
            );
        }
        let a = aggregate_table(&instrument, &in_order).unwrap();
        let b = aggregate_table(&instrument, &shuffled).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.totals.len(), 3);
        assert_eq!(a, crate::aggregate(&instrument, &submissions).unwrap());
    }
}

/// Timing of the network report's aggregation (`cargo test --release -p vsoko-scoring --lib
/// aggregate_timings -- --ignored --nocapture`).
#[cfg(test)]
mod timings {
    use super::*;
    use crate::report::aggregate_table;
    use std::time::Instant;

    #[test]
    #[ignore = "profiling aid"]
    fn aggregate_timings() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../checklists/dc-teacher/v1.toml"
        );
        let instrument = vsoko_checklist::load_file(std::path::Path::new(path)).unwrap();
        let mut rng = crate::SplitMix64::new(3);
        let mut submissions = Vec::new();
        for i in 0..10_000 {
            let sheet = instrument
                .validate_answers(instrument.items().map(|item| vsoko_checklist::RawAnswer {
                    item: item.item.code().to_string(),
                    value: vsoko_checklist::AnswerValue::Value(rng.below(6) as f64),
                    comment: None,
                }))
                .unwrap();
            submissions.push(ScoredSubmission {
                submission: i.to_string(),
                kindergarten: (i % 100).to_string(),
                respondent: i.to_string(),
                subject: i.to_string(),
                period: "p".into(),
                score: crate::score_submission(&instrument, &sheet).unwrap(),
            });
        }
        let meta = Meta::new(&instrument);
        let table = ScoreTable::of_submissions(&instrument, &submissions);
        for (name, opt) in [
            ("default optimisations", None),
            ("no optimisations", Some(OptFlags::empty())),
        ] {
            for _ in 0..3 {
                let start = Instant::now();
                let mut plans =
                    crate::report::aggregate_plans(table.frame().unwrap().lazy(), &meta, false);
                if let Some(opt) = opt {
                    plans.kindergartens = plans.kindergartens.with_optimizations(opt);
                    plans.pooled = plans.pooled.with_optimizations(opt);
                    plans.of_kindergartens = plans.of_kindergartens.with_optimizations(opt);
                }
                let frames = crate::pipeline::collect_all(
                    vec![plans.kindergartens, plans.pooled, plans.of_kindergartens],
                    Engine::InMemory,
                )
                .unwrap();
                eprintln!(
                    "{name}: {:.1} ms ({} rows)",
                    start.elapsed().as_secs_f64() * 1e3,
                    frames[0].height()
                );
            }
        }
        for _ in 0..5 {
            let start = Instant::now();
            let table = ScoreTable::of_submissions(&instrument, &submissions);
            let built = start.elapsed();
            let report = aggregate_table(&instrument, &table).unwrap();
            eprintln!(
                "table {:.1} ms, aggregate {:.1} ms ({} kindergartens)",
                built.as_secs_f64() * 1e3,
                (start.elapsed() - built).as_secs_f64() * 1e3,
                report.totals.len()
            );
        }
    }
}
