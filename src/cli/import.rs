//! `vsoko import …`: answers from a Google Forms / Yandex Forms / Excel export into submissions,
//! through the same use case as the upload endpoint and the web wizard (`vsoko_app::import`, where
//! the matching rules are): a dry run first, then, unless `--dry-run`, the write in one
//! transaction.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use vsoko_app::import::{ImportOutcome, ImportRequest, RowFate, find_kindergarten};
use vsoko_app::{App, Principal};
use vsoko_exchange::MappingProfile;

use super::db::{Database, runtime};
use vsoko_domain::KindergartenId;

/// Arguments of `vsoko import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: Database,
    /// Instrument code, optionally with a version: `dc-teacher` or `dc-teacher@1` (default: the
    /// latest registered version).
    #[arg(long)]
    instrument: String,
    /// Period code (in the author's network).
    #[arg(long)]
    period: String,
    /// The export: CSV (UTF-8 with or without BOM, Windows-1251; `,` `;` or tab) or XLSX/XLS/ODS.
    #[arg(long)]
    file: PathBuf,
    /// A saved mapping profile (JSON). Without it one is suggested from the headers.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Save the profile used (or suggested) to this file, to complete it and reuse it.
    #[arg(long)]
    save_profile: Option<PathBuf>,
    /// Every row belongs to this kindergarten (database id or number), whatever the file says.
    #[arg(long)]
    kindergarten: Option<String>,
    /// Login of the account the submissions are stored under (default: the first active
    /// administrator).
    #[arg(long)]
    author: Option<String>,
    /// Only check: print what would be created, skipped or rejected, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Let the row on this line replace the answer its respondent sent through the web form or
    /// the API (repeat for several lines; without it such rows are not imported).
    #[arg(long = "replace-line", value_name = "LINE")]
    replace_line: Vec<usize>,
    /// Import the rows without errors and write the rows in error to this CSV file (for Excel:
    /// the file's columns, the line and what to fix) to correct and import again. Default: a
    /// file with any error is not imported at all.
    #[arg(long = "skip-errors", value_name = "REJECTED.csv")]
    skip_errors: Option<PathBuf>,
}

/// Exit code when the file needs a completed mapping profile.
const NEEDS_PROFILE: u8 = 2;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let code = store_import(&App::new(store.clone()), &args).await;
        store.close().await?;
        code
    })
}

/// `CODE` or `CODE@VERSION` (`dc-teacher@1`, `dc-teacher@v1`).
pub(super) fn parse_instrument(spec: &str) -> anyhow::Result<(String, Option<u32>)> {
    match spec.split_once('@') {
        Some((code, version)) => {
            let version = version
                .trim_start_matches('v')
                .parse()
                .with_context(|| format!("неверная версия инструмента в «{spec}»"))?;
            Ok((code.to_owned(), Some(version)))
        }
        None => Ok((spec.to_owned(), None)),
    }
}

/// A kindergarten the principal sees, by database id or number (`5`, `№ 5`).
pub(super) async fn kindergarten_of(
    app: &App,
    principal: &Principal,
    wanted: &str,
) -> anyhow::Result<KindergartenId> {
    let all = app
        .kindergartens(principal)
        .await
        .map_err(super::app_error)?;
    wanted
        .parse::<KindergartenId>()
        .ok()
        .and_then(|id| all.iter().find(|k| k.id == id))
        .or_else(|| find_kindergarten(&all, wanted))
        .map(|kindergarten| kindergarten.id)
        .with_context(|| format!("детский сад «{wanted}» не найден"))
}

fn progress(message: &'static str) -> ProgressBar {
    if !std::io::stdout().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{msg} {pos} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar
}

fn write_profile(path: &Path, profile: &MappingProfile) -> anyhow::Result<()> {
    std::fs::write(path, profile.to_json() + "\n")
        .with_context(|| format!("не удалось записать {}", path.display()))?;
    println!("Профиль импорта сохранён: {}", path.display());
    Ok(())
}

async fn run_import(
    app: &App,
    principal: &Principal,
    request: ImportRequest,
    message: &'static str,
) -> anyhow::Result<ImportOutcome> {
    let bar = progress(message);
    let outcome = app
        .import(principal, request, &mut || bar.inc(1))
        .await
        .map_err(super::app_error);
    bar.finish_and_clear();
    outcome
}

