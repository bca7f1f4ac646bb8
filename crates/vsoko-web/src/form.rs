//! The form renderer: an instrument, the values to show and the errors to point at → the view
//! the form template draws (areas and indicators as headings, one `fieldset` with its `legend`
//! per item, a label bound to every input, «не применимо» beside the options where the scale
//! allows it, numbers with their unit and range, comments, required and critical marks, an error
//! summary linking to each wrong field). And back: a posted form → the fields as typed.
//!
//! Field names: `a.<item>` the answer (an option's value, `na`, or the number typed), `n.<item>`
//! the «не применимо» box of a numeric item, `c.<item>` the comment; `subject`, `observed_on`,
//! `idempotency_key`, `action` (`send`, `draft`, `discard`).

use crate::format;
use vsoko_app::FieldError;
use vsoko_app::forms::{ComputedValue, FormInput, FormValues, NA};
use vsoko_checklist::{IndicatorKind, Instrument, ScaleKind};
use vsoko_domain::SubjectRef;

use crate::csrf::PostedForm;
use crate::format::plural;
use vsoko_app::words::time_to_fill;

/// One option of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionView {
    /// The input's id.
    pub id: String,
    /// The submitted value.
    pub value: String,
    /// The label.
    pub label: String,
    /// Whether it is chosen.
    pub checked: bool,
}

/// A numeric item's input.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberView {
    /// The input's id.
    pub id: String,
    /// The number as typed.
    pub value: String,
    /// The unit shown after it.
    pub unit: Option<String>,
    /// The allowed range in words («от 0 до 100»).
    pub range: Option<String>,
}

/// A computed item's value as the form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedView {
    /// The value («62,5 %»), or «недостаточно данных».
    pub value: String,
    /// Where it comes from.
    pub source: String,
}

/// One item: a `fieldset` whose `legend` is the item's text.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    /// The item code (field names carry it; people are shown `number`, never the code).
    pub code: String,
    /// Its number in its area, in the order of the form (1, 2, 3 …).
    pub ordinal: usize,
    /// The element id of the fieldset; its inputs' ids start with it.
    pub id: String,
    /// The statement or question.
    pub text: String,
    /// The hint under it.
    pub hint: Option<String>,
    /// An answer (a value or «не применимо») is required.
    pub required: bool,
    /// Its lowest option caps the level (critical item).
    pub critical: bool,
    /// Whether it enters the score (unscored items are asked for information).
    pub scored: bool,
    /// The options of an options scale.
    pub options: Vec<OptionView>,
    /// The number input of a numeric scale.
    pub number: Option<NumberView>,
    /// «Не применимо», where the scale allows it (a radio beside the options, a box beside a
    /// number).
    pub na: Option<OptionView>,
    /// The value the system computes in place of an answer, with its source: shown, never typed.
    pub computed: Option<ComputedView>,
    /// The comment typed.
    pub comment: String,
    /// What is wrong with the answer.
    pub error: Option<String>,
    /// The id of the input an error link focuses.
    pub first_input: String,
    /// The ids of the hint and the error message (`aria-describedby`).
    pub described_by: String,
}

/// An indicator: a heading over its items.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorView {
    /// Its code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// A kindergarten's own (variable) indicator.
    pub variable: bool,
    /// Its items.
    pub items: Vec<ItemView>,
}

/// An area: a section with a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaView {
    /// Its code.
    pub code: String,
    /// Its number in the form (1, 2, 3 …), what people read instead of the code.
    pub ordinal: usize,
    /// Its title.
    pub title: String,
    /// Its indicators.
    pub indicators: Vec<IndicatorView>,
}

/// One entry of the error summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorLink {
    /// `#id` of the field.
    pub href: String,
    /// The message.
    pub message: String,
}

/// The whole form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormView {
    /// The areas.
    pub areas: Vec<AreaView>,
    /// Number of items.
    pub total: usize,
    /// Number of items answered (a value or «не применимо»).
    pub answered: usize,
    /// «11–12 минут, 39 вопросов».
    pub duration: String,
    /// The error summary, in the order of the form.
    pub errors: Vec<ErrorLink>,
    /// Whether items have comment fields.
    pub comments: bool,
    /// The error of the subject field.
    pub subject_error: Option<String>,
    /// The error of the observation date.
    pub date_error: Option<String>,
    /// Where to go on with a form begun and not finished: the first unanswered question (its
    /// fieldset's `#id` and «вопроса 3.4»); `None` on a blank or a complete form.
    pub resume: Option<ErrorLink>,
}

