//! A kindergarten's staff and groups: teachers with their accounts (a first password shown
//! once), groups, and marking a person gone or a group closed — each asked first.

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::confirm::{Confirm, Created};
use crate::view::refusal::refusal;
use crate::view::{Done, html, html_status, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::App;
use vsoko_app::overview::{AccountEntry, AccountInput, NewAccount};
use vsoko_domain::Kindergarten;
use vsoko_domain::{GroupId, KindergartenId, PersonId};

struct PersonLine {
    name: String,
    position: String,
    active: bool,
    accounts: Vec<AccountLine>,
    deactivate: Option<String>,
}

pub(crate) struct AccountLine {
    pub id: i64,
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

async fn staff_page(
    app: &App,
    viewer: &Viewer,
    id: i64,
    errors: FieldErrors,
    values: NewTeacher,
    created: Option<Created>,
    notice: Option<String>,
) -> Result<StaffPage, PageError> {
    let overview = app
        .kindergarten_overview(&viewer.principal, KindergartenId::new(id))
        .await?;
    let kindergarten = overview.kindergarten;
    let people = app.people(&viewer.principal, kindergarten.id).await?;
    let manages = overview.manages_staff;
    let accounts = app.account_entries(&viewer.principal).await?;
    let account_line = |entry: &AccountEntry| AccountLine {
        id: entry.user.id.get(),
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
        Some(period) => crate::view::completion::summary_line(
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
    path: web::Path<i64>,
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
    path: web::Path<i64>,
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
                kindergarten_id: Some(KindergartenId::new(id)),
                full_name: values.full_name.clone(),
                position: values.position.clone(),
                login: values.login.clone(),
            },
        )
        .await;
    match refusal(result, None)? {
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
        Err(refused) => {
            let placed = FieldErrors::of(
                &refused.errors,
                &[
                    ("full_name", "full_name"),
                    ("position", "position"),
                    ("login", "login"),
                ],
            );
            let page = staff_page(&app, &viewer, id, placed, values, None, None).await?;
            html_status(refused.status, &page)
        }
    }
}

/// `POST /kindergartens/{id}/groups`.
pub(crate) async fn add_group(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let name = form.text("group_name");
    let age = form.text("age_group");
    match refusal(
        app.create_group(&viewer.principal, KindergartenId::new(id), &name, &age)
            .await,
        None,
    )? {
        Ok(_) => Ok(see_other(&format!("/kindergartens/{id}/staff?done=group"))),
        Err(refused) => {
            let placed = FieldErrors::of(
                &refused.errors,
                &[("name", "group_name"), ("age_group", "age_group")],
            );
            let values = NewTeacher {
                position: "воспитатель".to_owned(),
                group_name: name,
                age_group: age,
                ..NewTeacher::default()
            };
            let page = staff_page(&app, &viewer, id, placed, values, None, None).await?;
            html_status(refused.status, &page)
        }
    }
}

/// `GET /people/{id}/deactivate`: what marking a person as gone means, and the button.
pub(crate) async fn confirm_person(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let person = app
        .person(&viewer.principal, PersonId::new(path.into_inner()))
        .await?;
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
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let person = app
        .deactivate_person(&viewer.principal, PersonId::new(path.into_inner()))
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
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let group = app
        .group(&viewer.principal, GroupId::new(path.into_inner()))
        .await?;
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
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let group = app
        .deactivate_group(&viewer.principal, GroupId::new(path.into_inner()))
        .await?;
    Ok(see_other(&format!(
        "/kindergartens/{}/staff?done=group-closed",
        group.kindergarten_id
    )))
}
