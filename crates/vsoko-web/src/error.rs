//! What a page answers instead of itself: [`PageError`], one Russian error page per kind (403,
//! 404, 409, 410, 429, 500 with the request id, 503), or a redirect to the sign-in page.
//!
//! Handlers return `Result<_, PageError>`; `?` on a use case's `AppError` maps it here, in one
//! `match`. A form refused as invalid is not an error page: its handler shows the form again with
//! the errors next to the fields.

use std::fmt;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use askama::Template;
use tracing_actix_web::RequestId;
use vsoko_app::AppError;

/// Everything a page can answer with instead of itself.
#[derive(Debug)]
pub enum PageError {
    /// Not signed in (or the session ended): to the sign-in page, then back to `next`.
    SignIn {
        /// The page to come back to.
        next: Option<String>,
    },
    /// A form without the right CSRF token (or one shown before the session changed).
    Csrf,
    /// A request no page can read (a malformed form body).
    BadRequest(String),
    /// An address whose parameters a page cannot read (`?period=` of another shape, a
    /// parameter missing).
    BadAddress(String),
    /// No such page or record.
    NotFound,
    /// What a use case answered.
    App(AppError),
}

impl PageError {
    /// An impossible state, as an opaque 500.
    pub fn internal(message: &str) -> PageError {
        PageError::App(AppError::unexpected(message))
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::SignIn { .. } => f.write_str("sign-in required"),
            PageError::Csrf => f.write_str("missing or wrong CSRF token"),
            PageError::BadRequest(detail) => write!(f, "bad request: {detail}"),
            PageError::BadAddress(detail) => write!(f, "bad address: {detail}"),
            PageError::NotFound => f.write_str("not found"),
            PageError::App(error) => write!(f, "{error}"),
        }
    }
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Unauthorized(_) => PageError::SignIn { next: None },
            AppError::NotFound(_) => PageError::NotFound,
            AppError::Unexpected(ref cause) => {
                tracing::error!(error = %cause, source = ?std::error::Error::source(&error), "page failed");
                PageError::App(error)
            }
            AppError::Unavailable(ref cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                PageError::App(error)
            }
            other => PageError::App(other),
        }
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: String,
    request_id: Option<String>,
    retry_minutes: Option<u64>,
}

