//! Submissions: create (idempotent), correct (a new revision), get, list — thin adapters over
//! `vsoko_app::submissions`.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use vsoko_app::submissions::{AnswerInput, ListRequest, SubmissionView, SubmitRequest};
use vsoko_domain::{PageRequest, SubjectRef};

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::submissions::{
    AnswerDto, ComputedQuery, ComputedValueDto, CorrectionRequest, InstrumentRef,
    NewSubmissionRequest, SubjectKind, SubmissionDto, SubmissionListQuery, SubmissionPage,
    SubmissionSummaryDto, scores_dto,
};
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::state::AppState;
use vsoko_domain::{GroupId, KindergartenId, PersonId, SubmissionId};

/// The header carrying the client's idempotency key.
pub(crate) const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

pub(crate) fn answers(answers: &[AnswerDto]) -> Vec<AnswerInput> {
    answers
        .iter()
        .map(|answer| AnswerInput {
            item: answer.item.clone(),
            value: answer.value,
            na: answer.na,
            comment: answer.comment.clone(),
        })
        .collect()
}

/// 201 with a new revision, 200 with a replayed one.
fn created_or_replayed(view: &SubmissionView) -> HttpResponse {
    let dto = submission_dto(view);
    if view.created {
        HttpResponse::Created().json(dto)
    } else {
        HttpResponse::Ok().json(dto)
    }
}

