//! The network's calendar plan of professional development: made by the department from the
//! proposal, edited (a revision per write, with its reason after an agreement), agreed by each
//! head, events marked held with who attended (training records written); a person's calendar.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use vsoko_app::plan::{
    AttendanceRequest, EventForm, calendar_document, calendar_sheets, plan_document,
    plan_file_name, plan_sheets,
};
use vsoko_app::report_choice::ReportAsk;
use vsoko_app::today;
use vsoko_domain::PersonId;

use crate::auth::Authenticated;
use crate::dto::plan::{
    AttendanceOutcomeDto, AttendanceRequestDto, EventRequestDto, PdPlanDto,
    PlanAgreementRequestDto, PlanEventDto, PlanFormat, PlanQuery, ProposeDto, RemovalDto,
};
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

pub(super) fn docx(document: &vsoko_exchange::Document) -> ApiResult<HttpResponse> {
    let bytes = vsoko_exchange::write_docx(document).map_err(vsoko_app::AppError::from)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}.docx\"",
                document.properties.ascii_file_name
            ),
        ))
        .body(bytes))
}

pub(super) fn sheets_file(
    format: PlanFormat,
    sheets: &[vsoko_exchange::Sheet],
    name: impl Fn(&str) -> String,
) -> ApiResult<Option<HttpResponse>> {
    use vsoko_app::export::FileFormat;
    let file = match format {
        PlanFormat::Csv => FileFormat::Csv,
        PlanFormat::CsvRu => FileFormat::CsvRu {
            decimal_comma: true,
        },
        PlanFormat::Xlsx => FileFormat::Xlsx,
        PlanFormat::Json | PlanFormat::Docx => return Ok(None),
    };
    super::reports::attachment(file, sheets, &name(file.extension())).map(Some)
}

