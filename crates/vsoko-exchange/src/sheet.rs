//! Export tables and their writers: XLSX, CSV for Russian Excel, plain CSV.

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use crate::error::ExchangeError;

/// A table to export, independent of where its data comes from (a report, raw submissions).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name in the XLSX workbook (sanitised to Excel's rules when written).
    pub name: String,
    /// Columns with Russian headers and types.
    pub columns: Vec<Column>,
    /// Rows; each has one cell per column (missing cells are written empty).
    pub rows: Vec<Vec<Cell>>,
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header, in Russian.
    pub header: String,
    /// How the values are formatted.
    pub kind: ColumnKind,
}

/// How a column's numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text.
    Text,
    /// Whole numbers.
    Integer,
    /// Numbers as they are, without a fixed number of decimals.
    Number,
    /// Numbers with a fixed number of decimals.
    Float {
        /// Decimals shown.
        decimals: u8,
    },
    /// Percent points (85.5 means 85,5 %). XLSX stores the fraction with a percent format; CSV
    /// writes the number of percent points.
    Percent {
        /// Decimals shown.
        decimals: u8,
    },
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(value: f64) -> Cell {
        Cell::Number(value)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Number(value as f64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

impl Column {
    /// A column of a kind.
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// Excel's column width unit is roughly one character of the default font.
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 60.0;
/// Excel's limit for one sheet.
const MAX_ROWS: usize = 1_048_575;

fn number_format(kind: ColumnKind) -> Option<String> {
    let decimals = |n: u8| {
        if n == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(n as usize))
        }
    };
    match kind {
        ColumnKind::Text | ColumnKind::Number => None,
        ColumnKind::Integer => Some("0".to_owned()),
        ColumnKind::Float { decimals: n } => Some(format!("0{}", decimals(n))),
        ColumnKind::Percent { decimals: n } => Some(format!("0{}%", decimals(n))),
    }
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not empty, unique in the
/// workbook (a ` (2)` suffix otherwise).
fn sheet_name(name: &str, used: &mut BTreeSet<String>) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_owned();
    let base = if cleaned.is_empty() {
        "Лист".to_owned()
    } else {
        cleaned
    };
    let mut number = 1;
    loop {
        let suffix = if number == 1 {
            String::new()
        } else {
            format!(" ({number})")
        };
        let room = 31 - suffix.chars().count();
        let candidate: String = base.chars().take(room).collect::<String>() + &suffix;
        if used.insert(candidate.to_lowercase()) {
            return candidate;
        }
        number += 1;
    }
}

fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> ExchangeError {
    ExchangeError::Export {
        format: "XLSX",
        message: error.to_string(),
    }
}

/// Writes a workbook with one sheet per table: bold, frozen header row with an autofilter, column
/// widths from the content, number formats from the column kinds.
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, ExchangeError> {
    let mut workbook = Workbook::new();
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let mut used_names = BTreeSet::new();
    for sheet in sheets {
        if sheet.rows.len() > MAX_ROWS {
            return Err(ExchangeError::Export {
                format: "XLSX",
                message: format!(
                    "в таблице «{}» {} строк, а лист Excel вмещает не более {MAX_ROWS}; выгрузите данные частями или в CSV",
                    sheet.name,
                    sheet.rows.len()
                ),
            });
        }
        let worksheet = workbook.add_worksheet();
        worksheet
            .set_name(sheet_name(&sheet.name, &mut used_names))
            .map_err(xlsx_error)?;
        let formats: Vec<Option<Format>> = sheet
            .columns
            .iter()
            .map(|column| number_format(column.kind).map(|f| Format::new().set_num_format(f)))
            .collect();
        for (index, column) in sheet.columns.iter().enumerate() {
            let col = index as u16;
            worksheet
                .write_string_with_format(0, col, &column.header, &header_format)
                .map_err(xlsx_error)?;
            let content_width = sheet
                .rows
                .iter()
                .filter_map(|row| row.get(index))
                .map(|cell| display_width(cell, column.kind))
                .max()
                .unwrap_or(0);
            let header_width = column
                .header
                .split_whitespace()
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0)
                .max(column.header.chars().count().min(24));
            let width = (content_width.max(header_width) as f64 + 2.0).clamp(MIN_WIDTH, MAX_WIDTH);
            worksheet.set_column_width(col, width).map_err(xlsx_error)?;
        }
        for (row_index, row) in sheet.rows.iter().enumerate() {
            let excel_row = row_index as u32 + 1;
            for (index, cell) in row.iter().enumerate().take(sheet.columns.len()) {
                let col = index as u16;
                let kind = sheet.columns[index].kind;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(text) => {
                        worksheet
                            .write_string(excel_row, col, text)
                            .map_err(xlsx_error)?;
                    }
                    Cell::Number(value) if !value.is_finite() => {}
                    Cell::Number(value) => {
                        let value = match kind {
                            ColumnKind::Percent { .. } => value / 100.0,
                            _ => *value,
                        };
                        match &formats[index] {
                            Some(format) => worksheet
                                .write_number_with_format(excel_row, col, value, format)
                                .map_err(xlsx_error)?,
                            None => worksheet
                                .write_number(excel_row, col, value)
                                .map_err(xlsx_error)?,
                        };
                    }
                }
            }
        }
        if !sheet.columns.is_empty() {
            worksheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
            worksheet
                .autofilter(
                    0,
                    0,
                    sheet.rows.len() as u32,
                    sheet.columns.len() as u16 - 1,
                )
                .map_err(xlsx_error)?;
        }
    }
    if sheets.is_empty() {
        workbook.add_worksheet();
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn display_width(cell: &Cell, kind: ColumnKind) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(text) => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(value) => format_number(*value, kind, true).chars().count() + 1,
    }
}

