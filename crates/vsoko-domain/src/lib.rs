//! The vocabulary of vsoko below every layer: ids, periods, roles, scopes, what a submission is
//! about and who gave it, and the plain records of a network (kindergartens, groups, people,
//! accounts, periods, submissions). Storage maps its rows to these; the use cases, the pages and
//! the API speak them. Plain data: no database, no HTTP, no scoring.

use chrono::{DateTime, NaiveDate, Utc};
use vsoko_checklist::{AnswerValue, Counting, InstrumentId, InstrumentKind, Respondent, Subject};

mod ids;

pub use ids::{
    GroupId, InstrumentVersionId, KindergartenId, LinkId, NetworkId, PeriodId, PersonId, RouteId,
    SubmissionId, TrainingRecordId, UserId,
};

/// A municipal network of kindergartens (муниципальная сеть).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Id.
    pub id: NetworkId,
    /// Name, unique.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The share of active teachers (groups), in whole percent, a result needs for a level,
    /// change and conclusion; `None`: the default rule.
    pub min_coverage_percent: Option<u32>,
    /// Whether the СНИЛС of training records' recipients is kept (off unless the network asks).
    pub store_snils: bool,
}

/// A kindergarten (ДОО).
#[derive(Debug, Clone, PartialEq)]
pub struct Kindergarten {
    /// Id.
    pub id: KindergartenId,
    /// The network it belongs to.
    pub network_id: NetworkId,
    /// Its number, unique in the network.
    pub number: String,
    /// Full official name.
    pub full_name: String,
    /// Short name.
    pub short_name: String,
    /// Its district (район, микрорайон), when the department has set one: mentoring pairs
    /// prefer a kindergarten of the same district.
    pub district: Option<String>,
}

/// A group of children.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Id.
    pub id: GroupId,
    /// The kindergarten.
    pub kindergarten_id: KindergartenId,
    /// Name (`«Солнышко»`).
    pub name: String,
    /// Age group (`средняя`, `4–5 лет`).
    pub age_group: String,
    /// Whether the group still exists.
    pub active: bool,
}

/// A member of staff: a teacher or anyone else who can be assessed or answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// The kindergarten employing the person.
    pub kindergarten_id: KindergartenId,
    /// Full name.
    pub full_name: String,
    /// Position (`воспитатель`, `старший воспитатель`).
    pub position: String,
    /// Whether the person still works there.
    pub active: bool,
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything.
    Admin,
    /// A manager or methodist of the municipal department.
    Manager,
    /// The head of a kindergarten.
    Head,
    /// A teacher.
    Teacher,
}

impl Role {
    /// Stable text form: `admin`, `manager`, `head`, `teacher`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Head => "head",
            Role::Teacher => "teacher",
        }
    }

    /// Parses [`Role::as_str`].
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "head" => Some(Role::Head),
            "teacher" => Some(Role::Teacher),
            _ => None,
        }
    }
}

/// The unit whose data a user (or a query) is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A whole network.
    Network(NetworkId),
    /// One kindergarten.
    Kindergarten(KindergartenId),
}

/// An account. The password hash never leaves the crate.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
    /// The network of the scope (the scope itself, or the kindergarten's network).
    pub network_id: NetworkId,
    /// The linked person.
    pub person_id: Option<PersonId>,
    /// Whether the account may log in.
    pub active: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Whether a period accepts submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodStatus {
    /// Submissions and corrections are accepted.
    Open,
    /// Nothing more is accepted.
    Closed,
}

impl PeriodStatus {
    /// `open` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodStatus::Open => "open",
            PeriodStatus::Closed => "closed",
        }
    }
}

/// A period's code as people and the API write it (`2025-05`): 1–32 characters, latin letters,
/// digits, `.`, `-` and `_`, starting with a letter or a digit. Parsed once: a `PeriodCode` is
/// valid by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeriodCode(String);

impl PeriodCode {
    /// The longest code.
    pub const MAX_CHARS: usize = 32;
    /// The rule as a regular expression (the API's schema of every period code).
    pub const PATTERN: &'static str = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$";

