//! Data exchange with the tools methodists already use: import of Google Forms and Yandex Forms
//! exports, and exports that open correctly in Russian Excel.
//!
//! Import is three pure steps, so that the CLI and the API only add storage around them:
//! 1. [`read_table`] turns an uploaded CSV (UTF-8 with or without BOM, UTF-16, Windows-1251;
//!    `,` `;` or tab) or spreadsheet (first sheet of XLSX/XLS/ODS) into a [`Table`] of text cells
//!    with line numbers.
//! 2. [`suggest_profile`] proposes a [`MappingProfile`] (column → item, respondent, kindergarten and
//!    timestamp columns, label recodings) and lists what it could not match ([`Unmatched`]); the
//!    user completes it and the caller saves it as JSON.
//! 3. [`plan_import`] is the dry run: every row becomes a submission to create (with checked
//!    answers and a stable row hash for idempotency), a skip (empty, earlier answer of the same
//!    respondent) or errors located by line and column, in Russian. The storage layer writes the
//!    plan in one transaction only when [`ImportPlan::is_clean`].
//!
//! Export tables are [`Sheet`]s, independent of where the data comes from; [`write_xlsx`],
//! [`write_csv_ru`] and [`write_csv`] write them, and [`raw_submissions_sheet`] builds the long
//! raw-data table.
//!
//! Documents people file (the аналитическая справка) are [`Document`]s, written by
//! [`write_docx`]; their charts ([`chart`]) are SVG, inline in the web pages and drawn to PNG in
//! Word.
//!
//! This crate knows instruments (`vsoko-checklist`) but nothing of storage, scoring or HTTP.

pub mod chart;
mod document;
mod error;
mod plan;
mod profile;
mod raw;
mod sheet;
mod table;
mod timestamp;

pub use document::{
    Block, Document, Properties as DocumentProperties, Section, Table as DocumentTable, TableCell,
    write_docx,
};
pub use error::ExchangeError;
pub use plan::{
    ImportError, ImportPlan, PlanCounts, PlannedSubmission, RowOutcome, SkipReason, is_import_key,
    plan_import,
};
pub use profile::{
    ColumnMapping, MappingProfile, Unmatched, UnmatchedItem, UnmatchedLabel, normalize,
    suggest_profile,
};
pub use raw::{RAW_HEADERS, RawSubmission, raw_submissions_sheet};
pub use sheet::{Cell, Column, ColumnKind, Sheet, write_csv, write_csv_ru, write_xlsx};
pub use table::{Row, SourceFormat, Table, TextEncoding, read_table};
