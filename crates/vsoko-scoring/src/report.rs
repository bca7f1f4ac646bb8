//! Kindergarten, network and dynamics results as plain Rust structs, and the aggregation entry
//! point over already scored submissions (what storage loads for the API reports).

use std::collections::HashMap;

use polars::prelude::*;
use vsoko_checklist::{Correspondence, Instrument, InstrumentId, correspondence, round6};

use crate::columns::{KINDERGARTEN, wide};
use crate::error::{Processing, ScoringError};
use crate::pipeline::Meta;
use crate::submission::{NodeKind, ScoredSubmission};
use crate::table::{Key, ScoreTable};

/// A drop of this many percentage points or more is flagged in dynamics.
pub const DROP_PP: f64 = 5.0;
/// Item population deficit: mean item score below this percent …
pub const ITEM_MEAN_BELOW: f64 = 50.0;
/// … or at least this share (percent) of answers in the lower part of its scale
/// ([`low_options`]).
pub const ITEM_LOW_SHARE_AT_LEAST: f64 = 30.0;

/// How many of a scale's lowest options are its lower part, what the item-deficit rule counts:
/// the lower half of the options, rounded down — on «нет / да» or «не соблюдено / соблюдено»
/// the first alone (two lowest of two would be every answer), on «нет / частично / да» the first,
/// on four or five steps the two lowest. Numeric scales have none.
pub fn low_options(scale: &vsoko_checklist::Scale) -> usize {
    scale.options().map_or(0, |options| options.len() / 2)
}

/// How a population answered one item, from the count of each value given (N/A left out).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// The mean item score, percent.
    pub mean: f64,
    /// Answers with a value.
    pub n: u32,
    /// Share (0–1) of those answers in the lower part of the scale ([`low_options`]); 0 for
    /// numeric scales.
    pub low_share: f64,
    /// Population deficit: a scored item with a mean below [`ITEM_MEAN_BELOW`] or at least
    /// [`ITEM_LOW_SHARE_AT_LEAST`] % of answers in the lower part of its scale — the rule of the
    /// batch reports, for the answers of one scope.
    pub deficit: bool,
}

/// The result of item `code` over answers given as `(value, how many)`; `None` for an unknown
/// item or no answer with a value.
pub fn item_result(
    instrument: &Instrument,
    code: &str,
    values: &[(f64, u32)],
) -> Option<ItemResult> {
    let item = instrument.item(code)?;
    let n: u32 = values.iter().map(|(_, count)| count).sum();
    if n == 0 {
        return None;
    }
    let sum: f64 = values
        .iter()
        .map(|&(value, count)| crate::score::item_score(item.scale, value) * f64::from(count))
        .sum();
    let mean = sum / f64::from(n) * 100.0;
    let lows: u32 = match item.scale.options() {
        Some(options) => values
            .iter()
            .filter(|(value, _)| {
                options
                    .iter()
                    .take(low_options(item.scale))
                    .any(|option| option.value() == *value)
            })
            .map(|(_, count)| count)
            .sum(),
        None => 0,
    };
    let low_share = f64::from(lows) / f64::from(n);
    Some(ItemResult {
        mean,
        n,
        low_share,
        deficit: item.item.is_scored()
            && (round6(mean) < ITEM_MEAN_BELOW
                || round6(low_share * 100.0) >= ITEM_LOW_SHARE_AT_LEAST),
    })
}

/// Statistics of one node (the total, an area or an indicator) over the submissions of one
/// kindergarten. Only valid node scores count.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeStats<K = String> {
    /// The kindergarten.
    pub kindergarten: K,
    /// Total, area or indicator.
    pub kind: NodeKind,
    /// Node code (the instrument code for the total).
    pub code: String,
    /// Mean percent of the submissions.
    pub mean: f64,
    /// Number of submissions with a valid score of this node.
    pub n: u32,
    /// Sample standard deviation (n − 1); `None` when n < 2.
    pub std: Option<f64>,
    /// Median percent.
    pub median: f64,
    /// Share (0–1) of those submissions below the deficit threshold.
    pub deficit_share: f64,
}