    /// The code `text` is, if it is one.
    pub fn parse(text: &str) -> Option<PeriodCode> {
        let mut chars = text.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && text.len() <= Self::MAX_CHARS
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        valid.then(|| PeriodCode(text.to_owned()))
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PeriodCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An assessment period of a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// Id.
    pub id: PeriodId,
    /// The network.
    pub network_id: NetworkId,
    /// Code like `2024-09`.
    pub code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Open or closed.
    pub status: PeriodStatus,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The order or plan the period's assessment is held under, when the methodist set it.
    pub basis: Option<Basis>,
}

/// The основание of an assessment: the document it is held under («приказ управления
/// образования «О проведении ВСОКО в 2024/2025 учебном году»»), its number and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    /// What the document is, in words.
    pub title: String,
    /// Its number.
    pub number: String,
    /// Its date.
    pub date: NaiveDate,
}

impl Basis {
    /// As a справка says it: «приказ управления образования от 02.09.2024 № 112 «О …»» — the
    /// kind of the document first, then its date and number, then the rest of its title.
    pub fn words(&self) -> String {
        let title = self.title.trim();
        let date = self.date.format("%d.%m.%Y");
        let number = self.number.trim();
        match title.find(['«', '"']) {
            Some(at) => format!(
                "{} от {date} № {number} {}",
                title[..at].trim_end(),
                &title[at..]
            ),
            None => format!("{title} от {date} № {number}"),
        }
    }
}

/// A registered instrument version without its definition: what a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct InstrumentSummary {
    /// Database id.
    pub id: InstrumentVersionId,
    /// Code + version.
    pub instrument: InstrumentId,
    /// Content hash of the canonical definition.
    pub content_hash: String,
    /// Russian title.
    pub title: String,
    /// Survey, control card or indicator set.
    pub kind: InstrumentKind,
    /// Who answers it.
    pub respondent: Respondent,
    /// Whom or what it assesses.
    pub subject: Subject,
    /// Which submissions count in reports.
    pub counting: Counting,
}

/// What a submission assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectRef {
    /// A teacher (a person).
    Teacher(PersonId),
    /// A group.
    Group(GroupId),
    /// The kindergarten itself.
    Kindergarten(KindergartenId),
}

impl SubjectRef {
    /// `teacher`, `group` or `kindergarten` — the same codes as [`vsoko_checklist::Subject`].
    pub fn kind(self) -> &'static str {
        match self {
            SubjectRef::Teacher(_) => "teacher",
            SubjectRef::Group(_) => "group",
            SubjectRef::Kindergarten(_) => "kindergarten",
        }
    }

    /// The row number of the person, group or kindergarten (stored beside [`SubjectRef::kind`]).
    pub fn raw_id(self) -> i64 {
        match self {
            SubjectRef::Teacher(id) => id.get(),
            SubjectRef::Group(id) => id.get(),
            SubjectRef::Kindergarten(id) => id.get(),
        }
    }

    /// The subject of a [`SubjectRef::kind`] and a row number; `None` for an unknown kind.
    pub fn from_parts(kind: &str, id: i64) -> Option<SubjectRef> {
        match kind {
            "teacher" => Some(SubjectRef::Teacher(PersonId::new(id))),
            "group" => Some(SubjectRef::Group(GroupId::new(id))),
            "kindergarten" => Some(SubjectRef::Kindergarten(KindergartenId::new(id))),
            _ => None,
        }
    }
}

/// Who gave the answers of a submission: the identity its counting key is made of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RespondentRef {
    /// A member of staff (a teacher about herself, a head with a linked person).
    Person(PersonId),
    /// An account without a linked person.
    User(UserId),
    /// A name or e-mail as an imported form gave it, normalised, that matched nobody.
    Named(String),
    /// Somebody anonymous who answered through a survey link (its id): nothing of them is kept.
    Link(LinkId),
}

impl RespondentRef {
    /// The stored form: `p:<id>`, `u:<id>`, `n:<name>` or `l:<id>`.
    pub fn key(&self) -> String {
        match self {
            RespondentRef::Person(id) => format!("p:{id}"),
            RespondentRef::User(id) => format!("u:{id}"),
            RespondentRef::Named(name) => format!("n:{name}"),
            RespondentRef::Link(id) => format!("l:{id}"),
        }
    }