impl FormView {
    /// The form of `instrument` with `values` filled in and `errors` placed at their fields.
    /// `comments`: whether items get a comment field (not on parents' questionnaires).
    ///
    /// `computed`: the values the system computes for its computed items, shown in place of an
    /// input with their source.
    pub fn build(
        instrument: &Instrument,
        values: &FormValues,
        errors: &[FieldError],
        comments: bool,
        computed: &[ComputedValue],
    ) -> FormView {
        // An item's errors, without the code the use cases name it by (people read the
        // question's number), and whether one is about its comment.
        let item_error = |code: &str| {
            let field = format!("answers.{code}");
            let prefix = format!("пункт «{code}»: ");
            let mine: Vec<&FieldError> =
                errors.iter().filter(|error| error.field == field).collect();
            let messages: Vec<&str> = mine
                .iter()
                .map(|error| {
                    error
                        .message
                        .strip_prefix(&prefix)
                        .unwrap_or(&error.message)
                })
                .collect();
            let on_comment = mine.iter().any(|error| is_comment_error(error));
            (
                (!messages.is_empty()).then(|| messages.join("; ")),
                on_comment,
            )
        };
        let mut index = 0usize;
        let mut answered = 0usize;
        let mut areas = Vec::new();
        let mut comment_errors = Vec::new();
        for (area_index, area) in instrument.areas().iter().enumerate() {
            let mut indicators = Vec::new();
            let mut ordinal = 0usize;
            for indicator in area.indicators() {
                let mut items = Vec::new();
                for item in indicator.items() {
                    index += 1;
                    ordinal += 1;
                    let id = format!("q{index}");
                    let code = item.code().to_string();
                    let field = values.get(&code).cloned().unwrap_or_default();
                    if !field.value.trim().is_empty() {
                        answered += 1;
                    }
                    let scale = instrument.scale_of(item);
                    let computed = computed
                        .iter()
                        .find(|entry| entry.item == code)
                        .map(|entry| ComputedView {
                            value: entry
                                .value
                                .map(format::percent)
                                .unwrap_or_else(|| "недостаточно данных".to_owned()),
                            source: entry.source.clone(),
                        });
                    let (options, number) = match scale.kind() {
                        _ if computed.is_some() => (Vec::new(), None),
                        ScaleKind::Options(options) => (
                            options
                                .iter()
                                .enumerate()
                                .map(|(n, option)| {
                                    let value = vsoko_app::forms::format_number(option.value());
                                    OptionView {
                                        id: format!("{id}-o{n}"),
                                        checked: same_value(&field.value, option.value()),
                                        value,
                                        label: option.label().to_owned(),
                                    }
                                })
                                .collect(),
                            None,
                        ),
                        ScaleKind::Numeric { unit, min, max, .. } => (
                            Vec::new(),
                            Some(NumberView {
                                id: format!("{id}-num"),
                                value: if field.value == NA {
                                    String::new()
                                } else {
                                    field.value.clone()
                                },
                                unit: unit.clone(),
                                range: range_text(*min, *max),
                            }),
                        ),
                    };
                    let na = scale
                        .na_label()
                        .filter(|_| computed.is_none())
                        .map(|label| OptionView {
                            id: format!("{id}-na"),
                            value: NA.to_owned(),
                            label: label.to_owned(),
                            checked: field.value == NA,
                        });
                    let (error, on_comment) = item_error(&code);
                    if on_comment && comments {
                        comment_errors.push(format!("{id}-c"));
                    }
                    let first_input = options
                        .first()
                        .map(|option| option.id.clone())
                        .or_else(|| number.as_ref().map(|number| number.id.clone()))
                        .unwrap_or_else(|| id.clone());
                    let mut described_by = Vec::new();
                    if item.hint().is_some() {
                        described_by.push(format!("{id}-hint"));
                    }
                    if error.is_some() {
                        described_by.push(format!("{id}-err"));
                    }
                    items.push(ItemView {
                        code,
                        ordinal,
                        text: item.text().to_owned(),
                        hint: item.hint().map(str::to_owned),
                        required: item.is_required(),
                        critical: item.is_critical(),
                        scored: item.is_scored(),
                        options,
                        number,
                        na,
                        computed,
                        comment: field.comment,
                        error,
                        first_input,
                        described_by: described_by.join(" "),
                        id,
                    });
                }
                indicators.push(IndicatorView {
                    code: indicator.code().to_string(),
                    title: indicator.title().to_owned(),
                    variable: indicator.kind() == IndicatorKind::Variable,
                    items,
                });
            }
            areas.push(AreaView {
                code: area.code().to_string(),
                ordinal: area_index + 1,
                title: area.title().to_owned(),
                indicators,
            });
        }
        let total = index;
        // The summary in the order of the form: the subject and date first, then the items.
        let mut summary = Vec::new();
        let other = |field: &str| {
            errors
                .iter()
                .filter(|error| error.field == field)
                .map(|error| error.message.clone())
                .collect::<Vec<_>>()
        };
        let subject_error = Some(other("subject").join("; ")).filter(|text| !text.is_empty());
        let date_error = Some(other("observed_on").join("; ")).filter(|text| !text.is_empty());
        if let Some(message) = &subject_error {
            summary.push(ErrorLink {
                href: "#subject".to_owned(),
                message: message.clone(),
            });
        }
        if let Some(message) = &date_error {
            summary.push(ErrorLink {
                href: "#observed_on".to_owned(),
                message: message.clone(),
            });
        }
        for area in &areas {
            for indicator in &area.indicators {
                for item in &indicator.items {
                    if let Some(message) = &item.error {
                        // A comment's error leads to the comment, any other to the answer.
                        let comment = format!("{}-c", item.id);
                        let href = match comment_errors.contains(&comment) {
                            true => comment,
                            false => item.first_input.clone(),
                        };
                        summary.push(ErrorLink {
                            href: format!("#{href}"),
                            message: format!(
                                "Раздел {}, вопрос {}: {message}",
                                area.ordinal, item.ordinal
                            ),
                        });
                    }
                }
            }
        }
        for error in errors {
            let placed = error.field == "subject"
                || error.field == "observed_on"
                || error
                    .field
                    .strip_prefix("answers.")
                    .is_some_and(|code| instrument.item(code).is_some());
            if !placed {
                summary.push(ErrorLink {
                    href: "#form".to_owned(),
                    message: error.message.clone(),
                });
            }
        }
        let resume = (answered > 0)
            .then(|| {
                areas.iter().find_map(|area| {
                    area.indicators
                        .iter()
                        .flat_map(|indicator| &indicator.items)
                        .find(|item| {
                            values
                                .get(&item.code)
                                .is_none_or(|field| field.value.trim().is_empty())
                        })
                        .map(|item| ErrorLink {
                            href: format!("#{}", item.id),
                            message: format!("{}.{}", area.ordinal, item.ordinal),
                        })
                })
            })
            .flatten();
        FormView {
            areas,
            total,
            answered,
            resume,
            duration: {
                let time = time_to_fill(total, instrument.respondent().is_anonymous());
                let mut letters = time.chars();
                format!(
                    "{}{}, {} {}",
                    letters
                        .next()
                        .map(|first| first.to_uppercase().to_string())
                        .unwrap_or_default(),
                    letters.as_str(),
                    total,
                    plural(total, "вопрос", "вопроса", "вопросов")
                )
            },
            errors: summary,
            comments,
            subject_error,
            date_error,
        }
    }
}