/// One kindergarten's total.
#[derive(Debug, Clone, PartialEq)]
pub struct KindergartenTotal<K = String> {
    /// The kindergarten.
    pub kindergarten: K,
    /// Mean total percent of its submissions.
    pub mean: f64,
    /// Number of submissions with a valid total.
    pub n: u32,
    /// Level band code of `mean` (no critical cap at this level; see the crate docs).
    pub level: String,
    /// Number of submissions at each level, in band order ([`Report::level_codes`]).
    pub level_counts: Vec<u32>,
    /// Dense rank by `mean` (1 = best; equal means at 6 decimals share a rank).
    pub rank: u32,
}

/// One node over the whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkNode {
    /// Total, area, indicator or the variable part.
    pub kind: NodeKind,
    /// A variable indicator or the variable part: each kindergarten's own, so its network mean is
    /// no comparison (left out of `network_nodes.csv` and of network reports).
    pub variable: bool,
    /// Node code.
    pub code: String,
    /// Mean of the kindergarten means: each kindergarten counts once.
    pub mean_of_kindergartens: f64,
    /// Mean over all submissions.
    pub pooled_mean: f64,
    /// Number of kindergartens with a valid score.
    pub n_kindergartens: u32,
    /// Number of submissions with a valid score.
    pub n_submissions: u32,
}

/// Number of kindergartens whose mean total is at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelCount {
    /// Level band code.
    pub level: String,
    /// Number of kindergartens.
    pub kindergartens: u32,
}

/// Item-level statistics of a population (one kindergarten, or the network when `kindergarten` is
/// `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStats<K = String> {
    /// The kindergarten, or `None` for the network.
    pub kindergarten: Option<K>,
    /// Item code.
    pub item: String,
    /// Mean item score in percent.
    pub mean: f64,
    /// Number of answers (N/A excluded).
    pub n: u32,
    /// Share (0–1) of answers in the lower part of the scale ([`low_options`]); 0 for numeric scales.
    pub low_share: f64,
    /// Population deficit: mean below 50 % or at least 30 % in the lower part of the scale (never for
    /// an unscored item).
    pub deficit: bool,
    /// The item takes part in scores.
    pub scored: bool,
}

/// Kindergarten and network results of one instrument version.
#[derive(Debug, Clone, PartialEq)]
pub struct Report<K = String> {
    /// The instrument version.
    pub instrument: InstrumentId,
    /// Level band codes, lowest first.
    pub level_codes: Vec<String>,
    /// Kindergarten × total, area and indicator, sorted by kindergarten then instrument order.
    pub kindergartens: Vec<NodeStats<K>>,
    /// Kindergarten totals with level counts and rank, sorted by kindergarten.
    pub totals: Vec<KindergartenTotal<K>>,
    /// Network × total, area and indicator, in instrument order.
    pub network: Vec<NetworkNode>,
    /// Kindergartens by the level of their mean total, in band order.
    pub distribution: Vec<LevelCount>,
    /// Item statistics per kindergarten and for the network (batch only; empty when aggregated
    /// from [`ScoredSubmission`]s, which carry no item scores).
    pub items: Vec<ItemStats<K>>,
}

impl<K> Report<K> {
    /// The kindergarten × area statistics (no indicators, no total).
    pub fn kindergarten_areas(&self) -> impl Iterator<Item = &NodeStats<K>> {
        self.kindergartens
            .iter()
            .filter(|s| s.kind == NodeKind::Area)
    }

    /// The network × area results.
    pub fn network_areas(&self) -> impl Iterator<Item = &NetworkNode> {
        self.network.iter().filter(|s| s.kind == NodeKind::Area)
    }
}

