//! The instrument flattened for polars, and the expression builders every plan shares: item
//! scores, scale checks, levels. Nothing here collects.

use polars::prelude::*;
use vsoko_checklist::{Direction, IndicatorKind, Instrument, NumericRule, Scale, ScaleKind};

use crate::score::points_range;
use crate::submission::NodeKind;

/// Error codes of a batch row (`ERROR` column); 0 = valid.
pub(crate) mod err {
    pub const OK: u32 = 0;
    pub const MISSING_FIELD: u32 = 1;
    pub const OTHER_INSTRUMENT: u32 = 2;
    pub const UNKNOWN_ITEM: u32 = 3;
    pub const BAD_NUMBER: u32 = 4;
    pub const NA_NOT_ALLOWED: u32 = 5;
    pub const NOT_ON_SCALE: u32 = 6;
    pub const OUT_OF_RANGE: u32 = 7;
    pub const DUPLICATE: u32 = 8;
    pub const BAD_REVISION: u32 = 9;
}

/// One node (the total, an area, an indicator or the variable part) of the flattened instrument.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub code: String,
    /// Weight of the node within its parent (1 for the total and the variable part).
    pub weight: f64,
    /// Number of scored items under the node.
    pub n_items: u32,
    /// The node's children, whose sums make the node: scored item indices for an indicator, node
    /// indices otherwise. An area's children are its invariant indicators only; the variable part's
    /// children are the variable indicators.
    pub children: Vec<usize>,
}

/// The instrument flattened into index tables.
///
/// Node indices: 0 is the total, `1..=areas` the areas, then the indicators, each in instrument
/// order, then (only when the instrument has variable indicators) the variable part. Item indices
/// follow instrument order too and include unscored items, which no node has as a child.
#[derive(Debug)]
pub(crate) struct Meta {
    pub nodes: Vec<Node>,
    pub n_areas: usize,
    /// Every indicator of each area (variable ones included), in instrument order: the order of a
    /// [`crate::SubmissionScore`].
    pub area_indicators: Vec<Vec<usize>>,
    /// Index of the variable part's node, when the instrument has variable indicators.
    pub variable: Option<usize>,
    pub item_codes: Vec<String>,
    pub item_weight: Vec<f64>,
    /// Index into `Instrument::scales` of each item's scale.
    pub item_scale: Vec<usize>,
    pub item_critical: Vec<bool>,
    /// Whether each item takes part in scores (unscored items are stored and counted, not scored).
    pub item_scored: Vec<bool>,
    pub level_from: Vec<f64>,
    pub level_codes: Vec<String>,
    pub deficit_threshold: f64,
    pub min_coverage: f64,
}

