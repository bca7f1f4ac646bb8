//! Numbers, dates and words as Russian readers expect them: a decimal comma, `14.05.2025`,
//! «3 вопроса», role names.

use chrono::{DateTime, Local, NaiveDate, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use vsoko_domain::{Period, Role};

/// A percentage with one decimal and a comma: `45,0 %` (rounded half away from zero, for display
/// only; levels are decided on the unrounded value) — the справка's own rule.
pub use vsoko_app::words::percent;

/// A change in percentage points with its sign: `+3,2 п.п.`, `−5,1 п.п.`.
pub use vsoko_app::words::signed_points;

/// `2025-05 (01.05.2025 – 31.05.2025)`.
pub fn period_text(period: &Period) -> String {
    format!(
        "{} ({} – {})",
        period.code,
        date(period.starts_on),
        date(period.ends_on)
    )
}

/// `14.05.2025`.
pub fn date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// `14.05.2025 12:34`, in the server's time zone.
pub fn datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// `12:34`, in the server's time zone.
pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
}

/// What stays as is in a path segment or query value: letters, digits and `-._~`.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A text for a path segment or a query value (`dc-teacher`, `/forms?period=2025-05`).
pub fn url_encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODED).to_string()
}

pub use vsoko_app::words::{counted, plural};

/// A role as people name it.
pub fn role(role: Role) -> &'static str {
    match role {
        Role::Admin => "администратор",
        Role::Manager => "методист управления образования",
        Role::Head => "заведующий",
        Role::Teacher => "педагог",
    }
}

/// A role as a choice of the form that creates an account names it.
pub fn role_choice(role: Role) -> &'static str {
    match role {
        Role::Head => "заведующий детским садом",
        other => self::role(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_a_comma_and_one_decimal() {
        assert_eq!(percent(45.0), "45,0\u{a0}%");
        assert_eq!(percent(79.95), "80,0\u{a0}%");
        assert_eq!(percent(7.44), "7,4\u{a0}%");
    }

    #[test]
    fn nouns_agree_with_numbers() {
        let forms = |n| plural(n, "вопрос", "вопроса", "вопросов");
        assert_eq!(forms(1), "вопрос");
        assert_eq!(forms(3), "вопроса");
        assert_eq!(forms(11), "вопросов");
        assert_eq!(forms(21), "вопрос");
        assert_eq!(forms(39), "вопросов");
        assert_eq!(forms(112), "вопросов");
    }
}
