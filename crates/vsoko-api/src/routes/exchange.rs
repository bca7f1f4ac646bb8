//! File exchange: upload of a Google Forms / Yandex Forms / Excel export (dry run by default,
//! `commit=true` writes it in one transaction), and raw submissions as XLSX / CSV.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::web::{Data, Json, Query};
use actix_web::{HttpResponse, get, post};
use vsoko_exchange::{
    ImportError, MappingProfile, RowOutcome, SkipReason, plan_import, read_table, suggest_profile,
};
use vsoko_storage::{Kindergarten, StorageError};

use crate::auth::Principal;
use crate::dto::exchange::{
    ImportErrorDto, ImportQuery, ImportReportDto, ImportRowDto, ImportUpload, RawExportQuery,
};
use crate::dto::problem::Problem;
use crate::error::{ApiError, ApiResult};
use crate::export::{FileFormat, RawQuery, raw_sheet};
use crate::state::AppState;

/// The multipart form of `POST /imports` (documented as [`ImportUpload`]).
#[derive(MultipartForm)]
pub(crate) struct UploadForm {
    file: FileBytes,
    profile: Option<Text<String>>,
}

fn error_dto(error: &ImportError) -> ImportErrorDto {
    ImportErrorDto {
        line: error.line,
        column: error.column.clone(),
        reason: error.reason.clone(),
    }
}

async fn kindergarten(state: &AppState, id: Option<i64>) -> ApiResult<Option<Kindergarten>> {
    match id {
        Some(id) => Ok(Some(state.store.kindergarten(id).await?)),
        None => Ok(None),
    }
}

fn unknown(field: &'static str, what: String) -> impl Fn(StorageError) -> ApiError {
    move |error| match error {
        StorageError::NotFound { .. } => ApiError::invalid_field(field, "unknown", what.clone()),
        other => other.into(),
    }
}