impl Meta {
    pub fn new(instrument: &Instrument) -> Meta {
        let bands = instrument.levels().bands();
        let mut meta = Meta {
            nodes: vec![Node {
                kind: NodeKind::Total,
                code: instrument.code().to_string(),
                weight: 1.0,
                n_items: 0, // summed below
                children: (1..=instrument.areas().len()).collect(),
            }],
            n_areas: instrument.areas().len(),
            area_indicators: Vec::new(),
            variable: None,
            item_codes: Vec::new(),
            item_weight: Vec::new(),
            item_scale: Vec::new(),
            item_critical: Vec::new(),
            item_scored: Vec::new(),
            level_from: bands.iter().map(|b| b.from()).collect(),
            level_codes: bands.iter().map(|b| b.code().to_string()).collect(),
            deficit_threshold: instrument.deficit_threshold().get(),
            min_coverage: instrument.min_coverage().get(),
        };
        let mut indicators = Vec::new();
        let mut variable = Node {
            kind: NodeKind::Variable,
            code: NodeKind::Variable.as_str().to_owned(),
            weight: 1.0,
            n_items: 0,
            children: Vec::new(),
        };
        let mut next_indicator = 1 + meta.n_areas;
        for area in instrument.areas() {
            let mut children = Vec::new();
            let mut members = Vec::new();
            let mut area_items = 0;
            for indicator in area.indicators() {
                let index = next_indicator;
                next_indicator += 1;
                members.push(index);
                let mut items = Vec::new();
                for item in indicator.items() {
                    let scale = instrument
                        .scales()
                        .iter()
                        .position(|s| s.code() == instrument.scale_of(item).code())
                        .unwrap_or(0);
                    if item.is_scored() {
                        items.push(meta.item_codes.len());
                    }
                    meta.item_codes.push(item.code().to_string());
                    meta.item_weight.push(item.weight().get());
                    meta.item_scale.push(scale);
                    meta.item_critical.push(item.is_critical());
                    meta.item_scored.push(item.is_scored());
                }
                let n_items = items.len() as u32;
                if indicator.kind() == IndicatorKind::Variable {
                    variable.children.push(index);
                    variable.n_items += n_items;
                } else {
                    children.push(index);
                    area_items += n_items;
                }
                indicators.push(Node {
                    kind: NodeKind::Indicator,
                    code: indicator.code().to_string(),
                    weight: indicator.weight().get(),
                    n_items,
                    children: items,
                });
            }
            meta.nodes[0].n_items += area_items;
            meta.area_indicators.push(members);
            meta.nodes.push(Node {
                kind: NodeKind::Area,
                code: area.code().to_string(),
                weight: area.weight().get(),
                n_items: area_items,
                children,
            });
        }
        meta.nodes.extend(indicators);
        if !variable.children.is_empty() {
            meta.variable = Some(meta.nodes.len());
            meta.nodes.push(variable);
        }
        meta
    }

    /// Node indices in the order of a [`crate::SubmissionScore`]: the total, then each area
    /// followed by all its indicators, then the variable part.
    pub fn submission_order(&self) -> Vec<usize> {
        let mut order = vec![0];
        for area in 1..=self.n_areas {
            order.push(area);
            order.extend(&self.area_indicators[area - 1]);
        }
        order.extend(self.variable);
        order
    }

    /// Whether node `n` is a variable indicator or the variable part.
    pub fn is_variable(&self, n: usize) -> bool {
        self.variable
            .is_some_and(|v| n == v || self.nodes[v].children.contains(&n))
    }

    /// Indices of the indicator nodes.
    pub fn indicators(&self) -> std::ops::Range<usize> {
        1 + self.n_areas..self.variable.unwrap_or(self.nodes.len())
    }

    pub fn n_items(&self) -> usize {
        self.item_codes.len()
    }

    /// Item code → item index, for joining on the text of an item column.
    pub fn item_frame(&self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new(crate::columns::ITEM.into(), &self.item_codes),
            Column::new(
                crate::columns::ITEM_IDX.into(),
                (0..self.item_codes.len() as u32).collect::<Vec<_>>(),
            ),
        ])
    }
}

/// `numerator / divisor`, correctly rounded like Rust's `/`. Polars divides a column by a scalar as
/// a multiplication by the scalar's reciprocal (`x * (1 / 3)` ≠ `x / 3` in the last bit), so the
/// divisor is made a column of its own first.
pub(crate) fn div(numerator: Expr, divisor: f64) -> Expr {
    let column = numerator.clone() * lit(0.0) + lit(divisor);
    numerator / column
}

/// `x` clamped to `[0, 1]` exactly like `f64::clamp`.
fn clamp01(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0)))
        .then(lit(0.0))
        .when(x.clone().gt(lit(1.0)))
        .then(lit(1.0))
        .otherwise(x)
}

/// Whether `num` is a valid value of the scale (N/A is handled separately).
pub(crate) fn value_ok(scale: &Scale, num: Expr) -> Expr {
    match scale.kind() {
        ScaleKind::Options(options) => options
            .iter()
            .map(|o| num.clone().eq(lit(o.value())))
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(false)),
        ScaleKind::Numeric { min, max, rule, .. } => {
            let min = match rule {
                NumericRule::Bands(bands) => Some(min.unwrap_or(bands[0].from())),
                NumericRule::Target { .. } => *min,
            };
            let mut ok = lit(true);
            if let Some(min) = min {
                ok = ok.and(num.clone().gt_eq(lit(min)));
            }
            if let Some(max) = max {
                ok = ok.and(num.clone().lt_eq(lit(*max)));
            }
            ok
        }
    }
}

