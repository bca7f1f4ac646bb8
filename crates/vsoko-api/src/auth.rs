//! Authentication: the bearer token → [`Authenticated`] extractor. Every handler that takes an
//! `Authenticated` argument requires a valid token; what the caller may do is decided by the
//! use cases (`vsoko_app::policy`), nowhere here.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use vsoko_app::Principal;

use crate::error::ApiError;
use crate::state::AppState;

/// The authenticated caller and the token the request carried (for logout).
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who is asking.
    pub principal: Principal,
    /// The bearer token.
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

/// The client's address for login throttling: the connection's peer, or — when the server runs
/// behind a proxy it trusts (`trust_forwarded`) — the address the proxy forwarded. The same
/// function as the web pages'.
pub fn client_address(request: &HttpRequest, settings: &crate::config::Settings) -> Option<String> {
    vsoko_http::client_address(request, settings.trust_forwarded)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Authenticated, ApiError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = bearer_token(request);
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let request = request.clone();
        Box::pin(async move {
            let token = token.ok_or_else(|| {
                ApiError::Unauthorized("a bearer token is required: POST /api/v1/auth/login".into())
            })?;
            let state = state.ok_or_else(|| anyhow::anyhow!("application state is missing"))?;
            let principal = state.app.principal(&token, Utc::now()).await?;
            vsoko_http::note_user(&request, principal.user.id);
            Ok(Authenticated { principal, token })
        })
    }
}
