//! Instrument definitions for vsoko: the surveys, control cards and indicator sets of ВСОКО as data.
//!
//! An instrument version is a TOML file (format: `checklists/README.md`, JSON Schema:
//! `checklists/schema.json`). This crate parses it into private raw structs, validates it reporting
//! every problem with its file, line and path, and builds an [`Instrument`] whose invariants hold by
//! construction. It also computes the content hash of a canonical form (so storage can refuse a file
//! that changed without a new version) and checks submitted answers against an instrument.
//!
//! It knows nothing of scoring, storage or HTTP; every other vsoko crate consumes its types.

mod answers;
mod catalog;
mod crosswalk;
mod diagnostic;
mod error;
mod hash;
mod model;
mod raw;
mod schema;
mod shipped;
pub mod toml_path;
mod validate;

pub use answers::{
    Answer, AnswerError, AnswerErrorKind, AnswerSheet, AnswerValue, RawAnswer, check_value,
};
pub use catalog::{Catalog, FileReport, TARGETS_FILE_NAME, check_paths, load_file};
pub use crosswalk::{Correspondence, CrosswalkError, check_crosswalk, correspondence};
pub use diagnostic::{Diagnostic, render as render_diagnostics};
pub use error::ChecklistError;
pub use model::{
    Area, Code, ComputedSource, ContentHash, Counting, Crosswalk, CrosswalkNode, Direction,
    Indicator, IndicatorKind, Instrument, InstrumentId, InstrumentKind, Item, ItemRef, ItemRole,
    LevelBand, LevelTable, NumericRule, Percent, PointBand, Relation, Respondent, Scale, ScaleKind,
    ScaleOption, Subject, Weight, round6,
};
pub use schema::json_schema;
pub use shipped::{export_shipped, shipped_files};

/// Parses and validates an instrument from TOML text; `file` labels the diagnostics.
pub fn parse_toml(source: &str, file: &str) -> Result<Instrument, ChecklistError> {
    validate::parse_toml(source, file).map_err(|diagnostics| ChecklistError::Invalid {
        file: file.to_owned(),
        diagnostics,
    })
}

/// Rebuilds an instrument from its stored canonical JSON ([`Instrument::canonical_json`]).
/// The result has the same content hash.
pub fn parse_canonical_json(json: &str, label: &str) -> Result<Instrument, ChecklistError> {
    let source = hash::json_to_toml(json).map_err(|message| ChecklistError::Invalid {
        file: label.to_owned(),
        diagnostics: vec![Diagnostic {
            file: label.to_owned(),
            line: None,
            location: String::new(),
            message: format!("stored definition is not valid JSON of an instrument: {message}"),
            help: None,
        }],
    })?;
    parse_toml(&source, label)
}
