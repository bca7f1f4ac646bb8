//! The batch: a CSV of answers → per-submission scores and every aggregate, in one lazy polars plan
//! collected once.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use vsoko_checklist::Instrument;

use crate::columns::*;
use crate::error::{RowError, ScoringError};
use crate::pipeline::{self, Meta, err};
use crate::report::{self, Report};

/// Options of [`score_csv`].
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Score only rows of this period; without it the file must hold exactly one period.
    pub period: Option<String>,
    /// Drop invalid rows (reported in [`BatchOutput::skipped`]) instead of failing.
    pub skip_invalid: bool,
    /// Also compute the per-submission node scores ([`BatchOutput::submission_nodes`],
    /// `submissions.csv`): one row per node per submission, by far the largest output.
    pub per_submission: bool,
}

/// Everything a batch produces.
#[derive(Debug)]
pub struct BatchOutput {
    /// The period scored.
    pub period: String,
    /// Rows dropped with `skip_invalid`, in line order.
    pub skipped: Vec<RowError>,
    /// Kindergarten and network results, item statistics included.
    pub report: Report,
    /// Per-submission node scores (latest revisions only), ready to write, when asked for.
    submissions: Option<DataFrame>,
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

fn scan(path: &Path) -> Result<(LazyFrame, bool), ScoringError> {
    let text = path.to_string_lossy().into_owned();
    if !path.is_file() {
        return Err(ScoringError::Io {
            path: text,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
        });
    }
    let mut lf = LazyCsvReader::new(PlRefPath::new(text.as_str()))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_row_index(Some(RowIndex {
            name: ROW.into(),
            offset: 0,
        }))
        .finish()?;
    let schema = lf.collect_schema()?;
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
    Ok((lf, has_revision))
}

/// Collects several plans at once (shared subplans such as the CSV scan run once) with `engine`:
/// the streaming engine for a batch (faster on millions of rows and half the memory: its group-bys
/// keep running sums instead of every group's row indices), the in-memory engine for the small
/// frames of stored scores.
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

fn level_frame(meta: &Meta) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new(
            LEVEL.into(),
            (0..meta.level_codes.len() as u32).collect::<Vec<_>>(),
        ),
        Column::new("level".into(), &meta.level_codes),
    ])
}

/// The plans of one batch, collected together.
struct BatchPlans {
    errors: LazyFrame,
    periods: LazyFrame,
    aggregates: report::AggregatePlans,
    items_kg: LazyFrame,
    items_net: LazyFrame,
    /// With the fast numbering: its two check frames (see [`pipeline::number_by_id`]).
    checks: Option<[LazyFrame; 2]>,
    submissions: Option<LazyFrame>,
}

