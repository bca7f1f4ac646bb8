//! The import wizard: upload a Google Forms, Yandex Forms or Excel export; see how it was read;
//! map its columns (the suggestions prefilled); see the dry run, every error at its cell; import.
//! A mapping can be saved under a name for the network and chosen next time. The file waits in the
//! database between steps (only its uploader sees it), the mapping travels in the form: nothing is
//! kept in a server's memory.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::import::{ImportOutcome, ImportRequest, NamedProfile, RowFate};
use vsoko_app::{App, AppError, Workplace};
use vsoko_checklist::Instrument;
use vsoko_exchange::{MappingProfile, read_table};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format::period_text;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::import::{column_role, role_choices, scale_choices, source_text};
use crate::view::{html, html_status, see_other};

/// The fields of the first step, by the names the use case gives its errors.
const FIELDS: &[(&str, &str)] = &[
    ("file", "file"),
    ("profile", "profile"),
    ("instrument", "instrument"),
    ("period", "period"),
    ("kindergarten_id", "kindergarten"),
];

#[derive(Template)]
#[template(path = "import_new.html")]
struct NewImport {
    layout: Layout,
    errors: FieldErrors,
    instruments: Vec<Choice>,
    periods: Vec<Choice>,
    kindergartens: Vec<Choice>,
    profiles: Vec<Choice>,
}

/// The multipart form of the first step.
#[derive(MultipartForm)]
pub(crate) struct Upload {
    #[multipart(rename = "_csrf")]
    csrf: Text<String>,
    instrument: Text<String>,
    period: Text<String>,
    kindergarten: Option<Text<String>>,
    profile: Option<Text<String>>,
    file: FileBytes,
}

async fn new_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let choices = app.import_choices(&viewer.principal).await?;
    let instruments = choices
        .instruments
        .iter()
        .map(|instrument| Choice {
            selected: instrument.code().as_str() == choices.preselected,
            value: instrument.code().to_string(),
            label: instrument.title().to_owned(),
        })
        .collect();
    // The current period first, preselected.
    let periods = choices
        .periods
        .into_iter()
        .enumerate()
        .map(|(index, period)| Choice {
            label: period_text(&period),
            selected: index == 0,
            value: period.code,
        })
        .collect();
    let kindergartens = choices
        .kindergartens
        .into_iter()
        .map(|kindergarten| Choice {
            value: kindergarten.id.to_string(),
            label: kindergarten.short_name,
            selected: false,
        })
        .collect();
    let profiles = choices
        .profiles
        .into_iter()
        .map(|saved| Choice {
            value: saved.id.to_string(),
            label: format!(
                "{} ({}, версия {})",
                saved.name, saved.profile.instrument, saved.profile.version
            ),
            selected: false,
        })
        .collect();
    html_status(
        status,
        &NewImport {
            layout: Layout::signed_in(viewer, "Импорт ответов", "imports"),
            errors,
            instruments,
            periods,
            kindergartens,
            profiles,
        },
    )
}

/// `GET /imports/new`.
pub(crate) async fn new(app: web::Data<App>, viewer: Viewer) -> Result<HttpResponse, PageError> {
    new_page(&app, &viewer, FieldErrors::default(), StatusCode::OK).await
}

