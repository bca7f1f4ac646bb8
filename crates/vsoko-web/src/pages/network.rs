//! «Сеть»: the department's pages — periods (open, close with a confirmation that says what
//! closing means), kindergartens, head and manager accounts; administrators also create
//! kindergartens and administrators. Account actions (a new password, switching an account off)
//! serve heads for their teachers too.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use vsoko_app::overview::{AccountInput, KindergartenEntry, NewAccount};
use vsoko_app::{App, AppError, FieldError, Workplace};
use vsoko_storage::{Id, PeriodStatus, Scope};

use super::forms::period_text;
use super::kindergarten::{Confirm, Created};
use super::{Done, html, html_status, see_other};
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::format;
use crate::layout::Layout;
use crate::session::Viewer;

struct PeriodLine {
    code: String,
    dates: String,
    open: bool,
    closed_at: String,
    close: String,
}

struct KindergartenLine {
    id: Id,
    number: String,
    short_name: String,
    full_name: String,
    heads: String,
}

#[derive(Template)]
#[template(path = "network.html")]
struct Overview {
    layout: Layout,
    open_periods: Vec<PeriodLine>,
    kindergartens: Vec<KindergartenLine>,
    /// Whether the caller sets the network's rules of reports.
    manages: bool,
    /// The least coverage for conclusions, as set or as typed.
    min_coverage: String,
    /// The rule in words («50 % — по умолчанию»).
    min_coverage_now: String,
    /// The field's hint, from the rule's constants.
    min_coverage_hint: String,
    /// The fewest subjects a result needs, whatever the share.
    min_subjects: u32,
    errors: FieldErrors,
}

async fn overview_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    typed: Option<String>,
    notice: Option<String>,
) -> Result<Overview, PageError> {
    let overview = app.network_overview(&viewer.principal).await?;
    let network = &overview.network;
    let now = network
        .min_coverage_percent
        .map_or(vsoko_scoring::MIN_COVERAGE_PERCENT, f64::from);
    Ok(Overview {
        layout: Layout::signed_in(viewer, "Сеть", "network").with_notice(notice),
        open_periods: period_lines(&overview.periods)
            .into_iter()
            .filter(|line| line.open)
            .collect(),
        kindergartens: kindergarten_lines(&overview.kindergartens),
        manages: overview.sets_rules,
        min_coverage: typed.unwrap_or_else(|| format!("{now}")),
        min_coverage_now: format!(
            "{}{}",
            format::percent(now),
            if network.min_coverage_percent.is_none() {
                " (по умолчанию)"
            } else {
                ""
            }
        ),
        min_coverage_hint: format!(
            "Целое число от {} до 100. Пустое поле — правило по умолчанию ({} %).",
            vsoko_app::org::MIN_COVERAGE_SETTING,
            vsoko_app::words::number(vsoko_scoring::MIN_COVERAGE_PERCENT)
        ),
        min_subjects: vsoko_scoring::MIN_COVERAGE_SUBJECTS,
        errors,
    })
}

fn kindergarten_lines(entries: &[KindergartenEntry]) -> Vec<KindergartenLine> {
    entries
        .iter()
        .map(|entry| KindergartenLine {
            heads: entry.heads.join(", "),
            id: entry.kindergarten.id,
            number: entry.kindergarten.number.clone(),
            short_name: entry.kindergarten.short_name.clone(),
            full_name: entry.kindergarten.full_name.clone(),
        })
        .collect()
}

fn period_lines(periods: &[vsoko_storage::Period]) -> Vec<PeriodLine> {
    periods
        .iter()
        .map(|period| PeriodLine {
            code: period.code.clone(),
            dates: format!(
                "{} – {}",
                format::date(period.starts_on),
                format::date(period.ends_on)
            ),
            open: period.status == PeriodStatus::Open,
            closed_at: period.closed_at.map(format::datetime).unwrap_or_default(),
            close: format!("/periods/{}/close", period.id),
        })
        .collect()
}

/// `GET /network`.
pub(crate) async fn overview(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(&overview_page(&app, &viewer, FieldErrors::default(), None, done.notice()).await?)
}

