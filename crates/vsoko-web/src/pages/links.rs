//! The links of the parents' questionnaire of a kindergarten: opened per group or for the whole
//! kindergarten, printed with their QR codes, closed after a confirmation.

use crate::WebConfig;
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::{FieldErrors, subject_value};
use crate::format;
use crate::format::period_text;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::confirm::Confirm;
use crate::view::{Done, html, html_status, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use vsoko_app::links::{LinkRequest, LinkView};
use vsoko_app::{App, AppError};
use vsoko_domain::{Kindergarten, PeriodStatus, SubjectRef};
use vsoko_domain::{KindergartenId, LinkId};

struct LinkLine {
    id: i64,
    instrument: String,
    period: String,
    target: String,
    created: String,
    open: bool,
}

/// A link just opened: its address and QR code, shown once.
pub(crate) struct PrintedLink {
    pub target: String,
    pub url: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "links.html")]
struct LinksPage {
    layout: Layout,
    kindergarten: Kindergarten,
    links: Vec<LinkLine>,
    instruments: Vec<Choice>,
    periods: Vec<Choice>,
    targets: Vec<Choice>,
    errors: FieldErrors,
    /// How long the (first) parents' questionnaire takes: «2–3 минуты».
    duration: String,
}

#[derive(Template)]
#[template(path = "links_print.html")]
struct PrintPage {
    layout: Layout,
    kindergarten: Kindergarten,
    instrument: String,
    period: String,
    printed: Vec<PrintedLink>,
    /// «2–3 минуты».
    duration: String,
}

