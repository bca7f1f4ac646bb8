//! The error envelope.

use serde::Serialize;
use utoipa::ToSchema;

/// RFC 9457 problem details, the body of every 4xx/5xx answer (`application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI naming the problem kind, `urn:vsoko:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the status (`Unprocessable Entity`).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// Stable machine-readable code (`validation_failed`, `not_found`, …).
    pub code: String,
    /// What went wrong, for a person. Opaque for server errors.
    pub detail: String,
    /// Invalid fields or answers, each named; empty unless the status is 422.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field: for answers, `field` is `answers.<item code>`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// Where: a JSON field name or `answers.<item code>`.
    pub field: String,
    /// Stable machine-readable code (`unknown_item`, `value_not_on_scale`, …).
    pub code: String,
    /// What is wrong, in Russian for answers (the message shown to the person filling the form).
    pub message: String,
}
