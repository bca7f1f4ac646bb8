//! Russian words after numbers and at the ends of sentences: the one place every page, report
//! and справка takes them from.

/// The form of a noun after a number: `plural(3, "вопрос", "вопроса", "вопросов")` — «1 вопрос»,
/// «3 вопроса», «11 вопросов», «21 вопрос». For a case whose two plural forms agree, `few` and
/// `many` are the same word (`plural(n, "форме", "формах", "формах")`).
pub fn plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, rest) if rest != 11 => one,
        (2..=4, rest) if !(12..=14).contains(&rest) => few,
        _ => many,
    }
}

/// The text with its first letter capital («Повышение квалификации»).
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `45,0 %`.
pub fn percent(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    format!("{rounded:.1}\u{a0}%").replace('.', ",")
}

/// A result or a share in whole percent, as a справка writes it («72 %», «100 %»), unless a
/// decimal matters: when the whole number would reach 0 or 100 from inside, or land on the other
/// side of one of `bounds` (a level's lower bound, the deficit threshold) than the value itself.
/// Then one decimal, rounded towards the value's side, so that «29,9 %» stays under a threshold of
/// 30 % and «99,9 %» is not read as everyone.
pub fn percent_whole(value: f64, bounds: &[f64]) -> String {
    let sides_differ = |shown: f64| {
        (value > 0.0 && shown <= 0.0)
            || (value < 100.0 && shown >= 100.0)
            || bounds
                .iter()
                .any(|&bound| (value < bound) != (shown < bound))
    };
    let whole = value.round();
    if !sides_differ(whole) {
        return format!("{whole:.0}\u{a0}%");
    }
    let mut tenths = (value * 10.0).round() / 10.0;
    if sides_differ(tenths) {
        // Towards the value's side of what it would cross.
        let below = bounds
            .iter()
            .chain(&[100.0])
            .any(|&bound| value < bound && tenths >= bound);
        tenths = if below {
            (value * 10.0).floor() / 10.0
        } else {
            (value * 10.0).ceil() / 10.0
        };
    }
    format!("{tenths:.1}\u{a0}%").replace('.', ",")
}

/// `7,5 п.п.` (the absolute value).
pub fn points(value: f64) -> String {
    let rounded = (value.abs() * 10.0).round() / 10.0;
    let number = format!("{rounded:.1}").replace('.', ",");
    format!("{number}\u{a0}п.п.")
}

/// A change with its sign: `+3,2 п.п.`, `−5,1 п.п.`, `0,0 п.п.`.
pub fn signed_points(delta: f64) -> String {
    let tenths = (delta * 10.0).round();
    let sign = if tenths > 0.0 {
        "+"
    } else if tenths < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", points(delta))
}

/// A number as people write it: a whole one without decimals («5»), another with one decimal
/// and a comma («7,5»).
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

/// `n` and its noun: `counted(5, "педагог", "педагога", "педагогов")` → «5 педагогов».
pub fn counted(n: usize, one: &str, few: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, few, many))
}

/// A sentence ending with one full stop, whether its last word is an abbreviation that has one
/// already («6,4 п.п.») or not.
pub fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Rule «время заполнения»: how long a form of `items` questions takes — 18 seconds a question
/// for staff (a statement and a six-step scale to read), 12 for parents (short statements on a
/// phone) — in words: «около 1 минуты», «2–3 минуты», «11–12 минут». Every page and sheet that
/// states the time takes it from here, so the link sheet and the form never disagree.
pub fn time_to_fill(items: usize, for_parents: bool) -> String {
    let seconds = items * if for_parents { 12 } else { 18 };
    let low = (seconds / 60).max(1);
    let high = seconds.div_ceil(60).max(1);
    if low == high {
        format!("около {low} {}", plural(low, "минуты", "минут", "минут"))
    } else {
        format!("{low}–{high} {}", plural(high, "минута", "минуты", "минут"))
    }
}

/// Month names in the nominative, as a period is named in a title or a file name.
const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// A month in words, as a plan's «сроки» say it: «октябрь 2026 г.».
pub fn month_text(month: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} г.", MONTHS[month.month0() as usize], month.year())
}

/// A period in words: «май 2025» for a period within one month, «сентябрь 2024 — май 2025» for
/// one that spans months, never a code.
pub fn period_in_words(starts_on: chrono::NaiveDate, ends_on: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month =
        |date: chrono::NaiveDate| format!("{} {}", MONTHS[date.month0() as usize], date.year());
    if (starts_on.year(), starts_on.month()) == (ends_on.year(), ends_on.month()) {
        month(starts_on)
    } else {
        format!("{} — {}", month(starts_on), month(ends_on))
    }
}

/// A period as a document dates it: «май 2025 г.», «сентябрь 2024 г. — май 2025 г.».
pub fn period_dated(starts_on: chrono::NaiveDate, ends_on: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if (starts_on.year(), starts_on.month()) == (ends_on.year(), ends_on.month()) {
        month_text(starts_on)
    } else {
        format!("{} — {}", month_text(starts_on), month_text(ends_on))
    }
}

