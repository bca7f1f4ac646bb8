//! Mapping profiles: which column holds what, and how answer labels become values.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use vsoko_checklist::{AnswerValue, Instrument, ItemRef, ScaleKind};

use crate::error::ExchangeError;
use crate::table::Table;

/// How the columns of a foreign export map onto one instrument version. Saved by the caller as
/// JSON ([`MappingProfile::to_json`]) and reused for every later export of the same form.
///
/// Columns are named by their header text, so a profile survives columns being reordered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingProfile {
    /// Instrument code the profile was made for.
    pub instrument: String,
    /// Instrument version the profile was made for.
    pub version: u32,
    /// Column identifying the respondent (ФИО, or an e-mail when the form asks no name). `None`
    /// for anonymous forms: no duplicate detection then.
    #[serde(default)]
    pub respondent_column: Option<String>,
    /// Column with the respondent's e-mail, stored as their contact.
    #[serde(default)]
    pub email_column: Option<String>,
    /// Column naming the kindergarten. Either this or [`Self::kindergarten`] must be given.
    #[serde(default)]
    pub kindergarten_column: Option<String>,
    /// The kindergarten of every row, when the file has no kindergarten column.
    #[serde(default)]
    pub kindergarten: Option<String>,
    /// Column naming what is assessed (the group, the teacher), when it differs from the respondent.
    #[serde(default)]
    pub subject_column: Option<String>,
    /// Column with the time the form was filled in.
    #[serde(default)]
    pub timestamp_column: Option<String>,
    /// Column → item code.
    #[serde(default)]
    pub items: Vec<ColumnMapping>,
    /// Column → item code whose free-text comment the column holds.
    #[serde(default)]
    pub comments: Vec<ColumnMapping>,
    /// Per item code: answer label → value. Checked before [`Self::scale_labels`].
    #[serde(default)]
    pub item_labels: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per scale code: answer label → value (e.g. «Полностью согласен» → 5).
    #[serde(default)]
    pub scale_labels: BTreeMap<String, BTreeMap<String, f64>>,
    /// Labels meaning «не применимо», besides the scale's own N/A label.
    #[serde(default)]
    pub na_labels: Vec<String>,
}

/// One column mapped to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The header text of the column.
    pub column: String,
    /// The item code.
    pub item: String,
}

/// What [`suggest_profile`] could not match, for the user to map by hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unmatched {
    /// Headers mapped to nothing.
    pub columns: Vec<String>,
    /// Items of the instrument without a column.
    pub items: Vec<UnmatchedItem>,
    /// Answer labels in mapped columns that are neither a scale label, an N/A label nor a number.
    pub labels: Vec<UnmatchedLabel>,
}

/// An item that no column was matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedItem {
    /// The item code.
    pub item: String,
    /// The item text.
    pub text: String,
    /// Whether the item needs an answer (an import without its column fails).
    pub required: bool,
}

/// An answer label that was not recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedLabel {
    /// The header of the column.
    pub column: String,
    /// The item the column is mapped to.
    pub item: String,
    /// The label as written in the file.
    pub label: String,
    /// Lines where it occurs (the first five).
    pub lines: Vec<usize>,
}

impl MappingProfile {
    /// An empty profile for an instrument version.
    pub fn new(instrument: &Instrument) -> MappingProfile {
        MappingProfile {
            instrument: instrument.code().to_string(),
            version: instrument.version(),
            respondent_column: None,
            email_column: None,
            kindergarten_column: None,
            kindergarten: None,
            subject_column: None,
            timestamp_column: None,
            items: Vec::new(),
            comments: Vec::new(),
            item_labels: BTreeMap::new(),
            scale_labels: BTreeMap::new(),
            na_labels: Vec::new(),
        }
    }

