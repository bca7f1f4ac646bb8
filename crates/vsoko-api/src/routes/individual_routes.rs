//! Individual routes (ИОМ): a teacher's route (hers, her head's and the department's to read),
//! its status changes and the rows done, and the routes of a kindergarten and of the network.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use vsoko_app::individual_route::{RouteAction, RowInput, routes_file_name, routes_sheets};
use vsoko_app::reports::ReportOf;
use vsoko_app::{AppError, today};
use vsoko_domain::{KindergartenId, PersonId};

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::reports::ReportFormat;
use crate::dto::routes::{
    KindergartenRoutesDto, RouteActionRequest, RouteDoneRequest, RouteDto, RouteRowsRequest,
    RoutesQuery,
};
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// A teacher's individual route for the current school year, prefilled from her latest survey
/// and training records until someone acts on it.
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The route", body = RouteDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}/route")]
pub(crate) async fn get_route(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<RouteDto>> {
    let view = state
        .app
        .individual_route(&caller.principal, PersonId::new(*id), today())
        .await?;
    Ok(Json(RouteDto::from(&view)))
}

/// Changes a route's status: `submit` (the teacher or her head), `approve` and `return` (her
/// head; a remark is needed to return), `complete` and `close` (her head or the department).
/// 403 for a role that may not, 409 `route_status` from a status where the action does not apply,
/// 409 `route_changed` when the route moved on since `version`.
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id")),
    request_body = RouteActionRequest,
    responses(
        (status = 200, description = "The route after the change", body = RouteDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/{id}/route/actions")]
pub(crate) async fn route_action(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<RouteActionRequest>,
) -> ApiResult<Json<RouteDto>> {
    let body = body.into_inner();
    let action = RouteAction::from(body.action);
    let view = state
        .app
        .route_action(
            &caller.principal,
            PersonId::new(*id),
            body.version,
            action,
            body.remark,
            today(),
        )
        .await?;
    Ok(Json(RouteDto::from(&view)))
}

/// Marks the rows of an approved route that are done (the teacher or her head).
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id")),
    request_body = RouteDoneRequest,
    responses(
        (status = 200, description = "The route", body = RouteDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/people/{id}/route/done")]
pub(crate) async fn route_done(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<RouteDoneRequest>,
) -> ApiResult<Json<RouteDto>> {
    let body = body.into_inner();
    let view = state
        .app
        .mark_route_rows(
            &caller.principal,
            PersonId::new(*id),
            body.version,
            &body.done,
            today(),
        )
        .await?;
    Ok(Json(RouteDto::from(&view)))
}

/// Replaces the plan's rows (edited, added, removed): in a draft the teacher or her head, on
/// approval her head; every field that cannot be read is an error at `row-N-<field>`.
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id")),
    request_body = RouteRowsRequest,
    responses(
        (status = 200, description = "The route", body = RouteDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/people/{id}/route/rows")]
pub(crate) async fn route_rows(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<RouteRowsRequest>,
) -> ApiResult<Json<RouteDto>> {
    let body = body.into_inner();
    let rows: Vec<RowInput> = body
        .rows
        .into_iter()
        .map(|row| RowInput {
            from: row.from,
            deficit: row.deficit,
            task: row.task,
            activity: row.activity,
            form: row.form,
            due: row.due,
            result: row.result,
        })
        .collect();
    let view = state
        .app
        .save_route_rows(
            &caller.principal,
            PersonId::new(*id),
            body.version,
            &rows,
            today(),
        )
        .await?;
    Ok(Json(RouteDto::from(&view)))
}

/// The routes of a kindergarten, teacher by teacher (its head, the department).
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), RoutesQuery),
    responses(
        (status = 200, description = "The kindergarten's routes: JSON, or a file with format=csv, csv-ru or xlsx", body = KindergartenRoutesDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/routes")]
pub(crate) async fn kindergarten_routes(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<RoutesQuery>,
) -> ApiResult<HttpResponse> {
    let overview = state
        .app
        .routes_overview(
            &caller.principal,
            ReportOf::Kindergarten(KindergartenId::new(*id)),
            today(),
        )
        .await?;
    let unit = overview
        .first()
        .ok_or_else(|| AppError::unexpected("a kindergarten's routes have the kindergarten"))?;
    match query
        .format
        .unwrap_or(ReportFormat::Json)
        .file(query.decimal_comma.unwrap_or(false))
    {
        None => Ok(HttpResponse::Ok().json(KindergartenRoutesDto::of(unit, true))),
        Some(format) => super::reports::attachment(
            format,
            &routes_sheets(&overview, true),
            &routes_file_name(Some(unit.kindergarten.id), today(), format),
        ),
    }
}

/// The routes of each kindergarten of the network, without names (the department).
#[utoipa::path(
    tag = "routes",
    security(("bearer" = [])),
    params(RoutesQuery),
    responses(
        (status = 200, description = "Each kindergarten's routes: JSON, or a file with format=csv, csv-ru or xlsx", body = Vec<KindergartenRoutesDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/routes")]
pub(crate) async fn network_routes(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<RoutesQuery>,
) -> ApiResult<HttpResponse> {
    let overview = state
        .app
        .routes_overview(&caller.principal, ReportOf::Network, today())
        .await?;
    match query
        .format
        .unwrap_or(ReportFormat::Json)
        .file(query.decimal_comma.unwrap_or(false))
    {
        None => Ok(HttpResponse::Ok().json(
            overview
                .iter()
                .map(|unit| KindergartenRoutesDto::of(unit, false))
                .collect::<Vec<_>>(),
        )),
        Some(format) => super::reports::attachment(
            format,
            &routes_sheets(&overview, false),
            &routes_file_name(None, today(), format),
        ),
    }
}
