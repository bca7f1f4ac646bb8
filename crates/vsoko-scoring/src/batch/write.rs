//! The batch's files: submission scores, kindergarten and network reports, ranks, item
//! statistics and deficits, each a CSV written as it is built.

use crate::columns::*;
use crate::error::{Processing, ScoringError};
use crate::report::Report;
use crate::rows::{Read, Repeats};
use polars::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::*;

/// Shortest round-trip form of a float; empty for a missing value (the form of every float
/// `vsoko score` writes).
pub fn fmt_f64(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => ryu::Buffer::new().format_finite(v).to_owned(),
        _ => String::new(),
    }
}

pub(super) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ScoringError + '_ {
    move |source| ScoringError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One output CSV, written field by field: floats in shortest round-trip form, no allocation per
/// field (the kindergarten tables of a 10-million-answer batch have a million rows).
pub(super) struct TableWriter<'p> {
    path: &'p Path,
    writer: csv::Writer<BufWriter<File>>,
    floats: ryu::Buffer,
    ints: itoa::Buffer,
}

impl<'p> TableWriter<'p> {
    fn create(path: &'p Path, header: &[&str]) -> Result<TableWriter<'p>, ScoringError> {
        let file = File::create(path).map_err(io_err(path))?;
        let mut table = TableWriter {
            path,
            writer: csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file)),
            floats: ryu::Buffer::new(),
            ints: itoa::Buffer::new(),
        };
        table
            .writer
            .write_record(header)
            .map_err(|e| table.error(e))?;
        Ok(table)
    }

    fn error(&self, error: csv::Error) -> ScoringError {
        ScoringError::Io {
            path: self.path.display().to_string(),
            source: std::io::Error::other(error),
        }
    }

    fn text(&mut self, text: &str) -> Result<&mut Self, ScoringError> {
        self.writer.write_field(text).map_err(|e| self.error(e))?;
        Ok(self)
    }

    fn float(&mut self, value: Option<f64>) -> Result<&mut Self, ScoringError> {
        let text = match value {
            Some(v) if v.is_finite() => self.floats.format_finite(v),
            _ => "",
        };
        self.writer.write_field(text).map_err(|e| self.error(e))?;
        Ok(self)
    }

    fn int(&mut self, value: u32) -> Result<&mut Self, ScoringError> {
        let text = self.ints.format(value);
        self.writer.write_field(text).map_err(|e| self.error(e))?;
        Ok(self)
    }

    fn end_row(&mut self) -> Result<(), ScoringError> {
        self.writer
            .write_record(None::<&[u8]>)
            .map_err(|e| self.error(e))
    }

    fn finish(self) -> Result<PathBuf, ScoringError> {
        let path = self.path.to_path_buf();
        let mut inner = self.writer.into_inner().map_err(|e| ScoringError::Io {
            path: path.display().to_string(),
            source: e.into_error(),
        })?;
        inner.flush().map_err(io_err(&path))?;
        Ok(path)
    }
}

