//! Kindergartens, their groups and staff.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use vsoko_storage::NewKindergarten;

use crate::auth::Principal;
use crate::dto::org::{
    GroupDto, KindergartenDto, NewGroupRequest, NewKindergartenRequest, NewPersonRequest, PersonDto,
};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// The kindergartens the caller can see.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Kindergartens", body = Vec<KindergartenDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens")]
pub(crate) async fn list_kindergartens(
    state: Data<AppState>,
    principal: Principal,
) -> ApiResult<Json<Vec<KindergartenDto>>> {
    let kindergartens = state.store.kindergartens(principal.scope()).await?;
    Ok(Json(
        kindergartens
            .iter()
            .filter(|kindergarten| principal.sees_kindergarten(kindergarten))
            .map(KindergartenDto::from)
            .collect(),
    ))
}

/// Creates a kindergarten in the caller's network (admins).
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = KindergartenDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/kindergartens")]
pub(crate) async fn create_kindergarten(
    state: Data<AppState>,
    principal: Principal,
    body: extract::Json<NewKindergartenRequest>,
) -> ApiResult<HttpResponse> {
    principal.check_manage_network()?;
    let body = body.into_inner();
    let kindergarten = state
        .store
        .create_kindergarten(
            Some(principal.user.id),
            &NewKindergarten {
                network_id: principal.network_id(),
                number: body.number,
                full_name: body.full_name,
                short_name: body.short_name,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(KindergartenDto::from(&kindergarten)))
}

/// One kindergarten.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 200, description = "The kindergarten", body = KindergartenDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}")]
pub(crate) async fn get_kindergarten(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<KindergartenDto>> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_kindergarten(&kindergarten)?;
    Ok(Json(KindergartenDto::from(&kindergarten)))
}

/// The kindergarten's groups.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 200, description = "Groups", body = Vec<GroupDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/groups")]
pub(crate) async fn list_groups(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<Vec<GroupDto>>> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_kindergarten(&kindergarten)?;
    let groups = state.store.groups(kindergarten.id).await?;
    Ok(Json(groups.iter().map(GroupDto::from).collect()))
}

/// Creates a group (the kindergarten's head, admins).
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 201, description = "Created", body = GroupDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/kindergartens/{id}/groups")]
pub(crate) async fn create_group(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
    body: extract::Json<NewGroupRequest>,
) -> ApiResult<HttpResponse> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_manage_staff(&kindergarten)?;
    let group = state
        .store
        .create_group(
            Some(principal.user.id),
            kindergarten.id,
            &body.name,
            &body.age_group,
        )
        .await?;
    Ok(HttpResponse::Created().json(GroupDto::from(&group)))
}

/// The kindergarten's staff (not for teachers).
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 200, description = "Staff", body = Vec<PersonDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/people")]
pub(crate) async fn list_people(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_read_staff(&kindergarten)?;
    let people = state.store.people(kindergarten.id).await?;
    Ok(Json(people.iter().map(PersonDto::from).collect()))
}

/// Registers a member of staff (the kindergarten's head, admins).
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 201, description = "Created", body = PersonDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/kindergartens/{id}/people")]
pub(crate) async fn create_person(
    state: Data<AppState>,
    principal: Principal,
    id: Path<i64>,
    body: extract::Json<NewPersonRequest>,
) -> ApiResult<HttpResponse> {
    let kindergarten = state.store.kindergarten(*id).await?;
    principal.check_manage_staff(&kindergarten)?;
    let person = state
        .store
        .create_person(
            Some(principal.user.id),
            kindergarten.id,
            &body.full_name,
            &body.position,
        )
        .await?;
    Ok(HttpResponse::Created().json(PersonDto::from(&person)))
}
