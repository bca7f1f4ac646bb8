//! The list-and-create pattern of the department's and a head's pages: a form under a list sends
//! a new record; what was refused is the same page again, with the status saying why (422 for
//! invalid fields, 409 for a record that exists already) and each error beside its field.

use actix_web::http::StatusCode;
use vsoko_app::{AppError, AppResult, FieldError};

use crate::error::PageError;

/// A form refused: the status of its page shown again, and the errors to show beside the fields.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub errors: Vec<FieldError>,
}

/// What a form that creates or changes something came to: the use case's answer, or the refusal
/// its page shows — invalid fields (422), or a record that exists already (409, shown as
/// `message` beside `field`). Any other error is the error page's.
pub(crate) fn refusal<T>(
    result: AppResult<T>,
    taken: Option<(&str, &str)>,
) -> Result<Result<T, Refusal>, PageError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(AppError::Invalid { errors, .. }) => Ok(Err(Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        })),
        Err(AppError::Conflict { .. }) if taken.is_some() => {
            let (field, message) = taken.unwrap_or_default();
            Ok(Err(Refusal {
                status: StatusCode::CONFLICT,
                errors: vec![FieldError::new(field, "taken", message)],
            }))
        }
        Err(other) => Err(other.into()),
    }
}
