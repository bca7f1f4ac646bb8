//! Assessment periods of the caller's network.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post, put};
use vsoko_app::periods::{BasisInput, PeriodInput};

use crate::auth::Authenticated;
use crate::dto::periods::{NewPeriodRequest, PeriodBasisRequest, PeriodDto};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;
use vsoko_domain::PeriodId;

/// The network's periods.
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Periods", body = Vec<PeriodDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/periods")]
pub(crate) async fn list_periods(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<Vec<PeriodDto>>> {
    let periods = state.app.periods(&caller.principal).await?;
    Ok(Json(periods.iter().map(PeriodDto::from).collect()))
}

/// Opens a period (managers, admins).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Opened", body = PeriodDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods")]
pub(crate) async fn create_period(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<NewPeriodRequest>,
) -> ApiResult<HttpResponse> {
    let period = state
        .app
        .create_period(
            &caller.principal,
            PeriodInput {
                code: body.code.clone(),
                starts_on: body.starts_on,
                ends_on: body.ends_on,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(PeriodDto::from(&period)))
}

/// Closes a period: no more submissions or corrections (managers, admins).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Period id")),
    responses(
        (status = 200, description = "Closed", body = PeriodDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods/{id}/close")]
pub(crate) async fn close_period(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<PeriodDto>> {
    let period = state
        .app
        .close_period(&caller.principal, PeriodId::new(*id))
        .await?;
    Ok(Json(PeriodDto::from(&period)))
}

/// Sets or clears the основание of a period's assessment — the order or ВСОКО plan with its
/// number and date — which every справка of the period prints (managers, admins).
#[utoipa::path(
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Period id")),
    request_body = PeriodBasisRequest,
    responses(
        (status = 200, description = "Set", body = PeriodDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/periods/{id}/basis")]
pub(crate) async fn set_period_basis(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<PeriodBasisRequest>,
) -> ApiResult<Json<PeriodDto>> {
    let input = body
        .basis
        .as_ref()
        .map(|basis| BasisInput {
            title: basis.title.clone(),
            number: basis.number.clone(),
            date: basis.date.to_string(),
        })
        .unwrap_or_default();
    let period = state
        .app
        .set_period_basis(&caller.principal, PeriodId::new(*id), &input)
        .await?;
    Ok(Json(PeriodDto::from(&period)))
}
