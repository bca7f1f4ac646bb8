//! A form's fields as typed → answers: numbers as Russian users type them, dates from a date
//! field or a text field, the limits on what a draft may hold, every field's error its own.

use chrono::NaiveDate;
use vsoko_checklist::Instrument;

use super::{FormInput, FormValues, NA};
use crate::error::{AppError, AppResult, FieldError};
use crate::submissions::AnswerInput;

/// The longest value a field may hold (an option's value, a number as typed).
const MAX_VALUE_CHARS: usize = 64;

/// The fields as typed → answers; a number that is not one, or a comment without an answer, is an
/// error naming its item. Empty fields are not answers (a required one is then reported missing
/// by the instrument's own check).
pub fn answers_of(values: &FormValues) -> AppResult<Vec<AnswerInput>> {
    let (answers, errors) = read_fields(values);
    AppError::check(errors)?;
    Ok(answers)
}

/// The fields as typed → the answers that could be read, and an error for each field that could
/// not: one unreadable field never hides the others.
pub fn read_fields(values: &FormValues) -> (Vec<AnswerInput>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for (item, field) in values {
        let value = field.value.trim();
        let comment = field.comment.trim();
        let comment = (!comment.is_empty()).then(|| comment.to_owned());
        if value.is_empty() {
            if comment.is_some() {
                errors.push(FieldError::new(
                    &format!("answers.{item}"),
                    "comment_without_answer",
                    "выберите ответ — комментарий сохраняется вместе с ответом",
                ));
            }
            continue;
        }
        if value == NA {
            answers.push(AnswerInput {
                item: item.clone(),
                value: None,
                na: true,
                comment,
            });
            continue;
        }
        match parse_number(value) {
            Some(number) => answers.push(AnswerInput {
                item: item.clone(),
                value: Some(number),
                na: false,
                comment,
            }),
            None => errors.push(FieldError::new(
                &format!("answers.{item}"),
                "not_a_number",
                format!("«{value}» — не число: введите число, например 12 или 12,5"),
            )),
        }
    }
    (answers, errors)
}

/// Every field of a form checked at once: the fields that could be read go through the
/// instrument's own check (a required item left empty, a value off the scale), and each field's
/// error is its own — an unreadable field is reported once, for what it holds, and never makes
/// the other fields «unanswered».
pub fn checked_answers(
    instrument: &Instrument,
    values: &FormValues,
) -> (Vec<AnswerInput>, Vec<FieldError>) {
    let (answers, mut errors) = read_fields(values);
    if let Err(AppError::Invalid { errors: more, .. }) =
        crate::submissions::check_answers(instrument, &answers)
    {
        for error in more {
            if !errors.iter().any(|known| known.field == error.field) {
                errors.push(error);
            }
        }
    }
    (answers, errors)
}

/// A number as Russian users type it: `12`, `12,5`, `12.5`, ` 1 200 `, `12 %` (a percent sign
/// after the number says what the number is, not another number).
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text);
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// An observation date as typed: `2025-05-14` (a date field) or `14.05.2025` (a text field on an
/// old browser).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

/// A number as a Russian form shows it: `12`, `12,5`.
pub fn format_number(value: f64) -> String {
    let text = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    };
    text.replace('.', ",")
}

/// Limits on what a draft or a form may hold: only the instrument's items, fields of bounded
/// length (nothing else is written anywhere).
pub(super) fn check_fields(instrument: &Instrument, input: &FormInput) -> AppResult<()> {
    let mut checks = crate::validate::Checks::new();
    for (item, field) in &input.values {
        let name = format!("answers.{item}");
        if instrument.item(item).is_none() {
            checks.fail(
                &name,
                "unknown_item",
                format!("пункт «{item}» отсутствует в этой форме; обновите страницу"),
            );
        }
        if field.value.chars().count() > MAX_VALUE_CHARS || field.value.contains('\0') {
            checks.fail(
                &name,
                "invalid",
                format!("пункт «{item}»: введите число или выберите вариант ответа"),
            );
        }
        checks.comment(&name, &field.comment);
    }
    let key = &input.idempotency_key;
    if !key.is_empty() && !crate::validate::is_key(key) {
        checks.fail(
            "idempotency_key",
            "invalid",
            "форма повреждена: обновите страницу".to_owned(),
        );
    }
    checks.done()
}

