//! The polars pipeline steps: pure `LazyFrame → LazyFrame` functions and expression builders.
//! Nothing here collects; the public entry points in `batch` and `report` collect once.

use polars::prelude::*;
use vsoko_checklist::{Direction, Instrument, NumericRule, Scale, ScaleKind};

use crate::columns::*;
use crate::score::points_range;

/// Node kinds as stored in the `KIND` column.
pub(crate) const KIND_TOTAL: u32 = 0;
pub(crate) const KIND_AREA: u32 = 1;
pub(crate) const KIND_INDICATOR: u32 = 2;

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

/// The instrument flattened into index tables.
#[derive(Debug)]
pub(crate) struct Meta {
    pub area_codes: Vec<String>,
    pub area_weights: Vec<f64>,
    pub area_items: Vec<u32>,
    pub ind_codes: Vec<String>,
    pub ind_weights: Vec<f64>,
    pub ind_area: Vec<u32>,
    pub ind_items: Vec<u32>,
    pub item_codes: Vec<String>,
    pub item_ind: Vec<u32>,
    pub item_area: Vec<u32>,
    pub item_weight: Vec<f64>,
    pub item_scale: Vec<u32>,
    pub item_critical: Vec<bool>,
    pub level_from: Vec<f64>,
    pub level_codes: Vec<String>,
    /// The code of the total node: the instrument's code.
    pub total_code: String,
    pub deficit_threshold: f64,
    pub min_coverage: f64,
    pub n_items: u32,
}

impl Meta {
    pub fn new(instrument: &Instrument) -> Meta {
        let mut meta = Meta {
            total_code: instrument.code().to_string(),
            area_codes: Vec::new(),
            area_weights: Vec::new(),
            area_items: Vec::new(),
            ind_codes: Vec::new(),
            ind_weights: Vec::new(),
            ind_area: Vec::new(),
            ind_items: Vec::new(),
            item_codes: Vec::new(),
            item_ind: Vec::new(),
            item_area: Vec::new(),
            item_weight: Vec::new(),
            item_scale: Vec::new(),
            item_critical: Vec::new(),
            level_from: instrument
                .levels()
                .bands()
                .iter()
                .map(|b| b.from())
                .collect(),
            level_codes: instrument
                .levels()
                .bands()
                .iter()
                .map(|b| b.code().to_string())
                .collect(),
            deficit_threshold: instrument.deficit_threshold().get(),
            min_coverage: instrument.min_coverage().get(),
            n_items: instrument.item_count() as u32,
        };
        for (a, area) in instrument.areas().iter().enumerate() {
            let mut area_items = 0;
            for indicator in area.indicators() {
                let ind = meta.ind_codes.len() as u32;
                meta.ind_codes.push(indicator.code().to_string());
                meta.ind_weights.push(indicator.weight().get());
                meta.ind_area.push(a as u32);
                meta.ind_items.push(indicator.items().len() as u32);
                area_items += indicator.items().len() as u32;
                for item in indicator.items() {
                    let scale = instrument
                        .scales()
                        .iter()
                        .position(|s| s.code() == instrument.scale_of(item).code())
                        .unwrap_or(0);
                    meta.item_codes.push(item.code().to_string());
                    meta.item_ind.push(ind);
                    meta.item_area.push(a as u32);
                    meta.item_weight.push(item.weight().get());
                    meta.item_scale.push(scale as u32);
                    meta.item_critical.push(item.is_critical());
                }
            }
            meta.area_codes.push(area.code().to_string());
            meta.area_weights.push(area.weight().get());
            meta.area_items.push(area_items);
        }
        meta
    }

