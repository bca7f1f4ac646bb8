//! Links to anonymous questionnaires: opened, listed and withdrawn by heads and managers; and the
//! public form behind a link, which a parent reads and answers without an account. Thin adapters
//! over `vsoko_app::links`.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use vsoko_app::links::{LinkRequest, PublicResponse};
use vsoko_domain::SubjectRef;

use crate::auth::Authenticated;
use crate::dto::links::{
    NewSurveyLinkRequest, PublicReceiptDto, PublicResponseRequest, PublicSurveyDto, SurveyLinkDto,
    SurveyLinkQuery,
};
use crate::dto::problem::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::routes::submissions::{IDEMPOTENCY_KEY, answers, idempotency_key};
use crate::state::AppState;
use vsoko_domain::{KindergartenId, LinkId};

/// Opens a link for an anonymous questionnaire about a group or the kindergarten (the head of
/// it, managers, admins). The token is in this answer only.
#[utoipa::path(
    tag = "survey-links",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Opened; `token` is shown once", body = SurveyLinkDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/survey-links")]
pub(crate) async fn create_survey_link(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<NewSurveyLinkRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let view = state
        .app
        .create_survey_link(
            &caller.principal,
            LinkRequest {
                instrument: body.instrument,
                version: body.version,
                period: body.period,
                subject: body.subject.map(SubjectRef::from),
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(SurveyLinkDto::from(&view)))
}

/// The links of a kindergarten (a head: hers) or of the network, newest first; without tokens.
#[utoipa::path(
    tag = "survey-links",
    security(("bearer" = [])),
    params(SurveyLinkQuery),
    responses(
        (status = 200, description = "Links", body = Vec<SurveyLinkDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/survey-links")]
pub(crate) async fn list_survey_links(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<SurveyLinkQuery>,
) -> ApiResult<Json<Vec<SurveyLinkDto>>> {
    let views = state
        .app
        .survey_links(
            &caller.principal,
            query.kindergarten.map(KindergartenId::new),
            query.period.as_deref(),
        )
        .await?;
    Ok(Json(views.iter().map(SurveyLinkDto::from).collect()))
}

/// Withdraws a link: it takes no answers from now on; the answers given stay counted.
#[utoipa::path(
    tag = "survey-links",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Link id")),
    responses(
        (status = 200, description = "Withdrawn", body = SurveyLinkDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/survey-links/{id}/close")]
pub(crate) async fn close_survey_link(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<SurveyLinkDto>> {
    let view = state
        .app
        .close_survey_link(&caller.principal, LinkId::new(*id))
        .await?;
    Ok(Json(SurveyLinkDto::from(&view)))
}

/// The questionnaire a link opens; no account needed. 410 when the link was withdrawn or its
/// period closed (the detail is a message for the parent, in Russian).
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The link's token", pattern = r"^[0-9a-f]{48}$")),
    responses(
        (status = 200, description = "The questionnaire", body = PublicSurveyDto),
        (status = 404, description = "No link has this token", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link was withdrawn or its period closed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/public/surveys/{token}")]
pub(crate) async fn public_survey(
    state: Data<AppState>,
    token: Path<String>,
) -> ApiResult<Json<PublicSurveyDto>> {
    let survey = state.app.public_survey(&token).await?;
    Ok(Json(PublicSurveyDto::from(&survey)))
}

/// A parent's answers through a link; no account needed, nothing identifying is stored. The
/// same `Idempotency-Key` again stores nothing more (200). Throttled per link and per client.
#[utoipa::path(
    tag = "public",
    params(
        ("token" = String, Path, description = "The link's token", pattern = r"^[0-9a-f]{48}$"),
        ("Idempotency-Key" = String, Header, description = "The form's key (1–200 visible ASCII characters): sending it again stores one response", pattern = r"^[!-~]{1,200}$"),
    ),
    responses(
        (status = 201, description = "Stored", body = PublicReceiptDto),
        (status = 200, description = "Already stored with this key", body = PublicReceiptDto),
        (status = 422, description = "Invalid answers, each named by item code", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link was withdrawn or its period closed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many answers through this link from this client, or through this link: retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/public/surveys/{token}/responses")]
pub(crate) async fn public_response(
    state: Data<AppState>,
    request: HttpRequest,
    token: Path<String>,
    body: extract::Json<PublicResponseRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&request)?
        .ok_or_else(|| ApiError::BadRequest(format!("the {IDEMPOTENCY_KEY} header is required")))?;
    let client = crate::auth::client_address(&request, &state.settings);
    let created = state
        .app
        .submit_public(
            &token,
            client.as_deref(),
            PublicResponse {
                idempotency_key: key,
                answers: answers(&body.answers),
            },
        )
        .await?;
    let receipt = PublicReceiptDto {
        status: "accepted".to_owned(),
        message: "Спасибо! Ваши ответы приняты.".to_owned(),
    };
    Ok(if created {
        HttpResponse::Created().json(receipt)
    } else {
        HttpResponse::Ok().json(receipt)
    })
}