    /// The profile as pretty JSON, for saving.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| unreachable!("plain data"))
    }

    /// Loads a saved profile.
    pub fn from_json(json: &str) -> Result<MappingProfile, ExchangeError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Checks the profile against the instrument: same code and version, known item codes, a
    /// kindergarten source. Every problem is listed.
    pub fn check(&self, instrument: &Instrument) -> Result<(), ExchangeError> {
        if self.instrument != instrument.code().as_str() || self.version != instrument.version() {
            return Err(ExchangeError::ProfileInstrumentMismatch {
                profile: format!("{}@{}", self.instrument, self.version),
                instrument: instrument.id().clone(),
            });
        }
        let mut problems = Vec::new();
        match (&self.kindergarten_column, &self.kindergarten) {
            (None, None) => problems.push(
                "не указан детский сад: выберите столбец с названием детского сада или один детский сад для всего файла"
                    .to_owned(),
            ),
            (Some(_), Some(_)) => problems.push(
                "детский сад указан и столбцом, и значением для всего файла; оставьте одно".to_owned(),
            ),
            _ => {}
        }
        let mut seen_items = BTreeSet::new();
        for mapping in &self.items {
            if instrument.item(&mapping.item).is_none() {
                problems.push(format!(
                    "столбец «{}» сопоставлен пункту «{}», которого нет в инструменте {}",
                    mapping.column,
                    mapping.item,
                    instrument.id()
                ));
            } else if !seen_items.insert(mapping.item.as_str()) {
                problems.push(format!(
                    "пункту «{}» сопоставлено несколько столбцов; оставьте один",
                    mapping.item
                ));
            }
        }
        for mapping in &self.comments {
            if instrument.item(&mapping.item).is_none() {
                problems.push(format!(
                    "столбец комментария «{}» относится к пункту «{}», которого нет в инструменте {}",
                    mapping.column,
                    mapping.item,
                    instrument.id()
                ));
            }
        }
        for item in self.item_labels.keys() {
            if instrument.item(item).is_none() {
                problems.push(format!(
                    "перекодировка ответов задана для пункта «{item}», которого нет в инструменте {}",
                    instrument.id()
                ));
            }
        }
        for scale in self.scale_labels.keys() {
            if instrument.scale(scale).is_none() {
                problems.push(format!(
                    "перекодировка ответов задана для шкалы «{scale}», которой нет в инструменте {}",
                    instrument.id()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ExchangeError::InvalidProfile { problems })
        }
    }

    /// Turns one cell into an answer value for an item: the profile's recodings first (item, then
    /// scale), then N/A labels, then the scale's own option labels, then a number. Labels are
    /// compared ignoring case, spaces, punctuation and «ё»/«е». `None` for an unrecognised label;
    /// the cell must not be empty.
    pub fn resolve(&self, item: &ItemRef<'_>, cell: &str) -> Option<AnswerValue> {
        let key = normalize(cell);
        let lookup = |labels: Option<&BTreeMap<String, f64>>| {
            labels.and_then(|labels| {
                labels
                    .iter()
                    .find(|(label, _)| normalize(label) == key)
                    .map(|(_, value)| AnswerValue::Value(*value))
            })
        };
        if let Some(value) = lookup(self.item_labels.get(item.item.code().as_str())) {
            return Some(value);
        }
        if let Some(value) = lookup(self.scale_labels.get(item.scale.code().as_str())) {
            return Some(value);
        }
        let na_label = item.scale.na_label().map(normalize);
        if !key.is_empty()
            && (na_label.as_deref() == Some(key.as_str())
                || self.na_labels.iter().any(|label| normalize(label) == key))
        {
            return Some(AnswerValue::NotApplicable);
        }
        if let ScaleKind::Options(options) = item.scale.kind()
            && let Some(option) = options
                .iter()
                .find(|option| !key.is_empty() && normalize(option.label()) == key)
        {
            return Some(AnswerValue::Value(option.value()));
        }
        parse_number(cell).map(AnswerValue::Value)
    }
}

/// Parses a number written with a decimal comma or dot, allowing spaces as thousands separators
/// and a trailing `%`.
pub(crate) fn parse_number(cell: &str) -> Option<f64> {
    let compact: String = cell
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if compact.is_empty()
        || !compact
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
    {
        return None;
    }
    compact
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
}

/// Text for comparison: lowercase, «ё» as «е», letters and digits only.
pub fn normalize(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Strips a numbering prefix such as «1.», «1)», «12.3.», «№ 4», «Вопрос 5:».
fn strip_numbering(header: &str) -> &str {
    let mut rest = header.trim_start();
    for word in ["Вопрос", "вопрос", "№"] {
        if let Some(after) = rest.strip_prefix(word) {
            let after = after.trim_start();
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                rest = after;
            }
        }
    }
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ')' || c == ':' || c == ' '))
        .unwrap_or(rest.len());
    let prefix = &rest[..digits_end];
    if prefix.chars().any(|c| c.is_ascii_digit()) {
        &rest[digits_end..]
    } else {
        rest
    }
}

/// Whether the header starts with the code, followed by nothing or by something that cannot
/// continue a code (so «A1.1» does not claim «A1.1.2 …»).
fn starts_with_code(header: &str, code: &str) -> bool {
    let Some(rest) = header.trim_start().strip_prefix(code) else {
        return false;
    };
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || c == '_' => false,
        Some('.' | '-') => !chars.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

/// The text in the last square brackets: Google Forms exports a grid question as
/// «Вопрос [строка]», one column per row.
fn bracketed(header: &str) -> Option<&str> {
    let header = header.trim_end().strip_suffix(']')?;
    let open = header.rfind('[')?;
    Some(&header[open + 1..])
}

fn header_matches_item(header: &str, item: &ItemRef<'_>) -> bool {
    let text = normalize(item.item.text());
    if text.is_empty() {
        return false;
    }
    normalize(header) == text
        || normalize(strip_numbering(header)) == text
        || bracketed(header).is_some_and(|inner| normalize(inner) == text)
}

/// Headers of a column, normalised ([`normalize`]): equal to one of `exact`, or containing one of
/// `contained`.
struct Headers {
    exact: &'static [&'static str],
    contained: &'static [&'static str],
}