/// The plans of stage 2: a scored submission table (one row per latest submission:
/// `KINDERGARTEN`, and per node `wide::percent`, `wide::level`, `wide::deficit`; with
/// `items`, per item `wide::score` and `wide::low` too) → the kindergarten and network aggregates.
pub(crate) struct AggregatePlans {
    /// One row per kindergarten: per node mean, n, std, median, deficits; level counts of the
    /// total; per item mean, n, lows.
    pub kindergartens: LazyFrame,
    /// One row: per node the pooled mean and n over submissions; per item the same.
    pub pooled: LazyFrame,
    /// One row: per node the mean of the kindergarten means and the number of kindergartens.
    pub of_kindergartens: LazyFrame,
}

fn item_aggregates(meta: &Meta) -> Vec<Expr> {
    (0..meta.n_items())
        .flat_map(|i| {
            let score = col(wide::score(i));
            [
                (score.clone().mean() * lit(100.0)).alias(wide::item_mean(i)),
                score.count().alias(wide::item_count(i)),
                col(wide::low(i))
                    .cast(DataType::UInt32)
                    .sum()
                    .alias(wide::item_low(i)),
            ]
        })
        .collect()
}

pub(crate) fn aggregate_plans(scored: LazyFrame, meta: &Meta, items: bool) -> AggregatePlans {
    let n_nodes = meta.nodes.len();
    let mut per_kg = Vec::new();
    for n in 0..n_nodes {
        let percent = col(wide::percent(n));
        per_kg.extend([
            percent.clone().mean().alias(wide::mean(n)),
            percent.clone().count().alias(wide::count(n)),
            percent.clone().std(1).alias(wide::std(n)),
            percent.median().alias(wide::median(n)),
            col(wide::deficit(n))
                .cast(DataType::UInt32)
                .sum()
                .alias(wide::deficits(n)),
        ]);
    }
    per_kg.extend((0..meta.level_codes.len()).map(|k| {
        col(wide::level(0))
            .eq(lit(k as u32))
            .cast(DataType::UInt32)
            .sum()
            .alias(wide::level_count(k))
    }));
    let mut pooled: Vec<Expr> = (0..n_nodes)
        .flat_map(|n| {
            let percent = col(wide::percent(n));
            [
                percent.clone().mean().alias(wide::mean(n)),
                percent.count().alias(wide::count(n)),
            ]
        })
        .collect();
    if items {
        per_kg.extend(item_aggregates(meta));
        pooled.extend(item_aggregates(meta));
    }
    // Sorted by name: the means of kindergarten means then sum in a fixed order.
    let kindergartens = scored
        .clone()
        .group_by([col(KINDERGARTEN)])
        .agg(per_kg)
        .sort([KINDERGARTEN], SortMultipleOptions::default());
    let of_kindergartens = kindergartens.clone().select(
        (0..n_nodes)
            .flat_map(|n| {
                let mean = col(wide::mean(n));
                [
                    mean.clone().mean().alias(wide::mean_of_kindergartens(n)),
                    mean.count().alias(wide::kindergartens(n)),
                ]
            })
            .collect::<Vec<_>>(),
    );
    AggregatePlans {
        kindergartens,
        pooled: scored.select(pooled),
        of_kindergartens,
    }
}

/// Columns of a collected aggregate frame, read by name.
struct Frame<'a>(&'a DataFrame);

impl Frame<'_> {
    fn f64s(&self, name: &str) -> PolarsResult<Vec<Option<f64>>> {
        let c = self.0.column(name)?.cast(&DataType::Float64)?;
        Ok(c.f64()?.iter().collect())
    }

    fn u32s(&self, name: &str) -> PolarsResult<Vec<u32>> {
        let c = self.0.column(name)?.cast(&DataType::UInt32)?;
        Ok(c.u32()?.iter().map(|v| v.unwrap_or(0)).collect())
    }

    fn strs(&self, name: &str) -> PolarsResult<Vec<String>> {
        let c = self.0.column(name)?.cast(&DataType::String)?;
        Ok(c.str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_owned())
            .collect())
    }

    /// The value of a one-row frame.
    fn f64_at0(&self, name: &str) -> PolarsResult<Option<f64>> {
        Ok(self.f64s(name)?.first().copied().flatten())
    }

    fn u32_at0(&self, name: &str) -> PolarsResult<u32> {
        Ok(self.u32s(name)?.first().copied().unwrap_or(0))
    }
}

