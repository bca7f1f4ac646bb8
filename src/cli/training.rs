//! `vsoko training import …`: training records of a kindergarten's staff from its own list or a
//! ФИС ФРДО export, through the same use case as the API (`vsoko_app::training`, where the rules
//! are): every error at its line and column, nothing written with errors unless `--skip-errors`
//! (then the rows in error go to a CSV to fix), the same file twice adds nothing.
//! `vsoko training add …`: one record, every error named by its flag.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use vsoko_app::App;
use vsoko_app::training::TrainingForm;

use super::db::{Database, runtime};
use super::import::kindergarten_of;

/// Arguments of `vsoko training`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: TrainingCommand,
}

#[derive(Debug, Subcommand)]
enum TrainingCommand {
    /// Add one training record of a member of a kindergarten's staff.
    Add(Box<AddArgs>),
    /// Correct a training record: the flags given replace its fields, the others stay; saved as
    /// its next revision with an audit entry.
    Correct(Box<CorrectArgs>),
    /// Import training records (КПК, переподготовка, семинары) of a kindergarten's staff from
    /// XLSX or CSV (UTF-8 or Windows-1251, `,` or `;`).
    Import {
        #[command(flatten)]
        database: Database,
        /// The kindergarten (database id or number) whose staff the file lists.
        #[arg(long)]
        kindergarten: String,
        /// The file: columns ФИО (or Фамилия, Имя, Отчество), Программа, Организация, Часы,
        /// Дата начала, Дата окончания, Форма обучения, ДОТ, Номер удостоверения,
        /// Регистрационный номер, Дата выдачи (and optionally Вид, Тип организации).
        #[arg(long)]
        file: PathBuf,
        /// Login of the account the records are entered under (default: the first active
        /// administrator).
        #[arg(long)]
        author: Option<String>,
        /// Only check: print what would be imported and every error, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the rows without errors and write the rows in error, with what to fix, to this
        /// CSV file (for Excel). Default: a file with any error is not imported at all.
        #[arg(long = "skip-errors", value_name = "REJECTED.csv")]
        skip_errors: Option<PathBuf>,
    },
}

/// Arguments of `vsoko training add`.
#[derive(Debug, clap::Args)]
struct AddArgs {
    #[command(flatten)]
    database: Database,
    /// The kindergarten (database id or number).
    #[arg(long)]
    kindergarten: String,
    /// The person: full name as in the staff list («Иванова Мария Петровна») or database id.
    #[arg(long)]
    person: String,
    /// `qualification_upgrade` (ПК), `retraining` (ПП), `seminar`, `internship` or `other`.
    #[arg(long, default_value = "qualification_upgrade")]
    kind: String,
    /// The programme's title, as in the document.
    #[arg(long)]
    programme: String,
    /// The organisation that trained.
    #[arg(long)]
    provider: String,
    /// `state`, `municipal`, `private` or `other`.
    #[arg(long, default_value = "state")]
    provider_type: String,
    /// The programme is in the federal register of ДПП.
    #[arg(long)]
    federal_register: bool,
    /// Academic hours.
    #[arg(long)]
    hours: String,
    /// First day (2025-03-01 or 01.03.2025).
    #[arg(long)]
    starts_on: String,
    /// Last day.
    #[arg(long)]
    ends_on: String,
    /// Enrolment date.
    #[arg(long, default_value = "")]
    enrolled_on: String,
    /// `full_time` (очная), `part_time` (заочная) or `mixed` (очно-заочная).
    #[arg(long, default_value = "full_time")]
    form: String,
    /// Distance technologies were used (ДОТ / ЭО).
    #[arg(long)]
    distance: bool,
    /// The document's number.
    #[arg(long, default_value = "")]
    document_number: String,
    /// Its registration number.
    #[arg(long, default_value = "")]
    registration_number: String,
    /// Its date of issue.
    #[arg(long, default_value = "")]
    issued_on: String,
    /// Competence areas it addresses, comma-separated (`A2,A3`).
    #[arg(long, default_value = "")]
    areas: String,
    /// Login of the account the record is entered under (default: the first active
    /// administrator).
    #[arg(long)]
    author: Option<String>,
}