/// `POST /network/settings`: the least coverage for conclusions (empty: the default rule).
pub(crate) async fn save_settings(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let typed = form.text("min_coverage_percent");
    let ids = [("min_coverage_percent", "min_coverage_percent")];
    let percent = match typed.trim() {
        "" => Ok(None),
        text => text
            .trim_end_matches('%')
            .trim()
            .parse::<u32>()
            .map(Some)
            .map_err(|_| {
                vec![FieldError::new(
                    "min_coverage_percent",
                    "not_a_number",
                    "минимальный охват: целое число процентов, например 50",
                )]
            }),
    };
    let result = match percent {
        Ok(percent) => app.set_min_coverage(&viewer.principal, percent).await,
        Err(errors) => Err(AppError::Invalid {
            detail: String::new(),
            errors,
        }),
    };
    match result {
        Ok(_) => Ok(see_other("/network?done=settings")),
        Err(AppError::Invalid { errors, .. }) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &overview_page(
                &app,
                &viewer,
                FieldErrors::of(&errors, &ids),
                Some(typed),
                None,
            )
            .await?,
        ),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "periods.html")]
struct PeriodsPage {
    layout: Layout,
    periods: Vec<PeriodLine>,
    manages: bool,
    errors: FieldErrors,
    code: String,
    starts_on: String,
    ends_on: String,
}

async fn periods_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    values: [String; 3],
    notice: Option<String>,
) -> Result<PeriodsPage, PageError> {
    let overview = app.network_overview(&viewer.principal).await?;
    let [code, starts_on, ends_on] = values;
    Ok(PeriodsPage {
        layout: Layout::signed_in(viewer, "Периоды оценки", "periods").with_notice(notice),
        periods: period_lines(&overview.periods),
        manages: overview.manages_periods,
        errors,
        code,
        starts_on,
        ends_on,
    })
}

/// `GET /network/periods`.
pub(crate) async fn periods(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(
        &periods_page(
            &app,
            &viewer,
            FieldErrors::default(),
            Default::default(),
            done.notice(),
        )
        .await?,
    )
}

