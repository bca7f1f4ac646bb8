//! The management cycle: addressed recommendations made by the department from a deficit,
//! answered by the kindergarten's head, the decisions taken, their effect at the next period, and
//! the register with the effect of training.

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get, post};
use vsoko_app::cycle::{RecommendationState, RegisterFilter, register_document, register_sheets};
use vsoko_app::today;
use vsoko_domain::KindergartenId;

use crate::auth::Authenticated;
use crate::dto::cycle::{
    AnswerDto, DecisionRequestDto, RecommendationDto, RecommendationRequestDto, RegisterDto,
    RegisterQuery,
};
use crate::dto::plan::PlanFormat;
use crate::dto::problem::Problem;
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

/// The register (the department: the network's; a head: her kindergarten's), filtered, with
/// the counts by state and effect and the effect of training: JSON, or a file with
/// format=xlsx, csv, csv-ru or docx.
#[utoipa::path(
    tag = "cycle",
    security(("bearer" = [])),
    params(RegisterQuery),
    responses(
        (status = 200, description = "The register: JSON, or a file", body = RegisterDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/recommendations")]
pub(crate) async fn register(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<RegisterQuery>,
) -> ApiResult<HttpResponse> {
    let filter = RegisterFilter {
        kindergarten: query.kindergarten_id.map(KindergartenId::new),
        state: match query.state.as_deref() {
            None | Some("") => None,
            Some(code) => Some(RecommendationState::parse(code).ok_or_else(|| {
                vsoko_app::AppError::invalid(
                    "state",
                    "unknown",
                    "состояние — waiting, overdue, answered или decided",
                )
            })?),
        },
        effect: query.effect.clone().filter(|code| !code.is_empty()),
    };
    let register = state
        .app
        .register(&caller.principal, &filter, today())
        .await?;
    let format = query.format.unwrap_or(PlanFormat::Json);
    match format {
        PlanFormat::Json => Ok(HttpResponse::Ok().json(RegisterDto::from(&register))),
        PlanFormat::Docx => {
            let network = state.app.network(&caller.principal).await?.name;
            super::plan::docx(&register_document(&register, &network))
        }
        _ => Ok(
            super::plan::sheets_file(format, &register_sheets(&register), |extension| {
                format!("vsoko-recommendations-{}.{extension}", today())
            })?
            .unwrap_or_else(|| HttpResponse::Ok().json(RegisterDto::from(&register))),
        ),
    }
}

/// The department makes a recommendation from a deficit (what is left out is prefilled).
#[utoipa::path(
    tag = "cycle",
    security(("bearer" = [])),
    request_body = RecommendationRequestDto,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recommendations")]
pub(crate) async fn create(
    state: Data<AppState>,
    caller: Authenticated,
    body: extract::Json<RecommendationRequestDto>,
) -> ApiResult<HttpResponse> {
    let line = state
        .app
        .add_recommendation(&caller.principal, &(&body.into_inner()).into(), today())
        .await?;
    Ok(HttpResponse::Created().json(RecommendationDto::from(&line)))
}

/// One recommendation with its numbers, decisions and effect.
#[utoipa::path(
    tag = "cycle",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Recommendation id")),
    responses(
        (status = 200, description = "The recommendation", body = RecommendationDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/recommendations/{id}")]
pub(crate) async fn show(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
) -> ApiResult<HttpResponse> {
    let line = state
        .app
        .recommendation_view(&caller.principal, path.into_inner(), today())
        .await?;
    Ok(HttpResponse::Ok().json(RecommendationDto::from(&line)))
}

/// The kindergarten's head answers.
#[utoipa::path(
    tag = "cycle",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Recommendation id")),
    request_body = AnswerDto,
    responses(
        (status = 200, description = "The recommendation", body = RecommendationDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recommendations/{id}/answer")]
pub(crate) async fn answer(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
    body: extract::Json<AnswerDto>,
) -> ApiResult<HttpResponse> {
    let line = state
        .app
        .answer_recommendation(&caller.principal, path.into_inner(), &body.answer, today())
        .await?;
    Ok(HttpResponse::Ok().json(RecommendationDto::from(&line)))
}

/// The department or the kindergarten's head records a management decision.
#[utoipa::path(
    tag = "cycle",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Recommendation id")),
    request_body = DecisionRequestDto,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recommendations/{id}/decisions")]
pub(crate) async fn decide(
    state: Data<AppState>,
    caller: Authenticated,
    path: Path<i64>,
    body: extract::Json<DecisionRequestDto>,
) -> ApiResult<HttpResponse> {
    let line = state
        .app
        .add_decision(
            &caller.principal,
            path.into_inner(),
            &(&body.into_inner()).into(),
            today(),
        )
        .await?;
    Ok(HttpResponse::Created().json(RecommendationDto::from(&line)))
}
