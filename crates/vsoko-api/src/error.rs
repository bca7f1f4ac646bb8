//! The API's one error type and its wire form: RFC 9457 problem details
//! (`application/problem+json`) with a list of field errors.
//!
//! Status mapping is one `match` ([`ApiError::status`]). 5xx bodies are opaque: the cause chain goes
//! to the log (with the request id of the span), never to the client.

use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::dto::problem::{FieldError, Problem};

/// Everything a handler can answer with instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request body is not JSON, or the query string cannot be parsed.
    #[error("{0}")]
    BadRequest(String),
    /// No valid bearer token (missing, unknown, expired or revoked), or wrong login/password.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller's role may not do this in its own unit.
    #[error("{0}")]
    Forbidden(String),
    /// No such resource — or one outside the caller's unit, which must not be revealed.
    #[error("{0} not found")]
    NotFound(String),
    /// The request conflicts with the stored state (a duplicate, a closed period, a superseded
    /// revision).
    #[error("{detail}")]
    Conflict {
        /// Machine-readable problem code.
        code: &'static str,
        /// Human-readable detail.
        detail: String,
    },
    /// No longer available: a withdrawn survey link, a closed period seen through one.
    #[error("{0}")]
    Gone(String),
    /// Too many attempts (failed logins, answers through one link): retry after the given
    /// seconds.
    #[error("too many attempts; try again in {retry_after} s")]
    TooManyRequests {
        /// Seconds until the next attempt.
        retry_after: u64,
    },
    /// The database cannot be reached: retry later.
    #[error("the service is temporarily unavailable; retry later")]
    Unavailable,
    /// Too many reports wait to be computed: this one is shed; retry after the given seconds.
    #[error("the server is overloaded; retry in {retry_after} s")]
    Overloaded {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// A known path asked with a method it does not have.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The body is larger than the configured limit.
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is not `application/json`.
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// Well-formed but invalid input; every problem is listed.
    #[error("{detail}")]
    Validation {
        /// Summary.
        detail: String,
        /// One entry per invalid field or answer.
        errors: Vec<FieldError>,
    },
    /// Anything else: answered as an opaque 500, the cause is logged.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Result alias of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A 422 with one field error.
    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError::Validation {
            detail: message.clone(),
            errors: vec![FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable | ApiError::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Conflict { code, .. } => code,
            ApiError::Gone(_) => "gone",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable => "unavailable",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Validation { .. } => "validation_failed",
            ApiError::Unexpected(_) => "internal_error",
        }
    }

    /// The problem document sent to the client.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let code = self.code();
        let detail = match self {
            ApiError::Unexpected(_) => "internal error; the request id is in the server log".into(),
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            problem_type: format!("urn:vsoko:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: code.to_owned(),
            detail,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Unexpected(cause) = self {
            tracing::error!(error = ?cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status());
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::TooManyRequests { retry_after } | ApiError::Overloaded { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

/// Maps actix's JSON body errors into the envelope: syntax → 400, wrong types or missing fields →
/// 422 naming the path, too large → 413, wrong content type → 415.
pub fn json_error(error: JsonPayloadError, _request: &HttpRequest) -> actix_web::Error {
    let api_error = match error {
        JsonPayloadError::Overflow { limit }
        | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(error) => match error.classify() {
            serde_json::error::Category::Data => ApiError::invalid_field(
                "body",
                "invalid_type",
                format!("the JSON does not match the expected shape: {error}"),
            ),
            _ => ApiError::BadRequest(format!("malformed JSON: {error}")),
        },
        other => ApiError::BadRequest(format!("cannot read the request body: {other}")),
    };
    api_error.into()
}

/// Maps query-string errors into the envelope (400).
pub fn query_error(error: QueryPayloadError, request: &HttpRequest) -> actix_web::Error {
    if !request.path().starts_with("/api/") {
        return vsoko_web::error::address_error(false, error.to_string());
    }
    ApiError::BadRequest(format!("invalid query string: {error}")).into()
}

/// Maps upload (multipart form) errors into the envelope: a missing `file` part, a part over the
/// limit, a malformed body.
pub fn multipart_error(
    error: actix_multipart::MultipartError,
    _request: &HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest(format!(
        "invalid upload (multipart/form-data with a `file` part): {error}"
    ))
    .into()
}

/// Maps path-parameter errors (a non-numeric id) into the envelope (404: no such resource).
pub fn path_error(error: actix_web::error::PathError, request: &HttpRequest) -> actix_web::Error {
    if !request.path().starts_with("/api/") {
        return vsoko_web::error::address_error(true, error.to_string());
    }
    ApiError::NotFound(format!("resource ({error})")).into()
}

impl From<vsoko_app::AppError> for ApiError {
    fn from(error: vsoko_app::AppError) -> Self {
        use vsoko_app::AppError;
        match error {
            AppError::Invalid { detail, errors } => ApiError::Validation {
                detail,
                errors: errors
                    .into_iter()
                    .map(|error| FieldError {
                        field: error.field,
                        code: error.code,
                        message: error.message,
                    })
                    .collect(),
            },
            AppError::Unauthorized(message) => ApiError::Unauthorized(message),
            AppError::Forbidden(message) => ApiError::Forbidden(message),
            AppError::NotFound(record) => ApiError::NotFound(record.as_str().to_owned()),
            AppError::Conflict { code, detail, .. } => ApiError::Conflict { code, detail },
            AppError::Gone(message) => ApiError::Gone(message),
            AppError::Throttled { retry_after_secs } => ApiError::TooManyRequests {
                retry_after: retry_after_secs,
            },
            AppError::Overloaded { retry_after_secs } => ApiError::Overloaded {
                retry_after: retry_after_secs,
            },
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;
    use actix_web::http::{StatusCode, header};

    use super::ApiError;

    #[test]
    fn a_shed_report_is_a_503_with_retry_after() {
        let error = ApiError::from(vsoko_app::AppError::Overloaded {
            retry_after_secs: 60,
        });
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "60");
        assert_eq!(error.problem().code, "overloaded");
    }
}
