//! `POST /auth/login`, `POST /auth/logout`.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use chrono::Duration;

use crate::auth::Authenticated;
use crate::dto::auth::{LoginRequest, TokenResponse, UserDto};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// Exchanges a login and password for a bearer token.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 401, description = "Wrong login or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins for this account or address: retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Bad input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub(crate) async fn login(
    state: Data<AppState>,
    request: HttpRequest,
    body: extract::Json<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let ttl = Duration::from_std(state.settings.token_ttl).map_err(anyhow::Error::from)?;
    let client = crate::auth::client_address(&request, &state.settings);
    let login = state
        .app
        .login(&body.login, &body.password, client.as_deref(), ttl)
        .await?;
    vsoko_http::note_user(&request, login.user.id);
    Ok(Json(TokenResponse {
        token: login.token,
        token_type: "Bearer".into(),
        expires_at: login.stored.expires_at,
        user: UserDto::from(&login.user),
    }))
}

/// Revokes the token the request carries.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token no longer works"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub(crate) async fn logout(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<HttpResponse> {
    state.app.logout(&caller.token).await?;
    Ok(HttpResponse::NoContent().finish())
}
