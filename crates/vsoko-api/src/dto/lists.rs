//! The lists of people for professional development: motivated, tutors, needs training,
//! consultation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vsoko_app::lists::{
    AgreementState, KindergartenList, ListEntry, ListMark, OwnListEntry, StaffList, StaffListView,
};

/// One of the four lists.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StaffListCode {
    /// «Мотивированы на развитие цифровых компетенций».
    Motivated,
    /// «Готовы быть тьюторами».
    Tutors,
    /// «Нуждаются в повышении квалификации».
    NeedsTraining,
    /// «Просят консультацию».
    Consultation,
}

impl From<StaffListCode> for StaffList {
    fn from(code: StaffListCode) -> Self {
        match code {
            StaffListCode::Motivated => StaffList::Motivated,
            StaffListCode::Tutors => StaffList::Tutors,
            StaffListCode::NeedsTraining => StaffList::NeedsTraining,
            StaffListCode::Consultation => StaffList::Consultation,
        }
    }
}

/// A decision about a person on a list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListMarkCode {
    /// She puts herself on the motivated list (herself only).
    OptedIn,
    /// She takes herself off it (herself only).
    Withdrawn,
    /// Her head confirms (tutors, needs training).
    Confirmed,
    /// Her head dismisses, with a `reason`.
    Dismissed,
    /// The consultation was given (her head or the department).
    Answered,
    /// The department designates a confirmed tutor a tutor of the network.
    Designated,
    /// The department withdraws the designation.
    Undesignated,
    /// Undoes the last decision.
    Cleared,
}

impl From<ListMarkCode> for ListMark {
    fn from(code: ListMarkCode) -> Self {
        match code {
            ListMarkCode::OptedIn => ListMark::OptedIn,
            ListMarkCode::Withdrawn => ListMark::Withdrawn,
            ListMarkCode::Confirmed => ListMark::Confirmed,
            ListMarkCode::Dismissed => ListMark::Dismissed,
            ListMarkCode::Answered => ListMark::Answered,
            ListMarkCode::Designated => ListMark::Designated,
            ListMarkCode::Undesignated => ListMark::Undesignated,
            ListMarkCode::Cleared => ListMark::Cleared,
        }
    }
}

/// A decision about a person.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListMarkRequest {
    /// Whom it is about.
    pub person_id: i64,
    /// The decision.
    pub mark: ListMarkCode,
    /// Why (required to dismiss), or a note; at most 500 characters.
    #[serde(default)]
    pub reason: Option<String>,
    /// The id of the latest decision about her the caller saw (`based_on` of her entry); absent
    /// when there was none. 409 `list_changed` when another came since.
    #[serde(default)]
    pub based_on: Option<i64>,
}

/// A head's agreement of her kindergarten's motivated list, or its withdrawal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAgreementRequest {
    /// `true` agrees the list as it stands; `false` withdraws the agreement.
    pub agree: bool,
    /// `agreement_based_on` of the list the caller saw; absent when there was none.
    #[serde(default)]
    pub based_on: Option<i64>,
}

/// The latest decision about a person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListDecisionDto {
    /// The mark's code.
    pub mark: String,
    /// Its reason or note.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// One person on a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListEntryDto {
    /// The person.
    pub person_id: i64,
    /// Her full name.
    pub person_name: String,
    /// Her position.
    pub position: String,
    /// `proposed`, `confirmed`, `dismissed`, `answered` or `designated`.
    pub state: String,
    /// The state in words.
    pub state_label: String,
    /// Whether the list's rule proposes her (her answers, deficits and courses).
    pub proposed: bool,
    /// Why she is on it, in words.
    pub grounds: Vec<String>,
    /// Her deficit areas (a consultation's or a course's subject).
    pub areas: Vec<String>,
    /// The latest decision about her.
    pub decision: Option<ListDecisionDto>,
    /// The id to send as `based_on` with the next decision.
    pub based_on: Option<i64>,
    /// The decisions the caller may make now.
    pub marks: Vec<String>,
}

fn state_code(state: vsoko_app::lists::EntryState) -> &'static str {
    use vsoko_app::lists::EntryState;
    match state {
        EntryState::Proposed => "proposed",
        EntryState::Confirmed => "confirmed",
        EntryState::Dismissed => "dismissed",
        EntryState::Answered => "answered",
        EntryState::Designated => "designated",
    }
}