/// Whether an answer's error is about its comment (its length, its characters).
fn is_comment_error(error: &FieldError) -> bool {
    matches!(error.code.as_str(), "too_long" | "control_characters")
}

/// The errors of a small form (sign-in, a password, a new account): each at its field and in
/// the summary, which links to the field's id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    /// The summary.
    pub links: Vec<ErrorLink>,
    by_field: Vec<(String, String)>,
}

impl FieldErrors {
    /// `errors` placed at the fields of `ids` (`(field, element id)`); an error of another field
    /// is in the summary only.
    pub fn of(errors: &[FieldError], ids: &[(&str, &str)]) -> FieldErrors {
        let mut placed = FieldErrors::default();
        for error in errors {
            let id = ids
                .iter()
                .find(|(field, _)| *field == error.field)
                .map(|(_, id)| *id);
            placed.links.push(ErrorLink {
                href: format!("#{}", id.unwrap_or("main")),
                message: error.message.clone(),
            });
            if id.is_some() {
                placed
                    .by_field
                    .push((error.field.clone(), error.message.clone()));
            }
        }
        placed
    }

    /// One message, for a form-wide problem (a wrong password).
    pub fn general(message: &str, id: &str) -> FieldErrors {
        FieldErrors {
            links: vec![ErrorLink {
                href: format!("#{id}"),
                message: message.to_owned(),
            }],
            by_field: Vec::new(),
        }
    }

