//! The parents' questionnaire, opened from a printed link or QR code without an account: the
//! form, then a thank-you page. Nothing identifying is kept (see `vsoko_app::links`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use vsoko_app::links::PublicResponse;
use vsoko_app::{App, AppError, FieldError};

use super::forms::{FormPage, paragraphs, period_text};
use super::{html, html_status, see_other};
use crate::WebConfig;
use crate::csrf::PostedForm;
use crate::error::PageError;
use crate::form::{FormView, parse_posted};
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "thanks.html")]
struct Thanks {
    layout: Layout,
}

/// `GET /s/thanks`.
pub(crate) async fn thanks() -> Result<HttpResponse, PageError> {
    html(&Thanks {
        layout: Layout::public("Спасибо", String::new()),
    })
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
    let (csrf, cookie) = crate::csrf::token_for(request, config);
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
        view: FormView::build(&survey.instrument, values, errors, false),
        action: format!("/s/{}", crate::format::url_encode(token)),
        idempotency_key: vsoko_app::forms::new_form_key(),
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
        response
            .add_cookie(&cookie)
            .map_err(|_| PageError::internal("a cookie could not be set"))?;
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

/// `POST /s/{token}`: one response (the form's idempotency key makes a double click one), then
/// the thank-you page; invalid answers show the form again with the errors.
pub(crate) async fn answer(
    request: HttpRequest,
    app: web::Data<App>,
    config: web::Data<WebConfig>,
    path: web::Path<String>,
    form: PostedForm,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let (_, input) = parse_posted(&form);
    let answers = match vsoko_app::forms::answers_of(&input.values) {
        Ok(answers) => answers,
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
    let client = crate::client_address(&request, config.trust_forwarded);
    match app
        .submit_public(
            &token,
            client.as_deref(),
            PublicResponse {
                idempotency_key: input.idempotency_key.clone(),
                answers,
            },
        )
        .await
    {
        Ok(_) => Ok(see_other("/s/thanks")),
        Err(AppError::Invalid { errors, .. }) => {
            page(
                &request,
                &app,
                &config,
                &token,
                &input.values,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
