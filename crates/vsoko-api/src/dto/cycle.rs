//! The management cycle: addressed recommendations, decisions, their effect, the register.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::cycle::{DecisionForm, RecommendationForm, RecommendationLine, Register};

use crate::dto::plan::PlanFormat;

/// A recommendation to make: the deficit it answers (a kindergarten's, or a teacher's with
/// `person_id`, in a node of an instrument in a period); what is left out is prefilled (the
/// instrument's text, the head as addressee and responsible, the end of May as due date).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationRequestDto {
    pub kindergarten_id: i64,
    #[serde(default)]
    pub person_id: Option<i64>,
    pub instrument: String,
    /// An area's or an indicator's code.
    pub node: String,
    pub period: String,
    #[serde(default)]
    pub text: Option<String>,
    /// `head`, `methodist` or `teacher`.
    #[serde(default)]
    pub addressee: Option<String>,
    #[serde(default)]
    pub responsible: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

impl From<&RecommendationRequestDto> for RecommendationForm {
    fn from(dto: &RecommendationRequestDto) -> Self {
        RecommendationForm {
            kindergarten: dto.kindergarten_id.to_string(),
            person: dto.person_id.map(|id| id.to_string()).unwrap_or_default(),
            instrument: dto.instrument.clone(),
            node: dto.node.clone(),
            period: dto.period.clone(),
            text: dto.text.clone().unwrap_or_default(),
            addressee: dto.addressee.clone().unwrap_or_default(),
            responsible: dto.responsible.clone().unwrap_or_default(),
            due_on: dto
                .due_on
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        }
    }
}

/// The addressee's answer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerDto {
    pub answer: String,
}

/// A decision taken on a recommendation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequestDto {
    /// `plan_event`, `order`, `mentoring_pair`, `route_row` or `other`.
    pub kind: String,
    /// What it names (a plan event's number, a pair's id).
    #[serde(default)]
    pub reference: Option<String>,
    /// An order's number and date (both required for `order`).
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default)]
    pub order_date: Option<NaiveDate>,
    pub text: String,
}

impl From<&DecisionRequestDto> for DecisionForm {
    fn from(dto: &DecisionRequestDto) -> Self {
        DecisionForm {
            kind: dto.kind.clone(),
            reference: dto.reference.clone().unwrap_or_default(),
            order_number: dto.order_number.clone().unwrap_or_default(),
            order_date: dto
                .order_date
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            text: dto.text.clone(),
        }
    }
}

/// A decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionDto {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub reference: Option<String>,
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
    pub text: String,
    /// The date, in words.
    pub at: String,
}

/// A recommendation with its numbers, decisions and effect.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecommendationDto {
    pub id: i64,
    pub kindergarten_id: i64,
    pub person_id: Option<i64>,
    /// Whose deficit, in words.
    pub subject: String,
    pub instrument: String,
    pub node: String,
    pub node_title: String,
    pub period: String,
    /// The result in the period (percent), `null` without one, and of how many.
    pub score: Option<f64>,
    pub n: u32,
    pub threshold: f64,
    /// Where the numbers are read.
    pub link: String,
    pub text: String,
    pub addressee: String,
    pub responsible: String,
    pub due_on: NaiveDate,
    /// `waiting`, `overdue`, `answered` or `decided`.
    pub state: String,
    pub state_label: String,
    pub answer: Option<String>,
    pub decisions: Vec<DecisionDto>,
    /// The next period with a result, and the result there.
    pub next_period: Option<String>,
    pub after: Option<f64>,
    /// `closed`, `improved`, `unchanged`, `worse` or `no_data`.
    pub effect: String,
    pub effect_label: String,
    pub may_answer: bool,
    pub may_decide: bool,
}

