//! `vsoko training import …`: training records of a kindergarten's staff from its own list or a
//! ФИС ФРДО export, through the same use case as the API (`vsoko_app::training`, where the rules
//! are): every error at its line and column, nothing written with errors unless `--skip-errors`
//! (then the rows in error go to a CSV to fix), the same file twice adds nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use vsoko_app::App;

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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let TrainingCommand::Import {
        database,
        kindergarten,
        file,
        author,
        dry_run,
        skip_errors,
    } = args.command;
    runtime()?.block_on(async {
        let store = database.open().await?;
        let app = App::new(store.clone());
        let principal = app
            .operator_account(author.as_deref())
            .await
            .map_err(super::app_error)?;
        let unit = kindergarten_of(&app, &principal, &kindergarten).await?;
        let bytes =
            std::fs::read(&file).with_context(|| format!("не удалось прочитать {}", file.display()))?;
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
        if let (Some(path), Some(sheet)) = (&skip_errors, &outcome.rejected)
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
