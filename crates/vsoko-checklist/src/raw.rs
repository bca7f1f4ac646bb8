//! The instrument file as written: private serde structs mirroring the TOML one to one.
//!
//! Nothing here is trusted. [`crate::build`] turns these into the validated model and reports every
//! problem it finds. Unknown keys are not rejected by serde (that would stop at the first one);
//! they are collected with `serde_ignored` so that all of them are reported together.
//! The JSON Schema in `checklists/schema.json` is generated from these types, so their `///` docs
//! are what an editor shows while a methodist types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// One version of one assessment instrument: a survey, a control card or an indicator set.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(title = "vsoko instrument definition")]
#[schemars(rename = "Instrument")]
pub(crate) struct RawInstrument {
    /// Stable identifier of the instrument across versions: lowercase latin letters, digits and `-`,
    /// for example `dc-teacher`.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Version number, an integer starting at 1. Any change of content needs a new version.
    #[schemars(with = "i64", range(min = 1))]
    pub version: Spanned<i64>,
    /// Title shown to respondents (Russian).
    pub title: String,
    /// Optional instructions shown before the form (Russian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What the instrument is.
    pub kind: RawKind,
    /// Who fills the form in.
    pub respondent: RawRole,
    /// What is assessed: a teacher, a group or the whole kindergarten.
    pub subject: RawSubject,
    /// Which submissions count in reports. Default by `kind`: `one_per_respondent` for surveys,
    /// `observations` for control cards, `one_per_subject` for indicator sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counting: Option<RawCounting>,
    /// Anonymous instruments (`respondent = "parent"`): results of a group, a kindergarten or
    /// the network are shown only when at least this many responses were counted; default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<i64>", range(min = 2, max = 100))]
    pub min_respondents: Option<Spanned<i64>>,
    /// Whether network reports rank kindergartens (a place each) by this instrument's results.
    /// Default: off for surveys — self-assessment invites inflation, and a place would reward it —
    /// on for control cards and indicator sets, which someone else checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<bool>,
    /// Default scale code for every item that names none (items and indicators may override it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Level table, deficit threshold and coverage rule.
    pub levels: RawLevels,
    /// Named answer scales; the key is the scale code that items refer to.
    pub scales: BTreeMap<String, RawScale>,
    /// The areas of the instrument, in display order.
    pub areas: Vec<RawArea>,
    /// How the nodes of this version relate to those of an earlier one, so that dynamics between
    /// a period of each compare what is comparable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crosswalk: Option<RawCrosswalk>,
}

/// The relation of this version's nodes to those of an earlier version.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Crosswalk")]
pub(crate) struct RawCrosswalk {
    /// The earlier version the nodes are related to.
    #[schemars(with = "i64", range(min = 1))]
    pub from_version: Spanned<i64>,
    /// Nodes whose relation is not the default. A node not listed is `same` when the earlier
    /// version has a node of its kind with its code, `new` otherwise.
    #[serde(default)]
    pub nodes: Vec<RawCrosswalkNode>,
}

/// One node of a crosswalk.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "CrosswalkNode")]
pub(crate) struct RawCrosswalkNode {
    /// Code of a node of this version: an area, an indicator, or the instrument code for the total.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// How it relates to the earlier version.
    pub relation: RawRelation,
    /// Codes of the earlier version's nodes it comes from (`same`: at most one, default its own
    /// code; `renamed`, `split`: exactly one; `merged`: two or more; `new`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Vec<String>>,
}

/// How a node relates to the earlier version.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Relation")]
pub(crate) enum RawRelation {
    /// The same scored content (wording may differ): compared.
    Same,
    /// The same scored content under a new code: compared with the old code.
    Renamed,
    /// Part of an earlier node: not compared.
    Split,
    /// Made of several earlier nodes: not compared.
    Merged,
    /// Nothing comparable before: not compared.
    New,
}

/// What kind of instrument this is.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Kind")]
pub(crate) enum RawKind {
    /// A questionnaire, usually self-assessment.
    Survey,
    /// A control card or checklist filled in by an observer.
    ControlCard,
    /// A set of kindergarten indicators, mostly numbers.
    IndicatorSet,
}

/// Who fills the form in.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Role")]
pub(crate) enum RawRole {
    /// A teacher (педагог).
    Teacher,
    /// The head or senior teacher of a kindergarten (заведующий, старший воспитатель).
    Head,
    /// A manager or methodist of the municipal department.
    Manager,
    /// A parent (законный представитель), anonymously, through a link: no account, no name.
    Parent,
}

/// Which submissions count in reports.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Counting")]
pub(crate) enum RawCounting {
    /// One answer per period, subject and respondent: a second one is a correction of the first.
    OnePerRespondent,
    /// One answer per period and subject, whoever gives it.
    OnePerSubject,
    /// Several observations per period and subject (control cards): a subject's score is the
    /// mean of its observations, and aggregates count each subject once.
    Observations,
}

/// What the instrument assesses.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Subject")]
pub(crate) enum RawSubject {
    /// One teacher.
    Teacher,
    /// One group of children.
    Group,
    /// The kindergarten as a whole.
    Kindergarten,
}

/// Level table and the rules that turn scores into conclusions.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Levels")]
pub(crate) struct RawLevels {
    /// Areas and indicators scoring below this percentage (0–100) are reported as deficits.
    #[schemars(with = "f64")]
    pub deficit_threshold: Spanned<f64>,
    /// Minimum share of a node's items, in percent (0–100), that must be answered (not N/A, not
    /// missing) for the node to count. 0 means any answered item suffices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<f64>")]
    pub min_coverage: Option<Spanned<f64>>,
    /// Named bands on the 0–100 % scale, in ascending order; the first starts at 0. A score belongs
    /// to the last band whose `from` is not above it.
    pub bands: Vec<RawBand>,
}