/// Builds the whole batch as lazy plans over one scan of the file. `exact`: number submissions by
/// all four keys (slower; needed only when the fast numbering's checks fail).
fn batch_plans(
    instrument: &Instrument,
    meta: &Meta,
    path: &Path,
    options: &BatchOptions,
    exact: bool,
) -> Result<BatchPlans, ScoringError> {
    let (mut raw, has_revision) = scan(path)?;
    if let Some(period) = &options.period {
        raw = raw.filter(col(PERIOD).eq(lit(period.clone())));
    }
    let classified = pipeline::classify(raw.cache(), instrument, meta.item_frame()?, has_revision)?;
    let (classified, subs, checks) = if exact {
        let (rows, subs) = pipeline::number_submissions(classified)?;
        (rows, subs, None)
    } else {
        let (rows, subs, checks) = pipeline::number_by_id(classified, meta);
        (rows, subs, Some(checks))
    };
    let classified = classified.cache();
    let subs = subs.cache();
    let errors = classified
        .clone()
        .filter(col(ERROR).neq(lit(err::OK)))
        .select([col(ROW), col(ERROR)]);
    let valid = classified
        .filter(col(ERROR).eq(lit(err::OK)))
        .select([SUBNO, IND, AREA, WEIGHT, SCORE, CRIT_HIT, ITEM_IDX, LOW2].map(col))
        .cache();
    let all_nodes = pipeline::score_nodes(valid.clone(), meta)?;
    // The latest submission per respondent, and its kindergarten's number.
    let winners = pipeline::latest(subs.clone());
    let kg_names = winners
        .clone()
        .select([col(KINDERGARTEN)])
        .unique(None, UniqueKeepStrategy::Any)
        .with_row_index(KGNO, None)
        .cache();
    let winners = winners
        .join(
            kg_names.clone(),
            [col(KINDERGARTEN)],
            [col(KINDERGARTEN)],
            JoinArgs::new(JoinType::Inner),
        )
        .cache();
    let sub_kg = winners.clone().select([col(SUBNO), col(KGNO)]);
    let nodes = pipeline::keep_latest(all_nodes, sub_kg.clone()).cache();
    let aggregates = report::plans(nodes.clone(), kg_names.clone(), meta)?;
    let latest_rows = pipeline::keep_latest(valid, sub_kg).cache();
    let items_kg = report::named(
        pipeline::item_stats(latest_rows.clone(), meta, true),
        &kg_names,
    );
    let items_net = pipeline::item_stats(latest_rows, meta, false);
    let periods = subs
        .select([col(PERIOD)])
        .unique(None, UniqueKeepStrategy::Any)
        .sort([PERIOD], SortMultipleOptions::default());
    let submissions = if options.per_submission {
        Some(
            nodes
                .join(
                    winners.select(SUB_COLUMNS.map(col)),
                    [col(SUBNO)],
                    [col(SUBNO)],
                    JoinArgs::new(JoinType::Inner),
                )
                .join(
                    meta.node_table()?
                        .lazy()
                        .select([col(NI), col("kind"), col("code")]),
                    [col(NI)],
                    [col(NI)],
                    JoinArgs::new(JoinType::Left),
                )
                .join(
                    level_frame(meta)?.lazy(),
                    [col(LEVEL)],
                    [col(LEVEL)],
                    JoinArgs::new(JoinType::Left),
                )
                .select([
                    col(PERIOD),
                    col(KINDERGARTEN),
                    col(RESPONDENT),
                    col(SUBMISSION),
                    col("kind"),
                    col("code"),
                    col(PERCENT),
                    col("level"),
                    col(COVERAGE),
                    col(N_ITEMS),
                    col(ANSWERED),
                    col(CRITICAL),
                    col(DEFICIT),
                ]),
        )
    } else {
        None
    };
    Ok(BatchPlans {
        errors,
        periods,
        aggregates,
        items_kg,
        items_net,
        checks,
        submissions,
    })
}

/// The keys and number of a submission.
const SUB_COLUMNS: [&str; 5] = [PERIOD, KINDERGARTEN, RESPONDENT, SUBMISSION, SUBNO];

/// Scores a CSV of answers (header `submission_id,kindergarten,respondent,period,instrument,item,
/// value`, optional `revision`) against one instrument. See the crate docs for the rules.
///
/// Invalid rows fail the whole batch with every bad line listed, unless `skip_invalid`.
///
/// One lazy plan, collected once. Submissions are numbered by id alone; should the file reuse an
/// id for another kindergarten, respondent or period, or answer an item twice in one submission,
/// the plan's checks say so and the batch is scored again with the exact (slower) numbering.
pub fn score_csv(
    instrument: &Instrument,
    path: &Path,
    options: &BatchOptions,
) -> Result<BatchOutput, ScoringError> {
    let meta = Meta::new(instrument);
    let mut exact = false;
    let (frames, submissions) = loop {
        let plans = batch_plans(instrument, &meta, path, options, exact)?;
        let mut all = vec![
            plans.errors,
            plans.periods,
            plans.aggregates.kg_nodes,
            plans.aggregates.kg_levels,
            plans.aggregates.network,
            plans.items_kg,
            plans.items_net,
        ];
        let n_checks = plans.checks.as_ref().map_or(0, |c| c.len());
        all.extend(plans.checks.into_iter().flatten());
        let with_submissions = plans.submissions.is_some();
        all.extend(plans.submissions);
        let mut frames = collect_all(all, Engine::Streaming)?;
        let submissions = if with_submissions { frames.pop() } else { None };
        let checks = frames.split_off(frames.len() - n_checks);
        if !exact && !checks_pass(&checks)? {
            exact = true;
            continue;
        }
        break (frames, submissions);
    };
    let row_errors = if frames[0].height() == 0 {
        Vec::new()
    } else {
        // Only on the error path: fetch the text of the bad rows for the messages. Keeping these
        // strings out of the main plan keeps its memory down.
        let (raw, _) = scan(path)?;
        let details = raw
            .join(
                frames[0].clone().lazy(),
                [col(ROW)],
                [col(ROW)],
                JoinArgs::new(JoinType::Inner),
            )
            .select([col(ROW), col(ERROR), col(ITEM), col(VALUE), col(INSTRUMENT)]);
        row_errors(
            instrument,
            &collect_all(vec![details], Engine::InMemory)?[0],
        )?
    };
    if !row_errors.is_empty() && !options.skip_invalid {
        return Err(ScoringError::InvalidRows { errors: row_errors });
    }
    let periods: Vec<String> = frames[1]
        .column(PERIOD)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    let period = match (&options.period, periods.len()) {
        (Some(p), _) => p.clone(),
        (None, 0) => String::new(),
        (None, 1) => periods[0].clone(),
        (None, _) => {
            return Err(ScoringError::SeveralPeriods {
                periods: periods.join(", "),
            });
        }
    };
    let report = report::build_report(
        instrument,
        &meta,
        &frames[2],
        &frames[3],
        &frames[4],
        Some((&frames[5], &frames[6])),
    )?;
    Ok(BatchOutput {
        period,
        skipped: row_errors,
        report,
        submissions,
    })
}