/// Builds the report from the collected aggregate frames (small: kindergartens × nodes).
pub(crate) fn build_report<K: Clone + Ord>(
    instrument: &Instrument,
    meta: &Meta,
    frames: [&DataFrame; 3],
    units: impl Fn(&[u32]) -> PolarsResult<Vec<K>>,
    items: bool,
) -> PolarsResult<Report<K>> {
    let [kindergartens, pooled, of_kindergartens] = frames;
    let levels = instrument.levels();
    let level_codes = meta.level_codes.clone();
    let kg = Frame(kindergartens);
    let names = units(&kg.u32s(KINDERGARTEN)?)?;
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));

    // Kindergarten × node, kindergartens by name, nodes in instrument index order (total, areas,
    // indicators); only nodes with at least one valid score.
    let mut stats: Vec<Vec<NodeStats<K>>> = vec![Vec::new(); names.len()];
    for (n, node) in meta.nodes.iter().enumerate() {
        let (mean, count, std, median, deficits) = (
            kg.f64s(&wide::mean(n))?,
            kg.u32s(&wide::count(n))?,
            kg.f64s(&wide::std(n))?,
            kg.f64s(&wide::median(n))?,
            kg.u32s(&wide::deficits(n))?,
        );
        for (row, out) in stats.iter_mut().enumerate() {
            if count[row] == 0 {
                continue;
            }
            out.push(NodeStats {
                kindergarten: names[row].clone(),
                kind: node.kind,
                code: node.code.clone(),
                mean: mean[row].unwrap_or(f64::NAN),
                n: count[row],
                std: std[row].filter(|_| count[row] >= 2),
                median: median[row].unwrap_or(f64::NAN),
                deficit_share: f64::from(deficits[row]) / f64::from(count[row]),
            });
        }
    }
    let level_columns: Vec<Vec<u32>> = (0..level_codes.len())
        .map(|k| kg.u32s(&wide::level_count(k)))
        .collect::<PolarsResult<_>>()?;
    let mut kindergarten_stats = Vec::new();
    let mut totals = Vec::new();
    for &row in &order {
        if let Some(total) = stats[row].first().filter(|s| s.kind == NodeKind::Total) {
            totals.push(KindergartenTotal {
                kindergarten: total.kindergarten.clone(),
                mean: total.mean,
                n: total.n,
                level: levels.level_of(total.mean).code().to_string(),
                level_counts: level_columns.iter().map(|c| c[row]).collect(),
                rank: 0,
            });
        }
        kindergarten_stats.append(&mut stats[row]);
    }
    let mut distinct: Vec<f64> = totals.iter().map(|t| round6(t.mean)).collect();
    distinct.sort_by(|a, b| b.total_cmp(a));
    distinct.dedup();
    for total in &mut totals {
        let key = round6(total.mean);
        total.rank = distinct.iter().position(|m| *m == key).unwrap_or(0) as u32 + 1;
    }
    let mut distribution: Vec<LevelCount> = level_codes
        .iter()
        .map(|code| LevelCount {
            level: code.clone(),
            kindergartens: 0,
        })
        .collect();
    for total in &totals {
        distribution[levels.level_index(total.mean)].kindergartens += 1;
    }

    // Network × node, in instrument index order, nodes valid somewhere.
    let (pool, of_kg) = (Frame(pooled), Frame(of_kindergartens));
    let mut network = Vec::new();
    for (n, node) in meta.nodes.iter().enumerate() {
        let n_submissions = pool.u32_at0(&wide::count(n))?;
        if n_submissions == 0 {
            continue;
        }
        network.push(NetworkNode {
            kind: node.kind,
            variable: meta.is_variable(n),
            code: node.code.clone(),
            mean_of_kindergartens: of_kg
                .f64_at0(&wide::mean_of_kindergartens(n))?
                .unwrap_or(f64::NAN),
            pooled_mean: pool.f64_at0(&wide::mean(n))?.unwrap_or(f64::NAN),
            n_kindergartens: of_kg.u32_at0(&wide::kindergartens(n))?,
            n_submissions,
        });
    }

    // Items: per kindergarten (by name), then the network; only items with answers.
    let mut item_stats = Vec::new();
    if items {
        let stat = |kindergarten: Option<K>, item: usize, mean: f64, n: u32, lows: u32| {
            let low_share = f64::from(lows) / f64::from(n);
            ItemStats {
                kindergarten,
                item: meta.item_codes[item].clone(),
                mean,
                n,
                low_share,
                deficit: meta.item_scored[item]
                    && (round6(mean) < ITEM_MEAN_BELOW
                        || round6(low_share * 100.0) >= ITEM_LOW_SHARE_AT_LEAST),
                scored: meta.item_scored[item],
            }
        };
        let mut per_item = Vec::new();
        for i in 0..meta.n_items() {
            per_item.push((
                kg.f64s(&wide::item_mean(i))?,
                kg.u32s(&wide::item_count(i))?,
                kg.u32s(&wide::item_low(i))?,
            ));
        }
        for &row in &order {
            for (i, (mean, count, lows)) in per_item.iter().enumerate() {
                if count[row] > 0 {
                    item_stats.push(stat(
                        Some(names[row].clone()),
                        i,
                        mean[row].unwrap_or(f64::NAN),
                        count[row],
                        lows[row],
                    ));
                }
            }
        }
        for i in 0..meta.n_items() {
            let count = pool.u32_at0(&wide::item_count(i))?;
            if count > 0 {
                item_stats.push(stat(
                    None,
                    i,
                    pool.f64_at0(&wide::item_mean(i))?.unwrap_or(f64::NAN),
                    count,
                    pool.u32_at0(&wide::item_low(i))?,
                ));
            }
        }
    }

    Ok(Report {
        instrument: instrument.id().clone(),
        level_codes,
        kindergartens: kindergarten_stats,
        totals,
        network,
        distribution,
        items: item_stats,
    })
}

