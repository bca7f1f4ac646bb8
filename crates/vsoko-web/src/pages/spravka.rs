//! The аналитическая справка of a kindergarten or of the network: a printable page (A4, page
//! numbers, a place for the signature) and the same document as DOCX. The text is
//! `vsoko_app::App::spravka`'s; this module only draws it.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::App;
use vsoko_app::reports::ReportOf;
use vsoko_app::spravka::{
    CONCLUSIONS, RECOMMENDATIONS, SpravkaEdits, SpravkaRequest, optional_sections, section_lines,
};
use vsoko_exchange::{Block, Document, chart};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::{Choice, period_choices};
use crate::view::refusal::refusal;
use crate::view::report::cell_class;
use crate::view::{html, html_status, see_other};
use vsoko_domain::KindergartenId;

#[derive(Deserialize)]
pub(crate) struct SpravkaQuery {
    instrument: Option<String>,
    period: Option<String>,
    compare: Option<String>,
}

impl SpravkaQuery {
    /// The справка of `of` the address asks for; `None` without an instrument or a period.
    fn request(&self, of: ReportOf) -> Option<SpravkaRequest> {
        let given = |code: &Option<String>| code.clone().filter(|code| !code.is_empty());
        Some(SpravkaRequest {
            of,
            instrument: given(&self.instrument)?,
            period: given(&self.period)?,
            compare_period: given(&self.compare),
        })
    }
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
    /// The form that saves it with a number (a справка made anew), or what the saved one is.
    save: Option<SaveForm>,
    saved: Option<String>,
    errors: FieldErrors,
}

/// The form under a справка made anew: its conclusions and recommendations to edit, one per line.
struct SaveForm {
    action: String,
    conclusions: String,
    recommendations: String,
    /// The loop's sections this справка has, each with whether it is left out.
    optional: Vec<(String, bool)>,
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
                        caption: spec.caption.clone().unwrap_or_else(|| spec.alt.clone()),
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
    let Some(request) = query.request(of) else {
        return Ok(Err(dashboard(true)));
    };
    match app.spravka(&viewer.principal, &request).await {
        Ok(document) => Ok(Ok(document)),
        Err(vsoko_app::AppError::Invalid { .. }) => Ok(Err(dashboard(false))),
        Err(other) => Err(other.into()),
    }
}

fn spravka_page(
    viewer: &Viewer,
    document: &Document,
    docx: String,
    section: &str,
    save: Option<SaveForm>,
    saved: Option<String>,
    errors: FieldErrors,
) -> SpravkaPage {
    SpravkaPage {
        layout: Layout::signed_in(viewer, "Аналитическая справка", section),
        letterhead: document.letterhead.clone(),
        title: document.title.clone(),
        subtitle: document.subtitle.clone(),
        sections: sections(document),
        signature: document.signature.clone(),
        docx,
        save,
        saved,
        errors,
    }
}

