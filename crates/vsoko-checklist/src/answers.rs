//! Checking answers against an instrument: the gate every submission and import passes through.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::ChecklistError;
use crate::model::*;

/// An answer value: a number (an option's value or a numeric indicator) or «не применимо».
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnswerValue {
    /// The value of the chosen option, or the number entered.
    Value(f64),
    /// «Не применимо»: excluded from scores, never counted as 0.
    NotApplicable,
}

/// One answer as it arrives, not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAnswer {
    /// The item code the answer is for.
    pub item: String,
    /// The value.
    pub value: AnswerValue,
    /// Optional free-text comment.
    pub comment: Option<String>,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The value; on the item's scale or N/A where the scale allows it.
    pub value: AnswerValue,
    /// Optional free-text comment.
    pub comment: Option<String>,
}

/// The answers of one submission, checked against one instrument version.
///
/// Invariant: every key is an item of that instrument, every value is valid for the item's scale,
/// and every required item has an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerSheet {
    instrument: InstrumentId,
    answers: BTreeMap<Code, Answer>,
}

impl AnswerSheet {
    /// The instrument version the answers were checked against.
    pub fn instrument(&self) -> &InstrumentId {
        &self.instrument
    }
    /// The answer to an item, if any.
    pub fn get(&self, item: &str) -> Option<&Answer> {
        self.answers.get(item)
    }
    /// All answers, by item code.
    pub fn iter(&self) -> impl Iterator<Item = (&Code, &Answer)> {
        self.answers.iter()
    }
    /// Number of answers (N/A included).
    pub fn len(&self) -> usize {
        self.answers.len()
    }
    /// Whether no item was answered.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// What is wrong with one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerErrorKind {
    /// The instrument has no item with this code.
    UnknownItem,
    /// The item was answered more than once.
    Duplicate,
    /// The value is not one of the scale's options.
    NotOnScale {
        /// The values that are allowed.
        allowed: Vec<f64>,
    },
    /// The number is outside the scale's range.
    OutOfRange {
        /// Smallest acceptable value, if any.
        min: Option<f64>,
        /// Largest acceptable value, if any.
        max: Option<f64>,
    },
    /// The value is NaN or infinite.
    NotFinite,
    /// N/A was given but the scale does not allow it.
    NaNotAllowed,
    /// A required item has no answer.
    Missing,
}

/// One invalid answer: the item code and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerError {
    /// The item code as given (or the missing item's code).
    pub item: String,
    /// The value given, when there was one.
    pub value: Option<AnswerValue>,
    /// What is wrong.
    pub kind: AnswerErrorKind,
}

impl AnswerError {
    /// Stable machine-readable code of the problem, for API clients.
    pub fn code(&self) -> &'static str {
        match self.kind {
            AnswerErrorKind::UnknownItem => "unknown_item",
            AnswerErrorKind::Duplicate => "duplicate_answer",
            AnswerErrorKind::NotOnScale { .. } => "value_not_on_scale",
            AnswerErrorKind::OutOfRange { .. } => "value_out_of_range",
            AnswerErrorKind::NotFinite => "value_not_a_number",
            AnswerErrorKind::NaNotAllowed => "na_not_allowed",
            AnswerErrorKind::Missing => "answer_missing",
        }
    }
}

fn number(value: f64) -> String {
    // Russian users write decimals with a comma.
    value.to_string().replace('.', ",")
}

