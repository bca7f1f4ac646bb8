//! `vsoko checklists …`: validate instrument files (and the network's targets beside them), show
//! one as a tree, print the JSON Schemas.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use vsoko_checklist::{Catalog, Direction, IndicatorKind, Instrument, NumericRule, ScaleKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ChecklistsCommand,
}

#[derive(Debug, Subcommand)]
enum ChecklistsCommand {
    /// Checks instrument files and directories; prints each file as OK or with every problem found.
    /// A directory's `targets.toml` (the network's targets) is checked too, against the shipped
    /// instruments and the directory's. Exits with status 1 if any file has a problem.
    Validate {
        /// Files or directories to check (default: the shipped instruments and targets, built
        /// into vsoko).
        paths: Vec<PathBuf>,
    },
    /// Prints an instrument's structure as a tree.
    Show {
        /// CODE or CODE@VERSION; without a version the latest is shown.
        instrument: String,
        /// A directory of instrument files (default: the shipped instruments).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Writes the shipped instrument files (and their README and schema) into a directory, to
    /// read them or to start a version of your own from one.
    Export {
        /// The directory to write into (created when missing).
        dir: PathBuf,
    },
    /// Prints the JSON Schema of instrument files (committed as checklists/schema.json).
    Schema,
    /// Prints the JSON Schema of the targets file (committed as checklists/targets.schema.json).
    TargetsSchema,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        ChecklistsCommand::Validate { paths } if paths.is_empty() => {
            let catalog = Catalog::shipped()?;
            for instrument in catalog.iter() {
                println!(
                    "OK     shipped {} ({} items, hash {})",
                    instrument.id(),
                    instrument.item_count(),
                    &instrument.content_hash().as_str()[..12]
                );
            }
            println!("{} shipped instrument(s) checked", catalog.len());
            let targets = vsoko_app::targets::load(None, &catalog)?;
            println!(
                "OK     shipped targets.toml ({} targets)",
                targets.targets().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        ChecklistsCommand::Validate { paths } => validate(&paths),
        ChecklistsCommand::TargetsSchema => {
            print!("{}", vsoko_app::targets::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        ChecklistsCommand::Show { instrument, dir } => {
            let (code, version) = parse_reference(&instrument)?;
            let catalog = Catalog::shipped_and(dir.as_deref())?;
            print!("{}", render_tree(catalog.get(code, version)?));
            Ok(ExitCode::SUCCESS)
        }
        ChecklistsCommand::Export { dir } => {
            let written = vsoko_checklist::export_shipped(&dir)?;
            for path in &written {
                println!("{}", path.display());
            }
            println!(
                "{} file(s) written into {}; validate your changes with `vsoko checklists validate {}`",
                written.len(),
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ChecklistsCommand::Schema => {
            print!("{}", vsoko_checklist::json_schema());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn validate(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let reports = vsoko_checklist::check_paths(paths)?;
    if reports.is_empty() {
        anyhow::bail!("no *.toml files found in the given paths");
    }
    let mut n_failed = 0;
    for report in &reports {
        match &report.outcome {
            Ok(instrument) => println!(
                "OK     {} ({}, {} items, hash {})",
                report.path.display(),
                instrument.id(),
                instrument.item_count(),
                &instrument.content_hash().as_str()[..12]
            ),
            Err(diagnostics) => {
                n_failed += 1;
                println!(
                    "ERROR  {} ({} problem(s))",
                    report.path.display(),
                    diagnostics.len()
                );
                for diagnostic in diagnostics {
                    for line in diagnostic.to_string().lines() {
                        println!("  {line}");
                    }
                }
            }
        }
    }
    let mut n_files = reports.len();
    for dir in paths.iter().filter(|path| path.is_dir()) {
        let file = dir.join(vsoko_checklist::TARGETS_FILE_NAME);
        if !file.is_file() {
            continue;
        }
        n_files += 1;
        // The targets are checked against the instruments only when those are valid; otherwise
        // the instruments' problems above are the ones to fix first.
        let Ok(catalog) = Catalog::shipped_and(Some(dir)) else {
            println!(
                "SKIP   {} (checked once the instruments have no problems)",
                file.display()
            );
            continue;
        };
        match vsoko_app::targets::load(Some(dir), &catalog) {
            Ok(targets) => println!(
                "OK     {} ({} targets)",
                file.display(),
                targets.targets().len()
            ),
            Err(problems) => {
                n_failed += 1;
                println!("ERROR  {}", file.display());
                for line in problems.to_string().lines() {
                    println!("  {line}");
                }
            }
        }
    }
    println!("{n_files} file(s) checked, {n_failed} with problems");
    Ok(if n_failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn parse_reference(reference: &str) -> anyhow::Result<(&str, Option<u32>)> {
    match reference.split_once('@') {
        None => Ok((reference, None)),
        Some((code, version)) => {
            let version = version.parse().map_err(|_| {
                anyhow::anyhow!(
                    "\"{version}\" is not a version number; write CODE@VERSION, e.g. dc-teacher@1"
                )
            })?;
            Ok((code, Some(version)))
        }
    }
}

fn fmt_number(value: f64) -> String {
    format!("{value}")
}

/// The instrument as an indented tree: areas, indicators, items with their scales and weights.
pub fn render_tree(instrument: &Instrument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", instrument.id(), instrument.title());
    let _ = writeln!(
        out,
        "  {}; заполняет: {}; объект оценки: {}; пунктов: {}; хеш {}",
        instrument.kind().name_ru(),
        instrument.respondent().name_ru(),
        instrument.subject().name_ru(),
        instrument.item_count(),
        instrument.content_hash()
    );
    let bands: Vec<String> = instrument
        .levels()
        .bands()
        .iter()
        .map(|band| format!("{} «{}» ≥ {}", band.code(), band.name(), band.from()))
        .collect();
    let _ = writeln!(out, "  уровни: {}", bands.join("; "));
    let _ = writeln!(
        out,
        "  дефицит: < {} %; минимальный охват: {} %",
        instrument.deficit_threshold().get(),
        instrument.min_coverage().get()
    );
    let _ = writeln!(out, "  шкалы:");
    for scale in instrument.scales() {
        let body = match scale.kind() {
            ScaleKind::Options(options) => options
                .iter()
                .map(|option| format!("{} «{}»", fmt_number(option.value()), option.label()))
                .collect::<Vec<_>>()
                .join(", "),
            ScaleKind::Numeric {
                unit,
                min,
                max,
                rule,
            } => {
                let range = match (min, max) {
                    (Some(min), Some(max)) => format!("{min}…{max}"),
                    (Some(min), None) => format!("≥ {min}"),
                    (None, Some(max)) => format!("≤ {max}"),
                    (None, None) => "любое".to_owned(),
                };
                let rule = match rule {
                    NumericRule::Target { target, direction } => {
                        let direction = match direction {
                            Direction::MoreIsBetter => "больше — лучше",
                            Direction::LessIsBetter => "меньше — лучше",
                        };
                        format!("цель {target} ({direction})")
                    }
                    NumericRule::Bands(bands) => bands
                        .iter()
                        .map(|band| format!("от {} → {} б.", band.from(), band.points()))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                format!("число {range} {}; {rule}", unit.as_deref().unwrap_or(""))
            }
        };
        let na = scale
            .na_label()
            .map(|label| format!(" + «{label}»"))
            .unwrap_or_default();
        let _ = writeln!(out, "    {}: {body}{na}", scale.code());
    }
    let areas = instrument.areas();
    for (a, area) in areas.iter().enumerate() {
        let last_area = a + 1 == areas.len();
        let (branch, stem) = if last_area {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        let _ = writeln!(
            out,
            "{branch} {} {} [вес {}]",
            area.code(),
            area.title(),
            area.weight().get()
        );
        let indicators = area.indicators();
        for (i, indicator) in indicators.iter().enumerate() {
            let last_indicator = i + 1 == indicators.len();
            let (branch, inner) = if last_indicator {
                ("└─", "   ")
            } else {
                ("├─", "│  ")
            };
            let kind = match indicator.kind() {
                IndicatorKind::Invariant => "инвариантный",
                IndicatorKind::Variable => "вариативный",
            };
            let _ = writeln!(
                out,
                "{stem}{branch} {} {} [вес {}, {kind}]",
                indicator.code(),
                indicator.title(),
                indicator.weight().get(),
            );
            let items = indicator.items();
            for (t, item) in items.iter().enumerate() {
                let branch = if t + 1 == items.len() {
                    "└─"
                } else {
                    "├─"
                };
                let mut flags = vec![
                    format!("шкала {}", instrument.scale_of(item).code()),
                    format!("вес {}", item.weight().get()),
                ];
                if item.is_critical() {
                    flags.push("критический".to_owned());
                }
                if !item.is_required() {
                    flags.push("необязательный".to_owned());
                }
                let _ = writeln!(
                    out,
                    "{stem}{inner}{branch} {} {} [{}]",
                    item.code(),
                    item.text(),
                    flags.join(", ")
                );
            }
        }
    }
    out
}
