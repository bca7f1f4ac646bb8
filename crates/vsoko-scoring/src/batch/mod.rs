//! The batch: a CSV of answers → per-submission scores and every aggregate.
//!
//! Two stages, each one lazy plan collected once:
//! 1. **rows → scored submissions** (`crate::rows`, `crate::wide`): one scan of the file, one
//!    group-by of its rows on the submission number, node scores as column arithmetic; collected
//!    on the streaming engine (millions of rows, bounded memory).
//! 2. **scored submissions → aggregates** (`crate::report`): kindergarten and network statistics
//!    over one row per latest submission, in memory and in file order, so that the same file
//!    always gives the same floats to the last bit. The API's reports run this stage alone.

use std::path::Path;

use polars::prelude::*;
use vsoko_checklist::{Counting, Instrument};

use crate::columns::wide;
use crate::columns::*;
use crate::error::{Processing, RowError, ScoringError};
use crate::pipeline::{Meta, collect_all, err};
use crate::report::{self, Report};
use crate::rows::{self, Read, Repeats};

mod write;

pub use write::fmt_f64;

pub use crate::rows::REQUIRED_COLUMNS;

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
    /// How the file was finally read, and whether repeated items were marked.
    how: (Read, Repeats),
    /// Whether the instrument gives places ([`Instrument::ranks`]): not a self-assessment
    /// survey. Without, `kg_rank.csv` has no rank and lists kindergartens by name.
    ranks: bool,
}

/// The plans of stage 1, collected together over one scan of the file.
struct RowPlans {
    /// One row: invalid rows, `REPEATED`, the smallest and largest period (`rows::summary`).
    summary: LazyFrame,
    /// One row per latest submission, in file order: keys, node and item scores.
    scored: LazyFrame,
}

/// The classified rows of the file (`ROW`, `ERROR` and the rest), repeated items marked or not.
fn classified_rows(
    instrument: &Instrument,
    meta: &Meta,
    path: &Path,
    options: &BatchOptions,
    (read, repeats): (Read, Repeats),
) -> Result<(LazyFrame, rows::Layout), ScoringError> {
    let (raw, layout) = rows::scan(path, read)?;
    let mut normalized = rows::normalize(raw, meta, read, layout).processing()?;
    if let Some(period) = &options.period {
        normalized = normalized.filter(col(PERIOD).eq(lit(period.clone())));
    }
    let classified = rows::classify(normalized, instrument, meta, layout).processing()?;
    Ok((
        rows::mark_repeats(classified, repeats, layout).processing()?,
        layout,
    ))
}

/// Builds stage 1: the rows are grouped once; everything else reads the submission table.
fn row_plans(
    instrument: &Instrument,
    meta: &Meta,
    path: &Path,
    options: &BatchOptions,
    how: (Read, Repeats),
) -> Result<RowPlans, ScoringError> {
    let (classified, layout) = classified_rows(instrument, meta, path, options, how)?;
    let subs = rows::pivot(classified, meta, layout).cache();
    let summary = rows::summary(subs.clone());
    let latest = rows::latest(rows::submissions(subs), instrument.counting());
    let scored = crate::wide::score_nodes(latest, instrument, meta)
        .select(crate::wide::output_columns(meta, options.per_submission));
    Ok(RowPlans { summary, scored })
}

/// The periods of a file's rows that have every key, sorted (the error path of a file with several).
fn periods_of(path: &Path) -> Result<Vec<String>, ScoringError> {
    let (raw, _) = rows::scan(path, Read::Text)?;
    let keys = [SUBMISSION, KINDERGARTEN, RESPONDENT, INSTRUMENT, ITEM];
    let complete = keys
        .into_iter()
        .fold(col(PERIOD).is_not_null(), |acc, key| {
            acc.and(col(key).is_not_null())
        });
    let unique = raw
        .filter(complete)
        .select([col(PERIOD)])
        .unique(None, UniqueKeepStrategy::Any);
    let frame = collect_all(vec![unique], Engine::Streaming)
        .processing()?
        .remove(0);
    let mut periods: Vec<String> = frame
        .column(PERIOD)
        .processing()?
        .str()
        .processing()?
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    periods.sort();
    Ok(periods)
}

/// Scores a CSV of answers (header `submission_id,kindergarten,respondent,period,instrument,item,
/// value`, optional `revision`) against one instrument. See the crate docs for the rules.
///
/// Invalid rows fail the whole batch with every bad line listed, unless `skip_invalid`.
///
/// The file is first read typed, without marking repeated items (see `crate::rows`); a file the
/// typed reader cannot parse is read again as text, and a file with a repeated item is scored
/// again with those rows marked. Either way the result is the same.
pub fn score_csv(
    instrument: &Instrument,
    path: &Path,
    options: &BatchOptions,
) -> Result<BatchOutput, ScoringError> {
    score_csv_from(instrument, path, options, (Read::Typed, Repeats::Unmarked))
}

