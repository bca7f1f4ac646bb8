//! The network's calendar plan of professional development: the department makes it from the
//! proposal and edits it, every head of the network reads and agrees it, the department or the
//! hosting head marks who attended; a person's own calendar. Who may do what is the use case's
//! (`vsoko_app::plan`).

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::plan::{
    AttendanceRequest, EventChoices, EventForm, EventFormat, EventLine, PlanDetail, plan_document,
    plan_file_name, plan_sheets,
};
use vsoko_app::report_choice::ReportAsk;
use vsoko_app::{App, AppError, today};
use vsoko_domain::PersonId;

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::{html, html_status, see_other};

/// The section of the navigation the plan's pages are in.
fn section(viewer: &Viewer) -> &'static str {
    match viewer.principal.workplace() {
        vsoko_app::Workplace::Network => "network-plan",
        _ => "plan",
    }
}

/// A write refused because the plan moved on: back to the plan, which says so.
fn changed<T>(result: Result<T, AppError>) -> Result<Result<T, HttpResponse>, AppError> {
    match result {
        Err(AppError::Conflict {
            code: "plan_changed",
            ..
        }) => Ok(Err(see_other("/plan?done=plan-changed"))),
        other => other.map(Ok),
    }
}

struct PlanPageDetail {
    plan: PlanDetail,
    agreed: usize,
}

impl std::ops::Deref for PlanPageDetail {
    type Target = PlanDetail;

    fn deref(&self) -> &PlanDetail {
        &self.plan
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    year: String,
    /// The first calendar year of the shown school year.
    year_start: i32,
    read_only: bool,
    /// The school years to choose: first calendar year, in words, whether shown.
    years: Vec<(i32, String, bool)>,
    plan: Option<PlanPageDetail>,
    may_propose: bool,
    may_edit: bool,
    may_agree: bool,
    own_agreement: Option<String>,
}

/// The school year asked (`?year=2024` for 2024/2025); the current one without it.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    fn year(&self) -> vsoko_app::plan::SchoolYear {
        self.year
            .as_deref()
            .and_then(|text| text.trim().parse::<i32>().ok())
            .filter(|year| (2000..=2100).contains(year))
            .map_or_else(
                || vsoko_app::plan::SchoolYear::containing(today()),
                vsoko_app::plan::SchoolYear::starting,
            )
    }
}

/// `GET /plan?year=`.
pub(crate) async fn show(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<crate::view::Done>,
    year: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .pd_plan_of(&viewer.principal, year.year(), today())
        .await?;
    html(&PlanPage {
        read_only: view.read_only,
        years: view
            .years
            .iter()
            .map(|year| (year.start_year(), year.to_string(), *year == view.year))
            .collect(),
        layout: Layout::signed_in(&viewer, "План повышения квалификации", section(&viewer))
            .with_notice(done.notice()),
        year: view.year.to_string(),
        year_start: view.year.start_year(),
        may_propose: view.may_propose,
        may_edit: view.may_edit,
        may_agree: view.may_agree.is_some(),
        own_agreement: view.own_agreement.as_ref().map(|line| line.text.clone()),
        plan: view.plan.map(|plan| PlanPageDetail {
            agreed: plan.agreed(),
            plan,
        }),
    })
}

/// `GET /plan/file?format=xlsx|docx&year=`.
pub(crate) async fn file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
    year: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .pd_plan_of(&viewer.principal, year.year(), today())
        .await?;
    match query.format.as_deref() {
        Some("docx") => crate::view::docx(&plan_document(&view)),
        Some("xlsx") => crate::view::xlsx(
            &plan_sheets(&view),
            &plan_file_name(view.year, today(), "xlsx"),
        ),
        _ => Err(PageError::NotFound),
    }
}

/// The format asked of a file.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FileQuery {
    format: Option<String>,
}

/// `POST /plan/proposal`: the department makes the plan from the proposal.
pub(crate) async fn propose(
    app: web::Data<App>,
    viewer: Viewer,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.propose_pd_plan(&viewer.principal, &ReportAsk::default(), today())
        .await?;
    Ok(see_other("/plan?done=plan-proposed"))
}

fn version_of(form: &PostedForm) -> u32 {
    form.text("version").trim().parse().unwrap_or(0)
}

