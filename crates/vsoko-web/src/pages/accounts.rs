//! Accounts: the department's list (heads, methodists, administrators) with a first password
//! shown once, and what serves heads for their teachers too — a new password, switching an
//! account off, each asked first.

use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;
use crate::view::choice::Choice;
use crate::view::confirm::{Confirm, Created};
use crate::view::refusal::refusal;
use crate::view::{Done, html, html_status, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::overview::{AccountInput, NewAccount};
use vsoko_app::{App, Workplace};
use vsoko_domain::Scope;
use vsoko_domain::UserId;

struct UserLine {
    id: i64,
    login: String,
    role: &'static str,
    unit: String,
    active: bool,
    manageable: bool,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    layout: Layout,
    users: Vec<UserLine>,
    roles: Vec<Choice>,
    kindergartens: Vec<Choice>,
    errors: FieldErrors,
    created: Option<Created>,
    values: AccountValues,
}

#[derive(Default)]
struct AccountValues {
    role: String,
    kindergarten: String,
    full_name: String,
    position: String,
    login: String,
}

async fn accounts_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    values: AccountValues,
    created: Option<Created>,
    notice: Option<String>,
) -> Result<AccountsPage, PageError> {
    let overview = app.accounts_overview(&viewer.principal).await?;
    let unit = |scope: Scope| match scope {
        Scope::Network(_) => "сеть".to_owned(),
        Scope::Kindergarten(id) => overview
            .kindergartens
            .iter()
            .find(|entry| entry.kindergarten.id == id)
            .map(|entry| entry.kindergarten.short_name.clone())
            .unwrap_or_else(|| format!("детский сад {id}")),
    };
    let users = overview
        .accounts
        .iter()
        .map(|entry| UserLine {
            manageable: entry.manageable,
            id: entry.user.id.get(),
            role: format::role(entry.user.role),
            unit: unit(entry.user.scope),
            active: entry.user.active,
            login: entry.user.login.clone(),
        })
        .collect();
    let roles = overview
        .creatable_roles
        .iter()
        .map(|role| Choice {
            value: role.as_str().to_owned(),
            label: format::role_choice(*role).to_owned(),
            selected: false,
        })
        .collect();
    let kindergartens = overview
        .kindergartens
        .iter()
        .map(|entry| Choice {
            value: entry.kindergarten.id.to_string(),
            label: entry.kindergarten.short_name.clone(),
            selected: false,
        })
        .collect();
    Ok(AccountsPage {
        layout: Layout::signed_in(viewer, "Учётные записи", "accounts").with_notice(notice),
        users,
        roles,
        kindergartens,
        errors,
        created,
        values,
    })
}

/// `GET /network/accounts`.
pub(crate) async fn accounts(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(
        &accounts_page(
            &app,
            &viewer,
            FieldErrors::default(),
            AccountValues {
                position: "заведующий".to_owned(),
                ..AccountValues::default()
            },
            None,
            done.notice(),
        )
        .await?,
    )
}

/// `POST /network/accounts`: a head (with the person she is, in her kindergarten), a manager or
/// an administrator, with a first password shown once.
pub(crate) async fn create_account(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = AccountValues {
        role: form.text("role"),
        kindergarten: form.text("kindergarten"),
        full_name: form.text("full_name"),
        position: form.text("position"),
        login: form.text("login"),
    };
    let ids = [
        ("role", "role"),
        ("kindergarten_id", "kindergarten"),
        ("full_name", "full_name"),
        ("position", "position"),
        ("login", "login"),
    ];
    let result = app
        .create_account(
            &viewer.principal,
            AccountInput {
                role: values.role.clone(),
                kindergarten_id: values.kindergarten.parse().ok(),
                full_name: values.full_name.clone(),
                position: values.position.clone(),
                login: values.login.clone(),
            },
        )
        .await;
    let taken = ("login", "этот логин уже занят: выберите другой");
    match refusal(result, Some(taken))? {
        Ok(NewAccount { user, password, .. }) => {
            let created = Created {
                heading: format!(
                    "Учётная запись «{}» ({}) создана",
                    user.login,
                    format::role(user.role)
                ),
                login: user.login,
                password,
            };
            html(
                &accounts_page(
                    &app,
                    &viewer,
                    FieldErrors::default(),
                    AccountValues {
                        position: "заведующий".to_owned(),
                        ..AccountValues::default()
                    },
                    Some(created),
                    None,
                )
                .await?,
            )
        }
        Err(refused) => html_status(
            refused.status,
            &accounts_page(
                &app,
                &viewer,
                FieldErrors::of(&refused.errors, &ids),
                values,
                None,
                None,
            )
            .await?,
        ),
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct PasswordReset {
    layout: Layout,
    created: Option<Created>,
    back: String,
}

/// Where a person who manages accounts lists them: a head her staff, the department its
/// accounts; with the navigation section of that page.
fn accounts_home(viewer: &Viewer) -> (String, &'static str) {
    match viewer.principal.workplace() {
        Workplace::Kindergarten(id) => (format!("/kindergartens/{id}/staff"), "staff"),
        _ => ("/network/accounts".to_owned(), "accounts"),
    }
}

/// `GET /accounts/{id}/reset-password`: what a reset does, and the button.
pub(crate) async fn confirm_reset_password(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let user = app
        .managed_user(&viewer.principal, UserId::new(path.into_inner()))
        .await?;
    let (back, section) = accounts_home(&viewer);
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Сброс пароля", section),
        heading: format!("Сбросить пароль учётной записи «{}»?", user.login),
        lines: vec![
            "Прежний пароль перестанет действовать, открытые сеансы этой учётной записи завершатся."
                .to_owned(),
            "Новый пароль будет показан один раз: его нужно передать владельцу учётной записи."
                .to_owned(),
        ],
        action: format!("/accounts/{}/reset-password", user.id),
        button: "Сбросить пароль",
        back,
    })
}

/// `POST /accounts/{id}/reset-password`: a new password, shown once.
pub(crate) async fn reset_password(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (user, password) = app
        .reset_password(&viewer.principal, UserId::new(path.into_inner()))
        .await?;
    let (back, section) = accounts_home(&viewer);
    let mut response = html(&PasswordReset {
        layout: Layout::signed_in(&viewer, "Новый пароль", section),
        created: Some(Created {
            heading: format!("Пароль учётной записи «{}» сброшен", user.login),
            login: user.login,
            password,
        }),
        back,
    })?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `GET /accounts/{id}/deactivate`.
pub(crate) async fn confirm_account(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let user = app
        .managed_user(&viewer.principal, UserId::new(path.into_inner()))
        .await?;
    let (back, section) = accounts_home(&viewer);
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Отключение учётной записи", section),
        heading: format!("Отключить учётную запись «{}»?", user.login),
        lines: vec![
            "Войти с этой учётной записью будет нельзя; открытые сеансы завершатся.".to_owned(),
            "Всё, что отправлено с неё, сохранится в отчётах и журнале.".to_owned(),
        ],
        action: format!("/accounts/{}/deactivate", user.id),
        button: "Отключить",
        back,
    })
}

/// `POST /accounts/{id}/deactivate`.
pub(crate) async fn deactivate_account(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.deactivate_user(&viewer.principal, UserId::new(path.into_inner()))
        .await?;
    Ok(see_other(&format!(
        "{}?done=account-off",
        accounts_home(&viewer).0
    )))
}
