//! The allowed shape of every code, name, login, password and comment a person types, checked
//! once here for every adapter (the API, the web pages, the command line), so that both
//! databases get — and refuse — the same text. Messages are Russian: end users read them.
//!
//! | what | allowed |
//! |---|---|
//! | period code | 1–32 characters: latin letters, digits, `.`, `-`, `_`, starting with a letter or digit (`2025-05`) |
//! | period dates | years 2000–2100, the end not before the start, at most 400 days |
//! | kindergarten number | 1–16 characters: letters, digits, `-`, `/`, `.` (`106`, `5а`, `12/1`) |
//! | names, positions, group names | 1–200 characters (full official names 500), no control characters; surrounding spaces are dropped |
//! | login | 3–64 characters: latin letters, digits, `.`, `_`, `-`, `@`, starting with a letter or digit |
//! | password | 8–128 characters, no control characters |
//! | comment | at most 2,000 characters, no control characters but line breaks and tabs |
//! | idempotency key | 1–200 visible ASCII characters |
//!
//! Text a lookup is made with (a period or instrument code in a query, a login at sign-in) that
//! cannot be valid is answered as «unknown» without asking the database: a NUL character, which
//! PostgreSQL cannot hold, never reaches it.

use chrono::{Datelike, NaiveDate};

use crate::error::{AppError, AppResult, FieldError};

/// Errors of several fields, reported together.
#[derive(Debug, Default)]
pub(crate) struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub(crate) fn new() -> Checks {
        Checks::default()
    }

    pub(crate) fn fail(&mut self, field: &str, code: &str, message: String) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// A name-like text: trimmed, `1..=max` characters, no control characters. The trimmed text.
    pub(crate) fn name(&mut self, field: &str, what: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.fail(field, "empty", format!("{what}: заполните поле"));
        } else if trimmed.chars().count() > max {
            self.fail(
                field,
                "too_long",
                format!("{what}: не более {max} символов"),
            );
        } else if trimmed.chars().any(char::is_control) {
            self.fail(
                field,
                "control_characters",
                format!("{what}: недопустимые служебные символы; введите текст заново"),
            );
        }
        trimmed.to_owned()
    }

    /// A period code.
    pub(crate) fn period_code(&mut self, field: &str, value: &str) {
        if vsoko_domain::PeriodCode::parse(value).is_none() {
            self.fail(
                field,
                "invalid",
                "код периода: от 1 до 32 символов — латинские буквы, цифры, точка, дефис или подчёркивание, в начале буква или цифра (например, 2025-05)".to_owned(),
            );
        }
    }

    /// The dates of a period.
    pub(crate) fn period_dates(&mut self, starts_on: NaiveDate, ends_on: NaiveDate) {
        for (field, date) in [("starts_on", starts_on), ("ends_on", ends_on)] {
            if !(2000..=2100).contains(&date.year()) {
                self.fail(
                    field,
                    "out_of_range",
                    "дата периода: год от 2000 до 2100".to_owned(),
                );
            }
        }
        if ends_on < starts_on {
            self.fail(
                "ends_on",
                "before_start",
                "период заканчивается раньше, чем начинается".to_owned(),
            );
        } else if (ends_on - starts_on).num_days() > 400 {
            self.fail(
                "ends_on",
                "too_long",
                "период длиннее 400 дней; разбейте его на учебные годы или полугодия".to_owned(),
            );
        }
    }

    /// A kindergarten's number in its network.
    pub(crate) fn kindergarten_number(&mut self, field: &str, value: &str) -> String {
        let trimmed = value.trim();
        let shaped = !trimmed.is_empty()
            && trimmed.chars().count() <= 16
            && trimmed
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.'));
        if !shaped {
            self.fail(
                field,
                "invalid",
                "номер детского сада: от 1 до 16 символов — буквы, цифры, «-», «/» или «.» (например, 106, 5а, 12/1)".to_owned(),
            );
        }
        trimmed.to_owned()
    }

    /// A login.
    pub(crate) fn login(&mut self, field: &str, value: &str) {
        if !is_login(value) {
            self.fail(
                field,
                "invalid",
                "логин: от 3 до 64 символов — латинские буквы, цифры, «.», «_», «-» или «@», в начале буква или цифра".to_owned(),
            );
        }
    }

    /// A new password.
    pub(crate) fn password(&mut self, field: &str, value: &str, min: usize) {
        let length = value.chars().count();
        if length < min {
            self.fail(
                field,
                "too_short",
                format!("пароль: не менее {min} символов"),
            );
        } else if length > 128 {
            self.fail(
                field,
                "too_long",
                "пароль: не более 128 символов".to_owned(),
            );
        } else if value.chars().any(char::is_control) {
            self.fail(
                field,
                "control_characters",
                "пароль: недопустимые служебные символы".to_owned(),
            );
        }
    }

    /// A comment on an answer.
    pub(crate) fn comment(&mut self, field: &str, value: &str) {
        if value.chars().count() > 2000 {
            self.fail(
                field,
                "too_long",
                "комментарий: не более 2000 символов".to_owned(),
            );
        } else if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.fail(
                field,
                "control_characters",
                "комментарий: недопустимые служебные символы; введите текст заново".to_owned(),
            );
        }
    }

    /// An idempotency key.
    pub(crate) fn idempotency_key(&mut self, field: &str, value: &str) {
        if !is_key(value) {
            self.fail(
                field,
                "invalid",
                "ключ идемпотентности: от 1 до 200 видимых символов ASCII".to_owned(),
            );
        }
    }

    /// Every problem found, or nothing.
    pub(crate) fn done(self) -> AppResult<()> {
        AppError::check(self.errors)
    }
}