async fn links_page(
    app: &App,
    viewer: &Viewer,
    id: i64,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<LinksPage, PageError> {
    let kindergarten = app
        .links_kindergarten(&viewer.principal, KindergartenId::new(id))
        .await?;
    let links = app
        .survey_links(&viewer.principal, Some(kindergarten.id), None)
        .await?
        .iter()
        .map(|view| LinkLine {
            id: view.link.id.get(),
            instrument: view.instrument.title().to_owned(),
            period: view.period.code.clone(),
            target: link_target(view),
            created: format::datetime(view.link.created_at),
            open: view.link.closed_at.is_none() && view.period.status == PeriodStatus::Open,
        })
        .collect();
    let anonymous = app.anonymous_instruments().await?;
    let duration = anonymous
        .first()
        .map(|instrument| vsoko_app::words::time_to_fill(instrument.item_count(), true))
        .unwrap_or_default();
    let instruments = anonymous
        .into_iter()
        .map(|instrument| Choice {
            value: instrument.code().to_string(),
            label: instrument.title().to_owned(),
            selected: false,
        })
        .collect();
    let periods = app
        .open_periods(&viewer.principal)
        .await?
        .into_iter()
        .map(|period| Choice {
            label: period_text(&period),
            value: period.code,
            selected: false,
        })
        .collect();
    let mut targets = vec![Choice {
        value: "all".to_owned(),
        label: "Все группы: по ссылке на каждую".to_owned(),
        selected: false,
    }];
    for group in app.groups(&viewer.principal, kindergarten.id).await? {
        if group.active {
            targets.push(Choice {
                value: subject_value(SubjectRef::Group(group.id)),
                label: format!("{} ({})", group.name, group.age_group),
                selected: false,
            });
        }
    }
    targets.push(Choice {
        value: subject_value(SubjectRef::Kindergarten(kindergarten.id)),
        label: "Весь детский сад одной ссылкой".to_owned(),
        selected: false,
    });
    Ok(LinksPage {
        layout: Layout::signed_in(viewer, "Опросы родителей", "links").with_notice(notice),
        kindergarten,
        links,
        instruments,
        periods,
        targets,
        errors,
        duration,
    })
}

fn link_target(view: &LinkView) -> String {
    match &view.group {
        Some(group) => format!("группа «{}»", group.name),
        None => "весь детский сад".to_owned(),
    }
}

/// `GET /kindergartens/{id}/links`.
pub(crate) async fn links(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let page = links_page(
        &app,
        &viewer,
        path.into_inner(),
        FieldErrors::default(),
        done.notice(),
    )
    .await?;
    html(&page)
}

/// The address parents open: the configured public address, or the one the head's browser used.
fn public_base(request: &HttpRequest, config: &WebConfig) -> String {
    match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = request.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// A QR code of `url` as inline SVG, labelled for screen readers.
pub(crate) fn qr_svg(url: &str, label: &str) -> Result<String, PageError> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|_| PageError::internal("a link is too long for a QR code"))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(180, 180)
        .build();
    let svg = svg
        .split_once("?>")
        .map_or(svg.as_str(), |(_, rest)| rest)
        .to_owned();
    let label = label.replace(['"', '<', '>', '&'], " ");
    Ok(svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}

/// `POST /kindergartens/{id}/links`: opens a link per group (or one for the kindergarten) and
/// shows them with their QR codes, ready to print. The addresses are shown this once: only a hash
/// of each is stored.
pub(crate) async fn open_links(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let kindergarten = app
        .kindergarten(&viewer.principal, KindergartenId::new(id))
        .await?;
    let instrument = form.text("instrument");
    let period = form.text("period");
    let subjects: Vec<SubjectRef> = match form.get("target") {
        Some("all") => app
            .groups(&viewer.principal, kindergarten.id)
            .await?
            .into_iter()
            .filter(|group| group.active)
            .map(|group| SubjectRef::Group(group.id))
            .collect(),
        Some(value) => crate::form::parse_subject(value).into_iter().collect(),
        None => Vec::new(),
    };
    if subjects.is_empty() {
        let errors = [vsoko_app::FieldError::new(
            "subject",
            "required",
            "выберите группу или весь детский сад (в детском саду нет открытых групп)",
        )];
        return refuse_links(&app, &viewer, id, &errors).await;
    }
    let base = public_base(&request, &config);
    let mut printed = Vec::new();
    let mut first: Option<LinkView> = None;
    for subject in subjects {
        let view = match app
            .create_survey_link(
                &viewer.principal,
                LinkRequest {
                    instrument: instrument.clone(),
                    version: None,
                    period: period.clone(),
                    subject: Some(subject),
                },
            )
            .await
        {
            Ok(view) => view,
            Err(AppError::Invalid { errors, .. }) if printed.is_empty() => {
                return refuse_links(&app, &viewer, id, &errors).await;
            }
            Err(other) => return Err(other.into()),
        };
        let token = view
            .token
            .clone()
            .ok_or_else(|| PageError::internal("a new link has no token"))?;
        let url = format!("{base}/s/{token}");
        let target = link_target(&view);
        printed.push(PrintedLink {
            qr: qr_svg(&url, &format!("QR-код ссылки: {target}"))?,
            target,
            url,
        });
        first.get_or_insert(view);
    }
    let first = first.ok_or_else(|| PageError::internal("no link was opened"))?;
    let mut response = html(&PrintPage {
        layout: Layout::signed_in(&viewer, "Ссылки для родителей", "links"),
        instrument: first.instrument.title().to_owned(),
        duration: vsoko_app::words::time_to_fill(first.instrument.item_count(), true),
        period: period_text(&first.period),
        kindergarten,
        printed,
    })?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// The links page again, with the errors of the form that opens them.
async fn refuse_links(
    app: &App,
    viewer: &Viewer,
    id: i64,
    errors: &[vsoko_app::FieldError],
) -> Result<HttpResponse, PageError> {
    let placed = FieldErrors::of(
        errors,
        &[
            ("instrument", "instrument"),
            ("period", "period"),
            ("subject", "target"),
            ("subject.kind", "target"),
        ],
    );
    let page = links_page(app, viewer, id, placed, None).await?;
    html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `GET /links/{id}/close`: what closing a link means, and the button.
pub(crate) async fn confirm_close_link(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .survey_link(&viewer.principal, LinkId::new(path.into_inner()))
        .await?;
    let target = match &view.group {
        Some(group) => format!("группы «{}»", group.name),
        None => format!("детского сада «{}»", view.kindergarten.short_name),
    };
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Закрытие ссылки", "links"),
        heading: format!("Закрыть ссылку для родителей {target}?"),
        lines: vec![
            format!(
                "По ссылке и QR-коду анкеты «{}» ответы больше не будут приниматься.",
                view.instrument.title()
            ),
            "Ответы, уже полученные по ней, сохранятся и останутся в отчётах.".to_owned(),
            "Открыть эту же ссылку снова нельзя: понадобится новая ссылка и новый лист с QR-кодом."
                .to_owned(),
        ],
        action: format!("/links/{}/close", view.link.id),
        button: "Закрыть ссылку",
        back: format!("/kindergartens/{}/links", view.kindergarten.id),
    })
}

/// `POST /links/{id}/close`.
pub(crate) async fn close_link(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let view = app
        .close_survey_link(&viewer.principal, LinkId::new(path.into_inner()))
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/links?done=link-closed",
        view.kindergarten.id
    )))
}
