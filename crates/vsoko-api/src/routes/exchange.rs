//! File exchange: upload of a Google Forms / Yandex Forms / Excel export (dry run by default,
//! `commit=true` writes it in one transaction), and raw submissions as XLSX / CSV.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::web::{Data, Json, Query};
use actix_web::{HttpResponse, get, post};
use vsoko_app::export::{FileFormat, RawQuery};
use vsoko_app::import::{ImportRequest, RowFate};
use vsoko_exchange::{ImportError, MappingProfile};

use crate::auth::Authenticated;
use crate::dto::exchange::{
    FileFormatDto, ImportErrorDto, ImportQuery, ImportReportDto, ImportRowDto, ImportUpload,
    RawExportQuery,
};
use crate::dto::problem::Problem;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use vsoko_domain::KindergartenId;

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
    caller: Authenticated,
    query: Query<ImportQuery>,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> ApiResult<Json<ImportReportDto>> {
    let profile =
        match &form.profile {
            Some(json) => Some(MappingProfile::from_json(json).map_err(|error| {
                ApiError::invalid_field("profile", "invalid", error.to_string())
            })?),
            None => None,
        };
    let query = query.into_inner();
    let replace = match query
        .replace_lines
        .as_deref()
        .filter(|text| !text.is_empty())
    {
        Some(text) => text
            .split(',')
            .map(|line| line.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                ApiError::invalid_field(
                    "replace_lines",
                    "invalid",
                    "line numbers separated by commas, like 3,7".to_owned(),
                )
            })?,
        None => Vec::new(),
    };
    let outcome = state
        .app
        .import(
            &caller.principal,
            ImportRequest {
                instrument: query.instrument,
                version: query.version,
                period: query.period,
                kindergarten: query.kindergarten_id.map(KindergartenId::new),
                file_name: form.file.file_name.clone().unwrap_or_default(),
                bytes: form.file.data.to_vec(),
                profile,
                commit: query.commit == Some(true),
                replace,
                skip_errors: query.skip_errors == Some(true),
            },
            &mut || {},
        )
        .await?;
    let counts = outcome.counts();
    let rows = outcome
        .rows
        .iter()
        .map(|row| {
            let errors = match &row.fate {
                RowFate::Error(errors) => errors.iter().map(error_dto).collect(),
                _ => Vec::new(),
            };
            let (kind, reason) = (row.fate.kind(), row.fate.reason_ru());
            ImportRowDto {
                line: row.line,
                outcome: kind.into(),
                respondent: match row.fate {
                    RowFate::Error(_) => None,
                    _ => row.respondent.clone(),
                },
                reason,
                errors,
            }
        })
        .collect();
    Ok(Json(ImportReportDto {
        committed: outcome.committed,
        clean: outcome.clean,
        create: counts.create,
        update: counts.update,
        duplicate: counts.duplicate,
        skip: counts.skip,
        error: counts.error,
        created: outcome.created,
        file_errors: outcome.file_errors.iter().map(error_dto).collect(),
        rows,
        unmatched: outcome
            .unmatched
            .as_ref()
            .filter(|unmatched| !unmatched.is_empty())
            .map(ToString::to_string),
        profile: serde_json::from_str(&outcome.profile.to_json()).unwrap_or_default(),
        report: outcome.report,
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
    caller: Authenticated,
    query: Query<RawExportQuery>,
) -> ApiResult<HttpResponse> {
    let format = match query.format.unwrap_or(FileFormatDto::Xlsx) {
        FileFormatDto::Xlsx => FileFormat::Xlsx,
        FileFormatDto::Csv => FileFormat::Csv,
        FileFormatDto::CsvRu => FileFormat::CsvRu {
            decimal_comma: query.decimal_comma.unwrap_or(false),
        },
    };
    let sheet = state
        .app
        .raw_export(
            &caller.principal,
            &RawQuery {
                kindergarten: query.kindergarten_id.map(KindergartenId::new),
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
