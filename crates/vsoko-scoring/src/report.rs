//! Kindergarten, network and dynamics results as plain Rust structs, and the aggregation entry
//! point over already scored submissions (what storage loads for the API reports).

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;
use vsoko_checklist::{Instrument, InstrumentId, round6};

use crate::columns::*;
use crate::error::ScoringError;
use crate::pipeline::{self, KIND_AREA, KIND_INDICATOR, KIND_TOTAL, Meta};
use crate::submission::{NodeKind, ScoredSubmission};

/// A drop of this many percentage points or more is flagged in dynamics.
pub const DROP_PP: f64 = 5.0;
/// Item population deficit: mean item score below this percent …
pub const ITEM_MEAN_BELOW: f64 = 50.0;
/// … or at least this share (percent) of answers on the two lowest options.
pub const ITEM_LOW_SHARE_AT_LEAST: f64 = 30.0;

/// Statistics of one node (the total, an area or an indicator) over the submissions of one
/// kindergarten. Only valid node scores count.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeStats {
    /// The kindergarten.
    pub kindergarten: String,
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
pub struct KindergartenTotal {
    /// The kindergarten.
    pub kindergarten: String,
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
    /// Total, area or indicator.
    pub kind: NodeKind,
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
pub struct ItemStats {
    /// The kindergarten, or `None` for the network.
    pub kindergarten: Option<String>,
    /// Item code.
    pub item: String,
    /// Mean item score in percent.
    pub mean: f64,
    /// Number of answers (N/A excluded).
    pub n: u32,
    /// Share (0–1) of answers on the two lowest options; 0 for numeric scales.
    pub low_share: f64,
    /// Population deficit: mean below 50 % or at least 30 % on the two lowest options.
    pub deficit: bool,
}

/// Kindergarten and network results of one instrument version.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The instrument version.
    pub instrument: InstrumentId,
    /// Level band codes, lowest first.
    pub level_codes: Vec<String>,
    /// Kindergarten × total, area and indicator, sorted by kindergarten then instrument order.
    pub kindergartens: Vec<NodeStats>,
    /// Kindergarten totals with level counts and rank, sorted by kindergarten.
    pub totals: Vec<KindergartenTotal>,
    /// Network × total, area and indicator, in instrument order.
    pub network: Vec<NetworkNode>,
    /// Kindergartens by the level of their mean total, in band order.
    pub distribution: Vec<LevelCount>,
    /// Item statistics per kindergarten and for the network (batch only; empty when aggregated
    /// from [`ScoredSubmission`]s, which carry no item scores).
    pub items: Vec<ItemStats>,
}

impl Report {
    /// The kindergarten × area statistics (no indicators, no total).
    pub fn kindergarten_areas(&self) -> impl Iterator<Item = &NodeStats> {
        self.kindergartens
            .iter()
            .filter(|s| s.kind == NodeKind::Area)
    }

    /// The network × area results.
    pub fn network_areas(&self) -> impl Iterator<Item = &NetworkNode> {
        self.network.iter().filter(|s| s.kind == NodeKind::Area)
    }
}

pub(crate) fn kind_of(code: u32) -> NodeKind {
    match code {
        KIND_TOTAL => NodeKind::Total,
        KIND_AREA => NodeKind::Area,
        _ => NodeKind::Indicator,
    }
}

pub(crate) fn node_code(meta: &Meta, kind: u32, node: u32) -> String {
    match kind {
        KIND_TOTAL => meta.total_code.clone(),
        KIND_AREA => meta.area_codes[node as usize].clone(),
        _ => meta.ind_codes[node as usize].clone(),
    }
}

fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    let c = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(c.u32()?.iter().map(|v| v.unwrap_or(0)).collect())
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    let c = df.column(name)?;
    Ok(c.str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_owned())
        .collect())
}

/// The lazy frames of the aggregates, built from a node frame of latest submissions.
pub(crate) struct AggregatePlans {
    pub kg_nodes: LazyFrame,
    pub kg_levels: LazyFrame,
    pub network: LazyFrame,
}

/// Attaches kindergarten names (`KGNO` → `KINDERGARTEN`) to a small result frame.
pub(crate) fn named(lf: LazyFrame, kg_names: &LazyFrame) -> LazyFrame {
    lf.join(
        kg_names.clone(),
        [col(KGNO)],
        [col(KGNO)],
        JoinArgs::new(JoinType::Inner),
    )
}

