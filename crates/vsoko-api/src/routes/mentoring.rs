//! Mentoring pairs across kindergartens: proposed by the department, agreed by both heads.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use vsoko_app::reports::ReportOf;
use vsoko_app::today;
use vsoko_domain::KindergartenId;

use crate::auth::Authenticated;
use crate::dto::mentoring::{MentoringPairDto, PairRequestDto};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// The department proposes a pair of the current school year (409 `duplicate` when the mentee
/// has one in the area already).
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    request_body = PairRequestDto,
    responses(
        (status = 201, description = "The pair", body = MentoringPairDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mentoring-pairs")]
pub(crate) async fn propose(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<PairRequestDto>,
) -> ApiResult<HttpResponse> {
    let view = state
        .app
        .propose_pair(&caller.principal, &(&body.into_inner()).into(), today())
        .await?;
    Ok(HttpResponse::Created().json(MentoringPairDto::from(&view)))
}

/// The network's pairs of the current school year (the department).
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pairs", body = Vec<MentoringPairDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/mentoring-pairs")]
pub(crate) async fn network_pairs(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<Vec<MentoringPairDto>>> {
    let pairs = state
        .app
        .mentoring_pairs(&caller.principal, ReportOf::Network, today())
        .await?;
    Ok(Json(pairs.iter().map(MentoringPairDto::from).collect()))
}

/// The pairs a kindergarten is a side of (its head, the department).
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 200, description = "The pairs", body = Vec<MentoringPairDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/mentoring-pairs")]
pub(crate) async fn kindergarten_pairs(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
) -> ApiResult<Json<Vec<MentoringPairDto>>> {
    let pairs = state
        .app
        .mentoring_pairs(
            &caller.principal,
            ReportOf::Kindergarten(KindergartenId::new(path.into_inner())),
            today(),
        )
        .await?;
    Ok(Json(pairs.iter().map(MentoringPairDto::from).collect()))
}

/// The head of a side agrees the pair (both agreed: confirmed); 409 `pair_withdrawn`.
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pair id")),
    responses(
        (status = 200, description = "The pair", body = MentoringPairDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mentoring-pairs/{id}/agreement")]
pub(crate) async fn agree(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
) -> ApiResult<Json<MentoringPairDto>> {
    let view = state
        .app
        .agree_pair(&caller.principal, path.into_inner())
        .await?;
    Ok(Json(MentoringPairDto::from(&view)))
}

/// The department or the head of a side withdraws the pair.
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Pair id")),
    responses(
        (status = 200, description = "The pair", body = MentoringPairDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/mentoring-pairs/{id}/withdrawal")]
pub(crate) async fn withdraw(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
) -> ApiResult<Json<MentoringPairDto>> {
    let view = state
        .app
        .withdraw_pair(&caller.principal, path.into_inner())
        .await?;
    Ok(Json(MentoringPairDto::from(&view)))
}