/// `POST /imports`: the file is kept for the next steps.
pub(crate) async fn upload(
    request: HttpRequest,
    app: web::Data<App>,
    viewer: Viewer,
    MultipartForm(form): MultipartForm<Upload>,
) -> Result<HttpResponse, PageError> {
    PostedForm::check(
        &request,
        vec![(crate::csrf::FIELD.to_owned(), form.csrf.0.clone())],
    )?;
    let file_name = form.file.file_name.clone().unwrap_or_default();
    match app
        .stage_import(&viewer.principal, &file_name, &form.file.data)
        .await
    {
        Ok(id) => {
            let mut query = format!(
                "instrument={}&period={}",
                crate::format::url_encode(&form.instrument.0),
                crate::format::url_encode(&form.period.0)
            );
            if let Some(kindergarten) = form.kindergarten.as_ref().filter(|k| !k.0.is_empty()) {
                query.push_str(&format!(
                    "&kindergarten={}",
                    crate::format::url_encode(&kindergarten.0)
                ));
            }
            if let Some(profile) = form.profile.as_ref().filter(|p| !p.0.is_empty()) {
                query.push_str(&format!(
                    "&profile={}",
                    crate::format::url_encode(&profile.0)
                ));
            }
            Ok(see_other(&format!("/imports/{id}?{query}")))
        }
        Err(AppError::Invalid { errors, .. }) => {
            new_page(
                &app,
                &viewer,
                FieldErrors::of(&errors, &[("file", "file")]),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// A column with its mapping.
struct ColumnView {
    index: usize,
    header: String,
    choices: Vec<Choice>,
    mapped: bool,
}

/// A row of the dry run: the file's cells, errors in place.
struct RowView {
    line: usize,
    fate: &'static str,
    reason: String,
    /// The row may replace an answer sent through the web form or the API: the box to choose
    /// it, and whether it is chosen.
    replaceable: Option<bool>,
    cells: Vec<(String, String)>,
    errors: Vec<String>,
}

/// An answer label the profile does not know yet.
struct LabelView {
    index: usize,
    item: String,
    column: String,
    label: String,
    lines: String,
    /// The options of the item's scale to choose from (its value, its wording), «не применимо»
    /// last where the scale allows it; empty for a numeric scale, which takes a number.
    options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "import_check.html")]
struct CheckPage {
    layout: Layout,
    id: i64,
    file_name: String,
    source: String,
    instrument: String,
    instrument_title: String,
    period: String,
    kindergarten: String,
    profile_json: String,
    columns: Vec<ColumnView>,
    labels: Vec<LabelView>,
    file_errors: Vec<String>,
    counts: Vec<(&'static str, usize)>,
    rows: Vec<RowView>,
    hidden_rows: usize,
    clean: bool,
    /// A partial import is possible: rows to write and rows in error.
    partial: Option<(usize, usize)>,
    errors: FieldErrors,
    profile_name: String,
}

/// The most rows the dry run shows (errors are always shown).
const SHOWN_ROWS: usize = 300;

/// The step's parameters, from the address or the form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Step {
    instrument: String,
    period: String,
    kindergarten: Option<String>,
    profile: Option<String>,
    /// Lines the importer chose to replace answers sent through the web form or the API.
    #[serde(skip)]
    replace: Vec<usize>,
}

struct Planned {
    outcome: ImportOutcome,
    instrument: std::sync::Arc<Instrument>,
}

async fn plan(
    app: &App,
    viewer: &Viewer,
    id: i64,
    step: &Step,
    profile: Option<MappingProfile>,
    commit: bool,
    skip_errors: bool,
) -> Result<Planned, PageError> {
    let file = app.staged_import(&viewer.principal, id).await?;
    let kindergarten = step
        .kindergarten
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(str::parse)
        .transpose()
        .map_err(|_| PageError::NotFound)?;
    let outcome = app
        .import(
            &viewer.principal,
            ImportRequest {
                instrument: step.instrument.clone(),
                version: profile.as_ref().map(|profile| profile.version),
                period: step.period.clone(),
                kindergarten,
                file_name: file.file_name.clone(),
                bytes: file.bytes,
                profile,
                commit,
                replace: step.replace.clone(),
                skip_errors,
            },
            &mut || {},
        )
        .await?;
    let instrument = app
        .instrument(&step.instrument, Some(outcome.instrument.version))
        .await?
        .instrument;
    Ok(Planned {
        outcome,
        instrument,
    })
}

fn check_page(
    viewer: &Viewer,
    id: i64,
    file_name: &str,
    step: &Step,
    planned: &Planned,
    errors: FieldErrors,
    notice: Option<String>,
) -> CheckPage {
    let outcome = &planned.outcome;
    let instrument = &planned.instrument;
    let headers = &outcome.table.headers;
    let columns = headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let role = column_role(&outcome.profile, header);
            ColumnView {
                index,
                header: header.clone(),
                mapped: !role.is_empty(),
                choices: role_choices(instrument, &role),
            }
        })
        .collect();
    let labels = outcome
        .unmatched
        .as_ref()
        .map(|unmatched| {
            unmatched
                .labels
                .iter()
                .enumerate()
                .map(|(index, label)| LabelView {
                    index,
                    item: label.item.clone(),
                    column: label.column.clone(),
                    label: label.label.clone(),
                    lines: label
                        .lines
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    options: scale_choices(instrument, &label.item),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut hidden_rows = 0;
    for row in &outcome.rows {
        let error = matches!(row.fate, RowFate::Error(_));
        if rows.len() >= SHOWN_ROWS && !error {
            hidden_rows += 1;
            continue;
        }
        let row_errors = match &row.fate {
            RowFate::Error(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let cells = outcome.cells_of(row.line);
        rows.push(RowView {
            line: row.line,
            fate: match row.fate.kind() {
                "create" => "будет создана",
                "update" => "исправит ранее загруженную",
                "duplicate" => "уже загружена",
                "skip" => "пропускается",
                _ => "ошибка",
            },
            reason: row.fate.reason_ru().unwrap_or_default(),
            replaceable: match row.fate {
                RowFate::SentElsewhere { .. } => Some(false),
                RowFate::Correct { .. } if step.replace.contains(&row.line) => Some(true),
                _ => None,
            },
            cells: headers
                .iter()
                .enumerate()
                .map(|(column, header)| {
                    let text = cells.get(column).cloned().unwrap_or_default();
                    let wrong = row_errors
                        .iter()
                        .any(|error| error.column.as_deref() == Some(header.as_str()));
                    (
                        text,
                        if wrong {
                            "cell-error".to_owned()
                        } else {
                            String::new()
                        },
                    )
                })
                .collect(),
            errors: row_errors
                .iter()
                .map(vsoko_app::import::error_text)
                .collect(),
        });
    }
    let counts = outcome.counts();
    CheckPage {
        layout: Layout::signed_in(viewer, "Импорт ответов: проверка", "imports")
            .with_notice(notice),
        id,
        file_name: file_name.to_owned(),
        source: source_text(outcome.source),
        instrument: step.instrument.clone(),
        instrument_title: format!("{} (версия {})", instrument.title(), instrument.version()),
        period: step.period.clone(),
        kindergarten: step.kindergarten.clone().unwrap_or_default(),
        profile_json: outcome.profile.to_json(),
        columns,
        labels,
        file_errors: outcome
            .file_errors
            .iter()
            .map(vsoko_app::import::error_text)
            .collect(),
        counts: vec![
            ("будут созданы", counts.create),
            ("исправят ранее загруженные", counts.update),
            ("уже загружены", counts.duplicate),
            ("пропускаются", counts.skip),
            ("с ошибками", counts.error),
        ],
        rows,
        hidden_rows,
        clean: outcome.clean,
        partial: outcome
            .can_skip_errors()
            .then_some((counts.create + counts.update, counts.error)),
        errors,
        profile_name: String::new(),
    }
}

/// `GET /imports/{id}`: the file as read, the suggested (or saved) mapping and its dry run.
pub(crate) async fn check(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    step: web::Query<Step>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let profile: Option<NamedProfile> = match step.profile.as_deref().filter(|p| !p.is_empty()) {
        Some(profile) => Some(
            app.import_profile(
                &viewer.principal,
                profile.parse().map_err(|_| PageError::NotFound)?,
            )
            .await?,
        ),
        None => None,
    };
    let file = app.staged_import(&viewer.principal, id).await?;
    let planned = match plan(
        &app,
        &viewer,
        id,
        &step,
        profile.as_ref().map(|saved| saved.profile.clone()),
        false,
        false,
    )
    .await
    {
        Err(PageError::App(AppError::Invalid { errors, .. })) => {
            return new_page(
                &app,
                &viewer,
                FieldErrors::of(&errors, FIELDS),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        other => other?,
    };
    let notice = profile.map(|saved| format!("Применён сохранённый профиль «{}».", saved.name));
    html(&check_page(
        &viewer,
        id,
        &file.file_name,
        &step,
        &planned,
        FieldErrors::default(),
        notice,
    ))
}

/// The mapping the form describes: the profile it carried (labels and all), its columns set again
/// from the selects, and the answer labels given values.
fn profile_of(
    form: &PostedForm,
    headers: &[String],
    instrument: &Instrument,
) -> Result<MappingProfile, PageError> {
    let mut profile = MappingProfile::from_json(form.get("profile_json").unwrap_or_default())
        .unwrap_or_else(|_| MappingProfile::new(instrument));
    profile.respondent_column = None;
    profile.email_column = None;
    profile.kindergarten_column = None;
    profile.subject_column = None;
    profile.timestamp_column = None;
    profile.items.clear();
    profile.comments.clear();
    for (index, header) in headers.iter().enumerate() {
        let role = form.text(&format!("col.{index}"));
        let column = Some(header.clone());
        match role.as_str() {
            "respondent" => profile.respondent_column = column,
            "email" => profile.email_column = column,
            "kindergarten" => profile.kindergarten_column = column,
            "subject" => profile.subject_column = column,
            "timestamp" => profile.timestamp_column = column,
            other => {
                if let Some(item) = other.strip_prefix("item:") {
                    profile.items.push(vsoko_exchange::ColumnMapping {
                        column: header.clone(),
                        item: item.to_owned(),
                    });
                } else if let Some(item) = other.strip_prefix("comment:") {
                    profile.comments.push(vsoko_exchange::ColumnMapping {
                        column: header.clone(),
                        item: item.to_owned(),
                    });
                }
            }
        }
    }
    let mut index = 0;
    while let Some(item) = form.get(&format!("label.{index}.item")) {
        let label = form.text(&format!("label.{index}.label"));
        let value = form.text(&format!("label.{index}.value"));
        let value = value.trim();
        if value.eq_ignore_ascii_case("na") || value.to_lowercase() == "не применимо" {
            profile.na_labels.push(label);
        } else if let Some(number) = vsoko_app::forms::parse_number(value) {
            profile
                .item_labels
                .entry(item.to_owned())
                .or_default()
                .insert(label, number);
        }
        index += 1;
    }
    Ok(profile)
}

/// `POST /imports/{id}`: check the mapping again, save it as a profile, or import.
pub(crate) async fn act(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let step = Step {
        instrument: form.text("instrument"),
        period: form.text("period"),
        kindergarten: form.get("kindergarten").map(str::to_owned),
        profile: None,
        replace: form
            .fields()
            .iter()
            .filter(|(name, _)| name == "replace")
            .filter_map(|(_, value)| value.parse().ok())
            .collect(),
    };
    let file = app.staged_import(&viewer.principal, id).await?;
    let table = read_table(&file.bytes, &file.file_name).map_err(|error| {
        PageError::App(AppError::invalid("file", "unreadable", error.to_string()))
    })?;
    let instrument = app
        .instrument_named("instrument", &step.instrument, None)
        .await?
        .instrument;
    let profile = profile_of(&form, &table.headers, &instrument)?;
    let action = form.text("action");
    let mut notice = None;
    let mut errors = FieldErrors::default();
    if action == "save" {
        match app
            .save_import_profile(&viewer.principal, &form.text("profile_name"), &profile)
            .await
        {
            Ok(saved) => {
                notice = Some(format!(
                    "Профиль «{}» сохранён: его можно выбрать при следующем импорте.",
                    saved.name
                ))
            }
            Err(AppError::Invalid { errors: found, .. }) => {
                errors = FieldErrors::of(&found, &[("profile_name", "profile_name")]);
            }
            Err(other) => return Err(other.into()),
        }
    }
    let commit = action == "commit" || action == "commit_valid";
    let planned = match plan(
        &app,
        &viewer,
        id,
        &step,
        Some(profile),
        commit,
        action == "commit_valid",
    )
    .await
    {
        Err(PageError::App(AppError::Invalid { errors, .. })) => {
            return new_page(
                &app,
                &viewer,
                FieldErrors::of(&errors, FIELDS),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        other => other?,
    };
    if action == "rejected" {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .insert_header(actix_web::http::header::ContentDisposition {
                disposition: actix_web::http::header::DispositionType::Attachment,
                parameters: vec![actix_web::http::header::DispositionParam::Filename(
                    format!("vsoko-import-{id}-errors.csv"),
                )],
            })
            .body(planned.outcome.rejected_rows_csv()?));
    }
    if planned.outcome.committed {
        let counts = planned.outcome.counts();
        // The rows left out stay downloadable from the staged file until it is discarded.
        if counts.error == 0 {
            app.discard_import(&viewer.principal, id).await?;
        }
        let back = match viewer.principal.workplace() {
            Workplace::Kindergarten(unit) => format!(
                "/kindergartens/{unit}/dashboard?instrument={}&period={}",
                crate::format::url_encode(&step.instrument),
                crate::format::url_encode(&step.period)
            ),
            _ => format!(
                "/network/dashboard?instrument={}&period={}",
                crate::format::url_encode(&step.instrument),
                crate::format::url_encode(&step.period)
            ),
        };
        return html(&Done {
            layout: Layout::signed_in(&viewer, "Импорт выполнен", "imports"),
            created: planned.outcome.created,
            updated: counts.update,
            skipped: counts.skip + counts.duplicate,
            rejected: counts.error,
            back,
            id,
            instrument: step.instrument.clone(),
            period: step.period.clone(),
            kindergarten: step.kindergarten.clone().unwrap_or_default(),
            profile_json: planned.outcome.profile.to_json(),
        });
    }
    let status = if errors.is_empty() && (planned.outcome.clean || !commit) {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut page = check_page(
        &viewer,
        id,
        &file.file_name,
        &step,
        &planned,
        errors,
        notice,
    );
    page.profile_name = form.text("profile_name");
    html_status(status, &page)
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct Done {
    layout: Layout,
    created: usize,
    updated: usize,
    skipped: usize,
    /// Rows in error left out of a partial import.
    rejected: usize,
    back: String,
    id: i64,
    instrument: String,
    period: String,
    kindergarten: String,
    profile_json: String,
}
