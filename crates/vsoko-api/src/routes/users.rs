//! Accounts: created and listed within the caller's scope (the rules are `vsoko_app::policy`).

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use vsoko_app::accounts::UserInput;

use crate::auth::Authenticated;
use crate::dto::auth::{NewUserRequest, UserDto};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;
use vsoko_domain::{KindergartenId, PersonId, UserId};

/// Creates an account. Admins: any; managers: non-admin accounts in their network; heads: teacher
/// accounts in their kindergarten.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = UserDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub(crate) async fn create_user(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<NewUserRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let user = state
        .app
        .create_user(
            &caller.principal,
            UserInput {
                login: body.login,
                password: body.password,
                role: body.role.into(),
                kindergarten_id: body.kindergarten_id.map(KindergartenId::new),
                person_id: body.person_id.map(PersonId::new),
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(UserDto::from(&user)))
}

/// Lists the accounts in the caller's scope.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accounts", body = Vec<UserDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub(crate) async fn list_users(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<Vec<UserDto>>> {
    let users = state.app.users(&caller.principal).await?;
    Ok(Json(users.iter().map(UserDto::from).collect()))
}

/// The caller's own account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = UserDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub(crate) async fn me(caller: Authenticated) -> Json<UserDto> {
    Json(UserDto::from(&caller.principal.user))
}

/// Deactivates an account in the caller's scope: it can no longer log in and its tokens stop
/// working.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "Deactivated", body = UserDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/deactivate")]
pub(crate) async fn deactivate_user(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<UserDto>> {
    let user = state
        .app
        .deactivate_user(&caller.principal, UserId::new(*id))
        .await?;
    Ok(Json(UserDto::from(&user)))
}
