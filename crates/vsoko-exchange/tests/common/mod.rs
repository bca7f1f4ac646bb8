//! A small survey shared by the tests, and fixture helpers.

#![allow(dead_code)]

use vsoko_checklist::{Instrument, parse_toml};
use vsoko_exchange::{Table, read_table};

pub const SURVEY: &str = r#"
code = "survey-test"
version = 1
title = "Анкета педагога"
kind = "survey"
respondent = "teacher"
subject = "teacher"
scale = "agree4"

[levels]
deficit_threshold = 50
bands = [
  { code = "L1", name = "Низкий", from = 0 },
  { code = "L2", name = "Высокий", from = 50 },
]

[scales.agree4]
type = "options"
allow_na = true
na_label = "Не применимо"
options = [
  { value = 1, label = "Не согласен" },
  { value = 2, label = "Скорее не согласен" },
  { value = 3, label = "Скорее согласен" },
  { value = 4, label = "Полностью согласен" },
]

[scales.yes_no]
type = "options"
options = [{ value = 0, label = "Нет" }, { value = 1, label = "Да" }]

[scales.hours]
type = "numeric"
unit = "ч"
min = 0
max = 200
target = 20
direction = "more_is_better"

[[areas]]
code = "Q"
title = "Практика"

[[areas.indicators]]
code = "Q.1"
title = "Взаимодействие"

[[areas.indicators.items]]
code = "Q.1.1"
text = "Информирую родителей о жизни группы через официальные каналы детского сада"

[[areas.indicators.items]]
code = "Q.1.2"
text = "Использую интерактивную доску на занятиях"

[[areas.indicators]]
code = "Q.2"
title = "Саморазвитие"

[[areas.indicators.items]]
code = "Q.2.1"
text = "Сколько часов в месяц вы тратите на самообразование?"
scale = "hours"
required = false

[[areas.indicators.items]]
code = "Q.2.2"
text = "Ёлочные игрушки изготавливаем вместе с детьми"
scale = "yes_no"
"#;

pub fn survey() -> Instrument {
    parse_toml(SURVEY, "survey-test.toml").unwrap_or_else(|error| panic!("{error}"))
}

/// The same survey, version 2: Q.1.2 dropped, Q.1.3 added.
pub fn survey_v2() -> Instrument {
    let source = SURVEY.replace("version = 1", "version = 2").replace(
        "code = \"Q.1.2\"\ntext = \"Использую интерактивную доску на занятиях\"",
        "code = \"Q.1.3\"\ntext = \"Провожу онлайн-консультации для родителей\"",
    );
    parse_toml(&source, "survey-test-v2.toml").unwrap_or_else(|error| panic!("{error}"))
}

pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

pub fn fixture(name: &str) -> Table {
    read_table(&fixture_bytes(name), name).unwrap_or_else(|error| panic!("{name}: {error}"))
}
