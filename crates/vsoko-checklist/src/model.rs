//! The validated instrument model. Every value here was checked by [`crate::build`]; the fields are
//! private so that no other code can construct an instrument that breaks the invariants listed on
//! each type.

use std::collections::HashMap;
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

/// What kind of instrument this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstrumentKind {
    /// A questionnaire, usually self-assessment.
    Survey,
    /// A control card or checklist filled in by an observer.
    ControlCard,
    /// A set of kindergarten indicators.
    IndicatorSet,
}

impl InstrumentKind {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentKind::Survey => "survey",
            InstrumentKind::ControlCard => "control_card",
            InstrumentKind::IndicatorSet => "indicator_set",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            InstrumentKind::Survey => "анкета",
            InstrumentKind::ControlCard => "карта контроля",
            InstrumentKind::IndicatorSet => "набор показателей",
        }
    }
}

/// Who fills a form in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Respondent {
    /// A teacher.
    Teacher,
    /// The head or senior teacher of a kindergarten.
    Head,
    /// A manager or methodist of the municipal department.
    Manager,
    /// A parent, anonymously (no account, no name): through a link.
    Parent,
}

impl Respondent {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Respondent::Teacher => "teacher",
            Respondent::Head => "head",
            Respondent::Manager => "manager",
            Respondent::Parent => "parent",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            Respondent::Teacher => "педагог",
            Respondent::Head => "руководитель ДОО",
            Respondent::Manager => "специалист управления образования",
            Respondent::Parent => "родитель (законный представитель)",
        }
    }

    /// Whether responses are anonymous: nobody's identity is stored, and results are shown only
    /// for at least [`Instrument::min_respondents`] responses.
    pub fn is_anonymous(self) -> bool {
        self == Respondent::Parent
    }
}

/// How a node of an instrument version relates to the nodes of an earlier version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The same scored content (wording may differ): compared.
    Same,
    /// The same scored content under a new code: compared with the old code.
    Renamed,
    /// Part of one earlier node: not compared.
    Split,
    /// Made of several earlier nodes: not compared.
    Merged,
    /// Nothing comparable before: not compared.
    New,
}

impl Relation {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Same => "same",
            Relation::Renamed => "renamed",
            Relation::Split => "split",
            Relation::Merged => "merged",
            Relation::New => "new",
        }
    }

    /// Whether a node with this relation is compared with the earlier version.
    pub fn is_comparable(self) -> bool {
        matches!(self, Relation::Same | Relation::Renamed)
    }
}

/// One declared node of a crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkNode {
    pub(crate) code: String,
    pub(crate) relation: Relation,
    pub(crate) from: Vec<String>,
}

impl CrosswalkNode {
    /// The node of this version (the instrument code for the total).
    pub fn code(&self) -> &str {
        &self.code
    }
    /// Its relation to the earlier version.
    pub fn relation(&self) -> Relation {
        self.relation
    }
    /// The earlier version's nodes it comes from.
    pub fn from(&self) -> &[String] {
        &self.from
    }
}

/// How the nodes of an instrument version relate to those of an earlier version.
///
/// Invariant: `from_version` is below the instrument's version; every node code is one of the
/// instrument's (the instrument code for the total), once; the number of `from` codes fits the
/// relation (`same` at most one, `renamed` and `split` one, `merged` two or more, `new` none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    pub(crate) from_version: u32,
    pub(crate) nodes: Vec<CrosswalkNode>,
}

impl Crosswalk {
    /// The earlier version.
    pub fn from_version(&self) -> u32 {
        self.from_version
    }
    /// The declared nodes; others are `same` when the earlier version has their code.
    pub fn nodes(&self) -> &[CrosswalkNode] {
        &self.nodes
    }
    /// The declared node with this code.
    pub fn node(&self, code: &str) -> Option<&CrosswalkNode> {
        self.nodes.iter().find(|node| node.code == code)
    }
}

/// What an instrument assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// One teacher.
    Teacher,
    /// One group of children.
    Group,
    /// The kindergarten as a whole.
    Kindergarten,
}

impl Subject {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Teacher => "teacher",
            Subject::Group => "group",
            Subject::Kindergarten => "kindergarten",
        }
    }

    /// Russian name for people.
    pub fn name_ru(self) -> &'static str {
        match self {
            Subject::Teacher => "педагог",
            Subject::Group => "группа",
            Subject::Kindergarten => "детский сад",
        }
    }
}

/// Which submissions of an instrument count in reports — the one rule of the API, the imports,
/// the batch scorer and `vsoko recompute`.
///
/// Among submissions with the same *counting key* in one period, only the latest counts; the
/// others are earlier answers of the same person, kept but not counted. The key is
/// (instrument version, period, subject, respondent) for [`Counting::OnePerRespondent`],
/// (instrument version, period, subject) for [`Counting::OnePerSubject`], and every submission is
/// its own key for [`Counting::Observations`], whose subjects are then averaged: a subject's score
/// is the mean of its observations in the period, and kindergarten and network aggregates count
/// each subject once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counting {
    /// Surveys (the default): one answer per period, subject and respondent.
    OnePerRespondent,
    /// Indicator sets (the default): one answer per period and subject.
    OnePerSubject,
    /// Control cards (the default): several observations per period and subject.
    Observations,
}

