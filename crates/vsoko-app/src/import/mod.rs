//! Importing a Google Forms, Yandex Forms or Excel export: the same steps for the upload endpoint,
//! the command line and the web wizard.
//!
//! The file is read and planned by `vsoko-exchange` (read the table, take or suggest a mapping
//! profile, plan every row); here each planned row gets its kindergarten and subject, rows imported
//! before are recognised, and a clean plan is written in one transaction.
//!
//! Rules:
//! * **kindergarten**: fixed by the caller (a kindergarten asked for, or a head's own when the file
//!   has no kindergarten column) or the row's kindergarten text matched among the kindergartens the
//!   caller may import into, by short name or full name (ignoring case, spaces, punctuation and
//!   «ё»/«е»), else by number (`5`, `№ 5`, `Детский сад № 5`);
//! * **subject**: the kindergarten itself for instruments about the kindergarten; for instruments
//!   about teachers the subject column (or, without one, the respondent column) must be the full
//!   name of an active person of that kindergarten, or the login (e-mail) of that person's account;
//!   for instruments about groups the subject column must name an active group of that
//!   kindergarten. Nobody is created: a person or group not found makes the row an error;
//! * **idempotency**: a row's key comes from its content and the period and is stored per author,
//!   so the same file imported again creates nothing, and the dry run already shows those rows;
//! * **who counts** (the instrument's counting rule, as in the API): a row of a respondent whose
//!   answer counts already in the period is a correction of it when the row's timestamp is later
//!   than that answer, and is not imported (outdated) when it is not, or has no timestamp; of two
//!   rows of one respondent in the file, the later line is imported. Timestamps without an offset
//!   are read as UTC;
//! * **another channel**: an answer that counts and was sent through the web form or the API (not
//!   by an import) is never replaced by a row unless the importer chose that row
//!   ([`ImportRequest::replace`]); otherwise the row is kept out and says why;
//! * **the future**: a row answered after today is an error at its timestamp cell (a day and a
//!   month swapped, a wrong year).

use vsoko_exchange::{ImportError, MappingProfile, SkipReason, SourceFormat, Unmatched};

use crate::error::AppResult;
use vsoko_domain::{KindergartenId, SubmissionId};

mod wizard;
mod write;

pub use wizard::{ImportChoices, PRESELECTED_INSTRUMENT};
pub use write::find_kindergarten;

/// An import to check (a dry run) or to write.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// Instrument code.
    pub instrument: String,
    /// Instrument version (default: the latest).
    pub version: Option<u32>,
    /// Period code.
    pub period: String,
    /// Every row goes to this kindergarten (default: the file's kindergarten column; a head's own
    /// kindergarten when the file has none).
    pub kindergarten: Option<KindergartenId>,
    /// The file's name (its extension decides CSV or spreadsheet).
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// A saved mapping profile; default: one suggested from the headers.
    pub profile: Option<MappingProfile>,
    /// Write a clean plan (default: only check).
    pub commit: bool,
    /// Lines whose answer replaces (corrects) one sent through the web form or the API: the
    /// importer's choice, row by row.
    pub replace: Vec<usize>,
    /// With `commit`: write the rows without errors and leave the rows in error out
    /// ([`ImportOutcome::rejected_rows_csv`] gives them back as a file to fix). Default: all rows
    /// or none. A file with an error of its own (a column, a header) is never written.
    pub skip_errors: bool,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowFate {
    /// A new submission.
    Create,
    /// Imported before: the submission made then.
    Duplicate {
        /// Its id.
        submission: SubmissionId,
    },
    /// A newer answer of a respondent whose answer counts already: a new revision of it.
    Correct {
        /// The submission corrected.
        submission: SubmissionId,
    },
    /// Older than the answer that counts already: not imported.
    Outdated {
        /// The submission that counts.
        submission: SubmissionId,
    },
    /// The answer that counts was sent through the web form or the API: not replaced unless the
    /// importer chooses the line ([`ImportRequest::replace`]).
    SentElsewhere {
        /// The submission that counts.
        submission: SubmissionId,
    },
    /// Not imported.
    Skip(SkipReason),
    /// Errors, each at its line and column.
    Error(Vec<ImportError>),
}

