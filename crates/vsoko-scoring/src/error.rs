//! The crate's one error type.

use vsoko_checklist::InstrumentId;

/// One bad row of a batch answers file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based line of the CSV file (the header is line 1).
    pub line: u64,
    /// Stable machine-readable code of the problem.
    pub code: &'static str,
    /// Human message (Russian first, then English).
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "строка {}: {}", self.line, self.message)
    }
}

/// Everything that can go wrong while scoring or aggregating.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScoringError {
    /// The answer sheet was checked against another instrument version than the one given.
    #[error(
        "ответы проверены по инструменту {sheet}, а оценивание запрошено по {instrument} / the answers were checked against {sheet}, not {instrument}"
    )]
    InstrumentMismatch {
        /// The instrument scoring was asked for.
        instrument: InstrumentId,
        /// The instrument the answers belong to.
        sheet: InstrumentId,
    },
    /// Dynamics between two instrument versions whose item codes differ.
    #[error(
        "сравнение периодов по разным версиям инструмента невозможно: {from} и {to} имеют разные наборы пунктов / cannot compare periods scored with different instrument versions {from} and {to}: their item codes differ"
    )]
    VersionMismatch {
        /// The instrument version of the earlier period.
        from: InstrumentId,
        /// The instrument version of the later period.
        to: InstrumentId,
    },
    /// Rows of a batch answers file are invalid; every one found is listed (in line order).
    #[error("{} ошибочных строк(и) в файле ответов / {} invalid row(s) in the answers file:\n{}", errors.len(), errors.len(), render_rows(errors))]
    InvalidRows {
        /// Every invalid row.
        errors: Vec<RowError>,
    },
    /// The answers file has several periods and none was chosen.
    #[error(
        "в файле ответов несколько периодов ({periods}); укажите один через --period / the answers file holds several periods ({periods}); choose one with --period"
    )]
    SeveralPeriods {
        /// The periods found, comma-separated.
        periods: String,
    },
    /// The data could not be processed (an unreadable CSV, a missing column, …); the cause is kept
    /// for the error chain, its type stays inside this crate.
    #[error("ошибка обработки данных / data processing failed")]
    Processing(#[source] ProcessingError),
    /// A file could not be read or written.
    #[error("не удалось прочитать или записать {path} / cannot read or write {path}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn render_rows(errors: &[RowError]) -> String {
    const SHOWN: usize = 50;
    let mut out: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  {e}"))
        .collect();
    if errors.len() > SHOWN {
        out.push(format!(
            "  … и ещё {} / and {} more",
            errors.len() - SHOWN,
            errors.len() - SHOWN
        ));
    }
    out.join("\n")
}

/// Why a computation over the data failed, as the data engine put it. Opaque: the engine is an
/// implementation detail of this crate.
#[derive(Debug)]
pub struct ProcessingError(polars::error::PolarsError);

impl std::fmt::Display for ProcessingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ProcessingError {}

/// Lets `?` turn an engine error into a [`ScoringError`] inside the crate.
pub(crate) trait Processing<T> {
    fn processing(self) -> Result<T, ScoringError>;
}

impl<T> Processing<T> for polars::error::PolarsResult<T> {
    fn processing(self) -> Result<T, ScoringError> {
        self.map_err(|error| ScoringError::Processing(ProcessingError(error)))
    }
}
