//! The crate's one error type.

use std::path::PathBuf;

use crate::answers::AnswerError;
use crate::diagnostic::{Diagnostic, render};
use crate::model::InstrumentId;

/// Everything that can go wrong when loading instruments or checking answers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChecklistError {
    /// A file or directory could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The path that could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An instrument definition has problems; every one found is listed.
    #[error("{} problem(s) in {file}:\n{}", diagnostics.len(), render(diagnostics))]
    Invalid {
        /// The file (or source label).
        file: String,
        /// Every problem found.
        diagnostics: Vec<Diagnostic>,
    },
    /// No instrument with this code (and version) is known.
    #[error("instrument {code}{} is not defined; known instruments: {known}", version.map(|v| format!("@{v}")).unwrap_or_default())]
    NotFound {
        /// The code asked for.
        code: String,
        /// The version asked for, if one was.
        version: Option<u32>,
        /// The known `code@version` list.
        known: String,
    },
    /// Answers of a submission are invalid; every invalid answer is listed.
    #[error("{} invalid answer(s) for {instrument}", errors.len())]
    InvalidAnswers {
        /// The instrument version the answers were checked against.
        instrument: InstrumentId,
        /// Every invalid answer.
        errors: Vec<AnswerError>,
    },
}