fn is_login(value: &str) -> bool {
    let mut chars = value.chars();
    (3..=64).contains(&value.len())
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// An idempotency key: 1–200 visible ASCII characters.
pub fn is_key(value: &str) -> bool {
    (1..=200).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether a text can be looked up at all: at most 200 characters, none of them control
/// characters. Anything else is unknown without asking the database.
pub(crate) fn lookable(value: &str) -> bool {
    value.len() <= 200 && !value.chars().any(char::is_control)
}

/// A lookup by `value` (a period or instrument code given in a request) that cannot succeed: an
/// invalid field naming it.
pub(crate) fn lookup(field: &str, value: &str, what: &str) -> AppResult<()> {
    if lookable(value) {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "unknown",
            format!("unknown {what}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(check: impl FnOnce(&mut Checks)) -> Vec<String> {
        let mut checks = Checks::new();
        check(&mut checks);
        match checks.done() {
            Ok(()) => Vec::new(),
            Err(AppError::Invalid { errors, .. }) => errors
                .into_iter()
                .map(|e| format!("{}:{}", e.field, e.code))
                .collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn period_codes_are_short_latin_codes() {
        for good in ["2025-05", "2024_25", "sep.2025", "Q1"] {
            assert!(errors(|c| c.period_code("code", good)).is_empty(), "{good}");
        }
        for bad in [
            "",
            " ",
            "-05",
            "2025\u{7}",
            "сентябрь",
            &"9".repeat(33),
            "a b",
        ] {
            assert_eq!(
                errors(|c| c.period_code("code", bad)),
                ["code:invalid"],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn period_dates_are_in_this_century_and_in_order() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(errors(|c| c.period_dates(date(2025, 5, 1), date(2025, 5, 31))).is_empty());
        assert_eq!(
            errors(|c| c.period_dates(date(18, 5, 1), date(5908, 5, 31))),
            [
                "starts_on:out_of_range",
                "ends_on:out_of_range",
                "ends_on:too_long"
            ]
        );
        assert_eq!(
            errors(|c| c.period_dates(date(2025, 5, 31), date(2025, 5, 1))),
            ["ends_on:before_start"]
        );
    }

    #[test]
    fn names_are_trimmed_non_empty_and_without_control_characters() {
        let mut checks = Checks::new();
        assert_eq!(checks.name("n", "имя", "  Солнышко ", 200), "Солнышко");
        assert!(checks.done().is_ok());
        assert_eq!(
            errors(|c| drop(c.name("n", "имя", "   ", 200))),
            ["n:empty"]
        );
        assert_eq!(
            errors(|c| drop(c.name("n", "имя", "a\u{0}b", 200))),
            ["n:control_characters"]
        );
        assert_eq!(
            errors(|c| drop(c.name("n", "имя", &"я".repeat(201), 200))),
            ["n:too_long"]
        );
    }

    #[test]
    fn logins_numbers_passwords_comments_and_keys_have_their_shapes() {
        for good in ["teacher18-1", "ivanova@ds5.ru", "head_18"] {
            assert!(errors(|c| c.login("login", good)).is_empty(), "{good}");
        }
        for bad in [
            "ab",
            "a\u{0}bc",
            &"a".repeat(65),
            "-abc",
            "иванова",
            "a b c",
        ] {
            assert_eq!(
                errors(|c| c.login("login", bad)),
                ["login:invalid"],
                "{bad:?}"
            );
        }
        assert!(errors(|c| drop(c.kindergarten_number("number", "5а"))).is_empty());
        assert_eq!(
            errors(|c| drop(c.kindergarten_number("number", ""))),
            ["number:invalid"]
        );
        assert_eq!(errors(|c| c.password("p", "short", 8)), ["p:too_short"]);
        assert_eq!(
            errors(|c| c.password("p", "long enough\u{0}", 8)),
            ["p:control_characters"]
        );
        assert!(errors(|c| c.comment("c", "строка\nещё одна\tс табуляцией")).is_empty());
        assert_eq!(
            errors(|c| c.comment("c", "nul\u{0}")),
            ["c:control_characters"]
        );
        assert!(is_key("key-1") && !is_key("") && !is_key("ключ") && !is_key(&"k".repeat(201)));
        assert!(lookable("2025-05") && !lookable("2025\u{0}05"));
    }
}
