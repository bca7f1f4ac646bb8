//! Problems found in a targets file, each pinned to a line and a target.

use std::fmt;

/// One problem in a targets file: the same diagnostic as an instrument file's, rendered as
/// `FILE:LINE: LOCATION: MESSAGE` with a `help:` line.
pub use vsoko_checklist::Diagnostic;

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
