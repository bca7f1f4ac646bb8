//! Submissions: create (idempotent), correct (a new revision), get, list.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use vsoko_checklist::{AnswerSheet, AnswerValue, Instrument, RawAnswer};
use vsoko_storage::{
    Correction, NewSubmission, PageRequest, Role, StorageError, StoredAnswer, SubjectRef,
    SubmissionDetail, SubmissionFilter,
};

use crate::auth::Principal;
use crate::dto::problem::{FieldError, Problem};
use crate::dto::submissions::{
    AnswerDto, CorrectionRequest, InstrumentRef, NewSubmissionRequest, SubjectKind, SubmissionDto,
    SubmissionListQuery, SubmissionPage, SubmissionSummaryDto, scores_dto,
};
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::state::AppState;

/// The header carrying the client's idempotency key.
pub(crate) const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Submits answers. The same `Idempotency-Key` again returns the first result with 200.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Client-chosen key, unique per author; a retry with the same key and content returns the same submission, the same key with other content answers 409")),
    responses(
        (status = 201, description = "Created", body = SubmissionDto),
        (status = 200, description = "Already created with this idempotency key", body = SubmissionDto),
        (status = 422, description = "Invalid answers, each named by item code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period is closed, or the idempotency key was used for other content", body = Problem, content_type = "application/problem+json"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions")]
pub(crate) async fn create_submission(
    state: Data<AppState>,
    principal: Principal,
    request: HttpRequest,
    body: extract::Json<NewSubmissionRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&request)?
        .ok_or_else(|| ApiError::BadRequest(format!("the {IDEMPOTENCY_KEY} header is required")))?;
    let body = body.into_inner();
    let subject: SubjectRef = match (body.subject, principal.user.person_id) {
        (Some(subject), _) => subject.into(),
        (None, Some(person)) if principal.role() == Role::Teacher => SubjectRef::Teacher(person),
        (None, _) => {
            return Err(ApiError::invalid_field(
                "subject",
                "required",
                "say what is assessed: a teacher, a group or the kindergarten",
            ));
        }
    };
    // The instrument, the period and the subject's kindergarten in one query.
    let context = state
        .store
        .submission_context(
            principal.network_id(),
            &body.instrument,
            body.version,
            &body.period,
            subject,
        )
        .await
        .map_err(|error| match error {
            StorageError::NotFound {
                entity: "instrument",
                ..
            } => reference_error(error, "instrument", "unknown instrument or version"),
            StorageError::NotFound {
                entity: "period", ..
            } => reference_error(error, "period", "unknown period"),
            other => other.into(),
        })?;
    let stored = state.resolve(context.instrument()).await?;
    let instrument = &stored.instrument;
    let period = context.period();
    if subject.kind() != instrument.subject().as_str() {
        return Err(ApiError::invalid_field(
            "subject.kind",
            "wrong_subject",
            format!(
                "{} assesses a {}, not a {}",
                instrument.id(),
                instrument.subject().as_str(),
                subject.kind()
            ),
        ));
    }
    let kindergarten = context.kindergarten()?;
    principal.check_kindergarten(kindergarten)?;
    let kindergarten_id = kindergarten.id;
    principal.check_submit(instrument, subject)?;
    let sheet = check_answers(instrument, &body.answers)?;
    let score = vsoko_scoring::score_submission(instrument, &sheet)?;
    let outcome = state
        .store
        .submit_in_context(
            &context,
            &NewSubmission {
                instrument_id: stored.id,
                period_id: period.id,
                kindergarten_id,
                subject,
                author_user_id: principal.user.id,
                idempotency_key: &key,
                answers: &sheet,
                score: &score,
            },
        )
        .await?;
    // A new submission is answered from memory; a replayed key from what was stored then.
    let detail = if outcome.created {
        SubmissionDetail {
            submission: outcome.submission.clone(),
            instrument: instrument.id().clone(),
            answers: sheet
                .iter()
                .map(|(item, answer)| StoredAnswer {
                    item: item.to_string(),
                    value: answer.value,
                    comment: answer.comment.clone(),
                })
                .collect(),
            score,
        }
    } else {
        state.store.get_submission(outcome.submission.id).await?
    };
    let dto = submission_dto(&detail, instrument, &period.code);
    Ok(if outcome.created {
        HttpResponse::Created().json(dto)
    } else {
        HttpResponse::Ok().json(dto)
    })
}

/// Corrects a submission: the full new set of answers becomes its next revision. An optional
/// `Idempotency-Key` makes retries safe.
#[utoipa::path(
    tag = "submissions",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The latest revision's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Optional key, unique per author"),
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
    principal: Principal,
    request: HttpRequest,
    id: Path<i64>,
    body: extract::Json<CorrectionRequest>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&request)?;
    let earlier = state.store.get_submission(*id).await?;
    principal.check_submission(&earlier.submission)?;
    let stored = state
        .instrument_by_id(earlier.submission.instrument_id)
        .await?;
    principal.check_submit(&stored.instrument, earlier.submission.subject)?;
    let sheet = check_answers(&stored.instrument, &body.answers)?;
    let score = vsoko_scoring::score_submission(&stored.instrument, &sheet)?;
    let outcome = state
        .store
        .correct(&Correction {
            supersedes: earlier.submission.id,
            author_user_id: principal.user.id,
            idempotency_key: key.as_deref(),
            answers: &sheet,
            score: &score,
        })
        .await?;
    let detail = state.store.get_submission(outcome.submission.id).await?;
    let period = state.store.period(detail.submission.period_id).await?;
    let dto = submission_dto(&detail, &stored.instrument, &period.code);
    Ok(if outcome.created {
        HttpResponse::Created().json(dto)
    } else {
        HttpResponse::Ok().json(dto)
    })
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
    principal: Principal,
    id: Path<i64>,
) -> ApiResult<Json<SubmissionDto>> {
    let detail = state.store.get_submission(*id).await?;
    principal.check_submission(&detail.submission)?;
    let stored = state
        .instrument_by_id(detail.submission.instrument_id)
        .await?;
    let period = state.store.period(detail.submission.period_id).await?;
    Ok(Json(submission_dto(
        &detail,
        &stored.instrument,
        &period.code,
    )))
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
    principal: Principal,
    query: Query<SubmissionListQuery>,
) -> ApiResult<Json<SubmissionPage>> {
    let query = query.into_inner();
    let mut filter = SubmissionFilter {
        scope: (principal.role() != Role::Admin).then(|| principal.scope()),
        include_superseded: query.include_superseded,
        ..SubmissionFilter::default()
    };
    if let Some(code) = &query.period {
        let period = state
            .store
            .period_by_code(principal.network_id(), code)
            .await
            .map_err(|error| reference_error(error, "period", "unknown period"))?;
        filter.period_id = Some(period.id);
    }
    if let Some(code) = &query.instrument {
        let stored = state
            .instrument(code, query.version)
            .await
            .map_err(|error| reference_error(error, "instrument", "unknown instrument"))?;
        filter.instrument_id = Some(stored.id);
    }
    if let Some(id) = query.kindergarten {
        let kindergarten = state.store.kindergarten(id).await?;
        principal.check_kindergarten(&kindergarten)?;
        filter.kindergarten_id = Some(id);
    }
    filter.subject = match (query.subject_kind, query.subject_id) {
        (Some(kind), Some(id)) => Some(match kind {
            SubjectKind::Teacher => SubjectRef::Teacher(id),
            SubjectKind::Group => SubjectRef::Group(id),
            SubjectKind::Kindergarten => SubjectRef::Kindergarten(id),
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
    if principal.role() == Role::Teacher {
        // A teacher's listing is their own results: forced to themselves as the subject.
        let own = principal.user.person_id.map(SubjectRef::Teacher);
        if filter.subject.is_some() && filter.subject != own {
            return Err(ApiError::NotFound("person".into()));
        }
        filter.subject = own;
        if own.is_none() {
            filter.author_user_id = Some(principal.user.id);
        }
    }
    let page = PageRequest {
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(50).clamp(1, 1000),
    };
    let result = state.store.list_submissions(&filter, page).await?;
    Ok(Json(SubmissionPage {
        items: result
            .items
            .iter()
            .filter(|submission| principal.sees_submission(submission))
            .map(SubmissionSummaryDto::from)
            .collect(),
        total: result.total,
        offset: page.offset,
        limit: page.limit,
    }))
}

fn idempotency_key(request: &HttpRequest) -> ApiResult<Option<String>> {
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

/// A reference in the body (an instrument, a period) that does not exist is invalid input: 422.
fn reference_error(error: StorageError, field: &str, message: &str) -> ApiError {
    match error {
        StorageError::NotFound { .. } => ApiError::invalid_field(field, "unknown", message),
        other => other.into(),
    }
}

/// Wire answers → a checked sheet; every problem is reported, each named by its item code.
fn check_answers(instrument: &Instrument, answers: &[AnswerDto]) -> ApiResult<AnswerSheet> {
    let mut shape_errors = Vec::new();
    let mut raw = Vec::with_capacity(answers.len());
    for answer in answers {
        let value = match (answer.value, answer.na) {
            (Some(value), false) => AnswerValue::Value(value),
            (None, true) => AnswerValue::NotApplicable,
            (Some(_), true) => {
                shape_errors.push(FieldError {
                    field: format!("answers.{}", answer.item),
                    code: "value_and_na".into(),
                    message: format!(
                        "пункт «{}»: укажите либо значение, либо «не применимо»",
                        answer.item
                    ),
                });
                continue;
            }
            (None, false) => {
                shape_errors.push(FieldError {
                    field: format!("answers.{}", answer.item),
                    code: "value_missing".into(),
                    message: format!("пункт «{}»: нет значения", answer.item),
                });
                continue;
            }
        };
        raw.push(RawAnswer {
            item: answer.item.clone(),
            value,
            comment: answer.comment.clone(),
        });
    }
    if !shape_errors.is_empty() {
        return Err(ApiError::Validation {
            detail: format!("{} invalid answer(s)", shape_errors.len()),
            errors: shape_errors,
        });
    }
    Ok(instrument.validate_answers(raw)?)
}

/// The Russian name of a level code of the instrument.
pub(crate) fn level_name(instrument: &Instrument) -> impl Fn(&str) -> String + '_ {
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

fn submission_dto(
    detail: &SubmissionDetail,
    instrument: &Instrument,
    period_code: &str,
) -> SubmissionDto {
    let submission = &detail.submission;
    SubmissionDto {
        id: submission.id,
        root_id: submission.root_id,
        revision: submission.revision,
        supersedes_id: submission.supersedes_id,
        is_latest: submission.is_latest,
        instrument: InstrumentRef {
            code: detail.instrument.code.to_string(),
            version: detail.instrument.version,
        },
        period: period_code.to_owned(),
        kindergarten_id: submission.kindergarten_id,
        subject: submission.subject.into(),
        author_user_id: submission.author_user_id,
        submitted_at: submission.submitted_at,
        answers: detail.answers.iter().map(AnswerDto::from).collect(),
        scores: scores_dto(&detail.score, level_name(instrument)),
        critical_items: detail.score.critical_items.clone(),
    }
}
