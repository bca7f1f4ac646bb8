//! The vocabulary of vsoko below every layer: ids, periods, roles, scopes, what a submission is
//! about and who gave it, and the plain records of a network (kindergartens, groups, people,
//! accounts, periods, submissions). Storage maps its rows to these; the use cases, the pages and
//! the API speak them. Plain data: no database, no HTTP, no scoring.

use chrono::{DateTime, NaiveDate, Utc};
use vsoko_checklist::{AnswerValue, Counting, InstrumentId, InstrumentKind, Respondent, Subject};

/// Database id of any record.
pub type Id = i64;

/// A municipal network of kindergartens (муниципальная сеть).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Id.
    pub id: Id,
    /// Name, unique.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The share of active teachers (groups), in whole percent, a result needs for a level,
    /// change and conclusion; `None`: the default rule.
    pub min_coverage_percent: Option<u32>,
}

/// A kindergarten (ДОО).
#[derive(Debug, Clone, PartialEq)]
pub struct Kindergarten {
    /// Id.
    pub id: Id,
    /// The network it belongs to.
    pub network_id: Id,
    /// Its number, unique in the network.
    pub number: String,
    /// Full official name.
    pub full_name: String,
    /// Short name.
    pub short_name: String,
}

/// A group of children.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Id.
    pub id: Id,
    /// The kindergarten.
    pub kindergarten_id: Id,
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
    pub id: Id,
    /// The kindergarten employing the person.
    pub kindergarten_id: Id,
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
    Network(Id),
    /// One kindergarten.
    Kindergarten(Id),
}

/// An account. The password hash never leaves the crate.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Id.
    pub id: Id,
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
    /// The network of the scope (the scope itself, or the kindergarten's network).
    pub network_id: Id,
    /// The linked person.
    pub person_id: Option<Id>,
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
    pub id: Id,
    /// The network.
    pub network_id: Id,
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
}

/// A registered instrument version without its definition: what a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct InstrumentSummary {
    /// Database id.
    pub id: Id,
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
    /// A teacher (a person id).
    Teacher(Id),
    /// A group (a group id).
    Group(Id),
    /// The kindergarten itself (its id).
    Kindergarten(Id),
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

    /// The id of the person, group or kindergarten.
    pub fn id(self) -> Id {
        match self {
            SubjectRef::Teacher(id) | SubjectRef::Group(id) | SubjectRef::Kindergarten(id) => id,
        }
    }

    /// The subject of a [`SubjectRef::kind`] and an id; `None` for an unknown kind.
    pub fn from_parts(kind: &str, id: Id) -> Option<SubjectRef> {
        match kind {
            "teacher" => Some(SubjectRef::Teacher(id)),
            "group" => Some(SubjectRef::Group(id)),
            "kindergarten" => Some(SubjectRef::Kindergarten(id)),
            _ => None,
        }
    }
}

/// Who gave the answers of a submission: the identity its counting key is made of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RespondentRef {
    /// A member of staff (a teacher about herself, a head with a linked person).
    Person(Id),
    /// An account without a linked person.
    User(Id),
    /// A name or e-mail as an imported form gave it, normalised, that matched nobody.
    Named(String),
    /// Somebody anonymous who answered through a survey link (its id): nothing of them is kept.
    Link(Id),
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
        let id = || rest.parse::<Id>().ok();
        match kind {
            "p" => id().map(RespondentRef::Person),
            "u" => id().map(RespondentRef::User),
            "l" => id().map(RespondentRef::Link),
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
    pub id: Id,
    /// The network.
    pub network_id: Id,
    /// The kindergarten.
    pub kindergarten_id: Id,
    /// What the answers are about: a group or the kindergarten.
    pub subject: SubjectRef,
    /// The instrument version.
    pub instrument_id: Id,
    /// The period.
    pub period_id: Id,
    /// Who opened it.
    pub created_by: Id,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was withdrawn.
    pub closed_at: Option<DateTime<Utc>>,
}

/// One stored revision of a submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Id of this revision.
    pub id: Id,
    /// Id of the first revision: the identity of the submission across corrections.
    pub root_id: Id,
    /// 1 for the original, +1 for each correction.
    pub revision: u32,
    /// The revision this one corrects.
    pub supersedes_id: Option<Id>,
    /// Whether this is the latest revision (not superseded).
    pub is_latest: bool,
    /// Database id of the instrument version.
    pub instrument_id: Id,
    /// The period.
    pub period_id: Id,
    /// The network of the kindergarten.
    pub network_id: Id,
    /// The kindergarten.
    pub kindergarten_id: Id,
    /// What was assessed.
    pub subject: SubjectRef,
    /// Who submitted this revision.
    pub author_user_id: Id,
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
            RespondentRef::Person(7),
            RespondentRef::User(12),
            RespondentRef::Link(3),
            RespondentRef::Named("иванова анна: воспитатель".to_owned()),
        ] {
            assert_eq!(RespondentRef::parse(&respondent.key()), Some(respondent));
        }
        assert_eq!(RespondentRef::parse("p:abc"), None);
        assert_eq!(RespondentRef::parse("x:1"), None);
        assert_eq!(RespondentRef::parse("p7"), None);
    }
}
