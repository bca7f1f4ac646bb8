//! Reading an uploaded file into a plain table of text cells.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1251};

use crate::error::ExchangeError;

/// A wide table as uploaded: one header row, then one row per respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header texts, trimmed, in file order.
    pub headers: Vec<String>,
    /// The line (or sheet row) of the header row, 1-based.
    pub header_line: usize,
    /// Data rows in file order.
    pub rows: Vec<Row>,
    /// What the file turned out to be, for the report.
    pub source: SourceFormat,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the CSV file (where the record starts) or row number of the sheet, as the
    /// user sees it in a text editor or in Excel.
    pub line: usize,
    /// Cell texts, trimmed. May be shorter than the headers (a truncated row) or longer.
    pub cells: Vec<String>,
}

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Delimited text.
    Csv {
        /// The encoding detected.
        encoding: TextEncoding,
        /// The separator detected: `,`, `;` or tab.
        separator: u8,
    },
    /// The first sheet of a spreadsheet (XLSX, XLS, ODS).
    Spreadsheet,
}

/// Text encodings recognised in CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 with a byte-order mark (Excel's «CSV UTF-8»).
    Utf8Bom,
    /// UTF-8 without a byte-order mark (Google Forms, Yandex Forms).
    Utf8,
    /// UTF-16 with a byte-order mark (Excel's «Текст Юникод»).
    Utf16,
    /// Windows-1251 (Excel's plain «CSV (разделители — запятые)» on a Russian Windows).
    Windows1251,
}

impl Row {
    /// The cell under a column, `""` when the row is shorter.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }

    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.is_empty())
    }
}

impl Table {
    /// Indexes of every column with this header (compared exactly, after trimming).
    pub fn columns_named(&self, header: &str) -> Vec<usize> {
        let header = header.trim();
        self.headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.as_str() == header)
            .map(|(index, _)| index)
            .collect()
    }
}

/// Reads a CSV (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1251; separator `,`, `;` or tab)
/// or a spreadsheet (first sheet of XLSX, XLS or ODS). `file_name` decides the format by its
/// extension (content sniffing when there is none) and labels errors.
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table, ExchangeError> {
    if is_spreadsheet(bytes, file_name) {
        read_spreadsheet(bytes, file_name)
    } else {
        read_csv(bytes, file_name)
    }
}

fn is_spreadsheet(bytes: &[u8], file_name: &str) -> bool {
    let lower = file_name.to_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => true,
        "csv" | "txt" | "tsv" => false,
        // ZIP (xlsx, ods) or OLE (xls) signatures.
        _ => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
    }
}

/// Decodes a text file: BOMs first, then strict UTF-8, and Windows-1251 for anything else (the only
/// single-byte Cyrillic encoding Russian Excel and 1С write).
fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8Bom,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), TextEncoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = UTF_16BE.decode_without_bom_handling(rest);
        return (text.into_owned(), TextEncoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = WINDOWS_1251.decode_without_bom_handling(bytes);
            (text.into_owned(), TextEncoding::Windows1251)
        }
    }
}

/// How many records the separator is judged on.
const SNIFFED_RECORDS: usize = 50;

/// Picks the separator under which the first records have one consistent number of fields (more
/// than one), parsed by the csv crate with quotes honoured: a `;` file whose header cells contain
/// commas — every Russian question text does — splits into the same number of fields on every
/// line only with `;`. When several separators are consistent, the one giving more fields wins,
/// then `;` (Russian Excel), tab, `,`; when none is, the one with the most records matching its
/// header's field count.
fn detect_separator(text: &str) -> u8 {
    let mut best: Option<((bool, bool, usize, usize), u8)> = None;
    for (preference, separator) in [b';', b'\t', b','].into_iter().enumerate() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator)
            .from_reader(text.as_bytes());
        let mut counts = Vec::new();
        for record in reader.records().take(SNIFFED_RECORDS) {
            match record {
                Ok(record) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
                Ok(record) => counts.push(record.len()),
                Err(_) => break,
            }
        }
        let Some(&width) = counts.first() else {
            continue;
        };
        let matching = counts.iter().filter(|&&count| count == width).count();
        let splits = width > 1;
        let consistent = splits && matching == counts.len();
        // Ordered: consistency first, then whether it splits the header at all, then fields (when
        // consistent) or matching records, then the preference of the separator.
        let score = (
            consistent,
            splits,
            if consistent { width } else { matching },
            2 - preference,
        );
        if best.as_ref().is_none_or(|(other, _)| score > *other) {
            best = Some((score, separator));
        }
    }
    // A single column: no separator splits it; `,` as anywhere else.
    best.filter(|((_, splits, ..), _)| *splits)
        .map_or(b',', |(_, separator)| separator)
}

