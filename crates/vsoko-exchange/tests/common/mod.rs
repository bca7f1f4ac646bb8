//! A small survey shared by the tests, and fixture helpers.

#![allow(dead_code)]

use vsoko_checklist::{Instrument, parse_toml};
use vsoko_exchange::{Table, read_table};

pub const SURVEY: &str = include_str!("../fixtures/survey-test.toml");

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