/// `POST /plan/agreement`: a head agrees the version she read.
pub(crate) async fn agree(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let result = app
        .agree_pd_plan(&viewer.principal, version_of(&form), today())
        .await;
    if let Err(response) = changed(result)? {
        return Ok(response);
    }
    Ok(see_other("/plan?done=plan-agreed"))
}

#[derive(Template)]
#[template(path = "plan_event.html")]
struct EventPage {
    layout: Layout,
    heading: String,
    action: String,
    errors: FieldErrors,
    values: EventForm,
    needs_reason: bool,
    formats: Vec<Choice>,
    months: Vec<Choice>,
    hosts: Vec<Choice>,
    leaders: Vec<Choice>,
    areas: Vec<Choice>,
    seats: Vec<SeatField>,
}

struct SeatField {
    value: String,
    label: String,
    count: String,
}

const FIELDS: [&str; 11] = [
    "reason",
    "topic",
    "format",
    "month",
    "date",
    "host",
    "responsible",
    "areas",
    "hours",
    "seats",
    "planned_result",
];

fn choice(value: String, label: String, selected: bool) -> Choice {
    Choice {
        value,
        label,
        selected,
    }
}

fn event_page(
    viewer: &Viewer,
    id: Option<u32>,
    values: EventForm,
    errors: FieldErrors,
    needs_reason: bool,
    choices: &EventChoices,
) -> EventPage {
    let (heading, action) = match id {
        Some(id) => (
            "Изменить мероприятие".to_owned(),
            format!("/plan/events/{id}/edit"),
        ),
        None => ("Новое мероприятие".to_owned(), "/plan/events".to_owned()),
    };
    let mut hosts = vec![choice(
        String::new(),
        "управление образования".to_owned(),
        values.host.is_empty(),
    )];
    hosts.extend(choices.kindergartens.iter().map(|unit| {
        choice(
            unit.id.to_string(),
            unit.short_name.clone(),
            values.host == unit.id.to_string(),
        )
    }));
    EventPage {
        layout: Layout::signed_in(viewer, heading.clone(), section(viewer)),
        heading,
        action,
        needs_reason,
        formats: EventFormat::ALL
            .into_iter()
            .map(|format| {
                choice(
                    format.code().to_owned(),
                    format.label().to_owned(),
                    values.format == format.code(),
                )
            })
            .collect(),
        months: choices
            .months
            .iter()
            .map(|(value, label)| choice(value.clone(), label.clone(), &values.month == value))
            .collect(),
        hosts,
        leaders: choices
            .leaders
            .iter()
            .map(|(person, unit)| {
                choice(
                    person.id.to_string(),
                    format!("{} ({unit})", person.full_name),
                    values.leaders.contains(&person.id.to_string()),
                )
            })
            .collect(),
        areas: choices
            .areas
            .iter()
            .map(|(code, title)| {
                choice(
                    code.clone(),
                    format!("{code} {title}"),
                    values.areas.contains(code),
                )
            })
            .collect(),
        seats: choices
            .kindergartens
            .iter()
            .map(|unit| SeatField {
                value: unit.id.to_string(),
                label: unit.short_name.clone(),
                count: values
                    .seats
                    .iter()
                    .find(|(id, _)| *id == unit.id.to_string())
                    .map(|(_, count)| count.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        errors,
        values,
    }
}

fn posted_event(form: &PostedForm) -> EventForm {
    let all = |name: &str| -> Vec<String> {
        form.fields()
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    };
    EventForm {
        version: form.text("version"),
        reason: form.text("reason"),
        topic: form.text("topic"),
        format: form.text("format"),
        month: form.text("month"),
        date: form.text("date"),
        host: form.text("host"),
        responsible: form.text("responsible"),
        leaders: all("leaders"),
        areas: all("areas"),
        hours: form.text("hours"),
        seats: form
            .fields()
            .iter()
            .filter_map(|(key, value)| {
                key.strip_prefix("seats-")
                    .map(|id| (id.to_owned(), value.clone()))
            })
            .collect(),
        planned_result: form.text("planned_result"),
    }
}

/// `GET /plan/events/new` and `GET /plan/events/{id}/edit`.
async fn edit_form(app: &App, viewer: &Viewer, id: Option<u32>) -> Result<HttpResponse, PageError> {
    let (version, needs_reason, event, choices) =
        app.plan_event_form(&viewer.principal, id, today()).await?;
    let values = match &event {
        Some(event) => EventForm::of(event, version),
        None => EventForm {
            version: version.to_string(),
            format: EventFormat::Seminar.code().to_owned(),
            hours: vsoko_app::plan::MODULE_HOURS.to_string(),
            month: choices
                .months
                .get(1)
                .map(|(value, _)| value.clone())
                .unwrap_or_default(),
            ..EventForm::default()
        },
    };
    html(&event_page(
        viewer,
        id,
        values,
        FieldErrors::default(),
        needs_reason,
        &choices,
    ))
}

/// `GET /plan/events/new`.
pub(crate) async fn new_event(
    app: web::Data<App>,
    viewer: Viewer,
) -> Result<HttpResponse, PageError> {
    edit_form(&app, &viewer, None).await
}

/// `GET /plan/events/{id}/edit`.
pub(crate) async fn edit_event(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
) -> Result<HttpResponse, PageError> {
    edit_form(&app, &viewer, Some(path.into_inner())).await
}

/// Saves an event; a refusal shows the form again with its errors.
async fn save_or_show(
    app: &App,
    viewer: &Viewer,
    id: Option<u32>,
    form: &PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = posted_event(form);
    let result = app
        .save_plan_event(&viewer.principal, id, &values, today())
        .await;
    match result {
        Err(AppError::Invalid { errors, .. }) => {
            let (_, needs_reason, _, choices) =
                app.plan_event_form(&viewer.principal, id, today()).await?;
            let placed = FieldErrors::of(&errors, &FIELDS.map(|field| (field, field)));
            html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &event_page(viewer, id, values, placed, needs_reason, &choices),
            )
        }
        Err(other) => {
            let result: Result<(), AppError> = Err(other);
            match changed(result)? {
                Ok(()) => Err(PageError::NotFound),
                Err(response) => Ok(response),
            }
        }
        Ok(_) => Ok(see_other("/plan?done=plan-event")),
    }
}

/// `POST /plan/events`.
pub(crate) async fn add_event(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    save_or_show(&app, &viewer, None, &form).await
}

/// `POST /plan/events/{id}/edit`.
pub(crate) async fn change_event(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    save_or_show(&app, &viewer, Some(path.into_inner()), &form).await
}

#[derive(Template)]
#[template(path = "plan_remove.html")]
struct RemovePage {
    layout: Layout,
    errors: FieldErrors,
    id: u32,
    topic: String,
    when: String,
    version: u32,
    needs_reason: bool,
    reason: String,
}

async fn remove_page(
    app: &App,
    viewer: &Viewer,
    id: u32,
    errors: FieldErrors,
    reason: String,
) -> Result<RemovePage, PageError> {
    let (version, needs_reason, event, _) = app
        .plan_event_form(&viewer.principal, Some(id), today())
        .await?;
    let event = event.ok_or(PageError::NotFound)?;
    Ok(RemovePage {
        layout: Layout::signed_in(viewer, "Исключение мероприятия", section(viewer)),
        errors,
        id,
        when: vsoko_app::plan::month_text(event.month),
        topic: event.topic,
        version,
        needs_reason,
        reason,
    })
}

/// `GET /plan/events/{id}/remove`: what removing does, and the button (with the reason).
pub(crate) async fn confirm_remove(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
) -> Result<HttpResponse, PageError> {
    html(
        &remove_page(
            &app,
            &viewer,
            path.into_inner(),
            FieldErrors::default(),
            String::new(),
        )
        .await?,
    )
}

/// `POST /plan/events/{id}/remove`.
pub(crate) async fn remove(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let reason = form.text("reason");
    let result = app
        .remove_plan_event(
            &viewer.principal,
            id,
            version_of(&form),
            Some(&reason),
            today(),
        )
        .await;
    match result {
        Err(AppError::Invalid { errors, .. }) => {
            let placed = FieldErrors::of(&errors, &[("reason", "reason")]);
            html_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &remove_page(&app, &viewer, id, placed, reason).await?,
            )
        }
        other => match changed(other)? {
            Ok(()) => Ok(see_other("/plan?done=plan-event-removed")),
            Err(response) => Ok(response),
        },
    }
}

struct CandidateLine {
    id: i64,
    name: String,
    kindergarten: String,
    credited: Option<u32>,
    checked: bool,
    hours: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_attendance.html")]
struct AttendancePage {
    layout: Layout,
    errors: FieldErrors,
    id: u32,
    topic: String,
    when: String,
    place: String,
    hours: u32,
    version: u32,
    held_on: String,
    candidates: Vec<CandidateLine>,
}

async fn attendance_page(
    app: &App,
    viewer: &Viewer,
    id: u32,
    posted: Option<&PostedForm>,
    errors: &[vsoko_app::error::FieldError],
) -> Result<AttendancePage, PageError> {
    let form = app.attendance_form(&viewer.principal, id, today()).await?;
    let event: &EventLine = &form.event;
    let held_on = match posted {
        Some(posted) => posted.text("held_on"),
        None => event
            .event
            .held
            .as_ref()
            .map(|held| held.on)
            .or(event.event.date)
            .map(|date| date.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    };
    let present: Vec<String> = posted
        .map(|posted| {
            posted
                .fields()
                .iter()
                .filter(|(key, _)| key == "present")
                .map(|(_, value)| value.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut placed: Vec<(String, String)> = vec![
        ("held_on".to_owned(), "held_on".to_owned()),
        ("attended".to_owned(), "attended".to_owned()),
    ];
    let candidates = form
        .candidates
        .iter()
        .map(|candidate| {
            let id = candidate.person.id.get();
            let field = format!("hours.{id}");
            placed.push((field.clone(), format!("hours-{id}")));
            CandidateLine {
                id,
                name: candidate.person.full_name.clone(),
                kindergarten: candidate.kindergarten.clone(),
                credited: candidate.credited,
                checked: present.contains(&id.to_string()),
                hours: posted.map_or_else(
                    || event.event.hours.to_string(),
                    |posted| posted.text(&format!("hours-{id}")),
                ),
                error: errors
                    .iter()
                    .find(|error| error.field == field)
                    .map(|error| error.message.clone()),
            }
        })
        .collect();
    let ids: Vec<(&str, &str)> = placed
        .iter()
        .map(|(field, id)| (field.as_str(), id.as_str()))
        .collect();
    Ok(AttendancePage {
        layout: Layout::signed_in(viewer, "Участники мероприятия", section(viewer)),
        errors: FieldErrors::of(errors, &ids),
        id,
        topic: event.event.topic.clone(),
        when: event.when.clone(),
        place: event.place.clone(),
        hours: event.event.hours,
        version: form.plan_version,
        held_on,
        candidates,
    })
}

/// `GET /plan/events/{id}/attendance`.
pub(crate) async fn attendance_form(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
) -> Result<HttpResponse, PageError> {
    html(&attendance_page(&app, &viewer, path.into_inner(), None, &[]).await?)
}

/// `POST /plan/events/{id}/attendance`: who attended; errors shown at their fields.
pub(crate) async fn attendance(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<u32>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let held_on = vsoko_app::forms::parse_date(form.text("held_on").trim());
    let attended: Vec<(PersonId, u32)> = form
        .fields()
        .iter()
        .filter(|(key, _)| key == "present")
        .filter_map(|(_, value)| value.trim().parse::<i64>().ok())
        .map(|person| {
            let hours = form
                .text(&format!("hours-{person}"))
                .trim()
                .parse()
                .unwrap_or(0);
            (PersonId::new(person), hours)
        })
        .collect();
    let result = match held_on {
        None => Err(AppError::invalid(
            "held_on",
            "invalid",
            "укажите дату проведения, например 14.10.2026",
        )),
        Some(held_on) => {
            app.mark_attendance(
                &viewer.principal,
                id,
                &AttendanceRequest {
                    version: version_of(&form),
                    held_on,
                    attended,
                },
                today(),
            )
            .await
        }
    };
    match result {
        Err(AppError::Invalid { errors, .. }) => html_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &attendance_page(&app, &viewer, id, Some(&form), &errors).await?,
        ),
        other => match changed(other)? {
            Ok(_) => Ok(see_other("/plan?done=plan-attendance")),
            Err(response) => Ok(response),
        },
    }
}