/// One level band.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Band")]
pub(crate) struct RawBand {
    /// Short stable code, for example `L3` or `B1`.
    pub code: String,
    /// Russian name, for example «Оптимальный».
    pub name: String,
    /// Inclusive lower bound in percent.
    pub from: f64,
}

/// How a scale is answered.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ScaleType")]
pub(crate) enum RawScaleType {
    /// Pick one of ordered options.
    Options,
    /// Enter a number.
    Numeric,
}

/// Direction of a numeric indicator.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Direction")]
pub(crate) enum RawDirection {
    /// Score = value / target, capped at 1.
    MoreIsBetter,
    /// Score = target / value, capped at 1 (a value of 0 scores 1).
    LessIsBetter,
}

/// A named answer scale: ordered options, or a numeric indicator.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Scale")]
pub(crate) struct RawScale {
    /// `options` or `numeric`.
    #[serde(rename = "type")]
    pub kind: RawScaleType,
    /// Optional Russian description of the scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether «не применимо» (N/A) may be answered. N/A is excluded from scores, never counted as 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_na: Option<bool>,
    /// Russian label of the N/A answer; default «Не применимо».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub na_label: Option<String>,
    /// Options scale: the options in ascending order of value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<RawOption>>,
    /// Numeric scale: unit shown next to the number, for example `%`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Numeric scale: smallest acceptable value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Numeric scale: largest acceptable value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Numeric scale: the target value (with `direction`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Numeric scale: whether more or less is better (with `target`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<RawDirection>,
    /// Numeric scale: bands mapping value ranges to points, instead of `target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bands: Option<Vec<RawPointBand>>,
}

/// One option of an options scale.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Option")]
pub(crate) struct RawOption {
    /// Numeric value of the option; options are listed in ascending order of value.
    pub value: f64,
    /// Russian label, for example «частично соответствует».
    pub label: String,
}

/// One band of a banded numeric scale.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "PointBand")]
pub(crate) struct RawPointBand {
    /// Inclusive lower bound of the value range; bands are listed in ascending order.
    pub from: f64,
    /// Points awarded for a value in this band.
    pub points: f64,
}

/// An area (направление, область качества).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Area")]
pub(crate) struct RawArea {
    /// Stable code, unique in the instrument, for example `A2`.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Russian title.
    pub title: String,
    /// Weight among the areas; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Default scale for the items of this area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Suggested professional-development topic when this area is a deficit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// The indicators of the area.
    pub indicators: Vec<RawIndicator>,
}

/// Whether an indicator belongs to the common core or is chosen by the kindergarten.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "IndicatorKind")]
pub(crate) enum RawIndicatorKind {
    /// Common to every kindergarten of the network (default).
    Invariant,
    /// Chosen by the kindergarten (its priority direction).
    Variable,
}

/// An indicator (показатель) of an area.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Indicator")]
pub(crate) struct RawIndicator {
    /// Stable code, unique in the instrument, for example `A2.3`.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Russian title.
    pub title: String,
    /// Weight among the indicators of its area; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// `invariant` (default) or `variable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RawIndicatorKind>,
    /// Default scale for the items of this indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Suggested professional-development topic when this indicator is a deficit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// The items (questions, criteria) of the indicator.
    pub items: Vec<RawItem>,
}

/// An item: one question or criterion that gets one answer.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "Item")]
pub(crate) struct RawItem {
    /// Stable code, unique in the instrument, for example `A2.3.1`. Answers refer to it.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// The question or criterion, in Russian.
    pub text: String,
    /// Optional help text for the respondent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Scale code; inherited from the indicator, area or instrument when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// Weight among the items of its indicator; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// A critical item answered with the lowest option caps the level of its indicator, area and
    /// the whole form at the lowest band. Options scales only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<bool>,
    /// Whether an answer (a value or N/A) is required; default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Whether the answer takes part in scores; default true. An unscored item (motivation, a
    /// flag, a reference figure) is stored, exported and counted in item statistics, never in a
    /// score, and cannot be critical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scored: Option<bool>,
    /// What the professional-development loop reads this answer as, so that it finds the item by
    /// its role, not by its code: `motivation` (wants to develop), `tutor_offer` (ready to be a
    /// tutor or mentor), `consultation_request` (asks for a consultation). Unscored items on an
    /// options scale of a survey only, one item per role in an instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RawItemRole>,
    /// Where the value comes from when the system holds it: the form shows it filled in and
    /// read-only with its source, and without data it is «недостаточно данных», never typed.
    /// Numeric scales of an instrument about a kindergarten only; never required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<RawComputed>,
}

/// The source of a computed item: the result of another instrument in the same period and
/// kindergarten.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[schemars(rename = "ComputedSource")]
pub(crate) struct RawComputed {
    /// The instrument whose result is the value (`card-ood`).
    pub instrument: String,
    /// Its node whose score, in percent, is the value: an area or indicator code, or the
    /// instrument's code for its total.
    pub node: String,
}

/// What the professional-development loop reads an item's answer as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ItemRole")]
pub(crate) enum RawItemRole {
    /// The respondent wants to develop (her digital competence, say).
    Motivation,
    /// The respondent is ready to be a tutor or a mentor for colleagues.
    TutorOffer,
    /// The respondent asks for a consultation.
    ConsultationRequest,
}
