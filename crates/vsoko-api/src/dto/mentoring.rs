//! Mentoring pairs across kindergartens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vsoko_app::mentoring::{PairRequest, PairView};
use vsoko_domain::{KindergartenId, PersonId};
use vsoko_storage::PairSide;

/// A pair to propose: of kindergartens (no people) or of teachers (both people).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairRequestDto {
    /// Instrument code.
    pub instrument: String,
    /// Area code of the instrument.
    pub area: String,
    pub mentee_kindergarten_id: i64,
    pub mentor_kindergarten_id: i64,
    #[serde(default)]
    pub mentee_person_id: Option<i64>,
    #[serde(default)]
    pub mentor_person_id: Option<i64>,
}

impl From<&PairRequestDto> for PairRequest {
    fn from(dto: &PairRequestDto) -> Self {
        PairRequest {
            instrument: dto.instrument.clone(),
            area: dto.area.clone(),
            mentee_kindergarten: KindergartenId::new(dto.mentee_kindergarten_id),
            mentor_kindergarten: KindergartenId::new(dto.mentor_kindergarten_id),
            mentee_person: dto.mentee_person_id.map(PersonId::new),
            mentor_person: dto.mentor_person_id.map(PersonId::new),
        }
    }
}

/// A pair.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentoringPairDto {
    pub id: i64,
    /// The school year's first calendar year.
    pub school_year: i32,
    pub instrument: String,
    pub area: String,
    pub area_title: String,
    pub mentee_kindergarten_id: i64,
    pub mentee_kindergarten_name: String,
    pub mentor_kindergarten_id: i64,
    pub mentor_kindergarten_name: String,
    /// The teachers of a pair of teachers.
    pub mentee_person_id: Option<i64>,
    pub mentee_name: Option<String>,
    pub mentor_person_id: Option<i64>,
    pub mentor_name: Option<String>,
    /// `proposed`, `half_agreed`, `confirmed` or `withdrawn`.
    pub state: String,
    pub state_label: String,
    pub proposed_at: DateTime<Utc>,
    pub mentee_agreed_at: Option<DateTime<Utc>>,
    pub mentor_agreed_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The side the caller agrees now (`mentee` or `mentor`), if any.
    pub may_agree: Option<String>,
    /// Whether the caller may withdraw it now.
    pub may_withdraw: bool,
}

impl From<&PairView> for MentoringPairDto {
    fn from(view: &PairView) -> Self {
        let pair = &view.pair;
        MentoringPairDto {
            id: pair.id,
            school_year: pair.school_year,
            instrument: pair.instrument.clone(),
            area: pair.area.clone(),
            area_title: view.area_title.clone(),
            mentee_kindergarten_id: pair.mentee_kindergarten_id.get(),
            mentee_kindergarten_name: view.mentee_kindergarten.short_name.clone(),
            mentor_kindergarten_id: pair.mentor_kindergarten_id.get(),
            mentor_kindergarten_name: view.mentor_kindergarten.short_name.clone(),
            mentee_person_id: pair.mentee_person_id.map(PersonId::get),
            mentee_name: view.mentee.as_ref().map(|p| p.full_name.clone()),
            mentor_person_id: pair.mentor_person_id.map(PersonId::get),
            mentor_name: view.mentor.as_ref().map(|p| p.full_name.clone()),
            state: view.state.code().to_owned(),
            state_label: view.state.label().to_owned(),
            proposed_at: pair.proposed_at,
            mentee_agreed_at: pair.mentee_agreed.map(|(at, _)| at),
            mentor_agreed_at: pair.mentor_agreed.map(|(at, _)| at),
            withdrawn_at: pair.withdrawn.map(|(at, _)| at),
            may_agree: view.may_agree.map(|side| {
                match side {
                    PairSide::Mentee => "mentee",
                    PairSide::Mentor => "mentor",
                }
                .to_owned()
            }),
            may_withdraw: view.may_withdraw,
        }
    }
}
