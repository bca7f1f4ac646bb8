//! Accounts: created and listed within the caller's scope (see [`crate::policy`]).

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use vsoko_storage::{NewUser, Role, Scope};

use crate::auth::Principal;
use crate::dto::auth::{NewUserRequest, UserDto};
use crate::dto::problem::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::state::AppState;

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
    principal: Principal,
    body: extract::Json<NewUserRequest>,
) -> ApiResult<HttpResponse> {
    let role = Role::from(body.role);
    let (scope, scope_network) = match (role, body.kindergarten_id) {
        (Role::Head | Role::Teacher, Some(id)) => {
            let kindergarten = state.store.kindergarten(id).await?;
            principal.check_kindergarten(&kindergarten)?;
            (Scope::Kindergarten(id), kindergarten.network_id)
        }
        (Role::Head | Role::Teacher, None) => {
            return Err(ApiError::invalid_field(
                "kindergarten_id",
                "required",
                "heads and teachers belong to a kindergarten",
            ));
        }
        (_, Some(_)) => {
            return Err(ApiError::invalid_field(
                "kindergarten_id",
                "not_allowed",
                "managers and admins belong to the network",
            ));
        }
        (_, None) => (
            Scope::Network(principal.network_id()),
            principal.network_id(),
        ),
    };
    principal.check_create_user(role, scope, scope_network)?;
    if body.password.chars().count() < 8 {
        return Err(ApiError::invalid_field(
            "password",
            "too_short",
            "at least 8 characters",
        ));
    }
    let user = state
        .store
        .create_user(
            Some(principal.user.id),
            &NewUser {
                login: body.login.clone(),
                password: body.password.clone(),
                role,
                scope,
                person_id: body.person_id,
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
    principal: Principal,
) -> ApiResult<Json<Vec<UserDto>>> {
    let scope = principal.check_list_users()?;
    let users = state.store.users(scope).await?;
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
pub(crate) async fn me(principal: Principal) -> Json<UserDto> {
    Json(UserDto::from(&principal.user))
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
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<UserDto>> {
    let target = state.store.user(*id).await?;
    principal.check_manage_user(&target)?;
    let user = state
        .store
        .deactivate_user(Some(principal.user.id), target.id)
        .await?;
    Ok(Json(UserDto::from(&user)))
}
