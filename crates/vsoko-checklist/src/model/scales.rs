//! The level table and the scales answers are given on.

use super::*;

/// One named level band.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelBand {
    pub(crate) code: Code,
    pub(crate) name: String,
    pub(crate) from: f64,
}

impl LevelBand {
    /// Stable code, for example `L3` or `B1`.
    pub fn code(&self) -> &Code {
        &self.code
    }
    /// Russian name, for example «Оптимальный».
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Inclusive lower bound in percent.
    pub fn from(&self) -> f64 {
        self.from
    }
}

/// Ordered level bands on the 0–100 % scale.
///
/// Invariant: at least one band; the first starts at 0; `from` strictly ascending and ≤ 100; codes
/// unique.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelTable {
    pub(crate) bands: Vec<LevelBand>,
}

impl LevelTable {
    /// The bands from lowest to highest.
    pub fn bands(&self) -> &[LevelBand] {
        &self.bands
    }

    /// The lowest band (the one a critical violation caps a level at).
    pub fn lowest(&self) -> &LevelBand {
        &self.bands[0]
    }

    /// The band of a score in percent: the last band whose lower bound is ≤ the score, comparing the
    /// score rounded to 6 decimals so that float summation order never flips a level.
    pub fn level_of(&self, score_percent: f64) -> &LevelBand {
        let rounded = round6(score_percent);
        self.bands
            .iter()
            .rev()
            .find(|band| band.from <= rounded)
            .unwrap_or(&self.bands[0])
    }

    /// Index of [`LevelTable::level_of`] in [`LevelTable::bands`].
    pub fn level_index(&self, score_percent: f64) -> usize {
        let rounded = round6(score_percent);
        self.bands
            .iter()
            .rposition(|band| band.from <= rounded)
            .unwrap_or(0)
    }
}

/// Rounds to 6 decimal places, the precision at which scores are compared with thresholds.
pub fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// One option of an options scale.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleOption {
    pub(crate) value: f64,
    pub(crate) label: String,
}

impl ScaleOption {
    /// Numeric value.
    pub fn value(&self) -> f64 {
        self.value
    }
    /// Russian label.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// Whether more or less is better for a numeric indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Score = value / target, capped at 1.
    MoreIsBetter,
    /// Score = target / value, capped at 1; a value of 0 scores 1.
    LessIsBetter,
}

/// One band of a banded numeric scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointBand {
    pub(crate) from: f64,
    pub(crate) points: f64,
}

impl PointBand {
    /// Inclusive lower bound of the value range.
    pub fn from(&self) -> f64 {
        self.from
    }
    /// Points for a value in the band.
    pub fn points(&self) -> f64 {
        self.points
    }
}

/// How a numeric value becomes a score.
#[derive(Debug, Clone, PartialEq)]
pub enum NumericRule {
    /// Ratio to a target, capped at 1.
    ///
    /// Invariant: `target` is finite and > 0.
    Target {
        /// The target value.
        target: f64,
        /// Which way is better.
        direction: Direction,
    },
    /// Value ranges mapped to points; score = (points − min points) / (max points − min points).
    ///
    /// Invariant: at least two bands, `from` strictly ascending, points not all equal.
    Bands(Vec<PointBand>),
}

/// What kind of answers a scale takes.
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleKind {
    /// Ordered options.
    ///
    /// Invariant: at least two options, values finite and strictly ascending, labels non-empty and
    /// unique.
    Options(Vec<ScaleOption>),
    /// A number.
    ///
    /// Invariant: `min < max` where both are given; for bands, `min` (when given) is not below the
    /// first band.
    Numeric {
        /// Unit shown next to the number.
        unit: Option<String>,
        /// Smallest acceptable value.
        min: Option<f64>,
        /// Largest acceptable value.
        max: Option<f64>,
        /// How the value is scored.
        rule: NumericRule,
    },
}

/// A named answer scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub(crate) code: Code,
    pub(crate) title: Option<String>,
    pub(crate) na_label: Option<String>,
    pub(crate) kind: ScaleKind,
}

impl Scale {
    /// The scale code.
    pub fn code(&self) -> &Code {
        &self.code
    }
    /// Optional Russian description.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    /// Whether N/A may be answered.
    pub fn allows_na(&self) -> bool {
        self.na_label.is_some()
    }
    /// The label of the N/A answer, when N/A is allowed.
    pub fn na_label(&self) -> Option<&str> {
        self.na_label.as_deref()
    }
    /// Options or numeric.
    pub fn kind(&self) -> &ScaleKind {
        &self.kind
    }
    /// The options, for an options scale.
    pub fn options(&self) -> Option<&[ScaleOption]> {
        match &self.kind {
            ScaleKind::Options(options) => Some(options),
            ScaleKind::Numeric { .. } => None,
        }
    }
    /// The option with exactly this value, for an options scale.
    pub fn option(&self, value: f64) -> Option<&ScaleOption> {
        self.options()?.iter().find(|option| option.value == value)
    }
}