/// Whether the fast numbering's checks hold: no submission id shared by two respondents,
/// kindergartens or periods, and no item answered twice in a submission.
fn checks_pass(checks: &[DataFrame]) -> PolarsResult<bool> {
    let conflict = checks[0]
        .column(pipeline::CONFLICT)?
        .bool()?
        .get(0)
        .unwrap_or(false);
    let count = |name: &str| -> PolarsResult<u64> {
        Ok(checks[1]
            .column(name)?
            .cast(&DataType::UInt64)?
            .u64()?
            .get(0)
            .unwrap_or(0))
    };
    Ok(!conflict && count(pipeline::PAIRS)? == count(pipeline::VALID_ROWS)?)
}

fn row_errors(instrument: &Instrument, df: &DataFrame) -> PolarsResult<Vec<RowError>> {
    let rows = df.column(ROW)?.cast(&DataType::UInt64)?;
    let codes = df.column(ERROR)?.cast(&DataType::UInt32)?;
    let items = df.column(ITEM)?;
    let values = df.column(VALUE)?;
    let instruments = df.column(INSTRUMENT)?;
    let mut out: Vec<RowError> = rows
        .u64()?.iter()
        .zip(codes.u32()?.iter())
        .zip(items.str()?.iter())
        .zip(values.str()?.iter())
        .zip(instruments.str()?.iter())
        .map(|((((row, code), item), value), other)| {
            let item = item.unwrap_or("");
            let value = value.unwrap_or("");
            let (code, message) = match code.unwrap_or(0) {
                err::MISSING_FIELD => (
                    "missing_field",
                    "не заполнены обязательные поля (submission_id, kindergarten, respondent, period, instrument, item) / a required field is empty".to_owned(),
                ),
                err::OTHER_INSTRUMENT => (
                    "other_instrument",
                    format!(
                        "инструмент «{}» не совпадает с {} / the row belongs to another instrument",
                        other.unwrap_or(""),
                        instrument.id()
                    ),
                ),
                err::UNKNOWN_ITEM => (
                    "unknown_item",
                    format!(
                        "пункт «{item}» отсутствует в {} / unknown item",
                        instrument.id()
                    ),
                ),
                err::BAD_NUMBER => (
                    "value_not_a_number",
                    format!("пункт «{item}»: значение «{value}» не является числом / not a number"),
                ),
                err::NA_NOT_ALLOWED => (
                    "na_not_allowed",
                    format!("пункт «{item}»: ответ «не применимо» не допускается / N/A is not allowed"),
                ),
                err::NOT_ON_SCALE => (
                    "value_not_on_scale",
                    format!("пункт «{item}»: значение {value} не входит в шкалу / value is not on the scale"),
                ),
                err::OUT_OF_RANGE => (
                    "value_out_of_range",
                    format!("пункт «{item}»: значение {value} вне допустимого диапазона / value out of range"),
                ),
                err::DUPLICATE => (
                    "duplicate_answer",
                    format!("пункт «{item}»: ответ указан в заявке несколько раз / the item is answered more than once in the submission"),
                ),
                _ => (
                    "bad_revision",
                    "номер редакции (revision) не является целым числом / revision is not an integer".to_owned(),
                ),
            };
            RowError {
                line: row.unwrap_or(0) + 2,
                code,
                message,
            }
        })
        .collect();
    out.sort_by_key(|e| e.line);
    Ok(out)
}