/// The aggregates of a node frame (`KGNO`, `NI`, `PERCENT`, `VALID`, `LEVEL`, `DEFICIT`), grouped on
/// integer keys; names and node kinds are attached to the small results only.
pub(crate) fn plans(
    nodes: LazyFrame,
    kg_names: LazyFrame,
    meta: &Meta,
) -> PolarsResult<AggregatePlans> {
    let kg_nodes = pipeline::kg_nodes(nodes.clone(), meta).cache();
    let node_table = meta
        .node_table()?
        .lazy()
        .select([col(NI), col(KIND), col(NODE)]);
    let with_nodes = |lf: LazyFrame| {
        lf.join(
            node_table.clone(),
            [col(NI)],
            [col(NI)],
            JoinArgs::new(JoinType::Inner),
        )
    };
    Ok(AggregatePlans {
        kg_levels: named(pipeline::kg_level_counts(nodes.clone(), meta), &kg_names),
        network: with_nodes(pipeline::network_nodes(kg_nodes.clone(), nodes)),
        kg_nodes: with_nodes(named(kg_nodes, &kg_names)),
    })
}

/// Builds the report from the collected aggregate frames (small: kindergartens × nodes).
pub(crate) fn build_report(
    instrument: &Instrument,
    meta: &Meta,
    kg_nodes: &DataFrame,
    kg_levels: &DataFrame,
    network: &DataFrame,
    items: Option<(&DataFrame, &DataFrame)>,
) -> PolarsResult<Report> {
    let levels = instrument.levels();
    let level_codes = meta.level_codes.clone();

    // Kindergarten × node.
    let (kg, kind, node) = (
        strs(kg_nodes, KINDERGARTEN)?,
        u32s(kg_nodes, KIND)?,
        u32s(kg_nodes, NODE)?,
    );
    let (mean, n, std, median, share) = (
        f64s(kg_nodes, MEAN)?,
        u32s(kg_nodes, N)?,
        f64s(kg_nodes, STD)?,
        f64s(kg_nodes, MEDIAN)?,
        f64s(kg_nodes, DEFICIT_SHARE)?,
    );
    let mut order: Vec<usize> = (0..kg.len()).collect();
    order.sort_by(|&a, &b| (&kg[a], kind[a], node[a]).cmp(&(&kg[b], kind[b], node[b])));
    let kindergartens: Vec<NodeStats> = order
        .iter()
        .map(|&i| NodeStats {
            kindergarten: kg[i].clone(),
            kind: kind_of(kind[i]),
            code: node_code(meta, kind[i], node[i]),
            mean: mean[i].unwrap_or(f64::NAN),
            n: n[i],
            std: std[i].filter(|_| n[i] >= 2),
            median: median[i].unwrap_or(f64::NAN),
            deficit_share: share[i].unwrap_or(0.0),
        })
        .collect();

    // Kindergarten totals with level counts and dense rank.
    let level_kg = strs(kg_levels, KINDERGARTEN)?;
    let mut counts: HashMap<&str, Vec<u32>> = HashMap::new();
    let level_columns: Vec<Vec<u32>> = (0..level_codes.len())
        .map(|k| u32s(kg_levels, &format!("L{k}")))
        .collect::<PolarsResult<_>>()?;
    for (row, name) in level_kg.iter().enumerate() {
        counts.insert(name, level_columns.iter().map(|c| c[row]).collect());
    }
    let mut totals: Vec<KindergartenTotal> = kindergartens
        .iter()
        .filter(|s| s.kind == NodeKind::Total)
        .map(|s| KindergartenTotal {
            kindergarten: s.kindergarten.clone(),
            mean: s.mean,
            n: s.n,
            level: levels.level_of(s.mean).code().to_string(),
            level_counts: counts
                .get(s.kindergarten.as_str())
                .cloned()
                .unwrap_or_else(|| vec![0; level_codes.len()]),
            rank: 0,
        })
        .collect();
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

    // Network.
    let (kind, node) = (u32s(network, KIND)?, u32s(network, NODE)?);
    let (mok, pooled, nkg, nsub) = (
        f64s(network, MEAN_OF_KG)?,
        f64s(network, POOLED)?,
        u32s(network, N_KG)?,
        u32s(network, N)?,
    );
    let mut order: Vec<usize> = (0..kind.len()).collect();
    order.sort_by_key(|&i| (kind[i], node[i]));
    let network = order
        .iter()
        .map(|&i| NetworkNode {
            kind: kind_of(kind[i]),
            code: node_code(meta, kind[i], node[i]),
            mean_of_kindergartens: mok[i].unwrap_or(f64::NAN),
            pooled_mean: pooled[i].unwrap_or(f64::NAN),
            n_kindergartens: nkg[i],
            n_submissions: nsub[i],
        })
        .collect();

    let mut item_stats = Vec::new();
    if let Some((by_kg, whole)) = items {
        for (df, with_kg) in [(by_kg, true), (whole, false)] {
            let kgs = if with_kg {
                strs(df, KINDERGARTEN)?.into_iter().map(Some).collect()
            } else {
                vec![None; df.height()]
            };
            let (item, mean, n, low) = (
                u32s(df, ITEM_IDX)?,
                f64s(df, MEAN)?,
                u32s(df, N)?,
                f64s(df, LOW_SHARE)?,
            );
            let mut rows: Vec<ItemStats> = (0..df.height())
                .map(|i| {
                    let mean = mean[i].unwrap_or(f64::NAN);
                    let low_share = low[i].unwrap_or(0.0);
                    ItemStats {
                        kindergarten: kgs[i].clone(),
                        item: meta.item_codes[item[i] as usize].clone(),
                        mean,
                        n: n[i],
                        low_share,
                        deficit: round6(mean) < ITEM_MEAN_BELOW
                            || round6(low_share * 100.0) >= ITEM_LOW_SHARE_AT_LEAST,
                    }
                })
                .collect();
            let position: HashMap<&str, usize> = meta
                .item_codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.as_str(), i))
                .collect();
            rows.sort_by(|a, b| {
                (&a.kindergarten, position[a.item.as_str()])
                    .cmp(&(&b.kindergarten, position[b.item.as_str()]))
            });
            item_stats.extend(rows);
        }
    }

    Ok(Report {
        instrument: instrument.id().clone(),
        level_codes,
        kindergartens,
        totals,
        network,
        distribution,
        items: item_stats,
    })
}