    /// item code → indices, weight, scale, critical flag.
    pub fn item_frame(&self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new(ITEM.into(), &self.item_codes),
            Column::new(
                ITEM_IDX.into(),
                (0..self.item_codes.len() as u32).collect::<Vec<_>>(),
            ),
            Column::new(IND.into(), &self.item_ind),
            Column::new(AREA.into(), &self.item_area),
            Column::new(WEIGHT.into(), &self.item_weight),
            Column::new(SCALE.into(), &self.item_scale),
            Column::new(CRITICAL_ITEM.into(), &self.item_critical),
        ])
    }

    fn node_frame(key: &str, items: &[u32], weights: &[f64]) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new(key.into(), (0..items.len() as u32).collect::<Vec<_>>()),
            Column::new(N_ITEMS.into(), items),
            Column::new(NODE_WEIGHT.into(), weights),
        ])
    }

    pub fn ind_frame(&self) -> PolarsResult<DataFrame> {
        let mut df = Meta::node_frame(IND, &self.ind_items, &self.ind_weights)?;
        df.with_column(Column::new(AREA.into(), &self.ind_area))?;
        Ok(df)
    }

    pub fn area_frame(&self) -> PolarsResult<DataFrame> {
        Meta::node_frame(AREA, &self.area_items, &self.area_weights)
    }

    /// Number of nodes: the total, the areas and the indicators.
    pub fn n_nodes(&self) -> u32 {
        (1 + self.area_codes.len() + self.ind_codes.len()) as u32
    }

    /// The node index (`NI`) of a node: 0 for the total, then areas, then indicators.
    pub fn node_index(&self, kind: u32, node: u32) -> u32 {
        match kind {
            KIND_TOTAL => 0,
            KIND_AREA => 1 + node,
            _ => 1 + self.area_codes.len() as u32 + node,
        }
    }

    /// Node index → `KIND`, `NODE`, and the node's kind name (`kind`: total, area, indicator) and
    /// `code`, for joining onto small result frames.
    pub fn node_table(&self) -> PolarsResult<DataFrame> {
        let (n_area, n_ind) = (self.area_codes.len(), self.ind_codes.len());
        let mut kinds = vec![KIND_TOTAL];
        kinds.extend(std::iter::repeat_n(KIND_AREA, n_area));
        kinds.extend(std::iter::repeat_n(KIND_INDICATOR, n_ind));
        let mut nodes = vec![0u32];
        nodes.extend(0..n_area as u32);
        nodes.extend(0..n_ind as u32);
        let mut names = vec!["total"];
        names.extend(std::iter::repeat_n("area", n_area));
        names.extend(std::iter::repeat_n("indicator", n_ind));
        let codes: Vec<&str> = std::iter::once(&self.total_code)
            .chain(&self.area_codes)
            .chain(&self.ind_codes)
            .map(String::as_str)
            .collect();
        DataFrame::new_infer_height(vec![
            Column::new(NI.into(), (0..self.n_nodes()).collect::<Vec<_>>()),
            Column::new(KIND.into(), kinds),
            Column::new(NODE.into(), nodes),
            Column::new("kind".into(), names),
            Column::new("code".into(), codes),
        ])
    }
}

/// `major * n + minor` as one `u64` group key: grouping on one integer column is several times
/// faster in polars than grouping on two columns (which are row-encoded first).
pub(crate) fn pair_key(major: &str, n: u32, minor: &str) -> Expr {
    (col(major).cast(DataType::UInt64) * lit(n as u64) + col(minor).cast(DataType::UInt64))
        .alias(KEY)
}

/// Splits a [`pair_key`] back into its two `u32` columns.
pub(crate) fn split_key(major: &str, n: u32, minor: &str) -> [Expr; 2] {
    [
        (col(KEY) / lit(n as u64))
            .cast(DataType::UInt32)
            .alias(major),
        (col(KEY) % lit(n as u64))
            .cast(DataType::UInt32)
            .alias(minor),
    ]
}

/// Nested when/then over the scale index: `per_scale(s)` is the expression for scale `s`.
fn by_scale(scales: &[Scale], per_scale: impl Fn(&Scale) -> Expr, default: Expr) -> Expr {
    scales
        .iter()
        .enumerate()
        .rev()
        .fold(default, |acc, (s, scale)| {
            when(col(SCALE).eq(lit(s as u32)))
                .then(per_scale(scale))
                .otherwise(acc)
        })
}

