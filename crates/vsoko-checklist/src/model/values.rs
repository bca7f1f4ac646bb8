//! The plain values of an instrument: codes, weights, percentages, its identity and content
//! hash.

use std::fmt;

/// A stable code of an instrument, area, indicator, item, scale or level band.
///
/// Invariant: non-empty, at most 64 characters, only ASCII letters, digits, `.`, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(String);

impl Code {
    /// Checks `raw` and wraps it, or says what is wrong with it.
    pub fn parse(raw: &str) -> Result<Code, String> {
        if raw.is_empty() {
            return Err("the code is empty".to_owned());
        }
        if raw.len() > 64 {
            return Err(format!("the code \"{raw}\" is longer than 64 characters"));
        }
        if let Some(bad) = raw
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        {
            return Err(format!(
                "the code \"{raw}\" contains {bad:?}; use only latin letters, digits, '.', '-' and '_'"
            ));
        }
        Ok(Code(raw.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Eq, Ord and Hash of `Code` are those of its string, so maps keyed by `Code` can be queried by `&str`.
impl std::borrow::Borrow<str> for Code {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A positive, finite weight.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Weight(f64);

impl Weight {
    /// The default weight, 1.
    pub const ONE: Weight = Weight(1.0);

    /// Accepts only finite values above 0.
    pub fn new(value: f64) -> Option<Weight> {
        (value.is_finite() && value > 0.0).then_some(Weight(value))
    }

    /// The weight as a number.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A percentage in 0–100.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Percent(f64);

impl Percent {
    /// Accepts only finite values in 0–100.
    pub fn new(value: f64) -> Option<Percent> {
        (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(Percent(value))
    }

    /// The percentage as a number.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// Identity of one instrument version: code + version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstrumentId {
    /// The stable instrument code.
    pub code: Code,
    /// The version, ≥ 1.
    pub version: u32,
}

impl fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.code, self.version)
    }
}

/// A hex SHA-256 of the instrument's canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentHash(pub(crate) String);

impl ContentHash {
    /// The 64 lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
