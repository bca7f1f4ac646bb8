//! The аналитическая справка of a kindergarten or of the network: a printable page (A4, page
//! numbers, a place for the signature) and the same document as DOCX. The text is
//! `vsoko_app::App::spravka`'s; this module only draws it.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::App;
use vsoko_app::reports::ReportOf;
use vsoko_app::spravka::SpravkaRequest;
use vsoko_exchange::{Block, Document, chart};

use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::report::cell_class;
use crate::view::{html, see_other};
use vsoko_domain::KindergartenId;

#[derive(Deserialize)]
pub(crate) struct SpravkaQuery {
    instrument: Option<String>,
    period: Option<String>,
    compare: Option<String>,
}

/// A block as the template draws it.
struct BlockView {
    kind: &'static str,
    text: String,
    items: Vec<String>,
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<(String, String)>>,
    svg: String,
}

struct SectionView {
    number: usize,
    heading: String,
    blocks: Vec<BlockView>,
}

#[derive(Template)]
#[template(path = "spravka.html")]
struct SpravkaPage {
    layout: Layout,
    letterhead: Vec<String>,
    title: String,
    subtitle: Vec<String>,
    sections: Vec<SectionView>,
    signature: Vec<String>,
    docx: String,
}

fn empty(kind: &'static str) -> BlockView {
    BlockView {
        kind,
        text: String::new(),
        items: Vec::new(),
        caption: String::new(),
        header: Vec::new(),
        rows: Vec::new(),
        svg: String::new(),
    }
}

fn sections(document: &Document) -> Vec<SectionView> {
    document
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| SectionView {
            number: index + 1,
            heading: section.heading.clone(),
            blocks: section
                .blocks
                .iter()
                .map(|block| match block {
                    Block::Paragraph(text) => BlockView {
                        text: text.clone(),
                        ..empty("paragraph")
                    },
                    Block::Bullets(items) => BlockView {
                        items: items.clone(),
                        ..empty("bullets")
                    },
                    Block::Table(table) => BlockView {
                        caption: table.caption.clone(),
                        header: table.header.clone(),
                        rows: table
                            .rows
                            .iter()
                            .map(|row| {
                                row.iter()
                                    .map(|cell| {
                                        (
                                            cell.text.clone(),
                                            cell.shade.map(cell_class).unwrap_or_default(),
                                        )
                                    })
                                    .collect()
                            })
                            .collect(),
                        ..empty("table")
                    },
                    Block::Chart(spec) => BlockView {
                        caption: spec.alt.clone(),
                        svg: chart::svg(spec),
                        ..empty("chart")
                    },
                })
                .collect(),
        })
        .collect()
}

/// The справка of a report, or — when the address lacks the instrument or the period, or names
/// ones the network does not have — the dashboard it is made from, whose filters choose them.
async fn build(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    query: &SpravkaQuery,
) -> Result<Result<Document, HttpResponse>, PageError> {
    let base = match of {
        ReportOf::Kindergarten(id) => format!("/kindergartens/{id}/dashboard"),
        _ => "/network/dashboard".to_owned(),
    };
    let dashboard = |with_query: bool| match with_query {
        true => see_other(&format!("{base}?{}", query_string(query))),
        false => see_other(&base),
    };
    let (Some(instrument), Some(period)) = (
        query.instrument.clone().filter(|code| !code.is_empty()),
        query.period.clone().filter(|code| !code.is_empty()),
    ) else {
        return Ok(Err(dashboard(true)));
    };
    match app
        .spravka(
            &viewer.principal,
            &SpravkaRequest {
                of,
                instrument,
                period,
                compare_period: query.compare.clone().filter(|code| !code.is_empty()),
            },
        )
        .await
    {
        Ok(document) => Ok(Ok(document)),
        Err(vsoko_app::AppError::Invalid { .. }) => Ok(Err(dashboard(false))),
        Err(other) => Err(other.into()),
    }
}

fn page(
    viewer: &Viewer,
    document: &Document,
    docx: String,
    section: &str,
) -> Result<HttpResponse, PageError> {
    html(&SpravkaPage {
        layout: Layout::signed_in(viewer, "Аналитическая справка", section),
        letterhead: document.letterhead.clone(),
        title: document.title.clone(),
        subtitle: document.subtitle.clone(),
        sections: sections(document),
        signature: document.signature.clone(),
        docx,
    })
}

fn query_string(query: &SpravkaQuery) -> String {
    format!(
        "instrument={}&period={}&compare={}",
        crate::format::url_encode(query.instrument.as_deref().unwrap_or_default()),
        crate::format::url_encode(query.period.as_deref().unwrap_or_default()),
        crate::format::url_encode(query.compare.as_deref().unwrap_or_default())
    )
}

/// `GET /kindergartens/{id}/spravka`.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<SpravkaQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let document = match build(
        &app,
        &viewer,
        ReportOf::Kindergarten(KindergartenId::new(id)),
        &query,
    )
    .await?
    {
        Ok(document) => document,
        Err(redirect) => return Ok(redirect),
    };
    let section = match viewer.principal.workplace() {
        vsoko_app::Workplace::Kindergarten(_) => "dashboard",
        _ => "network-dashboard",
    };
    page(
        &viewer,
        &document,
        format!("/kindergartens/{id}/spravka.docx?{}", query_string(&query)),
        section,
    )
}

/// `GET /kindergartens/{id}/spravka.docx`.
pub(crate) async fn kindergarten_docx(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<SpravkaQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let document = match build(
        &app,
        &viewer,
        ReportOf::Kindergarten(KindergartenId::new(id)),
        &query,
    )
    .await?
    {
        Ok(document) => document,
        Err(redirect) => return Ok(redirect),
    };
    crate::view::docx(&document)
}

/// `GET /network/spravka`.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<SpravkaQuery>,
) -> Result<HttpResponse, PageError> {
    let document = match build(&app, &viewer, ReportOf::Network, &query).await? {
        Ok(document) => document,
        Err(redirect) => return Ok(redirect),
    };
    page(
        &viewer,
        &document,
        format!("/network/spravka.docx?{}", query_string(&query)),
        "network-dashboard",
    )
}

/// `GET /network/spravka.docx`.
pub(crate) async fn network_docx(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<SpravkaQuery>,
) -> Result<HttpResponse, PageError> {
    let document = match build(&app, &viewer, ReportOf::Network, &query).await? {
        Ok(document) => document,
        Err(redirect) => return Ok(redirect),
    };
    crate::view::docx(&document)
}