/// [`score_csv`] starting from the given read and marking (the fallbacks only ever go from typed
/// to text and from unmarked to marked).
fn score_csv_from(
    instrument: &Instrument,
    path: &Path,
    options: &BatchOptions,
    mut how: (Read, Repeats),
) -> Result<BatchOutput, ScoringError> {
    let meta = Meta::new(instrument);
    let (frames, file_period) = loop {
        let plans = row_plans(instrument, &meta, path, options, how)?;
        let frames = match collect_all(vec![plans.summary, plans.scored], Engine::Streaming) {
            Ok(frames) => frames,
            // The typed reader refuses a file with a value that is not a number: read it as text,
            // which names those rows.
            Err(_) if how.0 == Read::Typed => {
                how.0 = Read::Text;
                continue;
            }
            Err(error) => return Err(error).processing(),
        };
        let summary = &frames[0];
        // Rows of several periods: refuse before anything else.
        let (first, last) = (
            summary
                .column(PERIOD)
                .processing()?
                .str()
                .processing()?
                .get(0)
                .map(str::to_owned),
            summary
                .column(PERIOD_MAX)
                .processing()?
                .str()
                .processing()?
                .get(0)
                .map(str::to_owned),
        );
        if options.period.is_none() && first != last {
            return Err(ScoringError::SeveralPeriods {
                periods: periods_of(path)?.join(", "),
            });
        }
        if how.1 == Repeats::Unmarked
            && summary
                .column(REPEATED)
                .processing()?
                .bool()
                .processing()?
                .get(0)
                == Some(true)
        {
            how.1 = Repeats::Marked;
            continue;
        }
        break (frames, first.unwrap_or_default());
    };
    let invalid = frames[0]
        .column(INVALID_ROWS)
        .processing()?
        .cast(&DataType::UInt64)
        .processing()?
        .u64()
        .processing()?
        .get(0)
        .unwrap_or(0);
    let row_errors = if invalid == 0 {
        Vec::new()
    } else {
        // Only on the error path: the bad rows, then their text for the messages.
        let bad = classified_rows(instrument, &meta, path, options, how)?
            .0
            .filter(col(ERROR).neq(lit(err::OK)))
            .select([col(ROW), col(ERROR)]);
        let bad = collect_all(vec![bad], Engine::Streaming)
            .processing()?
            .remove(0);
        let (raw, _) = rows::scan(path, Read::Text)?;
        let details = raw
            .join(
                bad.lazy(),
                [col(ROW)],
                [col(ROW)],
                JoinArgs::new(JoinType::Inner),
            )
            .select([col(ROW), col(ERROR), col(ITEM), col(VALUE), col(INSTRUMENT)]);
        row_errors(
            instrument,
            &collect_all(vec![details], Engine::InMemory).processing()?[0],
        )
        .processing()?
    };
    if !row_errors.is_empty() && !options.skip_invalid {
        return Err(ScoringError::InvalidRows { errors: row_errors });
    }
    let period = options.period.clone().unwrap_or(file_period);
    let scored = &frames[1];
    let report = match instrument.counting() {
        // Each subject counts once: its cards are averaged before any aggregate; the item
        // statistics stay over every card's answers.
        Counting::Observations => {
            let items = report::report_of_named(instrument, &meta, scored, true)?.items;
            let table =
                crate::table::ScoreTable::of_scored_frame(instrument, scored).processing()?;
            let mut report = report::aggregate_table(instrument, &table.per_subject(instrument))?;
            report.items = items;
            report
        }
        Counting::OnePerRespondent | Counting::OnePerSubject => {
            report::report_of_named(instrument, &meta, scored, true)?
        }
    };
    let submissions = if options.per_submission {
        Some(
            collect_all(
                vec![submission_nodes(scored, &meta, &period).processing()?],
                Engine::InMemory,
            )
            .processing()?
            .remove(0),
        )
    } else {
        None
    };
    Ok(BatchOutput {
        period,
        skipped: row_errors,
        report,
        submissions,
        how,
        ranks: instrument.ranks(),
    })
}

