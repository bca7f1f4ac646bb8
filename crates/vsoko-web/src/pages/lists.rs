//! The lists of people for professional development: a kindergarten's (its head decides about
//! each person and agrees the motivated list) and the network's (the department sees which
//! kindergartens agreed, designates the network's tutors, downloads the «согласованный список»).
//! What each list proposes and who may decide what is the use case's; the pages show it.

use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::lists::{AgreementState, KindergartenList, ListMark, StaffList, StaffListView};
use vsoko_app::reports::ReportOf;
use vsoko_app::{App, today};
use vsoko_domain::{KindergartenId, PersonId};

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::{html, see_other};

struct Tab {
    href: String,
    label: &'static str,
    current: bool,
}

struct Action {
    mark: &'static str,
    label: &'static str,
    needs_reason: bool,
}

struct EntryLine {
    id: i64,
    name: String,
    position: String,
    grounds: String,
    areas: String,
    state: &'static str,
    decision: String,
    based_on: String,
    actions: Vec<Action>,
}

struct UnitLine {
    id: i64,
    name: String,
    listed: usize,
    agreement: String,
    agreed: bool,
    may_agree: bool,
    may_withdraw: bool,
    agree_label: String,
    agreement_based_on: String,
    entries: Vec<EntryLine>,
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    layout: Layout,
    heading: String,
    list: &'static str,
    explanation: &'static str,
    year: String,
    tabs: Vec<Tab>,
    downloads: Vec<(String, &'static str)>,
    network: bool,
    agreed_list: bool,
    back: String,
    units: Vec<UnitLine>,
}

/// What a list is, for its readers.
fn explanation(list: StaffList) -> &'static str {
    match list {
        StaffList::Motivated => {
            "В список попадают сотрудники, ответившие «Да» на вопрос анкеты о желании развивать цифровые компетенции в этом учебном году, и те, кто включил себя сам на странице «Мои результаты». Заведующий может исключить человека с указанием причины и согласует список детского сада целиком."
        }
        StaffList::Tutors => {
            "В список попадают сотрудники, ответившие в анкете, что готовы быть тьюторами (полностью или по отдельным темам). Заведующий подтверждает или отклоняет каждого; методист назначает тьюторов сети из подтверждённых."
        }
        StaffList::NeedsTraining => {
            "В список попадают сотрудники с дефицитом по области самооценки, по которой за три года нет КПК или переподготовки, и те, чьи последние КПК перестанут учитываться до конца следующего учебного года (или сведений о КПК нет). Заведующий подтверждает или отклоняет каждого с указанием причины."
        }
        StaffList::Consultation => {
            "В список попадают сотрудники, ответившие в анкете «Да» на вопрос о консультации; рядом указаны области с дефицитом. Заведующий или методист отмечает, что консультация проведена."
        }
    }
}

fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::format::date(at.date_naive())
}

