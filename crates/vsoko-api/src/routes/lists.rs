//! The lists of people for professional development, per kindergarten and for the network: the
//! decisions about each person, a kindergarten's agreement, and the «согласованный список» file.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use vsoko_app::lists::{StaffList, StaffListView, list_file_name, list_sheets};
use vsoko_app::reports::ReportOf;
use vsoko_app::today;
use vsoko_domain::{KindergartenId, PersonId};

use crate::auth::Authenticated;
use crate::dto::lists::{
    KindergartenListDto, ListAgreementRequest, ListMarkRequest, ListQuery, OwnListEntryDto,
    StaffListCode, StaffListDto,
};
use crate::dto::problem::Problem;
use crate::dto::reports::ReportFormat;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

fn answer(
    view: &StaffListView,
    kindergarten: Option<KindergartenId>,
    query: &ListQuery,
) -> ApiResult<HttpResponse> {
    match query
        .format
        .unwrap_or(ReportFormat::Json)
        .file(query.decimal_comma.unwrap_or(false))
    {
        None => Ok(HttpResponse::Ok().json(StaffListDto::from(view))),
        Some(format) => super::reports::attachment(
            format,
            &list_sheets(view),
            &list_file_name(view.list, kindergarten, today(), format),
        ),
    }
}

/// A kindergarten's part of a list for the current school year (its head, the department): who
/// is on it and why, the decisions about each, its agreement; or the «согласованный список» file.
/// The read is audited.
#[utoipa::path(
    tag = "lists",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Kindergarten id"),
        ("list" = StaffListCode, Path, description = "The list"),
        ListQuery,
    ),
    responses(
        (status = 200, description = "The list: JSON, or a file with format=csv, csv-ru or xlsx", body = StaffListDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/lists/{list}")]
pub(crate) async fn kindergarten_list(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<(i64, StaffListCode)>,
    query: Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let (id, list) = path.into_inner();
    let id = KindergartenId::new(id);
    let view = state
        .app
        .staff_list(
            &caller.principal,
            StaffList::from(list),
            ReportOf::Kindergarten(id),
            today(),
        )
        .await?;
    answer(&view, Some(id), &query)
}

/// A list across the network (the department): each kindergarten's part and whether its head
/// has agreed it. The read is audited.
#[utoipa::path(
    tag = "lists",
    security(("bearer" = [])),
    params(("list" = StaffListCode, Path, description = "The list"), ListQuery),
    responses(
        (status = 200, description = "The list: JSON, or a file with format=csv, csv-ru or xlsx", body = StaffListDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/lists/{list}")]
pub(crate) async fn network_list(
    state: Data<AppState>,
    caller: Authenticated,
    list: Path<StaffListCode>,
    query: Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let view = state
        .app
        .staff_list(
            &caller.principal,
            StaffList::from(list.into_inner()),
            ReportOf::Network,
            today(),
        )
        .await?;
    answer(&view, None, &query)
}

/// Decides about a person on a list: her head confirms or dismisses (with a reason) a tutor or a
/// training need, marks a consultation given; the department designates a confirmed tutor; she
/// puts herself on the motivated list or takes herself off. 403 for a role that may not, 409
/// `list_mark` when the decision does not apply now, 409 `list_changed` when another decision came
/// since `based_on`.
#[utoipa::path(
    tag = "lists",
    security(("bearer" = [])),
    params(("list" = StaffListCode, Path, description = "The list")),
    request_body = ListMarkRequest,
    responses(
        (status = 204, description = "Decided"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/lists/{list}/marks")]
pub(crate) async fn mark(
    state: Data<AppState>,
    caller: Authenticated,
    list: Path<StaffListCode>,
    body: extract::Json<ListMarkRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    state
        .app
        .mark_list(
            &caller.principal,
            StaffList::from(list.into_inner()),
            PersonId::new(body.person_id),
            body.mark.into(),
            body.reason,
            body.based_on,
            today(),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The head agrees her kindergarten's motivated list as it stands, or withdraws the agreement.
#[utoipa::path(
    tag = "lists",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Kindergarten id"),
        ("list" = StaffListCode, Path, description = "The list (only `motivated` is agreed)"),
    ),
    request_body = ListAgreementRequest,
    responses(
        (status = 200, description = "The kindergarten's list after it", body = KindergartenListDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/kindergartens/{id}/lists/{list}/agreement")]
pub(crate) async fn agreement(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<(i64, StaffListCode)>,
    body: extract::Json<ListAgreementRequest>,
) -> ApiResult<Json<KindergartenListDto>> {
    let (id, list) = path.into_inner();
    let body = body.into_inner();
    let part = state
        .app
        .agree_list(
            &caller.principal,
            StaffList::from(list),
            KindergartenId::new(id),
            body.agree,
            body.based_on,
            today(),
        )
        .await?;
    Ok(Json(KindergartenListDto::of(&part, StaffList::from(list))))
}

/// The caller's own place on the motivated list (404 without a linked person).
#[utoipa::path(
    tag = "lists",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Her place on the list", body = OwnListEntryDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/lists/motivated")]
pub(crate) async fn own_entry(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<OwnListEntryDto>> {
    let entry = state
        .app
        .own_list_entry(&caller.principal, today())
        .await?
        .ok_or(vsoko_app::AppError::NotFound(vsoko_storage::Record::Person))?;
    Ok(Json(OwnListEntryDto::from(&entry)))
}
