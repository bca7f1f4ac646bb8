//! A teacher's individual route (ИОМ): the page she, her head and the department read (printable
//! on A4 with the signature lines, and as DOCX), the buttons of the status changes the caller may
//! make, and the marks of rows done.

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::individual_route::{EFFECT_PP, RouteAction, RouteForm, RouteView, RowInput};
use vsoko_app::{App, AppError, today};
use vsoko_domain::PersonId;

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::{docx, html, see_other};

struct AreaLine {
    title: String,
    score: String,
    level: String,
    next: String,
    deficit: bool,
}

struct RowLine {
    deficit: String,
    task: String,
    activity: String,
    training: String,
    form: &'static str,
    due: String,
    result: String,
    done: bool,
}

#[derive(Template)]
#[template(path = "route.html")]
struct RoutePage {
    layout: Layout,
    base: String,
    person: String,
    position: String,
    kindergarten: String,
    year: String,
    status: &'static str,
    approved: String,
    remark: String,
    prefilled: bool,
    last_training: String,
    mentor: String,
    diagnosis_source: String,
    areas: Vec<AreaLine>,
    indicators: Vec<String>,
    observed: Vec<String>,
    observed_source: String,
    rows: Vec<RowLine>,
    done: String,
    marks_done: bool,
    version: u32,
    outcome_source: String,
    outcomes: Vec<String>,
    effect_pp: String,
    actions: Vec<(&'static str, &'static str)>,
    returns: bool,
    edits_rows: bool,
}