impl Counting {
    /// The code used in files, storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Counting::OnePerRespondent => "one_per_respondent",
            Counting::OnePerSubject => "one_per_subject",
            Counting::Observations => "observations",
        }
    }

    /// Parses [`Counting::as_str`].
    pub fn parse(text: &str) -> Option<Counting> {
        match text {
            "one_per_respondent" => Some(Counting::OnePerRespondent),
            "one_per_subject" => Some(Counting::OnePerSubject),
            "observations" => Some(Counting::Observations),
            _ => None,
        }
    }

    /// The rule in Russian, as reports and the interface state it.
    pub fn rule_ru(self) -> &'static str {
        match self {
            Counting::OnePerRespondent => {
                "учитывается одна анкета каждого респондента о каждом оцениваемом за период: повторная отправка — это исправление первой"
            }
            Counting::OnePerSubject => {
                "учитывается одна форма на каждого оцениваемого за период: повторная отправка — это исправление первой"
            }
            Counting::Observations => {
                "учитывается каждое наблюдение; результат оцениваемого — среднее его карт за период, в сводных показателях каждый оцениваемый учитывается один раз"
            }
        }
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

/// Whether an indicator belongs to the common core or is the kindergarten's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// Common to every kindergarten of the network.
    Invariant,
    /// Chosen by the kindergarten.
    Variable,
}

impl IndicatorKind {
    /// The code used in files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Invariant => "invariant",
            IndicatorKind::Variable => "variable",
        }
    }
}

/// One question or criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub(crate) code: Code,
    pub(crate) text: String,
    pub(crate) hint: Option<String>,
    pub(crate) scale: usize,
    pub(crate) weight: Weight,
    pub(crate) critical: bool,
    pub(crate) required: bool,
    pub(crate) scored: bool,
}

impl Item {
    /// Stable code; answers refer to it.
    pub fn code(&self) -> &Code {
        &self.code
    }
    /// The question or criterion in Russian.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Optional help text.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
    /// Weight among the items of its indicator.
    pub fn weight(&self) -> Weight {
        self.weight
    }
    /// Whether the lowest option caps the form's level (options scales only).
    pub fn is_critical(&self) -> bool {
        self.critical
    }
    /// Whether an answer (a value or N/A) is required.
    pub fn is_required(&self) -> bool {
        self.required
    }
    /// Whether the answer takes part in scores (unscored items are stored and counted in item
    /// statistics only).
    pub fn is_scored(&self) -> bool {
        self.scored
    }
}

/// An indicator of an area.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub(crate) code: Code,
    pub(crate) title: String,
    pub(crate) weight: Weight,
    pub(crate) kind: IndicatorKind,
    pub(crate) recommendation: Option<String>,
    pub(crate) items: Vec<Item>,
}

impl Indicator {
    /// Stable code.
    pub fn code(&self) -> &Code {
        &self.code
    }
    /// Russian title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Weight among the indicators of its area.
    pub fn weight(&self) -> Weight {
        self.weight
    }
    /// Invariant or variable.
    pub fn kind(&self) -> IndicatorKind {
        self.kind
    }
    /// Suggested professional-development topic.
    pub fn recommendation(&self) -> Option<&str> {
        self.recommendation.as_deref()
    }
    /// The items, at least one.
    pub fn items(&self) -> &[Item] {
        &self.items
    }
}

/// An area of an instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub(crate) code: Code,
    pub(crate) title: String,
    pub(crate) weight: Weight,
    pub(crate) recommendation: Option<String>,
    pub(crate) indicators: Vec<Indicator>,
}

impl Area {
    /// Stable code.
    pub fn code(&self) -> &Code {
        &self.code
    }
    /// Russian title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Weight among the areas.
    pub fn weight(&self) -> Weight {
        self.weight
    }
    /// Suggested professional-development topic.
    pub fn recommendation(&self) -> Option<&str> {
        self.recommendation.as_deref()
    }
    /// The indicators, at least one.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }
}

/// An item together with the nodes above it and its scale.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    /// The area the item belongs to.
    pub area: &'a Area,
    /// The indicator the item belongs to.
    pub indicator: &'a Indicator,
    /// The item.
    pub item: &'a Item,
    /// The item's scale.
    pub scale: &'a Scale,
}

/// One validated version of an instrument.
///
/// Invariants: every code is unique among the instrument's areas, indicators and items; every area
/// has an indicator and every indicator an item; every item refers to a scale of this instrument;
/// critical items use options scales; the content hash is the hash of the canonical form of the
/// source this was built from.
#[derive(Debug, Clone)]
pub struct Instrument {
    pub(crate) id: InstrumentId,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) kind: InstrumentKind,
    pub(crate) respondent: Respondent,
    pub(crate) subject: Subject,
    pub(crate) counting: Counting,
    pub(crate) min_respondents: Option<u32>,
    pub(crate) ranking: bool,
    pub(crate) crosswalk: Option<Crosswalk>,
    pub(crate) levels: LevelTable,
    pub(crate) deficit_threshold: Percent,
    pub(crate) min_coverage: Percent,
    pub(crate) scales: Vec<Scale>,
    pub(crate) areas: Vec<Area>,
    pub(crate) item_index: HashMap<Code, (usize, usize, usize)>,
    pub(crate) canonical_json: String,
    pub(crate) content_hash: ContentHash,
}