    /// The message of a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.by_field
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }
}

/// Whether a typed value is an option's value (`2`, `2,0`, `2.0`).
fn same_value(typed: &str, value: f64) -> bool {
    vsoko_app::forms::parse_number(typed).is_some_and(|number| number == value)
}

fn range_text(min: Option<f64>, max: Option<f64>) -> Option<String> {
    let number = vsoko_app::forms::format_number;
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("от {} до {}", number(min), number(max))),
        (Some(min), None) => Some(format!("не меньше {}", number(min))),
        (None, Some(max)) => Some(format!("не больше {}", number(max))),
        (None, None) => None,
    }
}

/// The value of a subject in a form's select: `teacher-12`, `group-5`.
pub fn subject_value(subject: SubjectRef) -> String {
    format!("{}-{}", subject.kind(), subject.raw_id())
}

/// Parses [`subject_value`].
pub fn parse_subject(text: &str) -> Option<SubjectRef> {
    let (kind, id) = text.split_once('-')?;
    SubjectRef::from_parts(kind, id.parse().ok()?)
}

/// What a posted form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Send the answers.
    Send,
    /// Keep them as a draft.
    Draft,
    /// Delete the draft.
    Discard,
}

/// A posted form → the action and the fields as typed. «Не применимо» ticked beside a number
/// wins over the number.
pub fn parse_posted(form: &PostedForm) -> (Action, FormInput) {
    let mut values = FormValues::new();
    let mut subject = None;
    let mut observed_on = None;
    let mut idempotency_key = String::new();
    let mut action = Action::Send;
    let mut not_applicable = Vec::new();
    for (name, value) in form.fields() {
        if let Some(code) = name.strip_prefix("a.") {
            values.entry(code.to_owned()).or_default().value = value.clone();
        } else if let Some(code) = name.strip_prefix("c.") {
            values.entry(code.to_owned()).or_default().comment = value.clone();
        } else if let Some(code) = name.strip_prefix("n.") {
            not_applicable.push(code.to_owned());
        } else {
            match name.as_str() {
                "subject" => subject = parse_subject(value),
                "observed_on" => observed_on = Some(value.clone()),
                "idempotency_key" => idempotency_key = value.clone(),
                "action" => {
                    action = match value.as_str() {
                        "draft" => Action::Draft,
                        "discard" => Action::Discard,
                        _ => Action::Send,
                    }
                }
                _ => {}
            }
        }
    }
    for code in not_applicable {
        values.entry(code).or_default().value = NA.to_owned();
    }
    values.retain(|_, field| !field.value.is_empty() || !field.comment.is_empty());
    (
        action,
        FormInput {
            values,
            subject,
            observed_on,
            idempotency_key,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use vsoko_app::forms::FieldValue;
    use vsoko_domain::{GroupId, PersonId};

    const INSTRUMENT: &str = r#"
code = "test-form"
version = 1
title = "Проверочная форма"
kind = "survey"
respondent = "teacher"
subject = "teacher"
scale = "ladder"

[levels]
deficit_threshold = 50
min_coverage = 50
bands = [
  { code = "L1", name = "Низкий", from = 0 },
  { code = "L2", name = "Высокий", from = 50 },
]

[scales.ladder]
type = "options"
allow_na = true
na_label = "Не применимо к моей должности"
options = [
  { value = 0, label = "Не владею" },
  { value = 1, label = "Пробовал(а)" },
  { value = 2, label = "Применяю регулярно" },
]

[scales.strict]
type = "options"
options = [
  { value = 0, label = "Нарушено" },
  { value = 2, label = "Соблюдено" },
]

[scales.hours]
type = "numeric"
unit = "ч"
min = 0
max = 72
allow_na = true
na_label = "Не проводилось"
target = 36
direction = "more_is_better"

[[areas]]
code = "A1"
title = "Первая область"

[[areas.indicators]]
code = "A1.1"
title = "Показатель"

[[areas.indicators.items]]
code = "A1.1.1"
text = "Использую цифровые ресурсы"
hint = "За последние месяцы"

[[areas.indicators.items]]
code = "A1.1.2"
text = "Соблюдаю продолжительность занятия"
scale = "strict"
critical = true

[[areas.indicators.items]]
code = "A1.1.3"
text = "Часы обучения"
scale = "hours"
required = false
"#;

    fn instrument() -> Instrument {
        vsoko_checklist::parse_toml(INSTRUMENT, "test-form/v1.toml")
            .expect("the test instrument is valid")
    }

    fn field(value: &str) -> FieldValue {
        FieldValue {
            value: value.to_owned(),
            comment: String::new(),
        }
    }

    #[test]
    fn every_item_is_a_fieldset_with_labelled_inputs_and_na_where_the_scale_allows_it() {
        let view = FormView::build(&instrument(), &FormValues::new(), &[], true, &[]);
        assert_eq!(view.total, 3);
        assert_eq!(view.answered, 0);
        let items = &view.areas[0].indicators[0].items;
        assert_eq!(items[0].options.len(), 3);
        assert_eq!(items[0].options[0].id, "q1-o0");
        assert_eq!(
            items[0].na.as_ref().map(|na| na.label.as_str()),
            Some("Не применимо к моей должности")
        );
        assert_eq!(items[0].described_by, "q1-hint");
        assert!(items[1].critical && items[1].na.is_none());
        assert_eq!(items[1].options[1].value, "2");
        let number = items[2]
            .number
            .as_ref()
            .expect("a numeric item has a number input");
        assert_eq!(number.unit.as_deref(), Some("ч"));
        assert_eq!(number.range.as_deref(), Some("от 0 до 72"));
        assert!(!items[2].required);
        assert_eq!(view.duration, "Около 1 минуты, 3 вопроса");
    }

    #[test]
    fn values_are_shown_checked_and_errors_sit_at_their_items_and_in_the_summary() {
        let mut values = FormValues::new();
        values.insert("A1.1.1".into(), field("na"));
        values.insert("A1.1.3".into(), field("12,5"));
        let errors = vec![
            FieldError::new(
                "answers.A1.1.2",
                "answer_missing",
                "пункт «A1.1.2»: нет ответа",
            ),
            FieldError::new("observed_on", "required", "укажите дату наблюдения"),
            FieldError::new(
                "idempotency_key",
                "invalid",
                "форма повреждена: обновите страницу",
            ),
        ];
        let view = FormView::build(&instrument(), &values, &errors, false, &[]);
        assert_eq!(view.answered, 2);
        let items = &view.areas[0].indicators[0].items;
        assert!(items[0].na.as_ref().is_some_and(|na| na.checked));
        assert!(items[0].options.iter().all(|option| !option.checked));
        assert_eq!(
            items[2].number.as_ref().map(|number| number.value.as_str()),
            Some("12,5")
        );
        assert_eq!(items[1].error.as_deref(), Some("нет ответа"), "no code");
        assert_eq!((view.areas[0].ordinal, items[1].ordinal), (1, 2));
        assert_eq!(items[1].described_by, "q2-err");
        let summary: Vec<(&str, &str)> = view
            .errors
            .iter()
            .map(|link| (link.href.as_str(), link.message.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("#observed_on", "укажите дату наблюдения"),
                ("#q2-o0", "Раздел 1, вопрос 2: нет ответа"),
                ("#form", "форма повреждена: обновите страницу"),
            ]
        );
        assert_eq!(view.date_error.as_deref(), Some("укажите дату наблюдения"));
    }

    #[test]
    fn the_rendered_form_binds_a_label_to_every_input() {
        let view = FormView::build(&instrument(), &FormValues::new(), &[], true, &[]);
        let html = crate::pages::forms::render_fields(&view).expect("the form renders");
        assert_eq!(html.matches("<fieldset").count(), 3, "{html}");
        assert_eq!(html.matches("<legend").count(), 3);
        for id in [
            "q1-o0", "q1-o2", "q1-na", "q2-o1", "q3-num", "q3-na", "q1-c",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
            assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
        }
        assert!(
            html.contains("критический"),
            "critical items are marked in words"
        );
        assert!(html.contains("name=\"a.A1.1.1\""));
        assert!(html.contains("name=\"n.A1.1.3\""));
    }

    #[test]
    fn a_computed_item_shows_its_value_and_source_and_takes_no_input() {
        let source = "Карта анализа занятия: «Цели и содержание», среднее по формам детского сада за май 2025";
        let computed = |value| {
            vec![ComputedValue {
                item: "A1.1.3".to_owned(),
                value,
                source: source.to_owned(),
            }]
        };
        let view = FormView::build(
            &instrument(),
            &FormValues::new(),
            &[],
            true,
            &computed(Some(62.5)),
        );
        let html = crate::pages::forms::render_fields(&view).expect("the form renders");
        assert!(html.contains("<strong>62,5\u{a0}%</strong>"), "{html}");
        assert!(html.contains(source), "{html}");
        assert!(!html.contains("name=\"a.A1.1.3\"") && !html.contains("name=\"n.A1.1.3\""));
        assert!(
            html.contains("name=\"a.A1.1.1\""),
            "other items keep their inputs"
        );
        // Without data in its source, the value is never a zero.
        let view = FormView::build(
            &instrument(),
            &FormValues::new(),
            &[],
            true,
            &computed(None),
        );
        let html = crate::pages::forms::render_fields(&view).expect("the form renders");
        assert!(
            html.contains("<strong>недостаточно данных</strong>"),
            "{html}"
        );
        assert!(!html.contains("name=\"a.A1.1.3\""));
    }

    #[test]
    fn a_posted_form_becomes_the_fields_as_typed() {
        let token = crate::csrf::session_token("s");
        let request = actix_web::test::TestRequest::post()
            .cookie(actix_web::cookie::Cookie::new(
                crate::session::SESSION_COOKIE,
                "s",
            ))
            .to_http_request();
        let pairs = [
            ("_csrf", token.as_str()),
            ("idempotency_key", "k1"),
            ("subject", "teacher-12"),
            ("observed_on", "2025-05-14"),
            ("a.A1.1.1", "2"),
            ("c.A1.1.1", "на прогулке"),
            ("c.A1.1.2", ""),
            ("a.A1.1.3", "5"),
            ("n.A1.1.3", "1"),
            ("action", "draft"),
        ];
        let form = PostedForm::check(
            &request,
            pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        )
        .expect("the token matches");
        let (action, input) = parse_posted(&form);
        assert_eq!(action, Action::Draft);
        assert_eq!(input.subject, Some(SubjectRef::Teacher(PersonId::new(12))));
        assert_eq!(input.observed_on.as_deref(), Some("2025-05-14"));
        assert_eq!(input.idempotency_key, "k1");
        assert_eq!(input.values.len(), 2, "an empty comment alone is no field");
        assert_eq!(input.values["A1.1.1"].comment, "на прогулке");
        assert_eq!(
            input.values["A1.1.3"].value, NA,
            "«не применимо» wins over a number"
        );
    }

    #[test]
    fn subjects_round_trip_through_select_values() {
        for subject in [
            SubjectRef::Teacher(PersonId::new(3)),
            SubjectRef::Group(GroupId::new(40)),
        ] {
            assert_eq!(parse_subject(&subject_value(subject)), Some(subject));
        }
        assert_eq!(parse_subject("admin-1"), None);
        assert_eq!(parse_subject("teacher-x"), None);
    }
}