/// The long per-submission table: one row per node per latest submission.
fn submission_nodes(scored: &DataFrame, meta: &Meta, period: &str) -> PolarsResult<LazyFrame> {
    let level_name = |n: usize| {
        meta.level_codes.iter().enumerate().rev().fold(
            lit(NULL).cast(DataType::String),
            |acc, (k, code)| {
                when(col(wide::level(n)).eq(lit(k as u32)))
                    .then(lit(code.clone()))
                    .otherwise(acc)
            },
        )
    };
    let parts: Vec<LazyFrame> = meta
        .nodes
        .iter()
        .enumerate()
        .map(|(n, node)| {
            scored.clone().lazy().select([
                lit(period.to_owned()).alias(PERIOD),
                col(KINDERGARTEN),
                col(RESPONDENT),
                col(SUBMISSION),
                lit(node.kind.as_str()).alias(KIND_NAME),
                lit(node.code.clone()).alias(CODE),
                col(wide::percent(n)).alias(PERCENT),
                level_name(n).alias(LEVEL_NAME),
                col(wide::coverage(n)).alias(COVERAGE),
                lit(node.n_items).alias(N_ITEMS),
                col(wide::answered(n)).alias(ANSWERED),
                col(wide::critical(n)).alias(CRITICAL),
                col(wide::deficit(n)).alias(DEFICIT),
            ])
        })
        .collect();
    concat(parts, UnionArgs::default())
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::generate::generate_answers;

    const CARD: &str = include_str!("../../tests/fixtures/card.toml");

    fn card() -> Instrument {
        vsoko_checklist::parse_toml(CARD, "card.toml").unwrap()
    }

    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn generated(instrument: &Instrument, rows: u64, seed: u64) -> String {
        let mut out = Vec::new();
        generate_answers(instrument, rows, seed, "2026-05", &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    const ALL: [(Read, Repeats); 4] = [
        (Read::Typed, Repeats::Unmarked),
        (Read::Typed, Repeats::Marked),
        (Read::Text, Repeats::Unmarked),
        (Read::Text, Repeats::Marked),
    ];

    #[test]
    fn every_read_and_marking_gives_the_same_floats() {
        let instrument = card();
        let (_dir, path) = file(&generated(&instrument, 4000, 11));
        let options = BatchOptions {
            per_submission: true,
            ..BatchOptions::default()
        };
        let outputs: Vec<BatchOutput> = ALL
            .iter()
            .map(|&how| score_csv_from(&instrument, &path, &options, how).unwrap())
            .collect();
        for (output, how) in outputs.iter().zip(ALL) {
            assert_eq!(output.how, how, "a valid file needs no fallback");
            // Bit for bit, not within a tolerance: the aggregates run in file order.
            let (a, b) = (&output.report, &outputs[0].report);
            assert_eq!(a.kindergartens.len(), b.kindergartens.len());
            assert_eq!(a.distribution, b.distribution);
            for (x, y) in a.kindergartens.iter().zip(&b.kindergartens) {
                assert_eq!(x, y, "{how:?}");
            }
            assert_eq!(a.totals, b.totals, "{how:?}");
            assert_eq!(a.network, b.network, "{how:?}");
            assert_eq!(a.items, b.items, "{how:?}");
            assert_eq!(a, b, "{how:?}");
            assert_eq!(
                output.submission_nodes().unwrap(),
                outputs[0].submission_nodes().unwrap()
            );
        }
        let again = score_csv(&instrument, &path, &options).unwrap();
        assert_eq!(
            again.report, outputs[0].report,
            "the same file, the same bytes"
        );
    }

    #[test]
    fn an_unknown_item_is_classified_without_leaving_the_typed_read() {
        let instrument = card();
        let csv = "submission_id,kindergarten,respondent,period,instrument,item,value\n\
                   1,kg1,r1,p,t-card,A.1.1,2\n\
                   1,kg1,r1,p,t-card,NOPE,2\n";
        let (_dir, path) = file(csv);
        let options = BatchOptions {
            skip_invalid: true,
            ..BatchOptions::default()
        };
        let output = score_csv(&instrument, &path, &options).unwrap();
        assert_eq!(output.how, (Read::Typed, Repeats::Unmarked));
        let skipped: Vec<(u64, &str)> = output.skipped.iter().map(|e| (e.line, e.code)).collect();
        assert_eq!(skipped, [(3, "unknown_item")]);
    }

    #[test]
    fn a_value_that_is_not_a_number_falls_back_to_the_text_read() {
        let instrument = card();
        let csv = "submission_id,kindergarten,respondent,period,instrument,item,value\n\
                   1,kg1,r1,p,t-card,A.1.1,2\n\
                   1,kg1,r1,p,t-card,A.1.2,abc\n";
        let (_dir, path) = file(csv);
        let options = BatchOptions {
            skip_invalid: true,
            ..BatchOptions::default()
        };
        let output = score_csv(&instrument, &path, &options).unwrap();
        assert_eq!(output.how, (Read::Text, Repeats::Unmarked));
        assert_eq!(output.skipped[0].code, "value_not_a_number");
    }

    #[test]
    fn a_repeated_item_falls_back_to_marking_repeats() {
        let instrument = card();
        let header = "submission_id,kindergarten,respondent,period,instrument,item,value";
        // One id in two kindergartens is two submissions, not a repeat.
        let reused = format!("{header}\n7,kg1,r1,p,t-card,A.1.1,0\n7,kg2,r2,p,t-card,A.1.1,2\n");
        let (_dir, path) = file(&reused);
        let output = score_csv(&instrument, &path, &BatchOptions::default()).unwrap();
        assert_eq!(output.how, (Read::Typed, Repeats::Unmarked));
        let names: std::collections::BTreeSet<&str> = output
            .report
            .kindergartens
            .iter()
            .map(|s| s.kindergarten.as_str())
            .collect();
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["kg1", "kg2"]);

        let repeated = format!("{header}\n1,kg1,r1,p,t-card,A.1.1,0\n1,kg1,r1,p,t-card,A.1.1,0\n");
        let (_dir, path) = file(&repeated);
        let options = BatchOptions {
            skip_invalid: true,
            ..BatchOptions::default()
        };
        let output = score_csv(&instrument, &path, &options).unwrap();
        assert_eq!(output.how, (Read::Typed, Repeats::Marked));
        let codes: Vec<&str> = output.skipped.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["duplicate_answer", "duplicate_answer"]);
    }
}