fn agreement_text(part: &KindergartenList) -> String {
    let names = |ids: &[PersonId]| {
        ids.iter()
            .map(|id| {
                part.entries
                    .iter()
                    .find(|entry| entry.person.id == *id)
                    .map_or_else(
                        || "выбывший сотрудник".to_owned(),
                        |entry| entry.person.full_name.clone(),
                    )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &part.agreement {
        None => "Список не согласован заведующим.".to_owned(),
        Some(agreement) => match &agreement.state {
            AgreementState::Agreed | AgreementState::NotAgreed => {
                format!("Список согласован заведующим {}.", date(agreement.at))
            }
            AgreementState::Outdated { added, left } => {
                let mut text = format!(
                    "Список согласован {}, но с тех пор изменился — его нужно согласовать заново.",
                    date(agreement.at)
                );
                if !added.is_empty() {
                    text.push_str(&format!(" Добавлены: {}.", names(added)));
                }
                if !left.is_empty() {
                    text.push_str(&format!(
                        " Выбыли из списка: {}.",
                        vsoko_app::words::counted(left.len(), "человек", "человека", "человек")
                    ));
                }
                text
            }
        },
    }
}

fn page(viewer: &Viewer, view: &StaffListView, of: ReportOf, notice: Option<String>) -> ListsPage {
    let list = view.list;
    let (base, section, heading) = match of {
        ReportOf::Kindergarten(id) => (
            format!("/kindergartens/{id}/lists"),
            "lists",
            format!(
                "{}: {}",
                view.kindergartens
                    .first()
                    .map(|part| part.kindergarten.short_name.clone())
                    .unwrap_or_default(),
                list.title()
            ),
        ),
        _ => (
            "/network/lists".to_owned(),
            "network-lists",
            format!("{} — сеть", list.title()),
        ),
    };
    let file = format!("{base}/{}/file", list.code());
    ListsPage {
        layout: Layout::signed_in(viewer, heading.clone(), section).with_notice(notice),
        heading,
        list: list.code(),
        explanation: explanation(list),
        year: view.year.to_string(),
        tabs: StaffList::ALL
            .into_iter()
            .map(|tab| Tab {
                href: format!("{base}/{}", tab.code()),
                label: tab.title(),
                current: tab == list,
            })
            .collect(),
        downloads: vec![
            (
                format!("{file}?format=xlsx"),
                if list == StaffList::Motivated {
                    "Скачать согласованный список (XLSX)"
                } else {
                    "Скачать список (XLSX)"
                },
            ),
            (format!("{file}?format=csv-ru"), "CSV для Excel"),
        ],
        network: !matches!(of, ReportOf::Kindergarten(_)),
        agreed_list: list == StaffList::Motivated,
        back: format!("{base}/{}", list.code()),
        units: view
            .kindergartens
            .iter()
            .map(|part| UnitLine {
                id: part.kindergarten.id.get(),
                name: part.kindergarten.short_name.clone(),
                listed: part.listed().count(),
                agreement: agreement_text(part),
                agreed: part.agreed(),
                may_agree: part.may_agree && !part.agreed(),
                may_withdraw: part.may_agree && part.agreement.is_some(),
                agree_label: format!(
                    "Согласовать список ({})",
                    vsoko_app::words::counted(
                        part.listed().count(),
                        "человек",
                        "человека",
                        "человек"
                    )
                ),
                agreement_based_on: part
                    .agreement_based_on
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                entries: part
                    .entries
                    .iter()
                    .map(|entry| EntryLine {
                        id: entry.person.id.get(),
                        name: entry.person.full_name.clone(),
                        position: entry.person.position.clone(),
                        grounds: entry.grounds.join("; "),
                        areas: entry.areas.join(", "),
                        state: entry.state.label(list),
                        decision: entry
                            .decision
                            .as_ref()
                            .filter(|decision| decision.mark != ListMark::OptedIn)
                            .map(|decision| {
                                let mut text = date(decision.at);
                                if let Some(reason) = &decision.reason {
                                    text.push_str(&format!(", причина: {reason}"));
                                }
                                text
                            })
                            .unwrap_or_default(),
                        based_on: entry.based_on.map(|id| id.to_string()).unwrap_or_default(),
                        actions: entry
                            .marks
                            .iter()
                            .map(|mark| Action {
                                mark: mark.code(),
                                label: mark.label(),
                                needs_reason: mark.needs_reason(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn list_of(code: &str) -> Result<StaffList, PageError> {
    StaffList::parse(code).ok_or(PageError::NotFound)
}

/// `GET /kindergartens/{id}/lists/{list}`.
pub(crate) async fn kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let (id, code) = path.into_inner();
    let of = ReportOf::Kindergarten(KindergartenId::new(id));
    let view = app
        .staff_list(&viewer.principal, list_of(&code)?, of, today())
        .await?;
    html(&page(&viewer, &view, of, done.notice()))
}

/// `GET /network/lists/{list}`.
pub(crate) async fn network(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<String>,
    done: web::Query<crate::view::Done>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .staff_list(
            &viewer.principal,
            list_of(&path.into_inner())?,
            ReportOf::Network,
            today(),
        )
        .await?;
    html(&page(&viewer, &view, ReportOf::Network, done.notice()))
}

/// `GET /kindergartens/{id}/lists` and `/network/lists`: the first list.
pub(crate) async fn first(path: Option<web::Path<i64>>) -> HttpResponse {
    match path {
        Some(id) => see_other(&format!(
            "/kindergartens/{}/lists/motivated",
            id.into_inner()
        )),
        None => see_other("/network/lists/motivated"),
    }
}

/// The format of a list's file.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct FileQuery {
    format: String,
}

fn file(
    view: &StaffListView,
    kindergarten: Option<KindergartenId>,
    format: &str,
) -> Result<HttpResponse, PageError> {
    let format = vsoko_app::export::FileFormat::parse(format, true).ok_or(PageError::NotFound)?;
    let body = format.write(&vsoko_app::lists::list_sheets(view))?;
    Ok(crate::view::attachment(
        format.content_type(),
        &vsoko_app::lists::list_file_name(view.list, kindergarten, today(), format),
        body,
    ))
}

/// `GET /kindergartens/{id}/lists/{list}/file?format=`.
pub(crate) async fn kindergarten_file(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let (id, code) = path.into_inner();
    let id = KindergartenId::new(id);
    let view = app
        .staff_list(
            &viewer.principal,
            list_of(&code)?,
            ReportOf::Kindergarten(id),
            today(),
        )
        .await?;
    file(&view, Some(id), &query.format)
}

/// `GET /network/lists/{list}/file?format=`.
pub(crate) async fn network_file(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<String>,
    query: web::Query<FileQuery>,
) -> Result<HttpResponse, PageError> {
    let view = app
        .staff_list(
            &viewer.principal,
            list_of(&path.into_inner())?,
            ReportOf::Network,
            today(),
        )
        .await?;
    file(&view, None, &query.format)
}

/// Where a form on a list page returns: one of the list pages or her own results.
fn back_to(form: &PostedForm) -> String {
    let back = form.text("back");
    let local = (back.starts_with("/kindergartens/") && back.contains("/lists/"))
        || back.starts_with("/network/lists/")
        || back == "/results";
    if local && !back.contains("//") && !back.contains('?') {
        back
    } else {
        "/".to_owned()
    }
}

fn based_on(form: &PostedForm) -> Option<i64> {
    form.text("based_on").trim().parse().ok()
}

/// `POST /lists/{list}/mark`: a decision about a person (or her own, on the motivated list).
pub(crate) async fn mark(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<String>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let list = list_of(&path.into_inner())?;
    let mark = ListMark::parse(&form.text("mark")).ok_or(PageError::NotFound)?;
    let person = PersonId::new(
        form.text("person")
            .trim()
            .parse()
            .map_err(|_| PageError::NotFound)?,
    );
    app.mark_list(
        &viewer.principal,
        list,
        person,
        mark,
        form.get("reason").map(str::to_owned),
        based_on(&form),
        today(),
    )
    .await?;
    Ok(see_other(&format!("{}?done=list-mark", back_to(&form))))
}

/// `POST /kindergartens/{id}/lists/{list}/agreement`: the head agrees the list (`agree=1`) or
/// withdraws the agreement (`agree=0`).
pub(crate) async fn agreement(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (id, code) = path.into_inner();
    let list = list_of(&code)?;
    let agree = form.text("agree") == "1";
    app.agree_list(
        &viewer.principal,
        list,
        KindergartenId::new(id),
        agree,
        based_on(&form),
        today(),
    )
    .await?;
    Ok(see_other(&format!(
        "/kindergartens/{id}/lists/{}?done={}",
        list.code(),
        if agree {
            "list-agreed"
        } else {
            "list-withdrawn"
        }
    )))
}