/// Submits answers. The same `Idempotency-Key` again returns the first result with 200.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Client-chosen key, unique per author (1–200 visible ASCII characters); a retry with the same key and content returns the same submission, the same key with other content answers 409", pattern = r"^[!-~]{1,200}$")),
    responses(
        (status = 201, description = "Created", body = SubmissionDto),
        (status = 200, description = "Already created with this idempotency key", body = SubmissionDto),
        (status = 422, description = "Invalid answers, each named by item code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period is closed, the idempotency key was used for other content, or (`already_submitted`) the instrument counts one answer per person and one is stored: send a correction of the submission the detail names", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions")]
pub(crate) async fn create_submission(
    state: Data<AppState>,
    caller: Authenticated,
    request: HttpRequest,
    body: extract::Json<NewSubmissionRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&request)?
        .ok_or_else(|| ApiError::BadRequest(format!("the {IDEMPOTENCY_KEY} header is required")))?;
    let body = body.into_inner();
    let view = state
        .app
        .submit(
            &caller.principal,
            SubmitRequest {
                instrument: body.instrument,
                version: body.version,
                period: body.period,
                subject: body.subject.map(SubjectRef::from),
                answers: answers(&body.answers),
                idempotency_key: key,
                observed_on: body.observed_on,
            },
        )
        .await?;
    Ok(created_or_replayed(&view))
}

/// Corrects a submission: the full new set of answers becomes its next revision. An optional
/// `Idempotency-Key` makes retries safe.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The latest revision's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Optional key, unique per author (1–200 visible ASCII characters)", pattern = r"^[!-~]{1,200}$"),
    ),
    responses(
        (status = 201, description = "The new revision", body = SubmissionDto),
        (status = 200, description = "Already created with this idempotency key", body = SubmissionDto),
        (status = 409, description = "Not the latest revision, the period is closed, or the idempotency key was used for other content", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/corrections")]
pub(crate) async fn correct_submission(
    state: Data<AppState>,
    caller: Authenticated,
    request: HttpRequest,
    id: Path<i64>,
    body: extract::Json<CorrectionRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&request)?;
    let view = state
        .app
        .correct(
            &caller.principal,
            SubmissionId::new(*id),
            &answers(&body.answers),
            key.as_deref(),
        )
        .await?;
    Ok(created_or_replayed(&view))
}

/// One revision with its answers and scores.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Revision id")),
    responses(
        (status = 200, description = "The revision", body = SubmissionDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}")]
pub(crate) async fn get_submission(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<SubmissionDto>> {
    let view = state
        .app
        .submission(&caller.principal, SubmissionId::new(*id))
        .await?;
    Ok(Json(submission_dto(&view)))
}

/// Submissions visible to the caller (latest revisions unless `include_superseded`), by id.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(SubmissionListQuery),
    responses(
        (status = 200, description = "One page", body = SubmissionPage),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions")]
pub(crate) async fn list_submissions(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<SubmissionListQuery>,
) -> ApiResult<Json<SubmissionPage>> {
    let query = query.into_inner();
    let subject = match (query.subject_kind, query.subject_id) {
        (Some(kind), Some(id)) => Some(match kind {
            SubjectKind::Teacher => SubjectRef::Teacher(PersonId::new(id)),
            SubjectKind::Group => SubjectRef::Group(GroupId::new(id)),
            SubjectKind::Kindergarten => SubjectRef::Kindergarten(KindergartenId::new(id)),
        }),
        (None, None) => None,
        _ => {
            return Err(ApiError::invalid_field(
                "subject_id",
                "incomplete",
                "give both subject_kind and subject_id",
            ));
        }
    };
    let page = PageRequest {
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(50).clamp(1, 1000),
    };
    let result = state
        .app
        .list_submissions(
            &caller.principal,
            ListRequest {
                period: query.period,
                instrument: query.instrument,
                version: query.version,
                kindergarten: query.kindergarten.map(KindergartenId::new),
                subject,
                include_superseded: query.include_superseded,
                page,
            },
        )
        .await?;
    Ok(Json(SubmissionPage {
        items: result
            .items
            .iter()
            .map(SubmissionSummaryDto::from)
            .collect(),
        total: result.total,
        offset: page.offset,
        limit: page.limit,
    }))
}

pub(crate) fn idempotency_key(request: &HttpRequest) -> ApiResult<Option<String>> {
    match request.headers().get(IDEMPOTENCY_KEY) {
        None => Ok(None),
        Some(value) => {
            let key = value.to_str().map(str::trim).unwrap_or_default();
            if key.is_empty() || key.len() > 200 {
                Err(ApiError::BadRequest(format!(
                    "the {IDEMPOTENCY_KEY} header must be 1–200 visible ASCII characters"
                )))
            } else {
                Ok(Some(key.to_owned()))
            }
        }
    }
}

/// The Russian name of a level code of the instrument.
pub(crate) fn level_name(instrument: &vsoko_checklist::Instrument) -> impl Fn(&str) -> String + '_ {
    |code: &str| {
        instrument
            .levels()
            .bands()
            .iter()
            .find(|band| band.code().as_str() == code)
            .map(|band| band.name().to_owned())
            .unwrap_or_default()
    }
}

fn submission_dto(view: &SubmissionView) -> SubmissionDto {
    let detail = &view.detail;
    let submission = &detail.submission;
    SubmissionDto {
        id: submission.id.get(),
        root_id: submission.root_id.get(),
        revision: submission.revision,
        supersedes_id: submission.supersedes_id.map(SubmissionId::get),
        is_latest: submission.is_latest,
        instrument: InstrumentRef {
            code: detail.instrument.code.to_string(),
            version: detail.instrument.version,
        },
        period: view.period.clone(),
        kindergarten_id: submission.kindergarten_id.get(),
        subject: submission.subject.into(),
        author_user_id: submission.author_user_id.get(),
        submitted_at: submission.submitted_at,
        answered_at: submission.answered_at,
        observed_on: submission.observed_on,
        answers: detail.answers.iter().map(AnswerDto::from).collect(),
        scores: scores_dto(&detail.score, level_name(&view.instrument)),
        critical_items: detail.score.critical_items.clone(),
    }
}

/// The values the system computes for the computed items of an instrument in a kindergarten and
/// period — what its form shows read-only, and what every submission of it holds whatever the
/// client sends. For those who read the kindergarten's results (its head, the department).
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), ComputedQuery),
    responses(
        (status = 200, description = "The computed values, one per computed item (none for an instrument without)", body = Vec<ComputedValueDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/computed-values")]
pub(crate) async fn computed_values(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<ComputedQuery>,
) -> ApiResult<Json<Vec<ComputedValueDto>>> {
    let values = state
        .app
        .computed_form_values(
            &caller.principal,
            KindergartenId::new(*id),
            &query.instrument,
            &query.period,
        )
        .await?;
    Ok(Json(
        values.into_iter().map(ComputedValueDto::from).collect(),
    ))
}
