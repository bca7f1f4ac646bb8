//! A person's calendar of the plan of professional development: the events she leads or attends,
//! for herself («Мой календарь»), her head and the department, with its files.

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::plan::{EventLine, calendar_document, calendar_sheets};
use vsoko_app::{App, today};
use vsoko_domain::PersonId;

use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::html;

/// The format asked of a file.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FileQuery {
    format: Option<String>,
}

fn section(viewer: &Viewer) -> &'static str {
    match viewer.principal.workplace() {
        vsoko_app::Workplace::Network => "network-plan",
        _ => "plan",
    }
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    heading: String,
    person: String,
    year: String,
    files: String,
    events: Vec<EventLine>,
}

async fn calendar(
    app: &App,
    viewer: &Viewer,
    person: Option<PersonId>,
    format: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let (found, events) = match person {
        Some(person) => {
            app.person_calendar(&viewer.principal, person, today())
                .await?
        }
        None => app.own_calendar(&viewer.principal, today()).await?,
    };
    let year = vsoko_app::plan::SchoolYear::containing(today());
    match format {
        Some("docx") => {
            let network = app.network(&viewer.principal).await?.name;
            return crate::view::docx(&calendar_document(&found, year, &network, &events));
        }
        Some("xlsx") => {
            return crate::view::xlsx(
                &calendar_sheets(&events),
                &format!("vsoko-calendar-{}-{}.xlsx", found.id, today()),
            );
        }
        Some(_) => return Err(PageError::NotFound),
        None => {}
    }
    let (heading, files, current) = match person {
        Some(id) => (
            "Календарь мероприятий".to_owned(),
            format!("/people/{id}/calendar"),
            section(viewer),
        ),
        None => (
            "Мой календарь".to_owned(),
            "/my-calendar".to_owned(),
            "calendar",
        ),
    };
    html(&CalendarPage {
        layout: Layout::signed_in(viewer, heading.clone(), current),
        heading,
        person: found.full_name,
        year: year.to_string(),
        files,
        events,
    })
}

/// `GET /my-calendar`: the caller's own calendar.
pub(crate) async fn own_calendar(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    calendar(&app, &viewer, None, query.format.as_deref()).await
}

/// `GET /people/{id}/calendar`: a person's calendar (herself, her head, the department).
pub(crate) async fn person_calendar(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    calendar(
        &app,
        &viewer,
        Some(PersonId::new(path.into_inner())),
        query.format.as_deref(),
    )
    .await
}