/// Stage-by-stage timings of a batch, for profiling:
/// `VSOKO_BENCH_CSV=/tmp/a1m.csv VSOKO_BENCH_TOML=$PWD/checklists/dc-teacher/v1.toml cargo test
/// --release -p vsoko-scoring --lib stage_timings -- --ignored --nocapture`. Each line collects the
/// plan up to that stage (so the times are cumulative) and prints wall and CPU seconds.
#[cfg(test)]
mod timings {
    use std::path::PathBuf;

    use super::*;
    use std::time::Instant;

    /// User + system CPU seconds of this process (clock ticks of 10 ms).
    fn cpu() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let tick = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (tick(11) + tick(12)) / 100.0
    }

    fn time(name: &str, lf: LazyFrame, engine: Engine) -> DataFrame {
        let (start, cpu0) = (Instant::now(), cpu());
        let df = collect_all(vec![lf], engine).unwrap().remove(0);
        eprintln!(
            "{name:<34} {:>7.3} s wall {:>6.2} s cpu  {} rows",
            start.elapsed().as_secs_f64(),
            cpu() - cpu0,
            df.height()
        );
        df
    }

    #[test]
    #[ignore = "profiling aid; needs VSOKO_BENCH_CSV and VSOKO_BENCH_TOML"]
    fn stage_timings() {
        let path = PathBuf::from(std::env::var("VSOKO_BENCH_CSV").unwrap());
        let toml = std::env::var("VSOKO_BENCH_TOML").unwrap();
        let instrument = vsoko_checklist::load_file(Path::new(&toml)).unwrap();
        let meta = Meta::new(&instrument);
        let count = |lf: LazyFrame| lf.select([all().as_expr().count()]);
        let fast = (Read::Typed, Repeats::Unmarked);
        let (raw, layout) = rows::scan(&path, Read::Typed).unwrap();
        let has_revision = layout.has_revision;
        time(
            "scan: lines only",
            raw.clone().select([len()]),
            Engine::Streaming,
        );
        time("scan: every column", count(raw.clone()), Engine::Streaming);
        let options = BatchOptions::default();
        let (classified, _) = classified_rows(&instrument, &meta, &path, &options, fast).unwrap();
        time(
            "+ item join, classification",
            classified.clone().select([col(ERROR).sum()]),
            Engine::Streaming,
        );
        let subs = rows::pivot(classified, &meta, layout);
        time(
            "+ group-by into submissions",
            subs.select([all().as_expr().max()]),
            Engine::Streaming,
        );
        let plans = row_plans(&instrument, &meta, &path, &options, fast).unwrap();
        let scored = time(
            "+ latest, node scores (stage 1)",
            plans.scored,
            Engine::Streaming,
        );
        let aggregates = report::aggregate_plans(scored.lazy(), &meta, true);
        time(
            "stage 2: kindergarten aggregates",
            aggregates.kindergartens,
            Engine::InMemory,
        );
        let start = Instant::now();
        let out = score_csv(&instrument, &path, &options).unwrap();
        eprintln!(
            "score_csv {:.3} s ({}; revision column: {has_revision})",
            start.elapsed().as_secs_f64(),
            out.strategy()
        );
    }
}
