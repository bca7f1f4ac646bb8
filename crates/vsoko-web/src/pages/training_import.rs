//! Training records from a file in the browser: the file is kept, checked (each column with what
//! was recognised in it, every row with its errors at their cells), then imported — all rows, or
//! only those without errors while the others are downloaded to fix.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use vsoko_app::export::FileFormat;
use vsoko_app::training::{TrainingImport, column_label};
use vsoko_app::{App, AppError, today};
use vsoko_domain::KindergartenId;

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::{attachment, html, see_other};

/// The upload form of the training page.
#[derive(MultipartForm)]
pub(crate) struct Upload {
    #[multipart(rename = "_csrf")]
    csrf: Text<String>,
    file: FileBytes,
}

/// `POST /kindergartens/{id}/training/import`: the file is kept for the check.
pub(crate) async fn upload(
    request: HttpRequest,
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    MultipartForm(form): MultipartForm<Upload>,
) -> Result<HttpResponse, PageError> {
    PostedForm::check(
        &request,
        vec![(crate::csrf::FIELD.to_owned(), form.csrf.0.clone())],
    )?;
    let id = path.into_inner();
    let file_name = form.file.file_name.clone().unwrap_or_default();
    match app
        .stage_import(&viewer.principal, &file_name, &form.file.data)
        .await
    {
        Ok(staged) => Ok(see_other(&format!(
            "/kindergartens/{id}/training/import/{staged}"
        ))),
        Err(AppError::Invalid { .. }) => Ok(see_other(&format!(
            "/kindergartens/{id}/training?done=training-no-file#import-title"
        ))),
        Err(other) => Err(other.into()),
    }
}

struct ColumnLine {
    header: String,
    field: &'static str,
    used: bool,
}

struct RowLine {
    line: usize,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "training_import.html")]
struct CheckPage {
    layout: Layout,
    file_name: String,
    action: String,
    rejected: String,
    back: String,
    /// Why the file cannot be read at all (a missing column), instead of rows.
    file_error: Option<String>,
    columns: Vec<ColumnLine>,
    rows: Vec<RowLine>,
    created: usize,
    existing: usize,
    in_error: usize,
}

fn check_page(
    viewer: &Viewer,
    id: i64,
    staged: i64,
    file_name: String,
    outcome: Result<&TrainingImport, String>,
) -> CheckPage {
    let base = format!("/kindergartens/{id}/training/import/{staged}");
    let mut page = CheckPage {
        layout: Layout::signed_in(viewer, "Записи об обучении из файла", "training"),
        file_name,
        rejected: format!("{base}/rejected"),
        action: base,
        back: format!("/kindergartens/{id}/training"),
        file_error: None,
        columns: Vec::new(),
        rows: Vec::new(),
        created: 0,
        existing: 0,
        in_error: 0,
    };
    match outcome {
        Err(message) => page.file_error = Some(message),
        Ok(outcome) => {
            page.columns = outcome
                .columns
                .iter()
                .map(|(header, field)| ColumnLine {
                    header: header.clone(),
                    field: field.map_or("не используется", column_label),
                    used: field.is_some(),
                })
                .collect();
            page.rows = outcome
                .rows
                .iter()
                .map(|row| RowLine {
                    line: row.line,
                    errors: row
                        .errors
                        .iter()
                        .map(|error| format!("столбец «{}»: {}", error.column, error.message))
                        .collect(),
                })
                .collect();
            page.created = outcome.created;
            page.existing = outcome.existing;
            page.in_error = outcome
                .rows
                .iter()
                .filter(|row| !row.errors.is_empty())
                .count();
        }
    }
    page
}

/// `GET /kindergartens/{id}/training/import/{staged}`: the dry run.
pub(crate) async fn check(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, PageError> {
    let (id, staged) = path.into_inner();
    let checked = app
        .import_staged_training(
            &viewer.principal,
            KindergartenId::new(id),
            staged,
            false,
            false,
            today(),
        )
        .await;
    let page = match checked {
        Ok((file_name, outcome)) => check_page(&viewer, id, staged, file_name, Ok(&outcome)),
        Err(AppError::Invalid { errors, .. }) => {
            let file = app.staged_import(&viewer.principal, staged).await?;
            let message = errors
                .iter()
                .map(|error| error.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            check_page(&viewer, id, staged, file.file_name, Err(message))
        }
        Err(other) => return Err(other.into()),
    };
    html(&page)
}

/// `POST /kindergartens/{id}/training/import/{staged}`: the import (`only_good`: the rows without
/// errors).
pub(crate) async fn import(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, i64)>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (id, staged) = path.into_inner();
    let only_good = form.get("only_good").is_some();
    let (_, outcome) = app
        .import_staged_training(
            &viewer.principal,
            KindergartenId::new(id),
            staged,
            true,
            only_good,
            today(),
        )
        .await?;
    if !outcome.written {
        // Errors appeared since the check (the staff changed): the check again.
        return Ok(see_other(&format!(
            "/kindergartens/{id}/training/import/{staged}"
        )));
    }
    Ok(see_other(&format!(
        "/kindergartens/{id}/training?done=training-imported"
    )))
}

/// `GET /kindergartens/{id}/training/import/{staged}/rejected`: the rows in error with what to
/// fix, a CSV for Excel.
pub(crate) async fn rejected(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, PageError> {
    let (id, staged) = path.into_inner();
    let (file_name, outcome) = app
        .import_staged_training(
            &viewer.principal,
            KindergartenId::new(id),
            staged,
            false,
            false,
            today(),
        )
        .await?;
    let sheet = outcome.rejected.ok_or(PageError::NotFound)?;
    let format = FileFormat::CsvRu {
        decimal_comma: true,
    };
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name.as_str(), |(stem, _)| stem);
    Ok(attachment(
        format.content_type(),
        &format!("{stem} — строки с ошибками.csv"),
        format.write(std::slice::from_ref(&sheet))?,
    ))
}