impl From<&RecommendationLine> for RecommendationDto {
    fn from(line: &RecommendationLine) -> Self {
        let stored = &line.stored;
        RecommendationDto {
            id: stored.id,
            kindergarten_id: stored.kindergarten_id.get(),
            person_id: stored.person_id.map(|id| id.get()),
            subject: line.numbers.subject.clone(),
            instrument: stored.instrument.clone(),
            node: stored.node.clone(),
            node_title: line.numbers.node.1.clone(),
            period: stored.period.clone(),
            score: line.numbers.score,
            n: line.numbers.n,
            threshold: line.numbers.threshold,
            link: line.numbers.link.clone(),
            text: stored.text.clone(),
            addressee: stored.addressee.clone(),
            responsible: stored.responsible.clone(),
            due_on: stored.due_on,
            state: line.state.code().to_owned(),
            state_label: line.state.label().to_owned(),
            answer: stored.answer.as_ref().map(|(text, _, _)| text.clone()),
            decisions: line
                .decisions
                .iter()
                .map(|decision| DecisionDto {
                    id: decision.stored.id,
                    kind: decision.stored.kind.clone(),
                    kind_label: decision.kind.to_owned(),
                    reference: decision.stored.reference.clone(),
                    order_number: decision.stored.order_number.clone(),
                    order_date: decision.stored.order_date,
                    text: decision.stored.text.clone(),
                    at: decision.at.clone(),
                })
                .collect(),
            next_period: line.next_period.clone(),
            after: line.after,
            effect: line.effect.code().to_owned(),
            effect_label: line.effect.label().to_owned(),
            may_answer: line.may_answer,
            may_decide: line.may_decide,
        }
    }
}

/// A count by state or effect.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountDto {
    pub code: String,
    pub label: String,
    pub count: usize,
}

/// One group of teachers in an area: how many, and whose level rose.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupEffectDto {
    pub n: u32,
    pub closed: u32,
    pub improved: u32,
    pub unchanged: u32,
    pub worse: u32,
    pub level_rose: u32,
    /// «эффективность ПК»: `level_rose` of `n` in percent; `null` for a group under 3.
    pub level_rose_percent: Option<f64>,
}

impl From<&vsoko_app::cycle::GroupEffect> for GroupEffectDto {
    fn from(group: &vsoko_app::cycle::GroupEffect) -> Self {
        GroupEffectDto {
            n: group.n,
            closed: group.closed,
            improved: group.improved,
            unchanged: group.unchanged,
            worse: group.worse,
            level_rose: group.level_rose,
            level_rose_percent: group.level_rose_share().map(|share| share.percent()),
        }
    }
}

/// Trained against untrained in an area.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AreaTrainingDto {
    pub area: String,
    pub title: String,
    pub trained: GroupEffectDto,
    pub untrained: GroupEffectDto,
    pub sentence: String,
}

/// The effect of training between two periods of a teachers' survey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingSectionDto {
    pub instrument: String,
    pub from_period: String,
    pub to_period: String,
    pub areas: Vec<AreaTrainingDto>,
    /// Every area together, a teacher once per area with a deficit.
    pub pooled_trained: GroupEffectDto,
    pub pooled_untrained: GroupEffectDto,
    pub pooled_sentence: String,
}

/// The register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterDto {
    pub recommendations: Vec<RecommendationDto>,
    pub by_state: Vec<CountDto>,
    pub by_effect: Vec<CountDto>,
    pub training: Vec<TrainingSectionDto>,
}

impl From<&Register> for RegisterDto {
    fn from(register: &Register) -> Self {
        RegisterDto {
            recommendations: register.lines.iter().map(RecommendationDto::from).collect(),
            by_state: register
                .by_state
                .iter()
                .map(|(state, count)| CountDto {
                    code: state.code().to_owned(),
                    label: state.label().to_owned(),
                    count: *count,
                })
                .collect(),
            by_effect: register
                .by_effect
                .iter()
                .map(|(effect, count)| CountDto {
                    code: effect.code().to_owned(),
                    label: effect.label().to_owned(),
                    count: *count,
                })
                .collect(),
            training: register
                .training
                .iter()
                .map(|section| TrainingSectionDto {
                    instrument: section.instrument.clone(),
                    from_period: section.periods.0.clone(),
                    to_period: section.periods.1.clone(),
                    pooled_trained: GroupEffectDto::from(&section.pooled.trained),
                    pooled_untrained: GroupEffectDto::from(&section.pooled.untrained),
                    pooled_sentence: section.pooled_sentence.clone(),
                    areas: section
                        .areas
                        .iter()
                        .map(|area| AreaTrainingDto {
                            area: area.area.0.clone(),
                            title: area.area.1.clone(),
                            trained: GroupEffectDto::from(&area.effect.trained),
                            untrained: GroupEffectDto::from(&area.effect.untrained),
                            sentence: area.sentence.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The register asked for.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    pub kindergarten_id: Option<i64>,
    /// `waiting`, `overdue`, `answered` or `decided`.
    pub state: Option<String>,
    /// `closed`, `improved`, `unchanged`, `worse` or `no_data`.
    pub effect: Option<String>,
    /// `json` (default), `csv`, `csv-ru`, `xlsx` or `docx`.
    #[param(inline)]
    pub format: Option<PlanFormat>,
}