/// `POST /network/periods`: opens a period.
pub(crate) async fn open_period(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = [
        form.text("code"),
        form.text("starts_on"),
        form.text("ends_on"),
    ];
    let ids = [
        ("code", "code"),
        ("starts_on", "starts_on"),
        ("ends_on", "ends_on"),
    ];
    let mut errors = Vec::new();
    let mut date = |field: &str, text: &str| {
        let parsed = vsoko_app::forms::parse_date(text);
        if parsed.is_none() {
            errors.push(FieldError::new(
                field,
                "not_a_date",
                "введите дату, например 01.09.2025",
            ));
        }
        parsed
    };
    let starts_on = date("starts_on", &values[1]);
    let ends_on = date("ends_on", &values[2]);
    let result = match (starts_on, ends_on) {
        (Some(starts_on), Some(ends_on)) => {
            app.create_period(
                &viewer.principal,
                vsoko_app::periods::PeriodInput {
                    code: values[0].trim().to_owned(),
                    starts_on,
                    ends_on,
                },
            )
            .await
        }
        _ => Err(AppError::Invalid {
            detail: String::new(),
            errors,
        }),
    };
    match result {
        Ok(_) => Ok(see_other("/network/periods?done=period-opened")),
        Err(AppError::Invalid { errors, .. }) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &periods_page(&app, &viewer, FieldErrors::of(&errors, &ids), values, None).await?,
        ),
        Err(AppError::Conflict { .. }) => {
            let errors = [FieldError::new(
                "code",
                "taken",
                "период с таким кодом уже есть",
            )];
            html_status(
                StatusCode::CONFLICT,
                &periods_page(&app, &viewer, FieldErrors::of(&errors, &ids), values, None).await?,
            )
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /periods/{id}/close`: what closing means, and the button.
pub(crate) async fn confirm_close(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let period = app
        .period_to_close(&viewer.principal, path.into_inner())
        .await?;
    if period.status == PeriodStatus::Closed {
        return Ok(see_other("/network/periods"));
    }
    html(&Confirm {
        layout: Layout::signed_in(&viewer, "Закрытие периода", "periods"),
        heading: format!("Закрыть период {}?", period_text(&period)),
        lines: vec![
            "Педагоги и заведующие больше не смогут отправлять и исправлять анкеты, карты контроля и показатели этого периода: формы станут доступны только для просмотра.".to_owned(),
            "Ссылки для родителей этого периода перестанут принимать ответы.".to_owned(),
            "Неотправленные черновики этого периода не попадут в отчёты.".to_owned(),
            "Отчёты за период больше не изменятся. Открыть период заново в интерфейсе нельзя.".to_owned(),
        ],
        action: format!("/periods/{}/close", period.id),
        button: "Закрыть период",
        back: "/network/periods".to_owned(),
    })
}

/// `POST /periods/{id}/close`.
pub(crate) async fn close_period(
    app: web::Data<App>,
    viewer: Viewer,
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.close_period(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other("/network/periods?done=period-closed"))
}

#[derive(Template)]
#[template(path = "kindergartens.html")]
struct KindergartensPage {
    layout: Layout,
    kindergartens: Vec<KindergartenLine>,
    creates: bool,
    errors: FieldErrors,
    number: String,
    short_name: String,
    full_name: String,
}

async fn kindergartens_page(
    app: &App,
    viewer: &Viewer,
    errors: FieldErrors,
    values: [String; 3],
    notice: Option<String>,
) -> Result<KindergartensPage, PageError> {
    let overview = app.network_overview(&viewer.principal).await?;
    let [number, short_name, full_name] = values;
    Ok(KindergartensPage {
        layout: Layout::signed_in(viewer, "Детские сады", "kindergartens").with_notice(notice),
        kindergartens: kindergarten_lines(&overview.kindergartens),
        creates: overview.creates_kindergartens,
        errors,
        number,
        short_name,
        full_name,
    })
}

/// `GET /network/kindergartens`.
pub(crate) async fn kindergartens(
    app: web::Data<App>,
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(
        &kindergartens_page(
            &app,
            &viewer,
            FieldErrors::default(),
            Default::default(),
            done.notice(),
        )
        .await?,
    )
}

/// `POST /network/kindergartens` (administrators).
pub(crate) async fn create_kindergarten(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let values = [
        form.text("number"),
        form.text("short_name"),
        form.text("full_name"),
    ];
    let ids = [
        ("number", "number"),
        ("short_name", "short_name"),
        ("full_name", "full_name"),
    ];
    let result = app
        .create_kindergarten(
            &viewer.principal,
            vsoko_app::org::KindergartenInput {
                number: values[0].clone(),
                short_name: values[1].clone(),
                full_name: values[2].clone(),
            },
        )
        .await;
    let refuse = |errors: Vec<FieldError>, status| async move {
        html_status(
            status,
            &kindergartens_page(&app, &viewer, FieldErrors::of(&errors, &ids), values, None)
                .await?,
        )
    };
    match result {
        Ok(_) => Ok(see_other("/network/kindergartens?done=kindergarten")),
        Err(AppError::Invalid { errors, .. }) => {
            refuse(errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Conflict { .. }) => {
            refuse(
                vec![FieldError::new(
                    "number",
                    "taken",
                    "детский сад с таким номером уже есть в сети",
                )],
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

struct UserLine {
    id: Id,
    login: String,
    role: &'static str,
    unit: String,
    active: bool,
    manageable: bool,
}

struct Choice {
    value: String,
    label: String,
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
            id: entry.user.id,
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
        })
        .collect();
    let kindergartens = overview
        .kindergartens
        .iter()
        .map(|entry| Choice {
            value: entry.kindergarten.id.to_string(),
            label: entry.kindergarten.short_name.clone(),
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
    match result {
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
        Err(AppError::Invalid { errors, .. }) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &accounts_page(
                &app,
                &viewer,
                FieldErrors::of(&errors, &ids),
                values,
                None,
                None,
            )
            .await?,
        ),
        Err(AppError::Conflict { .. }) => {
            let errors = [FieldError::new(
                "login",
                "taken",
                "этот логин уже занят: выберите другой",
            )];
            html_status(
                StatusCode::CONFLICT,
                &accounts_page(
                    &app,
                    &viewer,
                    FieldErrors::of(&errors, &ids),
                    values,
                    None,
                    None,
                )
                .await?,
            )
        }
        Err(other) => Err(other.into()),
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
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let user = app
        .managed_user(&viewer.principal, path.into_inner())
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
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let (user, password) = app
        .reset_password(&viewer.principal, path.into_inner())
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
    path: web::Path<Id>,
) -> Result<HttpResponse, PageError> {
    let user = app
        .managed_user(&viewer.principal, path.into_inner())
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
    path: web::Path<Id>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    app.deactivate_user(&viewer.principal, path.into_inner())
        .await?;
    Ok(see_other(&format!(
        "{}?done=account-off",
        accounts_home(&viewer).0
    )))
}