/// Collects the aggregates of a scored submission table in memory (small frames, a fixed row
/// order: the same input gives the same floats to the last bit) and builds the report.
///
/// `KINDERGARTEN` of `scored` holds positions (`u32`); `units` turns the positions of the collected
/// kindergarten frame into the caller's kindergarten keys.
pub(crate) fn report_of<K: Clone + Ord>(
    instrument: &Instrument,
    meta: &Meta,
    scored: LazyFrame,
    items: bool,
    units: impl Fn(&[u32]) -> PolarsResult<Vec<K>>,
) -> Result<Report<K>, ScoringError> {
    let plans = aggregate_plans(scored, meta, items);
    let frames = crate::pipeline::collect_all(
        vec![plans.kindergartens, plans.pooled, plans.of_kindergartens],
        Engine::InMemory,
    )
    .processing()?;
    build_report(
        instrument,
        meta,
        [&frames[0], &frames[1], &frames[2]],
        units,
        items,
    )
    .processing()
}

/// Stage 2 of the batch: [`report_of`] over a scored frame whose `KINDERGARTEN` holds names. The
/// names become positions in their sorted order, so kindergartens aggregate (and the mean of
/// their means sums) in name order.
pub(crate) fn report_of_named(
    instrument: &Instrument,
    meta: &Meta,
    scored: &DataFrame,
    items: bool,
) -> Result<Report<String>, ScoringError> {
    let names = Frame(scored).strs(KINDERGARTEN).processing()?;
    let mut distinct = names.clone();
    distinct.sort();
    distinct.dedup();
    let positions: Vec<u32> = names
        .iter()
        .map(|name| distinct.binary_search(name).unwrap_or(0) as u32)
        .collect();
    let mut frame = scored.clone();
    frame
        .with_column(Column::new(KINDERGARTEN.into(), positions))
        .processing()?;
    report_of(instrument, meta, frame.lazy(), items, |positions| {
        Ok(positions
            .iter()
            .map(|&position| distinct[position as usize].clone())
            .collect())
    })
}