fn page(viewer: &Viewer, view: &RouteView, notice: Option<String>) -> RoutePage {
    let diagnosis = view.diagnosis.as_ref();
    RoutePage {
        layout: Layout::signed_in(viewer, "Индивидуальный маршрут", "route").with_notice(notice),
        base: format!("/people/{}/route", view.person.id),
        person: view.person.full_name.clone(),
        position: view.person.position.clone(),
        kindergarten: view.kindergarten.short_name.clone(),
        year: view.year.to_string(),
        status: view.status.label(),
        approved: view.approved_text(),
        remark: view.remark.clone().unwrap_or_default(),
        prefilled: view.id.is_none(),
        last_training: view.last_training_text(),
        mentor: view.mentor_text(),
        diagnosis_source: view.diagnosis_source(),
        areas: diagnosis
            .map(|diagnosis| {
                diagnosis
                    .areas
                    .iter()
                    .map(|area| AreaLine {
                        title: area.title.clone(),
                        score: area.score.map(format::percent).unwrap_or_default(),
                        level: area.level.clone().unwrap_or_default(),
                        next: area
                            .next
                            .clone()
                            .unwrap_or_else(|| "высший уровень".to_owned()),
                        deficit: area.deficit,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        indicators: diagnosis
            .map(|diagnosis| {
                diagnosis
                    .indicators
                    .iter()
                    .map(|(_, title, score)| format!("«{title}» — {}", format::percent(*score)))
                    .collect()
            })
            .unwrap_or_default(),
        observed: view.observed_lines(),
        observed_source: view.observed_source(),
        rows: view
            .rows
            .iter()
            .zip(&view.row_trainings)
            .map(|(row, training)| RowLine {
                deficit: row.deficit_title.clone(),
                task: row.task.clone(),
                activity: row.activity.clone(),
                training: training.clone().unwrap_or_default(),
                form: row.form.label(),
                due: format::date(row.due),
                result: row.result.clone(),
                done: row.done,
            })
            .collect(),
        done: view.done_text(),
        marks_done: view.marks_done,
        version: view.version,
        outcome_source: view.outcome_source(),
        outcomes: view.outcome_lines(),
        effect_pp: vsoko_app::words::number(EFFECT_PP),
        actions: view
            .actions
            .iter()
            .map(|action| (action.code(), action.label()))
            .collect(),
        returns: view.actions.contains(&RouteAction::Return),
        edits_rows: view.edits_rows,
    }
}

/// `GET /my-route`: the caller's own route.
pub(crate) async fn own(viewer: Viewer) -> Result<HttpResponse, PageError> {
    match viewer.principal.user.person_id {
        Some(person) => Ok(see_other(&format!("/people/{person}/route"))),
        None => Err(PageError::NotFound),
    }
}

/// `GET /people/{id}/route`.
pub(crate) async fn show(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .individual_route(&viewer.principal, PersonId::new(path.into_inner()), today())
        .await?;
    html(&page(&viewer, &view, done.notice()))
}

/// `GET /people/{id}/route/docx`.
pub(crate) async fn document(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .individual_route(&viewer.principal, PersonId::new(path.into_inner()), today())
        .await?;
    let network = app.network(&viewer.principal).await?;
    docx(&view.document(&network.name))
}

fn version(form: &PostedForm) -> Result<u32, PageError> {
    form.text("version")
        .trim()
        .parse()
        .map_err(|_| PageError::App(AppError::invalid("version", "invalid", "обновите страницу")))
}

/// `POST /people/{id}/route/action`: a status change.
pub(crate) async fn act(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let person = PersonId::new(path.into_inner());
    let action = RouteAction::parse(&form.text("action")).ok_or(PageError::NotFound)?;
    let remark = form.get("remark").map(str::to_owned);
    match app
        .route_action(
            &viewer.principal,
            person,
            version(&form)?,
            action,
            remark,
            today(),
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/people/{person}/route?done=route-{}",
            action.code()
        ))),
        Err(AppError::Invalid { errors, .. }) => {
            let view = app
                .individual_route(&viewer.principal, person, today())
                .await?;
            let message = errors
                .first()
                .map(|error| error.message.clone())
                .unwrap_or_default();
            html(&page(
                &viewer,
                &view,
                Some(format!("Не сохранено: {message}.")),
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /people/{id}/route/done`: the rows marked done.
pub(crate) async fn mark(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let person = PersonId::new(path.into_inner());
    let done: Vec<usize> = form
        .fields()
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("done-"))
        .filter_map(|index| index.parse().ok())
        .collect();
    app.mark_route_rows(&viewer.principal, person, version(&form)?, &done, today())
        .await?;
    Ok(see_other(&format!(
        "/people/{person}/route?done=route-marks"
    )))
}

struct UnitRoutes {
    name: String,
    href: Option<String>,
    teachers: usize,
    submitted: usize,
    approved: String,
    rows_done: String,
    mostly_done: String,
}

struct TeacherRoute {
    name: String,
    href: String,
    status: String,
    done: String,
}

#[derive(Template)]
#[template(path = "routes.html")]
struct RoutesPage {
    layout: Layout,
    /// The files of the list: (address, label).
    downloads: Vec<(String, &'static str)>,
    heading: String,
    year: String,
    units: Vec<UnitRoutes>,
    teachers: Vec<TeacherRoute>,
}

fn share_text(part: u32, whole: u32) -> String {
    match vsoko_app::training::Share::new(part, whole) {
        Some(share) => format!("{part} из {whole} ({})", share.text()),
        None => "—".to_owned(),
    }
}

fn routes_page(
    viewer: &Viewer,
    heading: String,
    section: &str,
    overview: &[vsoko_app::individual_route::KindergartenRoutes],
    with_teachers: bool,
) -> RoutesPage {
    use vsoko_app::individual_route::RouteStatus;
    let base = match overview.first() {
        Some(unit) if with_teachers => {
            format!("/kindergartens/{}/routes/file", unit.kindergarten.id)
        }
        _ => "/network/routes/file".to_owned(),
    };
    RoutesPage {
        downloads: vec![
            (format!("{base}?format=xlsx"), "Скачать XLSX"),
            (format!("{base}?format=csv-ru"), "Скачать CSV для Excel"),
        ],
        layout: Layout::signed_in(viewer, heading.clone(), section),
        heading,
        year: vsoko_app::training::SchoolYear::containing(today()).to_string(),
        units: overview
            .iter()
            .map(|unit| {
                let (rows_done, rows) = unit.rows_done();
                let (mostly, all) = unit.mostly_done();
                UnitRoutes {
                    name: unit.kindergarten.short_name.clone(),
                    href: (!with_teachers)
                        .then(|| format!("/kindergartens/{}/routes", unit.kindergarten.id)),
                    teachers: unit.lines.len(),
                    submitted: unit.count(RouteStatus::Submitted),
                    approved: unit.approved_share().map_or_else(
                        || "—".to_owned(),
                        |share| format!("{} ({})", share.part, share.text()),
                    ),
                    rows_done: share_text(rows_done, rows),
                    mostly_done: share_text(mostly, all),
                }
            })
            .collect(),
        teachers: if with_teachers {
            overview
                .iter()
                .flat_map(|unit| unit.lines.iter().chain(&unit.management))
                .map(|line| TeacherRoute {
                    name: if line.management {
                        format!("{} ({})", line.person.full_name, line.person.position)
                    } else {
                        line.person.full_name.clone()
                    },
                    href: format!("/people/{}/route", line.person.id),
                    status: if line.stored {
                        line.status.label().to_owned()
                    } else {
                        "черновик (не начат)".to_owned()
                    },
                    done: share_text(line.done.0, line.done.1),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// `GET /kindergartens/{id}/routes`: the kindergarten's routes, teacher by teacher.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let overview = app
        .routes_overview(
            &viewer.principal,
            vsoko_app::reports::ReportOf::Kindergarten(vsoko_domain::KindergartenId::new(
                path.into_inner(),
            )),
            today(),
        )
        .await?;
    let name = overview
        .first()
        .map(|unit| unit.kindergarten.short_name.clone())
        .unwrap_or_default();
    html(&routes_page(
        &viewer,
        format!("{name}: маршруты педагогов"),
        "routes",
        &overview,
        true,
    ))
}

/// `GET /network/routes`: each kindergarten's routes.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    let overview = app
        .routes_overview(
            &viewer.principal,
            vsoko_app::reports::ReportOf::Network,
            today(),
        )
        .await?;
    html(&routes_page(
        &viewer,
        "Маршруты педагогов в сети".to_owned(),
        "network-routes",
        &overview,
        false,
    ))
}

/// The ids of a row's fields: `row-N-task`, … (as the use case names their errors).
struct RowIds {
    deficit: String,
    task: String,
    activity: String,
    form: String,
    due: String,
    result: String,
}

impl RowIds {
    fn of(index: usize) -> RowIds {
        let id = |name: &str| format!("row-{index}-{name}");
        RowIds {
            deficit: id("deficit"),
            task: id("task"),
            activity: id("activity"),
            form: id("form"),
            due: id("due"),
            result: id("result"),
        }
    }
}

struct EditRow {
    ids: RowIds,
    from: Option<usize>,
    new: bool,
    deficit: String,
    task: String,
    activity: String,
    forms: Vec<crate::view::choice::Choice>,
    due: String,
    result: String,
}

#[derive(Template)]
#[template(path = "route_edit.html")]
struct EditPage {
    layout: Layout,
    person: String,
    year: String,
    action: String,
    back: String,
    version: u32,
    rows: Vec<EditRow>,
    errors: crate::form::FieldErrors,
}

fn edit_row(index: usize, input: &RowInput, new: bool) -> EditRow {
    EditRow {
        ids: RowIds::of(index),
        from: input.from,
        new,
        deficit: input.deficit.clone(),
        task: input.task.clone(),
        activity: input.activity.clone(),
        forms: RouteForm::ALL
            .iter()
            .map(|form| crate::view::choice::Choice {
                value: form.code().to_owned(),
                label: form.label().to_owned(),
                selected: form.code() == input.form,
            })
            .collect(),
        due: input.due.clone(),
        result: input.result.clone(),
    }
}

fn edit_page(
    viewer: &Viewer,
    view: &RouteView,
    inputs: &[RowInput],
    version: u32,
    errors: crate::form::FieldErrors,
) -> EditPage {
    let blank = RowInput {
        form: RouteForm::SelfStudy.code().to_owned(),
        due: view.year.end().to_string(),
        ..RowInput::default()
    };
    let mut rows: Vec<EditRow> = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| edit_row(index, input, false))
        .collect();
    rows.push(edit_row(inputs.len(), &blank, true));
    EditPage {
        layout: Layout::signed_in(viewer, "План маршрута", "route"),
        person: view.person.full_name.clone(),
        year: view.year.to_string(),
        action: format!("/people/{}/route/edit", view.person.id),
        back: format!("/people/{}/route", view.person.id),
        version,
        rows,
        errors,
    }
}

/// `GET /people/{id}/route/edit`: the plan's rows to edit, and an empty one to add.
pub(crate) async fn edit(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .individual_route(&viewer.principal, PersonId::new(path.into_inner()), today())
        .await?;
    if !view.edits_rows {
        return Err(PageError::App(AppError::Forbidden(
            "план этого маршрута сейчас не изменить".to_owned(),
        )));
    }
    let inputs: Vec<RowInput> = view
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| RowInput {
            from: Some(index),
            deficit: row.deficit_title.clone(),
            task: row.task.clone(),
            activity: row.activity.clone(),
            form: row.form.code().to_owned(),
            due: row.due.to_string(),
            result: row.result.clone(),
        })
        .collect();
    html(&edit_page(
        &viewer,
        &view,
        &inputs,
        view.version,
        crate::form::FieldErrors::default(),
    ))
}

/// `POST /people/{id}/route/edit`: the rows kept (not marked «удалить») and a new one when it is
/// filled in; errors shown at their fields.
pub(crate) async fn save(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let person = PersonId::new(path.into_inner());
    let version = version(&form)?;
    let mut inputs = Vec::new();
    for index in 0.. {
        let name = |field: &str| format!("row-{index}-{field}");
        if form.get(&name("task")).is_none() {
            break;
        }
        let input = RowInput {
            from: form.text(&name("from")).parse().ok(),
            deficit: form.text(&name("deficit")),
            task: form.text(&name("task")),
            activity: form.text(&name("activity")),
            form: form.text(&name("form")),
            due: form.text(&name("due")),
            result: form.text(&name("result")),
        };
        let removed = form.get(&name("remove")).is_some();
        let untouched_new = input.from.is_none()
            && [&input.deficit, &input.task, &input.activity, &input.result]
                .iter()
                .all(|text| text.trim().is_empty());
        if !removed && !untouched_new {
            inputs.push(input);
        }
    }
    match app
        .save_route_rows(&viewer.principal, person, version, &inputs, today())
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/people/{person}/route?done=route-plan"
        ))),
        Err(AppError::Invalid { errors, .. }) => {
            let view = app
                .individual_route(&viewer.principal, person, today())
                .await?;
            let ids: Vec<(String, String)> = errors
                .iter()
                .map(|error| (error.field.clone(), error.field.clone()))
                .collect();
            let pairs: Vec<(&str, &str)> = ids
                .iter()
                .map(|(field, id)| (field.as_str(), id.as_str()))
                .collect();
            let placed = crate::form::FieldErrors::of(&errors, &pairs);
            crate::view::html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &edit_page(&viewer, &view, &inputs, version, placed),
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// The format of a routes file.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FileQuery {
    format: String,
}

fn routes_file(
    overview: &[vsoko_app::individual_route::KindergartenRoutes],
    kindergarten: Option<vsoko_domain::KindergartenId>,
    format: &str,
) -> Result<HttpResponse, PageError> {
    let format = vsoko_app::export::FileFormat::parse(format, true).ok_or(PageError::NotFound)?;
    let body = format.write(&vsoko_app::individual_route::routes_sheets(
        overview,
        kindergarten.is_some(),
    ))?;
    Ok(crate::view::attachment(
        format.content_type(),
        &vsoko_app::individual_route::routes_file_name(kindergarten, today(), format),
        body,
    ))
}

/// `GET /kindergartens/{id}/routes/file?format=`.
pub(crate) async fn kindergarten_file(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let id = vsoko_domain::KindergartenId::new(path.into_inner());
    let overview = app
        .routes_overview(
            &viewer.principal,
            vsoko_app::reports::ReportOf::Kindergarten(id),
            today(),
        )
        .await?;
    routes_file(&overview, Some(id), &query.format)
}

/// `GET /network/routes/file?format=`.
pub(crate) async fn network_file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let overview = app
        .routes_overview(
            &viewer.principal,
            vsoko_app::reports::ReportOf::Network,
            today(),
        )
        .await?;
    routes_file(&overview, None, &query.format)
}