/// A file name people can save on any system: the characters Windows refuses (`\ / : * ? " < > |`)
/// become spaces, runs of spaces one, and the name is at most `limit` characters, cut at a word.
pub fn file_name(text: &str, limit: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut name = String::new();
    for word in cleaned.split_whitespace() {
        let needed = name.chars().count() + usize::from(!name.is_empty()) + word.chars().count();
        if needed > limit {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    name.trim_end_matches([' ', '—', '-']).to_owned()
}

/// A date as Russian documents write it: `14.05.2025`.
pub fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_whole_unless_a_decimal_matters() {
        let nbsp = |text: &str| text.replace(' ', "\u{a0}");
        assert_eq!(percent_whole(100.0, &[]), nbsp("100 %"));
        assert_eq!(percent_whole(71.25, &[30.0, 70.0]), nbsp("71 %"));
        assert_eq!(percent_whole(0.0, &[]), nbsp("0 %"));
        // Not everyone, not no one.
        assert_eq!(percent_whole(99.6, &[]), nbsp("99,6 %"));
        assert_eq!(percent_whole(99.96, &[]), nbsp("99,9 %"));
        assert_eq!(percent_whole(0.3, &[]), nbsp("0,3 %"));
        assert_eq!(percent_whole(0.04, &[]), nbsp("0,1 %"));
        // Under a threshold stays under it; at a bound stays at it.
        assert_eq!(percent_whole(29.6, &[30.0]), nbsp("29,6 %"));
        assert_eq!(percent_whole(29.96, &[30.0]), nbsp("29,9 %"));
        assert_eq!(percent_whole(30.0, &[30.0]), nbsp("30 %"));
        assert_eq!(percent_whole(30.4, &[30.0]), nbsp("30 %"));
        assert_eq!(percent_whole(69.5, &[70.0]), nbsp("69,5 %"));
        assert_eq!(percent_whole(70.4, &[70.0]), nbsp("70 %"));
        assert_eq!(percent_whole(29.6, &[]), nbsp("30 %"));
    }

    #[test]
    fn a_period_is_dated_in_words() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            period_dated(day(2025, 5, 1), day(2025, 5, 31)),
            "май 2025 г."
        );
        assert_eq!(
            period_dated(day(2024, 9, 1), day(2025, 5, 31)),
            "сентябрь 2024 г. — май 2025 г."
        );
    }

    #[test]
    fn capitalized_raises_the_first_letter_only() {
        assert_eq!(
            capitalized("повышение квалификации"),
            "Повышение квалификации"
        );
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn the_time_to_fill_is_a_range_of_minutes_that_agrees_with_its_number() {
        assert_eq!(time_to_fill(12, true), "2–3 минуты");
        assert_eq!(time_to_fill(39, false), "11–12 минут");
        assert_eq!(time_to_fill(3, false), "около 1 минуты");
        assert_eq!(time_to_fill(10, false), "около 3 минут");
        assert_eq!(time_to_fill(7, false), "2–3 минуты");
    }

    #[test]
    fn a_period_is_named_by_its_months() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            period_in_words(day(2025, 5, 1), day(2025, 5, 31)),
            "май 2025"
        );
        assert_eq!(
            period_in_words(day(2024, 9, 1), day(2025, 5, 31)),
            "сентябрь 2024 — май 2025"
        );
    }

    #[test]
    fn a_file_name_has_no_character_a_system_refuses_and_is_cut_at_a_word() {
        assert_eq!(
            file_name(
                "Справка МДОУ № 18 — «Карта: анализ/занятия?» — май 2025",
                200
            ),
            "Справка МДОУ № 18 — «Карта анализ занятия » — май 2025"
        );
        assert_eq!(
            file_name("Справка сети — очень длинное название", 15),
            "Справка сети"
        );
    }

    #[test]
    fn nouns_agree_with_their_numbers() {
        let forms = |n| plural(n, "педагог", "педагога", "педагогов");
        for (n, expected) in [
            (0, "педагогов"),
            (1, "педагог"),
            (2, "педагога"),
            (4, "педагога"),
            (5, "педагогов"),
            (11, "педагогов"),
            (12, "педагогов"),
            (14, "педагогов"),
            (21, "педагог"),
            (22, "педагога"),
            (111, "педагогов"),
            (101, "педагог"),
        ] {
            assert_eq!(forms(n), expected, "{n}");
        }
        assert_eq!(counted(3, "группа", "группы", "групп"), "3 группы");
        assert_eq!(counted(25, "группа", "группы", "групп"), "25 групп");
    }

    #[test]
    fn a_sentence_ends_with_one_full_stop() {
        assert_eq!(
            sentence("не хватает 6,4\u{a0}п.п."),
            "не хватает 6,4\u{a0}п.п."
        );
        assert_eq!(sentence("не хватает 6,4 %"), "не хватает 6,4 %.");
        assert_eq!(sentence("Готово. "), "Готово.");
    }
}