#[cfg(test)]
mod tests {
    use super::super::FieldValue;
    use super::*;

    #[test]
    fn numbers_are_read_as_russian_users_type_them() {
        assert_eq!(parse_number("12"), Some(12.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("двенадцать"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("12%"), Some(12.0));
        assert_eq!(parse_number(" 12 % "), Some(12.0));
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("12%%"), None);
        assert_eq!(parse_number("%"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(12.5), "12,5");
    }

    #[test]
    fn dates_are_read_from_date_fields_and_from_text_fields() {
        let may = NaiveDate::from_ymd_opt(2025, 5, 14);
        assert_eq!(parse_date("2025-05-14"), may);
        assert_eq!(parse_date("14.05.2025"), may);
        assert_eq!(parse_date("14 мая"), None);
    }

    #[test]
    fn fields_become_answers_and_bad_ones_name_their_item() {
        let mut values = FormValues::new();
        values.insert(
            "A1".into(),
            FieldValue {
                value: "3".into(),
                comment: String::new(),
            },
        );
        values.insert(
            "A2".into(),
            FieldValue {
                value: NA.into(),
                comment: " нет детей с ОВЗ ".into(),
            },
        );
        values.insert("A3".into(), FieldValue::default());
        let answers = answers_of(&values).unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].value, Some(3.0));
        assert!(answers[1].na);
        assert_eq!(answers[1].comment.as_deref(), Some("нет детей с ОВЗ"));

        values.insert(
            "A4".into(),
            FieldValue {
                value: "много".into(),
                comment: String::new(),
            },
        );
        values.insert(
            "A5".into(),
            FieldValue {
                value: String::new(),
                comment: "забыла ответить".into(),
            },
        );
        let Err(AppError::Invalid { errors, .. }) = answers_of(&values) else {
            panic!("invalid fields must be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["answers.A4", "answers.A5"]);
    }

    /// Issue 23 §3: in the indicator set, one field holding «abc» is that field's error alone;
    /// «12%», «12,5» and « 12 » are the numbers they mean, and no other field is «не отвечен».
    #[test]
    fn one_unreadable_number_is_its_own_error_and_hides_no_other_answer() {
        use vsoko_checklist::ScaleKind;
        let catalog = vsoko_checklist::Catalog::shipped().unwrap();
        let instrument = catalog.get("vsoko-kindergarten", Some(2)).unwrap();
        let mut values = FormValues::new();
        let mut numeric = Vec::new();
        for item in instrument.items() {
            let value = match item.scale.kind() {
                ScaleKind::Options(options) => format_number(options[0].value()),
                ScaleKind::Numeric { .. } => {
                    numeric.push(item.item.code().to_string());
                    "50".to_owned()
                }
            };
            values.insert(
                item.item.code().to_string(),
                FieldValue {
                    value,
                    comment: String::new(),
                },
            );
        }
        assert!(numeric.len() >= 4, "{numeric:?}");
        let (answers, errors) = checked_answers(instrument, &values);
        assert!(errors.is_empty(), "{errors:?}");
        let all = answers.len();
        for (code, typed) in numeric.iter().zip(["12%", "12,5", " 12 ", "abc"]) {
            values.get_mut(code).unwrap().value = typed.to_owned();
        }
        let (answers, errors) = checked_answers(instrument, &values);
        assert_eq!(answers.len(), all - 1, "every readable field is an answer");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, [format!("answers.{}", numeric[3])], "{errors:?}");
        assert_eq!(errors[0].code, "not_a_number");
        assert!(errors[0].message.contains("«abc» — не число"), "{errors:?}");
        let value_of = |code: &str| {
            answers
                .iter()
                .find(|answer| answer.item == code)
                .and_then(|answer| answer.value)
        };
        assert_eq!(value_of(&numeric[0]), Some(12.0));
        assert_eq!(value_of(&numeric[1]), Some(12.5));
        assert_eq!(value_of(&numeric[2]), Some(12.0));
    }
}
