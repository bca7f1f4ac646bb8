//! Instruments: the list and one version with its structure. Readable by every signed-in user.

use actix_web::get;
use actix_web::web::{Data, Json, Path};

use crate::auth::Authenticated;
use crate::dto::instruments::{InstrumentDto, InstrumentSummaryDto};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::state::AppState;

/// Every registered instrument version.
#[utoipa::path(
    tag = "instruments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Instrument versions", body = Vec<InstrumentSummaryDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/instruments")]
pub(crate) async fn list_instruments(
    state: Data<AppState>,
    _caller: Authenticated,
) -> ApiResult<Json<Vec<InstrumentSummaryDto>>> {
    let instruments = state.app.instruments().await?;
    Ok(Json(
        instruments.iter().map(InstrumentSummaryDto::from).collect(),
    ))
}

/// One instrument version with its full structure, to render the form.
#[utoipa::path(
    tag = "instruments",
    security(("bearer" = [])),
    params(
        ("code" = String, Path, description = "Instrument code"),
        ("version" = u32, Path, description = "Version"),
    ),
    responses(
        (status = 200, description = "The instrument", body = InstrumentDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/instruments/{code}/versions/{version}")]
pub(crate) async fn get_instrument(
    state: Data<AppState>,
    _caller: Authenticated,
    path: Path<(String, u32)>,
) -> ApiResult<Json<InstrumentDto>> {
    let (code, version) = path.into_inner();
    let instrument = state.app.instrument_definition(&code, version).await?;
    Ok(Json(InstrumentDto::from(instrument.as_ref())))
}