/// A справка made anew, with the form that saves it: its conclusions and recommendations as the
/// rules wrote them (or as the methodist edited them, when the form comes back with an error).
fn page(
    viewer: &Viewer,
    document: &Document,
    docx: String,
    section: &str,
    action: String,
) -> Result<HttpResponse, PageError> {
    html(&spravka_page(
        viewer,
        document,
        docx,
        section,
        Some(SaveForm {
            action,
            conclusions: section_lines(document, CONCLUSIONS),
            recommendations: section_lines(document, RECOMMENDATIONS),
            optional: optional_sections(document)
                .into_iter()
                .map(|heading| (heading, false))
                .collect(),
        }),
        None,
        FieldErrors::default(),
    ))
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
        format!("/kindergartens/{id}/spravka?{}", query_string(&query)),
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
        format!("/network/spravka?{}", query_string(&query)),
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

/// Saves the справка of `of` with the posted edits; back to the form with the errors named.
async fn save(
    app: &App,
    viewer: &Viewer,
    of: ReportOf,
    query: &SpravkaQuery,
    form: &PostedForm,
) -> Result<HttpResponse, PageError> {
    let Some(request) = query.request(of) else {
        return Ok(see_other("/spravki"));
    };
    let edits = SpravkaEdits {
        conclusions: Some(form.text("conclusions")),
        recommendations: Some(form.text("recommendations")),
        omit: form
            .fields()
            .iter()
            .filter(|(name, _)| name == "omit")
            .map(|(_, heading)| heading.clone())
            .collect(),
    };
    match refusal(
        app.save_spravka(&viewer.principal, &request, &edits).await,
        None,
    )? {
        Ok(saved) => Ok(see_other(&format!(
            "/spravki/{}?done=spravka-saved",
            saved.stored.id
        ))),
        Err(refused) => {
            let document = app.spravka(&viewer.principal, &request).await?;
            let (base, section) = match of {
                ReportOf::Kindergarten(id) => (format!("/kindergartens/{id}/spravka"), "dashboard"),
                _ => ("/network/spravka".to_owned(), "network-dashboard"),
            };
            html_status(
                refused.status,
                &spravka_page(
                    viewer,
                    &document,
                    format!("{base}.docx?{}", query_string(query)),
                    section,
                    Some(SaveForm {
                        action: format!("{base}?{}", query_string(query)),
                        optional: optional_sections(&document)
                            .into_iter()
                            .map(|heading| {
                                let omitted = edits.omit.contains(&heading);
                                (heading, omitted)
                            })
                            .collect(),
                        conclusions: edits.conclusions.unwrap_or_default(),
                        recommendations: edits.recommendations.unwrap_or_default(),
                    }),
                    None,
                    FieldErrors::of(
                        &refused.errors,
                        &[
                            ("conclusions", "conclusions"),
                            ("recommendations", "recommendations"),
                            ("omit", "omit"),
                        ],
                    ),
                ),
            )
        }
    }
}

/// `POST /kindergartens/{id}/spravka`: saves it with a number.
pub(crate) async fn save_kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<SpravkaQuery>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let of = ReportOf::Kindergarten(KindergartenId::new(path.into_inner()));
    save(&app, &viewer, of, &query, &form).await
}

/// `POST /network/spravka`: saves it with a number.
pub(crate) async fn save_network(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<SpravkaQuery>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    save(&app, &viewer, ReportOf::Network, &query, &form).await
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    period: Option<String>,
    done: Option<String>,
}

/// A saved справка in the list.
struct SavedLine {
    href: String,
    number: String,
    title: String,
}

#[derive(Template)]
#[template(path = "spravki.html")]
struct SavedListPage {
    layout: Layout,
    periods: Vec<Choice>,
    lines: Vec<SavedLine>,
}

/// `GET /spravki`: the saved справки, of one period when chosen.
pub(crate) async fn saved_list(
    app: web::Data<App>,
    viewer: Viewer,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    let period = query.period.as_deref().filter(|code| !code.is_empty());
    let saved = app.saved_spravki(&viewer.principal, period).await?;
    let periods = app.periods(&viewer.principal).await?;
    let chosen = periods
        .iter()
        .find(|known| Some(known.code.as_str()) == period);
    let mut choices = vec![Choice {
        value: String::new(),
        label: "все периоды".to_owned(),
        selected: chosen.is_none(),
    }];
    choices.extend(period_choices(&periods, chosen));
    html(&SavedListPage {
        layout: Layout::signed_in(&viewer, "Сохранённые справки", "spravki"),
        periods: choices,
        lines: saved
            .iter()
            .map(|stored| SavedLine {
                href: format!("/spravki/{}", stored.id),
                number: format!(
                    "№ {} от {}",
                    stored.number,
                    crate::format::date(stored.made_on)
                ),
                title: stored.title.clone(),
            })
            .collect(),
    })
}

/// `GET /spravki/{id}`: a saved справка as it was saved.
pub(crate) async fn saved(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let saved = app.saved_spravka(&viewer.principal, id).await?;
    let mut page = spravka_page(
        &viewer,
        &saved.document,
        format!("/spravki/{id}/docx"),
        "spravki",
        None,
        Some(format!(
            "Сохранённая справка № {} от {}: числа зафиксированы на день сохранения и не меняются при исправлении ответов. Справку с новыми данными можно составить заново.",
            saved.stored.number,
            crate::format::date(saved.stored.made_on)
        )),
        FieldErrors::default(),
    );
    if query.done.as_deref() == Some("spravka-saved") {
        page.layout = page
            .layout
            .with_notice(Some("Справка сохранена.".to_owned()));
    }
    html(&page)
}

/// `GET /spravki/{id}/docx`.
pub(crate) async fn saved_docx(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let saved = app
        .saved_spravka(&viewer.principal, path.into_inner())
        .await?;
    crate::view::docx(&saved.document)
}
