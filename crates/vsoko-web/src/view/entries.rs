//! A form in a list (a teacher's «Мои анкеты», a head's forms of a period), and where the viewer's
//! forms and results live.

use vsoko_app::Workplace;
use vsoko_app::forms::{FormEntry, FormState};

use crate::format::{self, period_text};
use crate::session::Viewer;

/// One form in a list.
pub(crate) struct EntryView {
    pub title: String,
    pub period: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub duration: String,
    pub href: String,
    pub action: &'static str,
    pub result: Option<(String, String)>,
}

pub(crate) fn entry_view(entry: &FormEntry) -> EntryView {
    let instrument = &entry.instrument.instrument;
    let period = &entry.period;
    let new_href = format!(
        "/forms/{}/{}",
        format::url_encode(instrument.code().as_str()),
        format::url_encode(&period.code)
    );
    let (href, action) = match (&entry.submission, entry.state) {
        (Some(submission), _) if entry.correction_draft.is_some() => (
            format!("/submissions/{}/correct", submission.id),
            "Продолжить исправление",
        ),
        (Some(submission), _) => (
            format!("/submissions/{}", submission.id),
            "Открыть результат",
        ),
        (None, FormState::Draft) => (new_href, "Продолжить"),
        (None, _) if entry.subject.is_none() => (new_href, "Заполнить"),
        (None, _) => (new_href, "Начать"),
    };
    let items = instrument.item_count();
    EntryView {
        title: instrument.title().to_owned(),
        period: period_text(period),
        state: if entry.correction_draft.is_some() {
            "отправлена, есть черновик исправления"
        } else {
            entry.state.label_ru()
        },
        state_class: match entry.state {
            FormState::NotStarted => "state-new",
            FormState::Draft => "state-draft",
            FormState::Submitted | FormState::Corrected => "state-done",
        },
        duration: format!(
            "{}, {} {}",
            vsoko_app::words::time_to_fill(items, instrument.respondent().is_anonymous()),
            items,
            format::plural(items, "вопрос", "вопроса", "вопросов")
        ),
        href,
        action,
        result: entry.submission.as_ref().map(|submission| {
            (
                "Отправлено".to_owned(),
                format::datetime(submission.submitted_at),
            )
        }),
    }
}

/// The start page of where the viewer works.
pub(crate) fn home_of(viewer: &Viewer) -> String {
    match viewer.principal.workplace() {
        Workplace::OwnForms => "/forms".to_owned(),
        Workplace::Kindergarten(id) => format!("/kindergartens/{id}"),
        Workplace::Network => "/network".to_owned(),
    }
}

/// The navigation section forms and results belong to for the viewer.
pub(crate) fn section_of(viewer: &Viewer) -> &'static str {
    match viewer.principal.workplace() {
        Workplace::OwnForms => "forms",
        Workplace::Kindergarten(_) => "kindergarten",
        Workplace::Network => "network",
    }
}
