//! Problems found in an instrument file, each pinned to a place a person can find.

use std::fmt;

/// One problem in an instrument definition.
///
/// Rendered as `FILE:LINE: LOCATION: MESSAGE` followed by a `help:` line, for example
/// `checklists/dc-teacher/v1.toml:57: area A2 → indicator A2.3 → item A2.3.1: scale "ladder6" is
/// not defined; defined scales: ladder5, yes_no`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or other source label) the problem is in.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Where inside the instrument, for example `area A2 → indicator A2.3 → item A2.3.1`; empty for
    /// the top level.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if !self.location.is_empty() {
            write!(f, "{}: ", self.location)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Renders a list of diagnostics, one per paragraph.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) use crate::toml_path::line_of;