impl PageError {
    fn status(&self) -> StatusCode {
        match self {
            PageError::SignIn { .. } => StatusCode::SEE_OTHER,
            PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) | PageError::BadAddress(_) => StatusCode::BAD_REQUEST,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::App(error) => match error {
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Unauthorized(_) => StatusCode::SEE_OTHER,
                AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                AppError::Gone(_) => StatusCode::GONE,
                AppError::Unavailable(_) | AppError::Overloaded { .. } => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            PageError::App(AppError::Throttled { retry_after_secs }) => Some(*retry_after_secs),
            PageError::App(AppError::Unavailable(_)) => Some(5),
            PageError::App(AppError::Overloaded { retry_after_secs }) => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The page, in Russian; `request_id` is shown on a 500 so that the administrator can find
    /// the cause in the log.
    fn page(&self, request_id: Option<String>) -> String {
        let status = self.status();
        let (title, message): (&str, String) = match self {
            PageError::SignIn { .. } => ("Нужно войти", "Войдите в систему.".to_owned()),
            PageError::Csrf => (
                "Форма устарела",
                "Страница с формой была открыта до входа в систему или в другом окне. Вернитесь назад, обновите страницу и отправьте форму ещё раз: введённое сохранено в черновике, если он был."
                    .to_owned(),
            ),
            PageError::BadRequest(_) => (
                "Запрос не распознан",
                "Браузер отправил форму, которую сервер не может прочитать. Обновите страницу и попробуйте ещё раз.".to_owned(),
            ),
            PageError::BadAddress(_) => (
                "Адрес страницы неполный",
                "В адресе страницы не хватает параметров или они указаны неверно. Откройте страницу из меню или вернитесь назад и выберите значения в форме.".to_owned(),
            ),
            PageError::NotFound => (
                "Страница не найдена",
                "Такой страницы нет, или она вам недоступна. Проверьте адрес или вернитесь на главную.".to_owned(),
            ),
            PageError::App(error) => match error {
                AppError::Invalid { errors, .. } => (
                    "Данные не приняты",
                    errors
                        .iter()
                        .map(|error| error.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                AppError::Throttled { .. } => (
                    "Слишком много попыток",
                    "Повторите попытку немного позже.".to_owned(),
                ),
                AppError::Forbidden(_) => (
                    "Доступ запрещён",
                    "Это действие недоступно для вашей роли. Если оно нужно вам по работе, обратитесь к заведующему или в управление образования.".to_owned(),
                ),
                AppError::Conflict { detail, .. } => ("Действие не выполнено", conflict_ru(detail)),
                AppError::Gone(message) => ("Ссылка больше не действует", message.clone()),
                AppError::Overloaded { .. } => (
                    "Сервис перегружен",
                    "Сервис перегружен, повторите через минуту. Отчёты сейчас запрашивают очень многие; формы и отправка ответов работают.".to_owned(),
                ),
                AppError::Unavailable(_) => (
                    "Сервис временно недоступен",
                    "База данных сейчас недоступна. Повторите через несколько секунд — введённые данные не потеряны, если вы не закрыли страницу.".to_owned(),
                ),
                _ => (
                    "Внутренняя ошибка",
                    "Что-то пошло не так на сервере. Сообщите администратору номер запроса — по нему он найдёт причину в журнале.".to_owned(),
                ),
            },
        };
        let request_id = request_id.filter(|_| status.is_server_error());
        ErrorPage {
            status: status.as_u16(),
            title,
            message,
            request_id,
            retry_minutes: self.retry_after().map(|secs| secs.div_ceil(60)),
        }
        .render()
        .unwrap_or_else(|_| title.to_owned())
    }
}

/// A conflict's detail for a person: the use cases word the ones a page can meet in Russian; an
/// English one (a client's mistake the API reports) is replaced by a general sentence.
fn conflict_ru(detail: &str) -> String {
    if detail
        .chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    {
        detail.to_owned()
    } else {
        "Данные изменились, пока страница была открыта. Обновите страницу и повторите действие."
            .to_owned()
    }
}

/// What an address a page cannot read answers — for the adapters that own the extractors'
/// error handlers (they answer the API's problem+json under `/api/`): a path parameter of
/// another shape (`/kindergartens/abc`) is the Russian 404 page, a query the page cannot read
/// the Russian 400 page.
pub fn address_error(in_path: bool, detail: String) -> actix_web::Error {
    match in_path {
        true => PageError::NotFound.into(),
        false => PageError::BadAddress(detail).into(),
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        if let PageError::SignIn { .. } | PageError::App(AppError::Unauthorized(_)) = self {
            let next = match self {
                PageError::SignIn { next: Some(next) } => next.clone(),
                _ => String::new(),
            };
            let location = if next.is_empty() || next == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={}", crate::format::url_encode(&next))
            };
            return response
                .insert_header((header::LOCATION, location))
                .finish();
        }
        if let Some(seconds) = self.retry_after() {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .content_type("text/html; charset=utf-8")
            .body(self.page(None))
    }
}

/// Middleware step: a page's 5xx answer is drawn again with the request's id (the id the log
/// lines of the request carry), which the answer alone does not know.
pub fn render_error_pages<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> ServiceResponse<EitherBody<B>> {
    let page = response
        .response()
        .error()
        .and_then(|error| error.as_error::<PageError>())
        .filter(|error| error.status().is_server_error())
        .map(|error| {
            let id = response
                .request()
                .extensions()
                .get::<RequestId>()
                .map(ToString::to_string);
            error.page(id)
        });
    match page {
        Some(page) => {
            let (request, answer) = response.into_parts();
            let answer = answer.set_body(page).map_into_boxed_body();
            ServiceResponse::new(request, answer).map_into_right_body()
        }
        None => response.map_into_left_body(),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::dev::Service;
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use actix_web::{App, web};
    use tracing_actix_web::TracingLogger;

    use super::*;

    async fn failing() -> Result<HttpResponse, PageError> {
        Err(PageError::internal("the test's failure"))
    }

    async fn missing() -> Result<HttpResponse, PageError> {
        Err(PageError::NotFound)
    }

    #[actix_web::test]
    async fn a_500_page_is_russian_and_names_the_request_id_a_404_does_not() {
        let app = init_service(
            App::new()
                .route("/fail", web::get().to(failing))
                .route("/missing", web::get().to(missing))
                .wrap_fn(|request, service| {
                    let response = service.call(request);
                    async move { Ok(render_error_pages(response.await?)) }
                })
                .wrap(TracingLogger::default()),
        )
        .await;
        let response = call_service(&app, TestRequest::get().uri("/fail").to_request()).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = String::from_utf8(read_body(response).await.to_vec()).unwrap();
        assert!(body.contains("Внутренняя ошибка"), "{body}");
        assert!(body.contains("Номер запроса: <code>"), "{body}");
        assert!(
            !body.contains("the test's failure"),
            "the cause stays in the log"
        );

        let response = call_service(&app, TestRequest::get().uri("/missing").to_request()).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = String::from_utf8(read_body(response).await.to_vec()).unwrap();
        assert!(body.contains("Страница не найдена"), "{body}");
        assert!(!body.contains("Номер запроса"), "{body}");
    }

    #[test]
    fn signing_in_again_returns_to_the_page_asked_for() {
        let response = PageError::SignIn {
            next: Some("/forms?period=2025-05".to_owned()),
        }
        .error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(header::LOCATION).unwrap(),
            "/login?next=%2Fforms%3Fperiod%3D2025-05"
        );
    }

    #[test]
    fn a_throttled_answer_says_when_to_retry() {
        let response = PageError::App(AppError::Throttled {
            retry_after_secs: 61,
        })
        .error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "61");
    }

    #[test]
    fn a_shed_report_page_says_the_service_is_overloaded_and_when_to_retry() {
        let error = PageError::App(AppError::Overloaded {
            retry_after_secs: 60,
        });
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "60");
        let page = error.page(None);
        assert!(
            page.contains("Сервис перегружен, повторите через минуту."),
            "{page}"
        );
    }
}
