//! Assessment periods of the caller's network.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use vsoko_storage::NewPeriod;

use crate::auth::Principal;
use crate::dto::periods::{NewPeriodRequest, PeriodDto};
use crate::dto::problem::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::state::AppState;

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
    principal: Principal,
) -> ApiResult<Json<Vec<PeriodDto>>> {
    let periods = state.store.periods(principal.network_id()).await?;
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
    principal: Principal,
    body: extract::Json<NewPeriodRequest>,
) -> ApiResult<HttpResponse> {
    principal.check_manage_periods()?;
    if body.ends_on < body.starts_on {
        return Err(ApiError::invalid_field(
            "ends_on",
            "before_start",
            "the period ends before it starts",
        ));
    }
    let period = state
        .store
        .create_period(
            Some(principal.user.id),
            &NewPeriod {
                network_id: principal.network_id(),
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
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<PeriodDto>> {
    let period = state.store.period(*id).await?;
    if period.network_id != principal.network_id() {
        return Err(ApiError::NotFound("period".into()));
    }
    principal.check_manage_periods()?;
    let period = state
        .store
        .close_period(Some(principal.user.id), period.id)
        .await?;
    Ok(Json(PeriodDto::from(&period)))
}
