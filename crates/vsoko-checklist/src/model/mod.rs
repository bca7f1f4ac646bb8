//! The validated instrument model. Every value here was checked by [`crate::build`]; the fields are
//! private so that no other code can construct an instrument that breaks the invariants listed on
//! each type.

use std::collections::HashMap;

mod kinds;
mod scales;
mod values;

pub use kinds::*;
pub use scales::*;
pub use values::*;

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
    pub(crate) role: Option<ItemRole>,
    pub(crate) computed: Option<ComputedSource>,
}

/// Where a computed item's value comes from: the score, in percent, of a node of another
/// instrument in the same period and kindergarten. The catalog checks that the node exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ComputedSource {
    pub(crate) instrument: Code,
    pub(crate) node: Code,
}

impl ComputedSource {
    /// The source instrument's code.
    pub fn instrument(&self) -> &Code {
        &self.instrument
    }
    /// The node whose score is the value (the instrument's code for its total).
    pub fn node(&self) -> &Code {
        &self.node
    }
}

/// What the professional-development loop reads an item's answer as: it finds the item by its
/// role, whatever its code in a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemRole {
    /// The respondent wants to develop.
    Motivation,
    /// The respondent is ready to be a tutor or a mentor for colleagues.
    TutorOffer,
    /// The respondent asks for a consultation.
    ConsultationRequest,
}

impl ItemRole {
    /// Every role, in declaration order.
    pub const ALL: [ItemRole; 3] = [
        ItemRole::Motivation,
        ItemRole::TutorOffer,
        ItemRole::ConsultationRequest,
    ];

    /// The code of the file format: `motivation`, `tutor_offer`, `consultation_request`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemRole::Motivation => "motivation",
            ItemRole::TutorOffer => "tutor_offer",
            ItemRole::ConsultationRequest => "consultation_request",
        }
    }
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
    /// What the professional-development loop reads this answer as, if anything.
    pub fn role(&self) -> Option<ItemRole> {
        self.role
    }
    /// Where the value comes from, for an item the system computes instead of asking.
    pub fn computed(&self) -> Option<&ComputedSource> {
        self.computed.as_ref()
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
    /// Whether `code` is a node of the instrument with a score of its own: the instrument's code
    /// (its total), an area or an indicator.
    pub fn has_node(&self, code: &str) -> bool {
        self.code().as_str() == code
            || self.areas.iter().any(|area| {
                area.code.as_str() == code
                    || area
                        .indicators
                        .iter()
                        .any(|indicator| indicator.code.as_str() == code)
            })
    }
    /// The item with `role` (at most one an instrument), if the instrument has one.
    pub fn item_with_role(&self, role: ItemRole) -> Option<ItemRef<'_>> {
        self.items().find(|item| item.item.role == Some(role))
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