/// Shortest round-trip form of a float; empty for a missing value.
pub fn fmt_f64(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:?}"),
        _ => String::new(),
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ScoringError + '_ {
    move |source| ScoringError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn write_table(path: &Path, header: &[&str], rows: Vec<Vec<String>>) -> Result<(), ScoringError> {
    let file = File::create(path).map_err(io_err(path))?;
    let mut writer = csv::Writer::from_writer(BufWriter::new(file));
    let map = |e: csv::Error| ScoringError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(e),
    };
    writer.write_record(header).map_err(map)?;
    for row in rows {
        writer.write_record(row).map_err(map)?;
    }
    writer.flush().map_err(io_err(path))
}

impl BatchOutput {
    /// Number of per-submission node rows.
    pub fn node_rows(&self) -> usize {
        self.submissions.as_ref().map_or(0, DataFrame::height)
    }

    /// Per-submission node scores as `(submission_id, kind, code, percent, level, n_answered)`
    /// rows, sorted by kindergarten, respondent, submission, node kind and code. (The
    /// written `submissions.csv` is not sorted: sorting millions of string keys would dominate the
    /// batch.)
    ///
    /// Empty unless the batch ran with [`BatchOptions::per_submission`].
    pub fn submission_nodes(&self) -> Result<Vec<BatchNode>, ScoringError> {
        let Some(df) = &self.submissions else {
            return Ok(Vec::new());
        };
        let s = |name: &str| -> PolarsResult<Vec<Option<String>>> {
            Ok(df
                .column(name)?
                .str()?
                .iter()
                .map(|v| v.map(str::to_owned))
                .collect())
        };
        let (sub, kg, resp, kind, code, level) = (
            s(SUBMISSION)?,
            s(KINDERGARTEN)?,
            s(RESPONDENT)?,
            s("kind")?,
            s("code")?,
            s("level")?,
        );
        let percent: Vec<Option<f64>> = df.column(PERCENT)?.f64()?.iter().collect();
        let coverage: Vec<Option<f64>> = df.column(COVERAGE)?.f64()?.iter().collect();
        let answered = df.column(ANSWERED)?.cast(&DataType::UInt32)?;
        let answered: Vec<Option<u32>> = answered.u32()?.iter().collect();
        let critical: Vec<Option<bool>> = df.column(CRITICAL)?.bool()?.iter().collect();
        let deficit: Vec<Option<bool>> = df.column(DEFICIT)?.bool()?.iter().collect();
        let mut nodes: Vec<BatchNode> = (0..df.height())
            .map(|i| BatchNode {
                submission: sub[i].clone().unwrap_or_default(),
                kindergarten: kg[i].clone().unwrap_or_default(),
                respondent: resp[i].clone().unwrap_or_default(),
                kind: crate::NodeKind::parse(kind[i].as_deref().unwrap_or(""))
                    .unwrap_or(crate::NodeKind::Total),
                code: code[i].clone().unwrap_or_default(),
                percent: percent[i],
                level: level[i].clone(),
                coverage: coverage[i].unwrap_or(0.0),
                n_answered: answered[i].unwrap_or(0),
                critical: critical[i].unwrap_or(false),
                deficit: deficit[i].unwrap_or(false),
            })
            .collect();
        nodes.sort_by(|a, b| {
            (
                &a.kindergarten,
                &a.respondent,
                &a.submission,
                a.kind,
                &a.code,
            )
                .cmp(&(
                    &b.kindergarten,
                    &b.respondent,
                    &b.submission,
                    b.kind,
                    &b.code,
                ))
        });
        Ok(nodes)
    }

