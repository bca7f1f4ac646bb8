//! «Мой детский сад»: a kindergarten's forms and control cards of a period, its staff, groups and
//! teacher accounts, and the links of the parents' questionnaire with their QR codes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::links::{LinkRequest, LinkView};
use vsoko_app::overview::{AccountEntry, AccountInput, NewAccount};
use vsoko_app::{App, AppError};
use vsoko_storage::{Id, Kindergarten, Period, PeriodStatus, SubjectRef};

use super::forms::{EntryView, entry_view, level_text, period_text, result_text};
use super::{Done, html, html_status, see_other};
use crate::WebConfig;
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::{FieldErrors, subject_value};
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Deserialize)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
    done: Option<String>,
}

/// The period a page shows: the one asked for, else the latest open one, else the latest.
pub(crate) fn choose_period(periods: &[Period], asked: Option<&str>) -> Option<Period> {
    if let Some(code) = asked
        && let Some(period) = periods.iter().find(|period| period.code == code)
    {
        return Some(period.clone());
    }
    let latest = |open: bool| {
        periods
            .iter()
            .filter(|period| !open || period.status == PeriodStatus::Open)
            .max_by_key(|period| (period.starts_on, period.id))
            .cloned()
    };
    latest(true).or_else(|| latest(false))
}

/// A period in a select.
pub(crate) struct PeriodChoice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn period_choices(periods: &[Period], selected: Option<&Period>) -> Vec<PeriodChoice> {
    let mut periods: Vec<&Period> = periods.iter().collect();
    periods.sort_by_key(|period| std::cmp::Reverse((period.starts_on, period.id)));
    periods
        .into_iter()
        .map(|period| PeriodChoice {
            code: period.code.clone(),
            label: format!(
                "{}{}",
                period_text(period),
                if period.status == PeriodStatus::Closed {
                    " — закрыт"
                } else {
                    ""
                }
            ),
            selected: selected.is_some_and(|selected| selected.id == period.id),
        })
        .collect()
}

struct CardLine {
    date: String,
    title: String,
    subject: String,
    result: String,
    level: String,
    critical: String,
    href: String,
}

#[derive(Template)]
#[template(path = "kindergarten.html")]
struct Overview {
    layout: Layout,
    kindergarten: Kindergarten,
    periods: Vec<PeriodChoice>,
    period: Option<Period>,
    period_closed: bool,
    forms: Vec<EntryView>,
    card_types: Vec<EntryView>,
    cards: Vec<CardLine>,
    manages: bool,
    /// Who has filled the staff's surveys of the period, and the list's address.
    completion: Option<(String, String)>,
}

/// `GET /kindergartens/{id}`: the head's forms and control cards of a period.
pub(crate) async fn overview(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let overview = app
        .kindergarten_overview(&viewer.principal, path.into_inner())
        .await?;
    let kindergarten = overview.kindergarten;
    let periods = app.periods(&viewer.principal).await?;
    let period = choose_period(&periods, query.period.as_deref());
    let own = overview.own;
    let (mut forms, mut card_types) = (Vec::new(), Vec::new());
    if own && let Some(period) = &period {
        for entry in app.my_forms(&viewer.principal).await? {
            if entry.period.id != period.id {
                continue;
            }
            if entry.subject.is_some() {
                forms.push(entry_view(&entry));
            } else {
                card_types.push(entry_view(&entry));
            }
        }
    }
    let cards = match &period {
        Some(period) => app
            .kindergarten_cards(&viewer.principal, kindergarten.id, &period.code)
            .await?
            .into_iter()
            .map(|row| CardLine {
                date: row
                    .submission
                    .observed_on
                    .map(format::date)
                    .unwrap_or_default(),
                title: row.instrument.title().to_owned(),
                subject: row.subject,
                result: row.total.as_ref().map(result_text).unwrap_or_default(),
                level: row
                    .total
                    .as_ref()
                    .map(|total| level_text(&row.instrument, total))
                    .unwrap_or_default(),
                critical: if row.critical_items.is_empty() {
                    "нет".to_owned()
                } else {
                    format!("да: {}", row.critical_items.join(", "))
                },
                href: format!("/submissions/{}", row.submission.id),
            })
            .collect(),
        None => Vec::new(),
    };
    let completion = match &period {
        Some(period) => super::completion::summary_line(
            &app.kindergarten_completion(&viewer.principal, kindergarten.id, period)
                .await?,
        ),
        None => None,
    };
    let title = format!("{} — мой детский сад", kindergarten.short_name);
    html(&Overview {
        completion,
        layout: Layout::signed_in(&viewer, title, "kindergarten")
            .with_notice(Done::from(query.done.clone()).notice()),
        periods: period_choices(&periods, period.as_ref()),
        period_closed: period
            .as_ref()
            .is_some_and(|period| period.status == PeriodStatus::Closed),
        period,
        forms,
        card_types,
        cards,
        manages: overview.manages_staff,
        kindergarten,
    })
}