    /// Reads [`RespondentRef::key`] back; `None` for anything else.
    pub fn parse(key: &str) -> Option<RespondentRef> {
        let (kind, rest) = key.split_once(':')?;
        match kind {
            "p" => rest.parse().ok().map(RespondentRef::Person),
            "u" => rest.parse().ok().map(RespondentRef::User),
            "l" => rest.parse().ok().map(RespondentRef::Link),
            "n" => Some(RespondentRef::Named(rest.to_owned())),
            _ => None,
        }
    }
}

/// A link to an anonymous questionnaire. Its token is shown once when it is opened; only the
/// token's SHA-256 is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyLink {
    /// Database id.
    pub id: LinkId,
    /// The network.
    pub network_id: NetworkId,
    /// The kindergarten.
    pub kindergarten_id: KindergartenId,
    /// What the answers are about: a group or the kindergarten.
    pub subject: SubjectRef,
    /// The instrument version.
    pub instrument_id: InstrumentVersionId,
    /// The period.
    pub period_id: PeriodId,
    /// Who opened it.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was withdrawn.
    pub closed_at: Option<DateTime<Utc>>,
}

/// One stored revision of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Id of this revision.
    pub id: SubmissionId,
    /// Id of the first revision: the identity of the submission across corrections.
    pub root_id: SubmissionId,
    /// 1 for the original, +1 for each correction.
    pub revision: u32,
    /// The revision this one corrects.
    pub supersedes_id: Option<SubmissionId>,
    /// Whether this is the latest revision (not superseded).
    pub is_latest: bool,
    /// Database id of the instrument version.
    pub instrument_id: InstrumentVersionId,
    /// The period.
    pub period_id: PeriodId,
    /// The network of the kindergarten.
    pub network_id: NetworkId,
    /// The kindergarten.
    pub kindergarten_id: KindergartenId,
    /// What was assessed.
    pub subject: SubjectRef,
    /// Who submitted this revision.
    pub author_user_id: UserId,
    /// The client's idempotency key.
    pub idempotency_key: Option<String>,
    /// When this revision was stored.
    pub submitted_at: DateTime<Utc>,
    /// Who answered ([`RespondentRef::key`]).
    pub respondent: Option<String>,
    /// A control card's observation date.
    pub observed_on: Option<NaiveDate>,
    /// When the answers were given (for rows from before that was recorded: when stored).
    pub answered_at: DateTime<Utc>,
    /// The respondent's e-mail from a form export.
    pub respondent_email: Option<String>,
}

/// One stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    /// Item code.
    pub item: String,
    /// The value or N/A.
    pub value: AnswerValue,
    /// Optional comment.
    pub comment: Option<String>,
}

/// A page request: at most `limit` rows after skipping `offset`, ordered by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return at most (capped at 1000).
    pub limit: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            offset: 0,
            limit: 50,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_codes_are_short_latin_codes() {
        for good in ["2025-05", "2024_25", "sep.2025", "Q1", &"9".repeat(32)] {
            assert_eq!(
                PeriodCode::parse(good).map(|code| code.to_string()),
                Some(good.to_owned())
            );
        }
        for bad in [
            "",
            " ",
            "-05",
            "2025\u{7}",
            "сентябрь",
            &"9".repeat(33),
            "a b",
        ] {
            assert_eq!(PeriodCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_respondent_reads_back_what_it_stored() {
        for respondent in [
            RespondentRef::Person(PersonId::new(7)),
            RespondentRef::User(UserId::new(12)),
            RespondentRef::Link(LinkId::new(3)),
            RespondentRef::Named("иванова анна: воспитатель".to_owned()),
        ] {
            assert_eq!(RespondentRef::parse(&respondent.key()), Some(respondent));
        }
        assert_eq!(RespondentRef::parse("p:abc"), None);
        assert_eq!(RespondentRef::parse("x:1"), None);
        assert_eq!(RespondentRef::parse("p7"), None);
    }
}
