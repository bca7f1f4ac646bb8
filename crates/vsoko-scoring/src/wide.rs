//! Node scores of the wide per-submission table: one row per submission, one column per item value
//! (`wide::value(i)`) in, one column per node score out — column arithmetic only, no grouping.
//!
//! Every sum runs over the children in instrument order starting from 0, exactly as
//! [`crate::score_submission`] accumulates, so a batch and the API score a submission bit for bit
//! alike.

use polars::prelude::*;
use vsoko_checklist::Instrument;

use crate::columns::wide;
use crate::pipeline::{Meta, div, level_expr, low_expr, lowest_expr, round6, score_expr};
use crate::submission::NodeKind;

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// `Σ terms` from 0, in order.
fn sum_in_order(terms: impl IntoIterator<Item = Expr>, zero: Expr) -> Expr {
    terms.into_iter().fold(zero, |acc, term| acc + term)
}

/// Adds every item's score, lower-part flag and critical hit (from `wide::value(i)`), then every
/// node's percent, level, deficit, critical flag, answered count and coverage.
pub(crate) fn score_nodes(lf: LazyFrame, instrument: &Instrument, meta: &Meta) -> LazyFrame {
    let scales = instrument.scales();
    let mut items = Vec::new();
    for i in 0..meta.n_items() {
        let value = col(wide::value(i));
        let answered = value
            .clone()
            .is_not_null()
            .and(value.clone().neq(lit(f64::NEG_INFINITY)));
        let scale = &scales[meta.item_scale[i]];
        items.push(
            when(answered.clone())
                .then(score_expr(scale, value.clone()))
                .otherwise(null_f64())
                .alias(wide::score(i)),
        );
        items.push(
            answered
                .clone()
                .and(low_expr(scale, value.clone()))
                .alias(wide::low(i)),
        );
        if meta.item_critical[i] {
            items.push(answered.and(lowest_expr(scale, value)).alias(wide::hit(i)));
        }
    }
    let mut lf = lf.with_columns(items);

    // Indicators from items, then areas (and the variable part) from indicators, then the total
    // from areas.
    let indicators: Vec<usize> = meta.indicators().collect();
    let areas: Vec<usize> = (1..=meta.n_areas).chain(meta.variable).collect();
    for level in [indicators, areas, vec![0]] {
        let mut sums = Vec::new();
        for &n in &level {
            sums.extend(node_sums(meta, n));
        }
        let mut finished = Vec::new();
        for &n in &level {
            finished.extend(node_finish(meta, n));
        }
        lf = lf.with_columns(sums).with_columns(finished);
    }
    let mut levels = Vec::new();
    for n in 0..meta.nodes.len() {
        let (percent, critical) = (col(wide::percent(n)), col(wide::critical(n)));
        levels.push(
            when(percent.clone().is_null())
                .then(lit(NULL).cast(DataType::UInt32))
                .when(critical)
                .then(lit(0u32))
                .otherwise(level_expr(percent.clone(), meta))
                .alias(wide::level(n)),
        );
        levels.push(
            round6(percent)
                .lt(lit(meta.deficit_threshold))
                .fill_null(lit(false))
                .alias(wide::deficit(n)),
        );
    }
    lf.with_columns(levels)
}

/// The sums of node `n` over its children: weighted scores, weights, answered items, critical.
fn node_sums(meta: &Meta, n: usize) -> [Expr; 4] {
    let node = &meta.nodes[n];
    if node.kind == NodeKind::Indicator {
        let answered = |i: usize| col(wide::score(i)).is_not_null();
        let weighted = node.children.iter().map(|&i| {
            when(answered(i))
                .then(lit(meta.item_weight[i]) * col(wide::score(i)))
                .otherwise(lit(0.0))
        });
        let weights = node.children.iter().map(|&i| {
            when(answered(i))
                .then(lit(meta.item_weight[i]))
                .otherwise(lit(0.0))
        });
        let count = node
            .children
            .iter()
            .map(|&i| answered(i).cast(DataType::UInt32));
        let critical = node
            .children
            .iter()
            .filter(|&&i| meta.item_critical[i])
            .map(|&i| col(wide::hit(i)));
        [
            sum_in_order(weighted, lit(0.0)).alias(wide::weighted(n)),
            sum_in_order(weights, lit(0.0)).alias(wide::weights(n)),
            sum_in_order(count, lit(0u32)).alias(wide::answered(n)),
            critical
                .reduce(|a, b| a.or(b))
                .unwrap_or(lit(false))
                .alias(wide::critical(n)),
        ]
    } else {
        let valid = |c: usize| col(wide::percent(c)).is_not_null();
        let weighted = node.children.iter().map(|&c| {
            when(valid(c))
                .then(lit(meta.nodes[c].weight) * col(wide::percent(c)))
                .otherwise(lit(0.0))
        });
        let weights = node.children.iter().map(|&c| {
            when(valid(c))
                .then(lit(meta.nodes[c].weight))
                .otherwise(lit(0.0))
        });
        let count = node.children.iter().map(|&c| col(wide::answered(c)));
        let critical = node.children.iter().map(|&c| col(wide::critical(c)));
        [
            sum_in_order(weighted, lit(0.0)).alias(wide::weighted(n)),
            sum_in_order(weights, lit(0.0)).alias(wide::weights(n)),
            sum_in_order(count, lit(0u32)).alias(wide::answered(n)),
            critical
                .reduce(|a, b| a.or(b))
                .unwrap_or(lit(false))
                .alias(wide::critical(n)),
        ]
    }
}

/// Coverage, validity and percent of node `n` from its sums (as `finish_node` in `score`).
fn node_finish(meta: &Meta, n: usize) -> [Expr; 2] {
    let node = &meta.nodes[n];
    let answered = col(wide::answered(n));
    let weights = col(wide::weights(n));
    let coverage = div(
        answered.clone().cast(DataType::Float64) * lit(100.0),
        f64::from(node.n_items),
    );
    let valid = answered
        .gt(lit(0u32))
        .and(weights.clone().gt(lit(0.0)))
        .and(round6(coverage.clone()).gt_eq(lit(meta.min_coverage)));
    let mean = col(wide::weighted(n)) / weights;
    let percent = if node.kind == NodeKind::Indicator {
        mean * lit(100.0)
    } else {
        mean
    };
    [
        coverage.alias(wide::coverage(n)),
        when(valid)
            .then(percent)
            .otherwise(null_f64())
            .alias(wide::percent(n)),
    ]
}

/// The columns stage 2 and the outputs read: keys, and per node percent, level, deficit and
/// critical (with `per_submission` also answered and coverage), per item score and lower-part
/// flag.
pub(crate) fn output_columns(meta: &Meta, per_submission: bool) -> Vec<Expr> {
    let mut columns = vec![
        col(crate::columns::KINDERGARTEN),
        col(crate::columns::RESPONDENT),
        col(crate::columns::SUBJECT),
        col(crate::columns::SUBMISSION),
    ];
    for n in 0..meta.nodes.len() {
        columns.extend([
            col(wide::percent(n)),
            col(wide::level(n)),
            col(wide::deficit(n)),
            col(wide::critical(n)),
        ]);
        if per_submission {
            columns.extend([col(wide::answered(n)), col(wide::coverage(n))]);
        }
    }
    for i in 0..meta.n_items() {
        columns.extend([col(wide::score(i)), col(wide::low(i))]);
    }
    columns
}