/// `x` clamped to `[0, 1]` exactly like `f64::clamp`.
fn clamp01(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0)))
        .then(lit(0.0))
        .when(x.clone().gt(lit(1.0)))
        .then(lit(1.0))
        .otherwise(x)
}

/// Whether `NUM` is a valid value of the scale (N/A is handled separately).
fn value_ok(scale: &Scale) -> Expr {
    let num = col(NUM);
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

/// The item score in `[0, 1]` of `NUM`, the same arithmetic as [`crate::item_score`].
fn score_expr(scale: &Scale) -> Expr {
    let num = col(NUM);
    let raw = match scale.kind() {
        ScaleKind::Options(options) => {
            let lo = options[0].value();
            let hi = options[options.len() - 1].value();
            (num - lit(lo)) / lit(hi - lo)
        }
        ScaleKind::Numeric { rule, .. } => match rule {
            NumericRule::Target {
                target,
                direction: Direction::MoreIsBetter,
            } => num / lit(*target),
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
                (points - lit(lo)) / lit(hi - lo)
            }
        },
    };
    clamp01(raw)
}

fn lowest_expr(scale: &Scale) -> Expr {
    match scale.options() {
        Some(options) => col(NUM).eq(lit(options[0].value())),
        None => lit(false),
    }
}

fn low2_expr(scale: &Scale) -> Expr {
    match scale.options() {
        Some(options) => col(NUM)
            .eq(lit(options[0].value()))
            .or(col(NUM).eq(lit(options[1].value()))),
        None => lit(false),
    }
}