/// Aggregates already scored submissions (one per (period, subject, respondent): the caller passes
/// latest revisions only) into kindergarten and network results. Node codes that the instrument
/// does not have are ignored.
pub fn aggregate<K: Key>(
    instrument: &Instrument,
    submissions: &[ScoredSubmission<K>],
) -> Result<Report<K>, ScoringError> {
    let table = ScoreTable::of_submissions(instrument, submissions);
    aggregate_table(instrument, &table)
}

/// Kindergarten and network results of a [`ScoreTable`] (one per (period, subject, respondent):
/// latest revisions only) — the same as [`crate::aggregate`] of the same submissions.
pub fn aggregate_table<K: Key>(
    instrument: &Instrument,
    table: &ScoreTable<K>,
) -> Result<Report<K>, ScoringError> {
    if table.instrument() != instrument.id() {
        return Err(ScoringError::InstrumentMismatch {
            instrument: instrument.id().clone(),
            sheet: table.instrument().clone(),
        });
    }
    let meta = Meta::new(instrument);
    report_of(
        instrument,
        &meta,
        table.frame().processing()?.lazy(),
        false,
        |positions| {
            positions
            .iter()
            .map(|&position| {
                table.unit(position).cloned().ok_or_else(
                    || polars_err!(ComputeError: "kindergarten position {position} is not in the table"),
                )
            })
            .collect()
        },
    )
}

/// One change between two periods, in percentage points.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta<K = String> {
    /// The kindergarten; `None` for the network.
    pub kindergarten: Option<K>,
    /// The respondent, for per-respondent changes.
    pub respondent: Option<K>,
    /// Total, area or indicator.
    pub kind: NodeKind,
    /// Node code.
    pub code: String,
    /// Percent in the earlier period.
    pub before: f64,
    /// Percent in the later period.
    pub after: f64,
    /// `after − before`, percentage points.
    pub delta: f64,
    /// A drop of [`DROP_PP`] points or more.
    pub drop: bool,
}

impl<K> Delta<K> {
    fn new(
        kindergarten: Option<K>,
        respondent: Option<K>,
        kind: NodeKind,
        code: String,
        before: f64,
        after: f64,
    ) -> Delta<K> {
        let delta = after - before;
        Delta {
            kindergarten,
            respondent,
            kind,
            code,
            before,
            after,
            delta,
            drop: round6(delta) <= -DROP_PP,
        }
    }
}

/// Changes between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics<K = String> {
    /// Per kindergarten × node (total, areas, indicators), kindergartens present in both periods.
    pub kindergartens: Vec<Delta<K>>,
    /// Network × node (mean of kindergartens).
    pub network: Vec<Delta<K>>,
    /// Per (kindergarten, respondent) present in both periods, total and areas.
    pub respondents: Vec<Delta<K>>,
}

/// Which nodes of `after` are comparable with which of `before` (the crosswalk rules of
/// [`vsoko_checklist::correspondence`]); refuses two versions with neither a crosswalk between them
/// nor identical item codes.
pub fn check_comparable(
    before: &Instrument,
    after: &Instrument,
) -> Result<Correspondence, ScoringError> {
    correspondence(before, after).map_err(|_| ScoringError::VersionMismatch {
        from: before.id().clone(),
        to: after.id().clone(),
    })
}