    /// Writes every output table into `dir` (created if needed); returns the files written.
    pub fn write_dir(&self, dir: &Path) -> Result<Vec<PathBuf>, ScoringError> {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let report = &self.report;
        let mut written = Vec::new();
        let f = |v: f64| fmt_f64(Some(v));

        let path = dir.join("kg_area.csv");
        write_table(
            &path,
            &["kindergarten", "area", "mean", "n", "std", "deficit_share"],
            report
                .kindergarten_areas()
                .map(|s| {
                    vec![
                        s.kindergarten.clone(),
                        s.code.clone(),
                        f(s.mean),
                        s.n.to_string(),
                        fmt_f64(s.std),
                        f(s.deficit_share),
                    ]
                })
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("kg_total.csv");
        let mut header = vec!["kindergarten", "mean", "n"];
        header.extend(report.level_codes.iter().map(String::as_str));
        write_table(
            &path,
            &header,
            report
                .totals
                .iter()
                .map(|t| {
                    let mut row = vec![t.kindergarten.clone(), f(t.mean), t.n.to_string()];
                    row.extend(t.level_counts.iter().map(u32::to_string));
                    row
                })
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("network_area.csv");
        write_table(
            &path,
            &["area", "mean_of_kindergartens", "pooled_mean"],
            report
                .network_areas()
                .map(|s| vec![s.code.clone(), f(s.mean_of_kindergartens), f(s.pooled_mean)])
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("kg_nodes.csv");
        write_table(
            &path,
            &[
                "kindergarten",
                "kind",
                "code",
                "mean",
                "n",
                "std",
                "median",
                "deficit_share",
            ],
            report
                .kindergartens
                .iter()
                .map(|s| {
                    vec![
                        s.kindergarten.clone(),
                        s.kind.as_str().to_owned(),
                        s.code.clone(),
                        f(s.mean),
                        s.n.to_string(),
                        fmt_f64(s.std),
                        f(s.median),
                        f(s.deficit_share),
                    ]
                })
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("kg_rank.csv");
        let mut ranked: Vec<_> = report.totals.iter().collect();
        ranked.sort_by(|a, b| (a.rank, &a.kindergarten).cmp(&(b.rank, &b.kindergarten)));
        write_table(
            &path,
            &["rank", "kindergarten", "mean", "level"],
            ranked
                .iter()
                .map(|t| {
                    vec![
                        t.rank.to_string(),
                        t.kindergarten.clone(),
                        f(t.mean),
                        t.level.clone(),
                    ]
                })
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("network_nodes.csv");
        write_table(
            &path,
            &[
                "kind",
                "code",
                "mean_of_kindergartens",
                "pooled_mean",
                "n_kindergartens",
                "n_submissions",
            ],
            report
                .network
                .iter()
                .map(|s| {
                    vec![
                        s.kind.as_str().to_owned(),
                        s.code.clone(),
                        f(s.mean_of_kindergartens),
                        f(s.pooled_mean),
                        s.n_kindergartens.to_string(),
                        s.n_submissions.to_string(),
                    ]
                })
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("network_levels.csv");
        write_table(
            &path,
            &["level", "kindergartens"],
            report
                .distribution
                .iter()
                .map(|l| vec![l.level.clone(), l.kindergartens.to_string()])
                .collect(),
        )?;
        written.push(path);

        let path = dir.join("item_deficits.csv");
        write_table(
            &path,
            &["kindergarten", "item", "mean", "n", "low_share", "deficit"],
            report
                .items
                .iter()
                .map(|s| {
                    vec![
                        s.kindergarten.clone().unwrap_or_default(),
                        s.item.clone(),
                        f(s.mean),
                        s.n.to_string(),
                        f(s.low_share),
                        s.deficit.to_string(),
                    ]
                })
                .collect(),
        )?;
        written.push(path);

        if let Some(df) = &self.submissions {
            let path = dir.join("submissions.csv");
            let file = File::create(&path).map_err(io_err(&path))?;
            let mut out = BufWriter::new(file);
            let mut df = df.clone();
            CsvWriter::new(&mut out)
                .include_header(true)
                .finish(&mut df)?;
            out.flush().map_err(io_err(&path))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// One node score of one submission from a batch (see [`BatchOutput::submission_nodes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchNode {
    /// Submission id.
    pub submission: String,
    /// Kindergarten.
    pub kindergarten: String,
    /// Respondent.
    pub respondent: String,
    /// Total, area or indicator.
    pub kind: crate::NodeKind,
    /// Node code.
    pub code: String,
    /// Percent; `None` when not valid.
    pub percent: Option<f64>,
    /// Level code; `None` when not valid.
    pub level: Option<String>,
    /// Coverage percent.
    pub coverage: f64,
    /// Answered items.
    pub n_answered: u32,
    /// Critical flag.
    pub critical: bool,
    /// Deficit flag.
    pub deficit: bool,
}