/// The plan of a school year (the current one unless asked; the department and every head of
/// the network; a past year's read only): JSON,
/// or the plan as filed with format=xlsx, csv, csv-ru or docx.
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    params(PlanQuery),
    responses(
        (status = 200, description = "The plan: JSON, or a file", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pd-plan")]
pub(crate) async fn show(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<PlanQuery>,
) -> ApiResult<HttpResponse> {
    let year = match query.school_year {
        Some(year) if (2000..=2100).contains(&year) => vsoko_app::plan::SchoolYear::starting(year),
        Some(_) => {
            return Err(vsoko_app::AppError::invalid(
                "school_year",
                "out_of_range",
                "учебный год — первый его календарный год, например 2024",
            )
            .into());
        }
        None => vsoko_app::plan::SchoolYear::containing(today()),
    };
    let view = state
        .app
        .pd_plan_of(&caller.principal, year, today())
        .await?;
    let format = query.format.unwrap_or(PlanFormat::Json);
    match format {
        PlanFormat::Json => Ok(HttpResponse::Ok().json(PdPlanDto::from(&view))),
        PlanFormat::Docx => docx(&plan_document(&view)),
        _ => Ok(sheets_file(format, &plan_sheets(&view), |extension| {
            plan_file_name(view.year, today(), extension)
        })?
        .unwrap_or_else(|| HttpResponse::Ok().json(PdPlanDto::from(&view)))),
    }
}

/// The department makes the plan of the current school year from the proposal over the
/// teachers' strengths matrix (409 `plan_exists`; 422 `no_data` without results).
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    request_body = ProposeDto,
    responses(
        (status = 201, description = "The plan", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pd-plan")]
pub(crate) async fn propose(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<ProposeDto>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let ask = ReportAsk {
        instrument: body.instrument,
        period: body.period,
        ..ReportAsk::default()
    };
    let view = state
        .app
        .propose_pd_plan(&caller.principal, &ask, today())
        .await?;
    Ok(HttpResponse::Created().json(PdPlanDto::from(&view)))
}

/// The department adds an event (409 `plan_changed` when the plan moved on since `version`).
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    request_body = EventRequestDto,
    responses(
        (status = 201, description = "The plan", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pd-plan/events")]
pub(crate) async fn add_event(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<EventRequestDto>,
) -> ApiResult<HttpResponse> {
    let form = EventForm::from(&body.into_inner());
    state
        .app
        .save_plan_event(&caller.principal, None, &form, today())
        .await?;
    let view = state.app.pd_plan(&caller.principal, today()).await?;
    Ok(HttpResponse::Created().json(PdPlanDto::from(&view)))
}

/// The department changes an event not held (409 `event_held`, `plan_changed`).
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = u32, Path, description = "Event number in the plan")),
    request_body = EventRequestDto,
    responses(
        (status = 200, description = "The plan", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/pd-plan/events/{id}")]
pub(crate) async fn change_event(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<u32>,
    body: extract::Json<EventRequestDto>,
) -> ApiResult<HttpResponse> {
    let form = EventForm::from(&body.into_inner());
    state
        .app
        .save_plan_event(&caller.principal, Some(path.into_inner()), &form, today())
        .await?;
    let view = state.app.pd_plan(&caller.principal, today()).await?;
    Ok(HttpResponse::Ok().json(PdPlanDto::from(&view)))
}

/// The department removes an event not held, with the reason a change after an agreement needs.
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = u32, Path, description = "Event number in the plan")),
    request_body = RemovalDto,
    responses(
        (status = 200, description = "The plan", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pd-plan/events/{id}/removal")]
pub(crate) async fn remove_event(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<u32>,
    body: extract::Json<RemovalDto>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    state
        .app
        .remove_plan_event(
            &caller.principal,
            path.into_inner(),
            body.version,
            body.reason.as_deref(),
            today(),
        )
        .await?;
    let view = state.app.pd_plan(&caller.principal, today()).await?;
    Ok(HttpResponse::Ok().json(PdPlanDto::from(&view)))
}

/// A head agrees the version of the plan she read, for her kindergarten (409 `plan_changed`).
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    request_body = PlanAgreementRequestDto,
    responses(
        (status = 200, description = "The plan", body = PdPlanDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pd-plan/agreement")]
pub(crate) async fn agree(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<PlanAgreementRequestDto>,
) -> ApiResult<HttpResponse> {
    let view = state
        .app
        .agree_pd_plan(&caller.principal, body.version, today())
        .await?;
    Ok(HttpResponse::Ok().json(PdPlanDto::from(&view)))
}

/// The department or the hosting head marks an event held with who attended: a training
/// record per person newly present (hours attended, the event's areas).
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = u32, Path, description = "Event number in the plan")),
    request_body = AttendanceRequestDto,
    responses(
        (status = 200, description = "Records written", body = AttendanceOutcomeDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pd-plan/events/{id}/attendance")]
pub(crate) async fn attendance(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<u32>,
    body: extract::Json<AttendanceRequestDto>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let request = AttendanceRequest {
        version: body.version,
        held_on: body.held_on,
        attended: body
            .attended
            .iter()
            .map(|a| (PersonId::new(a.person_id), a.hours))
            .collect(),
    };
    let outcome = state
        .app
        .mark_attendance(&caller.principal, path.into_inner(), &request, today())
        .await?;
    Ok(HttpResponse::Ok().json(AttendanceOutcomeDto::from(outcome)))
}

/// The events of the current plan a person leads or attends (herself, her head, the
/// department): JSON, or a file with format=xlsx, csv, csv-ru or docx.
#[utoipa::path(
    tag = "plan",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Person id"), PlanQuery),
    responses(
        (status = 200, description = "The events", body = Vec<PlanEventDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}/calendar")]
pub(crate) async fn calendar(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
    query: Query<PlanQuery>,
) -> ApiResult<HttpResponse> {
    let (person, lines) = state
        .app
        .person_calendar(&caller.principal, PersonId::new(path.into_inner()), today())
        .await?;
    let format = query.format.unwrap_or(PlanFormat::Json);
    let json = || HttpResponse::Ok().json(lines.iter().map(PlanEventDto::from).collect::<Vec<_>>());
    match format {
        PlanFormat::Json => Ok(json()),
        PlanFormat::Docx => {
            let network = state.app.network(&caller.principal).await?.name;
            let year = vsoko_app::plan::SchoolYear::containing(today());
            docx(&calendar_document(&person, year, &network, &lines))
        }
        _ => Ok(sheets_file(format, &calendar_sheets(&lines), |extension| {
            format!("vsoko-calendar-{}-{}.{extension}", person.id, today())
        })?
        .unwrap_or_else(json)),
    }
}
