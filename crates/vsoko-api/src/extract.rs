//! `Json<T>`: the request-body extractor of every handler. Like actix's (content type, size limit,
//! syntax errors through `error::json_error`), but a value of the wrong type or a missing field
//! is a 422 naming its path in the body — `answers[3].value`, `subject.id` — not just `body`.
//! (Named `Json` so that utoipa recognises it as the request body.)

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body deserialized into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Any well-formed JSON first (content type, limit and syntax as actix checks them) …
        let value = actix_web::web::Json::<serde_json::Value>::from_request(request, payload);
        Box::pin(async move {
            let mut value = value.await?.into_inner();
            integral_floats_as_integers(&mut value);
            // … then the shape, keeping the path of what does not fit.
            serde_path_to_error::deserialize(value)
                .map(Json)
                .map_err(|error| shape_error(&error).into())
        })
    }
}

/// JSON Schema's `integer` includes `3.0`; serde's integers do not. A number with no fraction
/// becomes an integer (where one fits), which a float field still accepts as it is.
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && float.abs() < 9.0e15
            {
                *value = serde_json::Value::from(float as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        serde_json::Value::Object(fields) => {
            fields.values_mut().for_each(integral_floats_as_integers)
        }
        _ => {}
    }
}

/// A 422 naming the path of the offending value (`body` for the body itself).
fn shape_error(error: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let field = if path == "." { "body".to_owned() } else { path };
    ApiError::invalid_field(
        &field,
        "invalid_type",
        format!(
            "the JSON does not match the expected shape at {field}: {}",
            error.inner()
        ),
    )
}
