//! The crate's public domain types: what repository functions take and return. Plain data, no
//! sea-orm types.

use crate::error::StorageError;
use chrono::{DateTime, NaiveDate, Utc};
use vsoko_checklist::{AnswerSheet, Counting, Instrument, InstrumentId};
use vsoko_scoring::SubmissionScore;

pub use vsoko_domain::{
    Basis, Group, GroupId, InstrumentSummary, InstrumentVersionId, Kindergarten, KindergartenId,
    LinkId, Network, NetworkId, PageRequest, Period, PeriodId, PeriodStatus, Person, PersonId,
    RespondentRef, Role, RouteId, Scope, StoredAnswer, SubjectRef, Submission, SubmissionId,
    SurveyLink, TrainingRecordId, User, UserId,
};

/// The row number of a record: typed at the crate's edge (the `…Id` types), raw inside and for
/// records only storage knows (tokens, drafts, uploads, profiles, audit entries).
pub(crate) type Id = i64;

/// A kindergarten to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewKindergarten {
    /// The network it belongs to.
    pub network_id: NetworkId,
    /// Its number, unique in the network (`"106"`).
    pub number: String,
    /// Full official name.
    pub full_name: String,
    /// Short name (`МДОУ № 106`).
    pub short_name: String,
}

/// An account to create. The password is hashed with argon2id before it is stored.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login, unique.
    pub login: String,
    /// The password in clear text.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
    /// The person this account belongs to (teachers and heads), from the scope's kindergarten.
    pub person_id: Option<PersonId>,
}

/// A stored API token (its hash only).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    /// Id.
    pub id: Id,
    /// The owner.
    pub user_id: UserId,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked (logout), if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An assessment period to open.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPeriod {
    /// The network.
    pub network_id: NetworkId,
    /// Code unique in the network, like `2024-09`.
    pub code: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
}

/// A registered instrument version with its full definition.
#[derive(Debug, Clone)]
pub struct StoredInstrument {
    /// Database id.
    pub id: InstrumentVersionId,
    /// The instrument, rebuilt from the stored canonical JSON.
    pub instrument: Instrument,
}

/// What happened to each instrument of a catalog on registration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registration {
    /// Versions registered now.
    pub added: Vec<InstrumentId>,
    /// Versions that were registered already with the same content.
    pub unchanged: Vec<InstrumentId>,
}

/// A link to open for an anonymous questionnaire: what its answers will be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSurveyLink {
    /// The registered instrument version the link's form shows.
    pub instrument_id: InstrumentVersionId,
    /// The period its answers go to.
    pub period_id: PeriodId,
    /// What the answers are about: a group, or a kindergarten.
    pub subject: SubjectRef,
    /// The account opening it (a head, a manager): the author of the submissions made through it.
    pub created_by: UserId,
}

/// A new submission: checked answers and their scores, about one subject, in one period.
#[derive(Debug, Clone, Copy)]
pub struct NewSubmission<'a> {
    /// Database id of the instrument version the answers were checked against.
    pub instrument_id: InstrumentVersionId,
    /// The period.
    pub period_id: PeriodId,
    /// The kindergarten the submission belongs to.
    pub kindergarten_id: KindergartenId,
    /// What is assessed; must belong to the kindergarten.
    pub subject: SubjectRef,
    /// The user submitting.
    pub author_user_id: UserId,
    /// Who answered: the author, or for an import the person (or name) the row gives.
    pub respondent: &'a RespondentRef,
    /// The client's idempotency key, unique per author.
    pub idempotency_key: &'a str,
    /// The checked answers.
    pub answers: &'a AnswerSheet,
    /// Their scores.
    pub score: &'a SubmissionScore,
    /// A control card's observation date.
    pub observed_on: Option<NaiveDate>,
    /// When the answers were given (`None`: now).
    pub answered_at: Option<DateTime<Utc>>,
    /// The respondent's e-mail from a form export.
    pub respondent_email: Option<&'a str>,
}

/// What a new submission names, read by [`crate::Store::submission_context`] in one query: the
/// instrument version, the period and the kindergarten the subject belongs to. Only the store
/// makes one, so [`crate::Store::submit_in_context`] can trust it instead of reading it again.
#[derive(Debug, Clone)]
pub struct SubmissionContext {
    pub(crate) instrument: InstrumentSummary,
    pub(crate) period: Period,
    pub(crate) subject: SubjectRef,
    pub(crate) kindergarten: Option<Kindergarten>,
}