/// Parses values, joins the item table and classifies every row (`ERROR` = 0 when valid), then adds
/// the item score (`SCORE`, null for N/A), the critical hit and the "two lowest options" flag.
///
/// Expects string columns of the input file plus `ROW` and, when `has_revision`, `REVISION`.
pub(crate) fn classify(
    rows: LazyFrame,
    instrument: &Instrument,
    items: DataFrame,
    has_revision: bool,
) -> PolarsResult<LazyFrame> {
    let scales = instrument.scales();
    let na_ok = by_scale(scales, |s| lit(s.allows_na()), lit(false));
    let instrument_ok = col(INSTRUMENT)
        .eq(lit(instrument.code().to_string()))
        .or(col(INSTRUMENT).eq(lit(instrument.id().to_string())));
    let rev = if has_revision {
        col(REVISION).cast(DataType::Int64)
    } else {
        lit(0i64)
    };
    let rev_bad = if has_revision {
        col(REVISION).is_not_null().and(col(REV).is_null())
    } else {
        lit(false)
    };
    let missing = col(SUBMISSION)
        .is_null()
        .or(col(KINDERGARTEN).is_null())
        .or(col(RESPONDENT).is_null())
        .or(col(PERIOD).is_null())
        .or(col(INSTRUMENT).is_null())
        .or(col(ITEM).is_null());
    let error = when(missing)
        .then(lit(err::MISSING_FIELD))
        .when(instrument_ok.not())
        .then(lit(err::OTHER_INSTRUMENT))
        .when(col(ITEM_IDX).is_null())
        .then(lit(err::UNKNOWN_ITEM))
        .when(rev_bad)
        .then(lit(err::BAD_REVISION))
        .when(
            col(VALUE)
                .is_not_null()
                .and(col(NUM).is_null().or(col(NUM).is_finite().not())),
        )
        .then(lit(err::BAD_NUMBER))
        .when(col(VALUE).is_null().and(na_ok.not()))
        .then(lit(err::NA_NOT_ALLOWED))
        .when(
            col(VALUE)
                .is_not_null()
                .and(by_scale(scales, value_ok, lit(true)).not()),
        )
        .then(by_scale(
            scales,
            |s| match s.kind() {
                ScaleKind::Options(_) => lit(err::NOT_ON_SCALE),
                ScaleKind::Numeric { .. } => lit(err::OUT_OF_RANGE),
            },
            lit(err::OUT_OF_RANGE),
        ))
        .otherwise(lit(err::OK));
    Ok(rows
        .with_column(rev.alias(REV))
        .with_column(
            when(col(VALUE).eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(col(VALUE))
                .alias(VALUE),
        )
        .with_column(col(VALUE).cast(DataType::Float64).alias(NUM))
        .join(
            items.lazy(),
            [col(ITEM)],
            [col(ITEM)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(error.alias(ERROR))
        .with_columns([
            by_scale(scales, score_expr, lit(NULL).cast(DataType::Float64)).alias(SCORE),
            col(CRITICAL_ITEM)
                .and(by_scale(scales, lowest_expr, lit(false)))
                .fill_null(lit(false))
                .alias(CRIT_HIT),
            by_scale(scales, low2_expr, lit(false))
                .fill_null(lit(false))
                .alias(LOW2),
        ]))
}

/// The columns that identify one submission in a batch.
pub(crate) const SUB_KEYS: [&str; 4] = [PERIOD, KINDERGARTEN, RESPONDENT, SUBMISSION];

fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|name| col(*name)).collect()
}

/// Coverage, validity and percent of a node from its sums (`scale` is 100 for indicators, whose
/// sums are over item scores in `[0, 1]`, and 1 for areas and the total).
fn finish(lf: LazyFrame, meta: &Meta, scale: f64) -> LazyFrame {
    let coverage =
        col(ANSWERED).cast(DataType::Float64) * lit(100.0) / col(N_ITEMS).cast(DataType::Float64);
    let percent = if scale == 1.0 {
        col(SWS) / col(SW)
    } else {
        col(SWS) / col(SW) * lit(scale)
    };
    lf.with_column(coverage.alias(COVERAGE))
        .with_column(
            col(ANSWERED)
                .gt(lit(0u32))
                .and(col(SW).gt(lit(0.0)))
                .and(
                    col(COVERAGE)
                        .round(6, RoundMode::HalfAwayFromZero)
                        .gt_eq(lit(meta.min_coverage)),
                )
                .alias(VALID),
        )
        .with_column(
            when(col(VALID))
                .then(percent)
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(PERCENT),
        )
}

/// Number of critical children (`CRITICAL` = this > 0).
const N_CRITICAL: &str = "__n_critical";

/// The per-row terms of a node's sums, computed before grouping: `weight · score` (null when the
/// score is), the weight where `counted`, the answered count and the critical count.
fn child_terms(
    score: Expr,
    weight: Expr,
    counted: Expr,
    answered: Expr,
    critical: Expr,
) -> [Expr; 4] {
    [
        (weight.clone() * score).alias(SWS),
        when(counted).then(weight).otherwise(lit(0.0)).alias(SW),
        answered.cast(DataType::UInt32).alias(ANSWERED),
        critical.cast(DataType::UInt32).alias(N_CRITICAL),
    ]
}

/// The group sums of [`child_terms`]. Every aggregation is a plain `sum`: polars runs those on its
/// fast path, where a `filter` or `any` inside `agg` evaluates group by group, several times slower.
fn child_sums() -> [Expr; 4] {
    [SWS, SW, ANSWERED, N_CRITICAL].map(|name| col(name).sum().alias(name))
}

/// Sums of a parent node over its children's rows (`ANSWERED`, `PERCENT`, `VALID`, `NODE_WEIGHT`,
/// `CRITICAL`).
fn parent_terms() -> [Expr; 4] {
    child_terms(
        col(PERCENT),
        col(NODE_WEIGHT),
        col(VALID),
        col(ANSWERED),
        col(CRITICAL),
    )
}

fn critical_from_count() -> Expr {
    col(N_CRITICAL).gt(lit(0u32)).alias(CRITICAL)
}

/// The columns of the long node frame (`ni`: the node index).
fn node_columns(ni: Expr) -> Vec<Expr> {
    let mut out = vec![col(SUBNO)];
    out.extend([
        ni.cast(DataType::UInt32).alias(NI),
        col(PERCENT),
        col(COVERAGE),
        col(ANSWERED).cast(DataType::UInt32).alias(ANSWERED),
        col(N_ITEMS).cast(DataType::UInt32).alias(N_ITEMS),
        col(CRITICAL),
        col(VALID),
    ]);
    out
}

/// Level index of a percent column (bands compared at 6 decimals).
pub(crate) fn level_expr(percent: Expr, meta: &Meta) -> Expr {
    let rounded = percent.round(6, RoundMode::HalfAwayFromZero);
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

/// Valid item rows (`SUBNO`, `IND`, `WEIGHT`, `SCORE`, `CRIT_HIT`) → the long node frame of every
/// submission: `SUBNO`, `NI`, `PERCENT`, `COVERAGE`, `ANSWERED`, `N_ITEMS`, `CRITICAL`, `VALID`,
/// `LEVEL`, `DEFICIT`.
pub(crate) fn score_nodes(rows: LazyFrame, meta: &Meta) -> PolarsResult<LazyFrame> {
    let n_ind = meta.ind_codes.len() as u32;
    let n_area = meta.area_codes.len() as u32;
    let mut terms = vec![pair_key(SUBNO, n_ind, IND)];
    terms.extend(child_terms(
        col(SCORE),
        col(WEIGHT),
        col(SCORE).is_not_null(),
        col(SCORE).is_not_null(),
        col(CRIT_HIT),
    ));
    let indicators = rows
        .select(terms)
        .group_by([col(KEY)])
        .agg(child_sums())
        .with_columns(split_key(SUBNO, n_ind, IND))
        .with_column(critical_from_count())
        .join(
            meta.ind_frame()?.lazy(),
            [col(IND)],
            [col(IND)],
            JoinArgs::new(JoinType::Inner),
        );
    let indicators = finish(indicators, meta, 100.0).cache();
    let mut terms = vec![pair_key(SUBNO, n_area, AREA)];
    terms.extend(parent_terms());
    let areas = indicators
        .clone()
        .select(terms)
        .group_by([col(KEY)])
        .agg(child_sums())
        .with_columns(split_key(SUBNO, n_area, AREA))
        .with_column(critical_from_count())
        .join(
            meta.area_frame()?.lazy(),
            [col(AREA)],
            [col(AREA)],
            JoinArgs::new(JoinType::Inner),
        );
    let areas = finish(areas, meta, 1.0).cache();
    let mut terms = vec![col(SUBNO)];
    terms.extend(parent_terms());
    let total = areas
        .clone()
        .select(terms)
        .group_by([col(SUBNO)])
        .agg(child_sums())
        .with_column(critical_from_count())
        .with_column(lit(meta.n_items).alias(N_ITEMS));
    let total = finish(total, meta, 1.0);
    let nodes = concat(
        [
            total.select(node_columns(lit(0u32))),
            areas.select(node_columns(col(AREA) + lit(1u32))),
            indicators.select(node_columns(col(IND) + lit(1 + n_area))),
        ],
        UnionArgs::default(),
    )?;
    Ok(with_levels(nodes, meta))
}

/// Adds `LEVEL` (capped at the lowest band when critical; null when not valid) and `DEFICIT`.
pub(crate) fn with_levels(nodes: LazyFrame, meta: &Meta) -> LazyFrame {
    nodes.with_columns([
        when(col(VALID).not())
            .then(lit(NULL).cast(DataType::UInt32))
            .when(col(CRITICAL))
            .then(lit(0u32))
            .otherwise(level_expr(col(PERCENT), meta))
            .alias(LEVEL),
        col(VALID)
            .and(
                col(PERCENT)
                    .round(6, RoundMode::HalfAwayFromZero)
                    .lt(lit(meta.deficit_threshold)),
            )
            .fill_null(lit(false))
            .alias(DEFICIT),
    ])
}

/// Column of the check frame of [`number_by_id`]: some submission id is used with two periods,
/// kindergartens or respondents.
pub(crate) const CONFLICT: &str = "__conflict";
/// Columns of the other check frame: distinct (submission, item) pairs and valid rows.
pub(crate) const PAIRS: &str = "__pairs";
pub(crate) const VALID_ROWS: &str = "__valid_rows";

/// Numbers submissions by their id alone: one string key instead of the four of
/// [`number_submissions`], several times faster. The result equals the exact numbering when every
/// id belongs to one period, kindergarten and respondent and no item is answered twice in one
/// submission — which every well-formed file satisfies, and which the two returned check frames
/// verify: when `CONFLICT` is true or `PAIRS` < `VALID_ROWS`, the caller must score again with
/// [`number_submissions`] (which also marks the duplicate rows).
///
/// Returns the rows with `SUBNO`, the submission table (keys, `REV`, `SUBNO`) and the checks.
pub(crate) fn number_by_id(rows: LazyFrame, meta: &Meta) -> (LazyFrame, LazyFrame, [LazyFrame; 2]) {
    const PERIOD_MAX: &str = "__period_max";
    const KG_MAX: &str = "__kg_max";
    const RESP_MAX: &str = "__resp_max";
    let subs = rows
        .clone()
        .filter(col(ERROR).neq(lit(err::MISSING_FIELD)))
        .group_by([col(SUBMISSION)])
        .agg([
            col(PERIOD).min().alias(PERIOD),
            col(PERIOD).max().alias(PERIOD_MAX),
            col(KINDERGARTEN).min().alias(KINDERGARTEN),
            col(KINDERGARTEN).max().alias(KG_MAX),
            col(RESPONDENT).min().alias(RESPONDENT),
            col(RESPONDENT).max().alias(RESP_MAX),
            col(REV).max().alias(REV),
        ])
        .with_row_index(SUBNO, None)
        .cache();
    let conflict = subs.clone().select([col(PERIOD)
        .neq(col(PERIOD_MAX))
        .or(col(KINDERGARTEN).neq(col(KG_MAX)))
        .or(col(RESPONDENT).neq(col(RESP_MAX)))
        .any(false)
        .alias(CONFLICT)]);
    let rows = rows
        .join(
            subs.clone().select([col(SUBMISSION), col(SUBNO)]),
            [col(SUBMISSION)],
            [col(SUBMISSION)],
            JoinArgs::new(JoinType::Left),
        )
        .cache();
    let pairs = rows.clone().filter(col(ERROR).eq(lit(err::OK))).select([
        pair_key(SUBNO, meta.n_items, ITEM_IDX)
            .n_unique()
            .alias(PAIRS),
        len().alias(VALID_ROWS),
    ]);
    let mut sub_cols = cols(&SUB_KEYS);
    sub_cols.extend([col(REV), col(SUBNO)]);
    (rows, subs.select(sub_cols), [conflict, pairs])
}

/// Numbers the submissions of classified rows: returns the rows with `SUBNO` (null for rows without
/// keys), with repeated items of one submission marked as `DUPLICATE` errors, and the submission
/// table (keys, `REV` = highest revision of its rows, `SUBNO`). Grouping on the four string keys
/// happens once here; everything downstream groups and joins on the `u32` number.
pub(crate) fn number_submissions(rows: LazyFrame) -> PolarsResult<(LazyFrame, LazyFrame)> {
    let keys = cols(&SUB_KEYS);
    let subs = rows
        .clone()
        .filter(col(ERROR).neq(lit(err::MISSING_FIELD)))
        .group_by(keys.clone())
        .agg([col(REV).max().alias(REV)])
        .with_row_index(SUBNO, None)
        .cache();
    let mut sub_cols = keys.clone();
    sub_cols.push(col(SUBNO));
    let rows = rows
        .join(
            subs.clone().select(sub_cols),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(
                col(ERROR)
                    .eq(lit(err::OK))
                    .and(len().over([col(SUBNO), col(ITEM_IDX)])?.gt(lit(1u32))),
            )
            .then(lit(err::DUPLICATE))
            .otherwise(col(ERROR))
            .alias(ERROR),
        );
    Ok((rows, subs))
}

/// The latest submission of every (period, kindergarten, respondent) from the submission table:
/// highest `REV`, then the highest submission id compared as an integer (ids that are not integers
/// rank below those that are), then as text. Returns keys + `SUBNO` of the winners.
pub(crate) fn latest(subs: LazyFrame) -> LazyFrame {
    let order = [
        col(REV),
        col(SUBMISSION).cast(DataType::Int64),
        col(SUBMISSION),
    ];
    // Sorted once, then the last row of each group: a `sort_by` inside `agg` would sort group by
    // group. Groups keep the rows' order.
    subs.sort_by_exprs(order, SortMultipleOptions::default())
        .group_by([col(PERIOD), col(KINDERGARTEN), col(RESPONDENT)])
        .agg([col(SUBMISSION).last(), col(SUBNO).last()])
}

/// Keeps only the rows of the latest submissions and adds their keys.
pub(crate) fn keep_latest(lf: LazyFrame, winners: LazyFrame) -> LazyFrame {
    lf.join(
        winners,
        [col(SUBNO)],
        [col(SUBNO)],
        JoinArgs::new(JoinType::Inner),
    )
}

/// Kindergarten × node statistics over valid node scores (`KGNO`, `NI` keys): mean, n, sample std,
/// median, deficit share.
pub(crate) fn kg_nodes(nodes: LazyFrame, meta: &Meta) -> LazyFrame {
    let n = meta.n_nodes();
    nodes
        .filter(col(VALID))
        .group_by([pair_key(KGNO, n, NI)])
        .agg([
            col(PERCENT).mean().alias(MEAN),
            col(PERCENT).count().alias(N),
            col(PERCENT).std(1).alias(STD),
            col(PERCENT).median().alias(MEDIAN),
            col(DEFICIT)
                .cast(DataType::Float64)
                .mean()
                .alias(DEFICIT_SHARE),
        ])
        .with_columns(split_key(KGNO, n, NI))
}

/// Per kindergarten (`KGNO`): the number of valid totals at each level (columns `L0`, `L1`, …).
pub(crate) fn kg_level_counts(nodes: LazyFrame, meta: &Meta) -> LazyFrame {
    let counts: Vec<Expr> = (0..meta.level_from.len() as u32)
        .map(|k| {
            col(LEVEL)
                .eq(lit(k))
                .cast(DataType::UInt32)
                .sum()
                .alias(format!("L{k}"))
        })
        .collect();
    nodes
        .filter(col(VALID).and(col(NI).eq(lit(0u32))))
        .group_by([col(KGNO)])
        .agg(counts)
}

/// Network × node (`NI`): mean over kindergartens (each once) and pooled mean over submissions.
pub(crate) fn network_nodes(kg_nodes: LazyFrame, nodes: LazyFrame) -> LazyFrame {
    let of_kg = kg_nodes
        .group_by([col(NI)])
        .agg([col(MEAN).mean().alias(MEAN_OF_KG), len().alias(N_KG)]);
    let pooled = nodes.filter(col(VALID)).group_by([col(NI)]).agg([
        col(PERCENT).mean().alias(POOLED),
        col(PERCENT).count().alias(N),
    ]);
    of_kg.join(pooled, [col(NI)], [col(NI)], JoinArgs::new(JoinType::Inner))
}

/// Item statistics per kindergarten (`by_kg`: keys `KGNO`, `ITEM_IDX`) or for the network (key
/// `ITEM_IDX`): mean item score (percent), number of answers, share of answers on the two lowest
/// options.
pub(crate) fn item_stats(rows: LazyFrame, meta: &Meta, by_kg: bool) -> LazyFrame {
    let stats = [
        (col(SCORE).mean() * lit(100.0)).alias(MEAN),
        col(SCORE).count().alias(N),
        col(LOW2).cast(DataType::Float64).mean().alias(LOW_SHARE),
    ];
    let rows = rows.filter(col(SCORE).is_not_null());
    if by_kg {
        let n = meta.n_items;
        rows.group_by([pair_key(KGNO, n, ITEM_IDX)])
            .agg(stats)
            .with_columns(split_key(KGNO, n, ITEM_IDX))
    } else {
        rows.group_by([col(ITEM_IDX)]).agg(stats)
    }
}
