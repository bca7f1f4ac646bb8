//! The crate's one error type.
//!
//! Every message is Russian: these errors reach the methodist who uploaded a file or asked for an
//! export, through the CLI or the API.

use vsoko_checklist::InstrumentId;

/// Everything that stops a file from being read, a profile from being used or an export from being
/// written. Problems of single rows are not errors: they are reported in the
/// [`ImportPlan`](crate::ImportPlan).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The file has no header row (it is empty or holds only blank lines).
    #[error("файл «{file}» пуст: нет строки заголовков")]
    EmptyFile {
        /// The file name as uploaded.
        file: String,
    },
    /// A CSV file could not be parsed.
    #[error("файл «{file}», строка {line}: {message}")]
    Csv {
        /// The file name as uploaded.
        file: String,
        /// The 1-based line where parsing failed.
        line: usize,
        /// What went wrong.
        message: String,
    },
    /// A spreadsheet (XLSX, XLS, ODS) could not be opened or has no sheet.
    #[error(
        "не удалось прочитать таблицу «{file}»: {message}; сохраните её в Excel как .xlsx или .csv и загрузите снова"
    )]
    Spreadsheet {
        /// The file name as uploaded.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A mapping profile is not valid JSON of a profile.
    #[error("профиль импорта не читается: {0}")]
    ProfileJson(String),
    /// A mapping profile was saved for another instrument version.
    #[error(
        "профиль импорта составлен для инструмента {profile}, а импорт выполняется в {instrument}; выберите подходящий профиль"
    )]
    ProfileInstrumentMismatch {
        /// `code@version` named in the profile.
        profile: String,
        /// The instrument version imported into.
        instrument: InstrumentId,
    },
    /// A mapping profile refers to items that do not exist or misses required settings; every
    /// problem is listed.
    #[error("профиль импорта содержит ошибки:\n{}", problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    InvalidProfile {
        /// Every problem found, in Russian.
        problems: Vec<String>,
    },
    /// An export could not be written.
    #[error("не удалось сформировать файл {format}: {message}")]
    Export {
        /// `XLSX` or `CSV`.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl From<serde_json::Error> for ExchangeError {
    /// The JSON error's message is the problem's detail (not a separate cause, so that an error
    /// chain prints it once).
    fn from(error: serde_json::Error) -> Self {
        ExchangeError::ProfileJson(error.to_string())
    }
}
