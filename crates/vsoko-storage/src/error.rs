//! The crate's one error type.

use std::error::Error as StdError;
use vsoko_domain::{SubmissionId, TrainingRecordId};

/// The kinds of record a [`StorageError`] can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Record {
    /// A network of kindergartens.
    Network,
    /// A kindergarten.
    Kindergarten,
    /// A group of children.
    Group,
    /// A member of staff.
    Person,
    /// An account.
    User,
    /// An API token.
    Token,
    /// An assessment period.
    Period,
    /// An instrument version.
    Instrument,
    /// A submission (one revision).
    Submission,
    /// A link to an anonymous questionnaire.
    SurveyLink,
    /// A file uploaded to the import wizard.
    Upload,
    /// A saved import profile.
    Profile,
    /// A training record (one revision).
    TrainingRecord,
    /// An individual route (ИОМ).
    Route,
    /// A mentoring pair.
    MentoringPair,
    /// A calendar plan of professional development.
    Plan,
    /// An addressed recommendation.
    Recommendation,
    /// A saved справка.
    Spravka,
}

impl Record {
    /// Stable English name: `network`, `kindergarten`, … (logs, the API's problem details).
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Network => "network",
            Record::Kindergarten => "kindergarten",
            Record::Group => "group",
            Record::Person => "person",
            Record::User => "user",
            Record::Token => "token",
            Record::Period => "period",
            Record::Instrument => "instrument",
            Record::Submission => "submission",
            Record::SurveyLink => "survey_link",
            Record::Upload => "upload",
            Record::Profile => "import_profile",
            Record::TrainingRecord => "training_record",
            Record::Route => "individual_route",
            Record::MentoringPair => "mentoring_pair",
            Record::Plan => "pd_plan",
            Record::Recommendation => "recommendation",
            Record::Spravka => "spravka",
        }
    }
}