struct PersonLine {
    name: String,
    position: String,
    active: bool,
    accounts: Vec<AccountLine>,
    deactivate: Option<String>,
}

pub(crate) struct AccountLine {
    pub id: Id,
    pub login: String,
    pub role: &'static str,
    pub active: bool,
    pub manageable: bool,
}

struct GroupLine {
    name: String,
    age: String,
    active: bool,
    close: Option<String>,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    layout: Layout,
    kindergarten: Kindergarten,
    people: Vec<PersonLine>,
    groups: Vec<GroupLine>,
    manages: bool,
    errors: FieldErrors,
    values: NewTeacher,
    created: Option<Created>,
    /// Who has filled the staff's surveys of the current period, and the list's address.
    completion: Option<(String, String)>,
}

#[derive(Default)]
struct NewTeacher {
    full_name: String,
    position: String,
    login: String,
    group_name: String,
    age_group: String,
}

/// An account just made or reset: its password is shown once.
pub(crate) struct Created {
    pub heading: String,
    pub login: String,
    pub password: String,
}

async fn staff_page(
    app: &App,
    viewer: &Viewer,
    id: Id,
    errors: FieldErrors,
    values: NewTeacher,
    created: Option<Created>,
    notice: Option<String>,
) -> Result<StaffPage, PageError> {
    let overview = app.kindergarten_overview(&viewer.principal, id).await?;
    let kindergarten = overview.kindergarten;
    let people = app.people(&viewer.principal, kindergarten.id).await?;
    let manages = overview.manages_staff;
    let accounts = app.account_entries(&viewer.principal).await?;
    let account_line = |entry: &AccountEntry| AccountLine {
        id: entry.user.id,
        login: entry.user.login.clone(),
        role: format::role(entry.user.role),
        active: entry.user.active,
        manageable: entry.manageable,
    };
    let people = people
        .iter()
        .map(|person| PersonLine {
            name: person.full_name.clone(),
            position: person.position.clone(),
            active: person.active,
            accounts: accounts
                .iter()
                .filter(|entry| entry.user.person_id == Some(person.id))
                .map(account_line)
                .collect(),
            deactivate: (manages
                && person.active
                && viewer.principal.user.person_id != Some(person.id))
            .then(|| format!("/people/{}/deactivate", person.id)),
        })
        .collect();
    let groups = app
        .groups(&viewer.principal, kindergarten.id)
        .await?
        .into_iter()
        .map(|group| GroupLine {
            close: (manages && group.active).then(|| format!("/groups/{}/deactivate", group.id)),
            name: group.name,
            age: group.age_group,
            active: group.active,
        })
        .collect();
    let completion = match app.current_period(&viewer.principal).await? {
        Some(period) => super::completion::summary_line(
            &app.kindergarten_completion(&viewer.principal, kindergarten.id, &period)
                .await?,
        ),
        _ => None,
    };
    Ok(StaffPage {
        completion,
        layout: Layout::signed_in(viewer, "Сотрудники и группы", "staff").with_notice(notice),
        kindergarten,
        people,
        groups,
        manages,
        errors,
        values,
        created,
    })
}

/// `GET /kindergartens/{id}/staff`.
pub(crate) async fn staff(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let page = staff_page(
        &app,
        &viewer,
        id,
        FieldErrors::default(),
        NewTeacher {
            position: "воспитатель".to_owned(),
            ..NewTeacher::default()
        },
        None,
        done.notice(),
    )
    .await?;
    html(&page)
}

