//! Kindergartens, their groups and staff.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post, put};
use vsoko_app::org::KindergartenInput;

use crate::auth::Authenticated;
use crate::dto::org::{
    DistrictRequest, GroupDto, KindergartenDto, NetworkDto, NetworkSettingsRequest,
    NewGroupRequest, NewKindergartenRequest, NewPersonRequest, PersonDto, SnilsSettingRequest,
};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;
use vsoko_domain::KindergartenId;

/// The caller's network and its rules of reports.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The network", body = NetworkDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/network")]
pub(crate) async fn get_network(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<NetworkDto>> {
    let network = state.app.network(&caller.principal).await?;
    Ok(Json(NetworkDto::from(&network)))
}

/// Sets the network's rules of reports (managers, admins): the least coverage for conclusions.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The network as set", body = NetworkDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/network/settings")]
pub(crate) async fn set_network_settings(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<NetworkSettingsRequest>,
) -> ApiResult<Json<NetworkDto>> {
    let network = state
        .app
        .set_min_coverage(&caller.principal, body.into_inner().min_coverage_percent)
        .await?;
    Ok(Json(NetworkDto::from(&network)))
}

/// Sets whether the network keeps the СНИЛС of training records' recipients (managers,
/// admins).
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The network as set", body = NetworkDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/network/snils")]
pub(crate) async fn set_snils_setting(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<SnilsSettingRequest>,
) -> ApiResult<Json<NetworkDto>> {
    let network = state
        .app
        .set_store_snils(&caller.principal, body.into_inner().store_snils)
        .await?;
    Ok(Json(NetworkDto::from(&network)))
}

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
    caller: Authenticated,
) -> ApiResult<Json<Vec<KindergartenDto>>> {
    let kindergartens = state.app.kindergartens(&caller.principal).await?;
    Ok(Json(
        kindergartens.iter().map(KindergartenDto::from).collect(),
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
    caller: Authenticated,
    body: extract::Json<NewKindergartenRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let kindergarten = state
        .app
        .create_kindergarten(
            &caller.principal,
            KindergartenInput {
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
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<KindergartenDto>> {
    let kindergarten = state
        .app
        .kindergarten(&caller.principal, KindergartenId::new(*id))
        .await?;
    Ok(Json(KindergartenDto::from(&kindergarten)))
}

/// Sets or clears a kindergarten's district (managers, admins): among equally strong
/// kindergartens, the mentoring pairs prefer one of the mentee's district.
#[utoipa::path(
    tag = "kindergartens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    request_body = DistrictRequest,
    responses(
        (status = 200, description = "Set", body = KindergartenDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/kindergartens/{id}/district")]
pub(crate) async fn set_district(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<DistrictRequest>,
) -> ApiResult<Json<KindergartenDto>> {
    let kindergarten = state
        .app
        .set_kindergarten_district(
            &caller.principal,
            KindergartenId::new(*id),
            body.district.as_deref().unwrap_or(""),
        )
        .await?;
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
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<Vec<GroupDto>>> {
    let groups = state
        .app
        .groups(&caller.principal, KindergartenId::new(*id))
        .await?;
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
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<NewGroupRequest>,
) -> ApiResult<HttpResponse> {
    let group = state
        .app
        .create_group(
            &caller.principal,
            KindergartenId::new(*id),
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
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    let people = state
        .app
        .people(&caller.principal, KindergartenId::new(*id))
        .await?;
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
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<NewPersonRequest>,
) -> ApiResult<HttpResponse> {
    let person = state
        .app
        .create_person(
            &caller.principal,
            KindergartenId::new(*id),
            &body.full_name,
            &body.position,
        )
        .await?;
    Ok(HttpResponse::Created().json(PersonDto::from(&person)))
}