impl std::fmt::Display for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a storage call can fail with. Each variant maps to one HTTP answer: `NotFound` → 404,
/// `Duplicate` / `InstrumentChanged` / `NotLatest` → 409, `PeriodClosed` → 409 (or 422),
/// `Invalid` → 422, `Database` / `Corrupt` → 500 (log the source, answer opaquely).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// No record of this kind with this id (or key) exists.
    #[error("{record} {id} not found")]
    NotFound {
        /// Kind of record.
        record: Record,
        /// The id or key looked up.
        id: String,
    },
    /// A unique constraint refused the write: a login, a period code, a kindergarten number … is
    /// already taken.
    #[error("{record} already exists: {detail}")]
    Duplicate {
        /// Kind of record.
        record: Record,
        /// What collided.
        detail: String,
    },
    /// A registered instrument version was given again with different content.
    #[error(
        "instrument {instrument} is already registered with content hash {registered}, but {source_file} has hash {found}: a changed instrument needs a new `version`"
    )]
    InstrumentChanged {
        /// `code@version`.
        instrument: String,
        /// The file (or label) the changed definition came from.
        source_file: String,
        /// Hash stored in the database.
        registered: String,
        /// Hash of the definition given now.
        found: String,
    },
    /// A correction was made to a revision that has already been superseded.
    #[error("submission {submission} was already corrected; correct its latest revision {latest}")]
    NotLatest {
        /// The revision the correction was made to.
        submission: SubmissionId,
        /// The latest revision of the same submission.
        latest: SubmissionId,
    },
    /// A training record's correction was made to a revision that has been corrected since.
    #[error("training record {record} was already corrected; correct its latest revision {latest}")]
    TrainingRecordNotLatest {
        /// The revision the correction was made to.
        record: TrainingRecordId,
        /// The latest revision of the same record.
        latest: TrainingRecordId,
    },
    /// A calendar plan was written by someone else since the version the write was based on.
    #[error("calendar plan {plan} was changed since version {version}; open it again")]
    PlanChanged {
        /// The plan.
        plan: i64,
        /// The version the write was based on.
        version: u32,
    },
    /// A route was written by someone else since the version the write was based on.
    #[error("individual route {route} was changed since version {version}; open it again")]
    RouteChanged {
        /// The route.
        route: vsoko_domain::RouteId,
        /// The version the write was based on.
        version: u32,
    },
    /// Someone decided about the same person on the same list (or about the list's agreement)
    /// since the decision the write was based on.
    #[error("list {list}: someone decided since; open the list again")]
    ListChanged {
        /// The list's code.
        list: String,
    },
    /// An idempotency key the author has used already came again with other content (other
    /// answers, subject, period or instrument): not a retry, so nothing is returned or stored.
    #[error(
        "idempotency key {key:?} was already used for submission {submission} with other content; use a new key for a new submission"
    )]
    IdempotencyKeyReused {
        /// The key.
        key: String,
        /// The submission stored with it.
        submission: SubmissionId,
    },
    /// The instrument counts one answer per period, subject (and respondent), and one is stored:
    /// a new answer is a correction of it.
    #[error(
        "submission {submission} already holds this answer for the period; send a correction: POST /api/v1/submissions/{submission}/corrections"
    )]
    AlreadySubmitted {
        /// The latest revision of the counted submission.
        submission: SubmissionId,
    },
    /// The assessment period is closed: no new submissions or corrections.
    #[error("period {period} is closed")]
    PeriodClosed {
        /// The period code.
        period: String,
    },
    /// A new period's dates overlap those of another period of the network: a day belongs to at
    /// most one period, or a card's date and a report's «period» would be ambiguous.
    #[error("period dates overlap period {code} ({starts_on} – {ends_on})")]
    PeriodOverlap {
        /// The code of the period overlapped (the earliest, when several are).
        code: String,
        /// Its first day.
        starts_on: chrono::NaiveDate,
        /// Its last day.
        ends_on: chrono::NaiveDate,
    },
    /// The request contradicts stored data (a subject from another kindergarten, answers checked
    /// against another instrument version, an unknown role …).
    #[error("{0}")]
    Invalid(String),
    /// Stored data could not be mapped back to domain types.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database cannot be reached, or the connection broke: retry later. The source is for
    /// logs only.
    #[error("the database is unavailable")]
    Unavailable(#[source] Box<dyn StdError + Send + Sync>),
    /// The database failed; the source is for logs only.
    #[error("database error")]
    Database(#[source] Box<dyn StdError + Send + Sync>),
}

impl StorageError {
    pub(crate) fn not_found(record: Record, id: impl ToString) -> StorageError {
        StorageError::NotFound {
            record,
            id: id.to_string(),
        }
    }
}

/// Acquire timeouts of this process's pools (see [`crate::PoolStatus::acquire_timeouts`]).
static ACQUIRE_TIMEOUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub(crate) fn acquire_timeouts() -> u64 {
    ACQUIRE_TIMEOUTS.load(std::sync::atomic::Ordering::Relaxed)
}

impl From<sea_orm::DbErr> for StorageError {
    fn from(error: sea_orm::DbErr) -> Self {
        let timed_out = match &error {
            sea_orm::DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout) => true,
            sea_orm::DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sqlx))
            | sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(sqlx)) => {
                matches!(sqlx.as_ref(), sea_orm::sqlx::Error::PoolTimedOut)
            }
            _ => false,
        };
        if timed_out {
            ACQUIRE_TIMEOUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if is_unavailable(&error) {
            StorageError::Unavailable(Box::new(error))
        } else {
            StorageError::Database(Box::new(error))
        }
    }
}

/// Whether a database error says the database cannot be reached or the connection broke (a
/// restart, a network cut, a full pool, SQLite's lock held past the busy timeout), so that a retry
/// later may succeed — as opposed to a refused statement.
pub(crate) fn is_unavailable(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let runtime = match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        Sqlx::Database(database) => database.code().is_some_and(|code| {
            // PostgreSQL: class 08 (connection exception), the server shutting down or starting
            // (57P01–57P03). SQLite: busy or locked past the busy timeout.
            code.starts_with("08")
                || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "5" | "6")
        }),
        _ => false,
    }
}

/// Maps a unique-constraint violation to [`StorageError::Duplicate`], anything else to `Database`.
pub(crate) fn unique_or_db(
    error: sea_orm::DbErr,
    record: Record,
    detail: impl FnOnce() -> String,
) -> StorageError {
    if is_unique_violation(&error) {
        StorageError::Duplicate {
            record,
            detail: detail(),
        }
    } else {
        error.into()
    }
}

pub(crate) fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Result alias of the crate.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;