impl BatchOutput {
    /// How the file was read, for `--timings`: the fast path is «typed read»; the others are the
    /// exact fallbacks for values that are not numbers and for repeated items (see `rows`).
    pub fn strategy(&self) -> &'static str {
        match self.how {
            (Read::Typed, Repeats::Unmarked) => "typed read",
            (Read::Typed, Repeats::Marked) => "typed read, repeated items marked",
            (Read::Text, Repeats::Unmarked) => "text read",
            (Read::Text, Repeats::Marked) => "text read, repeated items marked",
        }
    }

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
            s(SUBMISSION).processing()?,
            s(KINDERGARTEN).processing()?,
            s(RESPONDENT).processing()?,
            s("kind").processing()?,
            s("code").processing()?,
            s("level").processing()?,
        );
        let percent: Vec<Option<f64>> = df
            .column(PERCENT)
            .processing()?
            .f64()
            .processing()?
            .iter()
            .collect();
        let coverage: Vec<Option<f64>> = df
            .column(COVERAGE)
            .processing()?
            .f64()
            .processing()?
            .iter()
            .collect();
        let answered = df
            .column(ANSWERED)
            .processing()?
            .cast(&DataType::UInt32)
            .processing()?;
        let answered: Vec<Option<u32>> = answered.u32().processing()?.iter().collect();
        let critical: Vec<Option<bool>> = df
            .column(CRITICAL)
            .processing()?
            .bool()
            .processing()?
            .iter()
            .collect();
        let deficit: Vec<Option<bool>> = df
            .column(DEFICIT)
            .processing()?
            .bool()
            .processing()?
            .iter()
            .collect();
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
        std::thread::scope(|scope| {
            // The two largest tables on a thread of their own, the rest here.
            let large = scope.spawn(|| {
                Ok::<_, ScoringError>([
                    write_kg_nodes(&self.report, dir)?,
                    write_item_deficits(&self.report, dir)?,
                ])
            });
            let rest = self.write_small_tables(dir);
            let large = large
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let (rest, [kg_nodes, items]) = (rest?, large?);
            let mut written = rest;
            written.insert(3, kg_nodes);
            written.insert(7, items);
            if let Some(path) = self.write_submissions(dir)? {
                written.push(path);
            }
            Ok(written)
        })
    }

    /// Every table but `kg_nodes.csv` and `item_deficits.csv`, in the order `write_dir` lists them.
    fn write_small_tables(&self, dir: &Path) -> Result<Vec<PathBuf>, ScoringError> {
        let report = &self.report;
        let mut written = Vec::new();

        let path = dir.join("kg_area.csv");
        let mut t = TableWriter::create(
            &path,
            &["kindergarten", "area", "mean", "n", "std", "deficit_share"],
        )?;
        for s in report.kindergarten_areas() {
            t.text(&s.kindergarten)?
                .text(&s.code)?
                .float(Some(s.mean))?
                .int(s.n)?
                .float(s.std)?
                .float(Some(s.deficit_share))?
                .end_row()?;
        }
        written.push(t.finish()?);

        let path = dir.join("kg_total.csv");
        let mut header = vec!["kindergarten", "mean", "n"];
        header.extend(report.level_codes.iter().map(String::as_str));
        let mut t = TableWriter::create(&path, &header)?;
        for total in &report.totals {
            t.text(&total.kindergarten)?
                .float(Some(total.mean))?
                .int(total.n)?;
            for count in &total.level_counts {
                t.int(*count)?;
            }
            t.end_row()?;
        }
        written.push(t.finish()?);

        let path = dir.join("network_area.csv");
        let mut t = TableWriter::create(&path, &["area", "mean_of_kindergartens", "pooled_mean"])?;
        for s in report.network_areas() {
            t.text(&s.code)?
                .float(Some(s.mean_of_kindergartens))?
                .float(Some(s.pooled_mean))?
                .end_row()?;
        }
        written.push(t.finish()?);

        let path = dir.join("kg_rank.csv");
        let mut ranked: Vec<_> = report.totals.iter().collect();
        if self.ranks {
            ranked.sort_by(|a, b| (a.rank, &a.kindergarten).cmp(&(b.rank, &b.kindergarten)));
        } else {
            ranked.sort_by(|a, b| a.kindergarten.cmp(&b.kindergarten));
        }
        let mut t = TableWriter::create(&path, &["rank", "kindergarten", "mean", "level"])?;
        for total in ranked {
            // A self-assessment survey gives no places (issue 23 §12): the rank is left empty.
            if self.ranks {
                t.int(total.rank)?;
            } else {
                t.text("")?;
            }
            t.text(&total.kindergarten)?
                .float(Some(total.mean))?
                .text(&total.level)?
                .end_row()?;
        }
        written.push(t.finish()?);

        let path = dir.join("network_nodes.csv");
        let mut t = TableWriter::create(
            &path,
            &[
                "kind",
                "code",
                "mean_of_kindergartens",
                "pooled_mean",
                "n_kindergartens",
                "n_submissions",
            ],
        )?;
        for s in report.network.iter().filter(|s| !s.variable) {
            t.text(s.kind.as_str())?
                .text(&s.code)?
                .float(Some(s.mean_of_kindergartens))?
                .float(Some(s.pooled_mean))?
                .int(s.n_kindergartens)?
                .int(s.n_submissions)?
                .end_row()?;
        }
        written.push(t.finish()?);

        let path = dir.join("network_levels.csv");
        let mut t = TableWriter::create(&path, &["level", "kindergartens"])?;
        for l in &report.distribution {
            t.text(&l.level)?.int(l.kindergartens)?.end_row()?;
        }
        written.push(t.finish()?);

        Ok(written)
    }

    /// `submissions.csv`, when the batch ran with [`BatchOptions::per_submission`].
    fn write_submissions(&self, dir: &Path) -> Result<Option<PathBuf>, ScoringError> {
        let Some(df) = &self.submissions else {
            return Ok(None);
        };
        let path = dir.join("submissions.csv");
        let file = File::create(&path).map_err(io_err(&path))?;
        let mut out = BufWriter::new(file);
        let mut df = df.clone();
        CsvWriter::new(&mut out)
            .include_header(true)
            .finish(&mut df)
            .processing()?;
        out.flush().map_err(io_err(&path))?;
        Ok(Some(path))
    }
}

/// `kg_nodes.csv`: kindergarten × every node (one of the two largest tables).
pub(super) fn write_kg_nodes(report: &Report, dir: &Path) -> Result<PathBuf, ScoringError> {
    let path = dir.join("kg_nodes.csv");
    let mut t = TableWriter::create(
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
    )?;
    for s in &report.kindergartens {
        t.text(&s.kindergarten)?
            .text(s.kind.as_str())?
            .text(&s.code)?
            .float(Some(s.mean))?
            .int(s.n)?
            .float(s.std)?
            .float(Some(s.median))?
            .float(Some(s.deficit_share))?
            .end_row()?;
    }
    t.finish()
}

/// `item_deficits.csv`: item statistics per kindergarten and for the network (the other large one).
pub(super) fn write_item_deficits(report: &Report, dir: &Path) -> Result<PathBuf, ScoringError> {
    let path = dir.join("item_deficits.csv");
    let mut t = TableWriter::create(
        &path,
        &["kindergarten", "item", "mean", "n", "low_share", "deficit"],
    )?;
    for s in &report.items {
        t.text(s.kindergarten.as_deref().unwrap_or_default())?
            .text(&s.item)?
            .float(Some(s.mean))?
            .int(s.n)?
            .float(Some(s.low_share))?
            .text(if s.deficit { "true" } else { "false" })?
            .end_row()?;
    }
    t.finish()
}