/// Imports a file of answers (heads: into their kindergarten; managers, admins: into the network).
/// Without `commit=true` nothing is written: the answer lists every row as `create`, `duplicate`
/// (imported before), `skip` or `error` with the column and the reason. With `commit=true` a clean
/// file is written in one transaction (all rows or none); a file with errors writes nothing.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The import report (and what was written)", body = ImportReportDto),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports")]
pub(crate) async fn import_file(
    state: Data<AppState>,
    principal: Principal,
    query: Query<ImportQuery>,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> ApiResult<Json<ImportReportDto>> {
    let target = kindergarten(&state, query.kindergarten_id).await?;
    let scope = principal.check_import(target.as_ref())?;
    let stored = state
        .instrument(&query.instrument, query.version)
        .await
        .map_err(unknown(
            "instrument",
            "unknown instrument or version".into(),
        ))?;
    let instrument = &stored.instrument;
    let period = state
        .store
        .period_by_code(principal.network_id(), &query.period)
        .await
        .map_err(unknown(
            "period",
            format!("unknown period {}", query.period),
        ))?;
    let kindergartens = state.store.kindergartens(scope).await?;
    let file_name = form.file.file_name.clone().unwrap_or_default();
    let table = read_table(&form.file.data, &file_name)
        .map_err(|error| ApiError::invalid_field("file", "unreadable", error.to_string()))?;
    let (mut profile, unmatched) = match &form.profile {
        Some(json) => (
            MappingProfile::from_json(json).map_err(|error| {
                ApiError::invalid_field("profile", "invalid", error.to_string())
            })?,
            None,
        ),
        None => {
            let (profile, unmatched) = suggest_profile(instrument, &table);
            (
                profile,
                (!unmatched.is_empty()).then(|| unmatched.to_string()),
            )
        }
    };
    // Every row into one kindergarten: the one asked for, or a head's own when the file has none.
    let fixed = target.or_else(|| {
        let single = matches!(scope, vsoko_storage::Scope::Kindergarten(_));
        (single && profile.kindergarten_column.is_none())
            .then(|| kindergartens.first().cloned())
            .flatten()
    });
    if let Some(kindergarten) = &fixed {
        profile.kindergarten_column = None;
        profile.kindergarten = Some(kindergarten.short_name.clone());
    }
    let mut plan = plan_import(instrument, &profile, &table)
        .map_err(|error| ApiError::invalid_field("profile", "invalid", error.to_string()))?;
    let targets = crate::import::resolve(
        &state.store,
        instrument,
        stored.id,
        &profile,
        &mut plan,
        &kindergartens,
        fixed.as_ref(),
        &period,
        principal.user.id,
        || {},
    )
    .await?;

    let mut rows = Vec::with_capacity(plan.rows.len());
    let (mut create, mut duplicate, mut skip, mut error) = (0, 0, 0, 0);
    for row in &plan.rows {
        rows.push(match row {
            RowOutcome::Create(planned) => {
                let earlier = targets
                    .earlier
                    .contains_key(&planned.idempotency_key(&period.code));
                if earlier {
                    duplicate += 1;
                } else {
                    create += 1;
                }
                ImportRowDto {
                    line: planned.line,
                    outcome: if earlier { "duplicate" } else { "create" }.into(),
                    respondent: planned.respondent.clone(),
                    reason: earlier.then(|| "уже импортирована ранее".to_owned()),
                    errors: Vec::new(),
                }
            }
            RowOutcome::Skip {
                line,
                respondent,
                reason,
            } => {
                skip += 1;
                ImportRowDto {
                    line: *line,
                    outcome: "skip".into(),
                    respondent: respondent.clone(),
                    reason: Some(match reason {
                        SkipReason::EmptyRow => "пустая строка".to_owned(),
                        SkipReason::DuplicateRespondent { kept_line } => {
                            format!("повторный ответ респондента; импортируется строка {kept_line}")
                        }
                    }),
                    errors: Vec::new(),
                }
            }
            RowOutcome::Error { line, errors } => {
                error += 1;
                ImportRowDto {
                    line: *line,
                    outcome: "error".into(),
                    respondent: None,
                    reason: None,
                    errors: errors.iter().map(error_dto).collect(),
                }
            }
        });
    }
    let clean = plan.is_clean();
    let mut created = 0;
    let mut committed = false;
    if query.commit == Some(true) && clean {
        let written = crate::import::commit(
            &state.store,
            instrument,
            stored.id,
            &plan,
            &targets,
            &period,
            principal.user.id,
            || {},
        )
        .await?;
        created = written.created;
        committed = true;
    }
    Ok(Json(ImportReportDto {
        committed,
        clean,
        create,
        duplicate,
        skip,
        error,
        created,
        file_errors: plan.file_errors.iter().map(error_dto).collect(),
        rows,
        unmatched,
        profile: serde_json::from_str(&profile.to_json()).unwrap_or_default(),
        report: plan.to_string(),
    }))
}

/// Raw submissions in long format (one row per answer, with instrument version and revision;
/// answers to items dropped by later versions kept) within the caller's unit: heads their
/// kindergarten, managers and admins the network.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(RawExportQuery),
    responses(
        (status = 200, description = "The file: xlsx (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), csv or csv-ru (text/csv)"),
        (status = "4XX", description = "Problem", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/exports/submissions")]
pub(crate) async fn export_submissions(
    state: Data<AppState>,
    principal: Principal,
    query: Query<RawExportQuery>,
) -> ApiResult<HttpResponse> {
    let target = kindergarten(&state, query.kindergarten_id).await?;
    let scope = principal.check_raw_export(target.as_ref())?;
    let format = FileFormat::parse(
        query.format.as_deref().unwrap_or("xlsx"),
        query.decimal_comma.unwrap_or(false),
    )
    .ok_or_else(|| {
        ApiError::invalid_field("format", "unknown_format", "format is xlsx, csv or csv-ru")
    })?;
    let sheet = raw_sheet(
        &state,
        principal.network_id(),
        &RawQuery {
            scope,
            period: query.period.clone(),
            instrument: query.instrument.clone(),
            version: query.version,
            all_revisions: query.all_revisions.unwrap_or(false),
        },
    )
    .await?;
    let body = format.write(&[sheet])?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"vsoko-raw-{}-{}.{}\"",
                query.instrument,
                query.period,
                format.extension()
            ),
        ))
        .body(body))
}
