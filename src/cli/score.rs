//! `vsoko score …`: score a CSV of answers collected elsewhere; `vsoko score generate …`: write a
//! deterministic answers file for the benchmark.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use vsoko_checklist::load_file;
use vsoko_scoring::{BatchOptions, ScoringError, generate_answers, score_csv};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<ScoreCommand>,
    /// Instrument definition (TOML) the answers belong to.
    #[arg(long, required = true)]
    instrument: Option<PathBuf>,
    /// Answers CSV: submission_id,kindergarten,respondent,period,instrument,item,value
    /// (optional revision column); an empty value means N/A. A computed item (`computed` in the
    /// instrument) is a row like any other, holding the value its source gives; where it is
    /// missing the item counts as «недостаточно данных», and the summary says how many have it.
    #[arg(long, required = true)]
    answers: Option<PathBuf>,
    /// Output directory for the result tables.
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Score only this period (required when the file holds several).
    #[arg(long)]
    period: Option<String>,
    /// Skip invalid rows (they are listed on stderr) instead of failing without writing anything.
    #[arg(long)]
    skip_invalid: bool,
    /// Also write submissions.csv: every submission's total, area and indicator scores (one row
    /// per node per submission; the largest output by far).
    #[arg(long)]
    submissions: bool,
    /// Print timings to stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Subcommand)]
enum ScoreCommand {
    /// Writes a deterministic answers file of any size for an instrument (benchmark data).
    Generate {
        /// Instrument definition (TOML).
        #[arg(long)]
        instrument: PathBuf,
        /// Number of answer rows.
        #[arg(long)]
        rows: u64,
        /// Random seed; the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Period code written into every row.
        #[arg(long, default_value = "2026-05")]
        period: String,
        /// Output CSV file.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(ScoreCommand::Generate {
        instrument,
        rows,
        seed,
        period,
        out,
    }) = args.command
    {
        let instrument = load_file(&instrument)?;
        let file =
            File::create(&out).with_context(|| format!("cannot create {}", out.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        generate_answers(&instrument, rows, seed, &period, &mut writer)
            .and_then(|()| writer.flush())
            .with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("{}: {rows} строк(и) ответов / answer rows", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(instrument), Some(answers), Some(out)) = (args.instrument, args.answers, args.out)
    else {
        anyhow::bail!(
            "нужны --instrument, --answers и --out / --instrument, --answers and --out are required"
        );
    };
    let start = Instant::now();
    let instrument = load_file(&instrument)?;
    let options = BatchOptions {
        period: args.period,
        skip_invalid: args.skip_invalid,
        per_submission: args.submissions,
    };
    let output = match score_csv(&instrument, &answers, &options) {
        Ok(output) => output,
        Err(error @ ScoringError::InvalidRows { .. }) => {
            eprintln!(
                "ошибка: {}: {error}\nничего не записано; исправьте строки или запустите с --skip-invalid / nothing was written; fix the rows or use --skip-invalid",
                answers.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(error) => return Err(error).context(answers.display().to_string()),
    };
    let scored = start.elapsed();
    for skipped in &output.skipped {
        eprintln!("пропущена / skipped: {}: {skipped}", answers.display());
    }
    let files = output.write_dir(&out)?;
    if args.timings {
        eprintln!(
            "scored in {:.3} s, written in {:.3} s",
            scored.as_secs_f64(),
            (start.elapsed() - scored).as_secs_f64()
        );
    }
    // The per-submission rows exist only when asked for (`--submissions`); otherwise their count
    // (always 0) would read as «no submission was scored».
    let submission_rows = if args.submissions {
        format!(
            ", {} строк оценок заявок / submission score rows",
            output.node_rows()
        )
    } else {
        String::new()
    };
    println!(
        "{} {}: {} детских садов / kindergartens{submission_rows}; пропущено строк / rows skipped: {}",
        instrument.id(),
        output.period,
        output.report.totals.len(),
        output.skipped.len()
    );
    for file in files {
        println!("  {}", file.display());
    }
    for entry in instrument.items() {
        let Some(source) = entry.item.computed() else {
            continue;
        };
        let code = entry.item.code().as_str();
        let with_value = output
            .report
            .items
            .iter()
            .find(|stats| stats.kindergarten.is_none() && stats.item == code)
            .map_or(0, |stats| stats.n);
        println!(
            "вычисляемый пункт {code} ({}, {}): значение есть в {with_value} {}; без значения — «недостаточно данных» / computed item: a value in {with_value} submission(s), the rest have none",
            source.instrument(),
            source.node(),
            vsoko_app::words::plural(with_value as usize, "анкете", "анкетах", "анкетах")
        );
    }
    Ok(ExitCode::SUCCESS)
}
