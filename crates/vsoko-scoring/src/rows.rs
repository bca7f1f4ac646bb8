//! Stage 1 of the batch: the answer rows of a CSV file → one wide row per latest submission.
//!
//! The file is scanned once. Rows are classified (every error has a code), then **one** group-by on
//! the submission number turns them into the wide submission table: a column per item holding its
//! value, plus the submission's keys. Node scores are column arithmetic on that table
//! (`crate::wide`), so the millions of answer rows are grouped exactly once, on one integer key,
//! with plain `max`/`sum` aggregations.
//!
//! A submission is identified by its four keys — period, kindergarten, respondent and id — and rows
//! are grouped on exactly those (on this reader a four-column text key is cheaper than an id alone
//! plus the check that the id has one period, kindergarten and respondent). The group-by is the
//! only consumer of the rows: counts of invalid rows, the periods and the repeated-item check are
//! read from the small submission table, and the invalid rows themselves are fetched by the
//! caller only when there are some.
//!
//! Two shortcuts make that cheap, each with an exact fallback chosen by the caller:
//! * [`Read::Typed`] reads the value and revision as numbers (keys stay text: on this reader a
//!   categorical column costs more than it saves). A file whose values or revisions are not all
//!   numbers fails that read; it is then read as text ([`Read::Text`]), which classifies those
//!   rows as errors.
//! * [`Repeats::Unmarked`] groups rows without looking for an item answered twice in one
//!   submission; the plan counts, per submission, valid rows and items seen, and when they differ
//!   the batch is scored again with [`Repeats::Marked`], which marks those rows as errors.

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;
use vsoko_checklist::{Counting, Instrument, ScaleKind};

use crate::columns::wide;
use crate::columns::*;
use crate::error::{Processing, RowError, ScoringError};
use crate::pipeline::{Meta, err, value_ok};

/// How the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Value and revision as numbers, everything else as text.
    Typed,
    /// Every column as text (any file the CSV parser can split).
    Text,
}

/// Whether rows repeating an item of their submission are marked before grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeats {
    /// Not marked (checked by [`checks`]).
    Unmarked,
    /// Marked `DUPLICATE`, every row of a repeated item.
    Marked,
}

/// The optional columns a file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// A `revision` column.
    pub has_revision: bool,
    /// A `subject` column.
    pub has_subject: bool,
}

/// The keys of a submission: period, kindergarten, respondent, id, and the subject when the file
/// names one (otherwise the subject is the respondent, added after the group-by).
fn key_names(layout: Layout) -> Vec<&'static str> {
    let mut keys = vec![PERIOD, KINDERGARTEN, RESPONDENT, SUBMISSION];
    if layout.has_subject {
        keys.push(SUBJECT);
    }
    keys
}

fn keys(layout: Layout) -> Vec<Expr> {
    key_names(layout).into_iter().map(col).collect()
}

/// The header columns an answers file must have.
pub const REQUIRED_COLUMNS: [&str; 7] = [
    SUBMISSION,
    KINDERGARTEN,
    RESPONDENT,
    PERIOD,
    INSTRUMENT,
    ITEM,
    VALUE,
];

fn reader(path: &str) -> LazyCsvReader {
    LazyCsvReader::new(PlRefPath::new(path))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_row_index(Some(RowIndex {
            name: ROW.into(),
            offset: 0,
        }))
}

/// Scans the file: every column as text, or with the typed schema. Returns the frame and which
/// optional columns the file has.
pub(crate) fn scan(path: &Path, read: Read) -> Result<(LazyFrame, Layout), ScoringError> {
    let text = path.to_string_lossy().into_owned();
    if !path.is_file() {
        return Err(ScoringError::Io {
            path: text,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
        });
    }
    let schema = reader(&text)
        .finish()
        .processing()?
        .collect_schema()
        .processing()?;
    let missing: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .copied()
        .filter(|c| schema.get(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ScoringError::InvalidRows {
            errors: vec![RowError {
                line: 1,
                code: "missing_column",
                message: format!(
                    "в заголовке нет столбцов {} / the header lacks columns {}; expected {}",
                    missing.join(", "),
                    missing.join(", "),
                    REQUIRED_COLUMNS.join(",")
                ),
            }],
        });
    }
    let has_revision = schema.get(REVISION).is_some();
    let layout = Layout {
        has_revision,
        has_subject: schema.get(SUBJECT).is_some(),
    };
    let lf = match read {
        Read::Text => reader(&text).finish().processing()?,
        Read::Typed => {
            let mut typed = Schema::default();
            typed.with_column(VALUE.into(), DataType::Float64);
            if has_revision {
                typed.with_column(REVISION.into(), DataType::Int64);
            }
            reader(&text)
                .with_dtype_overwrite(Some(Arc::new(typed)))
                .finish()
                .processing()?
        }
    };
    Ok((lf, layout))
}