/// The node of `before` a node of `after` (kind, code) is compared with: the variable part only
/// within one version.
pub(crate) fn earlier_node<'c>(
    correspondence: &'c Correspondence,
    same_version: bool,
    kind: NodeKind,
    code: &'c str,
) -> Option<&'c str> {
    match kind {
        NodeKind::Variable => same_version.then_some(code),
        _ => correspondence.earlier(code),
    }
}

/// Dynamics between two reports (kindergarten × node and network × node); nodes are matched
/// through `correspondence` ([`check_comparable`]); a node without a comparable earlier node has
/// no delta.
pub fn report_dynamics<K: Key>(
    before: &Report<K>,
    after: &Report<K>,
    correspondence: &Correspondence,
) -> Dynamics<K> {
    let same_version = before.instrument == after.instrument;
    let earlier: HashMap<(&K, NodeKind, &str), f64> = before
        .kindergartens
        .iter()
        .map(|s| ((&s.kindergarten, s.kind, s.code.as_str()), s.mean))
        .collect();
    let kindergartens = after
        .kindergartens
        .iter()
        .filter_map(|s| {
            let code = earlier_node(correspondence, same_version, s.kind, &s.code)?;
            let b = earlier.get(&(&s.kindergarten, s.kind, code))?;
            Some(Delta::new(
                Some(s.kindergarten.clone()),
                None,
                s.kind,
                s.code.clone(),
                *b,
                s.mean,
            ))
        })
        .collect();
    let earlier: HashMap<(NodeKind, &str), f64> = before
        .network
        .iter()
        .filter(|s| !s.variable)
        .map(|s| ((s.kind, s.code.as_str()), s.mean_of_kindergartens))
        .collect();
    let network = after
        .network
        .iter()
        .filter(|s| !s.variable)
        .filter_map(|s| {
            let code = earlier_node(correspondence, same_version, s.kind, &s.code)?;
            let b = earlier.get(&(s.kind, code))?;
            Some(Delta::new(
                None,
                None,
                s.kind,
                s.code.clone(),
                *b,
                s.mean_of_kindergartens,
            ))
        })
        .collect();
    Dynamics {
        kindergartens,
        network,
        respondents: Vec::new(),
    }
}

/// Dynamics between two periods of scored submissions (latest revisions only, one period each):
/// kindergarten × node, network × node, and per respondent (total and areas) where both periods
/// have a valid score. Refuses incomparable instrument versions.
pub fn dynamics<K: Key>(
    before_instrument: &Instrument,
    before: &[ScoredSubmission<K>],
    after_instrument: &Instrument,
    after: &[ScoredSubmission<K>],
) -> Result<Dynamics<K>, ScoringError> {
    let correspondence = check_comparable(before_instrument, after_instrument)?;
    let same_version = before_instrument.id() == after_instrument.id();
    let mut dynamics = report_dynamics(
        &aggregate(before_instrument, before)?,
        &aggregate(after_instrument, after)?,
        &correspondence,
    );
    let earlier: HashMap<(&K, &K, NodeKind, &str), f64> = before
        .iter()
        .flat_map(|s| {
            s.score.nodes.iter().filter_map(move |n| {
                let p = n.percent.filter(|_| n.kind != NodeKind::Indicator)?;
                Some(((&s.kindergarten, &s.respondent, n.kind, n.code.as_str()), p))
            })
        })
        .collect();
    for s in after {
        for n in &s.score.nodes {
            let Some(p) = n.percent.filter(|_| n.kind != NodeKind::Indicator) else {
                continue;
            };
            let Some(code) = earlier_node(&correspondence, same_version, n.kind, &n.code) else {
                continue;
            };
            if let Some(b) = earlier.get(&(&s.kindergarten, &s.respondent, n.kind, code)) {
                dynamics.respondents.push(Delta::new(
                    Some(s.kindergarten.clone()),
                    Some(s.respondent.clone()),
                    n.kind,
                    n.code.clone(),
                    *b,
                    p,
                ));
            }
        }
    }
    Ok(dynamics)
}