impl SubmissionContext {
    /// The instrument version.
    pub fn instrument(&self) -> &InstrumentSummary {
        &self.instrument
    }

    /// The period (of the network asked for).
    pub fn period(&self) -> &Period {
        &self.period
    }

    /// The subject asked about.
    pub fn subject(&self) -> SubjectRef {
        self.subject
    }

    /// The kindergarten the subject belongs to; [`StorageError::NotFound`] (naming the person,
    /// group or kindergarten) when the subject does not exist.
    pub fn kindergarten(&self) -> Result<&Kindergarten, StorageError> {
        self.kindergarten.as_ref().ok_or_else(|| {
            StorageError::not_found(subject_record(self.subject), self.subject.raw_id())
        })
    }
}

/// A correction: new answers (and scores) for a submission, stored as its next revision.
#[derive(Debug, Clone, Copy)]
pub struct Correction<'a> {
    /// The revision being corrected; must be the latest.
    pub supersedes: SubmissionId,
    /// The user correcting.
    pub author_user_id: UserId,
    /// Optional idempotency key, unique per author; a retry with the same key returns the revision
    /// it created.
    pub idempotency_key: Option<&'a str>,
    /// The checked answers (against the same instrument version).
    pub answers: &'a AnswerSheet,
    /// Their scores.
    pub score: &'a SubmissionScore,
    /// When the new answers were given (`None`: now).
    pub answered_at: Option<DateTime<Utc>>,
}

/// The result of [`crate::Store::submit`] and [`crate::Store::correct`].
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitOutcome {
    /// The stored revision.
    pub submission: Submission,
    /// `false` when the idempotency key had been used already and the earlier revision is returned.
    pub created: bool,
}

/// A revision with its answers and cached scores.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionDetail {
    /// The revision.
    pub submission: Submission,
    /// Code + version of its instrument.
    pub instrument: InstrumentId,
    /// Its answers, by item code.
    pub answers: Vec<StoredAnswer>,
    /// Its cached scores.
    pub score: SubmissionScore,
}

/// Filters of [`crate::Store::list_submissions`]; `None` means «any».
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubmissionFilter {
    /// Only submissions inside this unit.
    pub scope: Option<Scope>,
    /// Period.
    pub period_id: Option<PeriodId>,
    /// Instrument version.
    pub instrument_id: Option<InstrumentVersionId>,
    /// Kindergarten.
    pub kindergarten_id: Option<KindergartenId>,
    /// Subject.
    pub subject: Option<SubjectRef>,
    /// Author.
    pub author_user_id: Option<UserId>,
    /// Include superseded revisions too (default: latest revisions only).
    pub include_superseded: bool,
}

/// What a report reads: the latest scores of one period inside a scope, optionally of one subject
/// only ([`crate::Store::load_score_table`]). The period is its id, looked up once by whoever
/// builds the query ([`crate::Store::score_query`] from a code), never again by the reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreQuery {
    /// The unit whose submissions count.
    pub scope: Scope,
    /// Only this subject's submissions.
    pub subject: Option<SubjectRef>,
    /// The period.
    pub period: PeriodId,
}

impl ScoreQuery {
    /// Every subject's latest scores of `period` in `scope`.
    pub fn of(scope: Scope, period: PeriodId) -> ScoreQuery {
        ScoreQuery {
            scope,
            subject: None,
            period,
        }
    }
}

/// One page of results and the total number of matching rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Number of rows matching the filter.
    pub total: u64,
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Id.
    pub id: Id,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`None` for the system or the command line).
    pub actor_user_id: Option<UserId>,
    /// What: `submission.create`, `submission.correct`, `period.close`, …
    pub action: String,
    /// Kind of record: `submission`, `period`, …
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// Details, a JSON object.
    pub details: serde_json::Value,
}

/// The outcome of [`crate::Store::repair_counting`]: rows of earlier versions brought under the
/// counting rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountingRepair {
    /// Revisions given their respondent and counting key.
    pub filled: u64,
    /// Latest revisions that no longer count: an earlier answer of someone who answered again.
    pub superseded: u64,
}

