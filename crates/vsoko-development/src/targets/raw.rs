//! The targets file as written: private serde structs mirroring the TOML one to one.
//!
//! Nothing here is trusted: [`super::validate`] builds the model and reports every problem.
//! Unknown keys are not rejected by serde (that would stop at the first one); they are collected
//! with `serde_ignored` so that all of them are reported together. The JSON Schema
//! (`checklists/targets.schema.json`) is generated from these types, so their `///` docs are what an editor
//! shows while a methodist types.

use schemars::JsonSchema;
use serde::Deserialize;

/// The development targets of a network: what its professional-development loop aims at.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "vsoko development targets")]
#[schemars(rename = "Targets")]
pub(crate) struct RawTargets {
    /// The targets, in display order.
    #[serde(default)]
    pub targets: Vec<RawTarget>,
}

/// One target: a figure, a bound and how the figure is held to it.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Target")]
pub(crate) struct RawTarget {
    /// Stable identifier: lowercase latin letters, digits, `-`, `_` and `.`, for example
    /// `kpk-36-teachers`. Unique in the file.
    pub code: String,
    /// What the target is, in Russian, as reports show it.
    pub title: String,
    /// Where the figure comes from.
    pub source: RawSource,
    /// `at_least`: achieved when the figure is ≥ the value; `at_most`: when it is ≤ the value.
    /// A figure exactly at the value is achieved either way.
    pub comparison: RawComparison,
    /// The bound, ≥ 0; at most 100 when the unit is `%`; a whole number for a count.
    pub value: f64,
    /// `%` for a share, `count` for a number of people, kindergartens or observations.
    pub unit: RawUnit,
    /// The school year the target is for, as `2025/2026`. Leave out together with `date` for a
    /// standing target, checked in every school year.
    #[serde(default)]
    pub window: Option<String>,
    /// The date the target is for, as a TOML date (`2026-05-31`), instead of a school year.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub date: Option<toml::value::Datetime>,
}

/// Where a figure comes from. `kind` says which keys the source takes:
/// `coverage`: `figure`, `category`; `node`: `instrument`, `node`;
/// `item_value`: `instrument`, `item`, `value`; `level_share`: `instrument`, `area`, `level`;
/// `survey_coverage`: `instrument`; `individual_plans`: nothing else.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(crate) struct RawSource {
    /// What kind of figure.
    pub kind: RawSourceKind,
    /// `coverage`: which coverage figure.
    #[serde(default)]
    pub figure: Option<RawFigure>,
    /// `coverage`: whose coverage, `teacher` or `management`.
    #[serde(default)]
    pub category: Option<RawCategory>,
    /// The instrument's code, for example `dc-teacher` (every kind but `coverage` and
    /// `individual_plans`).
    #[serde(default)]
    pub instrument: Option<String>,
    /// `node`: the code of an area or indicator, the instrument's code for its total, or the code
    /// of a computed item.
    #[serde(default)]
    pub node: Option<String>,
    /// `item_value`: the code of the item, for example `O5.1.3`.
    #[serde(default)]
    pub item: Option<String>,
    /// `item_value`: the value of the item's option that is counted.
    #[serde(default)]
    pub value: Option<f64>,
    /// `level_share`: the code of the area (or the instrument's code for its total).
    #[serde(default)]
    pub area: Option<String>,
    /// `level_share`: the code of the lowest level counted, for example `B1`.
    #[serde(default)]
    pub level: Option<String>,
}

/// The kinds of sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SourceKind")]
pub(crate) enum RawSourceKind {
    /// A figure of training coverage.
    Coverage,
    /// The result (percent) of a node or a computed item of an instrument.
    Node,
    /// The share of observations (for example observed занятия) where an item takes a value.
    ItemValue,
    /// The share of teachers at or above a level in an area of a survey.
    LevelShare,
    /// The share of those the instrument is for who took it in the period («охват диагностикой»).
    SurveyCoverage,
    /// The share of teachers with an approved individual plan.
    IndividualPlans,
}

/// The coverage figures a target can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Figure")]
pub(crate) enum RawFigure {
    /// Active people with a ПК or ПП within 36 months.
    #[serde(rename = "within_36_months")]
    Within36Months,
    /// Active people with a ПК or ПП in the window.
    TrainedInWindow,
    /// Of the people trained in the window, those with ДОТ.
    TrainedWithDistance,
    /// Of the people trained in the window, those on a programme of the federal register.
    TrainedOnRegister,
    /// Deficits (person × area) addressed by a training within 36 months.
    AddressedDeficits,
}

/// Staff categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Category")]
pub(crate) enum RawCategory {
    /// Педагогические работники.
    Teacher,
    /// Руководящие работники.
    Management,
}

/// How a figure is held to the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Comparison")]
pub(crate) enum RawComparison {
    /// The figure must be ≥ the value.
    AtLeast,
    /// The figure must be ≤ the value.
    AtMost,
}

/// The unit of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[schemars(rename = "Unit")]
pub(crate) enum RawUnit {
    /// A share, in percent.
    #[serde(rename = "%")]
    Percent,
    /// A number.
    #[serde(rename = "count")]
    Count,
}