/// Arguments of `vsoko training correct`: every field optional.
#[derive(Debug, clap::Args)]
struct CorrectArgs {
    #[command(flatten)]
    database: Database,
    /// The record's id (its latest revision, as `vsoko training add` or the API gave it).
    #[arg(long)]
    record: i64,
    /// See `vsoko training add`.
    #[arg(long)]
    kind: Option<String>,
    /// The programme's title.
    #[arg(long)]
    programme: Option<String>,
    /// The organisation that trained.
    #[arg(long)]
    provider: Option<String>,
    /// `state`, `municipal`, `private` or `other`.
    #[arg(long)]
    provider_type: Option<String>,
    /// `true` or `false`: the programme is in the federal register of ДПП.
    #[arg(long)]
    federal_register: Option<bool>,
    /// Academic hours.
    #[arg(long)]
    hours: Option<String>,
    /// First day.
    #[arg(long)]
    starts_on: Option<String>,
    /// Last day.
    #[arg(long)]
    ends_on: Option<String>,
    /// Enrolment date (empty to clear).
    #[arg(long)]
    enrolled_on: Option<String>,
    /// `full_time`, `part_time` or `mixed`.
    #[arg(long)]
    form: Option<String>,
    /// `true` or `false`: distance technologies were used.
    #[arg(long)]
    distance: Option<bool>,
    /// The document's number (empty to clear).
    #[arg(long)]
    document_number: Option<String>,
    /// Its registration number (empty to clear).
    #[arg(long)]
    registration_number: Option<String>,
    /// Its date of issue (empty to clear).
    #[arg(long)]
    issued_on: Option<String>,
    /// Competence areas, comma-separated (empty to clear).
    #[arg(long)]
    areas: Option<String>,
    /// Login of the account the correction is made under (default: the first active
    /// administrator).
    #[arg(long)]
    author: Option<String>,
}

fn correct(args: &CorrectArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(args.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let id = vsoko_domain::TrainingRecordId::new(args.record);
        let today = vsoko_app::today();
        let corrected = match app.training_correction(&principal, id, today).await {
            Err(error) => Err(error),
            Ok((_, mut form)) => {
                let set = |field: &mut String, given: &Option<String>| {
                    if let Some(given) = given {
                        field.clone_from(given);
                    }
                };
                set(&mut form.kind, &args.kind);
                set(&mut form.programme, &args.programme);
                set(&mut form.provider, &args.provider);
                set(&mut form.provider_type, &args.provider_type);
                set(&mut form.hours, &args.hours);
                set(&mut form.starts_on, &args.starts_on);
                set(&mut form.ends_on, &args.ends_on);
                set(&mut form.enrolled_on, &args.enrolled_on);
                set(&mut form.form, &args.form);
                set(&mut form.document_number, &args.document_number);
                set(&mut form.registration_number, &args.registration_number);
                set(&mut form.issued_on, &args.issued_on);
                set(&mut form.areas, &args.areas);
                if let Some(register) = args.federal_register {
                    form.in_federal_register = register;
                }
                if let Some(distance) = args.distance {
                    form.distance = distance;
                }
                app.correct_training_form(&principal, id, &form, today)
                    .await
            }
        };
        store.close().await?;
        saved(corrected, "исправлена (новая редакция)")
    })
}

