//! The dry run: what importing a table with a profile would do, row by row.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use sha2::{Digest, Sha256};
use vsoko_checklist::{
    AnswerError, AnswerErrorKind, AnswerSheet, AnswerValue, ChecklistError, Instrument,
    InstrumentId, RawAnswer, check_value,
};

use crate::error::ExchangeError;
use crate::profile::MappingProfile;
use crate::table::{Row, Table};
use crate::timestamp::parse_timestamp;

/// The outcome of a dry run. Nothing is written: the storage layer creates the
/// [`RowOutcome::Create`] rows in one transaction, and only when [`ImportPlan::is_clean`].
#[derive(Debug, Clone)]
pub struct ImportPlan {
    /// The instrument version the answers were checked against.
    pub instrument: InstrumentId,
    /// Problems of the file as a whole (a mapped column missing from the header, a required item
    /// mapped to no column); they are reported on the header line.
    pub file_errors: Vec<ImportError>,
    /// One outcome per data row, in file order.
    pub rows: Vec<RowOutcome>,
    /// The header of the kindergarten column, when the profile names one (for locating errors
    /// added by [`ImportPlan::reject_unknown_kindergartens`]).
    pub kindergarten_column: Option<String>,
}

/// What happens to one row.
#[derive(Debug, Clone)]
pub enum RowOutcome {
    /// A submission will be created.
    Create(PlannedSubmission),
    /// The row is left out; not an error.
    Skip {
        /// The row's line.
        line: usize,
        /// The respondent, when known.
        respondent: Option<String>,
        /// Why.
        reason: SkipReason,
    },
    /// The row cannot be imported.
    Error {
        /// The row's line.
        line: usize,
        /// Every problem of the row. Empty when the row fails only because of
        /// [`ImportPlan::file_errors`].
        errors: Vec<ImportError>,
    },
}

/// A row that will become a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSubmission {
    /// The row's line.
    pub line: usize,
    /// The respondent as written in the file (e-mail, ФИО), when the profile has such a column.
    pub respondent: Option<String>,
    /// The kindergarten as written in the file or fixed by the profile; the caller resolves it.
    pub kindergarten: String,
    /// What is assessed (group, teacher) as written in the file, when the profile has such a
    /// column.
    pub subject: Option<String>,
    /// When the form was filled in, ISO 8601 (`2025-09-15T10:23:45`, `+03:00` when known).
    pub timestamp: Option<String>,
    /// The respondent's e-mail, when the profile has an e-mail column and the cell holds one.
    pub email: Option<String>,
    /// The checked answers.
    pub answers: AnswerSheet,
    /// SHA-256 (hex) of instrument version, kindergarten, respondent, subject and answers: the
    /// same row imported again has the same hash. See [`PlannedSubmission::idempotency_key`].
    pub row_hash: String,
}

/// Why a row is skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Every cell is empty.
    EmptyRow,
    /// The same respondent (in the same kindergarten) answered again further down the file; the
    /// later answer is imported, as forms list answers in the order they were sent.
    DuplicateRespondent {
        /// The line that is imported instead.
        kept_line: usize,
    },
}

/// One problem, located by line and column, described in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line (the header line for problems of the file as a whole).
    pub line: usize,
    /// The header text of the column, when the problem is in one.
    pub column: Option<String>,
    /// What is wrong and what to do, in Russian.
    pub reason: String,
}

/// How many rows end up where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanCounts {
    /// Rows that will be created.
    pub create: usize,
    /// Rows skipped (empty, duplicates).
    pub skip: usize,
    /// Rows with errors.
    pub error: usize,
}

impl PlannedSubmission {
    /// The idempotency key for storing this row in a period: importing the same file into the
    /// same period again yields the same keys, so nothing new is created.
    pub fn idempotency_key(&self, period: &str) -> String {
        let digest = Sha256::digest(format!("vsoko-import/1\n{period}\n{}", self.row_hash));
        format!("import-{}", hex(&digest))
    }
}

