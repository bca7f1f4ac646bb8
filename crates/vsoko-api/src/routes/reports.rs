//! Reports per teacher, kindergarten and network, with optional dynamics: JSON, or the files of
//! `vsoko export` (`csv`, `csv-ru`, `xlsx`). Built by `vsoko_app::reports`; here only parsed and
//! mapped.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get};
use vsoko_app::export::{FileFormat, report_file_name, report_sheets};
use vsoko_app::reports::{Report, ReportOf, ReportRequest};

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::reports::{ReportDto, ReportFormat, ReportQuery};
use crate::error::ApiResult;
use crate::state::AppState;
use vsoko_domain::{KindergartenId, PersonId};

/// One teacher's results: the person, their head and the network's managers (and admins).
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id of the teacher"), ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv (text/csv), csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/teachers/{id}")]
pub(crate) async fn teacher_report(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    respond(
        &state,
        &caller,
        ReportOf::Teacher(PersonId::new(*id)),
        &query,
    )
    .await
}

/// One kindergarten: its head, the network's managers, admins. For instruments about teachers the
/// report lists the teachers with their levels.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv (text/csv), csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/kindergartens/{id}")]
pub(crate) async fn kindergarten_report(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    respond(
        &state,
        &caller,
        ReportOf::Kindergarten(KindergartenId::new(*id)),
        &query,
    )
    .await
}

/// The caller's network: managers and admins. Scores are the mean over kindergartens;
/// `pooled_score` the mean over submissions; kindergartens are ranked.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report: JSON, or a file with format=csv (text/csv), csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = ReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/network")]
pub(crate) async fn network_report(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    respond(&state, &caller, ReportOf::Network, &query).await
}

/// The requested format: JSON (`None`) or a file.
fn report_format(query: &ReportQuery) -> Option<FileFormat> {
    query
        .format
        .unwrap_or(ReportFormat::Json)
        .file(query.decimal_comma.unwrap_or(false))
}

async fn respond(
    state: &AppState,
    caller: &Authenticated,
    of: ReportOf,
    query: &ReportQuery,
) -> ApiResult<HttpResponse> {
    let format = report_format(query);
    let report = state
        .app
        .report(
            &caller.principal,
            &ReportRequest {
                of,
                period: query.period.clone(),
                instrument: query.instrument.clone(),
                version: query.version,
                compare_period: query.compare_period.clone(),
                compare_version: query.compare_version,
                items: query.items,
            },
        )
        .await?;
    match format {
        None => Ok(HttpResponse::Ok().json(ReportDto::from(&report))),
        Some(format) => file(&report, format),
    }
}

fn file(report: &Report, format: FileFormat) -> ApiResult<HttpResponse> {
    attachment(
        format,
        &report_sheets(report),
        &report_file_name(report, format),
    )
}

/// The sheets as a file to save under `name`.
pub(crate) fn attachment(
    format: FileFormat,
    sheets: &[vsoko_exchange::Sheet],
    name: &str,
) -> ApiResult<HttpResponse> {
    let body = format.write(sheets)?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body))
}