/// The respondent's name, as Google and Yandex Forms questions usually put it.
const NAME_HEADERS: Headers = Headers {
    exact: &[
        "фио",
        "фиополностью",
        "вашефио",
        "фиопедагога",
        "фиоучастника",
        "фиосотрудника",
        "фиореспондента",
        "фамилияимяотчество",
        "фамилияиимя",
        "фамилияимя",
        "логин",
    ],
    contained: &["фамилияимяотчество", "фамилия"],
};
const EMAIL_HEADERS: Headers = Headers {
    exact: &[
        "адресэлектроннойпочты",
        "электроннаяпочта",
        "email",
        "емейл",
        "почта",
        "вашаэлектроннаяпочта",
    ],
    contained: &["электроннойпочты", "электроннаяпочта", "email"],
};
const KINDERGARTEN_HEADERS: Headers = Headers {
    exact: &[
        "детскийсад",
        "доо",
        "вашадоо",
        "вашдетскийсад",
        "названиедоо",
        "наименованиедоо",
        "номердоо",
        "номердетскогосада",
        "образовательнаяорганизация",
        "вашаобразовательнаяорганизация",
        "наименованиеорганизации",
        "организация",
        "учреждение",
        "мадоу",
        "мбдоу",
        "мдоу",
        "дс",
    ],
    contained: &[
        "детскийсад",
        "детскогосада",
        "образовательнаяорганизация",
        "образовательнойорганизации",
        "доо",
    ],
};
const TIMESTAMP_HEADERS: Headers = Headers {
    exact: &[
        "отметкавремени",
        "времясоздания",
        "датаивремя",
        "времязаполнения",
        "датазаполнения",
        "timestamp",
        "дата",
    ],
    contained: &["отметкавремени", "времясоздания", "времязаполнения"],
};

/// The first free column whose normalized header equals one of `headers.exact`, tried in order
/// (so «ФИО» wins over «Логин»); then one whose header contains one of `headers.contained`.
fn find_column(table: &Table, headers: &Headers, taken: &BTreeSet<usize>) -> Option<usize> {
    let normalized: Vec<String> = table.headers.iter().map(|h| normalize(h)).collect();
    let free = |index: &usize| !taken.contains(index);
    for name in headers.exact {
        if let Some(index) = (0..normalized.len()).find(|i| free(i) && normalized[*i] == *name) {
            return Some(index);
        }
    }
    for name in headers.contained {
        if let Some(index) =
            (0..normalized.len()).find(|i| free(i) && normalized[*i].contains(name))
        {
            return Some(index);
        }
    }
    None
}