/// Whether an idempotency key is one an import gives its rows
/// ([`PlannedSubmission::idempotency_key`]), not one of a web form or an API client.
pub fn is_import_key(key: &str) -> bool {
    key.strip_prefix("import-")
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl ImportPlan {
    /// Whether the import can run: no file errors and no row errors.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty()
            && !self
                .rows
                .iter()
                .any(|row| matches!(row, RowOutcome::Error { .. }))
    }

    /// Rows by outcome.
    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts::default();
        for row in &self.rows {
            match row {
                RowOutcome::Create(_) => counts.create += 1,
                RowOutcome::Skip { .. } => counts.skip += 1,
                RowOutcome::Error { .. } => counts.error += 1,
            }
        }
        counts
    }

    /// The submissions to create, in file order.
    pub fn creates(&self) -> impl Iterator<Item = &PlannedSubmission> {
        self.rows.iter().filter_map(|row| match row {
            RowOutcome::Create(planned) => Some(planned),
            _ => None,
        })
    }

    /// Every error, file errors first, then rows in file order.
    pub fn errors(&self) -> impl Iterator<Item = &ImportError> {
        self.file_errors
            .iter()
            .chain(self.rows.iter().flat_map(|row| match row {
                RowOutcome::Error { errors, .. } => errors.as_slice(),
                _ => &[],
            }))
    }

    /// Turns rows whose kindergarten the caller does not know (or may not import into) into
    /// errors. `known` receives the kindergarten as written.
    pub fn reject_unknown_kindergartens(&mut self, mut known: impl FnMut(&str) -> bool) {
        for row in &mut self.rows {
            if let RowOutcome::Create(planned) = row
                && !known(&planned.kindergarten)
            {
                *row = RowOutcome::Error {
                    line: planned.line,
                    errors: vec![ImportError {
                        line: planned.line,
                        column: self.kindergarten_column.clone(),
                        reason: format!(
                            "детский сад «{}» не найден среди доступных вам; проверьте название",
                            planned.kindergarten
                        ),
                    }],
                };
            }
        }
    }
}

/// Plans the import of every row of `table` into `instrument` with `profile`: each row is
/// created, skipped (empty, or an earlier answer of a respondent who answered again) or rejected
/// with every problem located by line and column. Fails only when the profile does not fit the
/// instrument.
pub fn plan_import(
    instrument: &Instrument,
    profile: &MappingProfile,
    table: &Table,
) -> Result<ImportPlan, ExchangeError> {
    profile.check(instrument)?;
    let mut file_errors = Vec::new();
    let header_error = |column: &str, reason: String| ImportError {
        line: table.header_line,
        column: Some(column.to_owned()),
        reason,
    };
    // Resolves a header named by the profile to exactly one column.
    let locate = |column: &str, role: &str, file_errors: &mut Vec<ImportError>| match table
        .columns_named(column)
        .as_slice()
    {
        [index] => Some(*index),
        [] => {
            file_errors.push(header_error(
                    column,
                    format!(
                        "в файле нет столбца «{column}» ({role}); проверьте, что выгружена та же форма, или измените профиль импорта"
                    ),
                ));
            None
        }
        _ => {
            file_errors.push(header_error(
                    column,
                    format!(
                        "в файле несколько столбцов с заголовком «{column}»; переименуйте их, чтобы заголовки различались"
                    ),
                ));
            None
        }
    };
    let respondent_column = profile
        .respondent_column
        .as_deref()
        .map(|column| (column, locate(column, "респондент", &mut file_errors)));
    let kindergarten_column = profile
        .kindergarten_column
        .as_deref()
        .map(|column| (column, locate(column, "детский сад", &mut file_errors)));
    let subject_column = profile
        .subject_column
        .as_deref()
        .map(|column| (column, locate(column, "объект оценки", &mut file_errors)));
    let timestamp_column = profile
        .timestamp_column
        .as_deref()
        .map(|column| (column, locate(column, "время заполнения", &mut file_errors)));
    let email_column = profile.email_column.as_deref().map(|column| {
        (
            column,
            locate(column, "электронная почта", &mut file_errors),
        )
    });
    let mut item_columns = Vec::new();
    let mut broken_items = BTreeSet::new();
    for mapping in &profile.items {
        let role = format!("пункт {}", mapping.item);
        match locate(&mapping.column, &role, &mut file_errors) {
            Some(index) => item_columns.push((index, mapping)),
            None => {
                broken_items.insert(mapping.item.as_str());
            }
        }
    }
    let mut comment_columns = BTreeMap::new();
    for mapping in &profile.comments {
        let role = format!("комментарий к пункту {}", mapping.item);
        if let Some(index) = locate(&mapping.column, &role, &mut file_errors) {
            comment_columns.insert(mapping.item.as_str(), index);
        }
    }
    for item in instrument.items() {
        let code = item.item.code().as_str();
        if item.item.is_required() && !profile.items.iter().any(|m| m.item == code) {
            file_errors.push(ImportError {
                line: table.header_line,
                column: None,
                reason: format!(
                    "обязательный пункт {code} «{}» не сопоставлен ни одному столбцу; укажите столбец в профиле импорта",
                    item.item.text()
                ),
            });
            broken_items.insert(code);
        }
    }
    let header_broken = !file_errors.is_empty();

    let columns = Columns {
        respondent: respondent_column,
        kindergarten: kindergarten_column,
        subject: subject_column,
        timestamp: timestamp_column,
        email: email_column,
        items: item_columns,
        comments: comment_columns,
        broken_items,
    };
    let mut rows: Vec<RowOutcome> = table
        .rows
        .iter()
        .map(|row| plan_row(instrument, profile, table, &columns, row))
        .map(|outcome| match outcome {
            // Rows blocked only by the header are listed without repeating its errors.
            RowOutcome::Create(planned) if header_broken => RowOutcome::Error {
                line: planned.line,
                errors: Vec::new(),
            },
            other => other,
        })
        .collect();

    mark_duplicates(table, &columns, profile, &mut rows);
    disambiguate_hashes(&mut rows);
    Ok(ImportPlan {
        instrument: instrument.id().clone(),
        file_errors,
        rows,
        kindergarten_column: profile.kindergarten_column.clone(),
    })
}