impl RowFate {
    /// `create`, `update`, `duplicate`, `skip` or `error`.
    pub fn kind(&self) -> &'static str {
        match self {
            RowFate::Create => "create",
            RowFate::Correct { .. } => "update",
            RowFate::Duplicate { .. } => "duplicate",
            RowFate::Skip(_) | RowFate::Outdated { .. } | RowFate::SentElsewhere { .. } => "skip",
            RowFate::Error(_) => "error",
        }
    }

    /// Why a row is not simply created, in Russian (`None` for a new row and for errors, which
    /// carry their own reasons).
    pub fn reason_ru(&self) -> Option<String> {
        match self {
            RowFate::Create | RowFate::Error(_) => None,
            RowFate::Duplicate { .. } => Some("уже импортирована ранее".to_owned()),
            RowFate::Correct { submission } => Some(format!(
                "более поздний ответ того же респондента: исправит анкету {submission}"
            )),
            RowFate::Outdated { submission } => Some(format!(
                "учитывается более поздний ответ этого респондента (анкета {submission})"
            )),
            RowFate::SentElsewhere { submission } => Some(format!(
                "этот респондент уже отправил ответ через веб-форму или API (анкета {submission}); строка не импортируется, пока вы не отметите «заменить» для неё"
            )),
            RowFate::Skip(SkipReason::EmptyRow) => Some("пустая строка".to_owned()),
            RowFate::Skip(SkipReason::DuplicateRespondent { kept_line }) => Some(format!(
                "повторный ответ респондента; импортируется строка {kept_line}"
            )),
        }
    }
}

/// One row of the file and its fate.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// 1-based line.
    pub line: usize,
    /// The respondent as written in the file.
    pub respondent: Option<String>,
    /// The kindergarten as written in the file (or fixed).
    pub kindergarten: Option<String>,
    /// What happens to it.
    pub fate: RowFate,
}

/// Rows of an import by fate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New submissions.
    pub create: usize,
    /// Corrections of counted submissions (newer answers of the same respondent).
    pub update: usize,
    /// Imported before.
    pub duplicate: usize,
    /// Not imported: empty, repeated in the file, or older than what counts.
    pub skip: usize,
    /// In error.
    pub error: usize,
}

/// The dry run (and, with `commit`, what was written).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// The instrument version.
    pub instrument: vsoko_checklist::InstrumentId,
    /// The period.
    pub period: String,
    /// How the file was read: encoding and separator, or a spreadsheet.
    pub source: SourceFormat,
    /// The profile used (given or suggested), to save and reuse.
    pub profile: MappingProfile,
    /// What the suggestion could not match (only when no profile was given).
    pub unmatched: Option<Unmatched>,
    /// Problems of the file as a whole.
    pub file_errors: Vec<ImportError>,
    /// Every row.
    pub rows: Vec<ImportRow>,
    /// The plan's own report, in Russian.
    pub report: String,
    /// Whether the file can be written (no errors).
    pub clean: bool,
    /// Whether it was written now.
    pub committed: bool,
    /// The file as read: headers and cells by line (the wizard shows the rows with their errors
    /// in place).
    pub table: vsoko_exchange::Table,
    /// Submissions created now.
    pub created: usize,
}

/// An import error as people read it: ««Столбец»: причина», or the reason alone.
pub fn error_text(error: &ImportError) -> String {
    match &error.column {
        Some(column) => format!("«{column}»: {}", error.reason),
        None => error.reason.clone(),
    }
}

/// The header of the column the rows in error get in the file of rejected rows.
pub const REJECTED_REASON_HEADER: &str = "Что исправить";

/// The header of the column with each rejected row's line in the file uploaded.
pub const REJECTED_LINE_HEADER: &str = "Строка исходного файла";

