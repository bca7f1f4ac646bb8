//! The parents' questionnaire, opened from a printed link or QR code without an account: the
//! form, then a thank-you page. Nothing identifying is kept (see `vsoko_app::links`).
//!
//! One device, one response per link: the form's idempotency key lives in a cookie scoped to the
//! link's address (a random value, no identity), so the form shown again after «Назад» or a
//! reload is sent with the same key and stores nothing more; once sent, a second cookie marks
//! the link as answered on this device and the link shows that instead of the form. Another
//! parent on the same device answers through another link the head opens for them.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use vsoko_app::{App, AppError, FieldError};

use crate::WebConfig;
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::{FormView, parse_posted};
use crate::format::period_text;
use crate::layout::Layout;
use crate::view::form_page::{FormPage, paragraphs};
use crate::view::{html, html_status, see_other};

/// The cookie holding the form's idempotency key on this device (scoped to the link's address).
const KEY_COOKIE: &str = "vsoko_form_key";
/// The cookie saying that this device has answered through the link.
const SENT_COOKIE: &str = "vsoko_sent";
/// How long a device remembers a link: longer than any period.
const REMEMBER_DAYS: i64 = 400;

#[derive(Template)]
#[template(path = "thanks.html")]
struct Thanks {
    layout: Layout,
    /// The answers came again (a form sent twice): nothing more was stored.
    again: bool,
    /// The link was answered on this device before: no form is shown.
    answered: bool,
}

#[derive(serde::Deserialize)]
pub(crate) struct ThanksQuery {
    again: Option<String>,
}

/// `GET /s/thanks`.
pub(crate) async fn thanks(query: web::Query<ThanksQuery>) -> Result<HttpResponse, PageError> {
    html(&Thanks {
        layout: Layout::public("Спасибо", String::new()),
        again: query.again.is_some(),
        answered: false,
    })
}

/// A cookie of one link, on this device only.
fn link_cookie(
    name: &'static str,
    value: String,
    token: &str,
    config: &WebConfig,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(format!("/s/{}", crate::format::url_encode(token)))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(actix_web::cookie::time::Duration::days(REMEMBER_DAYS))
        .finish()
}

/// The idempotency key of this device's form for a link: the one its cookie holds, or a new one
/// (with the cookie to set).
fn device_key(request: &HttpRequest) -> (String, bool) {
    match request.cookie(KEY_COOKIE) {
        Some(cookie) if vsoko_app::forms::is_form_key(cookie.value()) => {
            (cookie.value().to_owned(), false)
        }
        _ => (vsoko_app::forms::new_form_key(), true),
    }
}

fn add_cookie(response: &mut HttpResponse, cookie: &Cookie<'_>) -> Result<(), PageError> {
    response
        .add_cookie(cookie)
        .map_err(|_| PageError::internal("a cookie could not be set"))
}

async fn page(
    request: &HttpRequest,
    app: &App,
    config: &WebConfig,
    token: &str,
    values: &vsoko_app::forms::FormValues,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let survey = app.public_survey(token).await?;
    if request.cookie(SENT_COOKIE).is_some() {
        // Answered on this device: say so; another parent answers through a link of their own.
        return html(&Thanks {
            layout: Layout::public(survey.instrument.title(), String::new()),
            again: false,
            answered: true,
        });
    }
    let (csrf, cookie) = crate::csrf::token_for(request, config);
    let (idempotency_key, new_key) = device_key(request);
    let mut facts = vec![("Детский сад".to_owned(), survey.kindergarten.clone())];
    if let Some(group) = &survey.group {
        facts.push(("Группа".to_owned(), group.clone()));
    }
    facts.push(("Период".to_owned(), period_text(&survey.period)));
    let form = FormPage {
        layout: Layout::public(survey.instrument.title(), csrf),
        heading: survey.instrument.title().to_owned(),
        facts,
        intro: paragraphs(&survey.instrument),
        read_only: None,
        already: None,
        view: FormView::build(&survey.instrument, values, errors, false, &[]),
        action: format!("/s/{}", crate::format::url_encode(token)),
        idempotency_key: idempotency_key.clone(),
        drafts: false,
        draft_saved: None,
        subject_choices: None,
        subject_label: "",
        observed_on: None,
        send_label: "Отправить ответы",
        back: None,
    };
    let mut response = html_status(status, &form)?;
    if let Some(cookie) = cookie {
        add_cookie(&mut response, &cookie)?;
    }
    if new_key {
        add_cookie(
            &mut response,
            &link_cookie(KEY_COOKIE, idempotency_key, token, config),
        )?;
    }
    Ok(response)
}

/// `GET /s/{token}`: the questionnaire. A withdrawn link or a closed period answers with a
/// plain Russian message (410), an unknown one with «not found».
pub(crate) async fn survey(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    page(
        &request,
        &app,
        &config,
        &path.into_inner(),
        &Default::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /s/{token}`: one response (the form's idempotency key makes a double click, «Назад» and
/// sending again one), then the thank-you page; invalid answers show the form again with the
/// errors, each field's its own.
pub(crate) async fn answer(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    path: web::Path<String>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let (_, input) = parse_posted(&form);
    let client = crate::client_address(&request, config.trust_forwarded);
    let outcome = app
        .submit_public_form(
            &token,
            client.as_deref(),
            &input.values,
            input.idempotency_key.clone(),
        )
        .await;
    let again = match outcome {
        Ok(created) => !created,
        Err(AppError::Conflict {
            code: "idempotency_key_reused",
            ..
        }) => true,
        Err(AppError::Invalid { errors, .. }) => {
            return page(
                &request,
                &app,
                &config,
                &token,
                &input.values,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = see_other(if again {
        "/s/thanks?again=1"
    } else {
        "/s/thanks"
    });
    add_cookie(
        &mut response,
        &link_cookie(SENT_COOKIE, "1".to_owned(), &token, &config),
    )?;
    Ok(response)
}