/// Aggregates already scored submissions (one per (period, subject, respondent): the caller passes
/// latest revisions only) into kindergarten and network results. Node codes that the instrument
/// does not have are ignored.
pub fn aggregate(
    instrument: &Instrument,
    submissions: &[ScoredSubmission],
) -> Result<Report, ScoringError> {
    let meta = Meta::new(instrument);
    let (nodes, kg_names) = nodes_frame(&meta, submissions)?;
    let plans = plans(nodes.lazy(), kg_names.lazy(), &meta)?;
    let frames = crate::batch::collect_all(
        vec![plans.kg_nodes, plans.kg_levels, plans.network],
        Engine::InMemory,
    )?;
    Ok(build_report(
        instrument, &meta, &frames[0], &frames[1], &frames[2], None,
    )?)
}

/// The node frame of scored submissions (the columns the batch pipeline's aggregates read) and the
/// kindergarten names by number.
fn nodes_frame(
    meta: &Meta,
    submissions: &[ScoredSubmission],
) -> PolarsResult<(DataFrame, DataFrame)> {
    let areas: HashMap<&str, u32> = meta
        .area_codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let indicators: HashMap<&str, u32> = meta
        .ind_codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let level_of: HashMap<&str, u32> = meta
        .level_codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let mut kg_numbers: HashMap<&str, u32> = HashMap::new();
    let mut kg_names: Vec<&str> = Vec::new();
    let capacity: usize = submissions.iter().map(|s| s.score.nodes.len()).sum();
    let mut kgno = Vec::with_capacity(capacity);
    let mut ni = Vec::with_capacity(capacity);
    let mut percent = Vec::with_capacity(capacity);
    let mut valid = Vec::with_capacity(capacity);
    let mut level: Vec<Option<u32>> = Vec::with_capacity(capacity);
    let mut deficit = Vec::with_capacity(capacity);
    for s in submissions {
        let kg = *kg_numbers
            .entry(s.kindergarten.as_str())
            .or_insert_with(|| {
                kg_names.push(s.kindergarten.as_str());
                kg_names.len() as u32 - 1
            });
        for n in &s.score.nodes {
            let (k, idx) = match n.kind {
                NodeKind::Total => (KIND_TOTAL, Some(0)),
                NodeKind::Area => (KIND_AREA, areas.get(n.code.as_str()).copied()),
                NodeKind::Indicator => (KIND_INDICATOR, indicators.get(n.code.as_str()).copied()),
            };
            let Some(idx) = idx else { continue };
            kgno.push(kg);
            ni.push(meta.node_index(k, idx));
            percent.push(n.percent);
            valid.push(n.percent.is_some());
            level.push(n.level.as_deref().and_then(|l| level_of.get(l).copied()));
            deficit.push(n.deficit);
        }
    }
    let nodes = DataFrame::new_infer_height(vec![
        Column::new(KGNO.into(), kgno),
        Column::new(NI.into(), ni),
        Column::new(PERCENT.into(), percent),
        Column::new(VALID.into(), valid),
        Column::new(LEVEL.into(), level),
        Column::new(DEFICIT.into(), deficit),
    ])?;
    let names = DataFrame::new_infer_height(vec![
        Column::new(KGNO.into(), (0..kg_names.len() as u32).collect::<Vec<_>>()),
        Column::new(KINDERGARTEN.into(), kg_names),
    ])?;
    Ok((nodes, names))
}