struct Columns<'p> {
    respondent: Option<(&'p str, Option<usize>)>,
    kindergarten: Option<(&'p str, Option<usize>)>,
    subject: Option<(&'p str, Option<usize>)>,
    timestamp: Option<(&'p str, Option<usize>)>,
    email: Option<(&'p str, Option<usize>)>,
    items: Vec<(usize, &'p crate::profile::ColumnMapping)>,
    comments: BTreeMap<&'p str, usize>,
    broken_items: BTreeSet<&'p str>,
}

/// Reads an identifying cell; `Err(())` when the column is set but missing from the file (already
/// reported).
fn identity(row: &Row, column: Option<(&str, Option<usize>)>) -> Result<Option<String>, ()> {
    match column {
        None => Ok(None),
        Some((_, None)) => Err(()),
        Some((_, Some(index))) => Ok(Some(row.cell(index).to_owned())),
    }
}

fn plan_row(
    instrument: &Instrument,
    profile: &MappingProfile,
    table: &Table,
    columns: &Columns<'_>,
    row: &Row,
) -> RowOutcome {
    let line = row.line;
    if row.is_blank() {
        return RowOutcome::Skip {
            line,
            respondent: None,
            reason: SkipReason::EmptyRow,
        };
    }
    let error = |column: Option<&str>, reason: String| ImportError {
        line,
        column: column.map(str::to_owned),
        reason,
    };
    let width = table.headers.len();
    if row.cells.len() < width {
        let first_missing = &table.headers[row.cells.len()];
        return RowOutcome::Error {
            line,
            errors: vec![error(
                Some(first_missing),
                format!(
                    "строка обрезана: {} ячеек из {}, нет значений начиная со столбца «{first_missing}»; проверьте, что файл выгружен полностью",
                    row.cells.len(),
                    width
                ),
            )],
        };
    }
    if let Some(extra) = row.cells[width..].iter().find(|cell| !cell.is_empty()) {
        return RowOutcome::Error {
            line,
            errors: vec![error(
                None,
                format!(
                    "в строке {} ячеек, а в заголовке {width} столбцов (лишнее значение «{extra}»); вероятно, в тексте ответа есть разделитель без кавычек",
                    row.cells.len()
                ),
            )],
        };
    }

    let mut errors = Vec::new();
    let respondent = identity(row, columns.respondent).unwrap_or(None);
    if let Some((column, Some(_))) = columns.respondent
        && respondent.as_deref() == Some("")
    {
        errors.push(error(
            Some(column),
            "не указан респондент; заполните ячейку или удалите строку".to_owned(),
        ));
    }
    let kindergarten = match columns.kindergarten {
        None => profile.kindergarten.clone().unwrap_or_default(),
        Some((column, Some(index))) => {
            let value = row.cell(index).to_owned();
            if value.is_empty() {
                errors.push(error(
                    Some(column),
                    "не указан детский сад; заполните ячейку".to_owned(),
                ));
            }
            value
        }
        Some((_, None)) => String::new(),
    };
    let subject = identity(row, columns.subject).unwrap_or(None);
    if let Some((column, Some(_))) = columns.subject
        && subject.as_deref() == Some("")
    {
        errors.push(error(
            Some(column),
            "не указан объект оценки; заполните ячейку".to_owned(),
        ));
    }
    let mut timestamp = None;
    if let Some((column, Some(index))) = columns.timestamp {
        let cell = row.cell(index);
        if !cell.is_empty() {
            timestamp = parse_timestamp(cell);
            if timestamp.is_none() {
                errors.push(error(
                    Some(column),
                    format!(
                        "не удалось распознать дату и время «{cell}»; ожидается, например, 15.09.2025 10:23:45"
                    ),
                ));
            }
        }
    }

    let mut raw_answers = Vec::new();
    for &(index, mapping) in &columns.items {
        let Some(item) = instrument.item(&mapping.item) else {
            continue;
        };
        let cell = row.cell(index);
        if cell.is_empty() {
            continue;
        }
        let Some(value) = profile.resolve(&item, cell) else {
            errors.push(error(
                Some(&mapping.column),
                format!(
                    "неизвестный вариант ответа «{cell}» для пункта {}; {}",
                    mapping.item,
                    allowed_labels(&item)
                ),
            ));
            continue;
        };
        if let Err(kind) = check_value(&item, value) {
            errors.push(error(
                Some(&mapping.column),
                AnswerError {
                    item: mapping.item.clone(),
                    value: Some(value),
                    kind,
                }
                .to_string(),
            ));
            continue;
        }
        let comment = columns
            .comments
            .get(mapping.item.as_str())
            .map(|&index| row.cell(index).to_owned())
            .filter(|comment| !comment.is_empty());
        raw_answers.push(RawAnswer {
            item: mapping.item.clone(),
            value,
            comment,
        });
    }
    if !errors.is_empty() {
        return RowOutcome::Error { line, errors };
    }

    let answers = match instrument.validate_answers(raw_answers) {
        Ok(answers) => answers,
        Err(ChecklistError::InvalidAnswers {
            errors: answer_errors,
            ..
        }) => {
            let errors = answer_errors
                .into_iter()
                .filter(|answer_error| {
                    // Items without a usable column were reported once for the whole file.
                    !(answer_error.kind == AnswerErrorKind::Missing
                        && columns.broken_items.contains(answer_error.item.as_str()))
                })
                .map(|answer_error| {
                    let column = columns
                        .items
                        .iter()
                        .find(|(_, mapping)| mapping.item == answer_error.item)
                        .map(|(_, mapping)| mapping.column.as_str());
                    error(column, answer_error.to_string())
                })
                .collect();
            return RowOutcome::Error { line, errors };
        }
        Err(other) => {
            return RowOutcome::Error {
                line,
                errors: vec![error(None, other.to_string())],
            };
        }
    };
    let row_hash = row_hash(
        instrument.id(),
        &kindergarten,
        respondent.as_deref(),
        subject.as_deref(),
        &answers,
    );
    // An e-mail is kept when it looks like one; anything else in the column is not a contact.
    let email = identity(row, columns.email)
        .unwrap_or(None)
        .map(|cell| cell.trim().to_owned())
        .filter(|cell| {
            cell.len() <= 254 && cell.contains('@') && !cell.contains(char::is_whitespace)
        });
    RowOutcome::Create(PlannedSubmission {
        line,
        respondent,
        kindergarten,
        subject,
        timestamp,
        email,
        answers,
        row_hash,
    })
}

fn allowed_labels(item: &vsoko_checklist::ItemRef<'_>) -> String {
    match item.scale.options() {
        Some(options) => {
            let mut labels: Vec<String> = options
                .iter()
                .map(|option| format!("«{}»", option.label()))
                .collect();
            if let Some(na) = item.scale.na_label() {
                labels.push(format!("«{na}»"));
            }
            format!(
                "допустимые варианты: {}; другой вариант сопоставьте значению шкалы в профиле импорта",
                labels.join(", ")
            )
        }
        None => "ожидается число".to_owned(),
    }
}

/// Respondent identity for duplicate detection: case, «ё» and repeated spaces do not matter.
fn identity_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

fn row_kindergarten(row: &Row, columns: &Columns<'_>, profile: &MappingProfile) -> String {
    match columns.kindergarten {
        Some((_, Some(index))) => row.cell(index).to_owned(),
        _ => profile.kindergarten.clone().unwrap_or_default(),
    }
}

/// Keeps the last row of every respondent; earlier ones become skips.
fn mark_duplicates(
    table: &Table,
    columns: &Columns<'_>,
    profile: &MappingProfile,
    rows: &mut [RowOutcome],
) {
    let Some((_, Some(respondent_index))) = columns.respondent else {
        return;
    };
    let mut last_line: BTreeMap<(String, String), usize> = BTreeMap::new();
    let keys: Vec<Option<(String, String)>> = table
        .rows
        .iter()
        .map(|row| {
            let respondent = row.cell(respondent_index);
            if row.is_blank() || respondent.is_empty() {
                return None;
            }
            let kindergarten = row_kindergarten(row, columns, profile);
            Some((identity_key(&kindergarten), identity_key(respondent)))
        })
        .collect();
    for (key, row) in keys.iter().zip(&table.rows) {
        if let Some(key) = key {
            last_line.insert(key.clone(), row.line);
        }
    }
    for ((key, row), outcome) in keys.iter().zip(&table.rows).zip(rows.iter_mut()) {
        let Some(key) = key else { continue };
        let kept_line = last_line[key];
        if kept_line != row.line {
            *outcome = RowOutcome::Skip {
                line: row.line,
                respondent: Some(row.cell(respondent_index).to_owned()),
                reason: SkipReason::DuplicateRespondent { kept_line },
            };
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn row_hash(
    instrument: &InstrumentId,
    kindergarten: &str,
    respondent: Option<&str>,
    subject: Option<&str>,
    answers: &AnswerSheet,
) -> String {
    let mut canonical = format!(
        "vsoko-import-row/1\n{instrument}\n{}\n{}\n{}\n",
        identity_key(kindergarten),
        identity_key(respondent.unwrap_or("")),
        identity_key(subject.unwrap_or(""))
    );
    for (code, answer) in answers.iter() {
        let value = match answer.value {
            AnswerValue::Value(value) => format!("{value:?}"),
            AnswerValue::NotApplicable => "na".to_owned(),
        };
        let comment = answer.comment.as_deref().unwrap_or("").replace('\n', " ");
        canonical.push_str(&format!("{code}\t{value}\t{comment}\n"));
    }
    hex(&Sha256::digest(canonical))
}

/// Anonymous rows with identical answers are distinct submissions: the n-th repeat gets `#n` mixed
/// into its hash, which is stable as long as the file is the same.
fn disambiguate_hashes(rows: &mut [RowOutcome]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        if let RowOutcome::Create(planned) = row {
            let count = seen.entry(planned.row_hash.clone()).or_insert(0);
            if *count > 0 {
                planned.row_hash = hex(&Sha256::digest(format!("{}#{}", planned.row_hash, *count)));
            }
            *count += 1;
        }
    }
}

impl fmt::Display for ImportPlan {
    /// The dry-run report, in Russian.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = self.counts();
        writeln!(f, "Проверка импорта в инструмент {}", self.instrument)?;
        writeln!(
            f,
            "Строк с ответами: {}. Будет создано: {}, пропущено: {}, с ошибками: {}.",
            self.rows.len(),
            counts.create,
            counts.skip,
            counts.error
        )?;
        if !self.file_errors.is_empty() {
            writeln!(f, "\nОшибки в заголовке файла:")?;
            for error in &self.file_errors {
                writeln!(f, "  {error}")?;
            }
        }
        let row_errors: Vec<&ImportError> = self
            .rows
            .iter()
            .flat_map(|row| match row {
                RowOutcome::Error { errors, .. } => errors.as_slice(),
                _ => &[],
            })
            .collect();
        if !row_errors.is_empty() {
            writeln!(f, "\nОшибки в строках:")?;
            for error in row_errors {
                writeln!(f, "  {error}")?;
            }
        }
        let blocked = self
            .rows
            .iter()
            .filter(|row| matches!(row, RowOutcome::Error { errors, .. } if errors.is_empty()))
            .count();
        if blocked > 0 {
            writeln!(
                f,
                "  Ещё строк, которые нельзя импортировать из-за ошибок в заголовке: {blocked}."
            )?;
        }
        let skips: Vec<&RowOutcome> = self
            .rows
            .iter()
            .filter(|row| matches!(row, RowOutcome::Skip { .. }))
            .collect();
        if !skips.is_empty() {
            writeln!(f, "\nПропущенные строки:")?;
            for skip in skips {
                if let RowOutcome::Skip {
                    line,
                    respondent,
                    reason,
                } = skip
                {
                    match reason {
                        SkipReason::EmptyRow => writeln!(f, "  строка {line}: пустая строка")?,
                        SkipReason::DuplicateRespondent { kept_line } => writeln!(
                            f,
                            "  строка {line}: повторный ответ респондента «{}»; импортируется более поздний ответ из строки {kept_line}",
                            respondent.as_deref().unwrap_or("")
                        )?,
                    }
                }
            }
        }
        writeln!(f)?;
        if self.is_clean() {
            writeln!(
                f,
                "Ошибок нет: импорт можно выполнить. Повторный импорт того же файла новых анкет не создаст."
            )
        } else {
            writeln!(
                f,
                "Импорт не выполнен: исправьте ошибки в файле или в профиле импорта и повторите проверку. Анкеты загружаются только все сразу."
            )
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "строка {}, столбец «{column}»: {}",
                self.line, self.reason
            ),
            None => write!(f, "строка {}: {}", self.line, self.reason),
        }
    }
}