/// Prints a saved record (or why it was not saved, each error by its flag).
fn saved(
    result: Result<vsoko_app::training::TrainingEntry, vsoko_app::AppError>,
    what: &str,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(entry) => {
            println!(
                "Запись {} {what}: {}, «{}», {} ак. ч.",
                entry.stored.id,
                entry.person_name,
                entry.stored.record.programme,
                entry.stored.record.hours
            );
            for warning in &entry.warnings {
                println!("  Проверьте: {}", warning.message);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(vsoko_app::AppError::Invalid { errors, .. }) => {
            eprintln!("Запись не сохранена:");
            for error in errors {
                let flag = match error.field.as_str() {
                    "person_id" | "person" => "person".to_owned(),
                    "in_federal_register" => "federal-register".to_owned(),
                    other => other.replace('_', "-"),
                };
                eprintln!("  --{flag}: {}", error.message);
            }
            Ok(ExitCode::FAILURE)
        }
        Err(other) => Err(super::app_error(other)),
    }
}

fn add(args: &AddArgs) -> anyhow::Result<ExitCode> {
    let form = TrainingForm {
        person_id: String::new(),
        kind: args.kind.clone(),
        programme: args.programme.clone(),
        provider: args.provider.clone(),
        provider_type: args.provider_type.clone(),
        in_federal_register: args.federal_register,
        hours: args.hours.clone(),
        starts_on: args.starts_on.clone(),
        ends_on: args.ends_on.clone(),
        enrolled_on: args.enrolled_on.clone(),
        form: args.form.clone(),
        distance: args.distance,
        document_number: args.document_number.clone(),
        registration_number: args.registration_number.clone(),
        issued_on: args.issued_on.clone(),
        areas: args.areas.clone(),
    };
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(args.author.as_deref())
            .await
            .map_err(super::app_error)?;
        let unit = kindergarten_of(&app, &principal, &args.kindergarten).await?;
        let added = app
            .add_training_for(&principal, unit, &args.person, &form, vsoko_app::today())
            .await;
        store.close().await?;
        saved(added, "сохранена")
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        TrainingCommand::Add(add_args) => add(&add_args),
        TrainingCommand::Correct(correct_args) => correct(&correct_args),
        TrainingCommand::Import {
            database,
            kindergarten,
            file,
            author,
            dry_run,
            skip_errors,
        } => import(
            &database,
            &kindergarten,
            &file,
            author.as_deref(),
            dry_run,
            skip_errors.as_deref(),
        ),
    }
}

fn import(
    database: &Database,
    kindergarten: &str,
    file: &std::path::Path,
    author: Option<&str>,
    dry_run: bool,
    skip_errors: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(author)
            .await
            .map_err(super::app_error)?;
        let unit = kindergarten_of(&app, &principal, kindergarten).await?;
        let bytes =
            std::fs::read(file).with_context(|| format!("не удалось прочитать {}", file.display()))?;
        let name = file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let outcome = app
            .import_training(
                &principal,
                unit,
                &name,
                &bytes,
                !dry_run,
                skip_errors.is_some(),
                vsoko_app::today(),
            )
            .await
            .map_err(super::app_error)?;
        store.close().await?;
        for error in outcome.errors() {
            println!("  строка {}, столбец «{}»: {}", error.line, error.column, error.message);
        }
        let errors = outcome.errors().count();
        let verb = if outcome.written {
            "импортировано"
        } else {
            "к импорту"
        };
        println!(
            "Файл {}: {verb} записей: {}, уже загружено раньше: {}, строк с ошибками: {}",
            file.display(),
            outcome.created,
            outcome.existing,
            outcome.rows.iter().filter(|row| !row.errors.is_empty()).count()
        );
        if let (Some(path), Some(sheet)) = (skip_errors, &outcome.rejected)
            && outcome.written
        {
            let bytes = vsoko_exchange::write_csv_ru(sheet, true)?;
            std::fs::write(path, bytes)
                .with_context(|| format!("не удалось записать {}", path.display()))?;
            println!("Строки с ошибками и что исправить: {}", path.display());
        }
        if errors > 0 && !outcome.written && !dry_run {
            eprintln!(
                "Импорт не выполнен: исправьте ошибки в файле или запустите с --skip-errors ФАЙЛ.csv, чтобы загрузить строки без ошибок"
            );
            return Ok(ExitCode::FAILURE);
        }
        Ok(ExitCode::SUCCESS)
    })
}
