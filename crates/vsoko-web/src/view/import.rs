//! The import wizard's choices in words: what a column of the file is mapped to, the choices of
//! a column's select and of an answer label's, and how the file was read.

use vsoko_checklist::Instrument;
use vsoko_exchange::{MappingProfile, SourceFormat, TextEncoding};

use crate::view::choice::Choice;

/// What a column of the file is mapped to, as the select's values say it.
pub(crate) fn column_role(profile: &MappingProfile, header: &str) -> String {
    let is = |column: &Option<String>| column.as_deref() == Some(header);
    if is(&profile.respondent_column) {
        return "respondent".to_owned();
    }
    if is(&profile.email_column) {
        return "email".to_owned();
    }
    if is(&profile.kindergarten_column) {
        return "kindergarten".to_owned();
    }
    if is(&profile.subject_column) {
        return "subject".to_owned();
    }
    if is(&profile.timestamp_column) {
        return "timestamp".to_owned();
    }
    if let Some(mapping) = profile
        .items
        .iter()
        .find(|mapping| mapping.column == header)
    {
        return format!("item:{}", mapping.item);
    }
    if let Some(mapping) = profile
        .comments
        .iter()
        .find(|mapping| mapping.column == header)
    {
        return format!("comment:{}", mapping.item);
    }
    String::new()
}

/// The choices of a column's select: nothing, the respondent's columns, every item.
pub(crate) fn role_choices(instrument: &Instrument, selected: &str) -> Vec<Choice> {
    let mut choices: Vec<(String, String)> = vec![
        (String::new(), "— не загружать —".to_owned()),
        ("respondent".to_owned(), "ФИО респондента".to_owned()),
        ("email".to_owned(), "Адрес электронной почты".to_owned()),
        ("kindergarten".to_owned(), "Детский сад".to_owned()),
        (
            "subject".to_owned(),
            "Кого оценивают (педагог, группа)".to_owned(),
        ),
        ("timestamp".to_owned(), "Время заполнения".to_owned()),
    ];
    for item in instrument.items() {
        let code = item.item.code();
        let text: String = item.item.text().chars().take(90).collect();
        choices.push((format!("item:{code}"), format!("Ответ {code}: {text}")));
    }
    choices
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

pub(crate) fn source_text(source: SourceFormat) -> String {
    match source {
        SourceFormat::Csv {
            encoding,
            separator,
        } => format!(
            "CSV, кодировка {}, разделитель «{}»",
            match encoding {
                TextEncoding::Utf8Bom => "UTF-8 (с BOM)",
                TextEncoding::Utf8 => "UTF-8",
                TextEncoding::Utf16 => "UTF-16",
                TextEncoding::Windows1251 => "Windows-1251",
            },
            match separator {
                b'\t' => "табуляция".to_owned(),
                other => char::from(other).to_string(),
            }
        ),
        SourceFormat::Spreadsheet => "таблица (XLSX, XLS или ODS), первый лист".to_owned(),
    }
}

/// The options of an item's scale as choices for an answer label the file words its own way:
/// «3 — Осознанно выбираю…», and «не применимо» where the scale has it.
pub(crate) fn scale_choices(instrument: &Instrument, item: &str) -> Vec<Choice> {
    let Some(found) = instrument.item(item) else {
        return Vec::new();
    };
    let vsoko_checklist::ScaleKind::Options(options) = found.scale.kind() else {
        return Vec::new();
    };
    let mut choices: Vec<Choice> = std::iter::once(Choice {
        value: String::new(),
        label: "— выберите —".to_owned(),
        selected: true,
    })
    .chain(options.iter().map(|option| Choice {
        value: option.value().to_string(),
        label: format!("{} — {}", option.value(), option.label()),
        selected: false,
    }))
    .collect();
    if let Some(na) = found.scale.na_label() {
        choices.push(Choice {
            value: "na".to_owned(),
            label: format!("не применимо ({na})"),
            selected: false,
        });
    }
    choices
}