/// A number as text for CSV: integers without decimals, fixed decimals where the kind has them,
/// the shortest exact form otherwise.
fn format_number(value: f64, kind: ColumnKind, decimal_comma: bool) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = match kind {
        ColumnKind::Integer => format!("{}", value.round() as i64),
        ColumnKind::Float { decimals } | ColumnKind::Percent { decimals } => {
            // Half away from zero, as Excel shows it (85.25 → 85.3), not the binary tie rule.
            let scale = 10f64.powi(i32::from(decimals));
            let rounded = (value * scale).round() / scale;
            format!("{rounded:.*}", decimals as usize)
        }
        ColumnKind::Text | ColumnKind::Number => crate::table::number_text(value),
    };
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// Text that Excel would take for a formula gets a leading apostrophe in CSV-RU (CSV injection).
fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '@', '\t', '\r'])
        || (text.starts_with('-')
            && text.len() > 1
            && crate::profile::parse_number(text).is_none());
    if risky {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

fn write_delimited(
    sheet: &Sheet,
    delimiter: u8,
    terminator: csv::Terminator,
    decimal_comma: bool,
    excel: bool,
    bom: bool,
) -> Result<Vec<u8>, ExchangeError> {
    let csv_error = |error: csv::Error| ExchangeError::Export {
        format: "CSV",
        message: error.to_string(),
    };
    let mut output = Vec::new();
    if bom {
        output.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .flexible(false)
        .from_writer(output);
    writer
        .write_record(sheet.columns.iter().map(|column| column.header.as_str()))
        .map_err(csv_error)?;
    for row in &sheet.rows {
        let record: Vec<String> = sheet
            .columns
            .iter()
            .enumerate()
            .map(|(index, column)| match row.get(index) {
                None | Some(Cell::Empty) => String::new(),
                Some(Cell::Text(text)) if excel => defuse(text).into_owned(),
                Some(Cell::Text(text)) => text.clone(),
                Some(Cell::Number(value)) => format_number(*value, column.kind, decimal_comma),
            })
            .collect();
        writer.write_record(&record).map_err(csv_error)?;
    }
    writer.into_inner().map_err(|error| ExchangeError::Export {
        format: "CSV",
        message: error.to_string(),
    })
}

/// CSV as Russian Excel opens it by double-click: UTF-8 with BOM, `;` separator, CRLF, a decimal
/// comma when asked. Never a `sep=` line: it makes Excel ignore the BOM and garble Cyrillic.
pub fn write_csv_ru(sheet: &Sheet, decimal_comma: bool) -> Result<Vec<u8>, ExchangeError> {
    write_delimited(
        sheet,
        b';',
        csv::Terminator::CRLF,
        decimal_comma,
        true,
        true,
    )
}

/// Plain CSV for programs: UTF-8 without BOM, `,` separator, LF, decimal dot, text as is.
pub fn write_csv(sheet: &Sheet) -> Result<Vec<u8>, ExchangeError> {
    write_delimited(
        sheet,
        b',',
        csv::Terminator::Any(b'\n'),
        false,
        false,
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        let mut used = BTreeSet::new();
        assert_eq!(sheet_name("Итоги: 2025/26", &mut used), "Итоги_ 2025_26");
        assert_eq!(
            sheet_name("итоги_ 2025_26", &mut used),
            "итоги_ 2025_26 (2)"
        );
        let long = "Очень длинное название листа, больше тридцати одного";
        assert_eq!(sheet_name(long, &mut used).chars().count(), 31);
        assert_eq!(sheet_name("", &mut used), "Лист");
    }

    #[test]
    fn formula_like_text_is_defused_but_negative_numbers_are_not() {
        assert_eq!(defuse("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(defuse("-5"), "-5");
        assert_eq!(defuse("-"), "-");
        assert_eq!(defuse("- пункт"), "'- пункт");
        assert_eq!(defuse("обычный текст"), "обычный текст");
    }
}