/// Proposes a profile: headers matched to item texts (equal ignoring case, spaces, punctuation and
/// «ё»/«е»; also after a numbering prefix, inside a Google Forms grid's brackets, or starting with
/// the item code), the respondent, kindergarten and timestamp columns recognised by their usual
/// names. Answer labels are checked against the scales; everything not matched is returned for the
/// user to map by hand.
pub fn suggest_profile(instrument: &Instrument, table: &Table) -> (MappingProfile, Unmatched) {
    let mut profile = MappingProfile::new(instrument);
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    let duplicated: BTreeSet<usize> = (0..table.headers.len())
        .filter(|&index| {
            !table.headers[index].is_empty() && table.columns_named(&table.headers[index]).len() > 1
        })
        .collect();

    // Items first: a question text such as «Почта России …» must not be taken for an e-mail column.
    let items: Vec<ItemRef<'_>> = instrument.items().collect();
    let mut item_columns: Vec<(usize, usize)> = Vec::new();
    for (item_index, item) in items.iter().enumerate() {
        let by_text = (0..table.headers.len()).find(|index| {
            !taken.contains(index)
                && !duplicated.contains(index)
                && header_matches_item(&table.headers[*index], item)
        });
        let by_code = || {
            (0..table.headers.len()).find(|index| {
                !taken.contains(index)
                    && !duplicated.contains(index)
                    && starts_with_code(&table.headers[*index], item.item.code().as_str())
            })
        };
        if let Some(column) = by_text.or_else(by_code) {
            taken.insert(column);
            item_columns.push((column, item_index));
        }
    }
    item_columns.sort();
    for &(column, item_index) in &item_columns {
        profile.items.push(ColumnMapping {
            column: table.headers[column].clone(),
            item: items[item_index].item.code().to_string(),
        });
    }

    let claim = |headers: &Headers, taken: &mut BTreeSet<usize>| {
        let index = find_column(table, headers, taken)?;
        taken.insert(index);
        Some(table.headers[index].clone())
    };
    profile.timestamp_column = claim(&TIMESTAMP_HEADERS, &mut taken);
    profile.email_column = claim(&EMAIL_HEADERS, &mut taken);
    // The respondent is named by the name column; without one, by the e-mail (an account's
    // login).
    profile.respondent_column =
        claim(&NAME_HEADERS, &mut taken).or_else(|| profile.email_column.clone());
    profile.kindergarten_column = claim(&KINDERGARTEN_HEADERS, &mut taken);

    let mut unmatched = Unmatched::default();
    for (index, header) in table.headers.iter().enumerate() {
        if !taken.contains(&index) && !header.is_empty() {
            unmatched.columns.push(header.clone());
        }
    }
    for item in &items {
        if !profile
            .items
            .iter()
            .any(|mapping| mapping.item == item.item.code().as_str())
        {
            unmatched.items.push(UnmatchedItem {
                item: item.item.code().to_string(),
                text: item.item.text().to_owned(),
                required: item.item.is_required(),
            });
        }
    }
    for &(column, item_index) in &item_columns {
        let item = &items[item_index];
        let mut labels: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for row in &table.rows {
            let cell = row.cell(column);
            if cell.is_empty() || profile.resolve(item, cell).is_some() {
                continue;
            }
            let lines = labels.entry(cell).or_insert_with(|| {
                order.push(cell);
                Vec::new()
            });
            if lines.len() < 5 {
                lines.push(row.line);
            }
        }
        for label in order {
            unmatched.labels.push(UnmatchedLabel {
                column: table.headers[column].clone(),
                item: item.item.code().to_string(),
                label: label.to_owned(),
                lines: labels.remove(label).unwrap_or_default(),
            });
        }
    }
    (profile, unmatched)
}

impl Unmatched {
    /// Whether everything was matched.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty() && self.items.is_empty() && self.labels.is_empty()
    }
}

impl fmt::Display for Unmatched {
    /// A Russian list of what the user has to map by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "Все столбцы, пункты и варианты ответов сопоставлены.");
        }
        if !self.columns.is_empty() {
            writeln!(f, "Столбцы без сопоставления ({}):", self.columns.len())?;
            for column in &self.columns {
                writeln!(f, "  «{column}»")?;
            }
        }
        if !self.items.is_empty() {
            writeln!(f, "Пункты инструмента без столбца ({}):", self.items.len())?;
            for item in &self.items {
                let required = if item.required {
                    " (обязательный)"
                } else {
                    ""
                };
                writeln!(f, "  {} «{}»{required}", item.item, item.text)?;
            }
        }
        if !self.labels.is_empty() {
            writeln!(
                f,
                "Нераспознанные варианты ответов ({}):",
                self.labels.len()
            )?;
            for label in &self.labels {
                let lines: Vec<String> = label.lines.iter().map(usize::to_string).collect();
                writeln!(
                    f,
                    "  «{}» в столбце «{}» (пункт {}), строки {}",
                    label.label,
                    label.column,
                    label.item,
                    lines.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_case_spaces_punctuation_and_yo() {
        assert_eq!(normalize("  Ещё раз, «Да»! "), normalize("еще РАЗ да"));
    }

    #[test]
    fn numbering_prefixes_are_stripped() {
        assert_eq!(strip_numbering("1. Текст"), "Текст");
        assert_eq!(strip_numbering("12.3) Текст"), "Текст");
        assert_eq!(strip_numbering("Вопрос 5: Текст"), "Текст");
        assert_eq!(strip_numbering("№ 4 Текст"), "Текст");
        assert_eq!(strip_numbering("Текст 1."), "Текст 1.");
    }

    #[test]
    fn a_code_prefix_does_not_claim_a_longer_code() {
        assert!(starts_with_code("A1.1.2 Текст", "A1.1.2"));
        assert!(starts_with_code("A1.1.2. Текст", "A1.1.2"));
        assert!(!starts_with_code("A1.1.2 Текст", "A1.1"));
        assert!(!starts_with_code("A1.10 Текст", "A1.1"));
    }

    #[test]
    fn numbers_take_a_decimal_comma() {
        assert_eq!(parse_number("4,5"), Some(4.5));
        assert_eq!(parse_number("1 200"), Some(1200.0));
        assert_eq!(parse_number("85 %"), Some(85.0));
        assert_eq!(parse_number("пять"), None);
    }
}
