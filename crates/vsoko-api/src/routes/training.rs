//! Training records of the staff (КПК, переподготовка, семинары) and the coverage they give.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, delete, get, post, put};
use vsoko_app::reports::ReportOf;
use vsoko_app::training::{TrainingRecord, coverage_file_name, coverage_sheets};
use vsoko_domain::{KindergartenId, PersonId, TrainingRecordId};

use crate::auth::Authenticated;
use crate::dto::problem::Problem;
use crate::dto::reports::ReportFormat;
use crate::dto::training::{
    CoverageDto, CoverageQuery, NewTrainingRecordRequest, OwnTrainingDto, TrainingCellError,
    TrainingColumn, TrainingFields, TrainingImportDto, TrainingImportQuery, TrainingRecordDto,
    TrainingUpload,
};
use crate::error::ApiResult;
use crate::extract;
use crate::state::AppState;

use vsoko_app::today;

/// A kindergarten's training records (its head, the department).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    responses(
        (status = 200, description = "Records (latest revisions)", body = Vec<TrainingRecordDto>),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/training-records")]
pub(crate) async fn list_training_records(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<Vec<TrainingRecordDto>>> {
    let training = state
        .app
        .kindergarten_training(&caller.principal, KindergartenId::new(*id), today())
        .await?;
    Ok(Json(
        training
            .records
            .iter()
            .map(TrainingRecordDto::from)
            .collect(),
    ))
}

/// The caller's own training records (a teacher reads hers), and the first day her latest ПК or
/// ПП no longer counts under the three-year rule.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Own records (latest revisions)", body = OwnTrainingDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/training-records")]
pub(crate) async fn own_training_records(
    state: Data<AppState>,
    caller: Authenticated,
) -> ApiResult<Json<OwnTrainingDto>> {
    let own = state.app.own_training(&caller.principal, today()).await?;
    Ok(Json(OwnTrainingDto {
        records: own.entries.iter().map(TrainingRecordDto::from).collect(),
        counts_until: own.counts_until,
    }))
}

/// Adds a training record of a member of the kindergarten's staff (its head, the department).
/// Errors are refused at their field; warnings (ПК under 16 ак. ч., a private provider after
/// 01.09.2025) come back with the stored record.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id")),
    request_body = NewTrainingRecordRequest,
    responses(
        (status = 201, description = "Stored", body = TrainingRecordDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/kindergartens/{id}/training-records")]
pub(crate) async fn create_training_record(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<NewTrainingRecordRequest>,
) -> ApiResult<HttpResponse> {
    let entry = state
        .app
        .add_training(
            &caller.principal,
            KindergartenId::new(*id),
            PersonId::new(body.person_id),
            &TrainingRecord::from(&body.record),
            today(),
        )
        .await?;
    Ok(HttpResponse::Created().json(TrainingRecordDto::from(&entry)))
}

/// One training record (its head, the department, the person herself).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Training record id (a revision)")),
    responses(
        (status = 200, description = "The record", body = TrainingRecordDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training-records/{id}")]
pub(crate) async fn get_training_record(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<Json<TrainingRecordDto>> {
    let entry = state
        .app
        .training_entry(&caller.principal, TrainingRecordId::new(*id), today())
        .await?;
    Ok(Json(TrainingRecordDto::from(&entry)))
}

/// Corrects a training record: the body becomes its next revision (409 `not_latest_revision`
/// when the id is not the latest revision). The audit log keeps what changed.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Training record id (its latest revision)")),
    request_body = TrainingFields,
    responses(
        (status = 200, description = "The new revision", body = TrainingRecordDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/training-records/{id}")]
pub(crate) async fn correct_training_record(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    body: extract::Json<TrainingFields>,
) -> ApiResult<Json<TrainingRecordDto>> {
    let entry = state
        .app
        .correct_training(
            &caller.principal,
            TrainingRecordId::new(*id),
            &TrainingRecord::from(&*body),
            today(),
        )
        .await?;
    Ok(Json(TrainingRecordDto::from(&entry)))
}

/// Withdraws a training record entered by mistake: it leaves every list and figure, its history
/// and audit entries stay.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Training record id (its latest revision)")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/training-records/{id}")]
pub(crate) async fn withdraw_training_record(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
) -> ApiResult<HttpResponse> {
    state
        .app
        .withdraw_training(&caller.principal, TrainingRecordId::new(*id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A kindergarten's training coverage: the three-year rule, the school year's training (очно /
/// с ДОТ), «адресность» against the teachers' survey deficits, who needs КПК next school year.
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), CoverageQuery),
    responses(
        (status = 200, description = "Coverage: JSON, or a file with format=csv (text/csv), csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = CoverageDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/kindergartens/{id}/training-coverage")]
pub(crate) async fn kindergarten_coverage(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<CoverageQuery>,
) -> ApiResult<HttpResponse> {
    let view = state
        .app
        .training_coverage(
            &caller.principal,
            ReportOf::Kindergarten(KindergartenId::new(*id)),
            query.at.unwrap_or_else(today),
        )
        .await?;
    respond(&view, &query)
}

/// The network's training coverage, per kindergarten and in all (the department).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(CoverageQuery),
    responses(
        (status = 200, description = "Coverage: JSON, or a file with format=csv (text/csv), csv-ru (text/csv) or xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)", body = CoverageDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training-coverage")]
pub(crate) async fn network_coverage(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<CoverageQuery>,
) -> ApiResult<HttpResponse> {
    let view = state
        .app
        .training_coverage(
            &caller.principal,
            ReportOf::Network,
            query.at.unwrap_or_else(today),
        )
        .await?;
    respond(&view, &query)
}

/// JSON, or the file asked for.
fn respond(
    view: &vsoko_app::training::CoverageView,
    query: &CoverageQuery,
) -> ApiResult<HttpResponse> {
    let format = query.format.unwrap_or(ReportFormat::Json);
    match format.file(query.decimal_comma.unwrap_or(false)) {
        None => Ok(HttpResponse::Ok().json(CoverageDto::from(view))),
        Some(format) => super::reports::attachment(
            format,
            &coverage_sheets(view),
            &coverage_file_name(view, format),
        ),
    }
}

/// The multipart form of a training records import (documented as [`TrainingUpload`]).
#[derive(MultipartForm)]
pub(crate) struct TrainingUploadForm {
    file: FileBytes,
}

/// Imports training records of a kindergarten's staff from its list or a ФИС ФРДО export (its
/// head, the department). Without `commit=true` nothing is written: every error is named by line
/// and column. With errors nothing is written unless `skip_errors=true`; a row imported before
/// adds nothing. A file without a column the rules need is refused as a whole (422).
#[utoipa::path(
    tag = "training",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Kindergarten id"), TrainingImportQuery),
    request_body(content = TrainingUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "What was (or would be) imported", body = TrainingImportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/kindergartens/{id}/training-records/import")]
pub(crate) async fn import_training_records(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<i64>,
    query: Query<TrainingImportQuery>,
    MultipartForm(form): MultipartForm<TrainingUploadForm>,
) -> ApiResult<Json<TrainingImportDto>> {
    let outcome = state
        .app
        .import_training(
            &caller.principal,
            KindergartenId::new(*id),
            &form.file.file_name.clone().unwrap_or_default(),
            &form.file.data,
            query.commit == Some(true),
            query.skip_errors == Some(true),
            today(),
        )
        .await?;
    Ok(Json(TrainingImportDto {
        written: outcome.written,
        created: outcome.created,
        existing: outcome.existing,
        rejected: outcome
            .rows
            .iter()
            .filter(|row| !row.errors.is_empty())
            .count(),
        errors: outcome
            .errors()
            .map(|error| TrainingCellError {
                line: error.line,
                column: error.column.clone(),
                message: error.message.clone(),
            })
            .collect(),
        columns: outcome
            .columns
            .iter()
            .map(|(header, field)| TrainingColumn {
                header: header.clone(),
                field: field.map(str::to_owned),
            })
            .collect(),
    }))
}
