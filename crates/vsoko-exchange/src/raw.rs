//! Raw submissions in long format: one row per answer, each carrying its own instrument version.

use vsoko_checklist::{AnswerSheet, AnswerValue, Instrument};

use crate::sheet::{Cell, Column, ColumnKind, Sheet};

/// One stored submission revision, as the storage layer hands it over for export.
#[derive(Debug, Clone, Copy)]
pub struct RawSubmission<'a> {
    /// The submission's id.
    pub submission_id: i64,
    /// The revision number.
    pub revision: u32,
    /// The instrument version the answers were given against (not the latest one).
    pub instrument: &'a Instrument,
    /// The period, as shown to users (e.g. «2025–2026, сентябрь»).
    pub period: &'a str,
    /// The kindergarten's name.
    pub kindergarten: &'a str,
    /// Who answered (name or e-mail; empty for anonymous instruments).
    pub respondent: &'a str,
    /// The respondent's e-mail, when a form export gave one.
    pub email: Option<&'a str>,
    /// What was assessed (teacher, group, kindergarten), as shown to users.
    pub subject: &'a str,
    /// The answers.
    pub answers: &'a AnswerSheet,
}

/// The headers of [`raw_submissions_sheet`], in order.
pub const RAW_HEADERS: [&str; 15] = [
    "ID анкеты",
    "Редакция",
    "Код инструмента",
    "Версия инструмента",
    "Период",
    "Детский сад",
    "Респондент",
    "Эл. почта",
    "Объект оценки",
    "Код пункта",
    "Текст пункта",
    "Значение",
    "Вариант ответа",
    "Не применимо",
    "Комментарий",
];

/// Builds the raw-data sheet: one row per answer, in the order given and by item code within a
/// submission. Item texts and option labels come from each submission's own instrument version,
/// so answers to items that later versions dropped are kept.
pub fn raw_submissions_sheet<'a>(
    name: &str,
    submissions: impl IntoIterator<Item = RawSubmission<'a>>,
) -> Sheet {
    let kinds = [
        ColumnKind::Integer,
        ColumnKind::Integer,
        ColumnKind::Text,
        ColumnKind::Integer,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Number,
        ColumnKind::Text,
        ColumnKind::Text,
        ColumnKind::Text,
    ];
    let columns = RAW_HEADERS
        .iter()
        .zip(kinds)
        .map(|(header, kind)| Column::new(*header, kind))
        .collect();
    let mut rows = Vec::new();
    for submission in submissions {
        let instrument = submission.instrument;
        for (code, answer) in submission.answers.iter() {
            let item = instrument.item(code.as_str());
            let text = item.map(|item| item.item.text()).unwrap_or("");
            let (value, label, na) = match answer.value {
                AnswerValue::Value(value) => (
                    Cell::Number(value),
                    item.and_then(|item| item.scale.option(value))
                        .map(|option| option.label().to_owned())
                        .unwrap_or_default(),
                    "нет",
                ),
                AnswerValue::NotApplicable => (
                    Cell::Empty,
                    item.and_then(|item| item.scale.na_label())
                        .unwrap_or("Не применимо")
                        .to_owned(),
                    "да",
                ),
            };
            rows.push(vec![
                Cell::from(submission.submission_id),
                Cell::Number(f64::from(submission.revision)),
                Cell::from(instrument.code().as_str()),
                Cell::Number(f64::from(instrument.version())),
                Cell::from(submission.period),
                Cell::from(submission.kindergarten),
                Cell::from(submission.respondent),
                Cell::from(submission.email.unwrap_or("")),
                Cell::from(submission.subject),
                Cell::from(code.as_str()),
                Cell::from(text),
                value,
                Cell::from(label),
                Cell::from(na),
                Cell::from(answer.comment.clone()),
            ]);
        }
    }
    Sheet {
        name: name.to_owned(),
        columns,
        rows,
    }
}
