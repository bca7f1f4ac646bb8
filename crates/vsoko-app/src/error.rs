//! The use-case layer's one error type. Each variant is one kind of answer a person gets; the
//! adapters (the JSON API, the web pages, the command line) map them to a status, a page or an
//! exit code, and never look inside storage, checklist or scoring errors themselves.

use std::error::Error as StdError;

use vsoko_domain::SubmissionId;
use vsoko_storage::{Record, StorageError};

/// One invalid field or answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where: a field name (`period`, `login`, `subject.kind`) or `answers.<item code>`.
    pub field: String,
    /// Stable machine-readable code (`unknown`, `too_long`, `value_not_on_scale`, …).
    pub code: String,
    /// What is wrong and what is allowed, for the person who filled the field (Russian where an
    /// end user reads it).
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Everything a use case can answer with instead of success.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Well-formed but invalid input; every problem is listed.
    #[error("{detail}")]
    Invalid {
        /// Summary.
        detail: String,
        /// One entry per invalid field or answer.
        errors: Vec<FieldError>,
    },
    /// No valid session or token, or a wrong login or password.
    #[error("{0}")]
    Unauthorized(String),
    /// Too many attempts (failed logins, answers through one link): try again after
    /// `retry_after_secs`.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// More reports wait to be computed than the server's bound: shed, not queued; try again
    /// after `retry_after_secs`. Never a submission or a form.
    #[error("the server is overloaded; try again in {retry_after_secs} s")]
    Overloaded {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The caller's role may not do this in its own unit.
    #[error("{0}")]
    Forbidden(String),
    /// No such record — or one outside the caller's unit, which must not be revealed.
    #[error("{0} not found")]
    NotFound(Record),
    /// The request conflicts with the stored state (a duplicate, a closed period, a superseded
    /// revision, a survey already sent).
    #[error("{detail}")]
    Conflict {
        /// Machine-readable problem code.
        code: &'static str,
        /// Human-readable detail.
        detail: String,
        /// The submission the conflict is about, when there is one (the one to correct).
        submission: Option<SubmissionId>,
    },
    /// What was asked for no longer takes answers (a withdrawn survey link, a closed period
    /// seen through a link); the message is for the person who followed the link (Russian).
    #[error("{0}")]
    Gone(String),
    /// The database cannot be reached: retry later.
    #[error("the database is unavailable")]
    Unavailable(#[source] Box<dyn StdError + Send + Sync>),
    /// Anything else; the cause is for the log only.
    #[error("unexpected error")]
    Unexpected(#[source] Box<dyn StdError + Send + Sync>),
}

/// Result alias of the use cases.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A 422-like error with one field error.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError::Invalid {
            detail: message.clone(),
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    /// Every problem at once (nothing when `errors` is empty).
    pub fn check(errors: Vec<FieldError>) -> AppResult<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(AppError::Invalid {
                detail: errors[0].message.clone(),
                errors,
            }),
            n => Err(AppError::Invalid {
                detail: format!("{n} invalid fields"),
                errors,
            }),
        }
    }

    /// A bug or an impossible state, as an opaque error.
    pub fn unexpected(message: impl Into<String>) -> AppError {
        AppError::Unexpected(message.into().into())
    }

    pub(crate) fn forbidden(message: &str) -> AppError {
        AppError::Forbidden(message.to_owned())
    }

    /// A storage "not found" of a reference the caller gave (an instrument, a period): invalid
    /// input naming the field, not a missing resource.
    pub(crate) fn reference(
        field: &str,
        message: impl Into<String>,
    ) -> impl FnOnce(AppError) -> AppError {
        let field = field.to_owned();
        let message = message.into();
        move |error| match error {
            AppError::NotFound(_) => AppError::invalid(&field, "unknown", message),
            other => other,
        }
    }
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> Self {
        let conflict = |code, error: &StorageError| AppError::Conflict {
            code,
            detail: error.to_string(),
            submission: None,
        };
        match error {
            StorageError::NotFound { record, .. } => AppError::NotFound(record),
            StorageError::Duplicate { .. } => conflict("duplicate", &error),
            StorageError::InstrumentChanged { .. } => conflict("instrument_changed", &error),
            StorageError::IdempotencyKeyReused { submission, .. } => AppError::Conflict {
                code: "idempotency_key_reused",
                detail: error.to_string(),
                submission: Some(submission),
            },
            StorageError::NotLatest { latest, .. } => AppError::Conflict {
                code: "not_latest_revision",
                detail: error.to_string(),
                submission: Some(latest),
            },
            StorageError::PeriodClosed { .. } => conflict("period_closed", &error),
            StorageError::TrainingRecordNotLatest { .. } => conflict("not_latest_revision", &error),
            StorageError::RouteChanged { .. } => conflict("route_changed", &error),
            StorageError::PlanChanged { .. } => conflict("plan_changed", &error),
            StorageError::ListChanged { .. } => conflict("list_changed", &error),
            StorageError::AlreadySubmitted { submission } => AppError::Conflict {
                code: "already_submitted",
                detail: error.to_string(),
                submission: Some(submission),
            },
            StorageError::PeriodOverlap {
                code,
                starts_on,
                ends_on,
            } => AppError::invalid(
                "starts_on",
                "period_overlap",
                format!(
                    "даты пересекаются с периодом «{code}» ({} – {}): один день не может входить в два периода. Выберите даты до {} или после {}",
                    starts_on.format("%d.%m.%Y"),
                    ends_on.format("%d.%m.%Y"),
                    starts_on.format("%d.%m.%Y"),
                    ends_on.format("%d.%m.%Y"),
                ),
            ),
            StorageError::Invalid(message) => AppError::invalid("body", "invalid", message),
            StorageError::Unavailable(source) => AppError::Unavailable(source),
            other => AppError::Unexpected(Box::new(other)),
        }
    }
}

impl From<vsoko_checklist::ChecklistError> for AppError {
    fn from(error: vsoko_checklist::ChecklistError) -> Self {
        use vsoko_checklist::ChecklistError;
        match error {
            ChecklistError::InvalidAnswers { instrument, errors } => AppError::Invalid {
                detail: format!("{} invalid answer(s) for {instrument}", errors.len()),
                errors: errors
                    .iter()
                    .map(|answer| {
                        FieldError::new(
                            &format!("answers.{}", answer.item),
                            answer.code(),
                            answer.to_string(),
                        )
                    })
                    .collect(),
            },
            ChecklistError::NotFound { .. } => AppError::NotFound(Record::Instrument),
            other => AppError::Unexpected(Box::new(other)),
        }
    }
}

impl From<vsoko_scoring::ScoringError> for AppError {
    fn from(error: vsoko_scoring::ScoringError) -> Self {
        use vsoko_scoring::ScoringError;
        match error {
            ScoringError::VersionMismatch { .. } => {
                AppError::invalid("compare_period", "incomparable_versions", error.to_string())
            }
            other => AppError::Unexpected(Box::new(other)),
        }
    }
}

impl From<vsoko_exchange::ExchangeError> for AppError {
    fn from(error: vsoko_exchange::ExchangeError) -> Self {
        AppError::Unexpected(Box::new(error))
    }
}