/// Brings a scan to the columns classification reads: `ROW`, the key columns, `INSTRUMENT`,
/// `ITEM_MISSING`, `ITEM_IDX` (null for an unknown item), `NUM`, `IS_NA`, `REV`, `REV_BAD`.
pub(crate) fn normalize(
    lf: LazyFrame,
    meta: &Meta,
    read: Read,
    layout: Layout,
) -> PolarsResult<LazyFrame> {
    let has_revision = layout.has_revision;
    let mut columns = [
        ROW,
        SUBMISSION,
        KINDERGARTEN,
        RESPONDENT,
        PERIOD,
        INSTRUMENT,
    ]
    .map(col)
    .to_vec();
    if layout.has_subject {
        columns.push(col(SUBJECT));
    }
    columns.extend([col(ITEM).is_null().alias(ITEM_MISSING), col(ITEM_IDX)]);
    match read {
        Read::Typed => {
            columns.extend([col(VALUE).alias(NUM), col(VALUE).is_null().alias(IS_NA)]);
            columns.extend(if has_revision {
                [col(REVISION).alias(REV), lit(false).alias(REV_BAD)]
            } else {
                [lit(0i64).alias(REV), lit(false).alias(REV_BAD)]
            });
        }
        Read::Text => {
            let value = when(col(VALUE).eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(col(VALUE));
            columns.extend([
                value.clone().cast(DataType::Float64).alias(NUM),
                value.is_null().alias(IS_NA),
            ]);
            columns.extend(if has_revision {
                let rev = col(REVISION).cast(DataType::Int64);
                [
                    rev.clone().alias(REV),
                    col(REVISION)
                        .is_not_null()
                        .and(rev.is_null())
                        .alias(REV_BAD),
                ]
            } else {
                [lit(0i64).alias(REV), lit(false).alias(REV_BAD)]
            });
        }
    }
    Ok(lf
        .join(
            meta.item_frame()?.lazy(),
            [col(ITEM)],
            [col(ITEM)],
            JoinArgs::new(JoinType::Left),
        )
        .select(columns))
}

/// Nested when/then over the row's scale index (`SCALE`), or the one scale's expression.
fn by_scale(
    instrument: &Instrument,
    per_scale: impl Fn(&vsoko_checklist::Scale) -> Expr,
    default: Expr,
) -> Expr {
    let scales = instrument.scales();
    if let [only] = scales {
        return per_scale(only);
    }
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

/// Adds `ERROR` (0 = valid) to normalized rows.
pub(crate) fn classify(
    rows: LazyFrame,
    instrument: &Instrument,
    meta: &Meta,
    layout: Layout,
) -> PolarsResult<LazyFrame> {
    let rows = if instrument.scales().len() > 1 {
        let scales = DataFrame::new_infer_height(vec![
            Column::new(
                ITEM_IDX.into(),
                (0..meta.n_items() as u32).collect::<Vec<_>>(),
            ),
            Column::new(
                SCALE.into(),
                meta.item_scale
                    .iter()
                    .map(|&s| s as u32)
                    .collect::<Vec<_>>(),
            ),
        ])?;
        rows.join(
            scales.lazy(),
            [col(ITEM_IDX)],
            [col(ITEM_IDX)],
            JoinArgs::new(JoinType::Left),
        )
    } else {
        rows
    };
    let na_ok = by_scale(instrument, |s| lit(s.allows_na()), lit(false));
    let instrument_ok = col(INSTRUMENT)
        .eq(lit(instrument.code().to_string()))
        .or(col(INSTRUMENT).eq(lit(instrument.id().to_string())));
    let mut required = vec![SUBMISSION, KINDERGARTEN, RESPONDENT, PERIOD, INSTRUMENT];
    if layout.has_subject {
        required.push(SUBJECT);
    }
    let missing = required
        .into_iter()
        .fold(col(ITEM_MISSING), |acc, key| acc.or(col(key).is_null()));
    let is_na = col(IS_NA);
    let bad_number = is_na
        .clone()
        .not()
        .and(col(NUM).is_null().or(col(NUM).is_finite().not()));
    let off_scale_code = by_scale(
        instrument,
        |s| match s.kind() {
            ScaleKind::Options(_) => lit(err::NOT_ON_SCALE),
            ScaleKind::Numeric { .. } => lit(err::OUT_OF_RANGE),
        },
        lit(err::OUT_OF_RANGE),
    );
    let error = when(missing)
        .then(lit(err::MISSING_FIELD))
        .when(instrument_ok.not())
        .then(lit(err::OTHER_INSTRUMENT))
        .when(col(ITEM_IDX).is_null())
        .then(lit(err::UNKNOWN_ITEM))
        .when(col(REV_BAD))
        .then(lit(err::BAD_REVISION))
        .when(bad_number)
        .then(lit(err::BAD_NUMBER))
        .when(is_na.clone().and(na_ok.not()))
        .then(lit(err::NA_NOT_ALLOWED))
        .when(
            is_na
                .not()
                .and(by_scale(instrument, |s| value_ok(s, col(NUM)), lit(true)).not()),
        )
        .then(off_scale_code)
        .otherwise(lit(err::OK));
    Ok(rows.with_column(error.alias(ERROR)))
}

/// With [`Repeats::Marked`], marks an item answered twice in one submission `DUPLICATE` on each
/// of its valid rows.
pub(crate) fn mark_repeats(
    rows: LazyFrame,
    repeats: Repeats,
    layout: Layout,
) -> PolarsResult<LazyFrame> {
    if repeats == Repeats::Unmarked {
        return Ok(rows);
    }
    let mut group = keys(layout);
    group.push(col(ITEM_IDX));
    Ok(rows.with_column(
        when(
            col(ERROR)
                .eq(lit(err::OK))
                .and(len().over(group)?.gt(lit(1u32))),
        )
        .then(lit(err::DUPLICATE))
        .otherwise(col(ERROR))
        .alias(ERROR),
    ))
}

/// Rows → the submission table: one row per submission (a submission whose rows are all invalid
/// is still a submission), with its keys, highest revision, first line, number of valid and of
/// invalid rows, items seen and, per item, `wide::value(i)`. Rows lacking a key form groups with a
/// null key: they count their invalid rows and are dropped by [`submissions`].
pub(crate) fn pivot(rows: LazyFrame, meta: &Meta, layout: Layout) -> LazyFrame {
    const ITEM_OK: &str = "__item_ok";
    const VALUE_OR_NA: &str = "__value_or_na";
    let mut prepared = keys(layout);
    prepared.extend([
        col(REV),
        col(ROW),
        col(ERROR)
            .eq(lit(err::OK))
            .cast(DataType::UInt32)
            .alias(VALID_ROWS),
        col(ERROR)
            .neq(lit(err::OK))
            .cast(DataType::UInt32)
            .alias(INVALID_ROWS),
    ]);
    // One column per item: its value on its own valid rows, null elsewhere.
    prepared.extend((0..meta.n_items()).map(|i| {
        when(col(ITEM_OK).eq(lit(i as u32)))
            .then(col(VALUE_OR_NA))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias(wide::value(i))
    }));
    let mut aggs = vec![
        col(REV).max(),
        col(ROW).min().alias(ROW_MIN),
        col(VALID_ROWS).sum(),
        col(INVALID_ROWS).sum(),
    ];
    aggs.extend((0..meta.n_items()).map(|i| col(wide::value(i)).max()));
    let seen = (0..meta.n_items())
        .map(|i| col(wide::value(i)).is_not_null().cast(DataType::UInt32))
        .fold(lit(0u32), |acc, x| acc + x);
    rows.with_columns([
        when(col(ERROR).eq(lit(err::OK)))
            .then(col(ITEM_IDX))
            .otherwise(lit(u32::MAX))
            .alias(ITEM_OK),
        col(NUM)
            .fill_null(lit(f64::NEG_INFINITY))
            .alias(VALUE_OR_NA),
    ])
    .select(prepared)
    .group_by(keys(layout))
    .agg(aggs)
    .with_columns(if layout.has_subject {
        vec![seen.alias(ITEMS_SEEN)]
    } else {
        vec![seen.alias(ITEMS_SEEN), col(RESPONDENT).alias(SUBJECT)]
    })
}

/// Whether a row of the submission table has every key (groups of rows lacking one do not).
fn complete() -> Expr {
    [PERIOD, KINDERGARTEN, RESPONDENT, SUBMISSION, SUBJECT]
        .iter()
        .fold(lit(true), |acc, key| acc.and(col(*key).is_not_null()))
}

/// The submissions of the submission table: groups with every key.
pub(crate) fn submissions(subs: LazyFrame) -> LazyFrame {
    subs.filter(complete())
}

/// One row summing up the submission table: `INVALID_ROWS` (rows with an error, those without a
/// key included), `REPEATED` (some item has two valid rows in one submission: each valid row is one
/// item's, so the submission has more valid rows than items seen), and the smallest and largest
/// period (`PERIOD`, `PERIOD_MAX`) of the submissions.
pub(crate) fn summary(subs: LazyFrame) -> LazyFrame {
    let period = || {
        when(complete())
            .then(col(PERIOD))
            .otherwise(lit(NULL).cast(DataType::String))
    };
    subs.select([
        col(INVALID_ROWS).sum(),
        col(VALID_ROWS)
            .gt(col(ITEMS_SEEN))
            .any(false)
            .alias(REPEATED),
        period().min().alias(PERIOD),
        period().max().alias(PERIOD_MAX),
    ])
}

/// The submissions that count (`vsoko_checklist::Counting`): of those sharing a counting key
/// only the latest — highest `REV`, then the highest submission id compared as an integer (ids
/// that are not integers rank below those that are), then as text. The key is (period,
/// kindergarten, subject, respondent) for one answer per respondent, (period, kindergarten,
/// subject) for one per subject, and the submission itself (its latest revision) for
/// observations. Returns those rows of the submission table, in file order (by `ROW_MIN`, which
/// is unique per submission).
pub(crate) fn latest(subs: LazyFrame, counting: Counting) -> LazyFrame {
    let order = [
        col(REV),
        col(SUBMISSION).cast(DataType::Int64),
        col(SUBMISSION),
    ];
    let key: Vec<Expr> = match counting {
        Counting::OnePerRespondent => vec![
            col(PERIOD),
            col(KINDERGARTEN),
            col(SUBJECT),
            col(RESPONDENT),
        ],
        Counting::OnePerSubject => vec![col(PERIOD), col(KINDERGARTEN), col(SUBJECT)],
        Counting::Observations => vec![col(PERIOD), col(KINDERGARTEN), col(SUBMISSION)],
    };
    // Sorted once on a narrow table, then the last of each group (order-aware in both engines).
    let mut narrow = key.clone();
    for extra in [REV, SUBMISSION, ROW_MIN] {
        if !matches!(counting, Counting::Observations) || extra != SUBMISSION {
            narrow.push(col(extra));
        }
    }
    let winners = subs
        .clone()
        .select(narrow)
        .sort_by_exprs(order, SortMultipleOptions::default())
        .group_by(key)
        .agg([col(ROW_MIN).last()])
        .select([col(ROW_MIN)]);
    subs.join(
        winners,
        [col(ROW_MIN)],
        [col(ROW_MIN)],
        JoinArgs::new(JoinType::Inner),
    )
    .sort([ROW_MIN], SortMultipleOptions::default())
}
