//! `vsoko import …`: answers from a Google Forms / Yandex Forms / Excel export into submissions.
//!
//! The steps are those of `vsoko-exchange` (read the table, take or suggest a mapping profile, plan
//! every row), then `vsoko_api::import` (the same code as the upload endpoint) finds each row's
//! kindergarten and subject and the rows imported before, and writes a clean plan with
//! `Store::submit_many` in one transaction. See `vsoko_api::import` for the matching rules.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use vsoko_api::import::find_kindergarten;
use vsoko_exchange::{MappingProfile, plan_import, read_table, suggest_profile};
use vsoko_storage::{Id, Role, Scope, Store, User};

use super::db::{Database, runtime};

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
}

/// Exit code when the file needs a completed mapping profile.
const NEEDS_PROFILE: u8 = 2;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let code = store_import(&store, &args).await;
        store.close().await?;
        code
    })
}

fn parse_instrument(spec: &str) -> anyhow::Result<(&str, Option<u32>)> {
    match spec.split_once('@') {
        Some((code, version)) => {
            let version = version
                .trim_start_matches('v')
                .parse()
                .with_context(|| format!("неверная версия инструмента в «{spec}»"))?;
            Ok((code, Some(version)))
        }
        None => Ok((spec, None)),
    }
}

/// The account the submissions are stored under.
pub(super) async fn author(store: &Store, login: Option<&str>) -> anyhow::Result<User> {
    let mut users = Vec::new();
    for network in store.networks().await? {
        users.extend(store.users(Scope::Network(network.id)).await?);
    }
    let user = match login {
        Some(login) => users
            .into_iter()
            .find(|user| user.login.eq_ignore_ascii_case(login))
            .with_context(|| format!("учётная запись «{login}» не найдена"))?,
        None => users
            .into_iter()
            .find(|user| user.active && user.role == Role::Admin)
            .context("в базе нет активного администратора; укажите автора анкет: --author ЛОГИН")?,
    };
    if !user.active {
        bail!("учётная запись «{}» отключена", user.login);
    }
    Ok(user)
}

fn progress(length: usize, message: &'static str) -> ProgressBar {
    if !std::io::stdout().is_terminal() || length < 200 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
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

async fn store_import(store: &Store, args: &Args) -> anyhow::Result<ExitCode> {
    let (code, version) = parse_instrument(&args.instrument)?;
    let stored = store
        .instrument(code, version)
        .await
        .with_context(|| format!("инструмент {} не зарегистрирован", args.instrument))?;
    let instrument = &stored.instrument;
    let author = author(store, args.author.as_deref()).await?;
    let period = store
        .period_by_code(author.network_id, &args.period)
        .await
        .with_context(|| format!("период {} не найден в сети автора", args.period))?;
    let kindergartens = store.kindergartens(author.scope).await?;

    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("не удалось прочитать {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let table = read_table(&bytes, &file_name)
        .with_context(|| format!("не удалось прочитать {}", args.file.display()))?;

    let fixed = match &args.kindergarten {
        Some(wanted) => {
            let found = wanted
                .parse::<Id>()
                .ok()
                .and_then(|id| kindergartens.iter().find(|k| k.id == id))
                .or_else(|| find_kindergarten(&kindergartens, wanted))
                .with_context(|| format!("детский сад «{wanted}» не найден"))?;
            Some(found.clone())
        }
        None => None,
    };

    let mut profile = match &args.profile {
        Some(path) => {
            let json = std::fs::read_to_string(path)
                .with_context(|| format!("не удалось прочитать {}", path.display()))?;
            MappingProfile::from_json(&json).with_context(|| path.display().to_string())?
        }
        None => {
            let (profile, unmatched) = suggest_profile(instrument, &table);
            if !unmatched.is_empty() {
                println!("Сопоставлено автоматически не всё:\n{unmatched}");
            }
            let required_missing = unmatched.items.iter().any(|item| item.required)
                || !unmatched.labels.is_empty()
                || (profile.kindergarten_column.is_none() && fixed.is_none());
            if let Some(path) = &args.save_profile {
                write_profile(path, &profile)?;
            }
            if required_missing {
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
            profile
        }
    };
    if let Some(kindergarten) = &fixed {
        profile.kindergarten_column = None;
        profile.kindergarten = Some(kindergarten.short_name.clone());
    }
    if args.profile.is_some()
        && let Some(path) = &args.save_profile
    {
        write_profile(path, &profile)?;
    }

    let mut plan = plan_import(instrument, &profile, &table)
        .with_context(|| "профиль импорта не подходит к инструменту".to_owned())?;
    let bar = progress(plan.rows.len(), "Проверка строк");
    let targets = vsoko_api::import::resolve(
        store,
        instrument,
        stored.id,
        &profile,
        &mut plan,
        &kindergartens,
        fixed.as_ref(),
        &period,
        author.id,
        || bar.inc(1),
    )
    .await
    .map_err(|error| anyhow!("{error}"))?;
    bar.finish_and_clear();
    let earlier = &targets.earlier;

    println!(
        "Файл {}: инструмент {}, период {}, автор {}",
        args.file.display(),
        instrument.id(),
        period.code,
        author.login
    );
    let mut new_rows = 0;
    let mut old_rows = 0;
    for planned in plan.creates() {
        let key = planned.idempotency_key(&period.code);
        let who = planned.respondent.as_deref().unwrap_or("аноним");
        match earlier.get(&key) {
            Some(id) => {
                old_rows += 1;
                println!(
                    "  строка {}: пропущена как дубликат — уже импортирована (анкета {id}), респондент «{who}»",
                    planned.line
                );
            }
            None => {
                new_rows += 1;
                println!(
                    "  строка {}: будет создана анкета, респондент «{who}», детский сад «{}»",
                    planned.line, planned.kindergarten
                );
            }
        }
    }
    print!("{plan}");
    if !plan.is_clean() {
        return Ok(ExitCode::FAILURE);
    }
    println!("Новых анкет: {new_rows}; уже импортированных ранее: {old_rows}.");
    if args.dry_run {
        println!("Проверка (--dry-run): ничего не записано.");
        return Ok(ExitCode::SUCCESS);
    }
    if new_rows == 0 {
        println!("Этот файл уже импортирован: новых анкет не создано.");
        return Ok(ExitCode::SUCCESS);
    }

    let bar = progress(new_rows, "Подсчёт баллов");
    let written = vsoko_api::import::commit(
        store,
        instrument,
        stored.id,
        &plan,
        &targets,
        &period,
        author.id,
        || bar.inc(1),
    )
    .await
    .map_err(|error| anyhow!("импорт не выполнен, ничего не записано: {error}"))?;
    bar.finish_and_clear();
    println!(
        "Импорт выполнен: создано анкет: {}; уже были импортированы ранее: {}.",
        written.created, written.existing
    );
    Ok(ExitCode::SUCCESS)
}
