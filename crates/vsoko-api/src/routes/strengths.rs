//! The strengths matrix of the network and the mentoring pairs it proposes (the department).

use actix_web::web::{Data, Query};
use actix_web::{HttpResponse, get};
use vsoko_app::report_choice::ReportAsk;
use vsoko_app::strengths::{strengths_file_name, strengths_sheets};
use vsoko_app::today;

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::reports::ReportFormat;
use crate::dto::strengths::{StrengthsDto, StrengthsQuery};
use crate::error::ApiResult;
use crate::state::AppState;

/// Kindergartens × areas of an instrument in a period — strength, norm, deficit by the stated
/// rules — with the teachers at a high level and the tutors in each cell, and the mentoring pairs
/// proposed: 404 when the period has no data.
#[utoipa::path(
    tag = "strengths",
    security(("bearer" = [])),
    params(StrengthsQuery),
    responses(
        (status = 200, description = "The matrix: JSON, or a file with format=csv, csv-ru or xlsx", body = StrengthsDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/strengths")]
pub(crate) async fn matrix(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<StrengthsQuery>,
) -> ApiResult<HttpResponse> {
    let ask = ReportAsk {
        instrument: query.instrument.clone(),
        period: query.period.clone(),
        ..ReportAsk::default()
    };
    let chosen = state
        .app
        .strengths_matrix(&caller.principal, &ask, today())
        .await?;
    let matrix = chosen
        .matrix
        .ok_or(vsoko_app::AppError::NotFound(vsoko_storage::Record::Period))?;
    match query
        .format
        .unwrap_or(ReportFormat::Json)
        .file(query.decimal_comma.unwrap_or(false))
    {
        None => Ok(HttpResponse::Ok().json(StrengthsDto::from(&matrix))),
        Some(format) => super::reports::attachment(
            format,
            &strengths_sheets(&matrix),
            &strengths_file_name(&matrix, format),
        ),
    }
}