impl Instrument {
    /// Code + version.
    pub fn id(&self) -> &InstrumentId {
        &self.id
    }
    /// The stable code.
    pub fn code(&self) -> &Code {
        &self.id.code
    }
    /// The version.
    pub fn version(&self) -> u32 {
        self.id.version
    }
    /// Russian title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Optional instructions.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Survey, control card or indicator set.
    pub fn kind(&self) -> InstrumentKind {
        self.kind
    }
    /// Who fills it in.
    pub fn respondent(&self) -> Respondent {
        self.respondent
    }
    /// What it assesses.
    pub fn subject(&self) -> Subject {
        self.subject
    }
    /// Which submissions count in reports.
    pub fn counting(&self) -> Counting {
        self.counting
    }
    /// Anonymous instruments: the fewest counted responses a result is shown for (`None` for the
    /// others, whose respondents are known).
    pub fn min_respondents(&self) -> Option<u32> {
        self.min_respondents
    }
    /// Whether network reports give kindergartens a place by this instrument's results (off by
    /// default for self-assessment surveys).
    pub fn ranks(&self) -> bool {
        self.ranking
    }
    /// How this version's nodes relate to an earlier version's, when declared.
    pub fn crosswalk(&self) -> Option<&Crosswalk> {
        self.crosswalk.as_ref()
    }
    /// Whether some indicator is the kindergarten's own (`variable`): then areas and the total
    /// are scored over the invariant indicators, and a second total includes the variable ones.
    pub fn has_variable_indicators(&self) -> bool {
        self.areas.iter().any(|area| {
            area.indicators
                .iter()
                .any(|indicator| indicator.kind == IndicatorKind::Variable)
        })
    }
    /// The level table used for the total, areas and indicators.
    pub fn levels(&self) -> &LevelTable {
        &self.levels
    }
    /// Nodes scoring below this percentage are deficits.
    pub fn deficit_threshold(&self) -> Percent {
        self.deficit_threshold
    }
    /// The deficit rule, the one place it is written: a score below the threshold, both compared
    /// rounded to six decimals as every comparison with a bound is.
    pub fn is_deficit(&self, percent: f64) -> bool {
        round6(percent) < self.deficit_threshold.get()
    }
    /// Minimum share of a node's items (percent) that must be answered for the node to count.
    pub fn min_coverage(&self) -> Percent {
        self.min_coverage
    }
    /// The scales, sorted by code.
    pub fn scales(&self) -> &[Scale] {
        &self.scales
    }
    /// The scale with this code.
    pub fn scale(&self, code: &str) -> Option<&Scale> {
        self.scales.iter().find(|scale| scale.code.as_str() == code)
    }
    /// The scale an item is answered on.
    pub fn scale_of(&self, item: &Item) -> &Scale {
        &self.scales[item.scale]
    }
    /// The areas in display order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }
    /// Looks an item up by code.
    pub fn item(&self, code: &str) -> Option<ItemRef<'_>> {
        let &(a, i, t) = self.item_index.get(code)?;
        let area = &self.areas[a];
        let indicator = &area.indicators[i];
        let item = &indicator.items[t];
        Some(ItemRef {
            area,
            indicator,
            item,
            scale: &self.scales[item.scale],
        })
    }
    /// The recommendation the instrument gives for an area or an indicator, by its code (codes
    /// are unique across the instrument).
    pub fn recommendation(&self, code: &str) -> Option<&str> {
        self.areas
            .iter()
            .find_map(|area| {
                if area.code.as_str() == code {
                    return Some(area.recommendation());
                }
                area.indicators
                    .iter()
                    .find(|indicator| indicator.code.as_str() == code)
                    .map(|indicator| indicator.recommendation())
            })
            .flatten()
    }
    /// Every item in display order.
    pub fn items(&self) -> impl Iterator<Item = ItemRef<'_>> + '_ {
        self.areas.iter().flat_map(move |area| {
            area.indicators.iter().flat_map(move |indicator| {
                indicator.items.iter().map(move |item| ItemRef {
                    area,
                    indicator,
                    item,
                    scale: &self.scales[item.scale],
                })
            })
        })
    }
    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.item_index.len()
    }
    /// The canonical JSON form of the definition (keys sorted, no whitespace). Storing it and
    /// building from it with [`crate::parse_canonical_json`] gives back the same instrument.
    pub fn canonical_json(&self) -> &str {
        &self.canonical_json
    }
    /// SHA-256 of [`Instrument::canonical_json`].
    pub fn content_hash(&self) -> &ContentHash {
        &self.content_hash
    }
}