/// The outcome of [`crate::Store::recompute`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecomputeReport {
    /// Submissions (revisions) scored again.
    pub scanned: u64,
    /// Those whose cached scores changed and were rewritten.
    pub changed: u64,
}

/// What `submissions::context::check_new` established about a new submission.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// The instrument version.
    pub(crate) instrument: InstrumentId,
    /// The kindergarten's network.
    pub(crate) network_id: NetworkId,
    /// The instrument's counting rule.
    pub(crate) counting: Counting,
}

/// How one item was answered in the latest submissions of a report ([`crate::Store::item_answers`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemAnswers {
    /// Item code.
    pub item: String,
    /// Answers with a value.
    pub answered: u32,
    /// Answers «не применимо».
    pub not_applicable: u32,
    /// How many answered with each value, by value.
    pub values: Vec<(f64, u32)>,
}

/// A draft to save: the author's half-filled form, replacing the draft of the same form.
#[derive(Debug, Clone, Copy)]
pub struct NewDraft<'a> {
    /// The author; a draft is visible to its author only.
    pub user_id: UserId,
    /// Which form the draft is of (unique per author): chosen by the caller.
    pub form_key: &'a str,
    /// The instrument version.
    pub instrument_id: InstrumentVersionId,
    /// The period.
    pub period_id: PeriodId,
    /// What the form is about, when already chosen.
    pub subject: Option<SubjectRef>,
    /// The submission a correction draft corrects.
    pub corrects: Option<SubmissionId>,
    /// A control card's observation date, when already given.
    pub observed_on: Option<NaiveDate>,
    /// The idempotency key the form will be sent with. Kept from the first save: a draft resumed
    /// on another device is sent with the same key.
    pub idempotency_key: &'a str,
    /// The fields as typed, in the caller's own serialisation (JSON text).
    pub fields: &'a str,
}

/// A stored draft. Never counted anywhere: reports read submissions only.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Id.
    pub id: Id,
    /// The author.
    pub user_id: UserId,
    /// Which form.
    pub form_key: String,
    /// The instrument version.
    pub instrument_id: InstrumentVersionId,
    /// The period.
    pub period_id: PeriodId,
    /// What the form is about, when chosen.
    pub subject: Option<SubjectRef>,
    /// The submission a correction draft corrects.
    pub corrects: Option<SubmissionId>,
    /// A card's observation date.
    pub observed_on: Option<NaiveDate>,
    /// The idempotency key the form is sent with.
    pub idempotency_key: String,
    /// The fields as typed.
    pub fields: String,
    /// First saved.
    pub created_at: DateTime<Utc>,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
}

/// A listed revision with its node scores (total first, as in [`SubmissionScore::nodes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedSubmission {
    /// The revision.
    pub submission: Submission,
    /// Its node scores.
    pub nodes: Vec<vsoko_scoring::NodeScore>,
    /// Codes of its critical items answered with their lowest option.
    pub critical_items: Vec<String>,
}

/// The staff and groups of a unit a report's coverage is counted against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaffCounts {
    /// Active members of staff who are assessed (not heads, managers or administrators).
    pub teachers: u32,
    /// Active groups.
    pub groups: u32,
}

/// A file uploaded to the import wizard, kept between its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct StagedUpload {
    /// Id.
    pub id: Id,
    /// Who uploaded it (the only account that sees it).
    pub user_id: UserId,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A mapping profile saved under a name for a network.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedProfile {
    /// Id.
    pub id: Id,
    /// The network.
    pub network_id: NetworkId,
    /// Its name, unique in the network.
    pub name: String,
    /// The instrument code it maps.
    pub instrument_code: String,
    /// The instrument version it maps.
    pub instrument_version: u32,
    /// The profile as JSON (`vsoko_exchange::MappingProfile`).
    pub profile: String,
    /// Who saved it last.
    pub created_by: UserId,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
}

/// The record a subject's id names, for «not found» errors.
pub(crate) fn subject_record(subject: SubjectRef) -> crate::error::Record {
    match subject {
        SubjectRef::Teacher(_) => crate::error::Record::Person,
        SubjectRef::Group(_) => crate::error::Record::Group,
        SubjectRef::Kindergarten(_) => crate::error::Record::Kindergarten,
    }
}
