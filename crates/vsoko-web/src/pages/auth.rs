//! Signing in and out, the start page of each role, «Мой профиль».

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use vsoko_app::{App, AppError};

use crate::WebConfig;
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::FieldErrors;
use crate::layout::Layout;
use crate::session::{Viewer, cleared_cookie, session_cookie, session_token};
use crate::view::{Done, html, html_status, see_other};

/// `GET /`: the start page of the signed-in role, or the sign-in page.
pub(crate) async fn home(viewer: OptionalViewer) -> HttpResponse {
    match viewer.0 {
        Some(viewer) => see_other(&crate::view::entries::home_of(&viewer)),
        None => see_other("/login"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    errors: FieldErrors,
    login: String,
    next: String,
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

/// Only a path of this site is returned to after signing in (never `//host` or `https://…`).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.starts_with("/\\")
                && !next.chars().any(char::is_control) =>
        {
            next.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn login_response(
    request: &HttpRequest,
    config: &WebConfig,
    status: StatusCode,
    errors: FieldErrors,
    login: String,
    next: String,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let (csrf, cookie) = crate::csrf::token_for(request, config);
    let mut response = html_status(
        status,
        &LoginPage {
            layout: Layout::public("Вход", csrf).with_notice(notice),
            errors,
            login,
            next,
        },
    )?;
    if let Some(cookie) = cookie {
        response
            .add_cookie(&cookie)
            .map_err(|_| PageError::internal("a cookie could not be set"))?;
    }
    Ok(response)
}

/// `GET /login`.
pub(crate) async fn login_page(
    request: HttpRequest,
    config: web::Data<WebConfig>,
    viewer: OptionalViewer,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref());
    if viewer.0.is_some() {
        return Ok(see_other(&next));
    }
    let notice = match query.done.as_deref() {
        Some("signed-out") => Some("Вы вышли из системы.".to_owned()),
        _ => None,
    };
    login_response(
        &request,
        &config,
        StatusCode::OK,
        FieldErrors::default(),
        String::new(),
        next,
        notice,
    )
}

/// `POST /login`: a session cookie and back to the page asked for, or the form again.
pub(crate) async fn login(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let login = form.text("login");
    let password = form.text("password");
    let next = safe_next(form.get("next"));
    let client = crate::client_address(&request, config.trust_forwarded);
    match app
        .login(
            login.trim(),
            &password,
            client.as_deref(),
            config.session_ttl,
        )
        .await
    {
        Ok(signed_in) => {
            crate::session::note_user(&request, signed_in.user.id);
            let mut response = see_other(&next);
            response
                .add_cookie(&session_cookie(&signed_in.token, &config))
                .map_err(|_| PageError::internal("a cookie could not be set"))?;
            Ok(response)
        }
        Err(AppError::Unauthorized(_)) => login_response(
            &request,
            &config,
            StatusCode::UNAUTHORIZED,
            FieldErrors::general(
                "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
                "login",
            ),
            login,
            next,
            None,
        ),
        Err(AppError::Throttled { retry_after_secs }) => {
            let mut response = login_response(
                &request,
                &config,
                StatusCode::TOO_MANY_REQUESTS,
                FieldErrors::general(
                    &format!(
                        "Слишком много неудачных попыток входа. Повторите через {} мин. или обратитесь к заведующему (педагогам) или в управление образования, чтобы сбросить пароль.",
                        retry_after_secs.div_ceil(60)
                    ),
                    "login",
                ),
                login,
                next,
                None,
            )?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_secs),
            );
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /logout`: the session ends (its token is revoked) and the cookie goes.
pub(crate) async fn logout(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    _form: PostedForm,
) -> Result<HttpResponse, PageError> {
    if let Some(token) = session_token(&request) {
        app.logout(&token).await?;
    }
    let mut response = see_other("/login?done=signed-out");
    response
        .add_cookie(&cleared_cookie(&config))
        .map_err(|_| PageError::internal("a cookie could not be set"))?;
    Ok(response)
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    facts: Vec<(String, String)>,
    errors: FieldErrors,
}

fn profile_page(viewer: &Viewer, errors: FieldErrors, notice: Option<String>) -> ProfilePage {
    let account = &viewer.account;
    let mut facts = vec![
        ("Логин".to_owned(), account.user.login.clone()),
        (
            "Роль".to_owned(),
            crate::format::role(viewer.principal.role()).to_owned(),
        ),
    ];
    if let Some(person) = &account.person {
        facts.push(("ФИО".to_owned(), person.full_name.clone()));
        facts.push(("Должность".to_owned(), person.position.clone()));
    }
    if let Some(kindergarten) = &account.kindergarten {
        facts.push(("Детский сад".to_owned(), kindergarten.full_name.clone()));
    }
    facts.push((
        "Учётная запись создана".to_owned(),
        crate::format::datetime(account.user.created_at),
    ));
    ProfilePage {
        layout: Layout::signed_in(viewer, "Мой профиль", "profile").with_notice(notice),
        facts,
        errors,
    }
}

/// `GET /profile`.
pub(crate) async fn profile(
    viewer: Viewer,
    done: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    html(&profile_page(
        &viewer,
        FieldErrors::default(),
        done.notice(),
    ))
}

/// `POST /profile/password`.
pub(crate) async fn change_password(
    app: web::Data<App>,
    viewer: Viewer,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let ids = [
        ("current_password", "current_password"),
        ("new_password", "new_password"),
        ("repeat_password", "repeat_password"),
    ];
    let current = form.text("current_password");
    let new = form.text("new_password");
    if new != form.text("repeat_password") {
        let errors = vec![vsoko_app::FieldError::new(
            "repeat_password",
            "mismatch",
            "новый пароль и его повтор не совпадают",
        )];
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &profile_page(&viewer, FieldErrors::of(&errors, &ids), None),
        );
    }
    match app
        .change_password(&viewer.principal, Some(&viewer.token), &current, &new)
        .await
    {
        Ok(_) => Ok(see_other("/profile?done=password")),
        Err(AppError::Invalid { errors, .. }) => html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &profile_page(&viewer, FieldErrors::of(&errors, &ids), None),
        ),
        Err(other) => Err(other.into()),
    }
}

/// A session that may be missing: the start and sign-in pages.
impl actix_web::FromRequest for OptionalViewer {
    type Error = PageError;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let viewer = Viewer::from_request(request, payload);
        Box::pin(async move {
            match viewer.await {
                Ok(viewer) => Ok(OptionalViewer(Some(viewer))),
                Err(PageError::SignIn { .. }) => Ok(OptionalViewer(None)),
                Err(other) => Err(other),
            }
        })
    }
}

/// [`Viewer`], when signed in.
pub(crate) struct OptionalViewer(pub Option<Viewer>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(safe_next(Some("/forms")), "/forms");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