/// The item score in `[0, 1]` of a valid, answered `num`: the same floating-point operations in the
/// same order as [`crate::item_score`], so the batch and `score_submission` agree bit for bit.
pub(crate) fn score_expr(scale: &Scale, num: Expr) -> Expr {
    let raw = match scale.kind() {
        ScaleKind::Options(options) => {
            let lo = options[0].value();
            let hi = options[options.len() - 1].value();
            div(num - lit(lo), hi - lo)
        }
        ScaleKind::Numeric { rule, .. } => match rule {
            NumericRule::Target {
                target,
                direction: Direction::MoreIsBetter,
            } => div(num, *target),
            NumericRule::Target {
                target,
                direction: Direction::LessIsBetter,
            } => when(num.clone().lt_eq(lit(0.0)))
                .then(lit(1.0))
                .otherwise(lit(*target) / num),
            NumericRule::Bands(bands) => {
                let (lo, hi) = points_range(bands.iter().map(|b| b.points()));
                let points = bands.iter().fold(lit(bands[0].points()), |acc, band| {
                    when(num.clone().gt_eq(lit(band.from())))
                        .then(lit(band.points()))
                        .otherwise(acc)
                });
                div(points - lit(lo), hi - lo)
            }
        },
    };
    clamp01(raw)
}

/// Whether `num` is the scale's lowest option (what trips a critical item).
pub(crate) fn lowest_expr(scale: &Scale, num: Expr) -> Expr {
    match scale.options() {
        Some(options) => num.eq(lit(options[0].value())),
        None => lit(false),
    }
}

/// Whether `num` is one of the options of the lower part of the scale
/// ([`crate::report::low_options`]; numeric scales: never).
pub(crate) fn low_expr(scale: &Scale, num: Expr) -> Expr {
    let low = crate::report::low_options(scale);
    match scale.options() {
        Some(options) => options[..low]
            .iter()
            .map(|option| num.clone().eq(lit(option.value())))
            .reduce(Expr::or)
            .unwrap_or_else(|| lit(false)),
        None => lit(false),
    }
}

/// `x` rounded to 6 decimals, exactly like [`vsoko_checklist::round6`].
pub(crate) fn round6(x: Expr) -> Expr {
    x.round(6, RoundMode::HalfAwayFromZero)
}

/// Level index of a percent (bands compared at 6 decimals).
pub(crate) fn level_expr(percent: Expr, meta: &Meta) -> Expr {
    let rounded = round6(percent);
    meta.level_from
        .iter()
        .enumerate()
        .skip(1)
        .fold(lit(0u32), |acc, (i, from)| {
            when(rounded.clone().gt_eq(lit(*from)))
                .then(lit(i as u32))
                .otherwise(acc)
        })
}

/// Collects several plans at once (shared subplans such as the CSV scan run once) with `engine`:
/// the streaming engine for the rows of a batch (faster on millions of rows, bounded memory), the
/// in-memory engine for the small frames of scored submissions.
///
/// Polars optimises plans recursively; unoptimised (debug) builds need far more stack than the 2 MiB
/// of a test thread, so the collection runs on a thread with a large stack (only reserved, not
/// committed).
pub(crate) fn collect_all(plans: Vec<LazyFrame>, engine: Engine) -> PolarsResult<Vec<DataFrame>> {
    const STACK: usize = 256 << 20;
    let opt = plans[0].get_current_optimizations();
    let plans: Vec<DslPlan> = plans.into_iter().map(|lf| lf.logical_plan).collect();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("vsoko-polars".into())
            .stack_size(STACK)
            .spawn_scoped(scope, move || {
                LazyFrame::collect_all_with_engine(plans, engine, opt)
            })
            .map_err(|e| polars_err!(ComputeError: "cannot start a thread: {e}"))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
