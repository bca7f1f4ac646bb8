//! Authentication: the bearer token → [`Principal`] extractor. Every handler that takes a
//! `Principal` argument requires a valid token; what the principal may do is decided in
//! [`crate::policy`], nowhere else.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use vsoko_storage::User;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user: User,
    /// The bearer token the request carried (for logout).
    pub token: String,
}

/// The token of an `Authorization: Bearer …` header, if any.
pub fn bearer_token(request: &HttpRequest) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_owned())
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, ApiError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = bearer_token(request);
        let state = request.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or_else(|| {
                ApiError::Unauthorized("a bearer token is required: POST /api/v1/auth/login".into())
            })?;
            let state = state.ok_or_else(|| anyhow::anyhow!("application state is missing"))?;
            let user = state
                .store
                .user_by_token(&token, Utc::now())
                .await
                .map_err(ApiError::from)?
                .ok_or_else(|| {
                    ApiError::Unauthorized("the token is unknown, expired or revoked".into())
                })?;
            tracing::Span::current().record("user_id", user.id);
            Ok(Principal { user, token })
        })
    }
}
