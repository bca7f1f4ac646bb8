//! Answers of a page: a rendered template (never cached), a redirect after a POST, the notice
//! shown after an action.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use askama::Template;
use serde::Deserialize;

use crate::error::PageError;

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

/// A file to save under `name` (never cached).
pub(crate) fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
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
            "basis-saved" => "Основание сохранено: справки периода печатают его в шапке.",
            "district-saved" => "Район сохранён: наставнические пары учитывают его.",
            "settings" => "Правило охвата сохранено: отчёты уже считаются по нему.",
            "snils" => "Настройка хранения СНИЛС сохранена.",
            "period-closed" => "Период закрыт. Формы этого периода доступны только для просмотра.",
            "kindergarten" => "Детский сад добавлен.",
            "group" => "Группа добавлена.",
            "group-closed" => "Группа отмечена как закрытая.",
            "person-gone" => "Увольнение отмечено; учётная запись сотрудника отключена.",
            "account-off" => "Учётная запись отключена.",
            "link-closed" => "Ссылка закрыта: по ней больше не принимают ответы.",
            "training" => "Запись об обучении сохранена, охват пересчитан.",
            "route-submit" => "Маршрут отправлен на согласование заведующему.",
            "route-approve" => "Маршрут утверждён.",
            "route-return" => "Маршрут возвращён педагогу на доработку с замечанием.",
            "route-complete" => "Маршрут отмечен выполненным.",
            "route-close" => "Маршрут закрыт.",
            "route-marks" => "Отметки о выполнении сохранены.",
            "route-plan" => "План маршрута сохранён.",
            "list-mark" => "Решение сохранено.",
            "pair-proposed" => "Пара предложена: её согласуют заведующие обоих детских садов.",
            "pair-agreed" => "Пара согласована с вашей стороны.",
            "pair-withdrawn" => "Пара отозвана.",
            "plan-proposed" => {
                "Проект плана составлен по дефицитам. Проверьте мероприятия и измените то, что нужно; затем его согласуют заведующие."
            }
            "recommendation" => {
                "Рекомендация сохранена: заведующий увидит её в разделе «Рекомендации»."
            }
            "recommendation-answer" => "Ответ сохранён.",
            "recommendation-decision" => "Решение записано.",
            "plan-agreed" => "План согласован от вашего детского сада.",
            "plan-event" => "Мероприятие сохранено: это новая редакция плана.",
            "plan-event-removed" => "Мероприятие исключено из плана: это новая редакция плана.",
            "plan-attendance" => {
                "Участники отмечены: им добавлены записи об обучении, охват и маршруты пересчитаны."
            }
            "plan-changed" => {
                "Пока страница была открыта, план изменили. Перечитайте его и повторите действие."
            }
            "list-agreed" => "Список согласован.",
            "list-withdrawn" => "Согласование списка отозвано.",
            "training-imported" => "Записи из файла загружены, охват пересчитан.",
            "training-no-file" => "Выберите файл со списком курсов (CSV или XLSX).",
            "training-corrected" => {
                "Исправление сохранено как новая редакция записи, охват пересчитан."
            }
            "training-withdrawn" => {
                "Запись об обучении отозвана: в списках и охвате её больше нет, в истории она осталась."
            }
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// A document as a Word file to save.
pub(crate) fn docx(document: &vsoko_exchange::Document) -> Result<HttpResponse, PageError> {
    let bytes = vsoko_exchange::write_docx(document).map_err(vsoko_app::AppError::from)?;
    let names = &document.properties;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(header::ContentDisposition {
            disposition: header::DispositionType::Attachment,
            parameters: vec![
                header::DispositionParam::Filename(format!("{}.docx", names.ascii_file_name)),
                header::DispositionParam::FilenameExt(header::ExtendedValue {
                    charset: header::Charset::Ext("UTF-8".to_owned()),
                    language_tag: None,
                    value: format!("{}.docx", names.file_name).into_bytes(),
                }),
            ],
        })
        .body(bytes))
}

/// Sheets as an XLSX file to save.
pub(crate) fn xlsx(
    sheets: &[vsoko_exchange::Sheet],
    name: &str,
) -> Result<HttpResponse, PageError> {
    let bytes = vsoko_exchange::write_xlsx(sheets).map_err(vsoko_app::AppError::from)?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
        bytes,
    ))
}
