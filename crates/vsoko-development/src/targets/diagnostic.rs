//! Problems found in a targets file, each pinned to a line and a target.

use std::fmt;

/// One problem in a targets file.
///
/// Rendered as `FILE:LINE: LOCATION: MESSAGE` followed by a `help:` line, for example
/// `targets.toml:12: target kpk-36-teachers: value 120 is above 100 for a percent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or other source label).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Where in the file, for example `target kpk-36-teachers → source`; empty for the top level.
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

/// A targets file that cannot be used: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetsError {
    /// The file (or source label).
    pub file: String,
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for TargetsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s) in {}:", self.diagnostics.len(), self.file)?;
        for diagnostic in &self.diagnostics {
            write!(f, "\n{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TargetsError {}

/// 1-based line number of a byte offset.
pub(super) fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
