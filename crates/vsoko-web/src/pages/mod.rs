//! The pages, one module per area, and what they share: rendering a template into a response,
//! redirects after a POST, the notices shown after an action.

mod auth;
mod completion;
mod dashboards;
pub(crate) mod forms;
mod imports;
mod kindergarten;
mod network;
mod public;
pub(crate) mod results;
mod spravka;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::error::PageError;

/// Registers every page.
pub(crate) fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(auth::home))
        .route("/static/{name}", web::get().to(crate::assets::serve))
        .route("/login", web::get().to(auth::login_page))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/profile", web::get().to(auth::profile))
        .route("/profile/password", web::post().to(auth::change_password))
        .route("/forms", web::get().to(forms::list))
        .route(
            "/forms/{instrument}/{period}",
            web::get().to(forms::show_new),
        )
        .route(
            "/forms/{instrument}/{period}",
            web::post().to(forms::post_new),
        )
        .route(
            "/forms/{instrument}/{period}/discard",
            web::get().to(forms::confirm_discard_new),
        )
        .route(
            "/forms/{instrument}/{period}/discard",
            web::post().to(forms::discard_new),
        )
        .route("/submissions/{id}", web::get().to(forms::show_submission))
        .route(
            "/submissions/{id}/correct",
            web::get().to(forms::show_correction),
        )
        .route(
            "/submissions/{id}/correct",
            web::post().to(forms::post_correction),
        )
        .route(
            "/submissions/{id}/correct/discard",
            web::get().to(forms::confirm_discard_correction),
        )
        .route(
            "/submissions/{id}/correct/discard",
            web::post().to(forms::discard_correction),
        )
        .route("/kindergartens/{id}", web::get().to(kindergarten::overview))
        .route(
            "/kindergartens/{id}/staff",
            web::get().to(kindergarten::staff),
        )
        .route(
            "/kindergartens/{id}/staff",
            web::post().to(kindergarten::add_teacher),
        )
        .route(
            "/kindergartens/{id}/groups",
            web::post().to(kindergarten::add_group),
        )
        .route(
            "/kindergartens/{id}/completion",
            web::get().to(completion::kindergarten),
        )
        .route("/network/completion", web::get().to(completion::network))
        .route(
            "/kindergartens/{id}/links",
            web::get().to(kindergarten::links),
        )
        .route(
            "/kindergartens/{id}/links",
            web::post().to(kindergarten::open_links),
        )
        .route(
            "/links/{id}/close",
            web::get().to(kindergarten::confirm_close_link),
        )
        .route(
            "/links/{id}/close",
            web::post().to(kindergarten::close_link),
        )
        .route(
            "/people/{id}/deactivate",
            web::get().to(kindergarten::confirm_person),
        )
        .route(
            "/people/{id}/deactivate",
            web::post().to(kindergarten::deactivate_person),
        )
        .route(
            "/groups/{id}/deactivate",
            web::get().to(kindergarten::confirm_group),
        )
        .route(
            "/groups/{id}/deactivate",
            web::post().to(kindergarten::deactivate_group),
        )
        .route(
            "/accounts/{id}/reset-password",
            web::get().to(network::confirm_reset_password),
        )
        .route(
            "/accounts/{id}/reset-password",
            web::post().to(network::reset_password),
        )
        .route(
            "/accounts/{id}/deactivate",
            web::get().to(network::confirm_account),
        )
        .route(
            "/accounts/{id}/deactivate",
            web::post().to(network::deactivate_account),
        )
        .route("/network", web::get().to(network::overview))
        .route("/network/settings", web::post().to(network::save_settings))
        .route("/network/periods", web::get().to(network::periods))
        .route("/network/periods", web::post().to(network::open_period))
        .route("/periods/{id}/close", web::get().to(network::confirm_close))
        .route("/periods/{id}/close", web::post().to(network::close_period))
        .route(
            "/network/kindergartens",
            web::get().to(network::kindergartens),
        )
        .route(
            "/network/kindergartens",
            web::post().to(network::create_kindergarten),
        )
        .route("/network/accounts", web::get().to(network::accounts))
        .route("/network/accounts", web::post().to(network::create_account))
        .route("/results", web::get().to(results::own_results))
        .route(
            "/teachers/{id}/results",
            web::get().to(results::teacher_results),
        )
        .route(
            "/kindergartens/{id}/dashboard",
            web::get().to(dashboards::kindergarten_dashboard),
        )
        .route(
            "/network/dashboard",
            web::get().to(dashboards::network_dashboard),
        )
        .route("/reports/file", web::get().to(results::report_file))
        .route(
            "/kindergartens/{id}/spravka",
            web::get().to(spravka::kindergarten),
        )
        .route(
            "/kindergartens/{id}/spravka.docx",
            web::get().to(spravka::kindergarten_docx),
        )
        .route("/network/spravka", web::get().to(spravka::network))
        .route(
            "/network/spravka.docx",
            web::get().to(spravka::network_docx),
        )
        .route("/imports/new", web::get().to(imports::new))
        .route("/imports", web::post().to(imports::upload))
        .route("/imports/{id}", web::get().to(imports::check))
        .route("/imports/{id}", web::post().to(imports::act))
        .route("/s/thanks", web::get().to(public::thanks))
        .route("/s/{token}", web::get().to(public::survey))
        .route("/s/{token}", web::post().to(public::answer));
}