/// A cell as the import sees it: trimmed, and without control characters other than line breaks
/// and tabs (a NUL, which PostgreSQL cannot store, or a stray form feed from a copied text).
fn clean(cell: &str) -> String {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.chars().any(is_stripped) {
        trimmed.chars().filter(|&c| !is_stripped(c)).collect()
    } else {
        trimmed.to_owned()
    }
}

fn is_stripped(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t')
}

fn read_csv(bytes: &[u8], file_name: &str) -> Result<Table, ExchangeError> {
    let (text, encoding) = decode(bytes);
    // The csv crate miscounts lines after a CRLF-terminated record; Excel writes CRLF.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let separator = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| ExchangeError::Csv {
            file: file_name.to_owned(),
            line: error
                .position()
                .map(|position| position.line() as usize)
                .unwrap_or(0),
            message: error.to_string(),
        })?;
        let line = record
            .position()
            .map(|position| position.line() as usize)
            .unwrap_or(0);
        let cells: Vec<String> = record.iter().map(clean).collect();
        match headers {
            None => {
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                headers = Some(trim_trailing_empty(cells));
                header_line = line;
            }
            Some(_) => rows.push(Row { line, cells }),
        }
    }
    let headers = headers.ok_or_else(|| ExchangeError::EmptyFile {
        file: file_name.to_owned(),
    })?;
    // A quote left open swallows the rest of the file into one cell; say so instead of reporting a
    // puzzling row.
    if let Some(row) = rows.last()
        && row.cells.iter().any(|cell| cell.contains('\n'))
        && text.matches('"').count() % 2 == 1
    {
        return Err(ExchangeError::Csv {
            file: file_name.to_owned(),
            line: row.line,
            message: "кавычка открыта, но не закрыта до конца файла".to_owned(),
        });
    }
    Ok(Table {
        headers,
        header_line,
        rows,
        source: SourceFormat::Csv {
            encoding,
            separator,
        },
    })
}

fn trim_trailing_empty(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

fn read_spreadsheet(bytes: &[u8], file_name: &str) -> Result<Table, ExchangeError> {
    let spreadsheet_error = |message: String| ExchangeError::Spreadsheet {
        file: file_name.to_owned(),
        message,
    };
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|error| spreadsheet_error(error.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| spreadsheet_error("в книге нет ни одного листа".to_owned()))?
        .map_err(|error| spreadsheet_error(error.to_string()))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    // Cells left of the used range are empty; keep column positions as Excel shows them.
    let padding = first_column as usize;
    let mut headers: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut rows = Vec::new();
    for (index, cells) in range.rows().enumerate() {
        let line = first_row as usize + index + 1;
        let cells: Vec<String> = std::iter::repeat_n(String::new(), padding)
            .chain(cells.iter().map(cell_text))
            .collect();
        match headers {
            None => {
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                headers = Some(trim_trailing_empty(cells));
                header_line = line;
            }
            Some(ref headers) => {
                // Sheets have no truncated rows: the used range is rectangular. Cells right of the
                // last header matter only when they hold something.
                let mut cells = cells;
                while cells.len() > headers.len() && cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                rows.push(Row { line, cells });
            }
        }
    }
    // Blank rows at the bottom of a sheet are formatting, not answers.
    while rows.last().is_some_and(Row::is_blank) {
        rows.pop();
    }
    let headers = headers.ok_or_else(|| ExchangeError::EmptyFile {
        file: file_name.to_owned(),
    })?;
    Ok(Table {
        headers,
        header_line,
        rows,
        source: SourceFormat::Spreadsheet,
    })
}

/// A spreadsheet cell as text: integers without `.0`, other numbers in the shortest form with a
/// dot, dates as `YYYY-MM-DD` and date-times as `YYYY-MM-DD HH:MM:SS`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => clean(text),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => number_text(*value),
        Data::Bool(true) => "ИСТИНА".to_owned(),
        Data::Bool(false) => "ЛОЖЬ".to_owned(),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
            if datetime.as_f64().fract() == 0.0 {
                format!("{year:04}-{month:02}-{day:02}")
            } else if datetime.as_f64() < 1.0 {
                format!("{hour:02}:{minute:02}:{second:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTime(duration) => number_text(duration.as_f64()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_detected_outside_quotes() {
        assert_eq!(detect_separator("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_separator("\"a;b\",c,d\n"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("один столбец"), b',');
    }

    #[test]
    fn invalid_utf8_is_decoded_as_windows_1251() {
        let (text, encoding) = decode(b"\xcf\xf0\xe8\xe2\xe5\xf2");
        assert_eq!(text, "Привет");
        assert_eq!(encoding, TextEncoding::Windows1251);
    }
}