/// One change between two periods, in percentage points.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    /// The kindergarten; `None` for the network.
    pub kindergarten: Option<String>,
    /// The respondent, for per-respondent changes.
    pub respondent: Option<String>,
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

impl Delta {
    fn new(
        kindergarten: Option<String>,
        respondent: Option<String>,
        kind: NodeKind,
        code: String,
        before: f64,
        after: f64,
    ) -> Delta {
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
pub struct Dynamics {
    /// Per kindergarten × node (total, areas, indicators), kindergartens present in both periods.
    pub kindergartens: Vec<Delta>,
    /// Network × node (mean of kindergartens).
    pub network: Vec<Delta>,
    /// Per (kindergarten, respondent) present in both periods, total and areas.
    pub respondents: Vec<Delta>,
}

/// Refuses to compare two instrument versions unless they are the same version or have the same
/// item codes.
pub fn check_comparable(before: &Instrument, after: &Instrument) -> Result<(), ScoringError> {
    if before.id() == after.id() {
        return Ok(());
    }
    let codes = |i: &Instrument| -> BTreeSet<String> {
        i.items().map(|r| r.item.code().to_string()).collect()
    };
    if before.code() == after.code() && codes(before) == codes(after) {
        Ok(())
    } else {
        Err(ScoringError::VersionMismatch {
            from: before.id().clone(),
            to: after.id().clone(),
        })
    }
}

/// Dynamics between two reports (kindergarten × node and network × node); `before` and `after`
/// must come from comparable instruments ([`check_comparable`]). Nodes are matched by code.
pub fn report_dynamics(before: &Report, after: &Report) -> Dynamics {
    let earlier: HashMap<(&str, NodeKind, &str), f64> = before
        .kindergartens
        .iter()
        .map(|s| ((s.kindergarten.as_str(), s.kind, s.code.as_str()), s.mean))
        .collect();
    let kindergartens = after
        .kindergartens
        .iter()
        .filter_map(|s| {
            let b = earlier.get(&(s.kindergarten.as_str(), s.kind, s.code.as_str()))?;
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
        .map(|s| ((s.kind, s.code.as_str()), s.mean_of_kindergartens))
        .collect();
    let network = after
        .network
        .iter()
        .filter_map(|s| {
            let b = earlier.get(&(s.kind, s.code.as_str()))?;
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
pub fn dynamics(
    before_instrument: &Instrument,
    before: &[ScoredSubmission],
    after_instrument: &Instrument,
    after: &[ScoredSubmission],
) -> Result<Dynamics, ScoringError> {
    check_comparable(before_instrument, after_instrument)?;
    let mut dynamics = report_dynamics(
        &aggregate(before_instrument, before)?,
        &aggregate(after_instrument, after)?,
    );
    let earlier: HashMap<(&str, &str, NodeKind, &str), f64> = before
        .iter()
        .flat_map(|s| {
            s.score.nodes.iter().filter_map(move |n| {
                let p = n.percent.filter(|_| n.kind != NodeKind::Indicator)?;
                Some((
                    (
                        s.kindergarten.as_str(),
                        s.respondent.as_str(),
                        n.kind,
                        n.code.as_str(),
                    ),
                    p,
                ))
            })
        })
        .collect();
    for s in after {
        for n in &s.score.nodes {
            let Some(p) = n.percent.filter(|_| n.kind != NodeKind::Indicator) else {
                continue;
            };
            let code = if n.kind == NodeKind::Total {
                before_instrument.code().as_str()
            } else {
                n.code.as_str()
            };
            if let Some(b) =
                earlier.get(&(s.kindergarten.as_str(), s.respondent.as_str(), n.kind, code))
            {
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