/// `POST /kindergartens/{id}/staff`: a teacher with an account; the first password is shown once.
pub(crate) async fn add_teacher(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let values = NewTeacher {
        full_name: form.text("full_name"),
        position: form.text("position"),
        login: form.text("login"),
        ..NewTeacher::default()
    };
    let result = app
        .create_account(
            &viewer.principal,
            AccountInput {
                role: "teacher".to_owned(),
                kindergarten_id: Some(id),
                full_name: values.full_name.clone(),
                position: values.position.clone(),
                login: values.login.clone(),
            },
        )
        .await;
    match result {
        Ok(NewAccount {
            user,
            person,
            password,
        }) => {
            let created = Created {
                heading: format!(
                    "Учётная запись для {} создана",
                    person.map(|person| person.full_name).unwrap_or_default()
                ),
                login: user.login,
                password,
            };
            let page = staff_page(
                &app,
                &viewer,
                id,
                FieldErrors::default(),
                NewTeacher {
                    position: "воспитатель".to_owned(),
                    ..NewTeacher::default()
                },
                Some(created),
                None,
            )
            .await?;
            html(&page)
        }
        Err(AppError::Invalid { errors, .. }) => {
            let placed = FieldErrors::of(
                &errors,
                &[
                    ("full_name", "full_name"),
                    ("position", "position"),
                    ("login", "login"),
                ],
            );
            let page = staff_page(&app, &viewer, id, placed, values, None, None).await?;
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /kindergartens/{id}/groups`.
pub(crate) async fn add_group(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let name = form.text("group_name");
    let age = form.text("age_group");
    match app.create_group(&viewer.principal, id, &name, &age).await {
        Ok(_) => Ok(see_other(&format!("/kindergartens/{id}/staff?done=group"))),
        Err(AppError::Invalid { errors, .. }) => {
            let placed = FieldErrors::of(
                &errors,
                &[("name", "group_name"), ("age_group", "age_group")],
            );
            let values = NewTeacher {
                position: "воспитатель".to_owned(),
                group_name: name,
                age_group: age,
                ..NewTeacher::default()
            };
            let page = staff_page(&app, &viewer, id, placed, values, None, None).await?;
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub(crate) struct Confirm {
    pub layout: Layout,
    pub heading: String,
    pub lines: Vec<String>,
    pub action: String,
    pub button: &'static str,
    pub back: String,
}

/// `GET /people/{id}/deactivate`: what marking a person as gone means, and the button.
pub(crate) async fn confirm_person(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let person = app.person(&viewer.principal, path.into_inner()).await?;
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Увольнение сотрудника", "staff"),
        heading: format!("Отметить увольнение: {}?", person.full_name),
        lines: vec![
            "Учётная запись сотрудника будет отключена: войти в систему с ней будет нельзя."
                .to_owned(),
            "Отправленные анкеты и карты контроля сохранятся и останутся в отчётах своих периодов."
                .to_owned(),
            "Отменить это действие в интерфейсе нельзя.".to_owned(),
        ],
        action: format!("/people/{}/deactivate", person.id),
        button: "Отметить увольнение",
        back: format!("/kindergartens/{}/staff", person.kindergarten_id),
    })
}

/// `POST /people/{id}/deactivate`.
pub(crate) async fn deactivate_person(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let person = app
        .deactivate_person(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/staff?done=person-gone",
        person.kindergarten_id
    )))
}

/// `GET /groups/{id}/deactivate`.
pub(crate) async fn confirm_group(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let group = app.group(&viewer.principal, path.into_inner()).await?;
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Закрытие группы", "staff"),
        heading: format!("Закрыть группу «{}»?", group.name),
        lines: vec![
            "Группа исчезнет из списков для новых карт контроля и ссылок для родителей.".to_owned(),
            "Заполненные карты и ответы родителей сохранятся в отчётах.".to_owned(),
        ],
        action: format!("/groups/{}/deactivate", group.id),
        button: "Закрыть группу",
        back: format!("/kindergartens/{}/staff", group.kindergarten_id),
    })
}

/// `POST /groups/{id}/deactivate`.
pub(crate) async fn deactivate_group(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let group = app
        .deactivate_group(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/staff?done=group-closed",
        group.kindergarten_id
    )))
}

struct LinkLine {
    id: Id,
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

struct Choice {
    value: String,
    label: String,
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
    id: Id,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<LinksPage, PageError> {
    let kindergarten = app.links_kindergarten(&viewer.principal, id).await?;
    let links = app
        .survey_links(&viewer.principal, Some(kindergarten.id), None)
        .await?
        .iter()
        .map(|view| LinkLine {
            id: view.link.id,
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
        })
        .collect();
    let periods = app
        .open_periods(&viewer.principal)
        .await?
        .into_iter()
        .map(|period| Choice {
            label: period_text(&period),
            value: period.code,
        })
        .collect();
    let mut targets = vec![Choice {
        value: "all".to_owned(),
        label: "Все группы: по ссылке на каждую".to_owned(),
    }];
    for group in app.groups(&viewer.principal, kindergarten.id).await? {
        if group.active {
            targets.push(Choice {
                value: subject_value(SubjectRef::Group(group.id)),
                label: format!("{} ({})", group.name, group.age_group),
            });
        }
    }
    targets.push(Choice {
        value: subject_value(SubjectRef::Kindergarten(kindergarten.id)),
        label: "Весь детский сад одной ссылкой".to_owned(),
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
    path: web::Path<Id>,
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
    path: web::Path<Id>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let kindergarten = app.kindergarten(&viewer.principal, id).await?;
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
    id: Id,
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
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .survey_link(&viewer.principal, path.into_inner())
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
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let view = app
        .close_survey_link(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/links?done=link-closed",
        view.kindergarten.id
    )))
}