/// A page: the rendered template, never cached (pages show personal data).
pub(crate) fn html<T: Template>(template: &T) -> Result<HttpResponse, PageError> {
    html_status(StatusCode::OK, template)
}

/// A page with another status (a form shown again with its errors: 422).
pub(crate) fn html_status<T: Template>(
    status: StatusCode,
    template: &T,
) -> Result<HttpResponse, PageError> {
    let body = template.render().map_err(|error| {
        tracing::error!(%error, "a template failed to render");
        PageError::internal("a template failed to render")
    })?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(body))
}

/// `303 See Other` to `location`: the answer to a POST, so that reloading the page never sends
/// the form again.
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The `?done=` of a page reached after an action: which notice to show. Only known codes show a
/// (fixed) text; nothing from the address is echoed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    done: Option<String>,
}

impl From<Option<String>> for Done {
    fn from(done: Option<String>) -> Self {
        Done { done }
    }
}

impl Done {
    /// The notice, in Russian.
    pub(crate) fn notice(&self) -> Option<String> {
        let text = match self.done.as_deref()? {
            "sent" => "Ответы отправлены. Спасибо!",
            "resent" => "Эти ответы уже были отправлены — повторная отправка ничего не добавила.",
            "already" => {
                "Эта форма за период уже отправлена. Чтобы изменить ответы, нажмите «Исправить ответы»."
            }
            "card" => "Карта сохранена.",
            "corrected" => "Исправление сохранено. Прежние ответы остались в истории.",
            "draft" => "Черновик сохранён. Его можно продолжить на любом устройстве.",
            "discarded" => "Черновик удалён.",
            "kept-correction" => {
                "Эта форма уже была отправлена, поэтому новые ответы не отправлены, а сохранены как черновик исправления. Чтобы они заменили отправленные, нажмите «Продолжить исправление» и сохраните исправление."
            }
            "superseded" => {
                "Пока форма была открыта, эти ответы уже исправили. Ваши ответы сохранены как черновик исправления последней редакции: проверьте их и сохраните исправление."
            }
            "superseded-lost" => {
                "Пока форма была открыта, эти ответы уже исправили; ваши изменения не сохранены. Откройте исправление последней редакции."
            }
            "password" => "Пароль изменён. Другие сеансы этой учётной записи завершены.",
            "period-opened" => "Период открыт.",
            "settings" => "Правило охвата сохранено: отчёты уже считаются по нему.",
            "period-closed" => "Период закрыт. Формы этого периода доступны только для просмотра.",
            "kindergarten" => "Детский сад добавлен.",
            "group" => "Группа добавлена.",
            "group-closed" => "Группа отмечена как закрытая.",
            "person-gone" => "Увольнение отмечено; учётная запись сотрудника отключена.",
            "account-off" => "Учётная запись отключена.",
            "link-closed" => "Ссылка закрыта: по ней больше не принимают ответы.",
            _ => return None,
        };
        Some(text.to_owned())
    }
}