async fn store_import(app: &App, args: &Args) -> anyhow::Result<ExitCode> {
    let (code, version) = parse_instrument(&args.instrument)?;
    let principal = app
        .operator_account(args.author.as_deref())
        .await
        .map_err(super::app_error)?;
    let kindergarten = match &args.kindergarten {
        Some(wanted) => Some(kindergarten_of(app, &principal, wanted).await?),
        None => None,
    };
    let profile = match &args.profile {
        Some(path) => {
            let json = std::fs::read_to_string(path)
                .with_context(|| format!("не удалось прочитать {}", path.display()))?;
            Some(MappingProfile::from_json(&json).with_context(|| path.display().to_string())?)
        }
        None => None,
    };
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("не удалось прочитать {}", args.file.display()))?;
    let request = ImportRequest {
        instrument: code,
        version,
        period: args.period.clone(),
        kindergarten,
        file_name: args
            .file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
        profile,
        commit: false,
        replace: args.replace_line.clone(),
        skip_errors: args.skip_errors.is_some(),
    };
    let checked = run_import(app, &principal, request.clone(), "Проверка строк").await?;
    if let Some(unmatched) = checked.unmatched.as_ref().filter(|u| !u.is_empty()) {
        println!("Сопоставлено автоматически не всё:\n{unmatched}");
    }
    if let Some(path) = &args.save_profile {
        write_profile(path, &checked.profile)?;
    }
    if checked.needs_profile() {
        let save = args
            .save_profile
            .as_ref()
            .map(|path| path.display().to_string())
            .unwrap_or_else(|| "profile.json".to_owned());
        eprintln!(
            "Импорт не выполнен: не сопоставлены обязательные пункты, варианты ответов или столбец детского сада.\n\
             1. Сохраните предложенный профиль: добавьте --save-profile {save}.\n\
             2. Дополните его: «items» (столбец → код пункта), «scale_labels»/«item_labels» (вариант ответа → значение), \
             «kindergarten_column» (или укажите --kindergarten).\n\
             3. Запустите снова с --profile {save} (сначала с --dry-run)."
        );
        return Ok(ExitCode::from(NEEDS_PROFILE));
    }
    println!(
        "Файл {}: инструмент {}, период {}, автор {}",
        args.file.display(),
        checked.instrument,
        checked.period,
        principal.user.login
    );
    for row in &checked.rows {
        let who = row.respondent.as_deref().unwrap_or("аноним");
        match &row.fate {
            RowFate::Duplicate { submission } => println!(
                "  строка {}: пропущена как дубликат — уже импортирована (анкета {submission}), респондент «{who}»",
                row.line
            ),
            RowFate::Create => println!(
                "  строка {}: будет создана анкета, респондент «{who}», детский сад «{}»",
                row.line,
                row.kindergarten.as_deref().unwrap_or("")
            ),
            RowFate::Correct { submission } => println!(
                "  строка {}: более поздний ответ респондента «{who}» — будет исправлена анкета {submission}",
                row.line
            ),
            RowFate::Outdated { submission } => println!(
                "  строка {}: пропущена — у респондента «{who}» учитывается более поздний ответ (анкета {submission})",
                row.line
            ),
            RowFate::SentElsewhere { submission } => println!(
                "  строка {}: пропущена — респондент «{who}» уже отправил ответ через веб-форму или API (анкета {submission}); чтобы заменить его строкой файла, добавьте --replace-line {}",
                row.line, row.line
            ),
            _ => {}
        }
    }
    print!("{}", checked.report);
    if !checked.clean {
        let Some(rejected) = args
            .skip_errors
            .as_ref()
            .filter(|_| checked.can_skip_errors())
        else {
            return Ok(ExitCode::FAILURE);
        };
        std::fs::write(rejected, checked.rejected_rows_csv()?)
            .with_context(|| format!("не удалось записать {}", rejected.display()))?;
        println!(
            "Строки с ошибками ({}) записаны в {}: исправьте их и импортируйте этот файл снова. Остальные строки будут импортированы.",
            checked.counts().error,
            rejected.display()
        );
    }
    let counts = checked.counts();
    let (new_rows, old_rows) = (counts.create + counts.update, counts.duplicate);
    println!(
        "Новых анкет: {}; исправлений учтённых анкет: {}; уже импортированных ранее: {old_rows}.",
        counts.create, counts.update
    );
    if args.dry_run {
        println!("Проверка (--dry-run): ничего не записано.");
        return Ok(ExitCode::SUCCESS);
    }
    if new_rows == 0 {
        println!("Этот файл уже импортирован: новых анкет не создано.");
        return Ok(ExitCode::SUCCESS);
    }
    let written = run_import(
        app,
        &principal,
        ImportRequest {
            commit: true,
            ..request
        },
        "Запись",
    )
    .await
    .map_err(|error| error.context("импорт не выполнен, ничего не записано"))?;
    let counts = written.counts();
    println!(
        "Импорт выполнен: создано анкет: {}; исправлено учтённых анкет: {}; уже были импортированы ранее: {}.",
        counts.create, counts.update, counts.duplicate
    );
    Ok(ExitCode::SUCCESS)
}
