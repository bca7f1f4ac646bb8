//! A network's development targets, as data: a validated TOML file.
//!
//! # The file
//! A list of `[[targets]]`, each with a `code` (unique), a Russian `title`, a `source` (where the
//! figure comes from), a `comparison` (`at_least` / `at_most`), a `value` and a `unit` (`%` or
//! `count`), and optionally a `window` (a school year, `2025/2026`) or a `date`; a target with
//! neither is a standing one, checked in every school year. It lives beside the instruments, as
//! `checklists/targets.toml` (a deployment's own in its `--checklists` folder replaces the shipped
//! one) and starts with a `#:schema targets.schema.json` line so that editors check it against
//! `checklists/targets.schema.json`, generated from the raw structs ([`targets_json_schema`]).
//!
//! # Validation
//! Three stages, as for instruments: TOML syntax; structure (missing keys, wrong types, unknown
//! values; unknown keys are all collected and refused, never ignored); then the rules — codes
//! well-formed and unique, a non-empty title, a finite value ≥ 0, at most 100 for `%` and whole
//! for `count`, a well-formed school year or a date (not both), and a well-formed source: exactly
//! the keys its kind takes, codes without spaces, and `%` for a node's result. Every problem is
//! a [`Diagnostic`] with the line and the target it is in, and a help text. Then, against a
//! catalog of instruments ([`check_references`]): the instrument exists, and so do the node, the
//! item (with the value among its options) or the level its source names, in its latest version.
//!
//! # The shipped targets
//! [`default_targets`] is `checklists/targets.toml`, embedded: 100 % of teachers and 100 % of
//! management covered by КПК within 36 months, 100 % of teachers and of management teams in the
//! diagnosis of digital competences (`dc-teacher`, `dc-management`). The share of занятия with
//! ЭОР has no target: using ЭОР is not required on every занятие.

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::record::StaffCategory;

mod diagnostic;
mod raw;
mod references;
mod validate;

pub use diagnostic::{Diagnostic, TargetsError};
pub use references::load_targets;

/// The shipped targets file.
pub const DEFAULT_TARGETS_TOML: &str = include_str!("../../../../checklists/targets.toml");

/// The label of the shipped file in diagnostics.
const DEFAULT_TARGETS_FILE: &str = "checklists/targets.toml";

/// The name of a targets file in a folder of instruments.
pub const TARGETS_FILE_NAME: &str = vsoko_checklist::TARGETS_FILE_NAME;

/// A validated set of targets; only [`parse_targets`] builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSet {
    targets: Vec<Target>,
}

impl TargetSet {
    /// The targets, in file order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The target with this code.
    pub fn get(&self, code: &str) -> Option<&Target> {
        self.targets.iter().find(|target| target.code == code)
    }
}

/// One target. Its invariants (a code of the allowed characters, a value ≥ 0, ≤ 100 for a percent,
/// whole for a count, a well-formed source) hold by construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    code: String,
    title: String,
    source: Source,
    comparison: Comparison,
    value: f64,
    unit: Unit,
    period: TargetPeriod,
    /// The line of its `[[targets]]` header, for the diagnostics of a later check.
    line: Option<usize>,
}

impl Target {
    /// Its code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Its Russian title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Where its figure comes from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// How the figure is held to the bound.
    pub fn comparison(&self) -> Comparison {
        self.comparison
    }

    /// The bound, in [`Target::unit`].
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The unit of the bound and of the figure.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// When the target applies.
    pub fn period(&self) -> TargetPeriod {
        self.period
    }
}

/// Where a target's figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A figure of training coverage of one category of staff.
    Coverage {
        /// Which figure.
        figure: CoverageFigure,
        /// Whose.
        category: StaffCategory,
    },
    /// The result (percent) of a node of an instrument (an area, an indicator, the total under
    /// the instrument's code) or of a computed item.
    Node {
        /// The instrument's code.
        instrument: String,
        /// The node's or item's code.
        node: String,
    },
    /// The share of observations where an item takes a value (занятия with ЭОР: `card-ood`,
    /// `O5.1.3`, 1).
    ItemValue {
        /// The instrument's code.
        instrument: String,
        /// The item's code.
        item: String,
        /// The value counted.
        value: f64,
    },
    /// The share of teachers at or above a level in an area.
    LevelShare {
        /// The instrument's code.
        instrument: String,
        /// The area's code (the instrument's code for the total).
        area: String,
        /// The lowest level counted.
        level: String,
    },
    /// The share of those an instrument is for who took it in the period («охват диагностикой»).
    SurveyCoverage {
        /// The instrument's code.
        instrument: String,
    },
    /// The share of teachers with an approved individual plan (filled by later work).
    IndividualPlans,
}

/// The coverage figures ([`crate::CategoryCoverage`]) a target can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoverageFigure {
    /// Covered within 36 months, of the active people (`within_36_months`).
    Within36Months,
    /// Trained in the window, of the active people (`trained_in_window`).
    TrainedInWindow,
    /// With ДОТ, of the people trained in the window (`trained_with_distance`).
    TrainedWithDistance,
    /// On a programme of the federal register, of the people trained in the window
    /// (`trained_on_register`).
    TrainedOnRegister,
    /// Addressed deficits (person × area), of all deficits (`addressed_deficits`).
    AddressedDeficits,
}

/// How a figure is held to the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// Achieved when the figure is ≥ the bound.
    AtLeast,
    /// Achieved when the figure is ≤ the bound.
    AtMost,
}

impl Comparison {
    /// «≥» or «≤».
    pub fn sign(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::AtMost => "≤",
        }
    }
}

/// The unit of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Percent; differences are in percentage points.
    Percent,
    /// A count.
    Count,
}

/// When a target applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetPeriod {
    /// Every school year (neither `window` nor `date` given).
    EveryYear,
    /// One school year.
    SchoolYear(SchoolYear),
    /// A date.
    Date(NaiveDate),
}

impl TargetPeriod {
    /// Whether the target applies in `year`: a standing target always, a year's target in that
    /// year, a date's target in the year containing the date.
    pub fn applies_in(self, year: SchoolYear) -> bool {
        match self {
            TargetPeriod::EveryYear => true,
            TargetPeriod::SchoolYear(own) => own == year,
            TargetPeriod::Date(date) => year.range().contains(date),
        }
    }
}

/// Parses and validates a targets file; `file` labels the diagnostics.
pub fn parse_targets(source: &str, file: &str) -> Result<TargetSet, TargetsError> {
    validate::parse(source, file).map_err(|diagnostics| TargetsError {
        file: file.to_owned(),
        diagnostics,
    })
}

/// The shipped targets (`checklists/targets.toml`).
pub fn default_targets() -> TargetSet {
    parse_targets(DEFAULT_TARGETS_TOML, DEFAULT_TARGETS_FILE).unwrap_or_else(|error| {
        panic!("the shipped targets are valid (a test holds them): {error}")
    })
}

/// The JSON Schema of targets files, pretty-printed, as committed in `checklists/targets.schema.json`.
pub fn targets_json_schema() -> String {
    vsoko_checklist::toml_path::schema_text(&schemars::schema_for!(raw::RawTargets))
}

#[cfg(test)]
mod tests;