impl fmt::Display for AnswerError {
    /// A Russian message for the person who filled the form in.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let item = &self.item;
        let given = match self.value {
            Some(AnswerValue::Value(value)) => number(value),
            _ => String::new(),
        };
        match &self.kind {
            AnswerErrorKind::UnknownItem => write!(
                f,
                "пункт «{item}» отсутствует в этой версии инструмента; проверьте код пункта"
            ),
            AnswerErrorKind::Duplicate => {
                write!(
                    f,
                    "пункт «{item}»: ответ указан несколько раз; оставьте один"
                )
            }
            AnswerErrorKind::NotOnScale { allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|v| number(*v)).collect();
                write!(
                    f,
                    "пункт «{item}»: значение {given} не входит в шкалу; допустимые значения: {}",
                    allowed.join(", ")
                )
            }
            AnswerErrorKind::OutOfRange { min, max } => {
                let range = match (min, max) {
                    (Some(min), Some(max)) => format!("от {} до {}", number(*min), number(*max)),
                    (Some(min), None) => format!("не меньше {}", number(*min)),
                    (None, Some(max)) => format!("не больше {}", number(*max)),
                    (None, None) => String::new(),
                };
                write!(
                    f,
                    "пункт «{item}»: значение {given} вне допустимого диапазона; допустимо {range}"
                )
            }
            AnswerErrorKind::NotFinite => {
                write!(f, "пункт «{item}»: значение не является числом")
            }
            AnswerErrorKind::NaNotAllowed => write!(
                f,
                "пункт «{item}»: ответ «не применимо» для этого пункта не допускается; выберите значение"
            ),
            AnswerErrorKind::Missing => {
                write!(f, "пункт «{item}»: нет ответа на обязательный пункт")
            }
        }
    }
}

/// Checks one value against an item's scale.
pub fn check_value(item: &ItemRef<'_>, value: AnswerValue) -> Result<(), AnswerErrorKind> {
    let value = match value {
        AnswerValue::NotApplicable => {
            return if item.scale.allows_na() {
                Ok(())
            } else {
                Err(AnswerErrorKind::NaNotAllowed)
            };
        }
        AnswerValue::Value(value) => value,
    };
    if !value.is_finite() {
        return Err(AnswerErrorKind::NotFinite);
    }
    match item.scale.kind() {
        ScaleKind::Options(options) => {
            if options.iter().any(|option| option.value() == value) {
                Ok(())
            } else {
                Err(AnswerErrorKind::NotOnScale {
                    allowed: options.iter().map(ScaleOption::value).collect(),
                })
            }
        }
        ScaleKind::Numeric { min, max, rule, .. } => {
            let min = match rule {
                NumericRule::Bands(bands) => Some(min.unwrap_or(bands[0].from())),
                NumericRule::Target { .. } => *min,
            };
            let below = min.is_some_and(|min| value < min);
            let above = max.is_some_and(|max| value > max);
            if below || above {
                Err(AnswerErrorKind::OutOfRange { min, max: *max })
            } else {
                Ok(())
            }
        }
    }
}

impl Instrument {
    /// Checks a submission's answers against this instrument, reporting every invalid answer
    /// (unknown item, duplicate, value off the scale, N/A where not allowed, required item missing).
    pub fn validate_answers(
        &self,
        answers: impl IntoIterator<Item = RawAnswer>,
    ) -> Result<AnswerSheet, ChecklistError> {
        let mut errors = Vec::new();
        let mut checked: BTreeMap<Code, Answer> = BTreeMap::new();
        for raw in answers {
            let Some(item) = self.item(&raw.item) else {
                errors.push(AnswerError {
                    item: raw.item,
                    value: Some(raw.value),
                    kind: AnswerErrorKind::UnknownItem,
                });
                continue;
            };
            if checked.contains_key(item.item.code()) {
                errors.push(AnswerError {
                    item: raw.item,
                    value: Some(raw.value),
                    kind: AnswerErrorKind::Duplicate,
                });
                continue;
            }
            if let Err(kind) = check_value(&item, raw.value) {
                errors.push(AnswerError {
                    item: raw.item,
                    value: Some(raw.value),
                    kind,
                });
                continue;
            }
            checked.insert(
                item.item.code().clone(),
                Answer {
                    value: raw.value,
                    comment: raw.comment.filter(|comment| !comment.trim().is_empty()),
                },
            );
        }
        for item in self.items() {
            let answered = checked.contains_key(item.item.code())
                || errors
                    .iter()
                    .any(|error| error.item == item.item.code().as_str());
            if item.item.is_required() && !answered {
                errors.push(AnswerError {
                    item: item.item.code().to_string(),
                    value: None,
                    kind: AnswerErrorKind::Missing,
                });
            }
        }
        if errors.is_empty() {
            Ok(AnswerSheet {
                instrument: self.id().clone(),
                answers: checked,
            })
        } else {
            Err(ChecklistError::InvalidAnswers {
                instrument: self.id().clone(),
                errors,
            })
        }
    }
}