impl ImportOutcome {
    /// Rows by fate.
    pub fn counts(&self) -> ImportCounts {
        let mut counts = ImportCounts::default();
        for row in &self.rows {
            match row.fate {
                RowFate::Create => counts.create += 1,
                RowFate::Correct { .. } => counts.update += 1,
                RowFate::Duplicate { .. } => counts.duplicate += 1,
                RowFate::Skip(_) | RowFate::Outdated { .. } | RowFate::SentElsewhere { .. } => {
                    counts.skip += 1
                }
                RowFate::Error(_) => counts.error += 1,
            }
        }
        counts
    }

    /// The cells of the file's row on `line`, as read (empty for a line the file has not).
    pub fn cells_of(&self, line: usize) -> Vec<String> {
        self.table
            .rows
            .iter()
            .find(|row| row.line == line)
            .map(|row| row.cells.clone())
            .unwrap_or_default()
    }

    /// Whether a partial import can write something: no error of the file as a whole, and at
    /// least one row to create or correct.
    pub fn can_skip_errors(&self) -> bool {
        let counts = self.counts();
        self.file_errors.is_empty() && counts.error > 0 && counts.create + counts.update > 0
    }

    /// The rows in error as a CSV file for Excel (UTF-8 with BOM, `;`): the file's own columns
    /// as uploaded, then the line they were on and what to fix, each error at its column — fix
    /// the cells, delete the two last columns or leave them (they map to nothing) and upload it
    /// again; rows imported meanwhile are recognised and not imported twice.
    pub fn rejected_rows_csv(&self) -> AppResult<Vec<u8>> {
        let mut columns: Vec<vsoko_exchange::Column> = self
            .table
            .headers
            .iter()
            .map(|header| vsoko_exchange::Column::new(header, vsoko_exchange::ColumnKind::Text))
            .collect();
        columns.push(vsoko_exchange::Column::new(
            REJECTED_LINE_HEADER,
            vsoko_exchange::ColumnKind::Integer,
        ));
        columns.push(vsoko_exchange::Column::new(
            REJECTED_REASON_HEADER,
            vsoko_exchange::ColumnKind::Text,
        ));
        let width = self.table.headers.len();
        let rows = self
            .rows
            .iter()
            .filter_map(|row| match &row.fate {
                RowFate::Error(errors) => Some((row.line, errors)),
                _ => None,
            })
            .map(|(line, errors)| {
                let mut cells: Vec<vsoko_exchange::Cell> = self
                    .cells_of(line)
                    .into_iter()
                    .map(vsoko_exchange::Cell::Text)
                    .collect();
                cells.resize(width, vsoko_exchange::Cell::Empty);
                cells.push(vsoko_exchange::Cell::Number(line as f64));
                cells.push(vsoko_exchange::Cell::Text(
                    errors.iter().map(error_text).collect::<Vec<_>>().join("; "),
                ));
                cells
            })
            .collect();
        let sheet = vsoko_exchange::Sheet {
            name: "Строки с ошибками".to_owned(),
            columns,
            rows,
        };
        Ok(vsoko_exchange::write_csv_ru(&sheet, false)?)
    }

    /// Whether the suggested profile lacks something an import needs: a required item, an answer
    /// label, or (without a fixed kindergarten) the kindergarten column.
    pub fn needs_profile(&self) -> bool {
        self.unmatched.as_ref().is_some_and(|unmatched| {
            unmatched.items.iter().any(|item| item.required) || !unmatched.labels.is_empty()
        }) || (self.profile.kindergarten_column.is_none() && self.profile.kindergarten.is_none())
    }
}

/// A file uploaded to the import wizard.
#[derive(Debug, Clone)]
pub struct StagedFile {
    /// Its id (the wizard's address).
    pub id: i64,
    /// The file name as uploaded.
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// A saved mapping profile.
#[derive(Debug, Clone)]
pub struct NamedProfile {
    /// Id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The profile.
    pub profile: MappingProfile,
}
