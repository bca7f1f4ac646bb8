//! What people read, and what its pages share: the filters (instrument, version, period, compared
//! period), results rows, charts and deficits; a teacher's results; the reports' XLSX and CSV-RU
//! files. The dashboards (`dashboards.rs`) are built of the same pieces. Every number comes from
//! `vsoko_app::App::report`; the pages only choose what to show and how.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::export::{FileFormat, report_file_name, report_sheets};
use vsoko_app::reports::{ReportOf, ReportRequest};
use vsoko_app::{App, Workplace};

use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::report::{Filters, ReportQuery, ReportView, RowView, choose};
use crate::view::{attachment, html};
use vsoko_domain::PersonId;

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    layout: Layout,
    heading: String,
    filters: Filters,
    has_report: bool,
    total: Option<RowView>,
    /// Its areas and indicators (no comparison sentence: she is the same person in both
    /// periods).
    view: ReportView,
    next_level: Option<String>,
    /// Her place on the motivated list and what she may do about it (her own page only).
    motivated: Option<Motivated>,
}

/// The block «Хочу развивать цифровые компетенции» of her own results page.
struct Motivated {
    person: String,
    on_list: bool,
    action: Option<(&'static str, &'static str)>,
    based_on: String,
}

async fn motivated(
    app: &App,
    viewer: &Viewer,
    person: PersonId,
) -> Result<Option<Motivated>, PageError> {
    Ok(app
        .own_list_entry(&viewer.principal, vsoko_app::today())
        .await?
        .map(|entry| Motivated {
            person: person.to_string(),
            on_list: entry.state.is_some_and(|state| state.listed()),
            action: entry.marks.first().map(|mark| (mark.code(), mark.label())),
            based_on: entry.based_on.map(|id| id.to_string()).unwrap_or_default(),
        }))
}

#[allow(clippy::too_many_arguments)]
async fn results_page(
    app: &App,
    viewer: &Viewer,
    person: PersonId,
    action: String,
    query: &ReportQuery,
    heading: String,
    section: &'static str,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let of = ReportOf::Teacher(person);
    let chosen = choose(app, viewer, of, action, query).await?;
    let motivated = if viewer.principal.user.person_id == Some(person) {
        motivated(app, viewer, person).await?
    } else {
        None
    };
    let heading = match &chosen.report {
        Some(report) if viewer.principal.user.person_id != Some(person) => {
            format!("Результаты: {}", report.scope_name)
        }
        _ => heading,
    };
    let layout =
        Layout::signed_in(viewer, heading.clone(), section).with_notice(notice.or(chosen.notice));
    let Some(report) = chosen.report else {
        return html(&ResultsPage {
            layout,
            heading,
            filters: chosen.filters,
            has_report: false,
            total: None,
            view: ReportView::default(),
            next_level: None,
            motivated,
        });
    };
    let mut view = ReportView::of(
        &report,
        of,
        &chosen.query,
        Vec::new(),
        "Результаты по областям",
        "",
    );
    view.comparison = None;
    let total = (!view.rows.is_empty()).then(|| view.rows.remove(0));
    html(&ResultsPage {
        layout,
        heading,
        total,
        view,
        next_level: vsoko_app::reports::next_level(&report),
        filters: chosen.filters,
        has_report: true,
        motivated,
    })
}

/// `GET /results`: a teacher's own results.
pub(crate) async fn own_results(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<ReportQuery>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let person = viewer.principal.user.person_id.ok_or(PageError::NotFound)?;
    results_page(
        &app,
        &viewer,
        person,
        "/results".to_owned(),
        &query,
        "Мои результаты".to_owned(),
        "results",
        done.notice(),
    )
    .await
}

/// `GET /teachers/{id}/results`: a teacher's results as her head or a methodist reads them (the
/// report's own check: another teacher, or another kindergarten's, is «not found»).
pub(crate) async fn teacher_results(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, PageError> {
    let person = path.into_inner();
    let section = match viewer.principal.workplace() {
        Workplace::OwnForms => "results",
        Workplace::Kindergarten(_) => "dashboard",
        Workplace::Network => "network-dashboard",
    };
    results_page(
        &app,
        &viewer,
        PersonId::new(person),
        format!("/teachers/{person}/results"),
        &query,
        "Результаты педагога".to_owned(),
        section,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct FileQuery {
    of: String,
    instrument: String,
    version: Option<String>,
    period: String,
    compare: Option<String>,
    format: String,
}

/// `GET /reports/file`: a report as the same XLSX or CSV-RU file as `vsoko export`.
pub(crate) async fn report_file(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let of = match query.of.split_once('-') {
        Some(("teacher", id)) => ReportOf::Teacher(id.parse().map_err(|_| PageError::NotFound)?),
        Some(("kindergarten", id)) => {
            ReportOf::Kindergarten(id.parse().map_err(|_| PageError::NotFound)?)
        }
        None if query.of == "network" => ReportOf::Network,
        _ => return Err(PageError::NotFound),
    };
    let format = FileFormat::parse(&query.format, true).ok_or(PageError::NotFound)?;
    let report = app
        .report(
            &viewer.principal,
            &ReportRequest {
                of,
                period: query.period.clone(),
                instrument: query.instrument.clone(),
                version: query.version.as_deref().and_then(|text| text.parse().ok()),
                compare_period: query.compare.clone().filter(|code| !code.is_empty()),
                compare_version: None,
                items: None,
            },
        )
        .await?;
    let body = format.write(&report_sheets(&report))?;
    Ok(attachment(
        format.content_type(),
        &report_file_name(&report, format),
        body,
    ))
}
