//! Instruments: the list and one version with its full structure (enough to render the form).

use serde::Serialize;
use utoipa::ToSchema;
use vsoko_checklist::{Instrument, ScaleKind};
use vsoko_domain::InstrumentSummary;

/// A registered instrument version, without its structure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentSummaryDto {
    /// Code, like `dc-teacher`.
    pub code: String,
    /// Version.
    pub version: u32,
    /// Russian title.
    pub title: String,
    /// `survey`, `control_card` or `indicator_set`.
    pub kind: String,
    /// Who fills it: `teacher`, `head` or `manager`.
    pub respondent: String,
    /// What it assesses: `teacher`, `group` or `kindergarten`.
    pub subject: String,
    /// SHA-256 of the canonical definition.
    pub content_hash: String,
}

impl From<&InstrumentSummary> for InstrumentSummaryDto {
    fn from(summary: &InstrumentSummary) -> Self {
        InstrumentSummaryDto {
            code: summary.instrument.code.to_string(),
            version: summary.instrument.version,
            title: summary.title.clone(),
            kind: summary.kind.as_str().to_owned(),
            respondent: summary.respondent.as_str().to_owned(),
            subject: summary.subject.as_str().to_owned(),
            content_hash: summary.content_hash.clone(),
        }
    }
}

/// One instrument version with everything needed to render and score the form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentDto {
    /// Code.
    pub code: String,
    /// Version.
    pub version: u32,
    /// Russian title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// `survey`, `control_card` or `indicator_set`.
    pub kind: String,
    /// Who fills it.
    pub respondent: String,
    /// What it assesses.
    pub subject: String,
    /// SHA-256 of the canonical definition.
    pub content_hash: String,
    /// Level bands, lowest first.
    pub levels: Vec<LevelBandDto>,
    /// Below this percent a node is a deficit.
    pub deficit_threshold: f64,
    /// Minimum share of answered items for a node to be scored, percent.
    pub min_coverage: f64,
    /// Answer scales used by the items.
    pub scales: Vec<ScaleDto>,
    /// Areas → indicators → items.
    pub areas: Vec<AreaDto>,
}

/// A level band.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelBandDto {
    /// Code, like `L3` or `B1`.
    pub code: String,
    /// Russian name.
    pub name: String,
    /// Lower bound in percent (inclusive).
    pub from: f64,
}

/// An answer scale.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScaleDto {
    /// Code.
    pub code: String,
    /// Title.
    pub title: Option<String>,
    /// Whether «не применимо» is allowed, and its label.
    pub na_label: Option<String>,
    /// The options (options scales).
    pub options: Option<Vec<ScaleOptionDto>>,
    /// The unit (numeric scales).
    pub unit: Option<String>,
    /// Smallest value (numeric scales).
    pub min: Option<f64>,
    /// Largest value (numeric scales).
    pub max: Option<f64>,
}

/// One option of a scale.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScaleOptionDto {
    /// The value sent as the answer.
    pub value: f64,
    /// The label shown.
    pub label: String,
}

/// An area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaDto {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Weight.
    pub weight: f64,
    /// Indicators.
    pub indicators: Vec<IndicatorDto>,
}

/// An indicator.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorDto {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Weight.
    pub weight: f64,
    /// `invariant` or `variable`.
    pub kind: String,
    /// Items.
    pub items: Vec<ItemDto>,
}

/// An item: one question or criterion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemDto {
    /// Code, used in answers.
    pub code: String,
    /// Text.
    pub text: String,
    /// Hint.
    pub hint: Option<String>,
    /// Scale code.
    pub scale: String,
    /// Weight.
    pub weight: f64,
    /// Its lowest option caps the level at the lowest band.
    pub critical: bool,
    /// Must be answered (a value or N/A).
    pub required: bool,
    /// Takes part in scores (`false`: asked, stored and exported only — motivation, reference
    /// figures).
    pub scored: bool,
    /// What the network reads the answer for (`motivation`, `tutor_offer`,
    /// `consultation_request`: the lists of people), if anything.
    pub role: Option<String>,
}

impl From<&Instrument> for InstrumentDto {
    fn from(instrument: &Instrument) -> Self {
        InstrumentDto {
            code: instrument.code().to_string(),
            version: instrument.version(),
            title: instrument.title().to_owned(),
            description: instrument.description().map(str::to_owned),
            kind: instrument.kind().as_str().to_owned(),
            respondent: instrument.respondent().as_str().to_owned(),
            subject: instrument.subject().as_str().to_owned(),
            content_hash: instrument.content_hash().to_string(),
            levels: instrument
                .levels()
                .bands()
                .iter()
                .map(|band| LevelBandDto {
                    code: band.code().to_string(),
                    name: band.name().to_owned(),
                    from: band.from(),
                })
                .collect(),
            deficit_threshold: instrument.deficit_threshold().get(),
            min_coverage: instrument.min_coverage().get(),
            scales: instrument
                .scales()
                .iter()
                .map(|scale| {
                    let (options, unit, min, max) = match scale.kind() {
                        ScaleKind::Options(options) => (
                            Some(
                                options
                                    .iter()
                                    .map(|option| ScaleOptionDto {
                                        value: option.value(),
                                        label: option.label().to_owned(),
                                    })
                                    .collect(),
                            ),
                            None,
                            None,
                            None,
                        ),
                        ScaleKind::Numeric { unit, min, max, .. } => {
                            (None, unit.clone(), *min, *max)
                        }
                    };
                    ScaleDto {
                        code: scale.code().to_string(),
                        title: scale.title().map(str::to_owned),
                        na_label: scale.na_label().map(str::to_owned),
                        options,
                        unit,
                        min,
                        max,
                    }
                })
                .collect(),
            areas: instrument
                .areas()
                .iter()
                .map(|area| AreaDto {
                    code: area.code().to_string(),
                    title: area.title().to_owned(),
                    weight: area.weight().get(),
                    indicators: area
                        .indicators()
                        .iter()
                        .map(|indicator| IndicatorDto {
                            code: indicator.code().to_string(),
                            title: indicator.title().to_owned(),
                            weight: indicator.weight().get(),
                            kind: indicator.kind().as_str().to_owned(),
                            items: indicator
                                .items()
                                .iter()
                                .map(|item| ItemDto {
                                    code: item.code().to_string(),
                                    text: item.text().to_owned(),
                                    hint: item.hint().map(str::to_owned),
                                    scale: instrument.scale_of(item).code().to_string(),
                                    weight: item.weight().get(),
                                    critical: item.is_critical(),
                                    required: item.is_required(),
                                    scored: item.is_scored(),
                                    role: item.role().map(|role| role.as_str().to_owned()),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
