//! File import (multipart upload) and raw-data export.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where an upload goes and whether to write it.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Instrument code.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Instrument version (default: the latest).
    #[param(minimum = 1)]
    pub version: Option<u32>,
    /// Period code.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
    /// Every row goes to this kindergarten (default: the file's kindergarten column; a head's own
    /// kindergarten when the file has none).
    pub kindergarten_id: Option<i64>,
    /// `true` writes a clean plan in one transaction; default: a dry run.
    pub commit: Option<bool>,
    /// Lines (comma-separated, `3,7`) whose row replaces the answer its respondent sent through
    /// the web form or the API; without it such rows are skipped (`reason` says so).
    #[param(pattern = r"^[0-9]{1,7}(,[0-9]{1,7}){0,999}$")]
    pub replace_lines: Option<String>,
    /// With `commit=true`: write the rows without errors and leave the rows in error out (their
    /// errors are in the answer, as in a dry run). Default: all rows or none. A file with an
    /// error of its own is never written.
    pub skip_errors: Option<bool>,
}

/// The multipart form of an upload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The export: CSV (UTF-8, Windows-1251; `,` `;` tab) or XLSX/XLS/ODS.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// A saved mapping profile (JSON); default: one suggested from the headers.
    pub profile: Option<String>,
}

/// One problem, located by line and column.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportErrorDto {
    /// 1-based line.
    pub line: usize,
    /// Header of the column, when the problem is in one.
    pub column: Option<String>,
    /// What is wrong, in Russian.
    pub reason: String,
}

/// What happens to one row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportRowDto {
    /// 1-based line.
    pub line: usize,
    /// `create`, `update` (a correction of a counted submission), `duplicate` (imported before),
    /// `skip` or `error`.
    pub outcome: String,
    /// The respondent as written in the file.
    pub respondent: Option<String>,
    /// Why it is skipped, in Russian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The row's errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ImportErrorDto>,
}

/// The dry-run report, and what was written with `commit=true`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReportDto {
    /// Whether anything was written (only a clean plan with `commit=true`).
    pub committed: bool,
    /// No errors: the import can run.
    pub clean: bool,
    /// Rows that create a submission (new ones).
    pub create: usize,
    /// Rows that correct a counted submission: a later answer of the same respondent.
    pub update: usize,
    /// Rows imported before (same file again).
    pub duplicate: usize,
    /// Rows skipped (empty, an earlier answer of the same respondent in the file, or older than
    /// the answer that counts).
    pub skip: usize,
    /// Rows with errors.
    pub error: usize,
    /// Submissions created or corrected by this request.
    pub created: usize,
    /// Problems of the file as a whole.
    pub file_errors: Vec<ImportErrorDto>,
    /// Every row.
    pub rows: Vec<ImportRowDto>,
    /// What the suggested profile could not match (when no profile was sent), in Russian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<String>,
    /// The profile used, to save, complete and send again.
    pub profile: serde_json::Value,
    /// The whole report as text, in Russian.
    pub report: String,
}

/// The form of a raw-data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum FileFormatDto {
    /// XLSX (the default).
    #[serde(rename = "xlsx")]
    Xlsx,
    /// CSV for programs.
    #[serde(rename = "csv")]
    Csv,
    /// CSV for Russian Excel.
    #[serde(rename = "csv-ru")]
    CsvRu,
}

/// What raw data to export.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RawExportQuery {
    /// Period code.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub period: String,
    /// Instrument code (every version unless `version` is given).
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instrument: String,
    /// Only this version.
    #[param(minimum = 1)]
    pub version: Option<u32>,
    /// Only this kindergarten (inside the caller's unit).
    pub kindergarten_id: Option<i64>,
    /// `xlsx` (default), `csv` or `csv-ru`.
    #[param(inline)]
    pub format: Option<FileFormatDto>,
    /// With `format=csv-ru`: decimal comma.
    pub decimal_comma: Option<bool>,
    /// Superseded revisions too.
    pub all_revisions: Option<bool>,
}