impl ListEntryDto {
    fn of(entry: &ListEntry, list: StaffList) -> Self {
        ListEntryDto {
            person_id: entry.person.id.get(),
            person_name: entry.person.full_name.clone(),
            position: entry.person.position.clone(),
            state: state_code(entry.state).to_owned(),
            state_label: entry.state.label(list).to_owned(),
            proposed: entry.proposed,
            grounds: entry.grounds.clone(),
            areas: entry.areas.clone(),
            decision: entry.decision.as_ref().map(|decision| ListDecisionDto {
                mark: decision.mark.code().to_owned(),
                reason: decision.reason.clone(),
                at: decision.at,
            }),
            based_on: entry.based_on,
            marks: entry
                .marks
                .iter()
                .map(|mark| mark.code().to_owned())
                .collect(),
        }
    }
}

/// A kindergarten's agreement of its list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListAgreementDto {
    /// When agreed.
    pub agreed_at: DateTime<Utc>,
    /// `agreed` (the names are the agreed ones) or `outdated` (names added or left since).
    pub state: String,
    /// People on the list now, not agreed.
    pub added: Vec<i64>,
    /// People agreed, not on the list now.
    pub left: Vec<i64>,
}

/// A kindergarten's part of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindergartenListDto {
    /// The kindergarten.
    pub kindergarten_id: i64,
    /// Its short name.
    pub kindergarten_name: String,
    /// Its agreement this school year (the motivated list); `null`: not agreed.
    pub agreement: Option<ListAgreementDto>,
    /// The id to send as `based_on` with the next agreement or withdrawal.
    pub agreement_based_on: Option<i64>,
    /// Whether the caller may agree it now.
    pub may_agree: bool,
    /// People on the list now (dismissed ones too, with their reason), by name.
    pub entries: Vec<ListEntryDto>,
}

impl KindergartenListDto {
    /// The DTO of a kindergarten's part of `list`.
    pub fn of(part: &KindergartenList, list: StaffList) -> Self {
        KindergartenListDto {
            kindergarten_id: part.kindergarten.id.get(),
            kindergarten_name: part.kindergarten.short_name.clone(),
            agreement: part.agreement.as_ref().map(|agreement| {
                let (state, added, left) = match &agreement.state {
                    AgreementState::Outdated { added, left } => {
                        ("outdated", added.clone(), left.clone())
                    }
                    _ => ("agreed", Vec::new(), Vec::new()),
                };
                ListAgreementDto {
                    agreed_at: agreement.at,
                    state: state.to_owned(),
                    added: added.into_iter().map(|id| id.get()).collect(),
                    left: left.into_iter().map(|id| id.get()).collect(),
                }
            }),
            agreement_based_on: part.agreement_based_on,
            may_agree: part.may_agree,
            entries: part
                .entries
                .iter()
                .map(|entry| ListEntryDto::of(entry, list))
                .collect(),
        }
    }
}

/// A list for the current school year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffListDto {
    /// The list's code.
    pub list: String,
    /// Its title.
    pub title: String,
    /// The school year («2026/2027»).
    pub school_year: String,
    /// Each kindergarten's part.
    pub kindergartens: Vec<KindergartenListDto>,
}

impl From<&StaffListView> for StaffListDto {
    fn from(view: &StaffListView) -> Self {
        StaffListDto {
            list: view.list.code().to_owned(),
            title: view.list.title().to_owned(),
            school_year: view.year.to_string(),
            kindergartens: view
                .kindergartens
                .iter()
                .map(|part| KindergartenListDto::of(part, view.list))
                .collect(),
        }
    }
}

/// The caller's own place on the motivated list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnListEntryDto {
    /// `proposed`, `confirmed`, `dismissed`, …; `null`: not on it.
    pub state: Option<String>,
    /// What she may do (`opted_in`, `withdrawn`).
    pub marks: Vec<String>,
    /// The id to send as `based_on`.
    pub based_on: Option<i64>,
}

impl From<&OwnListEntry> for OwnListEntryDto {
    fn from(entry: &OwnListEntry) -> Self {
        OwnListEntryDto {
            state: entry.state.map(|state| state_code(state).to_owned()),
            marks: entry
                .marks
                .iter()
                .map(|mark| mark.code().to_owned())
                .collect(),
            based_on: entry.based_on,
        }
    }
}

/// The format of a list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `json` (the default), `csv`, `csv-ru` (for Russian Excel) or `xlsx`: «согласованный
    /// список» (№, ФИО, должность, ДОО, отметка о согласовании, дата) and, for the motivated
    /// list, each kindergarten's agreement.
    #[param(inline)]
    pub format: Option<crate::dto::reports::ReportFormat>,
    /// With `format=csv-ru`: write numbers with a decimal comma.
    pub decimal_comma: Option<bool>,
}
